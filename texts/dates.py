"""Thai dates for every floor (chat messages, services, web): UTC in, local time out, Buddhist-era years.

    thai_date(dt)            -> 23 พ.ย. 2569
    thai_date(dt, long=True) -> 23 พฤศจิกายน 2569
    thai_time(dt)            -> 10:00 น.
    thai_datetime(dt)        -> 23 พ.ย. 2569 10:00 น.
    thai_weekday_date(dt)    -> จ. 23 พ.ย. 2569
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

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


THAI_WEEKDAYS_SHORT = ("จ.", "อ.", "พ.", "พฤ.", "ศ.", "ส.", "อา.")


def thai_weekday_date(value: date | datetime | None, tz: str = DEFAULT_TZ) -> str:
    """'จ. 23 พ.ย. 2569': the weekday helps older readers place a date."""
    if value is None:
        return ""
    local = to_local(value, tz) if isinstance(value, datetime) else value
    return f"{THAI_WEEKDAYS_SHORT[local.weekday()]} {thai_date(local, tz)}"
