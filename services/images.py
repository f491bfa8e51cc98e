"""Accepts photos safely and stores display and thumbnail versions.

Only JPEG, PNG and WebP. What a photo may cost is settled from its header before a pixel is decoded: the byte size,
the pixel count, and the memory decoding would hold (the mode's bytes per pixel, the copy made to flatten or shrink
it, a progressive JPEG's coefficient buffer, WebP's canvas) against DECODE_BUDGET, so one photo adds at most about
64 MB to the process whatever is sent. A JPEG is decoded straight at reduced size (libjpeg's DCT scaling), anything
else is shrunk by an integer factor first, and at most MAX_DECODES photos are decoded at once in the process.
Orientation is applied and everything else in EXIF (GPS location!) is dropped by re-encoding; the result is a JPEG
of at most DISPLAY_EDGE pixels and a THUMB_EDGE thumbnail.
"""

from __future__ import annotations

import hashlib
import io
import math
import threading
from dataclasses import dataclass
from datetime import datetime

from PIL import Image, ImageFile
from sqlalchemy.orm import Session

from models.media import MediaImage
from services.errors import DomainError
from texts import images as images_texts

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 100-megapixel picture is refused
DECODE_BUDGET = 40 * 1024 * 1024  # what decoding one photo may hold at its peak (see _decode_cost)
MAX_DECODES = 2  # photos decoded at once in a process: a burst of photos waits instead of multiplying the peak
MIN_EDGE = 100
DISPLAY_EDGE = 1024
THUMB_EDGE = 240
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}

_decoding = threading.BoundedSemaphore(MAX_DECODES)

# Bytes per pixel at the peak of the full-resolution stage (_render), by mode: what Pillow stores (1 byte for
# "1"/"L"/"P", 4 for RGB and most others) plus what is made beside it while it is alive: a reduction of at most a
# quarter for L and RGB; an RGB copy for everything converted (4 + 4); RGBA beside the palette, then RGB beside the
# RGBA, for a transparent palette (1 + 4, then 4 + 4). bench/photo_memory.py measures each case.
_PEAK_BYTES_PER_PIXEL = {"L": 1.25, "1": 2.0, "RGB": 5.0}
_PEAK_BYTES_DEFAULT = 8.0
_PEAK_BYTES_OPAQUE_PALETTE = 5.0
# libwebp's anim decoder keeps its canvas and previous frame, and Pillow copies the frame out of it before
# building the image: about 12 more per pixel (measured: 18 bytes per pixel for a lossless RGBA WebP).
_WEBP_DECODER_BYTES_PER_PIXEL = 12


class ImageRejected(DomainError):
    code = "image_rejected"


@dataclass(frozen=True)
class ProcessedImage:
    display: bytes
    thumb: bytes
    width: int
    height: int
    digest: str


