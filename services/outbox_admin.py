"""What staff see and do about work that went wrong: failed events, dead letters, and retrying them.

Events are put back in the queue by `bot.event_store.retry_failed` (services never import bot/); this module
lists them and handles the outbox side, where a retry keeps the row's retry key: a dead letter was never
accepted by LINE, so reusing the key is safe and still stops a duplicate if the retry itself times out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from models.platform import Citizen, InboundEvent, OutboxMessage
from services.errors import Conflict, NotFound

OUTBOX_STATUSES = ("pending", "sending", "sent", "dead", "replaced")
EVENT_STATUSES = ("pending", "processing", "done", "failed")


@dataclass(frozen=True)
class QueueCounts:
    """The numbers on the console's dashboard."""

    citizens_following: int
    events_pending: int
    events_failed: int
    outbox_pending: int
    outbox_dead: int


def queue_counts(session: Session) -> QueueCounts:
    """Counts followers, queued and failed events, queued and dead outgoing messages."""
    events = dict(session.execute(select(InboundEvent.status, func.count()).group_by(InboundEvent.status)).all())
    outbox = dict(session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all())
    following = session.scalar(select(func.count()).select_from(Citizen).where(Citizen.is_following.is_(True)))
    return QueueCounts(
        citizens_following=int(following or 0),
        events_pending=int(events.get("pending", 0) + events.get("processing", 0)),
        events_failed=int(events.get("failed", 0)),
        outbox_pending=int(outbox.get("pending", 0) + outbox.get("sending", 0)),
        outbox_dead=int(outbox.get("dead", 0)),
    )


def _page(session: Session, model, where: ColumnElement[bool], *, before_id: int | None, limit: int) -> list:
    stmt = select(model).where(where)
    if before_id is not None:
        stmt = stmt.where(model.id < before_id)
    return list(session.scalars(stmt.order_by(model.id.desc()).limit(limit)))


def failed_events(session: Session, *, before_id: int | None = None, limit: int = 20) -> list[InboundEvent]:
    """Failed events, newest first; pass the last id seen as `before_id` for the next page."""
    return _page(session, InboundEvent, InboundEvent.status == "failed", before_id=before_id, limit=limit)


def dead_letters(session: Session, *, before_id: int | None = None, limit: int = 20) -> list[OutboxMessage]:
    """Outgoing messages LINE refused for good, newest first; `before_id` pages like `failed_events`."""
    return _page(session, OutboxMessage, OutboxMessage.status == "dead", before_id=before_id, limit=limit)


def error_summary(last_error: str | None, limit: int = 160) -> str:
    """The last line of a stored traceback ("KeyError: 'x'"), short enough for a list."""
    if not last_error:
        return ""
    lines = [line.strip() for line in last_error.strip().splitlines() if line.strip()]
    summary = lines[-1] if lines else ""
    return summary if len(summary) <= limit else summary[: limit - 1] + "…"


def retry_dead_letter(session: Session, outbox_id: int, now: datetime) -> OutboxMessage:
    """Puts a dead letter back in the queue: pending, attempts 0, due now, the SAME retry key."""
    row = session.get(OutboxMessage, outbox_id)
    if row is None:
        raise NotFound("ไม่พบข้อความนี้", code="outbox_not_found")
    if row.status != "dead":
        raise Conflict("ลองส่งใหม่ได้เฉพาะข้อความที่ส่งไม่สำเร็จ", code="not_dead")
    row.status, row.attempts, row.available_at = "pending", 0, now
    row.claim_token, row.locked_until = None, None
    # The dispatcher wakes when a commit wrote outbox rows (see models.outbox).
    session.info["outbox_written"] = True
    session.flush()
    return row
