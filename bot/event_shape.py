"""The shape of what LINE sends: reading a webhook body, which source an event belongs to, its id, and whether
its fields are usable.

The webhook answers 400 for a body that is not well-formed (`parse_events` raises `MalformedBody`) and stores
every well-formed event, whatever its fields hold; the worker asks `event_problem` before handling one, and an
event whose fields have the wrong types is marked invalid once (with the reason, for staff) instead of failing
five times. So any validly signed body gets a 2xx or a 4xx: a 5xx means the database could not store it.

What storing needs, decided here once:
- nesting deeper than MAX_DEPTH levels is not well-formed (LINE's events nest about seven deep), so nothing
  downstream (json.loads, json.dumps, hashing, PostgreSQL) ever recurses deeply;
- NaN and Infinity are not JSON: 400;
- a lone surrogate or NUL inside a string (escaped as \\ud800 or \\u0000; neither can be encoded for storage, and
  PostgreSQL's JSONB refuses both) becomes U+FFFD, in keys too, so the event is kept and staff can see it;
- a number too large for a float (1e400), or an integer longer than Python converts (4,300 digits), is kept as
  its text (a string), which both databases store and which `event_problem` reports where a number is expected.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import uuid
from collections.abc import Callable
from itertools import accumulate
from typing import Any

MAX_DEPTH = 64

# Sane lengths: LINE's ids are 33 characters (webhookEventId 26, message ids about 18); a reply token must fit
# the outbox's column; LINE's own limits for text a person sends (5,000) and postback data (300).
MAX_ID = 64
MAX_WORD = 64
MAX_TOKEN = 255
MAX_TEXT = 5000
MAX_POSTBACK_DATA = 300
MAX_STRING = 2000
# Milliseconds: 2000-01-01 to 2100-01-01 UTC.
TIMESTAMP_RANGE = (946_684_800_000, 4_102_444_800_000)

LINE_USER_ID = re.compile(r"U[0-9a-f]{32}")


class MalformedBody(ValueError):
    """A webhook body that is not what LINE sends (not UTF-8 JSON, not an object with a list of events, too deep)."""


# ---- reading a body -----------------------------------------------------------------------------------------------
_NOT_BRACKETS = bytes(byte for byte in range(256) if byte not in b"[]{}")
_DEPTH_STEP = [0] * 256
_DEPTH_STEP[ord("[")] = _DEPTH_STEP[ord("{")] = 1
_DEPTH_STEP[ord("]")] = _DEPTH_STEP[ord("}")] = -1
# The only ways to get a lone surrogate or NUL into a parsed string (raw ones are not valid UTF-8 or JSON).
_BAD_ESCAPE = re.compile(r"\\u(?:0000|[dD][89a-fA-F])")
_BAD_CHARS = re.compile("[\x00\ud800-\udfff]")


def parse_events(raw: bytes) -> list[Any]:
    """The `events` of a webhook body, cleaned for storage (see the module docstring); raises MalformedBody."""
    if nesting_exceeds(raw, MAX_DEPTH):
        raise MalformedBody("nested too deeply")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise MalformedBody("not UTF-8") from None
    try:
        body = json.loads(text, parse_int=_int, parse_float=_float, parse_constant=_not_json)
    except (ValueError, RecursionError):
        raise MalformedBody("not JSON") from None
    if not isinstance(body, dict):
        raise MalformedBody("not an object")
    events = body.get("events")
    if not isinstance(events, list):
        raise MalformedBody("events is not a list")
    return clean(events) if _BAD_ESCAPE.search(text) else events


def nesting_exceeds(raw: bytes, limit: int) -> bool:
    """Whether brackets outside strings nest deeper than `limit`, found without parsing (bytes operations only).

    Escaped backslashes, then escaped quotes, are dropped, so the quotes left alternate in and out of strings (in
    UTF-8, no byte of a multi-byte character is a quote, backslash or bracket). Where the body stops being JSON
    this may misjudge, but json.loads stops there too, so it never nests deeper than what was counted.
    """
    if raw.count(b"[") + raw.count(b"{") <= limit:  # the usual body: no scan at all
        return False
    outside = b"".join(raw.replace(b"\\\\", b"").replace(b'\\"', b"").split(b'"')[::2])
    brackets = outside.translate(None, _NOT_BRACKETS)
    return max(accumulate(map(_DEPTH_STEP.__getitem__, brackets)), default=0) > limit


def _int(text: str) -> int | str:
    try:
        return int(text)
    except ValueError:  # longer than sys.get_int_max_str_digits()
        return text


def _float(text: str) -> float | str:
    value = float(text)
    return value if math.isfinite(value) else text


def _not_json(name: str) -> Any:
    raise MalformedBody(f"{name} is not JSON")


def clean(value: Any, depth: int = 0) -> Any:
    """A copy of a JSON value that can be stored: lone surrogates and NUL become U+FFFD, NaN and infinities text."""
    if isinstance(value, str):
        return _BAD_CHARS.sub("\ufffd", value)
    if depth >= MAX_DEPTH:
        raise MalformedBody("nested too deeply")
    if isinstance(value, dict):
        return {_BAD_CHARS.sub("\ufffd", k) if isinstance(k, str) else k: clean(v, depth + 1)
                for k, v in value.items()}
    if isinstance(value, list):
        return [clean(item, depth + 1) for item in value]
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return value


# ---- rows ---------------------------------------------------------------------------------------------------------
def source_key(event: Any) -> str:
    """Events of one source (a user, group or room) are processed in order; different sources in parallel."""
    source = event.get("source") if isinstance(event, dict) else None
    if isinstance(source, dict):
        for key in ("userId", "groupId", "roomId"):
            value = source.get(key)
            if isinstance(value, str) and value:
                return f"{key[0]}:{value}"[:80]
    return "none"


def event_id(event: Any) -> str:
    """LINE's webhookEventId; a stable hash for the rare event without one."""
    value = event.get("webhookEventId") if isinstance(event, dict) else None
    if isinstance(value, str) and 0 < len(value) <= 64:
        return value
    try:
        # surrogatepass: the same hash as before for any storable event, and no crash for one that is not.
        text = json.dumps(event, sort_keys=True, ensure_ascii=False).encode("utf-8", "surrogatepass")
    except (TypeError, ValueError, RecursionError):  # not JSON at all (only callers in code can pass that)
        return "h:" + uuid.uuid4().hex
    return "h:" + hashlib.sha256(text).hexdigest()[:60]


