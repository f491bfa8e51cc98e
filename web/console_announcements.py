"""Console: announcements. Staff compose a free announcement or announce a project's stage, choose the
audience (everyone, districts, interests, followers of the project; marketing only to opted-in people), send now
or at a set time, and see the recipient count and the message quota left this month before confirming. The list
shows each announcement's status and delivery counts (from the outbox)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask import Blueprint, Flask, abort, flash, redirect, render_template, request, url_for

from bot.runtime import runtime
from flex_templates.projects import free_announcement, stage_announcement
from models.media import MediaImage
from models.projects import STAGES
from services import announcements, channels, feeds, images, projects
from services.announcements import Audience
from services.errors import DomainError, NotFound
from texts import citizens as citizens_texts
from texts import console as console_texts
from texts import projects as projects_texts
from texts.districts import DISTRICTS
from web.auth import current_staff, staff_required

log = logging.getLogger(__name__)

bp = Blueprint("console_announcements", __name__, url_prefix="/console/announcements")
# The console menu entry for these pages (collected by web/console.py).
CONSOLE_NAV = [(20, "ประกาศข่าว", "console_announcements.index", "console_announcements")]

MAX_TEXT = 1000


@dataclass
class Draft:
    """What the form says, checked; rebuilt from the form at every step (nothing is trusted from the page)."""

    project_id: int | None = None
    stage: str = ""
    text: str = ""
    link: str = ""
    image_id: int | None = None
    audience_kind: str = "everyone"  # everyone | districts | interests | project
    districts: list[str] = field(default_factory=list)
    interests: list[str] = field(default_factory=list)
    marketing: bool = False
    when: str = "now"  # now | later
    send_at_local: str = ""
    facebook: bool = False  # also post to the province's Facebook Page (offered only when it can be)

    def audience(self) -> Audience:
        if self.audience_kind == "districts":
            return Audience(districts=tuple(self.districts), marketing=self.marketing)
        if self.audience_kind == "interests":
            return Audience(interests=tuple(self.interests), marketing=self.marketing)
        if self.audience_kind == "project" and self.project_id:
            return Audience(project_id=self.project_id, marketing=self.marketing)
        return Audience(marketing=self.marketing)


def _int(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() and len(value) < 10 else None


def _draft_from(values: Any) -> Draft:
    return Draft(
        project_id=_int(values.get("project_id")),
        stage=values.get("stage", "")[:20],
        text=values.get("text", "").replace("\r\n", "\n").strip()[:MAX_TEXT + 1],
        link=values.get("link", "").strip()[:1001],
        image_id=_int(values.get("image_id")),
        audience_kind=values.get("audience_kind", "everyone")[:20],
        districts=[d for d in values.getlist("districts") if d in DISTRICTS] if hasattr(values, "getlist") else [],
        interests=[i for i in values.getlist("interests") if i in citizens_texts.INTEREST_NAMES]
        if hasattr(values, "getlist") else [],
        marketing=values.get("marketing") == "1",
        when="later" if values.get("when") == "later" else "now",
        send_at_local=values.get("send_at", "")[:16],
        facebook=channels.facebook_chosen(values, runtime().settings),
    )


def _send_at(draft: Draft, now: datetime) -> datetime | None:
    if draft.when != "later":
        return None
    try:
        local = datetime.fromisoformat(draft.send_at_local)
    except ValueError:
        raise DomainError(projects_texts.CONSOLE_BAD_TIME, code="bad_time") from None
    when = local.replace(tzinfo=ZoneInfo(runtime().settings.TZ)).astimezone(UTC)
    if when <= now:
        raise DomainError(projects_texts.CONSOLE_PAST_TIME, code="past_time")
    return when


def _check(session: Any, draft: Draft) -> None:
    """Raises DomainError with a Thai reason when the draft can't be sent."""
    if draft.project_id is not None:
        project = projects.get(session, draft.project_id, published_only=True)
        if draft.stage not in STAGES or STAGES.index(draft.stage) > STAGES.index(project.stage):
            raise DomainError(projects_texts.CONSOLE_BAD_STAGE, code="bad_stage")
    else:
        if not draft.text:
            raise DomainError(projects_texts.CONSOLE_TEXT_NEEDED, code="no_text")
        if len(draft.text) > MAX_TEXT:
            raise DomainError(projects_texts.TEXT_TOO_LONG.format(n=f"{len(draft.text):,}"), code="text_too_long")
        if draft.link:
            parts = urlsplit(draft.link)
            if parts.scheme != "https" or "." not in parts.netloc or any(c.isspace() for c in draft.link):
                raise DomainError(projects_texts.LINK_INVALID, code="bad_link")
    if draft.audience_kind == "districts" and not draft.districts:
        raise DomainError(projects_texts.CONSOLE_PICK_DISTRICT, code="no_district")
    if draft.audience_kind == "interests" and not draft.interests:
        raise DomainError(projects_texts.CONSOLE_PICK_INTEREST, code="no_interest")
    if draft.audience_kind == "project" and draft.project_id is None:
        raise DomainError(projects_texts.CONSOLE_PICK_AUDIENCE, code="no_project")
    draft.audience().check()


def _image_url(session: Any, draft: Draft) -> str | None:
    if draft.image_id is None:
        return None
    image = session.get(MediaImage, draft.image_id)
    if image is None or image.kind != "announcement":
        draft.image_id = None
        return None
    return images.image_url(runtime().settings.public_base_url, image)


