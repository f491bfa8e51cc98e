"""Personal check-in codes and their QR images.

A code is 12 random characters of Crockford's base32 (60 bits: not guessable, and unambiguous to type: no I, L,
O or U). The QR carries the staff check-in link with the code, so a staff phone's ordinary camera app opens the
check-in page directly; the console's own scanner reads either that link or a bare code.
"""

from __future__ import annotations

import io
import re
import secrets
from collections.abc import Sequence
from urllib.parse import parse_qs, urlsplit

import qrcode
from PIL import Image, ImageDraw
from qrcode.constants import ERROR_CORRECT_M

from services.charts import INK, MUTED, WHITE, fit_text, font, png

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12
CHECKIN_PATH = "/checkin"
# Typing mistakes Crockford's alphabet forgives: letters that look like digits.
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})
_MAX_INPUT = 300
CARD_HEIGHT = 800  # 720 x 800: the Flex hero shows it at aspect ratio 9:10


def new_checkin_code() -> str:
    """A fresh random code (store it unformatted; show it with `format_code`)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def format_code(code: str) -> str:
    """'ABCD2345WXYZ' -> 'ABCD-2345-WXYZ' (easier to read aloud and to type)."""
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def normalise_code(text: str | None) -> str | None:
    """The code in what staff typed or scanned (a bare code in any case, with spaces or dashes, or the QR's
    link), or None if it is not a well-formed code."""
    if not text:
        return None
    text = text.strip()[:_MAX_INPUT]
    if "://" in text or text.startswith(CHECKIN_PATH):
        values = parse_qs(urlsplit(text).query).get("code") or [""]
        text = values[0]
    raw = re.sub(r"[\s\-–_.]", "", text).upper().translate(_CONFUSABLE)
    if len(raw) != CODE_LENGTH or any(c not in ALPHABET for c in raw):
        return None
    return raw


def checkin_url(base_url: str, code: str) -> str:
    """The link the QR carries: the staff check-in page, with this code filled in."""
    return f"{base_url.rstrip('/')}{CHECKIN_PATH}?code={format_code(code)}"


def qr_image(payload: str, box: int = 10) -> Image.Image:
    """A black-on-white QR code of `payload` (medium error correction: survives a scratched phone screen)."""
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=box, border=4)
    qr.add_data(payload)
    qr.make(fit=True)
    return qr.make_image(fill_color="black", back_color="white").get_image().convert("RGB")


def qr_png(payload: str, box: int = 10) -> bytes:
    """A plain QR code of `payload` as PNG: certificate labels, referral links, PromptPay payments."""
    out = io.BytesIO()
    qr_image(payload, box=box).save(out, "PNG", optimize=True)
    return out.getvalue()


def checkin_card_png(payload: str, code: str, caption: Sequence[str]) -> bytes:
    """A square card: the QR, the code in large letters (for typing), and caption lines in Thai below it."""
    size = 720
    card = Image.new("RGB", (size, CARD_HEIGHT), WHITE)
    caption = list(caption)[:2]
    qr = qr_image(payload).resize((560, 560), Image.Resampling.NEAREST)
    card.paste(qr, ((size - 560) // 2, 20))
    draw = ImageDraw.Draw(card)
    y = 590
    shown = format_code(code)
    face = font(48, True)
    draw.text(((size - draw.textlength(shown, font=face)) / 2, y), shown, font=face, fill=INK)
    y += 70
    for line in caption:
        line = fit_text(draw, line, font(26), size - 60)
        draw.text(((size - draw.textlength(line, font=font(26))) / 2, y), line, font=font(26), fill=MUTED)
        y += 36
    return png(card)
