"""Processes stored events off the request path: one source's events in order, different sources in parallel.

A worker claims the next event of several sources at once (`claim_batch`: the lanes that waited longest) and
handles them in one transaction, together with their effects, their outbox rows, their "done" marks and the
hand-back of their lanes, so a crash at any point leaves everything undone (the lanes are served again after
their lease) or done. If one handler fails, the batch is rolled back and each event runs again in a transaction
of its own, so a failing handler never undoes another's effects. After the commit the replies go straight to the
dispatcher's senders (written already claimed): no second round trip to find them, and no reply waits behind
another. Photos and other content that is downloaded run alone, so a slow download never holds up a batch.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import threading
import time
import traceback
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from bot.context import MAX_CONTENT_BYTES, Context, LinePort
from bot.dispatcher import LEASE as OUTBOX_LEASE
from bot.dispatcher import REPLY_TOKEN_USABLE, Claimed
from bot.event_shape import event_problem
from bot.event_store import Claim, claim_batch, finish_many, mark_invalid, record_failure, release_lanes
from bot.loops import poll_until_stopped
from bot.router import Bot
from flex_templates.basic import text as text_message
from models.db import Database
from models.outbox import MAX_MESSAGES_PER_REQUEST, enqueue, insert_claimed, message_body
from models.platform import Conversation, InboundEvent
from texts import platform as platform_texts

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=2)
# Message types whose handler downloads the content from LINE: handled one per transaction.
DOWNLOADED = frozenset({"image", "video", "audio", "file"})


class LostClaim(Exception):
    """Another worker took the event over (our lease ran out): roll back, it will be done there."""


class HandlerFailed(Exception):
    """A handler raised: which event, and what it raised."""

    def __init__(self, claim: Claim, error: Exception) -> None:
        super().__init__(type(error).__name__)
        self.claim = claim
        self.error = error


class LoadingWatch:
    """Shows LINE's loading animation to people still waiting after a delay: one thread for every event.

    It used to be a threading.Timer per event, a thread started and stopped for each message of a burst.
    """

    def __init__(self, line: LinePort) -> None:
        self.line = line
        self._heap: list[tuple[float, int, str, list[bool]]] = []
        self._order = itertools.count()
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None

    def watch(self, user_ids: list[str], after: float) -> list[bool]:
        """Starts watching; set the returned flag's [0] to True (see `done`) when the answers are ready."""
        flag = [False]
        if not user_ids or after <= 0:
            return flag
        due = time.monotonic() + after
        with self._cond:
            for user_id in user_ids:
                heapq.heappush(self._heap, (due, next(self._order), user_id, flag))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="loading-watch", daemon=True)
                self._thread.start()
            self._cond.notify()
        return flag

    @staticmethod
    def done(flag: list[bool]) -> None:
        flag[0] = True

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._heap:
                    self._cond.wait()
                due, _, user_id, flag = self._heap[0]
                wait = due - time.monotonic()
                if flag[0]:
                    heapq.heappop(self._heap)
                    continue
                if wait > 0:
                    self._cond.wait(wait)
                    continue
                heapq.heappop(self._heap)
            try:
                self.line.show_loading(user_id, 10)
            except Exception:  # noqa: BLE001 - cosmetic; never fail anything for it
                log.debug("loading animation not shown", exc_info=True)


