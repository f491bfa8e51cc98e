"""Announcements to citizens: who receives them (audience), now or at a set time, and what was delivered.

How another feature announces something (e.g. a published training):

    from services import announcements
    from services.announcements import Audience

    audience = Audience(districts=("phon",), interests=("training",))    # or Audience() for everyone
    row = announcements.create_announcement(
        session, actor=staff_line_user_id, messages=[...LINE message dicts, 1..5...], audience=audience,
        send_at=None,            # None or <= now: sent now (outbox rows in this transaction); later: scheduled
        now=now, source="training:7", title="อบรมทำขนม")
    announcements.preview(session, audience)   # -> Preview(recipients=..., broadcast=...) for the confirm screen

Audience rules (`audience_ids`): only citizens who follow the account now; `districts` (any of), `interests`
(any of) and `project_id` (follows that project) narrow it, and all given criteria must hold; `marketing=True`
content goes only to people with the MARKETING opt-in. Everyone + not marketing is a LINE broadcast (reaches
every follower, including those the bot has not met yet); anything else is a multicast in batches of 500.
`actor` is a staff LINE user id (re-checked here) or a trusted system name such as "api" or "scheduler".
Delivery counts come from outbox rows with `source = "announcement:<id>"` (`delivery_counts`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, exists, func, or_, select, update
from sqlalchemy.orm import Session

from models.outbox import MAX_MESSAGES_PER_REQUEST
from models.platform import Citizen, OutboxMessage
from models.projects import Announcement, ProjectFollower
from services import audit, consent, notify
from services.errors import Conflict, DomainError, NotFound, PermissionDenied
from services.profile import INTERESTS
from services.staff import is_staff
from texts.districts import DISTRICTS

SYSTEM_ACTORS = ("api", "scheduler", "system")


@dataclass(frozen=True)
class Audience:
    """Who an announcement is for. Empty criteria mean everyone who follows the account."""

    districts: tuple[str, ...] = ()
    interests: tuple[str, ...] = ()
    project_id: int | None = None
    marketing: bool = False

    @property
    def everyone(self) -> bool:
        return not self.districts and not self.interests and self.project_id is None

    @property
    def is_broadcast(self) -> bool:
        return self.everyone and not self.marketing

    def to_dict(self) -> dict[str, Any]:
        return {"districts": list(self.districts), "interests": list(self.interests),
                "project_id": self.project_id, "marketing": self.marketing}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> "Audience":
        """Builds and checks an audience (raises DomainError on unknown districts or interests)."""
        data = data or {}
        audience = cls(tuple(dict.fromkeys(data.get("districts") or ())),
                       tuple(dict.fromkeys(data.get("interests") or ())),
                       data.get("project_id"), bool(data.get("marketing", False)))
        audience.check()
        return audience

    def check(self) -> None:
        unknown = [d for d in self.districts if d not in DISTRICTS]
        if unknown:
            raise DomainError(f"ไม่รู้จักอำเภอ: {', '.join(map(str, unknown))[:100]}", code="unknown_district")
        bad = [i for i in self.interests if i not in INTERESTS]
        if bad:
            raise DomainError(f"ไม่รู้จักความสนใจ: {', '.join(map(str, bad))[:100]}", code="unknown_interest")
        if self.project_id is not None and (not isinstance(self.project_id, int) or self.project_id <= 0):
            raise DomainError("รหัสโครงการไม่ถูกต้อง", code="bad_project")


@dataclass(frozen=True)
class Preview:
    """What staff see before confirming: how many people, and whether it is a broadcast."""

    recipients: int
    broadcast: bool
    audience: Audience = field(default_factory=Audience)


def _interest_clause(session: Session, interests: Sequence[str]) -> Any:
    # Citizen.interests is a JSON list: JSONB containment on PostgreSQL, json_each on SQLite.
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import JSONB

        column = Citizen.interests.cast(JSONB)
        return or_(*[column.contains([i]) for i in interests])
    each = func.json_each(Citizen.interests).table_valued("value")
    return exists(select(1).select_from(each).where(each.c.value.in_(list(interests))))


def audience_query(session: Session, audience: Audience) -> Select:
    """A select of the LINE user ids the audience reaches among citizens the bot knows (see module docstring)."""
    stmt = select(Citizen.line_user_id).where(Citizen.is_following.is_(True))
    if audience.districts:
        stmt = stmt.where(Citizen.district.in_(list(audience.districts)))
    if audience.interests:
        stmt = stmt.where(_interest_clause(session, audience.interests))
    if audience.project_id is not None:
        stmt = stmt.where(exists(select(1).where(and_(ProjectFollower.project_id == audience.project_id,
                                                      ProjectFollower.line_user_id == Citizen.line_user_id))))
    if audience.marketing:
        stmt = stmt.where(Citizen.line_user_id.in_(consent.opted_in_ids(consent.MARKETING)))
    return stmt.order_by(Citizen.id)


def audience_ids(session: Session, audience: Audience) -> list[str]:
    """The LINE user ids an audience reaches: following now, matching every criterion, each once."""
    return list(dict.fromkeys(session.scalars(audience_query(session, audience))))


def audience_count(session: Session, audience: Audience) -> int:
    return session.scalar(select(func.count()).select_from(audience_query(session, audience).order_by(None)
                                                           .subquery())) or 0


def preview(session: Session, audience: Audience) -> Preview:
    """Counts the recipients (for a broadcast: followers the bot knows, an estimate LINE may exceed)."""
    audience.check()
    return Preview(audience_count(session, audience), audience.is_broadcast, audience)


def _check_actor(session: Session, actor: str) -> None:
    if actor in SYSTEM_ACTORS:
        return
    if not is_staff(session, actor):
        raise PermissionDenied("เฉพาะเจ้าหน้าที่เท่านั้นที่ประกาศข่าวได้")


def _check_messages(messages: Sequence[dict]) -> list[dict]:
    messages = list(messages)
    if not messages:
        raise DomainError("ประกาศต้องมีข้อความอย่างน้อย 1 ข้อความ", code="no_messages")
    if len(messages) > MAX_MESSAGES_PER_REQUEST:
        raise DomainError(f"ประกาศหนึ่งครั้งส่งได้ไม่เกิน {MAX_MESSAGES_PER_REQUEST} ข้อความ", code="too_many_messages")
    if not all(isinstance(m, dict) and m.get("type") for m in messages):
        raise DomainError("รูปแบบข้อความไม่ถูกต้อง", code="bad_messages")
    return messages


def create_announcement(session: Session, actor: str, messages: Sequence[dict], audience: Audience,
                        send_at: datetime | None, now: datetime, source: str, *, title: str = "",
                        project_id: int | None = None, channels: Sequence[str] = (),
                        stage: str | None = None) -> Announcement:
    """Creates an announcement: sent now (outbox rows in this transaction) or scheduled for `send_at`; with
    "facebook" in `channels`, its Facebook post is queued in the same transaction (services/channels.py). LINE and
    the website's feeds always get it."""
    _check_actor(session, actor)
    audience.check()
    messages = _check_messages(messages)
    if send_at is not None and send_at.tzinfo is None:
        raise DomainError("เวลาส่งต้องระบุเขตเวลา", code="naive_time")
    row = Announcement(title=(title or _title_of(messages))[:200], messages=messages, audience=audience.to_dict(),
                       source=source[:80], project_id=project_id or audience.project_id, status="scheduled",
                       send_at=send_at if send_at and send_at > now else now, created_by=actor[:64], created_at=now)
    session.add(row)
    session.flush()
    if "facebook" in channels:
        from services import channels as channel_posts  # channels reads announcements' rows: import on use

        channel_posts.queue_for_announcement(session, row, now=now, stage=stage)
    if row.send_at <= now:
        _send(session, row, now)
    action = "announce_send" if row.status == "sent" else "announce_schedule"
    audit.record(session, actor, action, ("announcement", row.id), {"recipients": row.recipient_count}, now)
    return row