def event_rows(events: list) -> list[dict[str, Any]]:
    """The rows to store for a webhook's events: one per distinct event id, in the order LINE sent them.

    An item that is not an object is not an event (it has no type, id or source) and is left out.
    """
    rows = []
    seen = set()
    for event in events:
        if not isinstance(event, dict):
            continue
        eid = event_id(event)
        if eid in seen:
            continue
        seen.add(eid)
        kind = event.get("type")
        key = source_key(event)
        if key == "none":
            # Nobody to keep in order for (a beacon with no user, a malformed source): an event of its own, so
            # such events are never queued behind one another.
            key = f"e:{eid}"[:80]
        rows.append({"webhook_event_id": eid, "source_key": key,
                     "event_type": kind[:32] if isinstance(kind, str) else "", "payload": event})
    return rows


# ---- is it usable? ------------------------------------------------------------------------------------------------
# A check returns None, or why the value is unusable. A reason starting with " " or "[" is about the value itself
# ("... is not a string"); an object's check prefixes its field's name, so reasons read "message.text is ...".
Check = Callable[[Any], str | None]
Fields = dict[str, tuple[Check, bool]]  # field name -> (check, required)


def _string(max_length: int, pattern: re.Pattern[str] | None = None) -> Check:
    def check(value: Any) -> str | None:
        if not isinstance(value, str):
            return " is not a string"
        if len(value) > max_length:
            return f" is longer than {max_length} characters"
        if pattern is not None and not pattern.fullmatch(value):
            return " is not in LINE's format"
        return None
    return check


