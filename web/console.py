"""Staff console at /console: password-less sign-in through the chat, dashboard, failures (retry), staff admin.

`register(app)` also sets up what every web page shares: the layout templates (web/templates, `base.html`),
the stylesheet at /assets, the Thai date filters (web/format.py), `csrf_token()` in templates (web/auth.py),
and the error pages (Thai HTML; JSON under /api/v1). A feature's console page:

    from flask import Blueprint, render_template
    from web.auth import current_staff, staff_required

    bp = Blueprint("console_trainings", __name__, url_prefix="/console/trainings")

    @bp.get("")
    @staff_required
    def index():
        return render_template("console/trainings.html", ...)   # {% extends "console/layout.html" %}
"""

from __future__ import annotations

import base64
import io
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from werkzeug.exceptions import HTTPException

from bot.event_store import retry_failed
from bot.runtime import runtime
from services import outbox_admin
from services.errors import DomainError, PermissionDenied
from services.qr import format_code, qr_image
from services.staff import (
    INVITATION_TTL,
    create_invitation,
    grant,
    invitation_message,
    list_invitations,
    list_staff,
    peek_login_token,
    redeem_login_token,
    revoke,
    revoke_invitation,
    role_of,
)
from texts import console as console_texts
from texts.dates import thai_weekday_date
from web import format as thai_format
from web.auth import (
    AdminOnly,
    CSRFError,
    SignInRequired,
    admin_required,
    csrf_protect,
    current_staff,
    end_sessions,
    sign_in,
    sign_out,
    staff_required,
)
from web.openapi import API_PREFIX, is_api_request, json_http_error

log = logging.getLogger(__name__)

PAGE_SIZE = 20
MAX_TOKEN_LENGTH = 128

# Shared by every web page: layout templates, /assets (CSS, the Sarabun fallback font).
web = Blueprint("web", __name__, template_folder="templates", static_folder="static", static_url_path="/assets")
bp = Blueprint("console", __name__, url_prefix="/console")


@web.get("/assets/fonts/sarabun-<int:weight>.ttf")
def font(weight: int) -> Response:
    """Sarabun from the installed fontpkg-sarabun package: Thai renders even where the system has no Thai font."""
    if weight not in (400, 700):
        abort(404)
    try:
        import fontpkg

        path = fontpkg.path("Sarabun", weight)
    except Exception:  # noqa: BLE001 - package or family missing: the stylesheet falls back to system fonts
        abort(404)
    return send_file(path, mimetype="font/ttf", max_age=7 * 86400)


# ---- page furniture -----------------------------------------------------------------------------------------------
def _page_context() -> dict[str, Any]:
    # Values passed to render_template win over these, so a feature may pass its own `T`.
    return {"emulated": runtime().emulator is not None, "T": console_texts, "console_nav": _console_nav()}


_NAV: list[tuple[int, str, str, str]] = []


def _console_nav() -> list[tuple[int, str, str, str]]:
    """Feature pages in the console menu: a module of web.modules() may declare
    `CONSOLE_NAV = [(order, label, endpoint, blueprint_name), ...]`; read once."""
    if not _NAV:
        import web as web_package

        items = [item for module in web_package.modules() for item in getattr(module, "CONSOLE_NAV", ())]
        _NAV.extend(sorted(items))
    return _NAV


_WAITING: list[tuple[int, str, Callable[[Any], int], str]] = []


def _console_waiting() -> list[tuple[int, str, Callable[[Any], int], str]]:
    """What waits for staff, for the overview: a module of web.modules() may declare
    `CONSOLE_WAITING = [(order, label, count(session) -> int, endpoint), ...]`; read once, like CONSOLE_NAV."""
    if not _WAITING:
        import web as web_package

        items = [item for module in web_package.modules() for item in getattr(module, "CONSOLE_WAITING", ())]
        _WAITING.extend(sorted(items, key=lambda item: item[0]))
    return _WAITING


@dataclass(frozen=True)
class WaitingView:
    label: str
    count: int
    url: str






