"""Builds webhook event JSON exactly as the LINE Platform sends it, and signs bodies.

Shared by the chat simulator and the tests so both speak the same wire format
(see ../shared/line-openapi/webhook.yml).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import time
from typing import Any

_ULID_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_webhook_event_id() -> str:
    """Returns a fresh 26-character ULID, the format LINE uses for webhookEventId."""
    value = (int(time.time() * 1000) << 80) | int.from_bytes(os.urandom(10), "big")
    chars = []
    for _ in range(26):
        chars.append(_ULID_ALPHABET[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def sign(body: bytes | str, channel_secret: str) -> str:
    """Returns the x-line-signature for a body: base64(HMAC-SHA256(secret, body))."""
    if isinstance(body, str):
        body = body.encode("utf-8")
    digest = hmac.new(channel_secret.encode("utf-8"), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def envelope(events: list[dict[str, Any]], destination: str = "U00000000000000000000000000000000") -> dict:
    """Wraps events in the webhook request body."""
    return {"destination": destination, "events": events}


def encode(body: dict) -> bytes:
    """Serialises a webhook body the way LINE does (UTF-8 JSON, no ASCII escaping)."""
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _base(event_type: str, user_id: str, reply_token: str | None, *, timestamp_ms: int | None,
          redelivery: bool, event_id: str | None) -> dict[str, Any]:
    event: dict[str, Any] = {
        "type": event_type,
        "mode": "active",
        "timestamp": timestamp_ms if timestamp_ms is not None else int(time.time() * 1000),
        "source": {"type": "user", "userId": user_id},
        "webhookEventId": event_id or new_webhook_event_id(),
        "deliveryContext": {"isRedelivery": redelivery},
    }
    if reply_token is not None:
        event["replyToken"] = reply_token
    return event


def follow_event(user_id: str, reply_token: str | None = None, *, unblocked: bool = False,
                 timestamp_ms: int | None = None, redelivery: bool = False, event_id: str | None = None) -> dict:
    """A follow event; `unblocked=True` is a re-follow after blocking."""
    event = _base("follow", user_id, reply_token, timestamp_ms=timestamp_ms, redelivery=redelivery, event_id=event_id)
    event["follow"] = {"isUnblocked": unblocked}
    return event


def unfollow_event(user_id: str, *, timestamp_ms: int | None = None, redelivery: bool = False,
                   event_id: str | None = None) -> dict:
    """An unfollow (block) event: it carries no reply token."""
    return _base("unfollow", user_id, None, timestamp_ms=timestamp_ms, redelivery=redelivery, event_id=event_id)


def text_event(user_id: str, text: str, reply_token: str | None = None, *, message_id: str | None = None,
               timestamp_ms: int | None = None, redelivery: bool = False, event_id: str | None = None) -> dict:
    """A text message event."""
    event = _base("message", user_id, reply_token, timestamp_ms=timestamp_ms, redelivery=redelivery, event_id=event_id)
    event["message"] = {
        "type": "text",
        "id": message_id or str(int.from_bytes(os.urandom(7), "big")),
        "quoteToken": base64.urlsafe_b64encode(os.urandom(24)).decode("ascii").rstrip("="),
        "text": text,
    }
    return event


def location_event(user_id: str, latitude: float, longitude: float, reply_token: str | None = None, *,
                   title: str | None = None, address: str | None = None, message_id: str | None = None,
                   timestamp_ms: int | None = None, redelivery: bool = False, event_id: str | None = None) -> dict:
    """A location message event: a place the user shared (LINE sends no quote token with it)."""
    event = _base("message", user_id, reply_token, timestamp_ms=timestamp_ms, redelivery=redelivery, event_id=event_id)
    message: dict[str, Any] = {"type": "location", "id": message_id or str(int.from_bytes(os.urandom(7), "big"))}
    if title is not None:
        message["title"] = title
    if address is not None:
        message["address"] = address
    message["latitude"] = latitude
    message["longitude"] = longitude
    event["message"] = message
    return event


def image_event(user_id: str, message_id: str, reply_token: str | None = None, *, timestamp_ms: int | None = None,
                redelivery: bool = False, event_id: str | None = None) -> dict:
    """An image message event whose bytes are fetched from the content API by `message_id`."""
    event = _base("message", user_id, reply_token, timestamp_ms=timestamp_ms, redelivery=redelivery, event_id=event_id)
    event["message"] = {
        "type": "image",
        "id": message_id,
        "quoteToken": base64.urlsafe_b64encode(os.urandom(24)).decode("ascii").rstrip("="),
        "contentProvider": {"type": "line"},
    }
    return event


def sticker_event(user_id: str, reply_token: str | None = None, *, package_id: str = "446",
                  sticker_id: str = "1988", event_id: str | None = None) -> dict:
    """A sticker message event."""
    event = _base("message", user_id, reply_token, timestamp_ms=None, redelivery=False, event_id=event_id)
    event["message"] = {
        "type": "sticker",
        "id": str(int.from_bytes(os.urandom(7), "big")),
        "quoteToken": base64.urlsafe_b64encode(os.urandom(24)).decode("ascii").rstrip("="),
        "packageId": package_id,
        "stickerId": sticker_id,
        "stickerResourceType": "STATIC",
    }
    return event


def postback_event(user_id: str, data: str, reply_token: str | None = None, *, params: dict | None = None,
                   timestamp_ms: int | None = None, redelivery: bool = False, event_id: str | None = None) -> dict:
    """A postback event (a tapped postback action); `params` carries datetime picker results."""
    event = _base("postback", user_id, reply_token, timestamp_ms=timestamp_ms, redelivery=redelivery, event_id=event_id)
    event["postback"] = {"data": data}
    if params:
        event["postback"]["params"] = params
    return event
