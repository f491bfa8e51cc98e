"""Public files of trainings: `/trainings/<id>.ics`, the "เพิ่มลงปฏิทิน" link of the training card in chat.

Public because the phone's own browser opens it without a console session; it holds only what the training's
announcement already says. Trainings that were never published answer 404 like unknown ones.
"""

from __future__ import annotations

from flask import Blueprint, Flask, Response, abort

from bot.runtime import runtime
from services import trainings
from services.errors import NotFound

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


def register(app: Flask) -> None:
    app.register_blueprint(bp)
