"""Multi-step chat flows declared in one place: entry words, steps, the cancel word, a timeout.

A step has `ask` (sends the question) and `answer` (reads the input). `answer` returns the name of the next
step, `END`, or `None` to stay on the step (it has already told the user what was wrong). State is a DB row per
LINE user with a readable step name such as "settings:district", so any worker process can continue it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from bot.context import Context
from bot.postback import PostbackData, prefix_of
from flex_templates.basic import text as text_message
from models.platform import Conversation
from texts import platform as platform_texts

END = "__end__"


@dataclass
class FlowState:
    """What a flow remembers between messages. `data` must stay JSON-serialisable."""

    flow: str
    step: str
    data: dict[str, Any] = field(default_factory=dict)


Ask = Callable[[Context, FlowState], None]
Answer = Callable[[Context, FlowState], "str | None"]
Guard = Callable[[Context], bool]


@dataclass
class Step:
    name: str
    ask: Ask
    answer: Answer


class Flow:
    """A conversation. `guard` runs before the start and before every step (e.g. staff-only flows)."""

    def __init__(self, name: str, title: str, steps: list[Step], *, entry_words: tuple[str, ...] = (),
                 postbacks: tuple[type[PostbackData], ...] = (), timeout: timedelta = timedelta(minutes=30),
                 guard: Guard | None = None, on_start: Callable[[Context, FlowState], None] | None = None) -> None:
        if not steps:
            raise ValueError("a flow needs at least one step")
        self.name = name
        self.title = title
        self.steps = {s.name: s for s in steps}
        self.first = steps[0].name
        self.entry_words = entry_words
        self.postback_prefixes = frozenset(p.prefix for p in postbacks)
        self.timeout = timeout
        self.guard = guard
        self.on_start = on_start

    def start(self, ctx: Context, data: dict[str, Any] | None = None, step: str | None = None) -> None:
        """Starts (or restarts) the flow for the event's user and asks the first question."""
        if ctx.user_id is None:
            return
        if self.guard and not self.guard(ctx):
            _delete(ctx.session, ctx.user_id)
            return
        state = FlowState(self.name, step or self.first, dict(data or {}))
        if self.on_start:
            self.on_start(ctx, state)
        _save(ctx.session, ctx.user_id, state, ctx.now, self.timeout)
        self.steps[state.step].ask(ctx, state)

    def run_answer(self, ctx: Context, state: FlowState) -> None:
        """Feeds the event to the current step and moves on as it says."""
        assert ctx.user_id is not None
        if self.guard and not self.guard(ctx):
            _delete(ctx.session, ctx.user_id)
            return
        step = self.steps.get(state.step)
        if step is None:  # a step renamed by a deploy: start over rather than fail
            self.start(ctx, state.data)
            return
        outcome = step.answer(ctx, state)
        if outcome == END:
            _delete(ctx.session, ctx.user_id)
            return
        if outcome is not None:
            if outcome not in self.steps:
                raise ValueError(f"flow {self.name}: unknown step {outcome}")
            state.step = outcome
        _save(ctx.session, ctx.user_id, state, ctx.now, self.timeout)
        if outcome is not None:
            self.steps[outcome].ask(ctx, state)


class ConversationEngine:
    """Finds the user's open flow and hands it the event."""

    def __init__(self, flows: list[Flow]) -> None:
        self.flows = {f.name: f for f in flows}
        if len(self.flows) != len(flows):
            raise ValueError("two flows share a name")
        self._by_prefix: dict[str, Flow] = {}
        for flow in flows:
            for prefix in flow.postback_prefixes:
                self._by_prefix[prefix] = flow

    def load(self, session: Session, user_id: str, now: datetime) -> tuple[Flow, FlowState] | None:
        """Returns the user's open flow and its state, or None. An expired one is removed and noted."""
        row = session.get(Conversation, user_id)
        if row is None:
            return None
        flow = self.flows.get(row.flow)
        if flow is None or row.expires_at <= now:
            session.delete(row)
            session.flush()
            return None
        return flow, FlowState(row.flow, row.step, dict(row.data or {}))

    def owns_postback(self, prefix: str) -> bool:
        return prefix in self._by_prefix

    def handle_message(self, ctx: Context, leaving_handler: Callable[[Context], None] | None) -> bool:
        """Handles a message inside an open flow. Returns False when normal routing should take it."""
        assert ctx.user_id is not None
        if ctx.in_conversation is False:
            return False
        row = ctx.session.get(Conversation, ctx.user_id)
        if row is None:
            return False
        flow = self.flows.get(row.flow)
        if flow is None or row.expires_at <= ctx.now:
            ctx.session.delete(row)
            ctx.session.flush()
            if flow is not None:
                ctx.flow_note = platform_texts.FLOW_EXPIRED.format(title=flow.title)
            return False
        state = FlowState(row.flow, row.step, dict(row.data or {}))
        if ctx.text == platform_texts.WORD_CANCEL:
            ctx.session.delete(row)
            ctx.session.flush()
            ctx.reply(text_message(platform_texts.FLOW_CANCELLED))
            return True
        if leaving_handler is not None:
            ctx.session.delete(row)
            ctx.session.flush()
            if leaving_handler != flow.start:
                ctx.flow_note = platform_texts.FLOW_LEFT.format(title=flow.title)
            return False
        flow.run_answer(ctx, state)
        return True

    def handle_postback(self, ctx: Context, data: str) -> None:
        """Hands a flow's own button to the flow, if the user is still at that flow."""
        flow = self._by_prefix[prefix_of(data)]
        loaded = self.load(ctx.session, ctx.user_id, ctx.now) if ctx.user_id else None
        if loaded is None or loaded[0] is not flow:
            ctx.reply(text_message(platform_texts.STALE_FLOW_BUTTON))
            return
        flow.run_answer(ctx, loaded[1])


def _save(session: Session, user_id: str, state: FlowState, now: datetime, timeout: timedelta) -> None:
    row = session.get(Conversation, user_id)
    if row is None:
        row = Conversation(line_user_id=user_id, flow=state.flow, step=state.step, data=dict(state.data),
                           started_at=now, updated_at=now, expires_at=now + timeout)
        session.add(row)
    else:
        if row.flow != state.flow:
            row.started_at = now
        row.flow, row.step, row.data = state.flow, state.step, dict(state.data)
        row.updated_at, row.expires_at = now, now + timeout
    session.flush()


def _delete(session: Session, user_id: str) -> None:
    row = session.get(Conversation, user_id)
    if row is not None:
        session.delete(row)
        session.flush()


def current_flow(session: Session, user_id: str) -> str | None:
    """Returns "flow:step" for the user's open flow, for display and tests."""
    row = session.get(Conversation, user_id)
    return f"{row.flow}:{row.step}" if row else None
