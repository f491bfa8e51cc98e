"""Checks on what the simulator's page sends: each helper returns a clean value or raises BadInput (a Thai message
and an HTTP status)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from flask import request

from line_emulator.simulator.texts import TEXTS

USER_ID = re.compile(r"^U[0-9a-f]{32}$")
CURSOR = re.compile(r"^(\d{1,15})-(\d{1,15})$")
_PARAM_FORMATS = {"date": "%Y-%m-%d", "time": "%H:%M", "datetime": "%Y-%m-%dT%H:%M"}
_RICHMENU_SWITCH_PARAMS = {"newRichMenuAliasId", "status"}


class BadInput(Exception):
    """A request the simulator refuses; carries the Thai message and HTTP status to answer with."""

    def __init__(self, key: str, status: int = 400, **fmt: Any) -> None:
        super().__init__(key)
        self.message = TEXTS[key].format(**fmt) if fmt else TEXTS[key]
        self.status = status


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def image_type(data: bytes) -> str | None:
    """Content type from the file's first bytes (never trust the browser's label)."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def json_body() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise BadInput("bad_json")
    return body


def optional_str(body: dict, name: str) -> str | None:
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise BadInput("bad_json")
    return value


def checked_params(params: Any) -> dict | None:
    """Checks datetime-picker results ({date|time|datetime}) or rich menu switch params."""
    if params is None:
        return None
    if not isinstance(params, dict) or not params or not all(isinstance(v, str) for v in params.values()):
        raise BadInput("params_bad")
    keys = set(params)
    if keys <= _RICHMENU_SWITCH_PARAMS:
        return dict(params)
    if len(keys) != 1 or not keys <= set(_PARAM_FORMATS):
        raise BadInput("params_bad")
    (name, value), = params.items()
    fmt = _PARAM_FORMATS[name]
    try:
        parsed = datetime.strptime(value, fmt)
    except ValueError:
        raise BadInput("params_bad") from None
    if parsed.strftime(fmt) != value:
        raise BadInput("params_bad")  # strptime accepts "2024-1-5"; LINE always zero-pads
    return {name: value}


def coordinate(value: Any, limit: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not -limit <= value <= limit \
            or value != value:  # NaN
        raise BadInput("location_bad")
    return float(value)