# ---- sign-in ------------------------------------------------------------------------------------------------------
@bp.get("/login/<token>")
def login(token: str) -> Any:
    """Shows the sign-in button. Does NOT use the token: chat apps and link scanners open links on their own."""
    rt = runtime()
    row = None
    if len(token) <= MAX_TOKEN_LENGTH:
        with rt.db.transaction() as session:
            row = peek_login_token(session, token, rt.clock())
    if row is None:
        return render_template("console/login_invalid.html", message=console_texts.LOGIN_INVALID_BODY), 410
    return render_template("console/login.html", token=token, expires_at=row.expires_at)


@bp.post("/login/<token>")
@csrf_protect
def login_submit(token: str) -> Any:
    """Uses the token once and starts the staff session."""
    rt = runtime()
    admins = rt.settings.ADMIN_LINE_USER_IDS
    if len(token) > MAX_TOKEN_LENGTH:
        return render_template("console/login_invalid.html", message=console_texts.LOGIN_INVALID_BODY), 410
    try:
        with rt.db.transaction() as session:
            line_user_id = redeem_login_token(session, token, rt.clock(), admins)
            role = role_of(session, line_user_id, admins) or "staff"
    except PermissionDenied as exc:
        return render_template("console/login_invalid.html", message=exc.message), 410
    sign_in(line_user_id, role)
    flash(console_texts.LOGIN_DONE, "ok")
    # Executives may open only the reports: the dashboard would answer them 403.
    return redirect("/console/reports" if role == "executive" else url_for("console.dashboard"))


@bp.post("/logout")
@csrf_protect
def logout() -> Any:
    sign_out()
    return redirect(url_for("console.signed_out"))


@bp.get("/signed-out")
def signed_out() -> Any:
    return render_template("console/message.html", title=console_texts.SIGNED_OUT_TITLE,
                           message=console_texts.SIGNED_OUT_BODY, hint=console_texts.LOGIN_HOW)


# ---- dashboard ----------------------------------------------------------------------------------------------------
QUOTA_CACHE_SECONDS = 60


@dataclass(frozen=True)
class QuotaView:
    """LINE's figures for this month's message quota; known=False when LINE did not answer."""

    known: bool
    limit: int | None = None  # None: the plan has no monthly limit
    used: int | None = None
    checked_at: datetime | None = None

    @property
    def left(self) -> int | None:
        return None if self.limit is None or self.used is None else max(0, self.limit - self.used)


class QuotaCache:
    """Asks LINE for the quota at most once a minute per process, failures included: the dashboard is opened often,
    and a slow or unreachable LINE must cost one wait a minute, not one per page. While one request asks, the
    others show the previous figure (or "unknown") instead of queueing behind it."""

    def __init__(self, max_age_seconds: float = QUOTA_CACHE_SECONDS) -> None:
        self.max_age_seconds = max_age_seconds
        self._lock = threading.Lock()
        self._value = QuotaView(known=False)
        self._asked_at: datetime | None = None
        self._asking = False

    def get(self, ask: Callable[[], tuple[int | None, int]], now: datetime) -> QuotaView:
        """The cached figure, or LINE's answer now (via `ask`) when the cached one is older than a minute."""
        with self._lock:
            age = None if self._asked_at is None else (now - self._asked_at).total_seconds()
            if self._asking or (age is not None and 0 <= age < self.max_age_seconds):
                return self._value
            self._asking = True
        value = QuotaView(known=False, checked_at=now)
        try:
            limit, used = ask()
            value = QuotaView(known=True, limit=int(limit) if limit is not None else None, used=int(used),
                              checked_at=now)
        except Exception:  # noqa: BLE001 - the page shows "unknown": LINE being down must not break the dashboard
            log.warning("LINE message quota unavailable")
        finally:
            with self._lock:
                self._value, self._asked_at, self._asking = value, now, False
        return value


def _line_quota() -> QuotaView:
    rt = runtime()
    cache = current_app.extensions.setdefault("kk_line_quota", QuotaCache())  # one per app, so per process
    return cache.get(rt.line.quota, rt.clock())


