"""Flex builders for trainings: the browse carousel, the detail card, the check-in card with its QR, my sign-ups,
reminders and the announcement. Pure: domain values and packed postback data in, message JSON out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flex_templates.basic import Message, flex, message_action, text
from texts import trainings as trainings_texts

GREEN = "#06C755"
GREEN_DARK = "#037A33"
TEXT_DARK = "#1F2937"
TEXT_MUTED = "#6B7280"
AMBER = "#B45309"
RED = "#B42318"
MAX_BUBBLES = 12
ALT_MAX = 400


def _t(value: str, size: str = "sm", **extra: Any) -> dict:
    return {"type": "text", "text": value or " ", "size": size, "wrap": True, "color": TEXT_DARK, **extra}


def _postback_button(label: str, data: str, display: str, style: str = "primary") -> dict:
    button = {"type": "button", "style": style, "height": "sm",
              "action": {"type": "postback", "label": label[:40], "data": data, "displayText": display[:300]}}
    if style == "primary":
        button["color"] = GREEN_DARK
    return button


def _uri_button(label: str, uri: str) -> dict:
    return {"type": "button", "style": "secondary", "height": "sm",
            "action": {"type": "uri", "label": label[:40], "uri": uri}}


def _link_buttons(map_url: str | None, calendar_url: str | None) -> list[dict]:
    """"ดูแผนที่" when staff entered a map link; "เพิ่มลงปฏิทิน" when the training has a calendar file."""
    buttons = []
    if map_url:
        buttons.append(_uri_button(trainings_texts.LABEL_MAP, map_url))
    if calendar_url:
        buttons.append(_uri_button(trainings_texts.LABEL_ADD_TO_CALENDAR, calendar_url))
    return buttons


def _hero(url: str | None) -> dict | None:
    if not url:
        return None
    return {"type": "image", "url": url, "size": "full", "aspectRatio": "20:13", "aspectMode": "cover"}


def _seats_line(seats_left: int, is_open: bool) -> dict:
    if not is_open:
        return _t(trainings_texts.SIGNUP_CLOSED, weight="bold", color=TEXT_MUTED)
    if seats_left <= 0:
        return _t(trainings_texts.SEATS_FULL, weight="bold", color=AMBER)
    return _t(trainings_texts.SEATS_LEFT.format(seats=f"{seats_left:,}"), weight="bold", color=GREEN_DARK, size="md")


@dataclass(frozen=True)
class TrainingCard:
    """One training in the browse carousel, with its packed postbacks (signup_data None: not open)."""

    title: str
    when: str
    where: str
    deadline: str
    seats_left: int
    cover_url: str | None
    detail_data: str
    signup_data: str | None
    map_url: str | None = None


def training_carousel(items: Sequence[TrainingCard], alt_text: str, quick: Sequence[dict] = ()) -> Message:
    """Upcoming trainings, one bubble each, with "รายละเอียด", "ดูแผนที่" (when there is a map link) and "สมัคร"."""
    bubbles = []
    for item in items[:MAX_BUBBLES]:
        body = [
            _t(item.title, "lg", weight="bold"),
            _t(trainings_texts.WHEN.format(when=item.when)),
            _t(trainings_texts.WHERE.format(where=item.where or "-"), color=TEXT_MUTED),
            _seats_line(item.seats_left, item.signup_data is not None),
            _t(trainings_texts.DEADLINE.format(when=item.deadline), "xs", color=TEXT_MUTED),
        ]
        footer = [_postback_button(trainings_texts.LABEL_DETAILS, item.detail_data,
                                   f"{trainings_texts.LABEL_DETAILS}: {item.title}", "secondary"),
                  *_link_buttons(item.map_url, None)]
        if item.signup_data:
            footer.append(_postback_button(trainings_texts.LABEL_SIGN_UP, item.signup_data,
                                           f"{trainings_texts.LABEL_SIGN_UP}: {item.title}"))
        bubble: dict[str, Any] = {
            "type": "bubble", "size": "kilo",
            "body": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": body},
            "footer": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": footer},
        }
        hero = _hero(item.cover_url)
        if hero:
            bubble["hero"] = hero
        bubbles.append(bubble)
    return flex(alt_text[:ALT_MAX], {"type": "carousel", "contents": bubbles}, quick)


@dataclass(frozen=True)
class SpeakerLine:
    name: str
    bio: str
    photo_url: str | None


def training_detail(*, title: str, description: str, when: str, where: str, map_url: str | None,
                    deadline: str, what_to_bring: str, tags: Sequence[str], speakers: Sequence[SpeakerLine],
                    seats_left: int, is_open: bool, cover_url: str | None, signup_data: str | None,
                    calendar_url: str | None = None) -> Message:
    """One training in full: speakers with photo and bio, venue with a map button, what to bring, "สมัคร", and
    "เพิ่มลงปฏิทิน" (the .ics file) when `calendar_url` is given."""
    body: list[dict] = [_t(title, "lg", weight="bold")]
    if tags:
        body.append(_t(" · ".join(f"#{tag}" for tag in tags), "xs", color=GREEN_DARK))
    if description:
        body.append(_t(description[:600], color=TEXT_MUTED))
    body += [_t(trainings_texts.WHEN.format(when=when)), _t(trainings_texts.WHERE.format(where=where or "-")),
             _seats_line(seats_left, is_open),
             _t(trainings_texts.DEADLINE.format(when=deadline), "xs", color=TEXT_MUTED)]
    if speakers:
        body.append({"type": "separator", "margin": "md"})
        body.append(_t(trainings_texts.SPEAKERS, "sm", weight="bold", margin="md"))
        for speaker in speakers[:5]:
            lines: list[dict] = [_t(speaker.name, "sm", weight="bold")]
            if speaker.bio:
                lines.append(_t(speaker.bio[:200], "xs", color=TEXT_MUTED))
            row: list[dict] = []
            if speaker.photo_url:
                row.append({"type": "image", "url": speaker.photo_url, "size": "xxs", "aspectMode": "cover",
                            "aspectRatio": "1:1", "flex": 0})
            row.append({"type": "box", "layout": "vertical", "contents": lines, "flex": 1})
            body.append({"type": "box", "layout": "horizontal", "spacing": "md", "contents": row})
    if what_to_bring:
        body.append({"type": "separator", "margin": "md"})
        body.append(_t(trainings_texts.BRING, "sm", weight="bold", margin="md"))
        body.append(_t(what_to_bring[:400], color=TEXT_MUTED))
    footer: list[dict] = _link_buttons(map_url, calendar_url)
    if signup_data:
        footer.append(_postback_button(trainings_texts.LABEL_SIGN_UP, signup_data,
                                       f"{trainings_texts.LABEL_SIGN_UP}: {title}"))
    bubble: dict[str, Any] = {"type": "bubble",
                              "body": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": body}}
    if footer:
        bubble["footer"] = {"type": "box", "layout": "vertical", "spacing": "sm", "contents": footer}
    hero = _hero(cover_url)
    if hero:
        bubble["hero"] = hero
    return flex(title[:ALT_MAX], bubble)


def checkin_card(*, heading: str, title: str, when: str, where: str, qr_url: str, code: str,
                 quick: Sequence[dict] = (), map_url: str | None = None, calendar_url: str | None = None) -> Message:
    """The confirmation: the personal QR code (as the hero image) and the code written out for typing, with
    "ดูแผนที่" and "เพิ่มลงปฏิทิน" when given."""
    bubble: dict[str, Any] = {
        "type": "bubble",
        "hero": {"type": "image", "url": qr_url, "size": "full", "aspectRatio": "9:10", "aspectMode": "fit",
                 "backgroundColor": "#FFFFFF"},
        "body": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": [
            _t(heading, "md", weight="bold", color=GREEN_DARK),
            _t(title, "lg", weight="bold"),
            _t(trainings_texts.WHEN.format(when=when)),
            _t(trainings_texts.WHERE.format(where=where or "-"), color=TEXT_MUTED),
            {"type": "separator", "margin": "md"},
            _t(trainings_texts.QR_CAPTION_CODE.format(code=code), "md", weight="bold", margin="md", align="center"),
            _t(trainings_texts.CONFIRMED_BODY, "xs", color=TEXT_MUTED, align="center"),
        ]},
    }
    footer = _link_buttons(map_url, calendar_url)
    if footer:
        bubble["footer"] = {"type": "box", "layout": "vertical", "spacing": "sm", "contents": footer}
    return flex(f"{heading} {title}"[:ALT_MAX], bubble, quick)


@dataclass(frozen=True)
class MySignupCard:
    title: str
    when: str
    where: str
    status_line: str
    confirmed: bool
    qr_data: str | None
    cancel_data: str | None


def my_signups_carousel(items: Sequence[MySignupCard], alt_text: str, quick: Sequence[dict] = ()) -> Message:
    """The citizen's sign-ups, each with "ดู QR เช็กอิน" (a confirmed seat) and "ยกเลิก" (before it starts)."""
    bubbles = []
    for item in items[:MAX_BUBBLES]:
        footer = []
        if item.qr_data:
            footer.append(_postback_button(trainings_texts.LABEL_SHOW_QR, item.qr_data, trainings_texts.LABEL_SHOW_QR))
        if item.cancel_data:
            footer.append(_postback_button(trainings_texts.LABEL_CANCEL, item.cancel_data,
                                           f"{trainings_texts.LABEL_CANCEL}: {item.title}", "secondary"))
        bubble: dict[str, Any] = {
            "type": "bubble", "size": "kilo",
            "body": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": [
                _t(item.title, "md", weight="bold"),
                _t(trainings_texts.WHEN.format(when=item.when)),
                _t(trainings_texts.WHERE.format(where=item.where or "-"), color=TEXT_MUTED),
                _t(item.status_line, weight="bold", color=GREEN_DARK if item.confirmed else AMBER),
            ]},
        }
        if footer:
            bubble["footer"] = {"type": "box", "layout": "vertical", "spacing": "sm", "contents": footer}
        bubbles.append(bubble)
    return flex(alt_text[:ALT_MAX], {"type": "carousel", "contents": bubbles}, quick)


