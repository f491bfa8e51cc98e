"""Flex builders for platform messages: the district picker and the staff sign-in card."""

from __future__ import annotations

from flex_templates.basic import Message, flex

GREEN = "#06C755"
TEXT_DARK = "#1F2937"
TEXT_MUTED = "#6B7280"


def district_picker(title: str, alt_text: str, options: list[tuple[str, str]], per_page: int = 9) -> Message:
    """A carousel of bubbles with one big button per district; `options` are (label, packed postback data)."""
    pages = [options[i:i + per_page] for i in range(0, len(options), per_page)]
    bubbles = []
    for number, page in enumerate(pages, start=1):
        buttons = [
            {"type": "button", "style": "secondary", "height": "sm", "margin": "sm",
             "action": {"type": "postback", "label": label[:40], "data": data, "displayText": label}}
            for label, data in page
        ]
        bubbles.append({
            "type": "bubble",
            "size": "kilo",
            "header": {
                "type": "box", "layout": "vertical", "backgroundColor": GREEN, "paddingAll": "md",
                "contents": [{"type": "text", "text": title.format(page=number, pages=len(pages)),
                              "weight": "bold", "color": "#FFFFFF", "size": "md"}],
            },
            "body": {"type": "box", "layout": "vertical", "paddingAll": "md", "contents": buttons},
        })
    return flex(alt_text, {"type": "carousel", "contents": bubbles})


def link_card(title: str, body: str, button_label: str, uri: str, alt_text: str) -> Message:
    """A small card with one link button (links in buttons get no chat preview, so one-time links stay unused)."""
    return flex(alt_text, {
        "type": "bubble",
        "size": "kilo",
        "body": {
            "type": "box", "layout": "vertical", "spacing": "md", "contents": [
                {"type": "text", "text": title, "weight": "bold", "size": "md", "color": TEXT_DARK, "wrap": True},
                {"type": "text", "text": body, "size": "sm", "color": TEXT_MUTED, "wrap": True},
            ],
        },
        "footer": {
            "type": "box", "layout": "vertical", "contents": [
                {"type": "button", "style": "primary", "color": GREEN,
                 "action": {"type": "uri", "label": button_label[:40], "uri": uri}},
            ],
        },
    })
