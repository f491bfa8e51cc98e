"""Public pages of trainings: `/trainings/<id>` (what the announcement says, seats left, how to sign up in LINE; the
page a shared training link opens, with its preview image) and `/trainings/<id>.ics`, the "เพิ่มลงปฏิทิน" link of
the training card in chat.

Public because the phone's own browser opens them without a console session; they hold only what the training's
announcement already says. Trainings that were never published answer 404 like unknown ones.
"""

from __future__ import annotations

from flask import Blueprint, Flask, Response, abort, render_template

from bot.runtime import runtime
from models.trainings import Training
from services import trainings
from services.errors import NotFound
from texts import trainings as trainings_texts
from texts.districts import district_name
from web.public_market import chat_url

bp = Blueprint("public_trainings", __name__)

MAX_ID = 2**31 - 1  # a larger number is no row, and PostgreSQL would refuse it as an integer


@bp.get(f"/trainings/<int(max={MAX_ID}):training_id>.ics")
def calendar(training_id: int) -> Response:
    """One training as an iCalendar event (the phone offers to add it to its calendar)."""
    rt = runtime()
    try:
        with rt.db.transaction() as session:
            data = trainings.calendar_file(session, training_id, rt.settings.public_base_url, rt.clock())
    except NotFound:
        abort(404)
    response = Response(data, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'attachment; filename="training-{training_id}.ics"'
    response.headers["Cache-Control"] = "public, max-age=300"  # staff may still move the time or the venue
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get(f"/trainings/<int(max={MAX_ID}):training_id>")
def training_page(training_id: int) -> str:
    """One training: when and where, seats left, what to bring, and buttons to sign up in LINE or add it to a
    calendar."""
    rt = runtime()
    now = rt.clock()
    with rt.db.transaction() as session:
        training = session.get(Training, training_id)
        if training is None or training.published_at is None:
            abort(404)
        cover = trainings.image_urls(session, training.cover_image_id, rt.settings.public_base_url)
        page = {
            "title": training.title, "description": training.description, "venue": training.venue_name,
            "map_url": training.venue_map_url, "starts_at": training.starts_at, "ends_at": training.ends_at,
            "bring": training.what_to_bring, "cancelled": training.status == "cancelled",
            "open": trainings.is_open(training, now) and training.status != "cancelled",
            "ended": training.ends_at <= now, "seats_left": trainings.seats_left(session, training),
            "districts": ", ".join(f"อ.{district_name(d)}" for d in training.districts or []),
            "cover_url": cover[0] if cover else None,
        }
    return render_template("trainings/public_training.html", T=trainings_texts, t=page,
                           signup_url=chat_url(trainings_texts.WORD_TRAININGS),
                           calendar_url=trainings.calendar_url(rt.settings.public_base_url, training_id),
                           share_text=page["title"])


def register(app: Flask) -> None:
    app.register_blueprint(bp)
