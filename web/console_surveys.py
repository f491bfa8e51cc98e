"""Staff console for surveys at /console/surveys: create from a template or blank, edit questions while a draft,
attach to a training or project, open and close, the per-person cap, and results (chart, CSV)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, Response, abort, flash, redirect, render_template, request, url_for

from bot.runtime import runtime
from models.trainings import Training
from services import survey_results, surveys, trainings
from services.errors import DomainError
from texts import surveys as surveys_texts
from texts import trainings as trainings_texts
from web.auth import current_staff, staff_required
from web.csv_export import csv_response

bp = Blueprint("console_surveys", __name__, url_prefix="/console/surveys")
# The console menu entry for these pages (collected by web/console.py).
CONSOLE_NAV = [(40, "แบบสอบถาม", "console_surveys.index", "console_surveys")]




def _actor() -> str:
    return current_staff().line_user_id


def _back(survey_id: int) -> Any:
    return redirect(url_for("console_surveys.detail", survey_id=survey_id))


def _act(survey_id: int, action: Any, done: str) -> Any:
    rt = runtime()
    try:
        with rt.db.transaction() as session:
            action(session, rt.clock())
    except DomainError as exc:
        if exc.code == "survey_not_found":
            abort(404)
        flash(exc.message, "error")
    else:
        flash(done, "ok")
    return _back(survey_id)


@bp.get("", strict_slashes=False)
@staff_required
def index() -> Any:
    with runtime().db.transaction() as session:
        rows = surveys.list_surveys(session)
        cap = surveys.settings(session).min_days_between_surveys
    return render_template("surveys/index.html", ST=surveys_texts, rows=rows, cap=cap,
                           templates=surveys_texts.TEMPLATES)


@bp.post("/new")
@staff_required
def create() -> Any:
    rt = runtime()
    template = request.form.get("template", "")
    title = request.form.get("title", "").strip()[:200]
    try:
        with rt.db.transaction() as session:
            if template:
                survey = surveys.create_from_template(session, template, _actor(), rt.clock(), title=title or None)
            else:
                kind = request.form.get("kind", "general")
                survey = surveys.create_survey(session, title=title, kind=kind, actor=_actor(), now=rt.clock(),
                                               intro=request.form.get("intro", "")[:1000])
            survey_id = survey.id
    except DomainError as exc:
        flash(exc.message, "error")
        return redirect(url_for("console_surveys.index"))
    flash(surveys_texts.C_CREATED, "ok")
    return _back(survey_id)


@bp.post("/settings")
@staff_required
def save_settings() -> Any:
    rt = runtime()
    raw = request.form.get("min_days", "").strip()
    if not raw.isdigit() or len(raw) > 4:
        flash(surveys_texts.C_BAD_NUMBER, "error")
        return redirect(url_for("console_surveys.index"))
    try:
        with rt.db.transaction() as session:
            surveys.set_min_days(session, int(raw), _actor(), rt.clock())
    except DomainError as exc:
        flash(exc.message, "error")
    else:
        flash(surveys_texts.C_SETTINGS_SAVED, "ok")
    return redirect(url_for("console_surveys.index"))


@bp.get("/<int:survey_id>")
@staff_required
def detail(survey_id: int) -> Any:
    from models.projects import Project
    from services import projects

    rt = runtime()
    with rt.db.transaction() as session:
        try:
            survey = surveys.get_survey(session, survey_id)
        except DomainError:
            abort(404)
        qs = surveys.questions(session, survey_id)
        training = session.get(Training, survey.training_id) if survey.training_id else None
        project = session.get(Project, survey.project_id) if survey.project_id else None
        training_choices = [(t.id, f"{t.title} ({trainings_texts.thai_date(t.starts_at)})") for t in
                            trainings.list_trainings(session, limit=100) if t.status != "cancelled"]
        project_choices = [(p.id, p.title) for p in projects.list_projects(session, published_only=False, limit=200)]
    return render_template("surveys/detail.html", ST=surveys_texts, TT=trainings_texts, survey=survey, questions=qs,
                           training=training, project=project, training_choices=training_choices,
                           project_choices=project_choices)


@bp.post("/<int:survey_id>/questions")
@staff_required
def add_question(survey_id: int) -> Any:
    options = [line for line in request.form.get("options", "")[:2000].splitlines()]
    question = surveys.QuestionInput(kind=request.form.get("kind", ""), prompt=request.form.get("prompt", "")[:400],
                                     options=options, required=request.form.get("required") == "yes")
    return _act(survey_id, lambda s, now: surveys.add_question(s, survey_id, question, now), surveys_texts.C_ATTACHED)


@bp.post("/<int:survey_id>/questions/<int:question_id>/remove")
@staff_required
def remove_question(survey_id: int, question_id: int) -> Any:
    return _act(survey_id, lambda s, now: surveys.remove_question(s, survey_id, question_id, now),
                surveys_texts.C_ATTACHED)


@bp.post("/<int:survey_id>/questions/<int:question_id>/move")
@staff_required
def move_question(survey_id: int, question_id: int) -> Any:
    delta = -1 if request.form.get("direction") == "up" else 1
    return _act(survey_id, lambda s, now: surveys.move_question(s, survey_id, question_id, delta, now),
                surveys_texts.C_ATTACHED)


@bp.post("/<int:survey_id>/status")
@staff_required
def change_status(survey_id: int) -> Any:
    status = request.form.get("status", "")
    done = {"active": surveys_texts.C_ACTIVATED, "closed": surveys_texts.C_CLOSED}.get(status, surveys_texts.C_ATTACHED)
    return _act(survey_id, lambda s, now: surveys.set_status(s, survey_id, status, now), done)


@bp.post("/<int:survey_id>/attach")
@staff_required
def attach(survey_id: int) -> Any:
    training = request.form.get("training_id", "").strip()
    project = request.form.get("project_id", "").strip()
    return _act(survey_id, lambda s, now: surveys.attach(
        s, survey_id, training_id=int(training) if training.isdigit() else None,
        project_id=int(project) if project.isdigit() else None, now=now), surveys_texts.C_ATTACHED)


@bp.get("/<int:survey_id>/results")
@staff_required
def results(survey_id: int) -> Any:
    with runtime().db.transaction() as session:
        try:
            res = survey_results.results(session, survey_id, staff=True)  # anonymous answers however few
        except DomainError:
            abort(404)
        has_chart = res.detail and any(q.question.kind == "rating" for q in res.questions)
        photos = {}
        for q in res.questions:
            for image_id in q.image_ids[:24]:
                urls = trainings.image_urls(session, image_id, "")
                if urls:
                    photos.setdefault(q.question.id, []).append(urls[1])
    return render_template("surveys/results.html", ST=surveys_texts, res=res, has_chart=has_chart, photos=photos,
                           minimum=survey_results.MIN_RESPONSES_FOR_DETAIL)


@bp.get("/<int:survey_id>/chart.png")
@staff_required
def chart(survey_id: int) -> Response:
    with runtime().db.transaction() as session:
        try:
            data = survey_results.chart_png(session, survey_id)
        except DomainError:
            abort(404)
    if data is None:
        abort(404)
    return Response(data, mimetype="image/png")


@bp.get("/<int:survey_id>/results.csv")
@staff_required
def results_csv(survey_id: int) -> Response:
    rt = runtime()
    with rt.db.transaction() as session:
        try:
            header, rows = survey_results.results_table(session, survey_id, rt.settings.public_base_url)
        except DomainError:
            abort(404)
    return csv_response(f"survey-{survey_id}-results.csv", header, rows)


def register(app: Flask) -> None:
    app.register_blueprint(bp)
