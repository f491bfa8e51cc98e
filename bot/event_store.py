"""Stores webhook events before the 200 and hands them to workers one user at a time, in order."""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, exists, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, aliased

from models.platform import InboundEvent


def source_key(event: dict) -> str:
    """Events of one source (a user, group or room) are processed in order; different sources in parallel."""
    source = event.get("source") or {}
    for key in ("userId", "groupId", "roomId"):
        if source.get(key):
            return f"{key[0]}:{source[key]}"[:80]
    return "none"


def event_id(event: dict) -> str:
    """LINE's webhookEventId; a stable hash for the rare event without one."""
    value = event.get("webhookEventId")
    if isinstance(value, str) and 0 < len(value) <= 64:
        return value
    digest = hashlib.sha256(json.dumps(event, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    return "h:" + digest[:60]


_INSERTS: dict[str, Any] = {}


def _insert_statement(dialect: str) -> Any:
    """One INSERT … ON CONFLICT DO NOTHING per dialect, built once: SQLAlchemy then reuses its compiled form."""
    stmt = _INSERTS.get(dialect)
    if stmt is None:
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        stmt = insert(InboundEvent.__table__).on_conflict_do_nothing(index_elements=["webhook_event_id"])
        _INSERTS[dialect] = stmt
    return stmt


def store_events(conn: Connection | Session, events: list[dict], now: datetime) -> int:
    """Inserts events, ignoring ones already stored (redeliveries and duplicates). Returns rows considered."""
    rows = []
    seen = set()
    for event in events:
        if not isinstance(event, dict):
            continue
        eid = event_id(event)
        if eid in seen:
            continue
        seen.add(eid)
        rows.append({
            "webhook_event_id": eid, "source_key": source_key(event), "event_type": str(event.get("type", ""))[:32],
            "payload": event, "received_at": now, "status": "pending", "attempts": 0, "available_at": now,
        })
    if not rows:
        return 0
    bind = conn.get_bind() if isinstance(conn, Session) else conn
    conn.execute(_insert_statement(bind.dialect.name), rows)
    return len(rows)


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
