"""Staff sign-in state and CSRF protection for console pages. Every check runs on the server, every request.

Use in any feature's console page:

    from web.auth import admin_required, current_staff, staff_required

    @bp.route("/trainings/<int:training_id>/close", methods=["POST"])
    @staff_required                # signed in, still staff now, and (for POST) a valid CSRF token
    def close_training(training_id: int):
        me = current_staff()       # StaffIdentity(line_user_id, role)
        ...

Forms put `<input type="hidden" name="csrf_token" value="{{ csrf_token() }}">` inside; scripts may send the
token in an `X-CSRF-Token` header instead.
"""

from __future__ import annotations

import functools
import hmac
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, NamedTuple, TypeVar

from flask import Flask, g, request, session
from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session
from werkzeug.exceptions import BadRequest, Forbidden, Unauthorized

from bot.runtime import runtime
from models.platform import StaffConsoleSession
from services.staff import role_of, token_hash
from texts import console as console_texts

SESSION_LIFETIME = timedelta(hours=8)
SESSION_KEY = "staff"
CSRF_KEY = "csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

F = TypeVar("F", bound=Callable[..., Any])


class StaffIdentity(NamedTuple):
    """Who is using the console, as checked against the database on this request."""

    line_user_id: str
    role: str  # "staff" | "admin" | "executive"

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def is_executive(self) -> bool:
        return self.role == "executive"


class SignInRequired(Unauthorized):
    """No valid staff session: the page explains how to sign in through the chat."""

    description = console_texts.SIGNIN_NEEDED_BODY


class AdminOnly(Forbidden):
    description = console_texts.ADMIN_ONLY


class ReportsOnly(Forbidden):
    """An executive opened a console page other than the reports."""

    description = console_texts.REPORTS_ONLY


class CSRFError(BadRequest):
    description = console_texts.CSRF_FAILED


# ---- sign-in state --------------------------------------------------------------------------------------------
# The cookie (signed with SECRET_KEY) says who signed in and carries a random session id; the server keeps only
# the id's hash (staff_console_sessions). A session counts only while its row is open, so signing out or losing
# staff rights ends it for every copy of the cookie, not just in the browser that pressed the button.
def sign_in(line_user_id: str, role: str) -> None:
    """Starts a fresh staff session (old session data is dropped, so nothing carries over from before)."""
    rt = runtime()
    now = rt.clock()
    token = secrets.token_urlsafe(32)
    previous = _session_token()
    with rt.db.transaction() as db:
        if previous is not None:
            _end(db, StaffConsoleSession.token_hash == token_hash(previous), now)
        # This person's finished sessions have nothing left to check: keep the table as small as the staff list.
        db.execute(delete(StaffConsoleSession).where(
            StaffConsoleSession.line_user_id == line_user_id,
            or_(StaffConsoleSession.ended_at.is_not(None), StaffConsoleSession.expires_at <= now)))
        db.add(StaffConsoleSession(token_hash=token_hash(token), line_user_id=line_user_id, created_at=now,
                                   expires_at=now + SESSION_LIFETIME))
    session.clear()
    session.permanent = True
    session[SESSION_KEY] = {"uid": line_user_id, "role": role, "at": now.timestamp(), "sid": token}
    session[CSRF_KEY] = secrets.token_urlsafe(32)
    g.pop("kk_staff", None)


def sign_out() -> None:
    """Ends the staff session on the server too, so a copy of this browser's cookie stops working."""
    token = _session_token()
    if token is not None:
        rt = runtime()
        with rt.db.transaction() as db:
            _end(db, StaffConsoleSession.token_hash == token_hash(token), rt.clock())
    _forget()


def end_sessions(db: Session, line_user_id: str, now: datetime) -> int:
    """Ends every console session of one person (e.g. when their staff rights are revoked); returns how many."""
    return _end(db, StaffConsoleSession.line_user_id == line_user_id, now)


def _end(db: Session, which: Any, now: datetime) -> int:
    result = db.execute(update(StaffConsoleSession).where(which, StaffConsoleSession.ended_at.is_(None))
                        .values(ended_at=now))
    return result.rowcount or 0


def _forget() -> None:
    session.clear()
    g.kk_staff = None


def _session_token() -> str | None:
    data = session.get(SESSION_KEY)
    token = data.get("sid") if isinstance(data, dict) else None
    return token if isinstance(token, str) and 0 < len(token) <= 100 else None


