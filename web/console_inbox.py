"""Staff inbox at /console/inbox: citizens' cases ("ติดต่อเจ้าหน้าที่"), each thread with who the person is (district,
interests, what they opted into), a reply box (sent through the outbox by reply token or push), take and close."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Flask, Response, abort, flash, redirect, render_template, request, url_for

from bot.runtime import runtime
from services import images, support
from services.errors import DomainError
from texts import citizens as citizens_texts
from texts import support as support_texts
from texts.districts import district_name
from web.auth import current_staff, staff_required

bp = Blueprint("console_inbox", __name__, url_prefix="/console/inbox")
CONSOLE_NAV = [(5, support_texts.INBOX_TITLE, "console_inbox.index", "console_inbox")]
# What waits for staff, counted on the console overview: (order, label, count(session), endpoint).
CONSOLE_WAITING = [(10, support_texts.WAITING_CASES, lambda session: support.counts(session)["open"],
                    "console_inbox.index")]
MAX_REPLY_FORM = 12_000  # characters read from the form; the service says politely when it is too long




def _page_arg() -> int:
    raw = request.args.get("page", "1")[:6]
    return int(raw) if raw.isdigit() and int(raw) > 0 else 1


@bp.get("", strict_slashes=False)
@staff_required
def index() -> Any:
    which = request.args.get("show", "active")[:10]
    if which not in support.FILTERS:
        which = "active"
    page = _page_arg()
    me = current_staff()
    with runtime().db.transaction() as session:
        items, total = support.list_cases(session, which, me.line_user_id, page=page)
        counts = support.counts(session)
        notices = support.notices_on(session, me.line_user_id)
        rows = [_row(item) for item in items]
    pages = max(1, -(-total // support.PAGE_SIZE))
    return render_template("console/inbox.html", T=support_texts, rows=rows, which=which, counts=counts,
                           notices=notices, page=min(page, pages), pages=pages, total=total)


@dataclass(frozen=True)
class CaseRow:
    id: int
    status: str
    who: str
    district: str
    preview: str
    last_from_staff: bool
    last_message_at: Any
    assignee_is_me: bool
    has_assignee: bool


def _preview(kind: str | None, body: str) -> str:
    if kind is None:
        return support_texts.NO_MESSAGES_YET
    if kind == "text":
        return body[:120]
    return support_texts.KIND_PREVIEW.get(kind, support_texts.KIND_PREVIEW["other"]) + (f" {body[:60]}" if body else "")


def _row(item: support.CaseSummary) -> CaseRow:
    case = item.case
    return CaseRow(case.id, case.status, case.display_name or item.full_name or support_texts.UNNAMED,
                   district_name(item.district) if item.district else "", _preview(item.last_kind, item.last_body),
                   item.last_from_staff, case.last_message_at, case.assignee == current_staff().line_user_id,
                   case.assignee is not None)


@dataclass(frozen=True)
class MessageView:
    id: int
    from_staff: bool
    kind: str
    body: str
    image_url: str | None
    thumb_url: str | None
    map_url: str | None
    sent_as: str | None
    created_at: Any


def _message_views(session: Any, messages: list[Any]) -> list[MessageView]:
    found = support.images_of(session, messages)
    views = []
    for m in messages:
        image = found.get(m.image_id) if m.image_id else None
        map_url = (f"https://www.google.com/maps?q={m.latitude:.6f},{m.longitude:.6f}"
                   if m.latitude is not None and m.longitude is not None else None)
        views.append(MessageView(m.id, m.from_staff, m.kind, m.body, images.image_url("", image) if image else None,
                                 images.thumb_url("", image) if image else None, map_url, m.sent_as, m.created_at))
    return views


def _thread(case_id: int, status: int = 200, draft: str = "", error: str | None = None) -> Any:
    with runtime().db.transaction() as session:
        try:
            case = support.get_case(session, case_id)
        except DomainError:
            abort(404)
        messages = _message_views(session, support.messages_of(session, case.id))
        person = support.person_of(session, case.line_user_id)
        view = {"id": case.id, "status": case.status, "display_name": case.display_name, "assignee": case.assignee, "opened_at": case.opened_at,
                "first_answer_at": case.first_answer_at, "closed_at": case.closed_at, "closed_by": case.closed_by,
                "first_answer": support.first_answer_delay(case), "last_message_at": case.last_message_at}
    person["district_name"] = district_name(person["district"]) if person["district"] else ""
    person["interest_names"] = [citizens_texts.INTEREST_NAMES.get(k, k) for k in person["interests"]]
    person["purpose_names"] = [citizens_texts.PURPOSE_NAMES.get(k, k) for k in person["opted_in"]]
    return render_template("console/inbox_thread.html", T=support_texts, case=view, messages=messages, person=person,
                           me=current_staff(), draft=draft, error=error,
                           last_id=messages[-1].id if messages else 0), status


@bp.get("/<int:case_id>")
@staff_required
def thread(case_id: int) -> Any:
    return _thread(case_id)


@bp.get("/<int:case_id>/messages")
@staff_required
def newer_messages(case_id: int) -> Any:
    """The thread's messages after `after` as an HTML fragment, for the page's polling (no reload while typing)."""
    raw = request.args.get("after", "0")[:12]
    after = int(raw) if raw.isdigit() and len(raw) < 11 else 0
    with runtime().db.transaction() as session:
        try:
            case = support.get_case(session, case_id)
        except DomainError:
            abort(404)
        messages = support.messages_of(session, case.id, after=after)
        views = _message_views(session, messages)
        status = case.status
    html = render_template("console/_inbox_messages.html", T=support_texts, messages=views)
    response = Response(html, mimetype="text/html")
    response.headers["X-Case-Status"] = status
    response.headers["X-Last-Message"] = str(views[-1].id if views else after)
    return response


def _redirect(case_id: int) -> Any:
    return redirect(url_for("console_inbox.thread", case_id=case_id) + "#reply")


@bp.post("/<int:case_id>/reply")
@staff_required
def reply(case_id: int) -> Any:
    rt = runtime()
    body = request.form.get("text", "")[:MAX_REPLY_FORM]
    try:
        with rt.db.transaction() as session:
            message = support.reply(session, case_id, current_staff().line_user_id, body, rt.clock())
            sent_as = message.sent_as
    except DomainError as exc:
        if exc.code == "case_not_found":
            abort(404)
        return _thread(case_id, status=422, draft=body, error=exc.message)
    flash(support_texts.REPLY_SENT_REPLY if sent_as == "reply" else support_texts.REPLY_SENT_PUSH, "ok")
    return _redirect(case_id)


def _act(case_id: int, action: Any, done: str) -> Any:
    rt = runtime()
    try:
        with rt.db.transaction() as session:
            action(session, case_id, current_staff().line_user_id, rt.clock())
    except DomainError as exc:
        if exc.code == "case_not_found":
            abort(404)
        flash(exc.message, "error")
        return _redirect(case_id)
    flash(done, "ok")
    return _redirect(case_id)


@bp.post("/<int:case_id>/take")
@staff_required
def take(case_id: int) -> Any:
    return _act(case_id, support.take, support_texts.CASE_TAKEN)


@bp.post("/<int:case_id>/close")
@staff_required
def close(case_id: int) -> Any:
    return _act(case_id, support.close_by_staff, support_texts.CASE_CLOSED)


@bp.post("/<int:case_id>/reopen")
@staff_required
def reopen(case_id: int) -> Any:
    return _act(case_id, support.reopen, support_texts.CASE_REOPENED)


@bp.post("/notices")
@staff_required
def notices() -> Any:
    rt = runtime()
    on = request.form.get("on") == "1"
    with rt.db.transaction() as session:
        support.set_notices(session, current_staff().line_user_id, on, rt.clock())
    flash(support_texts.NOTICE_ON if on else support_texts.NOTICE_OFF, "ok")
    return redirect(url_for("console_inbox.index"))


def register(app: Flask) -> None:
    app.register_blueprint(bp)