def accept_image(data: bytes, *, max_bytes: int = MAX_BYTES, max_pixels: int = MAX_PIXELS,
                 decode_budget: int = DECODE_BUDGET) -> ProcessedImage:
    """Validates and re-encodes a photo, or raises ImageRejected with a Thai reason."""
    if not data:
        raise ImageRejected(images_texts.IMAGE_EMPTY, code="empty")
    if len(data) > max_bytes:
        raise ImageRejected(images_texts.IMAGE_TOO_MANY_BYTES.format(mb=max_bytes // (1024 * 1024)), code="too_large")
    with _decoding:
        try:
            # No name here holds the opened image: _render drops each size as soon as the next one exists.
            display, thumb = _render(_open(data, max_pixels, decode_budget))
        except ImageRejected:
            raise
        except MemoryError:
            raise _too_large() from None
        except Exception:  # noqa: BLE001 - Pillow's decoders raise many types on hostile input; all mean "broken"
            raise ImageRejected(images_texts.IMAGE_CORRUPT, code="corrupt") from None
    shown = Image.open(io.BytesIO(display)).size
    return ProcessedImage(display, thumb, shown[0], shown[1], hashlib.sha256(display).hexdigest())


def _too_large() -> ImageRejected:
    return ImageRejected(images_texts.IMAGE_TOO_LARGE, code="too_many_pixels")


def _open(data: bytes, max_pixels: int, decode_budget: int) -> Image.Image:
    """Reads the header (Pillow's open is lazy) and refuses what is not a photo or would cost too much to decode.

    A JPEG is also told to decode at reduced size here, so that the cost checked is the cost paid.
    """
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":  # Pillow's WebP open allocates the canvas: check before it
        size = _webp_size(data)
        if size is None:
            raise ImageRejected(images_texts.IMAGE_UNREADABLE, code="unreadable")
        _check_size(size, max_pixels)
        if _webp_cost(size, len(data)) > decode_budget:
            raise _too_large()
    try:
        image = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError:  # over twice Pillow's own limit; ours is lower still
        raise _too_large() from None
    except Exception:  # noqa: BLE001 - any plugin's parse error means the same to the sender
        raise ImageRejected(images_texts.IMAGE_UNREADABLE, code="unreadable") from None
    try:
        if image.format not in ALLOWED_FORMATS:
            raise ImageRejected(images_texts.IMAGE_FORMAT, code="format")
        _check_size(image.size, max_pixels)
        coefficients = 0
        if image.format == "JPEG":
            coefficients = _jpeg_coefficient_bytes(image, data)  # at full size, whatever the scaling
            image.draft(None, _fit(image.size, DISPLAY_EDGE))  # libjpeg decodes at 1/2, 1/4 or 1/8 if that suffices
        if _decode_cost(image, len(data)) + coefficients > decode_budget:
            raise _too_large()
    except BaseException:
        image.close()
        raise
    return image


def _check_size(size: tuple[int, int], max_pixels: int) -> None:
    width, height = size
    if width * height > max_pixels:
        raise _too_large()
    if min(width, height) < MIN_EDGE:
        raise ImageRejected(images_texts.IMAGE_TOO_SMALL, code="too_small")


def _decode_cost(image: Image.Image, file_bytes: int) -> int:
    """Bytes decoding and shrinking this image hold at their peak, at the size it will be decoded at."""
    if image.format == "WEBP":
        return _webp_cost(image.size, file_bytes)
    width, height = image.size
    if image.mode == "P" and "transparency" not in image.info:
        per_pixel = _PEAK_BYTES_OPAQUE_PALETTE
    else:
        per_pixel = _PEAK_BYTES_PER_PIXEL.get(image.mode, _PEAK_BYTES_DEFAULT)
    return int(width * height * per_pixel)


def _webp_cost(size: tuple[int, int], file_bytes: int) -> int:
    # The mode is unknown before opening: count it as RGBA. Pillow also copies the whole file into the decoder.
    return int(size[0] * size[1] * (_PEAK_BYTES_DEFAULT + _WEBP_DECODER_BYTES_PER_PIXEL)) + file_bytes


def _webp_size(data: bytes) -> tuple[int, int] | None:
    """The canvas size in a WebP header (lossy, lossless or extended), or None if it is not there."""
    chunk = data[12:16]
    if chunk == b"VP8 " and len(data) >= 30 and data[23:26] == b"\x9d\x01\x2a":
        return int.from_bytes(data[26:28], "little") & 0x3FFF, int.from_bytes(data[28:30], "little") & 0x3FFF
    if chunk == b"VP8X" and len(data) >= 30:
        return int.from_bytes(data[24:27], "little") + 1, int.from_bytes(data[27:30], "little") + 1
    if chunk == b"VP8L" and len(data) >= 25 and data[20] == 0x2F:
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    return None


def _jpeg_coefficient_bytes(image: Image.Image, data: bytes) -> int:
    """What libjpeg keeps for the whole image while decoding a progressive or multi-scan JPEG, at full size
    whatever the scaling (0 for the usual single-scan JPEG, decoded one row of blocks at a time)."""
    layers = getattr(image, "layer", [])
    if not layers or (not image.info.get("progressive") and _first_scan_components(data) >= len(layers)):
        return 0
    width, height = image.size
    h_max = max(h for _, h, _, _ in layers) or 1  # Pillow's layer tuples: (id, horizontal, vertical, table)
    v_max = max(v for _, _, v, _ in layers) or 1
    blocks = sum(math.ceil(math.ceil(width * h / h_max) / 8) * math.ceil(math.ceil(height * v / v_max) / 8)
                 for _, h, v, _ in layers)
    return blocks * 64 * 2  # 64 coefficients of 2 bytes per 8x8 block


def _first_scan_components(data: bytes, max_steps: int = 4096) -> int:
    """How many colour components the first scan of a JPEG carries (0 if the scan header is not found)."""
    pos = 2
    for _ in range(max_steps):
        if pos + 4 > len(data) or data[pos] != 0xFF:
            return 0
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker == 0x01 or 0xD0 <= marker <= 0xD8:  # markers without a length
            pos += 2
            continue
        if marker == 0xDA:  # start of scan: length (2 bytes), then the component count
            return data[pos + 4] if pos + 4 < len(data) else 0
        pos += 2 + int.from_bytes(data[pos + 2:pos + 4], "big")
    return 0


def _fit(size: tuple[int, int], edge: int) -> tuple[int, int]:
    """The size an image of `size` has once it fits in an edge x edge square (never enlarged, never 0)."""
    width, height = size
    scale = min(1.0, edge / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def _orientation(image: Image.Image) -> int:
    try:
        value = image.getexif().get(0x0112, 1)
    except Exception:  # noqa: BLE001 - a broken EXIF block only loses the rotation, not the photo
        return 1
    return value if isinstance(value, int) else 1


_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180, 4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def _render(image: Image.Image) -> tuple[bytes, bytes]:
    """Decodes (at the size _open prepared), shrinks, rotates upright and encodes the display and thumbnail JPEGs.

    Each step rebinds `image`, the only reference to it, so a larger version is freed as soon as the next exists:
    what _decode_cost counts is the decoded image plus the one copy made beside it.
    """
    # Importing WeasyPrint (report PDFs) turns PIL's LOAD_TRUNCATED_IMAGES on for the whole process; a photo cut off
    # in transit must still be refused here, not padded with grey. (The PDFs embed only our own complete JPEGs.)
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    image.load()
    orientation = _orientation(image)  # after load: a PNG's eXIf chunk may follow its pixels
    if image.mode in ("LA", "PA", "La", "RGBa") or (image.mode == "P" and "transparency" in image.info):
        image = image.convert("RGBA")
    image = _flatten(image)
    target = _fit(image.size, DISPLAY_EDGE)
    factor = min(image.width // target[0], image.height // target[1])
    if factor >= 2:  # an integer reduce() first: cheap, and the full-size image goes as soon as it is done
        image = image.reduce(factor)
    if image.size != target:
        image = image.resize(target, Image.Resampling.LANCZOS)
    if orientation in _TRANSPOSE:
        image = image.transpose(_TRANSPOSE[orientation])
    if image.mode != "RGB":  # grey stays grey, but every stored photo is RGB, as before
        image = image.convert("RGB")
    display = _encode(image, 85)
    image.thumbnail((THUMB_EDGE, THUMB_EDGE), Image.Resampling.LANCZOS)
    return display, _encode(image, 80)


def _flatten(image: Image.Image) -> Image.Image:
    """Returns an RGB or L version; transparency is laid on white."""
    if image.mode in ("RGB", "L"):
        return image
    if image.mode == "1":
        return image.convert("L")
    if image.mode == "RGBA":
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image, mask=image)
        return background
    return image.convert("RGB")


def _encode(image: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, optimize=True, progressive=True)  # no exif= : nothing carried over
    return out.getvalue()


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
