"""Public pages under PUBLIC_BASE_URL: the list of projects (by district, stage, kind), one project with its
stages, dates and photos, the privacy notice, and a person's data export page (private link from the chat).

Also provides the public page layout (`web/templates/public/base.html`) and its `PUB` texts to every template.
"""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

from flask import Blueprint, Flask, Response, abort, render_template, request

from bot.runtime import runtime
from models.projects import PROJECT_KINDS, STAGES
from services import announcements, privacy, project_ratings, projects
from services.errors import NotFound
from texts import citizens as citizens_texts
from texts import personal_data as personal_data_texts
from texts import project_ratings as project_ratings_texts
from texts import projects as projects_texts
from texts.districts import DISTRICTS
from web import personal_data, public_results

bp = Blueprint("public_projects", __name__)

PAGE_SIZE = 24


def _choice(name: str, allowed: Any) -> str:
    value = request.args.get(name, "")[:40]
    return value if value in allowed else ""


@bp.get("/projects")
def project_list() -> Any:
    """All published projects, newest change first, filtered by district, stage and kind."""
    rt = runtime()
    district, stage, kind = _choice("district", DISTRICTS), _choice("stage", STAGES), _choice("kind", PROJECT_KINDS)
    page_arg = request.args.get("page", "1")
    page = int(page_arg) if page_arg.isdigit() and 0 < len(page_arg) < 6 else 1
    with rt.db.transaction() as session:
        total = projects.count_projects(session, district=district or None, stage=stage or None, kind=kind or None)
        rows = projects.list_projects(session, district=district or None, stage=stage or None, kind=kind or None,
                                      limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
        views = [projects.project_view(session, row, rt.settings.public_base_url, with_photos=False) for row in rows]
    return render_template("public/projects.html", T=projects_texts, views=views, total=total, page=page,
                           has_next=page * PAGE_SIZE < total, district=district, stage=stage, kind=kind,
                           districts=DISTRICTS, stages=STAGES, kinds=PROJECT_KINDS,
                           share_url=f"{rt.settings.public_base_url}/projects")


@bp.get("/projects/<int:project_id>")
def project_page(project_id: int) -> Any:
    """One project: details, the stage timeline with Thai dates, photos of each stage, share buttons; once
    finished, the citizens' rating (hidden under 5), before and after photos, the citizens' photos and the results
    section (RESULTS' templates/reports/_project_results.html, suppressed figures)."""
    rt = runtime()
    try:
        with rt.db.transaction() as session:
            project = projects.get(session, project_id, published_only=True)
            view = projects.project_view(session, project, rt.settings.public_base_url)
            finished = project_ratings.is_finished(project)
            rating = project_ratings.project_rating(session, project.id) if finished else None
            citizen_photos = (project_ratings.result_photos(session, project.id, rt.settings.public_base_url)
                              if finished else [])
            before_after = (project_ratings.before_after(session, project.id, rt.settings.public_base_url,
                                                         citizen_photos) if finished else None)
            project_results = (public_results.project_results(session, project.id, rt.clock(),
                                                              rt.settings.public_base_url) if finished else None)
            announced = [(row.sent_at, row.title) for row in announcements.sent_for_project(session, project.id)]
    except NotFound:
        abort(404)
    oa = rt.settings.LINE_OA_ID or ""
    follow_url = f"https://line.me/R/oaMessage/{oa}/?{projects_texts.WORD_PROJECTS}" if oa else None
    return render_template("public/project.html", T=projects_texts, R=project_ratings_texts, view=view,
                           districts=DISTRICTS, follow_url=follow_url, share_url=view.public_url,
                           share_text=view.title, finished=finished, rating=rating, citizen_photos=citizen_photos,
                           before_after=before_after, project_results=project_results, announced=announced)


@bp.get("/privacy", endpoint="privacy")
def privacy_page() -> Any:
    """The full privacy notice (PDPA)."""
    return render_template("public/privacy.html", T=projects_texts, CT=citizens_texts, no_share=True)


def _export(token: str) -> dict[str, Any] | None:
    """The data behind an export link, or None when the link is unknown or expired."""
    rt = runtime()
    try:
        with rt.db.transaction() as session:
            return privacy.export_for_token(session, token, rt.clock())
    except NotFound:
        return None


@bp.get("/my-data/<token>")
def my_data(token: str) -> Any:
    """A person's data copy (link from "ข้อมูลของฉัน"; valid 30 minutes): readable sections by feature, the JSON
    as a download beside them; an old or unknown link gets a polite page."""
    data = _export(token)
    if data is None:
        return _private(Response(render_template("public/my_data_expired.html", PD=personal_data_texts, no_share=True),
                                 status=404))
    sections = personal_data.readable(data, runtime().settings.TZ)
    return _private(Response(render_template("public/my_data.html", PD=personal_data_texts, sections=sections,
                                             token=token, no_share=True)))


@bp.get("/my-data/<token>.json")
def my_data_json(token: str) -> Any:
    """The same data, machine-readable (PDPA data portability), as a file download."""
    data = _export(token)
    if data is None:
        response = Response(json.dumps({"error": "export_link_invalid", "message": personal_data_texts.EXPIRED_JSON},
                                       ensure_ascii=False), status=404, mimetype="application/json")
        return _private(response)
    response = Response(json.dumps(data, ensure_ascii=False, indent=2, default=str),
                        mimetype="application/json")
    response.headers["Content-Disposition"] = 'attachment; filename="kk-my-data.json"'
    return _private(response)


def _private(response: Response) -> Response:
    # Personal data: never cached, never indexed, never leaked as a Referer.
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def register(app: Flask) -> None:
    """Serves the public pages and gives every template the public layout's texts (`PUB`)."""
    settings = app.extensions["kk"].settings
    oa = (settings.LINE_OA_ID or "").strip()
    texts = dict(projects_texts.PUBLIC,
                 LINE_ADD_URL=f"https://line.me/R/ti/p/{oa}" if oa else projects_texts.PUBLIC["WEBSITE_URL"])
    app.jinja_env.globals["PUB"] = SimpleNamespace(**texts)
    app.register_blueprint(bp)
