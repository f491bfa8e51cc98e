"""Sends outbox rows to LINE: batches already split, retry keys already fixed, backoff on faults.

Rules (LINE's): a repeat of an accepted retry key answers 409 with x-line-accepted-request-id, which means the
first try was delivered; 429 means slow down; other 4xx will never succeed, so the row becomes a dead letter
that keeps LINE's error details for staff. A reply whose token is expired or invalid is re-sent as a push.
"""

from __future__ import annotations

import logging
import queue
import random
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import and_, bindparam, or_, select, update

from bot.line_client import OutgoingRequest, SendResult
from bot.loops import poll_until_stopped
from bot.ratelimit import RateLimits
from models.db import Database
from models.outbox import request_body
from models.platform import OutboxMessage

log = logging.getLogger(__name__)

LEASE = timedelta(seconds=90)
# Reply tokens live about a minute; after this we stop trying them and push instead.
REPLY_TOKEN_USABLE = timedelta(seconds=50)


@dataclass(frozen=True)
class Claimed:
    """A row this dispatcher has claimed, with the request body ready to send."""

    id: int
    token: str
    kind: str
    body: dict
    retry_key: str
    created_at: datetime


class Sender(Protocol):
    def send(self, kind: str, body: dict, retry_key: str | None = None) -> SendResult: ...


def backoff_seconds(attempt: int, base: float = 0.1, cap: float = 300.0) -> float:
    """Exponential backoff with jitter: a random wait in [base*2^(n-1)/2, base*2^(n-1)], capped.

    The first retry is quick (most 5xx are momentary and a fan-out shouldn't stall on one batch); repeated
    failures back off to minutes, so an outage of LINE is ridden out for several minutes before a dead letter."""
    ceiling = min(cap, base * (2 ** max(0, attempt - 1)))
    return random.uniform(ceiling / 2, ceiling)