def signed_in_staff() -> StaffIdentity | None:
    """The signed-in staff member, re-checked now; None (and the session ended) if expired, signed out or revoked."""
    if "kk_staff" in g:
        return g.kk_staff
    g.kk_staff = None
    data = session.get(SESSION_KEY)
    if not isinstance(data, dict) or not isinstance(data.get("uid"), str):
        return None
    uid, token = data["uid"], _session_token()
    rt = runtime()
    now = rt.clock()
    signed_in_at = data.get("at")
    if token is None:  # a cookie from before sessions were kept on the server: nothing vouches for it
        _forget()
        g.kk_signout_reason = console_texts.SESSION_ENDED
        return None
    if not isinstance(signed_in_at, (int, float)) or not _fresh(signed_in_at, now):
        sign_out()
        g.kk_signout_reason = console_texts.SESSION_EXPIRED
        return None
    with rt.db.transaction() as db:
        row = db.scalars(select(StaffConsoleSession).where(StaffConsoleSession.token_hash == token_hash(token))).one_or_none()
        live = row is not None and row.line_user_id == uid and row.ended_at is None and row.expires_at > now
        role = role_of(db, uid, rt.settings.ADMIN_LINE_USER_IDS) if live else None
        if live and role is None:
            end_sessions(db, uid, now)  # rights gone: none of this person's other browsers stays signed in either
    if not live:
        _forget()
        g.kk_signout_reason = console_texts.SESSION_ENDED
        return None
    if role is None:
        _forget()
        g.kk_signout_reason = console_texts.STAFF_REVOKED
        return None
    g.kk_staff = StaffIdentity(uid, role)
    return g.kk_staff


def _fresh(signed_in_at: float, now: datetime) -> bool:
    # The app's clock, not the cookie's expiry, decides: tests move the clock, and a copied cookie ages too.
    age = now.timestamp() - signed_in_at
    return -60 <= age < SESSION_LIFETIME.total_seconds()


def current_staff() -> StaffIdentity:
    """The staff member using this request; raises SignInRequired (401) when there is none."""
    staff = signed_in_staff()
    if staff is None:
        raise SignInRequired(g.get("kk_signout_reason") or console_texts.SIGNIN_NEEDED_BODY)
    return staff


# ---- CSRF -----------------------------------------------------------------------------------------------------
def csrf_token() -> str:
    """The session's CSRF token (created on first use); put it in every console form."""
    token = session.get(CSRF_KEY)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        session[CSRF_KEY] = token
    return token


def verify_csrf() -> None:
    """Raises CSRFError (400) unless the request carries this session's token (form field or header)."""
    expected = session.get(CSRF_KEY)
    sent = request.form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER) or ""
    if not isinstance(expected, str) or not hmac.compare_digest(expected.encode(), sent.encode()):
        raise CSRFError()


def csrf_protect(view: F) -> F:
    """Checks the CSRF token on POST/PUT/PATCH/DELETE for views that need no sign-in (e.g. the login button)."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if request.method in UNSAFE_METHODS:
            verify_csrf()
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


# ---- decorators -----------------------------------------------------------------------------------------------
def staff_required(view: F) -> F:
    """Lets in signed-in staff who are still staff now (not executives: 403); checks CSRF on POST/PUT/PATCH/DELETE."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if current_staff().is_executive:
            raise ReportsOnly()
        if request.method in UNSAFE_METHODS:
            verify_csrf()
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def admin_required(view: F) -> F:
    """Like staff_required, and the staff member must be an admin now (403 otherwise)."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not current_staff().is_admin:
            raise AdminOnly()
        if request.method in UNSAFE_METHODS:
            verify_csrf()
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def reports_access_required(view: F) -> F:
    """Lets in staff, admins and executives (reports and their PDFs); checks CSRF on POST/PUT/PATCH/DELETE."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        current_staff()
        if request.method in UNSAFE_METHODS:
            verify_csrf()
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def init_app(app: Flask) -> None:
    """Session lifetime, and `csrf_token()` / `signed_in_staff()` for every template."""
    app.config["PERMANENT_SESSION_LIFETIME"] = SESSION_LIFETIME
    app.jinja_env.globals.update(csrf_token=csrf_token, signed_in_staff=signed_in_staff)
