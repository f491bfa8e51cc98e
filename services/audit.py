"""The audit log of staff actions: `record` one row in the transaction of the action itself, read them back newest
first. Nothing here (or anywhere) updates or deletes a row: tests/audit/test_audit_append_only.py checks it.

Call it in one line where the action happens, after the change and in the same session:

    audit.record(session, actor, "certify", ("certification", cert.id), {"product_id": cert.product_id}, now)

What is logged: shop decisions (services/vendors.py), certify / reject / revoke (services/certification.py),
announcements sent or scheduled (services/announcements.py; the scheduler sending a scheduled one later is not a
second action), roles granted and revoked and invitations made, cancelled and accepted (services/staff.py), payouts
and held-commission decisions (services/commissions.py), and exports of personal data by staff: the attendance CSV
with names and phones (web/checkin.py). A person exporting their own data ("ข้อมูลของฉัน") is not a staff action
and is already logged in data_requests (services/privacy.py); the other console CSVs (orders, sales, commissions,
survey results) carry no name, phone or address, so they are not personal-data exports. An actor who is not staff
(a shop owner recording their own payout) is kept as "citizen", without their LINE id.

`detail` is for ids, counts, amounts and codes. Personal data (a name, phone, address, a citizen's LINE id) never
goes in: the log is kept for accountability and is not erased with a person's data, so it must not hold any.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from models.audit import AuditEntry
from models.platform import StaffMember

# Every action the log knows, with the subject it is about. The console's filter offers these.
ACTIONS: tuple[str, ...] = (
    "approve_vendor", "reject_vendor",
    "certify", "reject_certification", "revoke_certification", "reinspection_keep",
    "announce_send", "announce_schedule",
    "grant_role", "revoke_role", "invite", "revoke_invitation", "accept_invitation",
    "payout", "hold_release", "hold_cancel",
    "export_personal_data",
)
SYSTEM_ACTORS = ("api", "scheduler", "system")
# Keys that would carry personal data; `record` refuses them so a careless call fails its test, not the PDPA.
PERSONAL_KEYS = frozenset({"name", "full_name", "phone", "address", "line_user_id", "email", "citizen_line_id"})
PAGE_SIZE = 50

Subject = tuple[str, Any]


class AppendOnlyError(RuntimeError):
    """Someone tried to change or remove an audit row."""


def _role(session: Session, actor: str) -> str:
    if actor in SYSTEM_ACTORS:
        return actor
    role = session.scalars(select(StaffMember.role).where(StaffMember.line_user_id == actor,
                                                          StaffMember.active.is_(True))).first()
    # Configured admins have rows (staff.ensure_admins), so "none" means the actor is not staff.
    return role or "none"


def record(session: Session, actor: str | None, action: str, subject: Subject, detail: dict | None,
           now: datetime) -> AuditEntry:
    """Adds one audit row for a staff action, in the caller's transaction."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action}")
    detail = dict(detail or {})
    leaked = PERSONAL_KEYS & set(detail)
    if leaked:
        raise ValueError(f"audit detail must not hold personal data: {sorted(leaked)}")
    who = actor or "api"
    role = _role(session, who)
    if role == "none":
        # Not staff (e.g. a shop owner recording their own payout): their LINE id is a citizen's personal data,
        # which erasure must be able to remove, so the log keeps only that a non-staff person acted.
        who = "citizen"
    subject_type, subject_id = subject
    row = AuditEntry(at=now, actor=who[:64], actor_role=role, action=action,
                     subject_type=subject_type, subject_id=None if subject_id is None else str(subject_id)[:64],
                     detail=detail)
    session.add(row)
    return row


@event.listens_for(Session, "before_flush")
def _refuse_changes(session: Session, _flush_context: Any, _instances: Any) -> None:
    # The ORM path (changing an attribute, session.delete) is the one a mistake would take; PostgreSQL's trigger
    # covers raw SQL too.
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEntry) and (obj in session.deleted or session.is_modified(obj)):
            raise AppendOnlyError("audit rows are append-only")


@dataclass(frozen=True)
class AuditFilters:
    """What the console's audit page narrows by: action, actor, and a date range in UTC (to is exclusive)."""

    action: str | None = None
    actor: str | None = None
    at_from: datetime | None = None
    at_to: datetime | None = None


@dataclass(frozen=True)
class AuditPage:
    entries: list[AuditEntry]
    total: int
    page: int
    pages: int


def entries(session: Session, filters: AuditFilters, page: int = 1, page_size: int = PAGE_SIZE) -> AuditPage:
    """One page of audit rows, newest first."""
    where = []
    if filters.action:
        where.append(AuditEntry.action == filters.action)
    if filters.actor:
        where.append(AuditEntry.actor == filters.actor)
    if filters.at_from:
        where.append(AuditEntry.at >= filters.at_from)
    if filters.at_to:
        where.append(AuditEntry.at < filters.at_to)
    total = session.scalar(select(func.count()).select_from(AuditEntry).where(*where)) or 0
    pages = max(1, -(-total // page_size))
    page = min(max(1, page), pages)
    rows = session.scalars(select(AuditEntry).where(*where).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
                           .offset((page - 1) * page_size).limit(page_size))
    return AuditPage(list(rows), total, page, pages)


def actors(session: Session) -> list[str]:
    """Everyone who has an entry, for the console's actor filter."""
    return list(session.scalars(select(AuditEntry.actor).distinct().order_by(AuditEntry.actor)))
