"""Accepts photos safely and stores display and thumbnail versions.

Only JPEG, PNG and WebP; bytes and pixel counts are checked before decoding (a decompression bomb is refused
without being expanded); orientation is applied and everything else in EXIF (GPS location!) is dropped by
re-encoding; the result is a JPEG of at most DISPLAY_EDGE pixels and a THUMB_EDGE thumbnail.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass
from datetime import datetime

from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy.orm import Session

from models.media import MediaImage
from services.errors import DomainError

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 100-megapixel picture is refused
MIN_EDGE = 100
DISPLAY_EDGE = 1024
THUMB_EDGE = 240
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}


class ImageRejected(DomainError):
    code = "image_rejected"


@dataclass(frozen=True)
class ProcessedImage:
    display: bytes
    thumb: bytes
    width: int
    height: int
    digest: str


def _encode(image: Image.Image, edge: int, quality: int) -> bytes:
    copy = image.copy()
    copy.thumbnail((edge, edge), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    copy.save(out, "JPEG", quality=quality, optimize=True, progressive=True)  # no exif= : nothing carried over
    return out.getvalue()


def accept_image(data: bytes, *, max_bytes: int = MAX_BYTES, max_pixels: int = MAX_PIXELS) -> ProcessedImage:
    """Validates and re-encodes a photo, or raises ImageRejected with a Thai reason."""
    if not data:
        raise ImageRejected("ไม่พบไฟล์รูปภาพ กรุณาส่งใหม่อีกครั้งค่ะ", code="empty")
    if len(data) > max_bytes:
        raise ImageRejected(f"รูปใหญ่เกินไป (เกิน {max_bytes // (1024 * 1024)} MB) กรุณาส่งรูปที่เล็กลงค่ะ", code="too_large")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            fmt = probe.format
            width, height = probe.size
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageRejected("ไฟล์นี้ไม่ใช่รูปภาพที่ระบบอ่านได้ กรุณาส่งรูปแบบ JPG หรือ PNG ค่ะ", code="unreadable") from None
    if fmt not in ALLOWED_FORMATS:
        raise ImageRejected("รองรับเฉพาะรูป JPG, PNG หรือ WebP ค่ะ", code="format")
    if width * height > max_pixels:
        raise ImageRejected("รูปมีความละเอียดสูงเกินไป กรุณาส่งรูปที่เล็กลงค่ะ", code="too_many_pixels")
    if min(width, height) < MIN_EDGE:
        raise ImageRejected("รูปเล็กเกินไป กรุณาส่งรูปที่ชัดกว่านี้ค่ะ", code="too_small")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            image.load()
            image = ImageOps.exif_transpose(image)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageRejected("ไฟล์รูปเสียหรือไม่สมบูรณ์ กรุณาส่งใหม่อีกครั้งค่ะ", code="corrupt") from None
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image, mask=image.split()[-1])
        image = background
    elif image.mode != "RGB":
        image = image.convert("RGB")
    display = _encode(image, DISPLAY_EDGE, 85)
    thumb = _encode(image, THUMB_EDGE, 80)
    shown = Image.open(io.BytesIO(display)).size
    return ProcessedImage(display, thumb, shown[0], shown[1], hashlib.sha256(display).hexdigest())


def save_image(session: Session, processed: ProcessedImage, *, kind: str, owner_key: str | None,
               now: datetime) -> MediaImage:
    """Stores an accepted image and returns its row (see `image_url`/`thumb_url` for links)."""
    row = MediaImage(kind=kind, owner_key=owner_key, digest=processed.digest, width=processed.width,
                     height=processed.height, display_jpeg=processed.display, thumb_jpeg=processed.thumb,
                     created_at=now)
    session.add(row)
    session.flush()
    return row


def image_url(base_url: str, image: MediaImage) -> str:
    """Absolute HTTPS-ready URL of the display version (the digest makes it unguessable and cacheable)."""
    return f"{base_url.rstrip('/')}/media/{image.id}-{image.digest[:16]}.jpg"


def thumb_url(base_url: str, image: MediaImage) -> str:
    return f"{base_url.rstrip('/')}/media/{image.id}-{image.digest[:16]}/thumb.jpg"


def delete_images(session: Session, owner_key: str) -> int:
    """Deletes every image of an owner (e.g. when a product or someone's data is deleted)."""
    rows = session.query(MediaImage).filter(MediaImage.owner_key == owner_key).all()
    for row in rows:
        session.delete(row)
    return len(rows)
