"""Opt-in consents (PDPA). Announcements and training sign-ups rest on the province's public task and need none;
marketing messages, share-and-earn and the vendor programme need an explicit opt-in, withdrawn as easily.

    from services import consent
    if consent.has_opt_in(session, line_user_id, consent.MARKETING): ...
    consent.grant(session, line_user_id, consent.MARKET_VENDOR, now)     # logged with its date
    consent.withdraw(session, line_user_id, consent.MARKET_VENDOR, now)  # logged with its date
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from models.citizens import Consent, ConsentLog
from models.platform import Citizen
from services.errors import DomainError

MARKETING = "marketing"
SHARE_EARN = "share_earn"
MARKET_VENDOR = "market_vendor"
# Ordering gives the buyer's name, phone and address to the shop (services/orders.py).
MARKET_BUYER = "market_buyer"
PURPOSES = (MARKETING, SHARE_EARN, MARKET_VENDOR, MARKET_BUYER)


def _check(purpose: str) -> None:
    if purpose not in PURPOSES:
        raise DomainError("ไม่รู้จักความยินยอมประเภทนี้", code="unknown_purpose")


def _row(session: Session, line_user_id: str, purpose: str) -> Consent | None:
    return session.scalars(select(Consent).where(Consent.line_user_id == line_user_id,
                                                 Consent.purpose == purpose)).one_or_none()


def has_opt_in(session: Session, line_user_id: str, purpose: str) -> bool:
    """True when the user has opted in to `purpose` and not withdrawn since."""
    _check(purpose)
    row = _row(session, line_user_id, purpose)
    return bool(row and row.granted)


def opted_in(session: Session, line_user_id: str) -> dict[str, bool]:
    """Every purpose and whether the user has opted in to it now."""
    rows = session.scalars(select(Consent).where(Consent.line_user_id == line_user_id)).all()
    state = {row.purpose: row.granted for row in rows}
    return {purpose: bool(state.get(purpose)) for purpose in PURPOSES}


def _set(session: Session, line_user_id: str, purpose: str, granted: bool, now: datetime) -> bool:
    _check(purpose)
    row = _row(session, line_user_id, purpose)
    if row is not None and row.granted == granted:
        return False  # pressing the button twice changes nothing and logs nothing
    if row is None:
        if not granted:
            return False
        row = Consent(line_user_id=line_user_id, purpose=purpose)
        session.add(row)
    row.granted, row.updated_at = granted, now
    session.add(ConsentLog(line_user_id=line_user_id, purpose=purpose, action="grant" if granted else "withdraw",
                           at=now))
    session.flush()
    return True


def grant(session: Session, line_user_id: str, purpose: str, now: datetime) -> None:
    """Records the user's opt-in to `purpose` (no-op if already given)."""
    _set(session, line_user_id, purpose, True, now)


def withdraw(session: Session, line_user_id: str, purpose: str, now: datetime) -> None:
    """Records the withdrawal of the user's opt-in to `purpose` (no-op if not given)."""
    _set(session, line_user_id, purpose, False, now)



def opted_in_ids(purpose: str):  # noqa: ANN201 - a SQLAlchemy subquery
    """A subquery of the LINE user ids opted in to `purpose`, for audience queries."""
    _check(purpose)
    return select(Consent.line_user_id).where(Consent.purpose == purpose, Consent.granted.is_(True))


# ---- PDPA: "ข้อมูลของฉัน" ---------------------------------------------------------------------------------------------
def export_personal_data(session: Session, citizen: Citizen) -> dict:
    """The user's opt-ins now and every grant/withdrawal with its date."""
    log = session.scalars(select(ConsentLog).where(ConsentLog.line_user_id == citizen.line_user_id)
                          .order_by(ConsentLog.at, ConsentLog.id)).all()
    return {
        "consents": opted_in(session, citizen.line_user_id),
        "consent_history": [{"purpose": row.purpose, "action": row.action, "at": row.at.isoformat()} for row in log],
    }


def erase_personal_data(session: Session, citizen: Citizen, now: datetime) -> None:
    """Deletes the user's consents and their history (nothing is sent on their strength afterwards)."""
    session.execute(delete(Consent).where(Consent.line_user_id == citizen.line_user_id))
    session.execute(delete(ConsentLog).where(ConsentLog.line_user_id == citizen.line_user_id))
