"""What staff see and do about work that went wrong: failed events, dead letters, and retrying them.

Events are put back in the queue by `bot.event_store.retry_failed` (services never import bot/); this module
lists them and handles the outbox side, where a retry keeps the row's retry key: a dead letter was never
accepted by LINE, so reusing the key is safe and still stops a duplicate if the retry itself times out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session

from models.platform import Citizen, InboundEvent, OutboxMessage
from services.errors import Conflict, NotFound
from texts.dates import DEFAULT_TZ, to_local

OUTBOX_STATUSES = ("pending", "sending", "sent", "dead", "replaced")
# 'invalid': LINE sent fields the handlers cannot use (bot.event_shape.event_problem); never retried.
EVENT_STATUSES = ("pending", "processing", "done", "failed", "invalid")


@dataclass(frozen=True)
class QueueCounts:
    """The numbers on the console's dashboard."""

    citizens_following: int
    events_pending: int
    events_failed: int
    outbox_pending: int
    outbox_dead: int
    events_invalid: int = 0


def queue_counts(session: Session) -> QueueCounts:
    """Counts followers, queued, failed and invalid events, queued and dead outgoing messages."""
    events = dict(session.execute(select(InboundEvent.status, func.count()).group_by(InboundEvent.status)).all())
    outbox = dict(session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all())
    following = session.scalar(select(func.count()).select_from(Citizen).where(Citizen.is_following.is_(True)))
    return QueueCounts(
        citizens_following=int(following or 0),
        events_pending=int(events.get("pending", 0) + events.get("processing", 0)),
        events_failed=int(events.get("failed", 0)),
        outbox_pending=int(outbox.get("pending", 0) + outbox.get("sending", 0)),
        outbox_dead=int(outbox.get("dead", 0)),
        events_invalid=int(events.get("invalid", 0)),
    )


def _page(session: Session, model, where: ColumnElement[bool], *, before_id: int | None, limit: int) -> list:
    stmt = select(model).where(where)
    if before_id is not None:
        stmt = stmt.where(model.id < before_id)
    return list(session.scalars(stmt.order_by(model.id.desc()).limit(limit)))


def failed_events(session: Session, *, before_id: int | None = None, limit: int = 20) -> list[InboundEvent]:
    """Failed and invalid events, newest first; pass the last id seen as `before_id` for the next page.

    Only a failed one can be retried: an invalid one would fail the same way every time.
    """
    return _page(session, InboundEvent, InboundEvent.status.in_(("failed", "invalid")), before_id=before_id,
                 limit=limit)


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


_FRAME = re.compile(r'File "(?P<file>[^"]+)", line (?P<line>\d+), in (?P<func>\S+)')
_PROJECT_DIRS = ("handlers", "services", "bot", "web", "models", "flex_templates", "scheduler", "texts")


def error_place(last_error: str | None) -> str:
    """Where a stored failure happened, in our own code ("handlers/trainings.py:120 in answer_phone"): the last
    frame inside the project, else the last frame. Nothing of the message, which may quote what a person typed."""
    frames = list(_FRAME.finditer(last_error or ""))
    if not frames:
        return ""
    ours = [f for f in frames if any(f"/{d}/" in f["file"].replace("\\", "/") for d in _PROJECT_DIRS)]
    frame = (ours or frames)[-1]
    path = frame["file"].replace("\\", "/")
    for directory in _PROJECT_DIRS:
        marker = f"/{directory}/"
        if marker in path:
            path = directory + "/" + path.rsplit(marker, 1)[1]
            break
    else:
        path = path.rsplit("/", 1)[-1]
    return f"{path}:{frame['line']} in {frame['func']}"


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


# ---- what was sent, and what it cost -----------------------------------------------------------------------------
# Replies are free. Every other kind costs one message of the monthly quota per recipient, however many message
# objects (up to 5) the request carries; a broadcast's or narrowcast's recipient_count is the audience counted when
# it was queued, so LINE's own consumption figure stays the authority.
PAID_KINDS = ("push", "multicast", "broadcast", "narrowcast")


@dataclass(frozen=True)
class DaySends:
    """What LINE accepted on one local day: reply requests, and quota messages (recipients) per paid kind."""

    day: date
    replies: int = 0
    push: int = 0
    multicast: int = 0
    broadcast: int = 0
    narrowcast: int = 0

    @property
    def paid(self) -> int:
        """Messages counted against the monthly quota."""
        return self.push + self.multicast + self.broadcast + self.narrowcast


@dataclass(frozen=True)
class SendsOverview:
    """The dashboard's figures on sending: the last days (oldest first, today last) and this month's paid count."""

    days: list[DaySends]
    month_start: date
    month_paid: int

    @property
    def replies(self) -> int:
        return sum(day.replies for day in self.days)

    @property
    def paid(self) -> int:
        return sum(day.paid for day in self.days)


def _local_midnight(day: date, tz: str) -> datetime:
    # Through the zone, so a day runs midnight to midnight local time whatever the zone's UTC offset that day.
    return datetime.combine(day, time(), tzinfo=ZoneInfo(tz)).astimezone(UTC)


def sends_overview(session: Session, now: datetime, tz: str = DEFAULT_TZ, days: int = 7) -> SendsOverview:
    """Counts sent outbox rows per local day for the last `days` days (today included) and this month.

    Two queries, each an index range on (status, sent_at) over the period only, so the outbox's size doesn't matter.
    """
    today = to_local(now, tz).date()
    first_day, month_start = today - timedelta(days=days - 1), today.replace(day=1)
    starts = [_local_midnight(first_day + timedelta(days=i), tz) for i in range(days)]
    end = _local_midnight(today + timedelta(days=1), tz)
    sent = (OutboxMessage.status == "sent", OutboxMessage.sent_at < end)

    # Which day a row belongs to, as the offset from the first day: the newest start it is not before.
    day_index = case(*[(OutboxMessage.sent_at >= starts[i], i) for i in range(days - 1, 0, -1)], else_=0)
    inner = (select(day_index.label("day"), OutboxMessage.kind.label("kind"),
                    OutboxMessage.recipient_count.label("recipients"))
             .where(*sent, OutboxMessage.sent_at >= starts[0]).subquery())
    totals: dict[int, dict[str, int]] = {i: {} for i in range(days)}
    for index, kind, requests, recipients in session.execute(
            select(inner.c.day, inner.c.kind, func.count(), func.coalesce(func.sum(inner.c.recipients), 0))
            .group_by(inner.c.day, inner.c.kind)):
        # A reply goes to one chat and is free: count requests. The rest cost one message per recipient.
        totals[int(index)][kind] = int(requests if kind == "reply" else recipients)
    day_rows = [DaySends(day=first_day + timedelta(days=i), replies=totals[i].get("reply", 0),
                         **{kind: totals[i].get(kind, 0) for kind in PAID_KINDS}) for i in range(days)]

    month_paid = session.scalar(
        select(func.coalesce(func.sum(OutboxMessage.recipient_count), 0))
        .where(*sent, OutboxMessage.sent_at >= _local_midnight(month_start, tz), OutboxMessage.kind.in_(PAID_KINDS)))
    return SendsOverview(days=day_rows, month_start=month_start, month_paid=int(month_paid or 0))
