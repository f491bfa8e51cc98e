"""LINE's documented limits that messaging-api.yml does not encode.

Run after the schema check (`MessagingApiSpec.validate_request`); together they are what the emulator
enforces. Checked in the spec already, so not repeated here: at most 5 messages per request
(`messages.maxItems`), multicast `to` between 1 and 500 ids, quick reply at most 13 items, postback /
datetime picker / rich menu switch `data` at most 300, rich menu `chatBarText` at most 14 and `name` at
most 300 (counted in grapheme clusters by the schema module), loading animation 5..60 seconds.

Checked here (developers.line.biz Messaging API reference; lengths in UTF-16 code units unless the
"text character count" page says grapheme clusters, as it does for action labels, message action and
postback texts, and template texts):

* text / textV2 message `text`: 1..5,000.
* flex `altText`: 1..1,500; a bubble's JSON at most 30 KB, a carousel's at most 50 KB and 12 bubbles.
  Sizes are measured on compact UTF-8 JSON (LINE does not publish how it measures, so 1 KB = 1,000
  bytes, the strict reading).
* template `altText` and imagemap `altText`: 1..400; buttons template text 160 (60 with an image or
  title), title 40, 1..4 actions; confirm text 240, exactly 2 actions; carousel 1..10 columns, text 120
  (60 with an image or title), title 40, 1..3 actions and the same number in every column; image
  carousel 1..10 columns. Imagemap at most 50 actions.
* action labels: required and at most 20 for quick reply and template buttons, at most 12 in an image
  carousel, at most 20 in a rich menu (optional), required and at most 40 for a flex button (40 for
  any flex action). Message action `text` 1..300, postback `data` required, `displayText` and
  `fillInText` at most 300; URI action `uri` at most 1,000 with scheme http, https, line or tel;
  datetime picker `data` and `mode` required; `richmenuswitch` only in rich menus.
* rich menu: `size`, `selected`, `name`, `chatBarText` and `areas` required; size one of 2500x1686,
  2500x843, 1200x810, 1200x405, 800x540, 800x270; at most 20 areas, each inside the menu.
* loading animation: `loadingSeconds` a multiple of 5.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from typing import Any
from urllib.parse import urlsplit

from line_emulator.schema import SchemaError, grapheme_len, utf16_len

__all__ = [
    "FLEX_BUBBLE_MAX_BYTES",
    "FLEX_CAROUSEL_MAX_BUBBLES",
    "FLEX_CAROUSEL_MAX_BYTES",
    "RICH_MENU_SIZES",
    "check_limits",
    "check_message",
    "json_size",
]

TEXT_MAX = 5000
FLEX_ALT_TEXT_MAX = 1500
TEMPLATE_ALT_TEXT_MAX = 400
FLEX_BUBBLE_MAX_BYTES = 30_000
FLEX_CAROUSEL_MAX_BYTES = 50_000
FLEX_CAROUSEL_MAX_BUBBLES = 12
RICH_MENU_SIZES = frozenset({(2500, 1686), (2500, 843), (1200, 810), (1200, 405), (800, 540), (800, 270)})
RICH_MENU_MAX_AREAS = 20
URI_SCHEMES = frozenset({"http", "https", "line", "tel"})

_SEND_PATHS = frozenset({
    "/v2/bot/message/reply", "/v2/bot/message/push", "/v2/bot/message/multicast",
    "/v2/bot/message/broadcast", "/v2/bot/message/narrowcast",
})
_RICH_MENU_PATHS = frozenset({"/v2/bot/richmenu", "/v2/bot/richmenu/validate"})

# Where an action sits decides its label rules: (label required, label max graphemes).
_LABEL_RULES = {
    "quickReply": (True, 20),
    "template": (True, 20),
    "templateDefault": (False, 20),
    "imageCarousel": (False, 12),
    "richMenu": (False, 20),
    "flexButton": (True, 40),
    "flex": (False, 40),
}


def json_size(value: Any) -> int:
    """Returns the byte size of `value` as compact UTF-8 JSON (how flex size limits are measured here)."""
    return len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def check_limits(path: str, body: Any) -> list[SchemaError]:
    """Returns LINE limit violations in the body of `path` (e.g. "/v2/bot/message/push"); [] when within limits."""
    errors: list[SchemaError] = []
    if not isinstance(body, dict):
        return errors
    if path in _SEND_PATHS or path.startswith("/v2/bot/message/validate/"):
        messages = body.get("messages")
        if isinstance(messages, list):
            for index, message in enumerate(messages):
                prefix = f"messages[{index}]"
                errors.extend(SchemaError(prefix + e.property, e.message) for e in _cached_message_errors(message))
    elif path in _RICH_MENU_PATHS:
        _check_rich_menu(body, errors)
    elif path == "/v2/bot/chat/loading/start":
        seconds = body.get("loadingSeconds")
        if isinstance(seconds, int) and not isinstance(seconds, bool) and seconds % 5:
            errors.append(SchemaError("loadingSeconds", "Must be a multiple of 5"))
    return errors


def check_message(message: Any, at: str = "") -> list[SchemaError]:
    """Returns limit violations of one message object (property paths relative to `at`)."""
    errors: list[SchemaError] = []
    _check_message(message, at, errors)
    return errors


_CACHE_SIZE = 256
_cache: OrderedDict[str, tuple[SchemaError, ...]] = OrderedDict()
_cache_lock = threading.Lock()


def _cached_message_errors(message: Any) -> tuple[SchemaError, ...]:
    """Limit errors of one message (paths start with "." or "["), memoised by content: a multicast run
    sends the same messages in hundreds of requests."""
    if not isinstance(message, dict):
        return ()
    key = json.dumps(message, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    with _cache_lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
            return found
    errors: list[SchemaError] = []
    _check_message(message, "", errors)
    found = tuple(SchemaError(e.property if e.property.startswith("[") else "." + e.property, e.message)
                  for e in errors)
    with _cache_lock:
        _cache[key] = found
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return found


# --- helpers ------------------------------------------------------------------------------------------------------

def _join(at: str, name: str | int) -> str:
    if isinstance(name, int):
        return f"{at}[{name}]"
    return f"{at}.{name}" if at else name


def _text(errors: list[SchemaError], at: str, value: Any, *, high: int, low: int = 0, grapheme: bool = False,
          required: bool = False) -> None:
    if value is None:
        if required:
            errors.append(SchemaError(at, "must be specified"))
        return
    if not isinstance(value, str):
        return  # a type error, reported by the schema
    length = grapheme_len(value) if grapheme else utf16_len(value)
    if not low <= length <= high:
        unit = " characters" if grapheme else ""
        errors.append(SchemaError(at, f"Length must be between {low} and {high}{unit}"))


def _count(errors: list[SchemaError], at: str, value: Any, *, high: int, low: int = 0) -> None:
    if isinstance(value, list) and not low <= len(value) <= high:
        errors.append(SchemaError(at, f"Size must be between {low} and {high}"))


# --- messages -----------------------------------------------------------------------------------------------------

def _check_message(message: Any, at: str, errors: list[SchemaError]) -> None:
    if not isinstance(message, dict):
        return
    quick_reply = message.get("quickReply")
    if isinstance(quick_reply, dict) and isinstance(quick_reply.get("items"), list):
        for index, item in enumerate(quick_reply["items"]):
            if isinstance(item, dict):
                _check_action(item.get("action"), _join(_join(_join(at, "quickReply"), "items"), index) + ".action",
                              "quickReply", errors)
    kind = message.get("type")
    if kind in ("text", "textV2"):
        _text(errors, _join(at, "text"), message.get("text"), low=1, high=TEXT_MAX)
    elif kind == "flex":
        _text(errors, _join(at, "altText"), message.get("altText"), low=1, high=FLEX_ALT_TEXT_MAX)
        _check_flex_container(message.get("contents"), _join(at, "contents"), errors)
    elif kind == "template":
        _text(errors, _join(at, "altText"), message.get("altText"), low=1, high=TEMPLATE_ALT_TEXT_MAX)
        _check_template(message.get("template"), _join(at, "template"), errors)
    elif kind == "imagemap":
        _text(errors, _join(at, "altText"), message.get("altText"), low=1, high=TEMPLATE_ALT_TEXT_MAX)
        _count(errors, _join(at, "actions"), message.get("actions"), low=1, high=50)


def _check_action(action: Any, at: str, context: str, errors: list[SchemaError]) -> None:
    if not isinstance(action, dict):
        return
    required, high = _LABEL_RULES[context]
    _text(errors, _join(at, "label"), action.get("label"), high=high, grapheme=True, required=required)
    kind = action.get("type")
    if kind == "message":
        _text(errors, _join(at, "text"), action.get("text"), low=1, high=300, grapheme=True, required=True)
    elif kind == "postback":
        if "data" not in action:
            errors.append(SchemaError(_join(at, "data"), "must be specified"))
        _text(errors, _join(at, "displayText"), action.get("displayText"), high=300, grapheme=True)
        _text(errors, _join(at, "fillInText"), action.get("fillInText"), high=300, grapheme=True)
        _text(errors, _join(at, "text"), action.get("text"), high=300, grapheme=True)
    elif kind == "uri":
        uri = action.get("uri")
        _text(errors, _join(at, "uri"), uri, low=1, high=1000, required=True)
        if isinstance(uri, str) and uri:
            scheme = urlsplit(uri).scheme.lower() if " " not in uri else ""
            if scheme and scheme not in URI_SCHEMES:
                errors.append(SchemaError(_join(at, "uri"), "The scheme must be http, https, line or tel"))
    elif kind == "datetimepicker":
        for name in ("data", "mode"):
            if name not in action:
                errors.append(SchemaError(_join(at, name), "must be specified"))
    elif kind == "richmenuswitch":
        if context != "richMenu":
            errors.append(SchemaError(_join(at, "type"), "richmenuswitch actions can only be used in rich menus"))
        for name in ("richMenuAliasId", "data"):
            if name not in action:
                errors.append(SchemaError(_join(at, name), "must be specified"))


# --- flex ---------------------------------------------------------------------------------------------------------

def _check_flex_container(container: Any, at: str, errors: list[SchemaError]) -> None:
    if not isinstance(container, dict):
        return
    if container.get("type") == "bubble":
        _check_bubble(container, at, errors)
    elif container.get("type") == "carousel":
        bubbles = container.get("contents")
        if not isinstance(bubbles, list):
            return
        _count(errors, _join(at, "contents"), bubbles, low=1, high=FLEX_CAROUSEL_MAX_BUBBLES)
        size = json_size(container)
        if size > FLEX_CAROUSEL_MAX_BYTES:
            errors.append(SchemaError(at, f"The carousel is {size:,} bytes of JSON; the limit is "
                                          f"{FLEX_CAROUSEL_MAX_BYTES:,}"))
        for index, bubble in enumerate(bubbles):
            if isinstance(bubble, dict):
                _check_bubble(bubble, _join(_join(at, "contents"), index), errors)


def _check_bubble(bubble: dict, at: str, errors: list[SchemaError]) -> None:
    size = json_size(bubble)
    if size > FLEX_BUBBLE_MAX_BYTES:
        errors.append(SchemaError(at, f"The bubble is {size:,} bytes of JSON; the limit is {FLEX_BUBBLE_MAX_BYTES:,}"))
    _check_action(bubble.get("action"), _join(at, "action"), "flex", errors)
    for block in ("header", "hero", "body", "footer"):
        _check_component(bubble.get(block), _join(at, block), errors)


def _check_component(component: Any, at: str, errors: list[SchemaError], depth: int = 0) -> None:
    if not isinstance(component, dict) or depth > 50:
        return
    context = "flexButton" if component.get("type") == "button" else "flex"
    _check_action(component.get("action"), _join(at, "action"), context, errors)
    if component.get("type") == "box" and isinstance(component.get("contents"), list):
        for index, child in enumerate(component["contents"]):
            _check_component(child, _join(_join(at, "contents"), index), errors, depth + 1)
    if component.get("type") == "video":
        _check_component(component.get("altContent"), _join(at, "altContent"), errors, depth + 1)


# --- templates ----------------------------------------------------------------------------------------------------

def _check_template(template: Any, at: str, errors: list[SchemaError]) -> None:
    if not isinstance(template, dict):
        return
    kind = template.get("type")
    if kind == "buttons":
        short = bool(template.get("thumbnailImageUrl") or template.get("title"))
        _text(errors, _join(at, "title"), template.get("title"), high=40, grapheme=True)
        _text(errors, _join(at, "text"), template.get("text"), low=1, high=60 if short else 160, grapheme=True)
        _check_actions(template, at, errors, low=1, high=4)
    elif kind == "confirm":
        _text(errors, _join(at, "text"), template.get("text"), low=1, high=240, grapheme=True)
        _check_actions(template, at, errors, low=2, high=2)
    elif kind == "carousel":
        columns = template.get("columns")
        if not isinstance(columns, list):
            return
        _count(errors, _join(at, "columns"), columns, low=1, high=10)
        action_counts = set()
        for index, column in enumerate(columns):
            if not isinstance(column, dict):
                continue
            column_at = _join(_join(at, "columns"), index)
            short = bool(column.get("thumbnailImageUrl") or column.get("title"))
            _text(errors, _join(column_at, "title"), column.get("title"), high=40, grapheme=True)
            _text(errors, _join(column_at, "text"), column.get("text"), low=1, high=60 if short else 120,
                  grapheme=True)
            _check_actions(column, column_at, errors, low=1, high=3)
            if isinstance(column.get("actions"), list):
                action_counts.add(len(column["actions"]))
        if len(action_counts) > 1:
            errors.append(SchemaError(_join(at, "columns"), "Every column must have the same number of actions"))
    elif kind == "image_carousel":
        columns = template.get("columns")
        if not isinstance(columns, list):
            return
        _count(errors, _join(at, "columns"), columns, low=1, high=10)
        for index, column in enumerate(columns):
            if isinstance(column, dict):
                _check_action(column.get("action"), _join(_join(_join(at, "columns"), index), "action"),
                              "imageCarousel", errors)


def _check_actions(owner: dict, at: str, errors: list[SchemaError], *, low: int, high: int) -> None:
    actions = owner.get("actions")
    _check_action(owner.get("defaultAction"), _join(at, "defaultAction"), "templateDefault", errors)
    if not isinstance(actions, list):
        return
    _count(errors, _join(at, "actions"), actions, low=low, high=high)
    for index, action in enumerate(actions):
        _check_action(action, _join(_join(at, "actions"), index), "template", errors)


# --- rich menus ---------------------------------------------------------------------------------------------------

def _check_rich_menu(menu: dict, errors: list[SchemaError]) -> None:
    for name in ("size", "selected", "name", "chatBarText", "areas"):
        if name not in menu:
            errors.append(SchemaError(name, "must be specified"))
    size = menu.get("size")
    width = height = None
    if isinstance(size, dict):
        width, height = size.get("width"), size.get("height")
        if (width, height) not in RICH_MENU_SIZES:
            allowed = ", ".join(f"{w}x{h}" for w, h in sorted(RICH_MENU_SIZES, reverse=True))
            errors.append(SchemaError("size", f"Must be one of the following sizes: [{allowed}]"))
            width = height = None
    areas = menu.get("areas")
    if not isinstance(areas, list):
        return
    _count(errors, "areas", areas, high=RICH_MENU_MAX_AREAS)
    for index, area in enumerate(areas):
        if not isinstance(area, dict):
            continue
        at = f"areas[{index}]"
        bounds = area.get("bounds")
        if "bounds" not in area:
            errors.append(SchemaError(_join(at, "bounds"), "must be specified"))
        if "action" not in area:
            errors.append(SchemaError(_join(at, "action"), "must be specified"))
        if isinstance(bounds, dict) and width is not None:
            x, y, w, h = (bounds.get(k) for k in ("x", "y", "width", "height"))
            if all(isinstance(v, int) for v in (x, y, w, h)) and (x + w > width or y + h > height):
                errors.append(SchemaError(_join(at, "bounds"), f"The area must lie inside the {width}x{height} menu"))
        _check_action(area.get("action"), _join(at, "action"), "richMenu", errors)
