"""Thai display helpers: times stored in UTC shown in the local zone, Buddhist-era years, Thai month names.

Registered as Jinja filters by `register_filters(app, "Asia/Bangkok")` (the console does it for every page):

    {{ row.created_at | thai_datetime }}   -> 23 พ.ย. 2569 10:00 น.
    {{ row.created_at | thai_date }}       -> 23 พ.ย. 2569
    {{ row.created_at | thai_date(long=True) }} -> 23 พฤศจิกายน 2569
    {{ row.created_at | thai_time }}       -> 10:00 น.
    {{ 12345 | thai_number }}              -> 12,345
    {{ member.line_user_id | short_id }}   -> Uaaaaa…aaaa
"""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask

# The formatting itself lives on floor 1 so chat messages and services share it; re-exported for templates.
from texts.dates import (  # noqa: F401
    BUDDHIST_ERA_OFFSET,
    DEFAULT_TZ,
    THAI_MONTHS,
    THAI_MONTHS_SHORT,
    _zone,
    buddhist_year,
    short_id,
    thai_date,
    thai_datetime,
    thai_number,
    thai_time,
    to_local,
)


def register_filters(app: Flask, tz: str = DEFAULT_TZ) -> None:
    """Adds thai_date, thai_time, thai_datetime, thai_number and short_id to the app's Jinja filters."""
    _zone(tz)  # fail at start-up, not on a page, if TZ names no zone

    def _date(value: date | datetime | None, long: bool = False) -> str:
        return thai_date(value, tz, long=long)

    def _datetime(value: datetime | None, long: bool = False) -> str:
        return thai_datetime(value, tz, long=long)

    def _time(value: datetime | None) -> str:
        return thai_time(value, tz)

    app.jinja_env.filters.update(thai_date=_date, thai_datetime=_datetime, thai_time=_time, thai_number=thai_number,
                               short_id=short_id)
