"""Routes an event to the first matching handler. Each handlers/<feature>.py declares a Router; app wiring joins them.

Order of matching (first match wins):
1. postback data: by its typed prefix (a flow's own postbacks go to the flow, if the user is in it);
2. a message while the user is in a conversation flow: "ยกเลิก" cancels; a menu word leaves the flow; else the step;
3. text routes (exact words or a pattern), message-type routes, event-type routes;
4. fallbacks in order (e.g. catalog search), then the help answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from bot.context import Context, MenuItem, normalise_text
from bot.postback import MalformedPostback, PostbackData, prefix_of

if TYPE_CHECKING:
    from bot.conversation import Flow


Handler = Callable[[Context], None]
PostbackHandler = Callable[[Context, Any], None]
Fallback = Callable[[Context], bool]


@dataclass
class TextRoute:
    words: frozenset[str]
    pattern: re.Pattern[str] | None
    handler: Handler
    leaves_flow: bool

    def matches(self, text: str) -> bool:
        if text in self.words:
            return True
        return bool(self.pattern and self.pattern.fullmatch(text))


class Router:
    """A feature's routes. Decorators register handlers; nothing runs at import beyond registration."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.event_routes: list[tuple[str, Handler]] = []
        self.text_routes: list[TextRoute] = []
        self.message_routes: list[tuple[str, Handler]] = []
        self.postback_routes: list[tuple[type[PostbackData], PostbackHandler]] = []
        self.fallbacks: list[Fallback] = []
        self.flows: list[Flow] = []
        self.menu: list[MenuItem] = []

    def on_event(self, event_type: str) -> Callable[[Handler], Handler]:
        def register(fn: Handler) -> Handler:
            self.event_routes.append((event_type, fn))
            return fn
        return register

    def on_text(self, *words: str, pattern: str | None = None, leaves_flow: bool = True) -> Callable[[Handler], Handler]:
        """Matches exact words (after trimming) or a full-match regex. Menu words leave an open flow."""
        def register(fn: Handler) -> Handler:
            self.text_routes.append(TextRoute(frozenset(normalise_text(w) for w in words),
                                              re.compile(pattern) if pattern else None, fn, leaves_flow))
            return fn
        return register

    def on_message(self, message_type: str) -> Callable[[Handler], Handler]:
        def register(fn: Handler) -> Handler:
            self.message_routes.append((message_type, fn))
            return fn
        return register

    def on_postback(self, data_cls: type[PostbackData]) -> Callable[[PostbackHandler], PostbackHandler]:
        def register(fn: PostbackHandler) -> PostbackHandler:
            self.postback_routes.append((data_cls, fn))
            return fn
        return register

    def fallback(self, fn: Fallback) -> Fallback:
        """Registers a last-resort handler; it returns True when it answered (e.g. a catalog search hit)."""
        self.fallbacks.append(fn)
        return fn

    def add_flow(self, flow: "Flow") -> "Flow":
        self.flows.append(flow)
        return flow

    def menu_item(self, label: str, text: str | None = None, order: int = 100) -> None:
        self.menu.append(MenuItem(label, text or label, order))


class Bot:
    """All routers joined in order; `handle` runs one event inside the caller's transaction."""

    def __init__(self, routers: list[Router], *, help_handler: Callable[[Context, str], None],
                 stale_handler: Callable[[Context, str], None],
                 before_batch: Callable[[Session, list[str]], None] | None = None,
                 polite_errors: tuple[type[Exception], ...] = ()) -> None:
        from bot.conversation import ConversationEngine

        self.routers = routers
        self.help_handler = help_handler
        self.stale_handler = stale_handler
        # Called with the user ids of a batch of events before they are handled (app wiring: read the batch's
        # citizens in one query rather than one per handler).
        self.before_batch = before_batch
        # Errors whose Thai `message` is safe to show the person (app wiring: services' DomainError), see ctx.attempt.
        self.polite_errors = polite_errors
        flows = [flow for r in routers for flow in r.flows]
        self.conversations = ConversationEngine(flows)
        self._postbacks: dict[str, tuple[type[PostbackData], PostbackHandler]] = {}
        self._text_routes: list[TextRoute] = [route for r in routers for route in r.text_routes]
        for router in routers:
            for data_cls, fn in router.postback_routes:
                if data_cls.prefix in self._postbacks:
                    raise ValueError(f"postback prefix {data_cls.prefix} routed twice")
                self._postbacks[data_cls.prefix] = (data_cls, fn)
            for flow in router.flows:
                if flow.entry_words:
                    words = frozenset(normalise_text(w) for w in flow.entry_words)
                    self._text_routes.append(TextRoute(words, None, flow.start, True))

    @property
    def menu(self) -> list[MenuItem]:
        items = [m for r in self.routers for m in r.menu]
        return sorted(items, key=lambda m: m.order)

    def handle(self, ctx: Context) -> None:
        """Routes one event. Raises only on programming errors; bad input gets a polite reply."""
        ctx.menu = self.menu
        ctx.polite_errors = self.polite_errors
        if ctx.event_type == "postback":
            self._handle_postback(ctx)
            return
        in_flow = ctx.event_type == "message" and ctx.user_id
        if in_flow and self.conversations.handle_message(ctx, self._leaving_route(ctx)):
            return
        if ctx.event_type == "message":
            self._handle_message(ctx)
            return
        for router in self.routers:
            for event_type, fn in router.event_routes:
                if event_type == ctx.event_type:
                    fn(ctx)
                    return
        # Other event types (join, leave, membership, ...) need no answer.

    def _leaving_route(self, ctx: Context) -> Handler | None:
        text = ctx.text
        if text is None:
            return None
        for route in self._text_routes:
            if route.leaves_flow and route.matches(text):
                return route.handler
        return None

    def _handle_postback(self, ctx: Context) -> None:
        data = ctx.postback_data or ""
        prefix = prefix_of(data)
        if self.conversations.owns_postback(prefix):
            self.conversations.handle_postback(ctx, data)
            return
        route = self._postbacks.get(prefix)
        if route is None:
            self.stale_handler(ctx, "unknown")
            return
        data_cls, fn = route
        try:
            payload = data_cls.unpack(data)
        except MalformedPostback:
            self.stale_handler(ctx, "malformed")
            return
        fn(ctx, payload)

    def _handle_message(self, ctx: Context) -> None:
        text = ctx.text
        if text is not None:
            for route in self._text_routes:
                if route.matches(text):
                    route.handler(ctx)
                    return
        for router in self.routers:
            for message_type, fn in router.message_routes:
                if message_type == ctx.message_type:
                    fn(ctx)
                    return
        for router in self.routers:
            for fallback in router.fallbacks:
                if fallback(ctx):
                    return
        self.help_handler(ctx, "unknown" if text is not None else "non_text")