def _title_of(messages: Sequence[dict]) -> str:
    for message in messages:
        for key in ("text", "altText"):
            if isinstance(message.get(key), str) and message[key].strip():
                return message[key].strip().splitlines()[0]
    return "ประกาศ"


def _send(session: Session, row: Announcement, now: datetime) -> None:
    """Writes the outbox rows of a due announcement (the caller has claimed it)."""
    audience = Audience.from_dict(row.audience)
    source = f"announcement:{row.id}"
    if audience.is_broadcast:
        count = audience_count(session, audience)
        notify.broadcast(session, row.messages, now, source=source, recipient_count=count)
    else:
        ids = audience_ids(session, audience)
        count = len(ids)
        notify.multicast(session, ids, row.messages, now, source=source, already_filtered=True)
    row.status, row.sent_at, row.recipient_count = "sent", now, count
    session.flush()


def send_due(session: Session, now: datetime, limit: int = 20) -> list[int]:
    """Sends scheduled announcements whose time has come; each is claimed once, so running twice sends once."""
    due = session.scalars(select(Announcement.id).where(Announcement.status == "scheduled",
                                                        Announcement.send_at <= now)
                          .order_by(Announcement.send_at, Announcement.id).limit(limit)).all()
    sent = []
    for announcement_id in due:
        # Compare-and-set: another scheduler process (or a second run) that got here first wins.
        claimed = session.execute(update(Announcement).where(Announcement.id == announcement_id,
                                                             Announcement.status == "scheduled")
                                  .values(status="sent", sent_at=now)).rowcount
        if claimed != 1:
            continue
        row = session.get(Announcement, announcement_id)
        session.refresh(row)
        _send(session, row, now)
        sent.append(announcement_id)
    return sent