def _integer(low: int, high: int) -> Check:
    def check(value: Any) -> str | None:
        if not isinstance(value, int) or isinstance(value, bool):
            return " is not an integer"
        if not low <= value <= high:
            return " is out of range"
        return None
    return check


def _number(low: float, high: float) -> Check:
    def check(value: Any) -> str | None:
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            return " is not a number"
        if not low <= value <= high:
            return " is out of range"
        return None
    return check


def _boolean(value: Any) -> str | None:
    return None if isinstance(value, bool) else " is not true or false"


def _object(fields: Fields, values: Check | None = None) -> Check:
    """An object with these fields (others are fine: LINE adds fields); `values` checks every value."""
    def check(value: Any) -> str | None:
        if not isinstance(value, dict):
            return " is not an object"
        return _fields(value, fields) or (_each(value.items(), values) if values else None)
    return check


def _list(item: Check, max_items: int = 100) -> Check:
    def check(value: Any) -> str | None:
        if not isinstance(value, list):
            return " is not a list"
        if len(value) > max_items:
            return f" has more than {max_items} items"
        for index, element in enumerate(value):
            reason = item(element)
            if reason is not None:
                return f"[{index}]{reason}" if reason[0] in " [" else f"[{index}].{reason}"
        return None
    return check


def _each(items: Any, check: Check) -> str | None:
    for _, value in items:  # keys are not quoted back: they are whatever the sender put there
        reason = check(value)
        if reason is not None:
            return " has a value that" + reason
    return None


def _fields(obj: dict, fields: Fields) -> str | None:
    for name, (check, required) in fields.items():
        value = obj.get(name)
        if value is None:  # absent, or null (which the handlers read as absent)
            if required:
                return f"{name} is missing"
            continue
        reason = check(value)
        if reason is not None:
            return _named(name, reason)
    return None


def _named(name: str, reason: str) -> str:
    return f"{name}{reason}" if reason[0] in " [" else f"{name}.{reason}"


def _optional(check: Check) -> tuple[Check, bool]:
    return (check, False)


def _required(check: Check) -> tuple[Check, bool]:
    return (check, True)


_ID = _string(MAX_ID)
_WORD = _string(MAX_WORD)
_TEXT = _string(MAX_STRING)
_TOKEN = _string(MAX_TOKEN)
_COUNT = _integer(0, 2**53)

_SOURCE = _object({
    "type": _optional(_WORD),
    # The bot answers people: an id LINE would refuse to deliver to is not from LINE.
    "userId": _optional(_string(33, LINE_USER_ID)),
    "groupId": _optional(_ID),
    "roomId": _optional(_ID),
})
_COMMON: Fields = {
    "type": _required(_WORD),
    "mode": _optional(_WORD),
    "timestamp": _optional(_integer(*TIMESTAMP_RANGE)),
    "webhookEventId": _optional(_ID),
    "replyToken": _optional(_TOKEN),
    "source": _optional(_SOURCE),
    "deliveryContext": _optional(_object({"isRedelivery": _optional(_boolean)})),
    # The router's Context reads these whatever the event's type (ctx.message, ctx.postback_params).
    "message": _optional(_object({})),
    "postback": _optional(_object({"params": _optional(_object({}))})),
}
_CONTENT_PROVIDER = _object({"type": _required(_WORD), "originalContentUrl": _optional(_TEXT),
                             "previewImageUrl": _optional(_TEXT)})
