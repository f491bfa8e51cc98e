"""Pure builders for plain LINE messages and actions (JSON dicts exactly as the Messaging API takes them)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

Message = dict[str, Any]
Action = dict[str, Any]

MAX_QUICK_REPLY_ITEMS = 13
MAX_ACTION_LABEL = 20  # quick reply and template action labels


def _label(label: str, limit: int = MAX_ACTION_LABEL) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def message_action(label: str, text: str | None = None) -> Action:
    """A button that sends `text` (default: the label) as if the user typed it."""
    return {"type": "message", "label": _label(label), "text": text or label}


def postback_action(label: str, data: str, display_text: str | None = None) -> Action:
    """A button that sends typed postback data; `display_text` shows in the chat as the user's message."""
    action: Action = {"type": "postback", "label": _label(label), "data": data}
    if display_text:
        action["displayText"] = display_text
    return action



def location_action(label: str) -> Action:
    """A quick reply button that opens LINE's location picker (valid only in quick replies)."""
    return {"type": "location", "label": _label(label)}


def camera_roll_action(label: str) -> Action:
    """A quick reply button that opens the phone's photo album (valid only in quick replies)."""
    return {"type": "cameraRoll", "label": _label(label)}


def quick_reply(actions: Iterable[Action]) -> dict:
    """A quick reply block: at most 13 buttons, as LINE allows."""
    items = [{"type": "action", "action": a} for a in actions][:MAX_QUICK_REPLY_ITEMS]
    return {"items": items}


def text(body: str, quick_replies: Iterable[Action] | None = None) -> Message:
    """A text message, optionally with quick reply buttons."""
    message: Message = {"type": "text", "text": body[:5000]}
    if quick_replies:
        qr = quick_reply(quick_replies)
        if qr["items"]:
            message["quickReply"] = qr
    return message


def image(url: str, preview_url: str | None = None) -> Message:
    return {"type": "image", "originalContentUrl": url, "previewImageUrl": preview_url or url}


def flex(alt_text: str, contents: dict, quick_replies: Iterable[Action] | None = None) -> Message:
    """Wraps a bubble or carousel in a Flex message."""
    message: Message = {"type": "flex", "altText": alt_text[:1500], "contents": contents}
    if quick_replies:
        qr = quick_reply(quick_replies)
        if qr["items"]:
            message["quickReply"] = qr
    return message


def with_quick_replies(message: Message, actions: Iterable[Action]) -> Message:
    """Returns a copy of `message` carrying quick reply buttons (they show under the last message only)."""
    qr = quick_reply(actions)
    if not qr["items"]:
        return dict(message)
    return {**message, "quickReply": qr}
