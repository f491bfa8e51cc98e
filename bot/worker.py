"""Processes stored events off the request path: one user's events in order, different users in parallel.

Each event runs in one transaction together with its effects, its outbox rows and its "done" mark, so a
crash at any point either leaves everything undone (and the event is claimed again after its lease) or done.
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from bot.dispatcher import REPLY_TOKEN_USABLE
from bot.event_shape import event_problem
from bot.event_store import Claim, claim_next, finish, mark_invalid, record_failure
from bot.router import Bot, Context, LinePort
from flex_templates.basic import text as text_message
from models.db import Database
from models.outbox import MAX_MESSAGES_PER_REQUEST, enqueue
from models.platform import InboundEvent
from texts import platform as T

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=2)


class LostClaim(Exception):
    """Another worker took the event over (our lease ran out): roll back, it will be done there."""


class EventWorker:
    def __init__(self, db: Database, bot: Bot, line: LinePort, settings: Any, clock: Callable[[], datetime], *,
                 threads: int = 4, max_attempts: int = 5, after_commit: Callable[[list[int]], None] | None = None,
                 lease: timedelta = LEASE, loading_after: float = 1.0) -> None:
        self.db = db
        self.bot = bot
        self.line = line
        self.settings = settings
        self.clock = clock
        self.threads = threads
        self.max_attempts = max_attempts
        self.after_commit = after_commit
        self.lease = lease
        self.loading_after = loading_after
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._workers: list[threading.Thread] = []

    def claim(self) -> Claim | None:
        with self.db.transaction() as session:
            return claim_next(session, self.clock(), self.lease)

    def process(self, claim: Claim) -> str:
        """Runs the handler for one claimed event. Returns 'done', 'pending' (will retry), 'failed' or 'lost'."""
        reply_ids: list[int] = []
        timer: threading.Timer | None = None
        try:
            with self.db.transaction() as session:
                event = session.get(InboundEvent, claim.event_id)
                if event is None or event.claim_token != claim.token:
                    return "lost"
                now = self.clock()
                problem = event_problem(event.payload)
                if problem is not None:
                    # Wrong-typed fields fail the same way every time: mark it once, for staff to see.
                    if not mark_invalid(session, claim, now, problem):
                        raise LostClaim()
                    return "invalid"
                ctx = Context(session=session, event=event.payload, now=now, line=self.line, settings=self.settings)
                timer = self._loading_timer(ctx)
                self.bot.handle(ctx)
                # A reply token lives about a minute from the event; a late (retried) event answers by push.
                fresh = now - event.received_at <= REPLY_TOKEN_USABLE
                reply_ids = self._queue_replies(session, ctx, now, use_reply_token=fresh)
                if not finish(session, claim, now):
                    raise LostClaim()
        except LostClaim:
            return "lost"
        except Exception as exc:  # noqa: BLE001 - any handler bug: retry later, then show staff
            log.error("event %s failed: %s", claim.event_id, type(exc).__name__)
            return self._failed(claim, exc)
        finally:
            if timer is not None:
                timer.cancel()
        if reply_ids and self.after_commit:
            self.after_commit(reply_ids)
        return "done"

    def _loading_timer(self, ctx: Context) -> threading.Timer | None:
        """Shows LINE's loading animation if handling a person's message takes longer than `loading_after`."""
        if ctx.event_type not in ("message", "postback") or not ctx.user_id or self.loading_after <= 0:
            return None
        timer = threading.Timer(self.loading_after, ctx.show_loading, kwargs={"seconds": 10})
        timer.daemon = True
        timer.start()
        return timer

    def _queue_replies(self, session, ctx: Context, now: datetime, use_reply_token: bool) -> list[int]:
        messages = list(ctx.replies)
        if ctx.flow_note and messages:
            messages.insert(0, text_message(ctx.flow_note))
        if not messages or not ctx.user_id:
            return []
        first, rest = messages[:MAX_MESSAGES_PER_REQUEST], messages[MAX_MESSAGES_PER_REQUEST:]
        token = ctx.event.get("replyToken") if use_reply_token else None
        rows = []
        if token:
            rows += enqueue(session, "reply", first, now=now, recipients=[ctx.user_id], reply_token=token,
                            source=f"event:{ctx.event.get('webhookEventId', '')}"[:80])
        else:
            rows += enqueue(session, "push", first, now=now, recipients=[ctx.user_id])
        if rest:
            log.warning("handler produced %d messages; extra ones go as a push", len(messages))
            rows += enqueue(session, "push", rest[:MAX_MESSAGES_PER_REQUEST], now=now, recipients=[ctx.user_id])
        session.flush()
        return [r.id for r in rows]

    def _failed(self, claim: Claim, exc: Exception) -> str:
        # Where it failed, not the exception's message: messages can quote what the person typed (PDPA).
        error = "".join(traceback.format_tb(exc.__traceback__)) + type(exc).__qualname__
        if exc.__cause__ is not None:
            error += f" (caused by {type(exc.__cause__).__qualname__})"
        with self.db.transaction() as session:
            status = record_failure(session, claim, self.clock(), error, self.max_attempts)
            if status == "failed":
                event = session.get(InboundEvent, claim.event_id)
                user_id = (event.payload.get("source") or {}).get("userId") if event else None
                if user_id and event.event_type in ("message", "postback"):
                    # Tell the person something went wrong rather than leave them waiting in silence.
                    enqueue(session, "push", [text_message(T.SYSTEM_ERROR)], now=self.clock(), recipients=[user_id],
                            source=f"event-failed:{event.id}")
        return status

    def run_once(self) -> bool:
        claim = self.claim()
        if claim is None:
            return False
        self.process(claim)
        return True

    def run_until_idle(self, max_events: int = 100_000) -> int:
        """Processes everything due now in the calling thread (tests and commands). Returns events handled."""
        count = 0
        while count < max_events and self.run_once():
            count += 1
        return count

    def wake(self) -> None:
        self._wake.set()

    def start(self) -> None:
        self._stop.clear()
        for i in range(self.threads):
            thread = threading.Thread(target=self._loop, name=f"events-{i}", daemon=True)
            thread.start()
            self._workers.append(thread)

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        for thread in self._workers:
            thread.join(timeout)
        self._workers.clear()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                worked = self.run_once()
            except Exception:  # noqa: BLE001 - e.g. the DB restarting; keep the thread alive
                log.exception("event loop error")
                worked = False
                self._stop.wait(1.0)
            if not worked:
                self._wake.wait(0.5)
                self._wake.clear()
