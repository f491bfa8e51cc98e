"""Rate limits on everything a person can cause to be sent to someone else: every limit is declared here.

Each limit counts one action of one subject in fixed windows (an upsert of one row, atomic on SQLite and
PostgreSQL, inside the caller's transaction). The first refusal in a window is logged for staff
(/console/limits); later ones in the same window only count.

- A person's own actions that make the bot write to others (`enforce`): over the limit they get a polite Thai
  answer (a DomainError) and nothing happens.
- Messages caused by someone else (`allow`): over the limit the message is not sent; what it said stays visible
  where the recipient looks (their sign-ups, the inbox), so nothing is lost, only the extra push.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from models.limits import ActionCount, LimitHit
from models.platform import Citizen
from services.errors import DomainError
from texts import limits as limits_texts


@dataclass(frozen=True)
class Limit:
    max: int
    window: timedelta
    label: str  # Thai, for staff


# Why these numbers: a real person signs up and changes their mind a few times, registers a shop once or twice,
# and asks for a person a few times a day; every step beyond is either a mistake or someone spending the
# province's monthly message quota (a push costs quota whoever caused it).
LIMITS: dict[str, Limit] = {
    # sign-up and cancel of one person on one training (each can push a waitlisted person)
    "training_signup": Limit(6, timedelta(hours=1), limits_texts.LABELS["training_signup"]),
    # shop registrations of one person (each notifies the reviewers)
    "vendor_register": Limit(3, timedelta(days=1), limits_texts.LABELS["vendor_register"]),
    # new cases of one person that notify staff in LINE (the case itself always opens)
    "case_notice": Limit(3, timedelta(hours=1), limits_texts.LABELS["case_notice"]),
    # pushes one person receives because of someone else's action (a waitlist seat, a staff notice)
    "push_for_other": Limit(5, timedelta(hours=1), limits_texts.LABELS["push_for_other"]),
    # orders one buyer places (each pushes a notice to a shop)
    "order_place": Limit(10, timedelta(hours=1), limits_texts.LABELS["order_place"]),
}
KEEP_COUNTS = timedelta(days=2)
KEEP_HITS = timedelta(days=90)


class TooOften(DomainError):
    code = "too_often"
    http_status = 429


def _window_start(limit: Limit, now: datetime) -> datetime:
    seconds = int(limit.window.total_seconds())
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % seconds, UTC)


def _count(session: Session, action: str, subject: str, start: datetime) -> int:
    """Adds one to the window's count and returns the new count (one statement: no lost update under races)."""
    values = {"action": action, "subject": subject[:160], "window_start": start, "count": 1}
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(ActionCount).values(**values)
    stmt = stmt.on_conflict_do_update(index_elements=["action", "subject", "window_start"],
                                      set_={"count": ActionCount.count + 1}).returning(ActionCount.count)
    return int(session.execute(stmt).scalar_one())


def allow(session: Session, action: str, subject: str, now: datetime, *, who: str | None = None) -> bool:
    """Counts one `action` by `subject`; False once the limit is passed in this window (and logs the first time)."""
    limit = LIMITS[action]
    start = _window_start(limit, now)
    count = _count(session, action, subject, start)
    if count <= limit.max:
        return True
    if count == limit.max + 1:
        session.add(LimitHit(action=action, subject=subject[:160], line_user_id=who, limit=limit.max, at=now))
    return False


def enforce(session: Session, action: str, subject: str, now: datetime, *, who: str | None = None) -> None:
    """Like `allow`, but a refusal is a polite Thai TooOften error that says when to try again."""
    if not allow(session, action, subject, now, who=who):
        limit = LIMITS[action]
        retry_at = _window_start(limit, now) + limit.window
        minutes = max(1, int((retry_at - now).total_seconds() // 60) + 1)
        raise TooOften(limits_texts.TOO_OFTEN.format(wait=limits_texts.wait_text(minutes)))


def allowed_recipients(session: Session, line_user_ids: Sequence[str], now: datetime, *,
                       who: str | None = None) -> list[str]:
    """Those of `line_user_ids` who may still get a push caused by someone else this hour."""
    return [uid for uid in line_user_ids if allow(session, "push_for_other", uid, now, who=who)]


@dataclass(frozen=True)
class HitView:
    action: str
    label: str
    line_user_id: str | None
    subject: str
    limit: int
    at: datetime


def recent_hits(session: Session, limit: int = 100) -> list[HitView]:
    rows = session.scalars(select(LimitHit).order_by(LimitHit.id.desc()).limit(limit)).all()
    return [HitView(r.action, LIMITS[r.action].label if r.action in LIMITS else r.action, r.line_user_id,
                    r.subject, r.limit, r.at) for r in rows]


def hits_since(session: Session, since: datetime) -> int:
    return int(session.scalar(select(func.count()).select_from(LimitHit).where(LimitHit.at >= since)) or 0)


def purge(session: Session, now: datetime) -> int:
    """Drops counts of windows long past and hits older than 90 days (a scheduler scan)."""
    gone = session.execute(delete(ActionCount).where(ActionCount.window_start < now - KEEP_COUNTS)).rowcount or 0
    gone += session.execute(delete(LimitHit).where(LimitHit.at < now - KEEP_HITS)).rowcount or 0
    return int(gone)


# ---- personal data (found by services/privacy.py) -------------------------------------------------------------
def export_personal_data(session: Session, citizen: Citizen) -> dict:
    hits = session.scalars(select(LimitHit).where(LimitHit.line_user_id == citizen.line_user_id)
                           .order_by(LimitHit.id)).all()
    return {"limits_reached": [{"action": h.action, "at": h.at.isoformat()} for h in hits]} if hits else {}


def erase_personal_data(session: Session, citizen: Citizen, now: datetime) -> None:
    uid = citizen.line_user_id
    session.execute(delete(LimitHit).where(or_(LimitHit.line_user_id == uid,
                                               LimitHit.subject.startswith(uid, autoescape=True))))
    session.execute(delete(ActionCount).where(ActionCount.subject.startswith(uid, autoescape=True)))