def _quota() -> dict[str, Any]:
    try:
        limit, used = runtime().line.quota()
    except Exception:  # noqa: BLE001 - advice only: LINE being unreachable must not block the page
        log.warning("message quota unavailable")
        return {"known": False}
    return {"known": True, "limit": limit, "used": used, "left": None if limit is None else max(0, limit - used)}


def _form(draft: Draft, *, error: str | None = None, status: int = 200) -> Any:
    rt = runtime()
    project = None
    if draft.project_id is not None:
        with rt.db.transaction() as session:
            try:
                project = projects.get(session, draft.project_id, published_only=True)
            except NotFound:
                abort(404)
    return render_template("projects/announce_form.html", T=projects_texts, CT=console_texts, CTZ=citizens_texts,
                           draft=draft, project=project, districts=DISTRICTS, stages=STAGES, error=error), status


@bp.get("")
@staff_required
def index() -> Any:
    """Recent announcements with status, audience and delivery counts."""
    rt = runtime()
    with rt.db.transaction() as session:
        rows = announcements.list_announcements(session, limit=50)
        posts = channels.posts_by_announcement(session, [row.id for row in rows])
        items = [{"row": row, "audience": announcements.describe_audience(session, Audience.from_dict(row.audience)),
                  "counts": announcements.delivery_counts(session, row.id), "facebook": posts[row.id],
                  "feed": feeds.feed_entry_url(session, row, rt.settings.public_base_url)} for row in rows]
    return render_template("projects/announcements.html", T=projects_texts, CT=console_texts, items=items)


@bp.get("/new")
@staff_required
def new() -> Any:
    project_id = _int(request.args.get("project_id"))
    draft = Draft(project_id=project_id, audience_kind="project" if project_id else "everyone")
    if project_id is not None:
        with runtime().db.transaction() as session:
            try:
                draft.stage = projects.get(session, project_id, published_only=True).stage
            except NotFound:
                abort(404)
    return _form(draft)


@bp.post("/preview")
@staff_required
def preview() -> Any:
    """Shows the message as citizens will see it, who gets it, and the quota it uses, with a confirm button."""
    rt = runtime()
    draft = _draft_from(request.form)
    upload = request.files.get("photo")
    try:
        with rt.db.transaction() as session:
            if upload and upload.filename:
                processed = images.accept_image(upload.read())
                draft.image_id = images.save_image(session, processed, kind="announcement", owner_key="announcement",
                                                   now=rt.clock()).id
            _check(session, draft)
            send_at = _send_at(draft, rt.clock())
            audience = draft.audience()
            count = announcements.preview(session, audience).recipients
            described = announcements.describe_audience(session, audience)
            view = None
            if draft.project_id is not None:
                project = projects.get(session, draft.project_id, published_only=True)
                view = projects.project_view(session, project, rt.settings.public_base_url)
            image_url = _image_url(session, draft)
            facebook_post = None
            if draft.facebook:
                message = (stage_announcement(view, draft.stage or view.stage) if view is not None
                           else free_announcement(draft.text, image_url, draft.link or None))
                facebook_post = channels.preview_post([message])
    except NotFound:
        abort(404)
    except DomainError as exc:
        return _form(draft, error=exc.message, status=422)
    quota = _quota()
    short = quota.get("known") and quota.get("left") is not None and count > quota["left"]
    return render_template("projects/announce_preview.html", T=projects_texts, CT=console_texts, draft=draft, view=view,
                           count=count, audience=described, quota=quota, short=short, send_at=send_at,
                           image_url=image_url, broadcast=audience.is_broadcast, facebook_post=facebook_post)


@bp.post("")
@staff_required
def create() -> Any:
    """Creates the announcement from the confirmed form (checked again; the staff member is checked again)."""
    rt = runtime()
    draft = _draft_from(request.form)
    if request.form.get("edit") == "1":
        return _form(draft)
    actor = current_staff().line_user_id
    chosen = ("facebook",) if draft.facebook else ()
    try:
        with rt.db.transaction() as session:
            _check(session, draft)
            send_at = _send_at(draft, rt.clock())
            if draft.project_id is not None:
                row = projects.announce(session, actor, draft.project_id, rt.settings.public_base_url, draft.audience(),
                                        send_at, rt.clock(), stage=draft.stage, channels=chosen)
            else:
                messages = [free_announcement(draft.text, _image_url(session, draft), draft.link or None)]
                row = announcements.create_announcement(session, actor, messages, draft.audience(), send_at,
                                                        rt.clock(), source="console", channels=chosen)
            result = (row.id, row.status, row.recipient_count, row.send_at)
    except NotFound:
        abort(404)
    except DomainError as exc:
        return _form(draft, error=exc.message, status=422)
    if result[1] == "sent":
        rt.dispatcher.wake()
        flash(projects_texts.CONSOLE_SENT.format(id=result[0], n=f"{result[2]:,}"), "ok")
    else:
        flash(projects_texts.CONSOLE_SCHEDULED.format(id=result[0]), "ok")
    return redirect(url_for("console_announcements.index"))


@bp.post("/<int:announcement_id>/cancel")
@staff_required
def cancel(announcement_id: int) -> Any:
    rt = runtime()
    try:
        with rt.db.transaction() as session:
            announcements.cancel(session, current_staff().line_user_id, announcement_id, rt.clock())
    except NotFound:
        abort(404)
    except DomainError as exc:
        flash(exc.message, "error")
    else:
        flash(projects_texts.CONSOLE_CANCELLED.format(id=announcement_id), "ok")
    return redirect(url_for("console_announcements.index"))


def register(app: Flask) -> None:
    app.register_blueprint(bp)
