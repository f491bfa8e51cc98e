"""Staff console for trainings at /console/trainings: list, create and edit (speakers, photos, districts), publish,
announce through the announcement flow, cancel, see sign-ups and the waitlist, attach the satisfaction survey."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, Flask, abort, flash, redirect, render_template, request, url_for
from werkzeug.datastructures import FileStorage

from bot.runtime import runtime
from services import surveys, trainings
from services.errors import DomainError
from services.images import accept_image, save_image
from texts import surveys as surveys_texts
from texts import trainings as trainings_texts
from texts.districts import DISTRICTS
from web.auth import current_staff, staff_required

bp = Blueprint("console_trainings", __name__, url_prefix="/console/trainings")
# The console menu entry for these pages (collected by web/console.py).
CONSOLE_NAV = [(30, "การอบรม", "console_trainings.index", "console_trainings")]

MAX_SPEAKERS = 6
LOCAL_FORMAT = "%Y-%m-%dT%H:%M"




def _zone() -> ZoneInfo:
    return ZoneInfo(runtime().settings.TZ)


def to_local_input(value: datetime | None) -> str:
    """A stored UTC time as the value of a datetime-local input (local time)."""
    return value.astimezone(_zone()).strftime(LOCAL_FORMAT) if value else ""


def _parse_local(name: str, label: str) -> datetime:
    raw = request.form.get(name, "").strip()
    try:
        return datetime.strptime(raw[:16], LOCAL_FORMAT).replace(tzinfo=_zone()).astimezone(UTC)
    except ValueError:
        raise DomainError(trainings_texts.C_BAD_DATETIME.format(field=label), code="bad_datetime") from None


def _parse_int(name: str, label: str, default: int | None = None) -> int:
    raw = request.form.get(name, "").strip()
    if not raw and default is not None:
        return default
    if not raw.isdigit() or len(raw) > 6:
        raise DomainError(trainings_texts.C_BAD_NUMBER.format(field=label), code="bad_number")
    return int(raw)


def _upload(session: Any, field: str, owner: str, now: datetime) -> int | None:
    file: FileStorage | None = request.files.get(field)
    if file is None or not file.filename:
        return None
    data = file.read(12 * 1024 * 1024)
    image = save_image(session, accept_image(data), kind="training", owner_key=owner, now=now)
    return image.id


def _form_values() -> dict[str, Any]:
    """What staff typed, kept to show the form again after a mistake (nothing is lost)."""
    form = request.form
    speakers = []
    for i in range(MAX_SPEAKERS):
        speakers.append({"name": form.get(f"speaker_name_{i}", "")[:120], "bio": form.get(f"speaker_bio_{i}", "")[:500],
                         "photo_id": form.get(f"speaker_photo_id_{i}", "")[:12]})
    return {
        "project_id": form.get("project_id", ""), "title": form.get("title", "")[:200],
        "description": form.get("description", "")[:5000], "tags": form.get("tags", "")[:400],
        "venue_name": form.get("venue_name", "")[:200], "venue_map_url": form.get("venue_map_url", "")[:1000],
        "starts_at": form.get("starts_at", "")[:16], "ends_at": form.get("ends_at", "")[:16],
        "signup_deadline": form.get("signup_deadline", "")[:16], "capacity": form.get("capacity", "")[:6],
        "districts": [d for d in form.getlist("districts") if d in DISTRICTS],
        "what_to_bring": form.get("what_to_bring", "")[:1000], "survey_delay_hours": form.get("survey_delay_hours", "2")[:4],
        "speakers": speakers,
    }


def _values_of(training: Any, speaker_rows: list[Any]) -> dict[str, Any]:
    speakers = [{"name": s.name, "bio": s.bio, "photo_id": str(s.photo_image_id or "")} for s in speaker_rows]
    speakers += [{"name": "", "bio": "", "photo_id": ""}] * max(0, min(MAX_SPEAKERS, len(speakers) + 2) - len(speakers))
    return {
        "project_id": str(training.project_id or ""), "title": training.title, "description": training.description,
        "tags": ", ".join(training.topic_tags or []), "venue_name": training.venue_name,
        "venue_map_url": training.venue_map_url or "", "starts_at": to_local_input(training.starts_at),
        "ends_at": to_local_input(training.ends_at), "signup_deadline": to_local_input(training.signup_deadline),
        "capacity": str(training.capacity), "districts": list(training.districts or []),
        "what_to_bring": training.what_to_bring, "survey_delay_hours": str(training.survey_delay_hours),
        "speakers": speakers,
    }


def _input(session: Any, now: datetime, owner: str) -> trainings.TrainingInput:
    form = request.form
    project = form.get("project_id", "").strip()
    speakers = []
    for i in range(MAX_SPEAKERS):
        name = form.get(f"speaker_name_{i}", "").strip()
        if not name:
            continue
        photo = _upload(session, f"speaker_photo_{i}", owner, now)
        kept = form.get(f"speaker_photo_id_{i}", "").strip()
        if photo is None and kept.isdigit():
            photo = int(kept)
        speakers.append(trainings.SpeakerInput(name, form.get(f"speaker_bio_{i}", ""), photo))
    return trainings.TrainingInput(
        title=form.get("title", ""), description=form.get("description", ""),
        project_id=int(project) if project.isdigit() else None,
        topic_tags=[t for t in form.get("tags", "").replace("،", ",").split(",")],
        venue_name=form.get("venue_name", ""), venue_map_url=form.get("venue_map_url", "").strip() or None,
        starts_at=_parse_local("starts_at", trainings_texts.C_F_STARTS),
        ends_at=_parse_local("ends_at", trainings_texts.C_F_ENDS),
        signup_deadline=_parse_local("signup_deadline", trainings_texts.C_F_DEADLINE),
        capacity=_parse_int("capacity", trainings_texts.C_F_CAPACITY),
        districts=[d for d in form.getlist("districts")], what_to_bring=form.get("what_to_bring", ""),
        cover_image_id=_upload(session, "cover", owner, now),
        survey_delay_hours=_parse_int("survey_delay_hours", trainings_texts.C_F_DELAY, default=2), speakers=speakers)


def _projects(session: Any) -> list[Any]:
    from services import projects

    return projects.list_projects(session, published_only=False, limit=200)


def _form_page(values: dict[str, Any], training: Any = None, error: str | None = None, status: int = 200) -> Any:
    with runtime().db.transaction() as session:
        project_rows = [(p.id, p.title) for p in _projects(session)]
    return render_template("trainings/form.html", TT=trainings_texts, values=values, training=training, error=error,
                           projects=project_rows, districts=DISTRICTS, max_speakers=MAX_SPEAKERS), status


@dataclass(frozen=True)
class Row:
    id: int
    title: str
    status: str
    starts_at: datetime
    when: str
    capacity: int
    confirmed: int
    waitlisted: int
    checked_in: int


@bp.get("", strict_slashes=False)
@staff_required
def index() -> Any:
    with runtime().db.transaction() as session:
        rows = trainings.list_trainings(session)
        counts = trainings.seat_counts(session, [t.id for t in rows])
        items = [Row(t.id, t.title, t.status, t.starts_at, trainings_texts.when(t.starts_at, t.ends_at), t.capacity,
                     counts[t.id]["confirmed"], counts[t.id]["waitlisted"], counts[t.id]["checked_in"]) for t in rows]
    return render_template("trainings/index.html", TT=trainings_texts, items=items)


@bp.get("/new")
@staff_required
def new() -> Any:
    empty = {"speakers": [{"name": "", "bio": "", "photo_id": ""}] * 2, "districts": [], "survey_delay_hours": "2"}
    return _form_page(empty)


@bp.post("/new")
@staff_required
def create() -> Any:
    rt = runtime()
    now = rt.clock()
    try:
        with rt.db.transaction() as session:
            data = _input(session, now, "training:new")
            training = trainings.create_training(session, data, current_staff().line_user_id, now)
            training_id = training.id
    except DomainError as exc:
        return _form_page(_form_values(), error=exc.message, status=422)
    flash(trainings_texts.C_CREATED, "ok")
    return redirect(url_for("console_trainings.detail", training_id=training_id))


@bp.get("/<int:training_id>/edit")
@staff_required
def edit(training_id: int) -> Any:
    with runtime().db.transaction() as session:
        try:
            training = trainings.get_training(session, training_id)
        except DomainError:
            abort(404)
        values = _values_of(training, trainings.speakers(session, training_id))
    return _form_page(values, training)


@bp.post("/<int:training_id>/edit")
@staff_required
def update(training_id: int) -> Any:
    rt = runtime()
    now = rt.clock()
    try:
        with rt.db.transaction() as session:
            training = trainings.get_training(session, training_id)
            data = _input(session, now, f"training:{training_id}")
            trainings.update_training(session, training_id, data, current_staff().line_user_id, now,
                                      rt.settings.public_base_url)
    except DomainError as exc:
        if exc.code == "training_not_found":
            abort(404)
        with rt.db.transaction() as session:
            training = trainings.get_training(session, training_id)
        return _form_page(_form_values(), training, exc.message, 422)
    flash(trainings_texts.C_SAVED, "ok")
    return redirect(url_for("console_trainings.detail", training_id=training_id))


@bp.get("/<int:training_id>")
@staff_required
def detail(training_id: int) -> Any:
    rt = runtime()
    with rt.db.transaction() as session:
        try:
            training = trainings.get_training(session, training_id)
        except DomainError:
            abort(404)
        counts = trainings.seat_counts(session, [training_id])[training_id]
        roster = trainings.roster(session, training_id)
        speaker_rows = trainings.speakers(session, training_id)
        cover = trainings.image_urls(session, training.cover_image_id, "")
        attached = surveys.list_surveys(session, training_id=training_id)
        project_title = None
        if training.project_id:
            from models.projects import Project

            project = session.get(Project, training.project_id)
            project_title = project.title if project else None
    return render_template(
        "trainings/detail.html", TT=trainings_texts, ST=surveys_texts, training=training, counts=counts, roster=roster,
        speakers=speaker_rows, cover=cover[1] if cover else None, surveys=attached, project_title=project_title,
        when=trainings_texts.when(training.starts_at, training.ends_at), now=rt.clock(), districts=DISTRICTS,
        is_open=trainings.is_open(training, rt.clock()))


def _act(training_id: int, action: Any, done: str) -> Any:
    rt = runtime()
    try:
        with rt.db.transaction() as session:
            result = action(session, rt.clock())
    except DomainError as exc:
        if exc.code == "training_not_found":
            abort(404)
        flash(exc.message, "error")
    else:
        flash(done.format(**(result or {})), "ok")
    return redirect(url_for("console_trainings.detail", training_id=training_id))


@bp.post("/<int:training_id>/publish")
@staff_required
def publish(training_id: int) -> Any:
    return _act(training_id, lambda s, now: trainings.publish(s, training_id, current_staff().line_user_id, now)
                and None, trainings_texts.C_PUBLISHED)


@bp.post("/<int:training_id>/announce")
@staff_required
def announce(training_id: int) -> Any:
    rt = runtime()

    def action(session: Any, now: datetime) -> dict:
        announcement_id = trainings.announce(session, training_id, current_staff().line_user_id, now,
                                             rt.settings.public_base_url, rt.settings.ADMIN_LINE_USER_IDS)
        return {"id": announcement_id}

    response = _act(training_id, action, trainings_texts.C_ANNOUNCED)
    rt.dispatcher.wake()
    return response


@bp.post("/<int:training_id>/cancel")
@staff_required
def cancel(training_id: int) -> Any:
    if request.form.get("confirm") != "yes":
        flash(trainings_texts.C_CANCEL_NEEDS_TICK, "error")
        return redirect(url_for("console_trainings.detail", training_id=training_id))
    return _act(training_id, lambda s, now: trainings.cancel_training(s, training_id, current_staff().line_user_id,
                                                                      now) and None,
                trainings_texts.C_TRAINING_CANCELLED)


@bp.post("/<int:training_id>/signups/<int:signup_id>/remove")
@staff_required
def remove_signup(training_id: int, signup_id: int) -> Any:
    base = runtime().settings.public_base_url
    return _act(training_id, lambda s, now: trainings.staff_cancel_signup(
        s, signup_id, current_staff().line_user_id, now, base, training_id=training_id),
        trainings_texts.C_SIGNUP_REMOVED)


@bp.post("/<int:training_id>/survey")
@staff_required
def create_survey(training_id: int) -> Any:
    """Creates the trainee-satisfaction survey from the template, attached to this training, ready to edit."""
    rt = runtime()
    try:
        with rt.db.transaction() as session:
            survey = surveys.create_from_template(session, "training_satisfaction", current_staff().line_user_id,
                                                  rt.clock(), training_id=training_id)
            survey_id = survey.id
    except DomainError as exc:
        flash(exc.message, "error")
        return redirect(url_for("console_trainings.detail", training_id=training_id))
    return redirect(url_for("console_surveys.detail", survey_id=survey_id))


def register(app: Flask) -> None:
    app.register_blueprint(bp)
