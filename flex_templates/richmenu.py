"""The rich menu: its JSON object (areas sending menu words) and its picture, drawn with Pillow in Thai.

Thai needs complex text layout (vowels and tone marks stacked above and below consonants), so text is set with
Pillow's raqm engine and the Sarabun font (OFL, from the fontpkg-sarabun package). Pure: no network, no DB.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, features

WIDTH, HEIGHT = 2500, 1686
MAX_IMAGE_BYTES = 1_000_000
COLUMNS = (833, 833, 834)
ROWS = (843, 843)
GAP = 14


@dataclass(frozen=True)
class Area:
    """One tap region: what it shows and the LINE action it performs (message word or URI)."""

    label: str
    subtitle: str
    icon: str  # a key of ICONS
    color: str  # accent colour (hex)
    action: dict


@dataclass(frozen=True)
class Cell:
    """One of the six cells; two areas share a cell top and bottom."""

    areas: tuple[Area, ...]


def message(text: str) -> dict:
    return {"type": "message", "label": text[:20], "text": text}


# ---- the object -------------------------------------------------------------------------------------------------------
def _bounds(cells: tuple[Cell, ...]) -> list[tuple[dict, Area]]:
    if len(cells) != len(COLUMNS) * len(ROWS):
        raise ValueError("a rich menu here has exactly six cells")
    out = []
    for index, cell in enumerate(cells):
        row, col = divmod(index, len(COLUMNS))
        x, y = sum(COLUMNS[:col]), sum(ROWS[:row])
        w, h = COLUMNS[col], ROWS[row]
        parts = len(cell.areas)
        for part, area in enumerate(cell.areas):
            top = y + h * part // parts
            bottom = y + h * (part + 1) // parts
            out.append(({"x": x, "y": top, "width": w, "height": bottom - top}, area))
    return out


def rich_menu_object(name: str, chat_bar_text: str, cells: tuple[Cell, ...], selected: bool = True) -> dict:
    """The RichMenuRequest body: 2500x1686, one area per tap region."""
    return {
        "size": {"width": WIDTH, "height": HEIGHT},
        "selected": selected,
        "name": name[:300],
        "chatBarText": chat_bar_text[:14],
        "areas": [{"bounds": bounds, "action": area.action} for bounds, area in _bounds(cells)],
    }


# ---- the picture ------------------------------------------------------------------------------------------------------
@lru_cache(maxsize=16)
def _font(weight: int, size: int) -> ImageFont.FreeTypeFont:
    import fontpkg

    path = Path(fontpkg.path("Sarabun", weight))
    # Without raqm, Thai marks would be drawn side by side instead of stacked: refuse rather than draw it wrong.
    if not features.check("raqm"):
        raise RuntimeError("Pillow was built without raqm: Thai text would render wrongly")
    return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.RAQM)


def _hex(color: str) -> tuple[int, int, int]:
    color = color.lstrip("#")
    return int(color[0:2], 16), int(color[2:4], 16), int(color[4:6], 16)


def _tint(color: str, amount: float) -> tuple[int, int, int]:
    r, g, b = _hex(color)
    return (round(r + (255 - r) * amount), round(g + (255 - g) * amount), round(b + (255 - b) * amount))


def _fit(draw: ImageDraw.ImageDraw, text: str, weight: int, size: int, max_width: int) -> ImageFont.FreeTypeFont:
    while size > 30:
        font = _font(weight, size)
        if draw.textlength(text, font=font, features=None) <= max_width:
            return font
        size -= 6
    return _font(weight, size)


def _icon(draw: ImageDraw.ImageDraw, kind: str, cx: int, cy: int, r: int, color: tuple[int, int, int]) -> None:
    """Simple pictograms drawn with shapes (no emoji font is needed, so every phone shows the same picture)."""
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=color)
    w = (255, 255, 255)
    s = r / 100
    if kind == "news":  # megaphone
        draw.polygon([(cx - 50 * s, cy - 20 * s), (cx + 35 * s, cy - 55 * s), (cx + 35 * s, cy + 55 * s),
                      (cx - 50 * s, cy + 20 * s)], fill=w)
        draw.rectangle((cx - 65 * s, cy - 22 * s, cx - 45 * s, cy + 22 * s), fill=w)
        draw.rectangle((cx - 45 * s, cy + 15 * s, cx - 25 * s, cy + 55 * s), fill=w)
        draw.arc((cx + 30 * s, cy - 35 * s, cx + 75 * s, cy + 35 * s), -60, 60, fill=w, width=max(3, int(9 * s)))
    elif kind == "training":  # graduation cap
        draw.polygon([(cx, cy - 50 * s), (cx + 70 * s, cy - 15 * s), (cx, cy + 20 * s), (cx - 70 * s, cy - 15 * s)],
                     fill=w)
        draw.rectangle((cx - 40 * s, cy, cx + 40 * s, cy + 40 * s), fill=w)
        draw.line((cx + 60 * s, cy - 12 * s, cx + 60 * s, cy + 45 * s), fill=w, width=max(3, int(8 * s)))
    elif kind == "market":  # basket
        draw.arc((cx - 40 * s, cy - 65 * s, cx + 40 * s, cy + 10 * s), 180, 360, fill=w, width=max(3, int(10 * s)))
        draw.polygon([(cx - 65 * s, cy - 20 * s), (cx + 65 * s, cy - 20 * s), (cx + 45 * s, cy + 50 * s),
                      (cx - 45 * s, cy + 50 * s)], fill=w)
        for dx in (-25, 0, 25):
            draw.line((cx + dx * s, cy - 5 * s, cx + dx * s, cy + 38 * s), fill=color, width=max(2, int(6 * s)))
    elif kind == "share":  # the share symbol: three dots joined
        points = [(cx + 40 * s, cy - 42 * s), (cx - 42 * s, cy), (cx + 40 * s, cy + 42 * s)]
        draw.line([points[0], points[1], points[2]], fill=w, width=max(3, int(10 * s)))
        for px, py in points:
            draw.ellipse((px - 24 * s, py - 24 * s, px + 24 * s, py + 24 * s), fill=w)
    elif kind == "survey":  # clipboard with a tick
        draw.rounded_rectangle((cx - 45 * s, cy - 55 * s, cx + 45 * s, cy + 60 * s), radius=int(10 * s), fill=w)
        draw.rectangle((cx - 20 * s, cy - 65 * s, cx + 20 * s, cy - 45 * s), fill=w, outline=color,
                       width=max(2, int(5 * s)))
        draw.line([(cx - 25 * s, cy + 5 * s), (cx - 5 * s, cy + 28 * s), (cx + 28 * s, cy - 20 * s)], fill=color,
                  width=max(3, int(11 * s)), joint="curve")
    elif kind == "person":  # head and shoulders
        draw.ellipse((cx - 28 * s, cy - 60 * s, cx + 28 * s, cy - 4 * s), fill=w)
        draw.pieslice((cx - 55 * s, cy + 5 * s, cx + 55 * s, cy + 115 * s), 180, 360, fill=w)
    elif kind == "help":  # question mark
        font = _font(700, max(20, int(120 * s)))
        draw.text((cx, cy), "?", font=font, fill=w, anchor="mm")
    elif kind == "staff":  # key
        draw.ellipse((cx - 60 * s, cy - 30 * s, cx, cy + 30 * s), outline=w, width=max(3, int(14 * s)))
        draw.rectangle((cx - 5 * s, cy - 7 * s, cx + 65 * s, cy + 7 * s), fill=w)
        draw.rectangle((cx + 35 * s, cy, cx + 48 * s, cy + 28 * s), fill=w)
        draw.rectangle((cx + 55 * s, cy, cx + 65 * s, cy + 22 * s), fill=w)


def render_image(cells: tuple[Cell, ...]) -> bytes:
    """Draws the menu picture (PNG, 2500x1686, under 1 MB) matching `rich_menu_object` region by region."""
    image = Image.new("RGB", (WIDTH, HEIGHT), (241, 245, 243))
    draw = ImageDraw.Draw(image)
    dark = (31, 41, 55)
    muted = (75, 85, 99)
    for bounds, area in _bounds(cells):
        x, y, w, h = bounds["x"], bounds["y"], bounds["width"], bounds["height"]
        box = (x + GAP, y + GAP, x + w - GAP, y + h - GAP)
        accent = _hex(area.color)
        draw.rounded_rectangle(box, radius=36, fill=_tint(area.color, 0.88), outline=_tint(area.color, 0.55),
                               width=4)
        inner = w - 2 * GAP - 60
        if h > 600:  # a full cell: big icon above two lines of text
            _icon(draw, area.icon, x + w // 2, y + 250, 150, accent)
            label = _fit(draw, area.label, 700, 118, inner)
            draw.text((x + w // 2, y + 540), area.label, font=label, fill=dark, anchor="mm")
            if area.subtitle:
                sub = _fit(draw, area.subtitle, 400, 64, inner)
                draw.text((x + w // 2, y + 670), area.subtitle, font=sub, fill=muted, anchor="mm")
        else:  # half a cell: icon on the left, label on the right
            _icon(draw, area.icon, x + 150, y + h // 2, 95, accent)
            label = _fit(draw, area.label, 700, 96, w - 330)
            draw.text((x + 275, y + h // 2 - (26 if area.subtitle else 0)), area.label, font=label, fill=dark,
                      anchor="lm")
            if area.subtitle:
                sub = _fit(draw, area.subtitle, 400, 52, w - 330)
                draw.text((x + 275, y + h // 2 + 62), area.subtitle, font=sub, fill=muted, anchor="lm")
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    data = out.getvalue()
    if len(data) > MAX_IMAGE_BYTES:
        out = io.BytesIO()
        image.save(out, "JPEG", quality=88, optimize=True)
        data = out.getvalue()
    return data
