"""Flex and text builders for the buyer satisfaction survey: the invitation card and one question at a time."""

from __future__ import annotations

from collections.abc import Sequence

from flex_templates.basic import Action, Message, flex, text
from texts import buyer_feedback as buyer_feedback_texts

GREEN_DARK = "#037A33"
TEXT_DARK = "#1F2937"


def invitation(alt_text: str, body: str, start_data: str) -> Message:
    """The invitation: what was bought, how short the survey is, and a start button (postback `start_data`)."""
    return flex(alt_text, {
        "type": "bubble",
        "body": {"type": "box", "layout": "vertical", "spacing": "md", "contents": [
            {"type": "text", "text": body[:2000], "wrap": True, "size": "md", "color": TEXT_DARK},
        ]},
        "footer": {"type": "box", "layout": "vertical", "contents": [
            {"type": "button", "style": "primary", "color": GREEN_DARK,
             "action": {"type": "postback", "label": buyer_feedback_texts.LABEL_START, "data": start_data,
                        "displayText": buyer_feedback_texts.LABEL_START}},
        ]},
    })


def question(body: str, actions: Sequence[Action]) -> Message:
    """One question as a text message with its answers as quick reply buttons (big, at the thumb)."""
    return text(body, actions)


def camera_actions() -> list[Action]:
    """Quick reply buttons that open the camera or the photo album."""
    return [{"type": "camera", "label": buyer_feedback_texts.LABEL_CAMERA},
            {"type": "cameraRoll", "label": buyer_feedback_texts.LABEL_CAMERA_ROLL}]
