"""Flex builders for orders: order summary, shop notice, status list. Pure: values in, JSON out."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from flex_templates.basic import Message, flex

GREEN = "#06C755"
GREEN_DARK = "#037A33"
RED = "#B42318"
TEXT_MUTED = "#6B7280"
MAX_BUBBLES = 12
MAX_BUTTONS = 4
CAROUSEL_MAX_BYTES = 48_000  # LINE refuses a carousel over 50 KB of JSON
LIST_VALUE_MAX = 120  # a list shows the gist; the full order is one tap away


@dataclass(frozen=True)
class Button:
    """A footer button: postback `data` (or a URL when `uri` is set), shown as the person's message."""

    label: str
    data: str | None = None
    uri: str | None = None
    danger: bool = False


@dataclass
class OrderCard:
    """One order as a bubble: a title, its status, label/value rows, the total and the next actions."""

    title: str
    status: str
    rows: list[tuple[str, str]] = field(default_factory=list)
    total: tuple[str, str] | None = None
    note: str | None = None
    buttons: list[Button] = field(default_factory=list)


def _text(value: str, **props: Any) -> dict:
    # LINE's default colour is near enough to TEXT_DARK: leaving it out keeps a full list under 50 KB.
    return {"type": "text", "text": value or " ", "wrap": True, "size": "sm", **props}


def _row(label: str, value: str, bold: bool = False) -> dict:
    return {"type": "box", "layout": "horizontal", "spacing": "sm", "contents": [
        _text(label, color=TEXT_MUTED, flex=2),
        _text(value, flex=3, align="end", **({"weight": "bold"} if bold else {})),
    ]}


def _button(button: Button, first: bool) -> dict:
    if button.uri:
        action: dict = {"type": "uri", "label": button.label[:40], "uri": button.uri}
    else:
        action = {"type": "postback", "label": button.label[:40], "data": button.data or "",
                  "displayText": button.label[:300]}
    item: dict[str, Any] = {"type": "button", "height": "sm", "action": action,
                            "style": "primary" if first or button.danger else "secondary"}
    if item["style"] == "primary":
        item["color"] = RED if button.danger else GREEN_DARK
    return item


def order_bubble(card: OrderCard) -> dict:
    """One order's bubble (the summary before confirming, a notice, or an item of a list)."""
    contents: list[dict] = [_text(card.title, weight="bold", size="md"),
                            _text(card.status, color=GREEN_DARK, weight="bold")]
    if card.rows:
        contents.append({"type": "separator", "margin": "md"})
        contents.extend(_row(label, value) for label, value in card.rows)
    if card.total:
        contents.append({"type": "separator", "margin": "md"})
        contents.append(_row(card.total[0], card.total[1], bold=True))
    if card.note:
        contents.append(_text(card.note, color=TEXT_MUTED, size="xs", margin="md"))
    bubble: dict[str, Any] = {"type": "bubble", "size": "mega", "body": {
        "type": "box", "layout": "vertical", "spacing": "sm", "paddingAll": "lg", "contents": contents}}
    buttons = card.buttons[:MAX_BUTTONS]
    if buttons:
        bubble["footer"] = {"type": "box", "layout": "vertical", "spacing": "sm", "paddingAll": "md",
                            "contents": [_button(b, i == 0) for i, b in enumerate(buttons)]}
    return bubble


def order_message(alt_text: str, card: OrderCard, quick_replies: Sequence[dict] | None = None) -> Message:
    """One order as a Flex message (summary with ยืนยันสั่งซื้อ / ยกเลิก, or the shop's notice with its actions)."""
    return flex(alt_text, order_bubble(card), quick_replies)


def _short(value: str) -> str:
    return value if len(value) <= LIST_VALUE_MAX else value[: LIST_VALUE_MAX - 1] + "…"


def _compact(card: OrderCard) -> OrderCard:
    return replace(card, rows=[(_short(label), _short(value)) for label, value in card.rows],
                   note=_short(card.note) if card.note else None)


def orders_carousel(alt_text: str, cards: Sequence[OrderCard], quick_replies: Sequence[dict] | None = None) -> Message:
    """A list of orders, one bubble each, long values shortened: at most 12 bubbles and 50 KB, as LINE allows."""
    bubbles = [order_bubble(_compact(card)) for card in cards[:MAX_BUBBLES]]
    while len(bubbles) > 1 and len(json.dumps(bubbles, ensure_ascii=False, separators=(",", ":")).encode()) > CAROUSEL_MAX_BYTES:
        bubbles.pop()
    return flex(alt_text, {"type": "carousel", "contents": bubbles}, quick_replies)
