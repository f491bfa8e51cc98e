"""The shape of what LINE sends: which source an event belongs to, its id, and whether its fields are usable.

The webhook stores any well-formed event; the worker asks `event_problem` before handling one, and an event whose
fields have the wrong types is marked invalid once (with the reason, for staff) instead of failing five times.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any


def source_key(event: dict) -> str:
    """Events of one source (a user, group or room) are processed in order; different sources in parallel."""
    source = event.get("source") or {}
    for key in ("userId", "groupId", "roomId"):
        if source.get(key):
            return f"{key[0]}:{source[key]}"[:80]
    return "none"


def event_id(event: dict) -> str:
    """LINE's webhookEventId; a stable hash for the rare event without one."""
    value = event.get("webhookEventId")
    if isinstance(value, str) and 0 < len(value) <= 64:
        return value
    digest = hashlib.sha256(json.dumps(event, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    return "h:" + digest[:60]


def event_rows(events: list) -> list[dict[str, Any]]:
    """The rows to store for a webhook's events: one per distinct event id, in the order LINE sent them."""
    rows = []
    seen = set()
    for event in events:
        if not isinstance(event, dict):
            continue
        eid = event_id(event)
        if eid in seen:
            continue
        seen.add(eid)
        rows.append({"webhook_event_id": eid, "source_key": source_key(event),
                     "event_type": str(event.get("type", ""))[:32], "payload": event})
    return rows


def event_problem(event: Any) -> str | None:
    """Why the handlers cannot use this event (a short English reason for staff), or None when it is usable."""
    if not isinstance(event, dict):
        return "event is not an object"
    if not isinstance(event.get("type"), str):
        return "type is not a string"
    source = event.get("source")
    if source is not None and not isinstance(source, dict):
        return "source is not an object"
    return None
