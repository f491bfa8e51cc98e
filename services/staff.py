"""Staff: who may use staff flows and the console, and one-time console sign-in links."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from models.platform import StaffLoginToken, StaffMember
from services.errors import DomainError, PermissionDenied

LOGIN_TOKEN_TTL = timedelta(minutes=10)


def _member(session: Session, line_user_id: str) -> StaffMember | None:
    return session.scalars(select(StaffMember).where(StaffMember.line_user_id == line_user_id)).one_or_none()


def role_of(session: Session, line_user_id: str | None, admin_ids: tuple[str, ...] = ()) -> str | None:
    """Returns 'admin', 'staff' or None. ADMIN_LINE_USER_IDS are admins whatever the table says."""
    if not line_user_id:
        return None
    if line_user_id in admin_ids:
        return "admin"
    member = _member(session, line_user_id)
    if member is None or not member.active:
        return None
    return member.role


def is_staff(session: Session, line_user_id: str | None, admin_ids: tuple[str, ...] = ()) -> bool:
    return role_of(session, line_user_id, admin_ids) is not None


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


def grant(session: Session, actor: str, line_user_id: str, now: datetime, *, role: str = "staff",
          label: str | None = None, admin_ids: tuple[str, ...] = ()) -> StaffMember:
    """An admin makes a LINE user staff (or admin)."""
    if not is_admin(session, actor, admin_ids):
        raise PermissionDenied("เฉพาะผู้ดูแลระบบเท่านั้นที่เพิ่มเจ้าหน้าที่ได้")
    if role not in ("staff", "admin"):
        raise DomainError("บทบาทไม่ถูกต้อง", code="bad_role")
    line_user_id = line_user_id.strip()
    if not (line_user_id.startswith("U") and len(line_user_id) == 33):
        raise DomainError("LINE user ID ต้องขึ้นต้นด้วย U และยาว 33 ตัวอักษร", code="bad_user_id")
    member = _member(session, line_user_id)
    if member is None:
        member = StaffMember(line_user_id=line_user_id, granted_at=now)
        session.add(member)
    member.role, member.active, member.revoked_at = role, True, None
    member.granted_by, member.granted_at = actor, now
    if label is not None:
        member.label = label.strip()[:100] or None
    session.flush()
    return member


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
    """Creates a single-use sign-in token for a staff member; only its hash is stored."""
    if not is_staff(session, line_user_id, admin_ids):
        raise PermissionDenied("เฉพาะเจ้าหน้าที่เท่านั้น")
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
    if not is_staff(session, row.line_user_id, admin_ids):
        raise PermissionDenied("บัญชีนี้ไม่ได้เป็นเจ้าหน้าที่แล้ว")
    # Compare-and-set so two clicks at once can't both succeed.
    used = session.execute(update(StaffLoginToken).where(StaffLoginToken.id == row.id,
                                                         StaffLoginToken.used_at.is_(None)).values(used_at=now))
    if used.rowcount != 1:
        raise PermissionDenied("ลิงก์นี้ใช้ไปแล้ว กรุณาขอลิงก์ใหม่ในแชต")
    return row.line_user_id
