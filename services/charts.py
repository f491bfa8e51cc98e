"""Chart images with Thai labels, drawn with Pillow, Sarabun and raqm (correct Thai shaping); PNG bytes out.

Used for survey results (per-question rating distribution and mean) and the trainee's check-in card.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont, features

INK = (31, 41, 55)
MUTED = (75, 85, 99)
GRID = (229, 231, 235)
WHITE = (255, 255, 255)
# 1 (poor) -> 5 (excellent): red to green, distinguishable in greyscale by lightness too.
RATING_COLOURS = ((180, 35, 24), (239, 132, 50), (250, 204, 21), (132, 204, 22), (3, 122, 51))


@lru_cache(maxsize=16)
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    """Sarabun at `size` px, shaped by raqm when Pillow has it (Thai vowels and tone marks then sit right)."""
    import fontpkg

    path = fontpkg.path("Sarabun", 700 if bold else 400)
    layout = ImageFont.Layout.RAQM if features.check("raqm") else ImageFont.Layout.BASIC
    return ImageFont.truetype(str(path), size, layout_engine=layout)


def text_width(draw: ImageDraw.ImageDraw, text: str, face: ImageFont.FreeTypeFont) -> float:
    return draw.textlength(text, font=face)


def fit_text(draw: ImageDraw.ImageDraw, text: str, face: ImageFont.FreeTypeFont, width: float) -> str:
    """Shortens `text` with an ellipsis so it fits in `width` pixels."""
    if text_width(draw, text, face) <= width:
        return text
    while text and text_width(draw, text + "…", face) > width:
        text = text[:-1]
    return text + "…"


def wrap_text(draw: ImageDraw.ImageDraw, text: str, face: ImageFont.FreeTypeFont, width: float,
              max_lines: int = 3) -> list[str]:
    """Breaks text into lines that fit `width` (at spaces when there are any; Thai runs break anywhere)."""
    lines: list[str] = []
    current = ""
    for char in text:
        candidate = current + char
        if text_width(draw, candidate, face) <= width or not current:
            current = candidate
            continue
        cut = current.rfind(" ")
        if cut > 0:
            lines.append(current[:cut])
            current = current[cut + 1:] + char
        else:
            lines.append(current)
            current = char
        if len(lines) == max_lines:
            break
    if len(lines) < max_lines and current:
        lines.append(current)
    if len(lines) == max_lines and "".join(lines).replace(" ", "") != text.replace(" ", ""):
        lines[-1] = fit_text(draw, lines[-1] + "…", face, width)
    return lines


def png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


@dataclass(frozen=True)
class RatingRow:
    """One rating question: its label, how many chose 1..5, and the mean (None: not shown)."""

    label: str
    counts: Sequence[int]  # five numbers: ratings 1..5
    mean: float | None


def rating_chart(title: str, rows: Sequence[RatingRow], *, legend: Sequence[str], subtitle: str = "",
                 width: int = 1000) -> bytes:
    """Draws one stacked 100% bar per question (share of each rating) with its mean, as a PNG."""
    pad, label_w, mean_w = 32, 330, 90
    row_h, bar_h = 64, 30
    header_h = 96 if subtitle else 72
    legend_h = 56
    height = header_h + max(1, len(rows)) * row_h + legend_h + pad
    image = Image.new("RGB", (width, height), WHITE)
    draw = ImageDraw.Draw(image)
    draw.text((pad, 20), fit_text(draw, title, font(30, True), width - 2 * pad), font=font(30, True), fill=INK)
    if subtitle:
        draw.text((pad, 60), fit_text(draw, subtitle, font(20), width - 2 * pad), font=font(20), fill=MUTED)
    bar_x0 = pad + label_w
    bar_x1 = width - pad - mean_w
    y = header_h
    for row in rows:
        lines = wrap_text(draw, row.label, font(19), label_w - 16, max_lines=2)
        text_y = y + (row_h - 26 * len(lines)) / 2
        for line in lines:
            draw.text((pad, text_y), line, font=font(19), fill=INK)
            text_y += 26
        top = y + (row_h - bar_h) / 2
        total = sum(row.counts)
        draw.rectangle((bar_x0, top, bar_x1, top + bar_h), fill=GRID)
        if total:
            x = float(bar_x0)
            for rating, count in enumerate(row.counts, start=1):
                share = (bar_x1 - bar_x0) * count / total
                if share > 0:
                    draw.rectangle((x, top, x + share, top + bar_h), fill=RATING_COLOURS[rating - 1])
                    if share >= 34:
                        label = f"{round(100 * count / total)}%"
                        colour = INK if rating == 3 else WHITE
                        w = text_width(draw, label, font(16, True))
                        draw.text((x + (share - w) / 2, top + 4), label, font=font(16, True), fill=colour)
                x += share
        mean = f"{row.mean:.2f}" if row.mean is not None else "–"
        draw.text((bar_x1 + 16, top - 2), mean, font=font(26, True), fill=INK)
        y += row_h
    x = pad
    ly = y + 16
    for rating, name in enumerate(legend, start=1):
        draw.rectangle((x, ly + 4, x + 22, ly + 26), fill=RATING_COLOURS[rating - 1])
        label = f"{rating} {name}"
        draw.text((x + 30, ly), label, font=font(18), fill=MUTED)
        x += 30 + int(text_width(draw, label, font(18))) + 28
    return png(image)