class Dispatcher:
    """Drains the outbox; any number of processes may run one (rows are claimed).

    Sending is I/O: each request to LINE waits on the network (100 ms is ordinary), so up to `threads` requests
    are in flight at once and LINE's rate limits, not a thread count, bound the throughput: 256 in flight at 100
    ms a call is 2,560 requests a second against LINE's 2,000 for replies and pushes. A sender with `send_many_async`
    (bot/line_client.py: aiohttp on one event-loop thread) needs no thread per request; one that can only block
    gets a thread pool of that size. Outcomes are written back by one recorder thread, many rows per statement.
    """

    def __init__(self, db: Database, sender: Sender, clock: Callable[[], datetime], *, threads: int = 256,
                 max_attempts: int = 12, rate_limits: RateLimits | None = None, batch: int = 100,
                 backoff_base: float = 0.1) -> None:
        self.db = db
        self.sender = sender
        self.clock = clock
        self.threads = threads
        self.max_attempts = max_attempts
        self.limits = rate_limits or RateLimits()
        self.batch = batch
        self.backoff_base = backoff_base
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._workers: list[threading.Thread] = []
        self._pool: ThreadPoolExecutor | None = None
        self._slots = threading.Semaphore(threads)
        self._results: queue.SimpleQueue[tuple[Claimed, SendResult | None]] = queue.SimpleQueue()

    # ---- claiming -------------------------------------------------------------------------------------------
    def claim(self, limit: int, ids: list[int] | None = None) -> list[Claimed]:
        """Marks up to `limit` due rows as being sent by us and returns what to send, in one transaction."""
        now = self.clock()
        with self.db.transaction() as session:
            due = or_(
                and_(OutboxMessage.status == "pending", OutboxMessage.available_at <= now),
                and_(OutboxMessage.status == "sending", OutboxMessage.locked_until < now),
            )
            stmt = select(OutboxMessage).where(due)
            if ids is not None:
                stmt = stmt.where(OutboxMessage.id.in_(ids))
            stmt = stmt.order_by(OutboxMessage.id).limit(limit)
            if self.db.dialect == "postgresql":
                stmt = stmt.with_for_update(skip_locked=True)
            rows = list(session.scalars(stmt))
            if not rows:
                return []
            token = str(uuid.uuid4())
            session.execute(update(OutboxMessage).where(OutboxMessage.id.in_([r.id for r in rows])).values(
                status="sending", claim_token=token, locked_until=now + LEASE))
            return [Claimed(r.id, token, r.kind, request_body(r), r.retry_key, r.created_at) for r in rows]

    # ---- sending --------------------------------------------------------------------------------------------
    def send_batch(self, claims: list[Claimed]) -> dict[int, str]:
        """Sends claimed rows one after another in the calling thread and records what happened."""
        return self._record([(claimed, self._send(claimed)) for claimed in claims])

    def _record(self, results: list[tuple[Claimed, SendResult | None]]) -> dict[int, str]:
        """Records outcomes: successes together in one statement, anything else row by row. Returns statuses."""
        outcomes: dict[int, str] = {}
        sent: list[tuple[Claimed, SendResult]] = []
        for claimed, result in results:
            if result is None:  # handled already (released for later, or turned into a push)
                continue
            if result.delivered:
                sent.append((claimed, result))
            else:
                outcomes[claimed.id] = self._record_failure(claimed.id, claimed.token, claimed.kind, result)
        if sent:
            self._record_sent(sent)
            outcomes.update({c.id: "sent" for c, _ in sent})
        return outcomes

    def deliver(self, claims: list[Claimed]) -> None:
        """Sends rows that the caller claimed itself (a worker's replies, written already claimed by it).

        With the sender pool running they go out at once, in parallel, and the caller goes on; otherwise (tests,
        commands) they are sent in the calling thread before this returns.
        """
        if not claims:
            return
        if self._pool is None:
            self.send_batch(claims)
            return
        for _ in claims:
            self._slots.acquire()
        self._dispatch(claims)

    def _dispatch(self, claims: list[Claimed]) -> None:
        """Starts sending rows whose sender slots the caller took; the outcomes go to the recorder thread."""
        ready: list[tuple[Claimed, float]] = []
        for claimed in claims:
            try:
                wait = self._ready(claimed)
            except Exception:  # noqa: BLE001 - e.g. the database briefly away while turning a reply into a push
                log.exception("outbox %s: could not prepare the send", claimed.id)
                wait = None  # its lease runs out and it is sent again
            if wait is None:
                self._slots.release()
            else:
                ready.append((claimed, wait))
        send_many = getattr(self.sender, "send_many_async", None)
        if send_many is None:  # a sender that can only block: a thread per request in flight
            for claimed, wait in ready:
                if self._pool is None:
                    self._slots.release()
                else:
                    self._pool.submit(self._send_in_pool, claimed, wait)
            return
        requests = []
        for claimed, wait in ready:
            def done(result: SendResult, claimed: Claimed = claimed) -> None:
                self._slots.release()
                self._results.put((claimed, result))

            kind = claimed.kind
            delay = (lambda kind=kind: self.limits.wait_time(kind)) if wait > 0 else None
            requests.append(OutgoingRequest(kind, claimed.body, claimed.retry_key if kind != "reply" else None,
                                            done, delay))
        if requests:
            send_many(requests)

    def _send_in_pool(self, claimed: Claimed, wait: float) -> None:
        try:
            result = self._send_after(claimed, wait)
        finally:
            self._slots.release()
        self._results.put((claimed, result))

    def _ready(self, claimed: Claimed) -> float | None:
        """Whether the row may go now: None if it was dealt with here (a reply too old for its token became a
        push, or LINE's rate limit makes it wait over a second, so it goes back to the queue), else how long to
        wait for the rate limit (0: its slot is taken)."""
        now = self.clock()
        if claimed.kind == "reply" and now - claimed.created_at > REPLY_TOKEN_USABLE:
            self._reply_to_push(claimed.id, claimed.token, {"message": "reply token too old"})
            return None
        wait = self.limits.wait_time(claimed.kind)
        if wait > 1.0:
            self._release(claimed.id, claimed.token, now + timedelta(seconds=wait), count_attempt=False)
            return None
        return wait

    def _send(self, claimed: Claimed) -> SendResult | None:
        wait = self._ready(claimed)
        return None if wait is None else self._send_after(claimed, wait)

    def _send_after(self, claimed: Claimed, wait: float) -> SendResult:
        while wait > 0:
            time.sleep(min(wait, 0.05))
            wait = self.limits.wait_time(claimed.kind)
        try:
            return self.sender.send(claimed.kind, claimed.body, claimed.retry_key if claimed.kind != "reply" else None)
        except Exception as exc:  # noqa: BLE001 - a body the client refuses must not kill the thread
            log.exception("outbox %s: sender raised", claimed.id)
            return SendResult(status=400, error={"message": f"client refused the request: {type(exc).__name__}"})

    def _record_sent(self, sent: list[tuple[Claimed, SendResult]]) -> None:
        table = OutboxMessage.__table__
        now = self.clock()
        stmt = update(table).where(table.c.id == bindparam("b_id"), table.c.claim_token == bindparam("b_token")).values(
            status="sent", sent_at=now, locked_until=None, last_status=bindparam("b_status"),
            line_request_id=bindparam("b_request_id"))
        with self.db.engine.begin() as conn:
            conn.execute(stmt, [{"b_id": c.id, "b_token": c.token, "b_status": r.status,
                                 "b_request_id": r.accepted_request_id or r.request_id} for c, r in sent])

    def _record_failure(self, row_id: int, token: str, kind: str, result: SendResult) -> str:
        """Decides what an unsuccessful answer means for the row (successes are recorded per batch)."""
        now = self.clock()
        if kind == "reply" and result.status == 400 and "reply token" in str(result.error.get("message", "")).lower():
            return self._reply_to_push(row_id, token, result.error)
        if result.status == 429:
            delay = result.retry_after or backoff_seconds(2, self.backoff_base)
            return self._release(row_id, token, now + timedelta(seconds=delay), count_attempt=False,
                                 status=429, error=result.error)
        if result.status is None or result.status >= 500:
            return self._release(row_id, token, None, count_attempt=True, status=result.status, error=result.error)
        # Any other 4xx will fail the same way every time: keep LINE's explanation for staff.
        with self.db.transaction() as session:
            session.execute(update(OutboxMessage).where(
                OutboxMessage.id == row_id, OutboxMessage.claim_token == token).values(
                status="dead", last_status=result.status, locked_until=None,
                last_error={"status": result.status, **result.error}))
        log.warning("outbox %s: dead letter (HTTP %s)", row_id, result.status)
        return "dead"

    def _release(self, row_id: int, token: str, when: datetime | None, *, count_attempt: bool,
                 status: int | None = None, error: dict | None = None) -> str:
        with self.db.transaction() as session:
            row = session.get(OutboxMessage, row_id)
            if row is None or row.claim_token != token:
                return "lost"
            if count_attempt:
                row.attempts += 1
            row.last_status = status
            if error is not None or status is None:
                row.last_error = {"status": status, **(error or {"message": "no answer (timeout)"})}
            if count_attempt and row.attempts >= self.max_attempts:
                row.status, row.locked_until = "dead", None
                return "dead"
            if when is None:
                when = self.clock() + timedelta(seconds=backoff_seconds(row.attempts, self.backoff_base))
            row.status, row.available_at, row.locked_until = "pending", when, None
        delay = (when - self.clock()).total_seconds()
        if 0 < delay < 10 and self._workers:
            # Idle senders poll only every half second: wake one exactly when this row is due again.
            timer = threading.Timer(delay, self._wake.set)
            timer.daemon = True
            timer.start()
        return "pending"

    def _reply_to_push(self, row_id: int, token: str, error: dict) -> str:
        """Replaces a reply that can no longer use its token by a push to the same user."""
        from models.outbox import enqueue

        with self.db.transaction() as session:
            row = session.get(OutboxMessage, row_id)
            if row is None or row.claim_token != token:
                return "lost"
            push = enqueue(session, "push", row.messages, now=self.clock(), recipients=row.recipients[:1],
                           source=row.source, options=row.options)[0]
            session.flush()
            row.status, row.locked_until, row.replaced_by_id = "replaced", None, push.id
            row.last_error = {"message": "reply token unusable; sent as push", "line": error}
        self._wake.set()
        return "replaced"

    # ---- loops ----------------------------------------------------------------------------------------------
    def run_once(self) -> int:
        claims = self.claim(self.batch)
        self.send_batch(claims)
        return len(claims)

    def run_until_idle(self, max_rounds: int = 100_000) -> None:
        """Sends everything due now (tests and commands); rows backing off into the future are left."""
        for _ in range(max_rounds):
            if self.run_once() == 0:
                return

    def wake(self) -> None:
        self._wake.set()

    def start(self) -> None:
        self._stop.clear()
        self._pool = ThreadPoolExecutor(self.threads, thread_name_prefix="outbox-send")
        for name, target in (("outbox-claim", self._loop), ("outbox-record", self._record_loop)):
            thread = threading.Thread(target=target, name=name, daemon=True)
            thread.start()
            self._workers.append(thread)

    def stop(self, timeout: float = 5.0) -> None:
        """Stops claiming, lets the requests already in flight finish (up to `timeout`) and records every outcome,
        so a clean stop leaves no row 'sending' (one that does is sent again after its lease)."""
        self._stop.set()
        self._wake.set()
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=False)
        for thread in self._workers:
            thread.join(timeout)
        self._workers.clear()
        self._await_in_flight(timeout)
        while not self._results.empty():
            self._drain_results()

    def _await_in_flight(self, timeout: float) -> None:
        """Waits until every sender slot is free again: each request in flight frees its slot when it is answered
        (requests on the aiohttp loop are not the pool's, so shutting the pool down does not wait for them)."""
        deadline = time.monotonic() + timeout
        taken = 0
        while taken < self.threads and self._slots.acquire(timeout=max(0.0, deadline - time.monotonic())):
            taken += 1
        for _ in range(taken):
            self._slots.release()

    def _loop(self) -> None:
        """Claims due rows while senders are free and hands them to the pool (-1: none was free, try again)."""
        poll_until_stopped(self._stop, self._wake, self._claim_for_pool, "outbox")

    def _claim_for_pool(self) -> int:
        """Claims as many due rows as there are free senders (at most `batch`). Returns -1 when none was free."""
        if not self._slots.acquire(timeout=0.5):
            return -1
        free = 1
        while free < self.batch and self._slots.acquire(blocking=False):
            free += 1
        claims: list[Claimed] = []
        try:
            claims = self.claim(free)
        finally:
            for _ in range(free - len(claims)):
                self._slots.release()
        if self._pool is None:  # stopping: the rows' lease runs out and they are sent again
            for _ in claims:
                self._slots.release()
            return len(claims)
        self._dispatch(claims)
        return len(claims)

    def _record_loop(self) -> None:
        while not self._stop.is_set():
            self._drain_results(wait=0.5)

    def _drain_results(self, wait: float = 0.0) -> None:
        """Records every outcome waiting (after the first, waiting up to `wait` seconds for one)."""
        batch: list[tuple[Claimed, SendResult | None]] = []
        try:
            batch.append(self._results.get(timeout=wait) if wait else self._results.get_nowait())
        except queue.Empty:
            return
        while len(batch) < 500:
            try:
                batch.append(self._results.get_nowait())
            except queue.Empty:
                break
        try:
            self._record(batch)
        except Exception:  # noqa: BLE001 - the rows keep their lease and are sent again after it
            log.exception("outbox: could not record %d outcome(s)", len(batch))
