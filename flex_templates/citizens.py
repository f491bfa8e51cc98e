"""Flex builders for citizens: the privacy notice, the opt-in card, "ข้อมูลของฉัน", consents, interests, share-and-earn.
Pure: labels and packed postback data in, LINE JSON out."""

from __future__ import annotations

from collections.abc import Sequence

from flex_templates.basic import Message, flex

GREEN = "#06C755"
GREEN_STRONG = "#037A33"
RED = "#B42318"
TEXT_DARK = "#1F2937"
TEXT_MUTED = "#6B7280"
LINE_GREY = "#E5E7EB"


def _text(text: str, **style: object) -> dict:
    return {"type": "text", "text": text or " ", "wrap": True, **style}


def _button(action: dict, style: str = "secondary", color: str | None = None) -> dict:
    button = {"type": "button", "height": "sm", "style": style, "action": action}
    if color:
        button["color"] = color
    return button


def _header(title: str, color: str = GREEN_STRONG) -> dict:
    return {"type": "box", "layout": "vertical", "paddingAll": "md", "backgroundColor": color,
            "contents": [_text(title, weight="bold", size="md", color="#FFFFFF")]}


def privacy_notice(alt_text: str, title: str, sections: Sequence[tuple[str, str]], full_label: str,
                   full_url: str) -> Message:
    """The short PDPA notice: what, why, how long, who to contact, how to see or delete."""
    rows = []
    for heading, body in sections:
        rows.append({"type": "box", "layout": "vertical", "spacing": "none", "contents": [
            _text(heading, size="sm", weight="bold", color=TEXT_DARK),
            _text(body, size="sm", color=TEXT_MUTED),
        ]})
    return flex(alt_text, {
        "type": "bubble", "size": "mega",
        "header": _header(title),
        "body": {"type": "box", "layout": "vertical", "spacing": "md", "contents": rows},
        "footer": {"type": "box", "layout": "vertical", "contents": [
            _button({"type": "uri", "label": full_label[:40], "uri": full_url})]},
    })


def choice_card(alt_text: str, title: str, body: str, actions: Sequence[dict], quick_replies: Sequence[dict] = (),
                primary_first: bool = True) -> Message:
    """A card with a question and big buttons (the first one highlighted)."""
    buttons = [_button(a, "primary" if primary_first and i == 0 else "secondary",
                       GREEN_STRONG if primary_first and i == 0 else None) for i, a in enumerate(actions)]
    return flex(alt_text, {
        "type": "bubble", "size": "kilo",
        "body": {"type": "box", "layout": "vertical", "spacing": "md", "contents": [
            _text(title, weight="bold", size="md", color=TEXT_DARK),
            _text(body, size="sm", color=TEXT_MUTED),
        ]},
        "footer": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": buttons},
    }, quick_replies or None)


def my_data_card(alt_text: str, title: str, intro: str, rows: Sequence[tuple[str, str]],
                 actions: Sequence[dict], danger_action: dict | None = None,
                 quick_replies: Sequence[dict] = ()) -> Message:
    """What is kept about the person, as label/value rows, with buttons to edit, export, withdraw and erase."""
    lines = [_text(intro, size="sm", color=TEXT_MUTED)]
    for label, value in rows:
        lines.append({"type": "box", "layout": "horizontal", "spacing": "md", "contents": [
            _text(label, size="sm", color=TEXT_MUTED, flex=2),
            _text(value, size="sm", color=TEXT_DARK, flex=3, weight="bold"),
        ]})
    buttons = [_button(a) for a in actions]
    if danger_action:
        buttons.append(_button(danger_action, "link", RED))
    return flex(alt_text, {
        "type": "bubble", "size": "mega",
        "header": _header(title),
        "body": {"type": "box", "layout": "vertical", "spacing": "md", "contents": lines},
        "footer": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": buttons},
    }, quick_replies or None)


def consents_card(alt_text: str, title: str, intro: str, items: Sequence[tuple[str, str, str, dict | None]],
                  quick_replies: Sequence[dict] = ()) -> Message:
    """Each opt-in with its state and one button to give or withdraw it: (name, help, state label, action)."""
    rows: list[dict] = [_text(intro, size="sm", color=TEXT_MUTED)]
    for name, help_text, state, action in items:
        rows.append({"type": "separator", "color": LINE_GREY})
        block: list[dict] = [
            _text(name, size="sm", weight="bold", color=TEXT_DARK),
            _text(help_text, size="xs", color=TEXT_MUTED),
            _text(state, size="sm", color=GREEN_STRONG),
        ]
        if action:
            block.append(_button(action))
        rows.append({"type": "box", "layout": "vertical", "spacing": "xs", "contents": block})
    return flex(alt_text, {
        "type": "bubble", "size": "mega",
        "header": _header(title),
        "body": {"type": "box", "layout": "vertical", "spacing": "md", "contents": rows},
    }, quick_replies or None)


def toggle_picker(alt_text: str, title: str, hint: str, options: Sequence[tuple[str, str, bool]],
                  done_action: dict) -> Message:
    """Buttons that toggle (label, packed data, on) with ✅ on chosen ones, and a done button."""
    buttons = [_button({"type": "postback", "label": f"{'✅' if on else '⬜'} {label}"[:40], "data": data},
                       "primary" if on else "secondary", GREEN_STRONG if on else None)
               for label, data, on in options]
    return flex(alt_text, {
        "type": "bubble", "size": "kilo",
        "body": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": [
            _text(title, weight="bold", size="md", color=TEXT_DARK),
            _text(hint, size="xs", color=TEXT_MUTED),
            *buttons,
        ]},
        "footer": {"type": "box", "layout": "vertical", "contents": [_button(done_action, "link")]},
    })
