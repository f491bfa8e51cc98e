"""One event being handled (what aiogram calls the context): its database session, the clock, LINE, what to reply,
and the helpers every handler needs, so no handler module keeps its own copy of them.

Kept apart from bot/router.py so that the router and the conversation engine both import it without importing each
other.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, TypeVar

from sqlalchemy.orm import Session

from bot.postback import MalformedPostback, PostbackData
from flex_templates.basic import message_action, text

# LINE's own limit for an image message: the worker fetches a photo up to this before the transaction opens.
MAX_CONTENT_BYTES = 10 * 1024 * 1024

P = TypeVar("P", bound=PostbackData)
R = TypeVar("R")


@dataclass
class MenuItem:
    """A main-menu choice shown as a quick reply in help answers."""

    label: str
    text: str
    order: int = 100


class LinePort(Protocol):
    """What a handler may ask of LINE directly (sending goes through ctx.reply and the outbox)."""

    def get_message_content(self, message_id: str, max_bytes: int | None = None) -> bytes: ...
    def get_profile(self, user_id: str) -> dict | None: ...
    def show_loading(self, chat_id: str, seconds: int = 5) -> None: ...


@dataclass
class Context:
    """One event being handled: the DB session of its transaction, the clock, and what to reply."""

    session: Session
    event: dict[str, Any]
    now: datetime
    line: LinePort
    settings: Any  # config.Config; typed loosely so bot/ does not import the app layer
    replies: list[dict] = field(default_factory=list)
    flow_note: str | None = None  # set when a flow was left or expired, shown before the reply
    cache: dict[str, Any] = field(default_factory=dict)  # per-event memo for handlers (e.g. the citizen row)
    # False when the worker already looked (for its whole batch at once) and this person is in no chat flow.
    in_conversation: bool | None = None
    menu: list[MenuItem] = field(default_factory=list)  # the main choices (set by the Bot: every feature's items)
    polite_errors: tuple[type[Exception], ...] = ()  # set by the Bot from app wiring (services' DomainError)
    # A photo's bytes (or the error of fetching them), fetched by the worker before the transaction opened.
    prefetched: bytes | Exception | None = None

    def reply(self, *messages: dict) -> None:
        """Queues messages for the reply (sent after the transaction commits, at most 5 per request)."""
        self.replies.extend(messages)

    def menu_actions(self) -> list[dict]:
        """The main choices as quick reply buttons (only features that exist are listed)."""
        return [message_action(item.label, item.text) for item in self.menu]

    def postback_as(self, cls: type[P]) -> P | None:
        """This event's button data as `cls`, or None if it is something else (typed text, another button)."""
        if self.postback_data is None:
            return None
        try:
            return cls.unpack(self.postback_data)
        except MalformedPostback:
            return None

    def attempt(self, fn: Callable[[], R], buttons: list[dict] | None = None) -> R | None:
        """Runs a service call in a savepoint: a rule that says no (a polite error) is undone and answered with its
        Thai message and the main choices (or `buttons`); None then."""
        try:
            with self.session.begin_nested():
                return fn()
        except self.polite_errors as exc:
            self.reply(text(str(getattr(exc, "message", exc)), self.menu_actions() if buttons is None else buttons))
            return None

    def message_content(self, max_bytes: int = MAX_CONTENT_BYTES) -> bytes:
        """What the person sent (a photo's bytes; at most max_bytes + 1, so a larger one can be refused). The worker
        fetched it before the event's transaction opened, so no handler waits on LINE while holding the database
        (on SQLite, the one writer lock); called elsewhere, it downloads now. A failed fetch raises here."""
        if isinstance(self.prefetched, Exception):
            raise self.prefetched
        if self.prefetched is not None:
            return self.prefetched[:max_bytes + 1]
        return self.line.get_message_content(str(self.message.get("id", "")), max_bytes=max_bytes)

    def show_loading(self, seconds: int = 10) -> None:
        """Shows LINE's loading animation while a slow step runs (best effort)."""
        if self.user_id:
            try:
                self.line.show_loading(self.user_id, seconds)
            except Exception:  # noqa: BLE001 - cosmetic; never fail the event for it
                pass

    @property
    def event_type(self) -> str:
        return str(self.event.get("type", ""))

    @property
    def user_id(self) -> str | None:
        return (self.event.get("source") or {}).get("userId")

    @property
    def message(self) -> dict:
        return self.event.get("message") or {}

    @property
    def message_type(self) -> str | None:
        return self.message.get("type") if self.event_type == "message" else None

    @property
    def text(self) -> str | None:
        """The message text, trimmed and NFC-normalised (Thai input methods vary), or None."""
        if self.message_type != "text":
            return None
        return normalise_text(self.message.get("text", ""))

    @property
    def postback_data(self) -> str | None:
        if self.event_type != "postback":
            return None
        return (self.event.get("postback") or {}).get("data", "")

    @property
    def postback_params(self) -> dict:
        return (self.event.get("postback") or {}).get("params") or {}


def normalise_text(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


