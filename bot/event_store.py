"""Stores webhook events before the 200 and hands them to workers one user at a time, in order."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, exists, or_, select, update
from sqlalchemy.orm import Session, aliased

from bot.event_shape import event_rows
from models.db import Database
from models.platform import InboundEvent


class EventInbox:
    """Stores webhook events on the acknowledgement path: one autocommitted statement through the driver.

    Storing is most of what an acknowledgement costs, and LINE waits for it. Through a SQLAlchemy transaction it
    took four round trips on PostgreSQL (pool pre-ping, BEGIN, INSERT, COMMIT) plus the ORM's own work per call;
    here it is one prepared INSERT … ON CONFLICT DO NOTHING, which is atomic by itself, so a webhook's events (up to
    MAX_ROWS of them) are stored all together or not at all and a redelivered event is a no-op. Values go through the columns' own
    SQLAlchemy types where the driver would store them differently, so the worker reads these rows exactly like
    rows the ORM wrote.
    """

    MAX_ROWS = 200
    COLUMNS = ("webhook_event_id", "source_key", "event_type", "payload", "received_at", "status", "attempts",
               "available_at")

    def __init__(self, db: Database) -> None:
        self.db = db
        self.postgresql = db.dialect == "postgresql"
        table = InboundEvent.__table__
        dialect = db.engine.dialect
        if self.postgresql:
            # JSONB from text, and psycopg sends aware datetimes as timestamptz itself.
            self._row_sql = "(%s, %s, %s, %s::jsonb, %s, 'pending', 0, %s)"
            self._payload: Any = json.dumps
            self._when: Any = lambda value: value
        else:
            self._row_sql = "(?, ?, ?, ?, ?, 'pending', 0, ?)"
            self._payload = table.c.payload.type.bind_processor(dialect) or json.dumps
            self._when = table.c.received_at.type.bind_processor(dialect)
        self._statements: dict[int, str] = {}

    def _statement(self, count: int) -> str:
        """The INSERT for `count` rows, built once per count (LINE sends a few sizes, so this stays small)."""
        sql = self._statements.get(count)
        if sql is None:
            values = ", ".join([self._row_sql] * count)
            sql = (f"INSERT INTO inbound_events ({', '.join(self.COLUMNS)}) VALUES {values} "
                   "ON CONFLICT (webhook_event_id) DO NOTHING")
            self._statements[count] = sql
        return sql

    def store(self, events: list, now: datetime) -> int:
        """Stores the events, ignoring ones already stored. Returns the number of distinct events in the request.

        Raises if they could not be stored: the webhook then answers 500 and LINE delivers them again.
        """
        rows = event_rows(events)
        if not rows:
            return 0
        when = self._when(now)
        # LINE sends a handful of events per request; a larger batch goes in statements of at most MAX_ROWS (each
        # one atomic; if a later one fails the webhook answers 500, and the redelivery skips what was stored).
        for start in range(0, len(rows), self.MAX_ROWS):
            chunk = rows[start:start + self.MAX_ROWS]
            params: list[Any] = []
            for row in chunk:
                params += (row["webhook_event_id"], row["source_key"], row["event_type"],
                           self._payload(row["payload"]), when, when)
            sql = self._statement(len(chunk))
            if self.postgresql:
                self._execute_postgresql(sql, params)
            else:
                self._execute_sqlite(sql, params)
        return len(rows)

    def _execute_postgresql(self, sql: str, params: list[Any]) -> None:
        for attempt in (1, 2):
            cursor = self.db.autocommit_cursor()
            try:
                cursor.execute(sql, params, prepare=True)
                return
            except Exception:
                # A connection the database dropped (a restart, a failover) fails its first statement: throw it
                # away and try once more on a fresh one. Anything else, or a second failure, goes to the caller.
                broken = cursor.connection.broken or cursor.connection.closed
                if broken or attempt == 2:
                    self.db.discard_autocommit_cursor()
                if attempt == 2 or not broken:
                    raise

    def _execute_sqlite(self, sql: str, params: list[Any]) -> None:
        with self.db.sqlite_writer() as connection:
            connection.execute(sql, params)


@dataclass(frozen=True)
class Claim:
    event_id: int
    token: str


def claim_next(session: Session, now: datetime, lease: timedelta) -> Claim | None:
    """Claims the oldest due event whose source has nothing earlier still unfinished.

    A 'processing' event whose lease ran out belongs to a crashed worker and is claimed again.
    """
    earlier = aliased(InboundEvent)
    due = or_(
        and_(InboundEvent.status == "pending", InboundEvent.available_at <= now),
        and_(InboundEvent.status == "processing", InboundEvent.locked_until < now),
    )
    blocked = exists().where(
        earlier.source_key == InboundEvent.source_key,
        earlier.id < InboundEvent.id,
        earlier.status.in_(("pending", "processing")),
    )
    stmt = select(InboundEvent.id).where(due, ~blocked).order_by(InboundEvent.id).limit(1)
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True, of=InboundEvent)
    found = session.execute(stmt).scalar_one_or_none()
    if found is None:
        return None
    token = str(uuid.uuid4())
    session.execute(
        update(InboundEvent).where(InboundEvent.id == found).values(
            status="processing", claim_token=token, locked_until=now + lease, attempts=InboundEvent.attempts + 1,
        )
    )
    return Claim(found, token)


def finish(session: Session, claim: Claim, now: datetime) -> bool:
    """Marks the event done inside the handler's transaction; False if another worker took it over."""
    result = session.execute(
        update(InboundEvent)
        .where(InboundEvent.id == claim.event_id, InboundEvent.claim_token == claim.token,
               InboundEvent.status == "processing")
        .values(status="done", processed_at=now, locked_until=None, last_error=None)
    )
    return result.rowcount == 1


def mark_invalid(session: Session, claim: Claim, now: datetime, reason: str) -> bool:
    """Marks an event whose fields are unusable as 'invalid' (never retried); False if another worker took it."""
    result = session.execute(
        update(InboundEvent)
        .where(InboundEvent.id == claim.event_id, InboundEvent.claim_token == claim.token,
               InboundEvent.status == "processing")
        .values(status="invalid", processed_at=now, locked_until=None, last_error=reason[:4000])
    )
    return result.rowcount == 1


def record_failure(session: Session, claim: Claim, now: datetime, error: str, max_attempts: int) -> str:
    """Schedules a retry with backoff, or marks the event failed for staff to see. Returns the new status."""
    event = session.get(InboundEvent, claim.event_id)
    if event is None or event.claim_token != claim.token:
        return "lost"
    if event.attempts >= max_attempts:
        event.status = "failed"
    else:
        event.status = "pending"
        event.available_at = now + timedelta(seconds=min(300, 2 ** event.attempts))
    event.locked_until = None
    event.last_error = error[-4000:]
    return event.status


def retry_failed(session: Session, event_id_: int, now: datetime) -> bool:
    """Puts a failed event back in the queue with a fresh set of attempts (staff's retry button)."""
    event = session.get(InboundEvent, event_id_)
    if event is None or event.status != "failed":
        return False
    event.status, event.attempts, event.available_at, event.claim_token = "pending", 0, now, None
    return True
