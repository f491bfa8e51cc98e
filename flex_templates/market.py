"""Flex builders for the community market: product bubbles and carousels, vendor management cards, notices.

Pure: plain values in, Flex JSON out. Worst-case sizes (Thai text at the services' maximum lengths, 10 product
bubbles plus the "more" bubble) stay under LINE's 30 KB bubble / 50 KB carousel limits; tests/market check it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from flex_templates.basic import Message, flex

GREEN = "#06C755"
DEEP_GREEN = "#06783C"
TEXT_DARK = "#1F2937"
TEXT_MUTED = "#6B7280"
AMBER = "#B45309"
RED = "#B91C1C"
PALE = "#F3F4F6"

MAX_BUBBLES = 12  # LINE's carousel limit
PAGE_SIZE = 10  # products per carousel page; the 11th bubble is "more"

Button = tuple[str, dict]  # (label, action without label)


def postback(data: str, display_text: str | None = None) -> dict:
    """An action body for `button()`: a postback with typed data packed by the caller."""
    action: dict[str, Any] = {"type": "postback", "data": data}
    if display_text:
        action["displayText"] = display_text[:300]
    return action


def uri(link: str) -> dict:
    return {"type": "uri", "uri": link}


def say(text: str) -> dict:
    return {"type": "message", "text": text[:300]}


def _label(label: str) -> str:
    return label if len(label) <= 40 else label[:39] + "…"


def button(label: str, action: dict, style: str = "secondary", color: str | None = None) -> dict:
    node: dict[str, Any] = {"type": "button", "style": style, "height": "sm",
                            "action": {**action, "label": _label(label)}}
    if color:
        node["color"] = color
    return node


def _text(value: str, **props: Any) -> dict:
    return {"type": "text", "text": value or "-", "wrap": True, **props}


@dataclass(frozen=True)
class ProductCard:
    """What a product bubble shows. Actions are ready-made (the caller packs postback data and builds URLs)."""

    name: str
    price_text: str  # e.g. "35 บาท / กิโลกรัม"
    district_text: str  # e.g. "📍 อ.พล"
    image_url: str | None
    points: Sequence[str] = ()
    badge: str | None = None  # certified badge text; None: not shown
    badge_pending: str | None = None  # shown instead of the badge in a vendor's preview
    shop: str | None = None
    status_lines: Sequence[tuple[str, str]] = ()  # (text, colour) for the vendor's own view
    buttons: Sequence[Button] = field(default_factory=tuple)
    primary_first: bool = True
    rating: str | None = None  # e.g. "★ 4.6 (12)": buyers' rating, only from 5 answers (services/buyer_feedback)


def product_bubble(card: ProductCard) -> dict:
    """A product: photo, name, price per unit, certified badge, selling points, district, and its buttons."""
    body: list[dict] = []
    if card.badge:
        body.append({"type": "box", "layout": "horizontal", "backgroundColor": "#E7F8EE", "cornerRadius": "md",
                     "paddingAll": "xs", "paddingStart": "sm",
                     "contents": [_text(card.badge, size="xs", color=DEEP_GREEN, weight="bold")]})
    elif card.badge_pending:
        body.append({"type": "box", "layout": "horizontal", "backgroundColor": PALE, "cornerRadius": "md",
                     "paddingAll": "xs", "paddingStart": "sm",
                     "contents": [_text(card.badge_pending, size="xs", color=TEXT_MUTED, weight="bold")]})
    body.append(_text(card.name, weight="bold", size="lg", color=TEXT_DARK, maxLines=2))
    body.append(_text(card.price_text, weight="bold", size="md", color=DEEP_GREEN))
    if card.rating:
        body.append(_text(card.rating[:40], size="sm", color=AMBER, weight="bold"))
    if card.points:
        body.append(_text(" · ".join(f"✓ {p}" for p in card.points), size="sm", color=TEXT_DARK, maxLines=3))
    place = card.district_text if not card.shop else f"{card.shop} · {card.district_text}"
    body.append(_text(place, size="sm", color=TEXT_MUTED, maxLines=2))
    for line, colour in card.status_lines:
        body.append(_text(line, size="sm", color=colour, maxLines=4))
    bubble: dict[str, Any] = {"type": "bubble", "size": "kilo"}
    if card.image_url:
        bubble["hero"] = {"type": "image", "url": card.image_url, "size": "full", "aspectRatio": "1:1",
                          "aspectMode": "cover"}
    bubble["body"] = {"type": "box", "layout": "vertical", "spacing": "sm", "paddingAll": "lg", "contents": body}
    if card.buttons:
        buttons = []
        for index, (label, action) in enumerate(card.buttons):
            primary = index == 0 and card.primary_first
            buttons.append(button(label, action, "primary" if primary else "secondary", GREEN if primary else None))
        bubble["footer"] = {"type": "box", "layout": "vertical", "spacing": "sm", "paddingAll": "md",
                            "contents": buttons}
    return bubble


def more_bubble(title: str, label: str, action: dict) -> dict:
    """The last bubble of a page: how many more there are and a button for the next page."""
    return {
        "type": "bubble", "size": "kilo",
        "body": {"type": "box", "layout": "vertical", "spacing": "lg", "paddingAll": "xl", "justifyContent": "center",
                 "contents": [
                     _text("🛍️", size="3xl", align="center"),
                     _text(title, weight="bold", size="md", color=TEXT_DARK, align="center"),
                     button(label, action, "primary", GREEN),
                 ]},
    }


def product_carousel(alt_text: str, cards: Sequence[ProductCard], more: tuple[str, str, dict] | None = None,
                     quick_replies: Sequence[dict] | None = None) -> Message:
    """Up to PAGE_SIZE product bubbles and, when there are more, a "more" bubble (at most 11 < LINE's 12)."""
    bubbles = [product_bubble(card) for card in list(cards)[:PAGE_SIZE]]
    if more is not None:
        bubbles.append(more_bubble(*more))
    return flex(alt_text, {"type": "carousel", "contents": bubbles[:MAX_BUBBLES]}, quick_replies)


def single_product(alt_text: str, card: ProductCard, quick_replies: Sequence[dict] | None = None) -> Message:
    return flex(alt_text, product_bubble(card), quick_replies)


def choice_card(title: str, alt_text: str, options: Sequence[tuple[str, dict, bool]], footer: Sequence[Button] = (),
                subtitle: str | None = None) -> Message:
    """Big buttons for choosing (e.g. categories or delivery options); `options` are (label, action, chosen)."""
    buttons = [button(("✅ " if chosen else "") + label, action, "primary" if chosen else "secondary",
                      DEEP_GREEN if chosen else None) for label, action, chosen in options]
    contents: list[dict] = [_text(title, weight="bold", size="md", color=TEXT_DARK)]
    if subtitle:
        contents.append(_text(subtitle, size="sm", color=TEXT_MUTED))
    contents += buttons
    bubble: dict[str, Any] = {"type": "bubble", "size": "mega",
                              "body": {"type": "box", "layout": "vertical", "spacing": "sm", "paddingAll": "lg",
                                       "contents": contents}}
    if footer:
        bubble["footer"] = {"type": "box", "layout": "vertical", "spacing": "sm", "paddingAll": "md",
                            "contents": [button(label, action, "primary", GREEN) for label, action in footer]}
    return flex(alt_text, bubble)


def notice_card(alt_text: str, body: str, buttons: Sequence[tuple[str, str | None]]) -> Message:
    """A notice with buttons; a button with a URL opens it, one without sends its label as a chat command."""
    footer = []
    for index, (label, link) in enumerate(buttons):
        action = uri(link) if link else say(label)
        footer.append(button(label, action, "primary" if index == 0 else "secondary", GREEN if index == 0 else None))
    bubble: dict[str, Any] = {"type": "bubble", "size": "mega",
                              "body": {"type": "box", "layout": "vertical", "paddingAll": "lg",
                                       "contents": [_text(body, size="md", color=TEXT_DARK)]}}
    if footer:
        bubble["footer"] = {"type": "box", "layout": "vertical", "spacing": "sm", "paddingAll": "md",
                            "contents": footer}
    return flex(alt_text, bubble)


def review_card(alt_text: str, title: str, body: str, approve: Button, reject: Button,
                image_url: str | None = None, link: Button | None = None) -> Message:
    """A staff notice with the decision buttons side by side (อนุมัติ / ไม่อนุมัติ)."""
    bubble: dict[str, Any] = {"type": "bubble", "size": "mega"}
    if image_url:
        bubble["hero"] = {"type": "image", "url": image_url, "size": "full", "aspectRatio": "20:13",
                          "aspectMode": "cover"}
    bubble["body"] = {"type": "box", "layout": "vertical", "spacing": "sm", "paddingAll": "lg", "contents": [
        _text(title, weight="bold", size="md", color=TEXT_DARK),
        _text(body, size="sm", color=TEXT_DARK),
    ]}
    footer: list[dict] = [{"type": "box", "layout": "horizontal", "spacing": "sm", "contents": [
        button(approve[0], approve[1], "primary", GREEN),
        button(reject[0], reject[1], "primary", RED),
    ]}]
    if link:
        footer.append(button(link[0], link[1], "link"))
    bubble["footer"] = {"type": "box", "layout": "vertical", "spacing": "sm", "paddingAll": "md", "contents": footer}
    return flex(alt_text, bubble)


def contact_card(alt_text: str, body: str, buttons: Sequence[Button]) -> Message:
    """How to reach a shop: its details and call / Facebook buttons."""
    bubble: dict[str, Any] = {"type": "bubble", "size": "mega",
                              "body": {"type": "box", "layout": "vertical", "paddingAll": "lg",
                                       "contents": [_text(body, size="md", color=TEXT_DARK)]}}
    if buttons:
        bubble["footer"] = {"type": "box", "layout": "vertical", "spacing": "sm", "paddingAll": "md",
                            "contents": [button(label, action, "primary" if i == 0 else "secondary",
                                                GREEN if i == 0 else None)
                                         for i, (label, action) in enumerate(buttons)]}
    return flex(alt_text, bubble)
