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

from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask

THAI_MONTHS = ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
               "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม")
THAI_MONTHS_SHORT = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
                     "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")
BUDDHIST_ERA_OFFSET = 543
DEFAULT_TZ = "Asia/Bangkok"


@lru_cache(maxsize=8)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def to_local(value: datetime, tz: str = DEFAULT_TZ) -> datetime:
    """Converts a stored time to the display zone (a naive value is taken as UTC, as the DB stores it)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(_zone(tz))


def buddhist_year(value: date | datetime) -> int:
    """The Buddhist-era year (พ.ศ.) of a date: 2026 -> 2569."""
    return value.year + BUDDHIST_ERA_OFFSET


def thai_date(value: date | datetime | None, tz: str = DEFAULT_TZ, *, long: bool = False) -> str:
    """'23 พ.ย. 2569' (or '23 พฤศจิกายน 2569' with long=True); '' for None."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_local(value, tz)
    months = THAI_MONTHS if long else THAI_MONTHS_SHORT
    return f"{value.day} {months[value.month - 1]} {buddhist_year(value)}"


def thai_time(value: datetime | None, tz: str = DEFAULT_TZ) -> str:
    """'10:00 น.' in the display zone; '' for None."""
    if value is None:
        return ""
    return f"{to_local(value, tz):%H:%M} น."


def thai_datetime(value: datetime | None, tz: str = DEFAULT_TZ, *, long: bool = False) -> str:
    """'23 พ.ย. 2569 10:00 น.' in the display zone; '' for None."""
    if value is None:
        return ""
    return f"{thai_date(value, tz, long=long)} {thai_time(value, tz)}"


def thai_number(value: Any) -> str:
    """Digits grouped by thousands: 12345 -> '12,345' (Thai readers use Arabic digits with commas)."""
    if value is None:
        return ""
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.2f}"
    return f"{int(value):,}"


def short_id(value: str | None, head: int = 6, tail: int = 4) -> str:
    """A long identifier shortened for reading: 'Uaaaaa…aaaa' (full ids belong where they can be copied)."""
    if not value:
        return ""
    return value if len(value) <= head + tail + 1 else f"{value[:head]}…{value[-tail:]}"


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