def cancel(session: Session, actor: str, announcement_id: int, now: datetime) -> Announcement:
    """Cancels a scheduled announcement (one already sent can't be recalled)."""
    _check_actor(session, actor)
    row = get(session, announcement_id)
    if row.status != "scheduled":
        raise Conflict("ยกเลิกได้เฉพาะประกาศที่ยังไม่ถึงเวลาส่ง", code="not_scheduled")
    row.status, row.cancelled_at = "cancelled", now
    session.flush()
    return row


def get(session: Session, announcement_id: int) -> Announcement:
    row = session.get(Announcement, announcement_id)
    if row is None:
        raise NotFound("ไม่พบประกาศนี้", code="announcement_not_found")
    return row


def list_announcements(session: Session, *, limit: int = 50, before_id: int | None = None) -> list[Announcement]:
    stmt = select(Announcement).order_by(Announcement.id.desc()).limit(limit)
    if before_id is not None:
        stmt = stmt.where(Announcement.id < before_id)
    return list(session.scalars(stmt))


def sent_for_project(session: Session, project_id: int, limit: int = 50) -> list[Announcement]:
    """A project's sent announcements in the order they went out (its public page lists them)."""
    stmt = (select(Announcement).where(Announcement.project_id == project_id, Announcement.status == "sent")
            .order_by(Announcement.sent_at, Announcement.id).limit(limit))
    return list(session.scalars(stmt))


def describe_audience(session: Session, audience: Audience) -> str:
    """Says in Thai who an audience is (confirmation screens, the console's list)."""
    from models.projects import Project
    from texts import citizens as citizens_texts
    from texts import projects as projects_texts
    from texts.districts import district_name

    parts = []
    if audience.districts:
        parts.append(projects_texts.AUDIENCE_LABEL_DISTRICTS.format(
            names=", ".join(district_name(d) for d in audience.districts)))
    if audience.interests:
        parts.append(projects_texts.AUDIENCE_LABEL_INTERESTS.format(
            names=", ".join(citizens_texts.INTEREST_NAMES.get(i, i) for i in audience.interests)))
    if audience.project_id is not None:
        project = session.get(Project, audience.project_id)
        parts.append(projects_texts.AUDIENCE_LABEL_PROJECT.format(
            title=project.title if project else f"#{audience.project_id}"))
    label = " · ".join(parts) or projects_texts.AUDIENCE_LABEL_EVERYONE
    return label + (projects_texts.AUDIENCE_LABEL_MARKETING if audience.marketing else "")


def delivery_counts(session: Session, announcement_id: int) -> dict[str, int]:
    """Recipients by outbox state: pending (queued or being sent), sent (LINE accepted) and failed (dead)."""
    rows = session.execute(select(OutboxMessage.status, func.sum(OutboxMessage.recipient_count))
                           .where(OutboxMessage.source == f"announcement:{announcement_id}")
                           .group_by(OutboxMessage.status)).all()
    counts = {"pending": 0, "sent": 0, "failed": 0}
    for status, total in rows:
        key = {"sent": "sent", "dead": "failed"}.get(status, "pending")
        counts[key] += int(total or 0)
    return counts
