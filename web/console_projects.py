"""Console: projects. Staff create and edit projects, move them through stages (and go on to announce the
change), and upload activity photos per stage, from a phone too (the file field opens the camera)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from flask import Blueprint, Flask, Response, abort, flash, redirect, render_template, request, url_for
from werkzeug.datastructures import FileStorage

from bot.runtime import runtime
from models.projects import PROJECT_KINDS, STAGES
from services import announcements, channels, feeds, projects
from services.errors import DomainError, NotFound
from services.projects import ProjectInput
from texts import console as console_texts
from texts import projects as projects_texts
from texts.districts import DISTRICTS
from web.auth import current_staff, staff_required

bp = Blueprint("console_projects", __name__, url_prefix="/console/projects")
# The console menu entry for these pages (collected by web/console.py).
CONSOLE_NAV = [(10, "โครงการ", "console_projects.index", "console_projects")]

MAX_UPLOADS = 10
ASSETS = Path(__file__).resolve().parent / "templates" / "projects"


@bp.get("/assets/console.css")
def stylesheet() -> Response:
    """The projects and announcements console styles (kept beside their templates)."""
    response = Response((ASSETS / "console.css").read_text(encoding="utf-8"), mimetype="text/css")
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


def _page(template: str, status: int = 200, **values: Any) -> tuple[str, int]:
    return render_template(template, T=projects_texts, CT=console_texts, kinds=PROJECT_KINDS, stages=STAGES,
                           districts=DISTRICTS, **values), status


def _date(name: str) -> date | None:
    value = request.form.get(name, "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        raise DomainError(f"วันที่ไม่ถูกต้อง: {value[:20]}", code="bad_date") from None


def _form_input() -> tuple[ProjectInput, dict[str, Any]]:
    form = {
        "kind": request.form.get("kind", "")[:40],
        "title": request.form.get("title", "")[:300],
        "description": request.form.get("description", "")[:6000],
        "districts": [d for d in request.form.getlist("districts") if d in DISTRICTS],
        "location": request.form.get("location", "")[:400],
        "budget": request.form.get("budget", "").strip()[:30],
        "start_date": request.form.get("start_date", "")[:10],
        "end_date": request.form.get("end_date", "")[:10],
        "published": request.form.get("published") == "1",
    }
    data = ProjectInput(kind=form["kind"] or None, title=form["title"], description=form["description"],
                        districts=form["districts"], location=form["location"], budget=form["budget"] or None,
                        clear_budget=not form["budget"], start_date=_date("start_date"), end_date=_date("end_date"),
                        published=form["published"])
    return data, form


def _uploads(name: str) -> list[bytes]:
    files: list[FileStorage] = [f for f in request.files.getlist(name) if f and f.filename]
    if len(files) > MAX_UPLOADS:
        raise DomainError(f"อัปโหลดได้ครั้งละไม่เกิน {MAX_UPLOADS} รูป", code="too_many_files")
    return [f.read() for f in files]


@bp.get("")
@staff_required
def index() -> Any:
    """Every project (published or not), most recently changed first."""
    rt = runtime()
    stage = request.args.get("stage", "")
    with rt.db.transaction() as session:
        rows = projects.list_projects(session, published_only=False, stage=stage if stage in STAGES else None,
                                      limit=200)
        views = [(row, projects.follower_count(session, row.id)) for row in rows]
    return _page("projects/index.html", rows=views, stage=stage)


@bp.get("/new")
@staff_required
def new() -> Any:
    return _page("projects/form.html", project=None, form={"published": True, "districts": []}, error=None)


@bp.post("/new")
@staff_required
def create() -> Any:
    rt = runtime()
    form: dict[str, Any] = {}
    try:
        data, form = _form_input()
        covers = _uploads("cover")
        with rt.db.transaction() as session:
            project = projects.create_project(session, current_staff().line_user_id, data, rt.clock())
            if covers:
                projects.set_cover(session, current_staff().line_user_id, project.id, covers[0], rt.clock())
            project_id = project.id
    except DomainError as exc:
        return _page("projects/form.html", 422, project=None, form=form or {"districts": []}, error=exc.message)
    flash(projects_texts.CONSOLE_CREATED, "ok")
    return redirect(url_for("console_projects.show", project_id=project_id))


def _load(session: Any, project_id: int) -> Any:
    try:
        return projects.get(session, project_id)
    except NotFound:
        abort(404)


def _show(project_id: int, *, form: dict | None = None, error: str | None = None, status: int = 200) -> Any:
    rt = runtime()
    with rt.db.transaction() as session:
        project = _load(session, project_id)
        view = projects.project_view(session, project, rt.settings.public_base_url)
        photos = projects.photo_links(session, project_id, rt.settings.public_base_url)
        history = projects.stage_history(session, project_id)
        followers = projects.follower_count(session, project_id)
        # Where each reached stage went: its LINE announcements (recipients), Facebook posts and feed entry.
        base = rt.settings.public_base_url
        sent = announcements.sent_for_project(session, project_id)
        published = {change.stage: {
            "line": [row for row in sent
                     if row.title.startswith(projects_texts.ANNOUNCE_HEADER.get(change.stage, "\0"))],
            "facebook": channels.posts_for_stage(session, project_id, change.stage),
            "feed": feeds.stage_entry(project, change.stage, base)} for change in history}
    if form is None:
        form = {"kind": project.kind, "title": project.title, "description": project.description,
                "districts": list(project.districts or []), "location": project.location,
                "budget": "" if project.budget is None else f"{project.budget:f}",
                "start_date": project.start_date.isoformat() if project.start_date else "",
                "end_date": project.end_date.isoformat() if project.end_date else "", "published": project.published}
    next_stages = [s for s in STAGES if STAGES.index(s) > STAGES.index(project.stage)]
    return _page("projects/show.html", status, project=project, view=view, photos=photos,
                 history=history, followers=followers, form=form, error=error, next_stages=next_stages,
                 published=published)


@bp.get("/<int:project_id>")
@staff_required
def show(project_id: int) -> Any:
    return _show(project_id)


@bp.post("/<int:project_id>")
@staff_required
def update(project_id: int) -> Any:
    rt = runtime()
    form: dict[str, Any] | None = None
    try:
        data, form = _form_input()
        covers = _uploads("cover")
        with rt.db.transaction() as session:
            projects.update_project(session, current_staff().line_user_id, project_id, data, rt.clock())
            if covers:
                projects.set_cover(session, current_staff().line_user_id, project_id, covers[0], rt.clock())
    except NotFound:
        abort(404)
    except DomainError as exc:
        return _show(project_id, form=form, error=exc.message, status=422)
    flash(projects_texts.CONSOLE_SAVED, "ok")
    return redirect(url_for("console_projects.show", project_id=project_id))


@bp.post("/<int:project_id>/stage")
@staff_required
def change_stage(project_id: int) -> Any:
    """Moves the project on; "announce" goes straight to the announcement form for this stage."""
    rt = runtime()
    stage = request.form.get("stage", "")[:20]
    try:
        with rt.db.transaction() as session:
            projects.change_stage(session, current_staff().line_user_id, project_id, stage, rt.clock(),
                                  note=request.form.get("note", "")[:2000])
            photos = _uploads("photos")
            for data in photos:
                projects.add_photo(session, current_staff().line_user_id, project_id, data, rt.clock(), stage=stage)
    except NotFound:
        abort(404)
    except DomainError as exc:
        flash(exc.message, "error")
        return redirect(url_for("console_projects.show", project_id=project_id))
    flash(projects_texts.CONSOLE_STAGE_CHANGED.format(stage=projects_texts.STAGE_NAMES[stage]), "ok")
    if request.form.get("announce") == "1":
        return redirect(url_for("console_announcements.new", project_id=project_id))
    return redirect(url_for("console_projects.show", project_id=project_id))


@bp.post("/<int:project_id>/photos")
@staff_required
def upload_photos(project_id: int) -> Any:
    rt = runtime()
    stage = request.form.get("stage", "")[:20] or None
    caption = request.form.get("caption", "")[:200]
    try:
        files = _uploads("photos")
        if not files:
            raise DomainError(projects_texts.CONSOLE_NO_FILE, code="no_file")
        with rt.db.transaction() as session:
            for data in files:
                projects.add_photo(session, current_staff().line_user_id, project_id, data, rt.clock(), stage=stage,
                                   caption=caption)
    except NotFound:
        abort(404)
    except DomainError as exc:
        flash(exc.message, "error")
    else:
        flash(projects_texts.CONSOLE_PHOTOS_ADDED.format(n=len(files)), "ok")
    return redirect(url_for("console_projects.show", project_id=project_id, _anchor="photos"))


@bp.post("/<int:project_id>/photos/<int:photo_id>/delete")
@staff_required
def delete_photo(project_id: int, photo_id: int) -> Any:
    rt = runtime()
    try:
        with rt.db.transaction() as session:
            projects.delete_photo(session, current_staff().line_user_id, project_id, photo_id, rt.clock())
    except NotFound:
        abort(404)
    flash(projects_texts.CONSOLE_PHOTO_DELETED, "ok")
    return redirect(url_for("console_projects.show", project_id=project_id, _anchor="photos"))


def register(app: Flask) -> None:
    app.register_blueprint(bp)
