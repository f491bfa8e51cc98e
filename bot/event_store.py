"""Stores webhook events before the 200 and hands them to workers one user at a time, in order."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, delete, insert, or_, select, text, update
from sqlalchemy.orm import Session

from bot.event_shape import event_rows
from models.db import Database
from models.platform import OPEN_EVENTS_SQL as OPEN_SQL
from models.platform import EventLane, InboundEvent


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
    """One event a worker may handle until its lease runs out; the payload comes with it (no second read)."""

    event_id: int
    token: str
    source_key: str = ""
    payload: dict = field(default_factory=dict, compare=False, repr=False)
    received_at: datetime | None = None


_EVENTS = InboundEvent.__table__
_LANES = EventLane.__table__


def _head(column: Any) -> Any:
    """`column` of the lane's first unfinished event, as a correlated subquery: one seek in ix_inbound_events_open.

    The status test is written literally (OPEN_EVENTS), as in the index: neither SQLite nor PostgreSQL's generic
    plans can use a partial index whose condition they can't see in the query.
    """
    head = _EVENTS.alias("head")
    return (select(head.c[column]).where(head.c.source_key == _LANES.c.source_key, text("head." + OPEN_SQL))
            .order_by(head.c.id).limit(1).scalar_subquery())


# Lanes ready within this long are served before lanes that have waited longer (see claim_batch).
RECENT = timedelta(seconds=1)


def claim_batch(session: Session, now: datetime, lease: timedelta, limit: int) -> list[Claim]:
    """Claims the next event of up to `limit` sources, and returns them with their payloads.

    Lanes ready in the last second go first, in the order they became ready (round-robin: a lane that was just
    served is ready again only now, behind everyone who was waiting); lanes that have waited longer go after
    them, oldest first. Under a backlog that is adaptive LIFO: whoever writes now is answered within about a
    second, while their reply token is still usable, and the backlog drains behind them at the same rate (its
    people were going to get a push anyway). A lane whose lease ran out belongs to a crashed worker and is
    served again. The cost is a few index seeks per claimed event, whatever the backlog.
    """
    postgresql = session.get_bind().dialect.name == "postgresql"
    free = or_(_LANES.c.locked_until.is_(None), _LANES.c.locked_until < now)
    keys: list[str] = []
    for window in (and_(_LANES.c.ready_at > now - RECENT, _LANES.c.ready_at <= now),
                   _LANES.c.ready_at <= now - RECENT):
        ready = (select(_LANES.c.source_key).where(window, free)
                 .order_by(_LANES.c.ready_at, _LANES.c.id).limit(limit - len(keys)))
        if postgresql:
            ready = ready.with_for_update(skip_locked=True)
        keys += session.execute(ready).scalars()
        if len(keys) >= limit:
            break
    if not keys:
        return []
    token = str(uuid.uuid4())
    until = now + lease
    if postgresql:
        found = session.execute(_PG_CLAIM, {"keys": keys, "token": token, "until": until, "now": now}).all()
        claimed = {row.source_key: row for row in found}
        claims = [Claim(row.id, token, row.source_key, row.payload, row.received_at)
                  for key in keys if (row := claimed.get(key)) is not None]
        if len(claims) < len(keys):  # a lane with nothing due: rare, the general path sorts it out
            _settle_lanes(session, [key for key in keys if key not in claimed], token, now)
        return claims
    session.execute(update(_LANES).where(_LANES.c.source_key.in_(keys)).values(locked_until=until, claim_token=token))
    rows = session.execute(
        select(_EVENTS.c.id, _EVENTS.c.source_key, _EVENTS.c.payload, _EVENTS.c.received_at, _EVENTS.c.available_at)
        .where(_EVENTS.c.id.in_(select(_head("id")).where(_LANES.c.claim_token == token)))
    ).all()
    heads = {row.source_key: row for row in rows if row.available_at <= now}
    if len(heads) < len(keys):  # a lane with nothing due (emptied elsewhere, or backing off): hand it back
        _settle_lanes(session, [key for key in keys if key not in heads], token, now)
    due = [heads[key] for key in keys if key in heads]
    if not due:
        return []
    session.execute(update(_EVENTS).where(_EVENTS.c.id.in_([row.id for row in due])).values(
        status="processing", claim_token=token, locked_until=until, attempts=_EVENTS.c.attempts + 1))
    return [Claim(row.id, token, row.source_key, row.payload, row.received_at) for row in due]


def _settle_lanes(session: Session, keys: list[str], token: str, now: datetime) -> None:
    """Hands back lanes claimed by `token`: deleted if empty, else ready again when their head is due, and no
    earlier than now (round-robin: a lane just served goes behind everyone who was waiting)."""
    heads = session.execute(select(_LANES.c.source_key, _head("available_at").label("next_at")).where(
        _LANES.c.source_key.in_(keys), _LANES.c.claim_token == token)).all()
    empty = [row.source_key for row in heads if row.next_at is None]
    if empty:
        session.execute(delete(_LANES).where(_LANES.c.source_key.in_(empty), _LANES.c.claim_token == token))
    again = [row.source_key for row in heads if row.next_at is not None and row.next_at <= now]
    if again:
        session.execute(update(_LANES).where(_LANES.c.source_key.in_(again), _LANES.c.claim_token == token)
                        .values(ready_at=now, locked_until=None, claim_token=None))
    for row in heads:
        if row.next_at is not None and row.next_at > now:  # backing off after a failure: wait for it
            session.execute(update(_LANES).where(_LANES.c.source_key == row.source_key, _LANES.c.claim_token == token)
                            .values(ready_at=row.next_at, locked_until=None, claim_token=None))


# PostgreSQL: a claim's three steps in one statement (lease the lanes, find each one's head, mark the heads), and
# a release's three in one after the lock; round trips are most of what a small batch costs there. SQLite runs
# the same steps as separate statements (no round trips to save: it is in the process).
_HEAD_SQL = ("SELECT {column} FROM inbound_events h WHERE h.source_key = l.source_key AND h." + OPEN_SQL +
             " ORDER BY h.id LIMIT 1")
_PG_CLAIM = text(
    "WITH l AS (UPDATE event_lanes SET locked_until = :until, claim_token = :token "
    "           WHERE source_key = ANY(:keys) RETURNING source_key), "
    "     heads AS (SELECT (" + _HEAD_SQL.format(column="h.id") + ") AS id FROM l) "
    "UPDATE inbound_events e SET status = 'processing', claim_token = :token, locked_until = :until, "
    "       attempts = e.attempts + 1 "
    "FROM heads WHERE e.id = heads.id AND e.available_at <= :now "
    "RETURNING e.id, e.source_key, e.payload, e.received_at"
).bindparams(bindparam("until", type_=_LANES.c.locked_until.type), bindparam("now", type_=_LANES.c.ready_at.type)
             ).columns(_EVENTS.c.id, _EVENTS.c.source_key, _EVENTS.c.payload, _EVENTS.c.received_at)
_PG_RELEASE = text(
    "WITH nexts AS (SELECT l.source_key, (" + _HEAD_SQL.format(column="h.available_at") + ") AS next_at "
    "               FROM event_lanes l WHERE l.source_key = ANY(:keys) AND l.claim_token = :token), "
    "     gone AS (DELETE FROM event_lanes d USING nexts n "
    "              WHERE d.source_key = n.source_key AND n.next_at IS NULL AND d.claim_token = :token) "
    "UPDATE event_lanes u SET ready_at = GREATEST(n.next_at, :now), locked_until = NULL, claim_token = NULL "
    "FROM nexts n WHERE u.source_key = n.source_key AND n.next_at IS NOT NULL AND u.claim_token = :token"
).bindparams(bindparam("now", type_=_LANES.c.ready_at.type))


def claim_next(session: Session, now: datetime, lease: timedelta) -> Claim | None:
    """Claims the next event of the source that has waited longest (see `claim_batch`)."""
    claims = claim_batch(session, now, lease, 1)
    return claims[0] if claims else None


def release_lanes(session: Session, claims: list[Claim], now: datetime) -> None:
    """Hands the claimed sources back: to the end of the queue if they have more, deleted if they have none.

    Call it at the end of the transaction that finished (or failed) their events. On PostgreSQL the lanes are
    locked first, in one order, and only then is "anything left?" asked, in a new statement: a webhook storing an
    event for one of them either committed before (and is seen) or waits on the lock and, after our commit, finds
    the lane gone and adds it again (the trigger in migrations/versions/0006_event_lanes.py). Nothing is stranded.
    """
    by_token: dict[str, list[str]] = {}
    for claim in claims:
        by_token.setdefault(claim.token, []).append(claim.source_key)
    postgresql = session.get_bind().dialect.name == "postgresql"
    for token, keys in by_token.items():
        mine = select(_LANES.c.source_key).where(_LANES.c.source_key.in_(keys), _LANES.c.claim_token == token)
        if postgresql:
            mine = mine.order_by(_LANES.c.source_key).with_for_update()
        held = list(session.execute(mine).scalars())
        if not held:
            continue
        if postgresql:
            session.execute(_PG_RELEASE, {"keys": held, "token": token, "now": now})
            continue
        _settle_lanes(session, held, token, now)


def open_lane(session: Session, source_key: str, now: datetime) -> None:
    """Makes sure a source whose event was put back in the queue by hand has a lane (the trigger covers inserts)."""
    exists_ = session.execute(select(_LANES.c.source_key).where(_LANES.c.source_key == source_key)).first()
    if exists_ is None:
        session.execute(insert(_LANES).values(source_key=source_key, ready_at=now))


def finish_many(session: Session, claims: list[Claim], now: datetime) -> bool:
    """Marks events done inside their handlers' transaction; False if another worker took any of them over."""
    if not claims:
        return True
    by_token: dict[str, list[int]] = {}
    for claim in claims:
        by_token.setdefault(claim.token, []).append(claim.event_id)
    for token, ids in by_token.items():
        result = session.execute(
            update(_EVENTS).where(_EVENTS.c.id.in_(ids), _EVENTS.c.claim_token == token,
                                  _EVENTS.c.status == "processing")
            .values(status="done", processed_at=now, locked_until=None, last_error=None))
        if result.rowcount != len(ids):
            return False
    return True


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
    session.flush()
    open_lane(session, event.source_key, now)
    return True
