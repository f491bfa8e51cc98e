"""Who hit a rate limit (/console/limits): staff see who did something too often and what the app held back."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Blueprint, Flask, render_template
from sqlalchemy import select

from bot.runtime import runtime
from models.platform import Citizen
from services import limits
from texts import limits as limits_texts
from texts.districts import district_name
from web.auth import staff_required

bp = Blueprint("console_limits", __name__, url_prefix="/console/limits")
CONSOLE_NAV = [(90, limits_texts.PAGE_TITLE, "console_limits.index", "console_limits")]
CONSOLE_WAITING = [(90, limits_texts.WAITING_LABEL,
                    lambda session: limits.hits_since(session, runtime().clock() - timedelta(hours=24)),
                    "console_limits.index")]




@bp.get("", strict_slashes=False)
@staff_required
def index() -> Any:
    with runtime().db.transaction() as session:
        hits = limits.recent_hits(session)
        ids = {h.line_user_id for h in hits if h.line_user_id}
        districts = dict(session.execute(select(Citizen.line_user_id, Citizen.district)
                                         .where(Citizen.line_user_id.in_(ids))).all()) if ids else {}
    rows = [{"at": h.at, "label": h.label, "who": h.line_user_id,
             "district": district_name(districts[h.line_user_id]) if districts.get(h.line_user_id) else "",
             "rule": limits_texts.LIMIT_VALUE.format(max=h.limit, window=limits_texts.window_text(
                 int(limits.LIMITS[h.action].window.total_seconds())) if h.action in limits.LIMITS else "")}
            for h in hits]
    return render_template("console/limits.html", L=limits_texts, rows=rows)


def register(app: Flask) -> None:
    app.register_blueprint(bp)
