"""A person's data copy as readable sections: every feature's `export_personal_data` (services/privacy.py) shown
with the Thai labels of texts/personal_data.py, Thai dates (Buddhist era, display zone) and Thai names for stored
keys. Rendering is generic, so a feature added later shows up without any change here; its labels are optional.

    sections = readable(privacy.export_for_token(...), tz="Asia/Bangkok")
    sections[0].title      -> "ข้อมูลส่วนตัว"
    sections[0].rows[0]    -> Row(label="รหัสผู้ใช้ LINE", value="U1234…")
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from texts import citizens as citizens_texts
from texts import personal_data as personal_data_texts
from texts.dates import thai_date, thai_datetime, thai_number

_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# A record's heading is its first field among these (shown as the card's title instead of a row).
_HEADING_FIELDS = ("title", "survey", "training", "shop_name", "name", "question", "purpose")


@dataclass
class Row:
    """One field: a value, a nested record (`fields`) or a list of records (`records`)."""

    label: str
    value: str = ""
    fields: list[Row] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return "records" if self.records else "record" if self.fields else "value"


@dataclass
class Record:
    heading: str
    rows: list[Row]


@dataclass
class Section:
    key: str
    title: str
    rows: list[Row]


def feature_title(feature: str) -> str:
    return personal_data_texts.FEATURES.get(feature) or citizens_texts.OTHER_FEATURES.get(feature) or feature


def label(feature: str, key: str) -> str:
    """The field's Thai label: the feature's own, a common one, or the key itself (never an error)."""
    return (personal_data_texts.FIELDS.get(feature, {}).get(key) or personal_data_texts.COMMON_FIELDS.get(key)
            or key.replace("_", " "))


def _names(feature: str, key: str) -> dict[str, str]:
    return personal_data_texts.VALUES.get((feature, key)) or personal_data_texts.COMMON_VALUES.get(key) or {}


def scalar(feature: str, key: str, value: Any, tz: str) -> str:
    """One stored value as a person reads it."""
    if value is None or value == "":
        return personal_data_texts.NONE
    if isinstance(value, bool):
        return personal_data_texts.YES if value else personal_data_texts.NO
    if isinstance(value, (int, float)):
        if key.endswith("_satang"):
            return personal_data_texts.BAHT.format(amount=f"{value / 100:,.2f}")
        if key.endswith("_seconds"):
            return personal_data_texts.SECONDS.format(n=thai_number(value))
        return thai_number(value)
    text = str(value)
    if _ISO_DATETIME.match(text):
        try:
            return thai_datetime(datetime.fromisoformat(text), tz)
        except ValueError:
            return text
    if _ISO_DATE.match(text):
        try:
            return thai_date(date.fromisoformat(text), tz)
        except ValueError:
            return text
    return _names(feature, key).get(text, text)


def _row(feature: str, key: str, value: Any, tz: str) -> Row:
    name = label(feature, key)
    if isinstance(value, dict):
        return (Row(name, fields=[_row(feature, k, v, tz) for k, v in value.items()]) if value
                else Row(name, personal_data_texts.NONE))
    if isinstance(value, list):
        if value and all(isinstance(item, dict) for item in value):
            return Row(name, records=[_record(feature, item, n, tz) for n, item in enumerate(value, start=1)])
        return Row(name, ", ".join(scalar(feature, key, item, tz) for item in value) if value
                   else personal_data_texts.NONE)
    return Row(name, scalar(feature, key, value, tz))


def _record(feature: str, item: dict, number: int, tz: str) -> Record:
    heading_key = next((k for k in _HEADING_FIELDS if isinstance(item.get(k), str) and item[k]), None)
    heading = (scalar(feature, heading_key, item[heading_key], tz) if heading_key
               else personal_data_texts.ITEM.format(n=number))
    return Record(heading, [_row(feature, k, v, tz) for k, v in item.items() if k != heading_key])


def readable(data: dict[str, Any], tz: str) -> list[Section]:
    """The export as sections in a sensible order (the person first), each field labelled in Thai."""
    order = {name: i for i, name in enumerate(personal_data_texts.ORDER)}
    features = sorted(data, key=lambda f: (order.get(f, len(order)), f))
    sections = []
    for feature in features:
        part = data[feature]
        rows = ([_row(feature, k, v, tz) for k, v in part.items()] if isinstance(part, dict)
                else [_row(feature, feature, part, tz)])
        sections.append(Section(feature, feature_title(feature), rows))
    return sections
