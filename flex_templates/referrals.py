"""Flex builders for share-and-earn: the share card of a product link and the member's links. Pure: values in, JSON out.

Sizes: a link card carries at most a 40-character product name, an 8-character code link and a message of about 200
characters; MAX links of them stay far under LINE's 50 KB carousel limit (tests/referrals check the worst case).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flex_templates.basic import Message, flex

GREEN = "#06C755"
GREEN_STRONG = "#037A33"
TEXT_DARK = "#1F2937"
TEXT_MUTED = "#6B7280"
AMBER = "#B45309"
PALE = "#F3F4F6"
MAX_BUBBLES = 12  # LINE's carousel limit


def _text(value: str, **props: Any) -> dict:
    return {"type": "text", "text": value or "-", "wrap": True, **props}


def _label(label: str) -> str:
    return label if len(label) <= 40 else label[:39] + "…"


def _button(label: str, action: dict, style: str = "secondary", color: str | None = None) -> dict:
    node: dict[str, Any] = {"type": "button", "style": style, "height": "sm", "action": {**action, "label": _label(label)}}
    if color:
        node["color"] = color
    return node


def uri(link: str) -> dict:
    return {"type": "uri", "uri": link}


def say(text: str) -> dict:
    return {"type": "message", "text": text[:300]}


def share_card(alt_text: str, title: str, product_name: str, link: str, message: str, hint: str,
               buttons: Sequence[tuple[str, dict]], quick_replies: Sequence[dict] = ()) -> Message:
    """The member's link to one product: the link in large type, the ready-made message, and share buttons."""
    body = [
        _text(title, size="sm", color=GREEN_STRONG, weight="bold"),
        _text(product_name, weight="bold", size="lg", color=TEXT_DARK, maxLines=2),
        _text(link, size="md", color=TEXT_DARK, weight="bold"),
        {"type": "box", "layout": "vertical", "backgroundColor": PALE, "cornerRadius": "md", "paddingAll": "md",
         "contents": [_text(message, size="sm", color=TEXT_DARK)]},
        _text(hint, size="sm", color=TEXT_MUTED),
    ]
    footer = [_button(label, action, "primary" if index == 0 else "secondary", GREEN_STRONG if index == 0 else None)
              for index, (label, action) in enumerate(buttons)]
    bubble: dict[str, Any] = {
        "type": "bubble", "size": "mega",
        "body": {"type": "box", "layout": "vertical", "spacing": "md", "paddingAll": "lg", "contents": body},
    }
    if footer:
        bubble["footer"] = {"type": "box", "layout": "vertical", "spacing": "sm", "paddingAll": "md",
                            "contents": footer}
    return flex(alt_text, bubble, quick_replies or None)


@dataclass(frozen=True)
class LinkCard:
    product_name: str
    link: str
    stats: str  # "คนกดลิงก์ 12 ครั้ง · สั่งซื้อ 1 รายการ"
    note: str | None  # e.g. the link no longer earns
    buttons: Sequence[tuple[str, dict]] = ()


def _link_bubble(card: LinkCard) -> dict:
    body = [
        _text(card.product_name, weight="bold", size="md", color=TEXT_DARK, maxLines=2),
        _text(card.link, size="sm", color=TEXT_DARK),
        _text(card.stats, size="sm", color=GREEN_STRONG, weight="bold"),
    ]
    if card.note:
        body.append(_text(card.note, size="sm", color=AMBER))
    bubble: dict[str, Any] = {
        "type": "bubble", "size": "kilo",
        "body": {"type": "box", "layout": "vertical", "spacing": "sm", "paddingAll": "lg", "contents": body},
    }
    if card.buttons:
        bubble["footer"] = {"type": "box", "layout": "vertical", "spacing": "sm", "paddingAll": "md",
                            "contents": [_button(label, action) for label, action in card.buttons]}
    return bubble


def links_carousel(alt_text: str, cards: Sequence[LinkCard], quick_replies: Sequence[dict] = ()) -> Message:
    """The member's links, one small bubble each (at most 12, LINE's limit)."""
    bubbles = [_link_bubble(card) for card in list(cards)[:MAX_BUBBLES]]
    return flex(alt_text, {"type": "carousel", "contents": bubbles}, quick_replies or None)
