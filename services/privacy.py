"""PDPA requests of one person ("ข้อมูลของฉัน"): see, export and erase everything the system keeps about them.

Convention: a services module that keeps personal data defines

    def export_personal_data(session, citizen) -> dict: ...        # what this feature keeps about the citizen
    def erase_personal_data(session, citizen, now) -> None: ...    # delete it (keep only anonymous counts)

and is listed in `feature_modules()`, in the order erasure needs (tests/platform/test_wiring.py fails for a module
that defines them but is not listed).
Every request is logged with its date in `data_requests`.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import uuid
from datetime import datetime, timedelta
from types import ModuleType
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from models.citizens import DataExportLink, DataRequest
from models.platform import Citizen, Conversation, InboundEvent, OutboxMessage
from services.errors import NotFound

log = logging.getLogger(__name__)

EXPORT_LINK_TTL = timedelta(minutes=30)
REQUEST_KINDS = ("view", "export", "withdraw", "erase")


def feature_modules() -> list[ModuleType]:
    """Every services module that keeps personal data, in erasure order: a shop's products (listings) go before the
    shop itself (vendors), which refuses to close a shop that still lists products; orders (which cancel what can no
    longer be delivered) and commissions (which find the sharer by LINE id) before referrals, which forgets that id."""
    from services import (
        buyer_feedback,
        commissions,
        consent,
        limits,
        listings,
        orders,
        profile,
        projects,
        referrals,
        sales,
        support,
        surveys,
        trainings,
        vendors,
    )

    return [buyer_feedback,
            consent, limits, orders, commissions, referrals, sales, listings, profile, projects, support, surveys,
            trainings, vendors]


def _feature(module: ModuleType) -> str:
    return module.__name__.rsplit(".", 1)[-1]


def log_request(session: Session, kind: str, citizen: Citizen | None, now: datetime,
                detail: dict | None = None) -> DataRequest:
    """Records that a person asked to view, export, withdraw or erase (and when)."""
    if kind not in REQUEST_KINDS:
        raise ValueError(f"unknown data request kind {kind}")
    row = DataRequest(kind=kind, citizen_id=citizen.id if citizen else None, requested_at=now, detail=detail or {})
    session.add(row)
    session.flush()
    return row


def _citizen(session: Session, line_user_id: str) -> Citizen | None:
    return session.scalars(select(Citizen).where(Citizen.line_user_id == line_user_id)).one_or_none()


def collect_personal_data(session: Session, line_user_id: str) -> dict[str, Any]:
    """Everything kept about the person, by feature (no request is logged: see export_personal_data)."""
    citizen = _citizen(session, line_user_id)
    if citizen is None:
        return {}
    data: dict[str, Any] = {}
    for module in feature_modules():
        part = module.export_personal_data(session, citizen)
        if part:
            data[_feature(module)] = part
    return data


def export_personal_data(session: Session, line_user_id: str, now: datetime | None = None,
                         kind: str = "export") -> dict[str, Any]:
    """Gathers every feature's data about the person and logs the request with its date."""
    citizen = _citizen(session, line_user_id)
    data = collect_personal_data(session, line_user_id)
    if now is not None:
        log_request(session, kind, citizen, now)
    return data


def erase_personal_data(session: Session, line_user_id: str, now: datetime) -> dict[str, int]:
    """Erases the person's data in every feature, then unlinks the citizen row from their LINE account.

    What remains is anonymous: the citizen row keeps only its district and age group (for statistics) under a
    random key that no LINE account can be matched to, and the request log keeps the date. If they talk to the
    account again they start afresh, with no consent given.
    """
    citizen = _citizen(session, line_user_id)
    if citizen is None:
        log_request(session, "erase", None, now)
        return {}
    for module in feature_modules():
        module.erase_personal_data(session, citizen, now)
        session.flush()
    removed = _erase_platform_traces(session, line_user_id)
    session.execute(update(DataRequest).where(DataRequest.citizen_id == citizen.id).values(citizen_id=None))
    # Unlink rather than delete: other features' anonymous rows may still point at this id (counts stay right).
    citizen.line_user_id = f"erased:{uuid.uuid4().hex}"
    citizen.is_following = False
    citizen.full_name = citizen.phone = None
    citizen.interests = []
    citizen.followed_at = citizen.unfollowed_at = None
    citizen.privacy_notice_version = citizen.privacy_notice_at = None
    citizen.updated_at = now
    session.flush()
    log_request(session, "erase", None, now, detail=removed)
    log.info("personal data erased (citizen #%s)", citizen.id)
    return removed


def _erase_platform_traces(session: Session, line_user_id: str) -> dict[str, int]:
    """Removes the platform's copies: the open flow, stored chat events, one-to-one messages already sent."""
    counts: dict[str, int] = {}
    counts["conversations"] = session.execute(
        delete(Conversation).where(Conversation.line_user_id == line_user_id)).rowcount or 0
    # Only finished events: the one being handled right now is still needed by the worker.
    counts["events"] = session.execute(delete(InboundEvent).where(
        InboundEvent.source_key == f"u:{line_user_id}"[:80],
        InboundEvent.status.in_(("done", "failed", "invalid")))).rowcount or 0
    personal = select(OutboxMessage.id).where(OutboxMessage.kind.in_(("push", "reply")),
                                              OutboxMessage.status.in_(("sent", "dead")))
    ids = [row_id for row_id, recipients in session.execute(
        select(OutboxMessage.id, OutboxMessage.recipients).where(OutboxMessage.id.in_(personal)))
        if recipients == [line_user_id]]
    if ids:
        session.execute(update(OutboxMessage).where(OutboxMessage.replaced_by_id.in_(ids)).values(replaced_by_id=None))
        session.execute(delete(OutboxMessage).where(OutboxMessage.id.in_(ids)))
    counts["messages"] = len(ids)
    session.execute(delete(DataExportLink).where(DataExportLink.line_user_id == line_user_id))
    return counts


# ---- export links -------------------------------------------------------------------------------------------------
def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_export_link(session: Session, line_user_id: str, now: datetime) -> str:
    """Creates a token for the person's export page (valid EXPORT_LINK_TTL); only its hash is stored. A new link
    replaces the person's earlier one: at most one live copy of someone's data is reachable by link."""
    token = secrets.token_urlsafe(24)
    session.execute(delete(DataExportLink).where(
        (DataExportLink.expires_at < now) | (DataExportLink.line_user_id == line_user_id)))
    session.add(DataExportLink(token_hash=_hash(token), line_user_id=line_user_id, created_at=now,
                               expires_at=now + EXPORT_LINK_TTL))
    session.flush()
    return token


def export_for_token(session: Session, token: str, now: datetime) -> dict[str, Any]:
    """The export behind a link, or NotFound when the link is unknown or expired."""
    if not token or len(token) > 64:
        raise NotFound("ลิงก์นี้ไม่ถูกต้องหรือหมดอายุแล้ว", code="export_link_invalid")
    row = session.scalars(select(DataExportLink).where(DataExportLink.token_hash == _hash(token))).one_or_none()
    if row is None or row.expires_at <= now:
        raise NotFound("ลิงก์นี้ไม่ถูกต้องหรือหมดอายุแล้ว ขอลิงก์ใหม่ได้ที่เมนู “ข้อมูลของฉัน” ในแชต",
                       code="export_link_invalid")
    return collect_personal_data(session, row.line_user_id)

