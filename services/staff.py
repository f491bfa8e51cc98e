"""Staff: who may use staff flows and the console, one-time console sign-in links, and one-time invitations.

A commit that changed someone's staff rights carries `session.info["staff_changed"]`, so app wiring can give or
take the staff rich menu right after it (the scheduler's scan does it otherwise).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from models.platform import StaffLoginToken, StaffMember
from models.staff_invitations import StaffInvitation
from services import audit, qr
from services.errors import DomainError, NotFound, PermissionDenied
from texts import platform as platform_texts

LOGIN_TOKEN_TTL = timedelta(minutes=10)
INVITATION_TTL = timedelta(hours=72)
ROLES = ("staff", "admin", "executive")
# Executives read reports (console reports and PDFs) and get a LINE notice when one is ready; they may sign in to
# the console but take no staff action, so they are not "staff" for is_staff.
STAFF_ROLES = ("staff", "admin")
STAFF_CHANGED = "staff_changed"  # session.info key: rights changed in this transaction


def _member(session: Session, line_user_id: str) -> StaffMember | None:
    return session.scalars(select(StaffMember).where(StaffMember.line_user_id == line_user_id)).one_or_none()


def role_of(session: Session, line_user_id: str | None, admin_ids: tuple[str, ...] = ()) -> str | None:
    """Returns 'admin', 'staff', 'executive' or None. ADMIN_LINE_USER_IDS are admins whatever the table says."""
    if not line_user_id:
        return None
    if line_user_id in admin_ids:
        return "admin"
    member = _member(session, line_user_id)
    if member is None or not member.active:
        return None
    return member.role


def roles_of(session: Session, line_user_ids: list[str], admin_ids: tuple[str, ...] = ()) -> dict[str, str]:
    """{LINE user id: 'admin' | 'staff' | 'executive'} for those of `line_user_ids` who hold a role now (one query)."""
    found = {uid: "admin" for uid in line_user_ids if uid in admin_ids}
    rest = [uid for uid in line_user_ids if uid not in found]
    if rest:
        rows = session.execute(select(StaffMember.line_user_id, StaffMember.role).where(
            StaffMember.line_user_id.in_(rest), StaffMember.active.is_(True)))
        found.update({uid: role for uid, role in rows})
    return found


def is_staff(session: Session, line_user_id: str | None, admin_ids: tuple[str, ...] = ()) -> bool:
    """True for staff and admins (who may act); executives only read reports."""
    return role_of(session, line_user_id, admin_ids) in STAFF_ROLES


def may_sign_in(session: Session, line_user_id: str | None, admin_ids: tuple[str, ...] = ()) -> bool:
    """True for anyone with a console role now, executives included."""
    return role_of(session, line_user_id, admin_ids) is not None


def executives(session: Session) -> list[str]:
    """LINE user ids of the active executives (who are told when a report is ready)."""
    return list(session.scalars(select(StaffMember.line_user_id).where(
        StaffMember.role == "executive", StaffMember.active.is_(True)).order_by(StaffMember.id)))


def is_admin(session: Session, line_user_id: str | None, admin_ids: tuple[str, ...] = ()) -> bool:
    return role_of(session, line_user_id, admin_ids) == "admin"


def ensure_admins(session: Session, admin_ids: tuple[str, ...], now: datetime) -> None:
    """Makes sure the configured admins have rows (so they show in the console's staff list)."""
    for uid in admin_ids:
        member = _member(session, uid)
        if member is None:
            session.add(StaffMember(line_user_id=uid, role="admin", active=True, granted_by="config", granted_at=now))
        elif not member.active or member.role != "admin":
            member.active, member.role, member.revoked_at = True, "admin", None


def _set_member(session: Session, line_user_id: str, role: str, granted_by: str, now: datetime,
                label: str | None) -> StaffMember:
    member = _member(session, line_user_id)
    if member is None:
        member = StaffMember(line_user_id=line_user_id, granted_at=now)
        session.add(member)
    member.role, member.active, member.revoked_at = role, True, None
    member.granted_by, member.granted_at = granted_by, now
    if label is not None:
        member.label = label.strip()[:100] or None
    session.info[STAFF_CHANGED] = True
    session.flush()
    return member


def grant(session: Session, actor: str, line_user_id: str, now: datetime, *, role: str = "staff",
          label: str | None = None, admin_ids: tuple[str, ...] = ()) -> StaffMember:
    """An admin makes a LINE user staff (or admin)."""
    if not is_admin(session, actor, admin_ids):
        raise PermissionDenied("เฉพาะผู้ดูแลระบบเท่านั้นที่เพิ่มเจ้าหน้าที่ได้")
    if role not in ROLES:
        raise DomainError("บทบาทไม่ถูกต้อง", code="bad_role")
    line_user_id = line_user_id.strip()
    if not (line_user_id.startswith("U") and len(line_user_id) == 33):
        raise DomainError("LINE user ID ต้องขึ้นต้นด้วย U และยาว 33 ตัวอักษร", code="bad_user_id")
    member = _set_member(session, line_user_id, role, actor, now, label)
    audit.record(session, actor, "grant_role", ("staff_member", member.id), {"role": role}, now)
    return member


def grant_simulated_admin(session: Session, line_user_id: str, now: datetime, *, emulated: bool,
                          label: str | None = None, admin_ids: tuple[str, ...] = ()) -> bool:
    """Makes a simulated user an admin (the chat simulator's "ทำให้เป็นผู้ดูแล"); False if they already were.

    Only in the embedded default: with no LINE channel every user is a stand-in made on this machine, so whoever
    tries the product may become its admin. Connected to LINE it is refused, whoever asks."""
    if not emulated:
        raise PermissionDenied("ใช้ได้เฉพาะโหมดจำลอง (เมื่อไม่ได้เชื่อมต่อ LINE จริง) เท่านั้น")
    if not (line_user_id.startswith("U") and len(line_user_id) == 33):
        raise DomainError("LINE user ID ต้องขึ้นต้นด้วย U และยาว 33 ตัวอักษร", code="bad_user_id")
    if is_admin(session, line_user_id, admin_ids):
        return False
    _set_member(session, line_user_id, "admin", "simulator", now, label)
    return True


def revoke(session: Session, actor: str, line_user_id: str, now: datetime, *, admin_ids: tuple[str, ...] = ()) -> None:
    """An admin removes someone's staff rights. Configured admins can't be revoked here."""
    if not is_admin(session, actor, admin_ids):
        raise PermissionDenied("เฉพาะผู้ดูแลระบบเท่านั้นที่ถอนสิทธิ์เจ้าหน้าที่ได้")
    if line_user_id in admin_ids:
        raise DomainError("ผู้ดูแลที่กำหนดในการตั้งค่าระบบ ถอนสิทธิ์จากหน้านี้ไม่ได้", code="configured_admin")
    if line_user_id == actor:
        raise DomainError("ถอนสิทธิ์ตัวเองไม่ได้", code="self_revoke")
    member = _member(session, line_user_id)
    if member is None or not member.active:
        raise DomainError("ผู้ใช้นี้ไม่ได้เป็นเจ้าหน้าที่", code="not_staff")
    member.active, member.revoked_at = False, now
    session.info[STAFF_CHANGED] = True
    audit.record(session, actor, "revoke_role", ("staff_member", member.id), {"role": member.role}, now)
    # Outstanding sign-in links die with the rights.
    session.execute(update(StaffLoginToken).where(StaffLoginToken.line_user_id == line_user_id,
                                                  StaffLoginToken.used_at.is_(None)).values(used_at=now))
    session.flush()


def list_staff(session: Session) -> list[StaffMember]:
    return list(session.scalars(select(StaffMember).order_by(StaffMember.active.desc(), StaffMember.granted_at)))


def token_hash(token: str) -> str:
    """What is kept of a secret token (sign-in links, console sessions): its SHA-256, never the token."""
    return hashlib.sha256(token.encode()).hexdigest()


def issue_login_token(session: Session, line_user_id: str, now: datetime, admin_ids: tuple[str, ...] = ()) -> str:
    """Creates a single-use sign-in token for a staff member; only its hash is stored. It replaces the person's
    earlier unused one: at most one live sign-in link per person."""
    if not may_sign_in(session, line_user_id, admin_ids):
        raise PermissionDenied("เฉพาะเจ้าหน้าที่เท่านั้น")
    session.execute(delete(StaffLoginToken).where(StaffLoginToken.line_user_id == line_user_id,
                                                  StaffLoginToken.used_at.is_(None)))
    token = secrets.token_urlsafe(32)
    session.add(StaffLoginToken(token_hash=token_hash(token), line_user_id=line_user_id, created_at=now,
                                expires_at=now + LOGIN_TOKEN_TTL))
    session.flush()
    return token


def peek_login_token(session: Session, token: str, now: datetime) -> StaffLoginToken | None:
    """Returns the token row if it is still usable, without using it."""
    row = session.scalars(select(StaffLoginToken).where(StaffLoginToken.token_hash == token_hash(token))).one_or_none()
    if row is None or row.used_at is not None or row.expires_at <= now:
        return None
    return row


def redeem_login_token(session: Session, token: str, now: datetime, admin_ids: tuple[str, ...] = ()) -> str:
    """Uses a sign-in token once and returns its LINE user id; raises if used, expired, unknown or revoked."""
    row = peek_login_token(session, token, now)
    if row is None:
        raise PermissionDenied("ลิงก์นี้ใช้ไม่ได้แล้ว (ใช้ไปแล้วหรือหมดอายุ) กรุณาขอลิงก์ใหม่ในแชต")
    if not may_sign_in(session, row.line_user_id, admin_ids):
        raise PermissionDenied("บัญชีนี้ไม่ได้เป็นเจ้าหน้าที่แล้ว")
    # Compare-and-set so two clicks at once can't both succeed.
    used = session.execute(update(StaffLoginToken).where(StaffLoginToken.id == row.id,
                                                         StaffLoginToken.used_at.is_(None)).values(used_at=now))
    if used.rowcount != 1:
        raise PermissionDenied("ลิงก์นี้ใช้ไปแล้ว กรุณาขอลิงก์ใหม่ในแชต")
    return row.line_user_id


# ---- one-time invitations ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Accepted:
    """The outcome of sending an invitation code: the role held now, and whether this code gave it."""

    role: str
    granted: bool


def new_invitation_code() -> str:
    """12 random characters of Crockford's base32 (60 bits), shown as ABCD-2345-WXYZ."""
    return "".join(secrets.choice(qr.ALPHABET) for _ in range(qr.CODE_LENGTH))


def invitation_message(code: str) -> str:
    """The chat text an invitation link pre-fills; `accept_invitation` reads the code back from it."""
    return platform_texts.STAFF_INVITE_MESSAGE.format(code=qr.format_code(code))


def create_invitation(session: Session, actor: str, now: datetime, *, role: str = "staff", label: str | None = None,
                      admin_ids: tuple[str, ...] = ()) -> tuple[StaffInvitation, str]:
    """An admin creates a one-time invitation; returns it with its code (only the code's hash is stored)."""
    if not is_admin(session, actor, admin_ids):
        raise PermissionDenied("เฉพาะผู้ดูแลระบบเท่านั้นที่เชิญเจ้าหน้าที่ได้")
    if role not in ROLES:
        raise DomainError("บทบาทไม่ถูกต้อง", code="bad_role")
    code = new_invitation_code()
    invitation = StaffInvitation(code_hash=token_hash(code), role=role, label=(label or "").strip()[:100] or None,
                                 created_by=actor, created_at=now, expires_at=now + INVITATION_TTL)
    session.add(invitation)
    session.flush()
    audit.record(session, actor, "invite", ("staff_invitation", invitation.id), {"role": role}, now)
    return invitation, code


def accept_invitation(session: Session, line_user_id: str, code_text: str, now: datetime,
                      admin_ids: tuple[str, ...] = ()) -> Accepted:
    """Uses an invitation once: the sender becomes staff with its role. Raises a DomainError (Thai, for the chat)
    when the code is unknown, used, revoked or expired. Someone who already holds the role leaves it unused."""
    code = qr.normalise_code(code_text)
    row = None
    if code is not None:
        row = session.scalars(select(StaffInvitation).where(StaffInvitation.code_hash == token_hash(code))).one_or_none()
    if row is None:
        raise NotFound(platform_texts.STAFF_INVITE_UNKNOWN, code="invite_unknown")
    status = row.status(now)
    if status == "used":
        raise DomainError(platform_texts.STAFF_INVITE_USED, code="invite_used")
    if status == "revoked":
        raise DomainError(platform_texts.STAFF_INVITE_REVOKED, code="invite_revoked")
    if status == "expired":
        raise DomainError(platform_texts.STAFF_INVITE_EXPIRED.format(hours=int(INVITATION_TTL.total_seconds() // 3600)),
                          code="invite_expired")
    held = role_of(session, line_user_id, admin_ids)
    if held == "admin" or held == row.role:
        return Accepted(held, granted=False)
    # Compare-and-set: of two people sending one code at once, one wins.
    used = session.execute(update(StaffInvitation).where(
        StaffInvitation.id == row.id, StaffInvitation.used_at.is_(None), StaffInvitation.revoked_at.is_(None),
        StaffInvitation.expires_at > now).values(used_at=now, used_by=line_user_id))
    if used.rowcount != 1:
        raise DomainError(platform_texts.STAFF_INVITE_USED, code="invite_used")
    member = _set_member(session, line_user_id, row.role, row.created_by, now, row.label)
    audit.record(session, line_user_id, "accept_invitation", ("staff_member", member.id),
                 {"role": row.role, "invitation_id": row.id}, now)
    return Accepted(row.role, granted=True)


def revoke_invitation(session: Session, actor: str, invitation_id: int, now: datetime,
                      admin_ids: tuple[str, ...] = ()) -> StaffInvitation:
    """An admin cancels an invitation nobody has used yet."""
    if not is_admin(session, actor, admin_ids):
        raise PermissionDenied("เฉพาะผู้ดูแลระบบเท่านั้นที่ยกเลิกคำเชิญได้")
    row = session.get(StaffInvitation, invitation_id)
    if row is None:
        raise NotFound("ไม่พบคำเชิญนี้", code="invite_unknown")
    if row.status(now) != "pending":
        raise DomainError("คำเชิญนี้ถูกใช้ ยกเลิก หรือหมดอายุไปแล้ว จึงยกเลิกไม่ได้", code="invite_not_pending")
    row.revoked_at, row.revoked_by = now, actor
    session.flush()
    audit.record(session, actor, "revoke_invitation", ("staff_invitation", row.id), {"role": row.role}, now)
    return row


def list_invitations(session: Session, limit: int = 50) -> list[StaffInvitation]:
    """The newest invitations first (status comes from `StaffInvitation.status(now)`)."""
    return list(session.scalars(select(StaffInvitation).order_by(StaffInvitation.id.desc()).limit(limit)))