_MESSAGE_COMMON: Fields = {
    "type": _required(_WORD),
    "id": _required(_ID),
    "quoteToken": _optional(_TEXT),
    "quotedMessageId": _optional(_ID),
    "markAsReadToken": _optional(_TEXT),
}
_MESSAGE_FIELDS: dict[str, Fields] = {
    "text": {
        "text": _required(_string(MAX_TEXT)),
        "emojis": _optional(_list(_object({"index": _optional(_COUNT), "length": _optional(_COUNT),
                                           "productId": _optional(_ID), "emojiId": _optional(_ID)}))),
        "mention": _optional(_object({"mentionees": _optional(_list(_object({
            "type": _optional(_WORD), "index": _optional(_COUNT), "length": _optional(_COUNT),
            "userId": _optional(_ID), "isSelf": _optional(_boolean)})))})),
    },
    "image": {
        "contentProvider": _optional(_CONTENT_PROVIDER),
        "imageSet": _optional(_object({"id": _optional(_ID), "index": _optional(_COUNT),
                                       "total": _optional(_COUNT)})),
    },
    "video": {"contentProvider": _optional(_CONTENT_PROVIDER), "duration": _optional(_COUNT)},
    "audio": {"contentProvider": _optional(_CONTENT_PROVIDER), "duration": _optional(_COUNT)},
    "file": {"fileName": _optional(_TEXT), "fileSize": _optional(_COUNT)},
    "location": {
        "title": _optional(_TEXT), "address": _optional(_TEXT),
        "latitude": _required(_number(-90, 90)), "longitude": _required(_number(-180, 180)),
    },
    "sticker": {
        "packageId": _optional(_ID), "stickerId": _optional(_ID), "stickerResourceType": _optional(_WORD),
        "keywords": _optional(_list(_TEXT)), "text": _optional(_string(MAX_TEXT)),
    },
}


def _message(value: Any) -> str | None:
    if not isinstance(value, dict):
        return " is not an object"
    reason = _fields(value, _MESSAGE_COMMON)
    if reason is None and value["type"] in _MESSAGE_FIELDS:
        reason = _fields(value, _MESSAGE_FIELDS[value["type"]])
    return reason


_MEMBERS = _object({"members": _required(_list(_SOURCE, max_items=1000))})
_BY_TYPE: dict[str, Fields] = {
    "message": {"message": _required(_message)},
    "postback": {"postback": _required(_object({
        "data": _required(_string(MAX_POSTBACK_DATA)),
        "params": _optional(_object({}, values=_string(MAX_WORD))),
    }))},
    "follow": {"follow": _optional(_object({"isUnblocked": _optional(_boolean)}))},
    "unfollow": {},
    "join": {},
    "leave": {},
    "memberJoined": {"joined": _optional(_MEMBERS)},
    "memberLeft": {"left": _optional(_MEMBERS)},
    "unsend": {"unsend": _optional(_object({"messageId": _optional(_ID)}))},
    "videoPlayComplete": {"videoPlayComplete": _optional(_object({"trackingId": _optional(_TEXT)}))},
    "beacon": {"beacon": _optional(_object({"hwid": _optional(_ID), "type": _optional(_WORD),
                                            "dm": _optional(_TEXT)}))},
    "accountLink": {"link": _optional(_object({"result": _optional(_WORD), "nonce": _optional(_TEXT)}))},
    "things": {"things": _optional(_object({"deviceId": _optional(_ID), "type": _optional(_WORD),
                                            "result": _optional(_object({}))}))},
    "membership": {"membership": _optional(_object({"type": _optional(_WORD),
                                                    "membershipId": _optional(_COUNT)}))},
}
# Handlers of these answer a person (replies, their citizen row): without a user id there is no one to answer.
_NEEDS_USER = frozenset({"message", "postback", "follow", "unfollow"})


def event_problem(event: Any) -> str | None:
    """Why the handlers cannot use this event (a short English reason for staff), or None when it is usable.

    Checks the types (and sane lengths and ranges) of the fields LINE's webhook spec defines for each event type
    the bot knows; fields it does not know are fine. Plain isinstance checks: this runs for every event.
    """
    if not isinstance(event, dict):
        return "event is not an object"
    reason = _fields(event, _COMMON)
    if reason is not None:
        return reason
    kind = event["type"]
    reason = _fields(event, _BY_TYPE.get(kind, {}))
    if reason is None and kind in _NEEDS_USER:
        source = event.get("source")
        if not isinstance(source, dict) or source.get("userId") is None:
            return "source.userId is missing"
    return reason