class EventWorker:
    def __init__(self, db: Database, bot: Bot, line: LinePort, settings: Any, clock: Callable[[], datetime], *,
                 threads: int = 2, batch: int = 16, max_attempts: int = 5,
                 deliver: Callable[[list[Claimed]], None] | None = None, lease: timedelta = LEASE,
                 loading_after: float = 1.0, linger: float = 0.01) -> None:
        self.db = db
        self.bot = bot
        self.line = line
        self.settings = settings
        self.clock = clock
        self.threads = threads
        self.batch = batch
        self.max_attempts = max_attempts
        self.deliver = deliver
        self.lease = lease
        self.loading_after = loading_after
        self.linger = linger
        self.loading = LoadingWatch(line)
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._workers: list[threading.Thread] = []

    # ---- claiming -----------------------------------------------------------------------------------------------
    def claim_batch(self, limit: int) -> list[Claim]:
        with self.db.transaction() as session:
            return claim_batch(session, self.clock(), self.lease, limit)

    def claim(self) -> Claim | None:
        claims = self.claim_batch(1)
        return claims[0] if claims else None

    # ---- handling -----------------------------------------------------------------------------------------------
    def process(self, claim: Claim) -> str:
        """Runs the handler for one claimed event. Returns 'done', 'invalid', 'pending' (will retry), 'failed'
        or 'lost'."""
        return self.process_batch([claim])[claim.event_id]

    def process_batch(self, claims: list[Claim]) -> dict[int, str]:
        """Handles claimed events (of different sources) and returns each one's outcome by event id."""
        together = [c for c in claims if not _downloads(c.payload)]
        outcomes: dict[int, str] = {}
        if together:
            outcomes.update(self._run(together))
        for claim in claims:
            if claim.event_id not in outcomes:
                outcomes.update(self._run([claim]))
        return outcomes

    def _run(self, claims: list[Claim]) -> dict[int, str]:
        people = [uid for c in claims if (uid := _person_waiting(c.payload))]
        flag = self.loading.watch(people, self.loading_after)
        try:
            replies, outcomes = self._transaction(claims, self._prefetch(claims))
        except LostClaim:
            return {c.event_id: "lost" for c in claims}
        except HandlerFailed as failure:
            if len(claims) == 1:
                log.error("event %s failed: %s", failure.claim.event_id, type(failure.error).__name__)
                return {failure.claim.event_id: self._failed(failure.claim, failure.error)}
            # Undo the batch and give each event a transaction of its own, so only the failing one fails.
            results: dict[int, str] = {}
            for claim in claims:
                results.update(self._run([claim]))
            return results
        finally:
            LoadingWatch.done(flag)
        if replies and self.deliver is not None:
            self.deliver(replies)
        return outcomes

    def _prefetch(self, claims: list[Claim]) -> dict[int, bytes | Exception]:
        """Fetches the photos of these events from LINE before their transaction opens (a network call inside it
        would hold the database, on SQLite its one writer lock, for as long as LINE takes). A failure is kept for
        the handler, which answers it politely (ctx.message_content raises it)."""
        fetched: dict[int, bytes | Exception] = {}
        for claim in claims:
            message = claim.payload.get("message")
            if claim.payload.get("type") == "message" and isinstance(message, dict) and message.get("type") == "image":
                try:
                    fetched[claim.event_id] = self.line.get_message_content(str(message.get("id", "")),
                                                                            max_bytes=MAX_CONTENT_BYTES)
                except Exception as exc:  # noqa: BLE001 - content gone or LINE away: the handler says so
                    fetched[claim.event_id] = exc
        return fetched

    def _transaction(self, claims: list[Claim], fetched: dict[int, bytes | Exception] | None = None
                     ) -> tuple[list[Claimed], dict[int, str]]:
        with self.db.transaction() as session:
            now = self.clock()
            outcomes: dict[int, str] = {}
            done: list[Claim] = []
            rows: list[dict[str, Any]] = []
            # Who of this batch is in a chat flow: one query for all (their rows stay in the session for the flow).
            talking = {uid for c in claims if c.payload.get("type") == "message" and (uid := _person_waiting(c.payload))}
            if talking:
                talking = {row.line_user_id for row in session.scalars(
                    select(Conversation).where(Conversation.line_user_id.in_(talking)))}
            if self.bot.before_batch is not None and len(claims) > 1:
                people = [uid for c in claims if (uid := _user_of(c.payload))]
                if people:
                    self.bot.before_batch(session, people)
            for claim in claims:
                problem = event_problem(claim.payload)
                if problem is not None:
                    # Wrong-typed fields fail the same way every time: mark it once, for staff to see.
                    if not mark_invalid(session, claim, now, problem):
                        raise LostClaim()
                    outcomes[claim.event_id] = "invalid"
                    continue
                ctx = Context(session=session, event=claim.payload, now=now, line=self.line, settings=self.settings,
                              prefetched=(fetched or {}).get(claim.event_id))
                if claim.payload.get("type") == "message":
                    ctx.in_conversation = _person_waiting(claim.payload) in talking
                try:
                    self.bot.handle(ctx)
                except Exception as exc:  # noqa: BLE001 - any handler bug: retry later, then show staff
                    raise HandlerFailed(claim, exc) from exc
                rows += self._answer_rows(ctx, claim, now)
                done.append(claim)
                outcomes[claim.event_id] = "done"
            if not finish_many(session, done, now):
                raise LostClaim()
            replies = self._insert_answers(session, rows, now)
            release_lanes(session, claims, now)
        return replies, outcomes

    def _answer_rows(self, ctx: Context, claim: Claim, now: datetime) -> list[dict[str, Any]]:
        """The outbox rows that answer this event: a reply while its token is usable, else a push."""
        messages = list(ctx.replies)
        if ctx.flow_note and messages:
            messages.insert(0, text_message(ctx.flow_note))
        user_id = ctx.user_id
        if not messages or not isinstance(user_id, str):
            return []
        token = ctx.event.get("replyToken")
        fresh = claim.received_at is not None and now - claim.received_at <= REPLY_TOKEN_USABLE
        source = f"event:{ctx.event.get('webhookEventId', '')}"[:80]
        first, rest = messages[:MAX_MESSAGES_PER_REQUEST], messages[MAX_MESSAGES_PER_REQUEST:]
        rows = []
        if fresh and isinstance(token, str) and token:
            rows.append(_row("reply", first, user_id, source, reply_token=token))
        else:
            # A reply token lives about a minute from the event; a late (retried) event answers by push.
            rows.append(_row("push", first, user_id, source))
        if rest:
            log.warning("handler produced %d messages; extra ones go as a push", len(messages))
            rows.append(_row("push", rest[:MAX_MESSAGES_PER_REQUEST], user_id, source))
        return rows

    @staticmethod
    def _insert_answers(session: Any, rows: list[dict[str, Any]], now: datetime) -> list[Claimed]:
        """Writes the answers already claimed for sending by us, and returns them ready to send."""
        if not rows:
            return []
        token = str(uuid.uuid4())
        ids = insert_claimed(session, rows, now, token, now + OUTBOX_LEASE)
        answers = []
        for row_id, row in zip(ids, rows, strict=True):
            body = message_body(row["kind"], row["messages"], reply_token=row["reply_token"],
                                recipients=row["recipients"])
            answers.append(Claimed(row_id, token, row["kind"], body, row["retry_key"], now))
        return answers

    def _failed(self, claim: Claim, exc: Exception) -> str:
        # Where it failed, not the exception's message: messages can quote what the person typed (PDPA).
        error = "".join(traceback.format_tb(exc.__traceback__)) + type(exc).__qualname__
        if exc.__cause__ is not None:
            error += f" (caused by {type(exc.__cause__).__qualname__})"
        with self.db.transaction() as session:
            now = self.clock()
            status = record_failure(session, claim, now, error, self.max_attempts)
            if status == "failed":
                event = session.get(InboundEvent, claim.event_id)
                user_id = _person_waiting(event.payload) if event else None
                if user_id:
                    # Tell the person something went wrong rather than leave them waiting in silence.
                    enqueue(session, "push", [text_message(platform_texts.SYSTEM_ERROR)], now=now, recipients=[user_id],
                            source=f"event-failed:{event.id}")
            if status != "lost":
                release_lanes(session, [claim], now)
        return status

    # ---- loops ----------------------------------------------------------------------------------------------
    def run_once(self) -> int:
        """Claims and handles one batch. Returns the number of events claimed."""
        claims = self.claim_batch(self.batch)
        if claims:
            self.process_batch(claims)
        return len(claims)

    def run_until_idle(self, max_events: int = 100_000) -> int:
        """Processes everything due now in the calling thread (tests and commands). Returns events handled."""
        count = 0
        while count < max_events:
            handled = self.run_once()
            if not handled:
                break
            count += handled
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
        poll_until_stopped(self._stop, self._wake, self.run_once, "event", after_work=self._linger)

    def _linger(self, worked: int) -> None:
        # A part-filled batch: let a few more events arrive before claiming again. Each batch costs about ten
        # statements whatever its size, so at a steady trickle this halves the CPU per event for a few milliseconds
        # of delay (docs/BENCHMARKS.md, end to end).
        if worked < self.batch and self.linger > 0:
            self._stop.wait(self.linger)


def _row(kind: str, messages: list[dict], user_id: str, source: str,
         reply_token: str | None = None) -> dict[str, Any]:
    return {"kind": kind, "retry_key": str(uuid.uuid4()), "reply_token": reply_token, "recipients": [user_id],
            "messages": messages, "source": source}


def _person_waiting(payload: dict) -> str | None:
    """The user who is waiting for an answer to this event (a message or a tap), if any."""
    return _user_of(payload) if payload.get("type") in ("message", "postback") else None


def _user_of(payload: dict) -> str | None:
    source = payload.get("source")
    user_id = source.get("userId") if isinstance(source, dict) else None
    return user_id if isinstance(user_id, str) and user_id else None


def _downloads(payload: dict) -> bool:
    message = payload.get("message")
    return payload.get("type") == "message" and isinstance(message, dict) and message.get("type") in DOWNLOADED
