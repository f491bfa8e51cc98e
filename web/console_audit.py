"""The audit log for admins (/console/audit): who did what and when, filtered by action, actor and date, newest
first, 50 a page. Admins only, checked on every request (staff and executives get 403)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, Flask, render_template, request

from bot.runtime import runtime
from services import audit
from texts import audit as audit_texts
from web.auth import admin_required

bp = Blueprint("console_audit", __name__, url_prefix="/console/audit")


def _day(value: str, tz: str) -> datetime | None:
    """The start of a Bangkok day given as YYYY-MM-DD, in UTC; None when empty; ValueError when malformed."""
    if not value:
        return None
    return datetime.combine(date.fromisoformat(value), time(), ZoneInfo(tz)).astimezone(UTC)


@bp.get("", strict_slashes=False)
@admin_required
def index() -> Any:
    rt = runtime()
    args = {key: request.args.get(key, "").strip()[:64] for key in ("action", "actor", "from", "to")}
    error = None
    try:
        at_from = _day(args["from"], rt.settings.TZ)
        last_day = _day(args["to"], rt.settings.TZ)
    except ValueError:
        at_from = last_day = None
        error = audit_texts.BAD_DATE
    filters = audit.AuditFilters(action=args["action"] if args["action"] in audit.ACTIONS else None,
                                 actor=args["actor"] or None, at_from=at_from,
                                 at_to=last_day + timedelta(days=1) if last_day else None)
    page = request.args.get("page", "1")
    with rt.db.transaction() as session:
        result = audit.entries(session, filters, int(page) if page.isdigit() else 1)
        actors = audit.actors(session)
    query = {k: v for k, v in args.items() if v}
    return render_template("console/audit.html", A=audit_texts, result=result, actors=actors, args=args,
                           actions=audit.ACTIONS, query=query, error=error)


def register(app: Flask) -> None:
    app.register_blueprint(bp)