@bp.get("", strict_slashes=False)
@staff_required
def dashboard() -> Any:
    rt = runtime()
    now = rt.clock()
    with rt.db.transaction() as session:
        counts = outbox_admin.queue_counts(session)
        sends = outbox_admin.sends_overview(session, now, rt.settings.TZ)
        waiting = [WaitingView(label, count(session), url_for(endpoint)) for _o, label, count, endpoint
                   in _console_waiting()]
    waiting.append(WaitingView(console_texts.WAITING_FAILED_SENDS, counts.outbox_dead + counts.events_failed,
                               url_for("console.failures")))
    return render_template("console/dashboard.html", counts=counts, now=now, me=current_staff(), waiting=waiting,
                           api_docs=f"{API_PREFIX}/openapi.json", sends=sends, quota=_line_quota(),
                           day_label=thai_weekday_date)


# ---- failures -----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FailedEventView:
    id: int
    event_type: str
    type_label: str
    message_type: str | None
    received_at: datetime
    attempts: int
    summary: str
    traceback: str
    invalid: bool = False  # LINE sent fields the handlers cannot use: the summary says which; no retry


@dataclass(frozen=True)
class DeadLetterView:
    id: int
    kind: str
    kind_label: str
    recipient_count: int
    created_at: datetime
    attempts: int
    source: str | None
    line_status: int | None
    line_message: str
    line_details: list[str]


def _event_view(row: Any) -> FailedEventView:
    # Only the event's type is read from the payload: the rest may be personal content.
    payload = row.payload if isinstance(row.payload, dict) else {}
    message = payload.get("message") if row.event_type == "message" else None
    message_type = message.get("type") if isinstance(message, dict) else None
    invalid = row.status == "invalid"
    return FailedEventView(
        id=row.id, event_type=row.event_type,
        type_label=console_texts.EVENT_TYPE_NAMES.get(row.event_type, row.event_type),
        message_type=str(message_type)[:20] if isinstance(message_type, str) and message_type else None,
        received_at=row.received_at, attempts=row.attempts, summary=outbox_admin.error_summary(row.last_error),
        traceback="" if invalid else row.last_error or "", invalid=invalid,
    )


def _dead_view(row: Any) -> DeadLetterView:
    error = row.last_error if isinstance(row.last_error, dict) else {}
    details = []
    for item in error.get("details") or []:
        if isinstance(item, dict):
            text = ": ".join(str(item[k]) for k in ("property", "message") if item.get(k))
        else:
            text = str(item)
        if text:
            details.append(text[:300])
    status = error.get("status", row.last_status)
    return DeadLetterView(
        id=row.id, kind=row.kind, kind_label=console_texts.KIND_NAMES.get(row.kind, row.kind),
        recipient_count=row.recipient_count, created_at=row.created_at, attempts=row.attempts, source=row.source,
        line_status=status if isinstance(status, int) else None, line_message=str(error.get("message") or "")[:500],
        line_details=details[:20],
    )


def _int_arg(name: str) -> int | None:
    value = request.values.get(name, "")
    return int(value) if value.isdigit() and len(value) < 19 else None


def _failures_url(anchor: str | None = None) -> str:
    return url_for("console.failures", events_before=_int_arg("events_before"), dead_before=_int_arg("dead_before"),
                   _anchor=anchor)


@bp.get("/failures")
@staff_required
def failures() -> Any:
    """Failed and invalid events, and dead letters, newest first, each list paged on its own."""
    events_before, dead_before = _int_arg("events_before"), _int_arg("dead_before")
    with runtime().db.transaction() as session:
        counts = outbox_admin.queue_counts(session)
        events = outbox_admin.failed_events(session, before_id=events_before, limit=PAGE_SIZE + 1)
        dead = outbox_admin.dead_letters(session, before_id=dead_before, limit=PAGE_SIZE + 1)
        event_views = [_event_view(row) for row in events[:PAGE_SIZE]]
        dead_views = [_dead_view(row) for row in dead[:PAGE_SIZE]]
    return render_template(
        "console/failures.html", events=event_views, dead=dead_views, counts=counts,
        events_before=events_before, dead_before=dead_before,
        events_next=event_views[-1].id if len(events) > PAGE_SIZE else None,
        dead_next=dead_views[-1].id if len(dead) > PAGE_SIZE else None,
    )


