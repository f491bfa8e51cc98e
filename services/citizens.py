"""Citizens: who follows the account, and their profile for targeting."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from models.platform import Citizen
from services.errors import DomainError
from texts.districts import DISTRICTS

# Built once: nearly every event looks its citizen up, and building the statement cost more than running it.
_BY_LINE_USER_ID = select(Citizen).where(Citizen.line_user_id == bindparam("line_user_id"))


_KNOWN = "citizens.known"  # session.info key: line_user_id -> Citizen, for the rows `preload` read


def get(session: Session, line_user_id: str) -> Citizen | None:
    known = session.info.get(_KNOWN)
    if known is not None and (citizen := known.get(line_user_id)) is not None:
        return citizen
    return session.scalars(_BY_LINE_USER_ID, {"line_user_id": line_user_id}).one_or_none()


def preload(session: Session, line_user_ids: Sequence[str]) -> None:
    """Reads the citizens of a batch of events in one query, so each handler's `get` needs none.

    Only rows that exist are remembered (a handler may create one); they are the session's own objects, so a
    change made through one handler is what the next one sees. Citizen rows are never deleted (erasure blanks
    their personal fields), so a remembered row cannot have gone away within the transaction.
    """
    if not line_user_ids:
        return
    known = session.info.setdefault(_KNOWN, {})
    for citizen in session.scalars(select(Citizen).where(Citizen.line_user_id.in_(list(line_user_ids)))):
        known[citizen.line_user_id] = citizen


def get_or_create(session: Session, line_user_id: str, now: datetime) -> Citizen:
    """Returns the citizen for a LINE user, creating the row on first contact."""
    citizen = get(session, line_user_id)
    if citizen is None:
        citizen = Citizen(line_user_id=line_user_id, is_following=True, created_at=now, updated_at=now)
        session.add(citizen)
        session.flush()
    return citizen


def record_follow(session: Session, line_user_id: str, now: datetime) -> tuple[Citizen, bool]:
    """Marks the user as following. Returns (citizen, first_time)."""
    citizen = get(session, line_user_id)
    first_time = citizen is None
    if citizen is None:
        citizen = Citizen(line_user_id=line_user_id, created_at=now)
        session.add(citizen)
    citizen.is_following = True
    citizen.followed_at = now
    citizen.updated_at = now
    session.flush()
    return citizen, first_time


def record_unfollow(session: Session, line_user_id: str, now: datetime) -> None:
    """Marks the user inactive: nothing is sent to them until they follow again."""
    citizen = get(session, line_user_id)
    if citizen is None:
        citizen = Citizen(line_user_id=line_user_id, created_at=now)
        session.add(citizen)
    citizen.is_following = False
    citizen.unfollowed_at = now
    citizen.updated_at = now
    session.flush()


def set_district(session: Session, line_user_id: str, district: str, now: datetime) -> Citizen:
    if district not in DISTRICTS:
        raise DomainError("ไม่พบอำเภอนี้", code="unknown_district")
    citizen = get_or_create(session, line_user_id, now)
    citizen.district = district
    citizen.updated_at = now
    session.flush()
    return citizen


def following_ids(session: Session, line_user_ids: list[str]) -> list[str]:
    """Keeps only users who still follow (unknown users count as following: LINE decides for them)."""
    if not line_user_ids:
        return []
    blocked: set[str] = set()
    # In chunks: PostgreSQL takes at most 65,535 parameters in one statement.
    for start in range(0, len(line_user_ids), 10_000):
        chunk = line_user_ids[start:start + 10_000]
        blocked.update(session.scalars(select(Citizen.line_user_id).where(
            Citizen.line_user_id.in_(chunk), Citizen.is_following.is_(False))))
    return [uid for uid in line_user_ids if uid not in blocked]
