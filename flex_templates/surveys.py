"""Flex and text builders for surveys: the invitation card, one question with its buttons, the survey picker."""

from __future__ import annotations

from collections.abc import Sequence

from flex_templates.basic import Action, Message, flex, text
from texts import surveys as surveys_texts

GREEN_DARK = "#037A33"
TEXT_DARK = "#1F2937"
TEXT_MUTED = "#6B7280"


def invitation(body: str, title: str) -> Message:
    """An invitation or reminder card. Its button sends the menu word "แบบสอบถาม", which starts (or resumes) the
    survey, so the card keeps working however old it is."""
    return flex(surveys_texts.INVITE_BUTTON + ": " + title[:300], {
        "type": "bubble",
        "body": {"type": "box", "layout": "vertical", "spacing": "md", "contents": [
            {"type": "text", "text": body[:2000], "wrap": True, "size": "md", "color": TEXT_DARK},
        ]},
        "footer": {"type": "box", "layout": "vertical", "contents": [
            {"type": "button", "style": "primary", "color": GREEN_DARK,
             "action": {"type": "message", "label": surveys_texts.INVITE_BUTTON, "text": surveys_texts.WORD_SURVEYS}},
        ]},
    })


def question(body: str, actions: Sequence[Action]) -> Message:
    """One question as a text message with its answer buttons as quick replies (big, at the thumb)."""
    return text(body, actions)


def camera_actions() -> list[Action]:
    """Quick reply buttons that open the camera or the photo gallery."""
    return [{"type": "camera", "label": surveys_texts.LABEL_CAMERA},
            {"type": "cameraRoll", "label": surveys_texts.LABEL_CAMERA_ROLL}]


def survey_picker(items: Sequence[tuple[str, str, str]]) -> Message:
    """Several waiting surveys: (title, note, packed postback data) each, one bubble with a start button."""
    bubbles = []
    for title, note, data in items[:12]:
        bubbles.append({
            "type": "bubble", "size": "kilo",
            "body": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": [
                {"type": "text", "text": title[:200], "wrap": True, "weight": "bold", "size": "md", "color": TEXT_DARK},
                {"type": "text", "text": note[:200] or " ", "wrap": True, "size": "sm", "color": TEXT_MUTED},
            ]},
            "footer": {"type": "box", "layout": "vertical", "contents": [
                {"type": "button", "style": "primary", "color": GREEN_DARK, "height": "sm",
                 "action": {"type": "postback", "label": surveys_texts.LABEL_START, "data": data,
                            "displayText": f"{surveys_texts.LABEL_START}: {title}"[:300]}},
            ]},
        })
    return flex(surveys_texts.PICK_SURVEY.format(count=len(items)), {"type": "carousel", "contents": bubbles})