@bp.post("/failures/events/<int:event_id>/retry")
@staff_required
def retry_event(event_id: int) -> Any:
    rt = runtime()
    with rt.db.transaction() as session:
        retried = retry_failed(session, event_id, rt.clock())
    if retried:
        rt.worker.wake()
        flash(console_texts.EVENT_RETRIED.format(id=event_id), "ok")
    else:
        flash(console_texts.EVENT_NOT_RETRIABLE.format(id=event_id), "error")
    return redirect(_failures_url("events"))


@bp.post("/failures/outbox/<int:outbox_id>/retry")
@staff_required
def retry_outbox(outbox_id: int) -> Any:
    rt = runtime()
    try:
        with rt.db.transaction() as session:
            outbox_admin.retry_dead_letter(session, outbox_id, rt.clock())
    except DomainError as exc:
        flash(exc.message, "error")
    else:
        rt.dispatcher.wake()
        flash(console_texts.OUTBOX_RETRIED.format(id=outbox_id), "ok")
    return redirect(_failures_url("dead"))


# ---- staff (admins only) ------------------------------------------------------------------------------------------
def _staff_page(form: dict[str, str] | None = None, error: str | None = None, status: int = 200,
                invite_form: dict[str, str] | None = None, invite_error: str | None = None) -> Any:
    rt = runtime()
    with rt.db.transaction() as session:
        members = list_staff(session)
        invitations = list_invitations(session)
    labels = {m.line_user_id: m.label for m in members if m.label}
    return render_template(
        "console/staff.html", members=members, labels=labels, me=current_staff(),
        configured=set(rt.settings.ADMIN_LINE_USER_IDS), form=form or {"role": "staff"}, error=error,
        invitations=invitations, now=rt.clock(), invite_form=invite_form or {"role": "staff"},
        invite_error=invite_error, invite_hours=int(INVITATION_TTL.total_seconds() // 3600),
    ), status


def invitation_link(code: str) -> str:
    """Where an invitation sends its guest: LINE's "message the account" link with the invitation text typed in;
    in emulator mode (or without LINE_OA_ID) the chat simulator, which types the same text in."""
    rt = runtime()
    message = quote(invitation_message(code), safe="")
    oa_id = rt.settings.LINE_OA_ID
    if rt.emulator is not None or not oa_id:
        return f"{rt.settings.public_base_url}/simulator?say={message}"
    return f"https://line.me/R/oaMessage/{quote(oa_id, safe='')}/?{message}"


def _qr_data_uri(payload: str) -> str:
    buffer = io.BytesIO()
    qr_image(payload, box=8).save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


@bp.get("/staff")
@admin_required
def staff() -> Any:
    return _staff_page()


@bp.post("/staff/grant")
@admin_required
def staff_grant() -> Any:
    rt = runtime()
    form = {key: request.form.get(key, "").strip()[:200] for key in ("line_user_id", "label", "role")}
    try:
        with rt.db.transaction() as session:
            member = grant(session, current_staff().line_user_id, form["line_user_id"], rt.clock(),
                           role=form["role"] or "staff", label=form["label"] or None,
                           admin_ids=rt.settings.ADMIN_LINE_USER_IDS)
            who, role = member.label or member.line_user_id, member.role
    except DomainError as exc:
        return _staff_page(form, exc.message, exc.http_status if exc.http_status != 400 else 422)
    flash(console_texts.GRANTED.format(role=console_texts.ROLE_NAMES.get(role, role), who=who), "ok")
    return redirect(url_for("console.staff"))


@bp.post("/staff/invitations")
@admin_required
def staff_invite() -> Any:
    """Creates a one-time invitation and shows its link and QR once (only the code's hash is kept)."""
    rt = runtime()
    form = {key: request.form.get(key, "").strip()[:200] for key in ("label", "role")}
    try:
        with rt.db.transaction() as session:
            invitation, code = create_invitation(session, current_staff().line_user_id, rt.clock(),
                                                 role=form["role"] or "staff", label=form["label"] or None,
                                                 admin_ids=rt.settings.ADMIN_LINE_USER_IDS)
            role, label, expires_at = invitation.role, invitation.label, invitation.expires_at
    except DomainError as exc:
        return _staff_page(invite_form=form, invite_error=exc.message,
                           status=exc.http_status if exc.http_status != 400 else 422)
    link = invitation_link(code)
    share = None
    if runtime().emulator is None:
        share = "https://line.me/R/share?text=" + quote(console_texts.INVITE_SHARE_TEXT.format(link=link), safe="")
    return render_template(
        "console/staff_invitation.html", link=link, qr=_qr_data_uri(link), code=format_code(code),
        message=invitation_message(code), role=role, label=label, expires_at=expires_at, share=share,
    ), 201


@bp.post("/staff/invitations/<int:invitation_id>/revoke")
@admin_required
def staff_invite_revoke(invitation_id: int) -> Any:
    rt = runtime()
    try:
        with rt.db.transaction() as session:
            revoke_invitation(session, current_staff().line_user_id, invitation_id, rt.clock(),
                              admin_ids=rt.settings.ADMIN_LINE_USER_IDS)
    except DomainError as exc:
        flash(exc.message, "error")
    else:
        flash(console_texts.INVITE_REVOKED, "ok")
    return redirect(url_for("console.staff", _anchor="invitations"))


def _member(session: Any, line_user_id: str) -> Any:
    return next((m for m in list_staff(session) if m.line_user_id == line_user_id), None)


@bp.get("/staff/revoke")
@admin_required
def staff_revoke_confirm() -> Any:
    """Asks before revoking (no script needed: a page with one big confirm button)."""
    line_user_id = request.args.get("user", "")[:64]
    with runtime().db.transaction() as session:
        member = _member(session, line_user_id)
    if member is None or not member.active:
        flash(console_texts.NOT_STAFF, "error")
        return redirect(url_for("console.staff"))
    return render_template("console/staff_revoke.html", member=member)


@bp.post("/staff/revoke")
@admin_required
def staff_revoke() -> Any:
    rt = runtime()
    line_user_id = request.form.get("line_user_id", "").strip()[:64]
    try:
        with rt.db.transaction() as session:
            member = _member(session, line_user_id)
            who = (member.label if member is not None else None) or line_user_id
            revoke(session, current_staff().line_user_id, line_user_id, rt.clock(),
                   admin_ids=rt.settings.ADMIN_LINE_USER_IDS)
            end_sessions(session, line_user_id, rt.clock())  # every browser they signed in with, copies too
    except DomainError as exc:
        flash(exc.message, "error")
    else:
        flash(console_texts.REVOKED.format(who=who), "ok")
    return redirect(url_for("console.staff"))


# ---- errors -------------------------------------------------------------------------------------------------------
_THAI_DESCRIPTIONS = (SignInRequired, AdminOnly, CSRFError)


def _http_error(exc: HTTPException) -> Any:
    """Thai error pages; JSON under /api/v1 (routing errors there never reach the API blueprint's handlers)."""
    if is_api_request():
        return json_http_error(exc)
    status = exc.code or 500
    if status >= 500:
        log.error("HTTP %s on %s %s", status, request.method, request.path)
    message = exc.description if isinstance(exc, _THAI_DESCRIPTIONS) else console_texts.ERROR_BODIES.get(status, "")
    template = "console/signin.html" if status == 401 else "errors/error.html"
    title = console_texts.ERROR_TITLES.get(status, console_texts.ERROR_FALLBACK)
    response = Response(render_template(template, title=title, message=message, status=status,
                                        hint=console_texts.LOGIN_HOW if status == 401 else None), status=status)
    allowed = getattr(exc, "valid_methods", None)
    if status == 405 and allowed:
        response.headers["Allow"] = ", ".join(allowed)
    return response


def register(app: Flask) -> None:
    """Registers the shared web furniture and the /console pages."""
    settings = app.extensions["kk"].settings
    thai_format.register_filters(app, settings.TZ)
    from web import auth

    auth.init_app(app)
    app.jinja_env.globals["WEB_TEXTS"] = console_texts
    app.context_processor(_page_context)
    app.register_error_handler(HTTPException, _http_error)
    app.register_blueprint(web)
    app.register_blueprint(bp)