def reminder(*, kind: str, title: str, when: str, where: str, what_to_bring: str) -> Message:
    """A reminder the day before ("day") or 2 hours before ("hours"), with a button to show the QR again."""
    template = trainings_texts.REMIND_HOURS_BEFORE if kind == "hours" else trainings_texts.REMIND_DAY_BEFORE
    body = template.format(title=title, when=when, where=where or "-")
    if what_to_bring:
        body += "\n" + trainings_texts.REMIND_BRING.format(bring=what_to_bring[:300])
    return text(body, [message_action(trainings_texts.LABEL_SHOW_QR, trainings_texts.WORD_MY_SIGNUPS)])


def announcement(*, title: str, when: str, where: str, capacity: int, deadline: str, cover_url: str | None,
                 speakers: Sequence[str]) -> Message:
    """The announcement of a newly published training; its button opens the "อบรม" list, where people sign up
    (seats are shown as they are when the person looks, not as they were when this was sent)."""
    body: list[dict] = [
        _t("📢 เปิดรับสมัครอบรม", "sm", weight="bold", color=GREEN_DARK),
        _t(title, "lg", weight="bold"),
        _t(trainings_texts.WHEN.format(when=when)),
        _t(trainings_texts.WHERE.format(where=where or "-"), color=TEXT_MUTED),
    ]
    if speakers:
        body.append(_t(f"{trainings_texts.SPEAKERS}: {', '.join(speakers[:3])}", color=TEXT_MUTED))
    body.append(_t(f"รับ {capacity:,} คน · {trainings_texts.DEADLINE.format(when=deadline)}", "xs", color=TEXT_MUTED))
    bubble: dict[str, Any] = {
        "type": "bubble",
        "body": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": body},
        "footer": {"type": "box", "layout": "vertical", "contents": [
            {"type": "button", "style": "primary", "color": GREEN_DARK,
             "action": {"type": "message", "label": "ดูรายละเอียดและสมัคร", "text": trainings_texts.WORD_TRAININGS}}]},
    }
    hero = _hero(cover_url)
    if hero:
        bubble["hero"] = hero
    return flex(trainings_texts.ANNOUNCE_TEXT.format(title=title, when=when, where=where or "-",
                                                     capacity=f"{capacity:,}", deadline=deadline)[:ALT_MAX], bubble)
