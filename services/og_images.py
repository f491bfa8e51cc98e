"""Link-preview images (og:image, 1200×630 PNG) for public pages: what LINE and Facebook show when a link is shared.

A `Card` holds everything that changes the picture (words, the photo's id and digest, the badge); its hash goes
into the image's URL (/og/<kind>/<key>-<hash>.png), so a changed product gets a new URL and the old one can be cached
forever by LINE, Facebook and proxies. Images are not stored: they are drawn on demand (about 50 ms) and the last
few are kept in a bounded in-process LRU (`CACHE_BYTES`). A table would outlive a deploy, but the crawlers fetch an
image once per URL and then keep it, so a restart costs one redraw per shared page and no migration or cleanup job.

Drawn with Pillow, Sarabun and raqm: raqm shapes Thai, so vowels and tone marks sit on their consonant (the basic
layout stacks a tone mark over an upper vowel). Lines break at spaces and, inside Thai runs (written without
spaces), at word boundaries found by libthai's dictionary (libthai0, which libpango for WeasyPrint already brings;
without it, at likely syllable boundaries), and never between a consonant and its marks.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import io
import json
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont, ImageOps, features
from sqlalchemy import select
from sqlalchemy.orm import Session, undefer

from models.market import Certification, Product
from models.media import MediaImage
from models.projects import Project
from models.trainings import Training
from services import catalog, certification, products, trainings
from texts import dates
from texts import og as og_texts
from texts import projects as projects_texts
from texts.districts import DISTRICTS, district_name

WIDTH, HEIGHT = 1200, 630
PHOTO_WIDTH = 540  # the photo fills the left part, cropped to cover
RENDER_VERSION = "1"  # bump when the drawing changes, so every URL changes with it
CACHE_BYTES = 24 * 1024 * 1024  # rendered PNGs kept in memory (a photo card is about 0.3-0.8 MB)
KINDS = ("project", "product", "training", "page")
MAX_ID = 2**31 - 1  # INTEGER columns: a larger id names no row, and PostgreSQL would refuse it

GREEN = (6, 199, 85)
GREEN_STRONG = (3, 122, 51)
GREEN_SOFT = (231, 249, 238)
INK = (17, 24, 39)
MUTED = (75, 85, 99)
WHITE = (255, 255, 255)


@dataclass(frozen=True)
class Card:
    """What one preview image shows. Every field changes the picture, so every field is in the hash."""

    kind: str  # one of KINDS
    key: str  # the row id, or the page key of og_texts.PAGES
    label: str
    title: str
    lines: tuple[str, ...] = ()
    badge: str | None = None
    photo_id: int | None = None
    photo_digest: str | None = None
    stage_colour: str | None = None

    @property
    def hash(self) -> str:
        """16 hex digits of the SHA-256 of the card's content and the drawing version."""
        data = json.dumps([RENDER_VERSION, asdict(self)], ensure_ascii=False, sort_keys=True, default=str)
        return hashlib.sha256(data.encode()).hexdigest()[:16]

    @property
    def path(self) -> str:
        """The image's path under the site: /og/<kind>/<key>-<hash>.png."""
        return f"/og/{self.kind}/{self.key}-{self.hash}.png"


# ---- cards from the rows -----------------------------------------------------------------------------------------
def districts_text(keys: list[str] | tuple[str, ...] | None) -> str:
    """'อ.บ้านไผ่, พล' or 'ทั้งจังหวัด'."""
    names = [DISTRICTS[k] for k in keys or () if k in DISTRICTS]
    return og_texts.DISTRICTS.format(names=", ".join(names)) if names else og_texts.PROVINCE_WIDE


def _image_ref(session: Session, image_id: int | None) -> tuple[int | None, str | None]:
    if not image_id:
        return None, None
    digest = session.scalar(select(MediaImage.digest).where(MediaImage.id == image_id))
    return (image_id, digest) if digest else (None, None)


def project_card(session: Session, project_id: int) -> Card | None:
    """The card of a published project (title, stage, districts, cover photo); None if it is not public."""
    project = session.get(Project, project_id) if 0 < project_id <= MAX_ID else None
    if project is None or not project.published:
        return None
    photo_id, digest = _image_ref(session, project.cover_image_id)
    stage = projects_texts.STAGE_NAMES.get(project.stage, project.stage)
    return Card(kind="project", key=str(project.id), label=og_texts.KIND_PROJECT, title=project.title,
                lines=(og_texts.STAGE.format(stage=stage), districts_text(project.districts)),
                photo_id=photo_id, photo_digest=digest,
                stage_colour=projects_texts.STAGE_COLORS.get(project.stage))


def public_product(session: Session, product_id: int, now: datetime) -> Product | None:
    """The product when its public page shows it (the same rule as web/public_market.product_page), else None."""
    product = session.get(Product, product_id) if 0 < product_id <= MAX_ID else None
    if product is None or product.deleted_at is not None or product.hidden or product.vendor.status != "approved":
        return None
    ever_certified = session.scalar(select(Certification.id).where(
        Certification.product_id == product.id, Certification.number.is_not(None)).limit(1)) is not None
    return product if ever_certified or catalog.is_listed(product, now) else None


def is_certified(session: Session, product: Product, now: datetime) -> bool:
    return certification.current_certificate(session, product, now) is not None


def product_card(session: Session, product_id: int, now: datetime) -> Card | None:
    """The card of a public product (photo, name, price, shop, the certified badge); None if it is not public."""
    product = public_product(session, product_id, now)
    return product_card_of(session, product, now) if product is not None else None


def product_card_of(session: Session, product: Product, now: datetime) -> Card:
    """The card of a product already known to be public (see `public_product`)."""
    photo = (product.photos or [None])[0]
    vendor = product.vendor
    return Card(kind="product", key=str(product.id), label=og_texts.KIND_PRODUCT, title=product.name,
                lines=(products.price_per_unit(product.price_satang, product.unit),
                       og_texts.SHOP.format(shop=vendor.shop_name, district=district_name(vendor.district))),
                badge=og_texts.BADGE_CERTIFIED if is_certified(session, product, now) else None,
                photo_id=int(photo["id"]) if photo else None, photo_digest=str(photo["digest"]) if photo else None)


def public_training(session: Session, training_id: int) -> Training | None:
    """A training that was published (cancelled ones too: their page says so); None for drafts and unknown ids."""
    training = session.get(Training, training_id) if 0 < training_id <= MAX_ID else None
    return training if training is not None and training.status in ("published", "cancelled") else None


def seats_text(session: Session, training: Training) -> str:
    if training.status == "cancelled":
        return og_texts.TRAINING_CANCELLED
    left = trainings.seats_left(session, training)
    return og_texts.SEATS_LEFT.format(n=dates.thai_number(left)) if left > 0 else og_texts.SEATS_FULL


def training_card(session: Session, training_id: int, tz: str = dates.DEFAULT_TZ) -> Card | None:
    """The card of a published training (title, Thai date in the Buddhist era, seats left); None if not public."""
    training = public_training(session, training_id)
    if training is None:
        return None
    photo_id, digest = _image_ref(session, training.cover_image_id)
    when = og_texts.TRAINING_WHEN.format(when=dates.thai_datetime(training.starts_at, tz, long=True))
    return Card(kind="training", key=str(training.id), label=og_texts.KIND_TRAINING, title=training.title,
                lines=(when, seats_text(session, training)), photo_id=photo_id, photo_digest=digest)


def page_card(key: str) -> Card | None:
    """The card of a fixed public page (og_texts.PAGES); None for an unknown key."""
    if key not in og_texts.PAGES:
        return None
    title, subtitle = og_texts.PAGES[key]
    return Card(kind="page", key=key, label=og_texts.KIND_PAGE, title=title, lines=(subtitle,))


def card_for(session: Session, kind: str, key: str, now: datetime, tz: str = dates.DEFAULT_TZ) -> Card | None:
    """The current card of `kind`/`key`, or None when there is no such public thing."""
    if kind == "page":
        return page_card(key)
    if not key.isdigit() or len(key) > 10:
        return None
    number = int(key)
    if kind == "project":
        return project_card(session, number)
    if kind == "product":
        return product_card(session, number, now)
    if kind == "training":
        return training_card(session, number, tz)
    return None


# ---- Thai line breaking ----------------------------------------------------------------------------------------------
_FOLLOWING = "\u0e30\u0e32\u0e33\u0e45\u0e46"  # ะ า ำ ๅ ๆ: written after their consonant, never start a line
_LEADING = "\u0e40\u0e41\u0e42\u0e43\u0e44"  # เ แ โ ใ ไ: written before their consonant, never end a line
_JOINERS = "\u200d\ufe0e\ufe0f"


def clusters(text: str) -> list[str]:
    """`text` cut into pieces no line break may split: a character with its combining marks (Thai vowels above and
    below, tone marks), a following vowel (ะ า ำ) kept with what precedes it, a leading vowel (เ แ โ ใ ไ) with what
    follows it, emoji joiner sequences whole."""
    pieces: list[str] = []
    for char in text:
        glued = pieces and (unicodedata.category(char).startswith("M") or char in _FOLLOWING or char in _JOINERS
                            or pieces[-1][-1] in _JOINERS or pieces[-1][-1] in _LEADING)
        if glued:
            pieces[-1] += char
        else:
            pieces.append(char)
    return pieces


_BREAK_AFTER = "-–—/,)ะำๆฯ"  # a Thai syllable usually ends after ะ ำ ๆ ฯ; punctuation ends a part of a name


_LIBTHAI_LOCK = threading.Lock()  # libthai's shared breaker is made lazily and is not documented as thread-safe


@lru_cache(maxsize=1)
def _libthai() -> Callable[..., int] | None:
    try:
        lib = ctypes.CDLL(ctypes.util.find_library("thai") or "libthai.so.0")
        find = lib.th_brk_wc_find_breaks
    except (OSError, AttributeError):
        return None
    find.argtypes = [ctypes.c_void_p, ctypes.c_wchar_p, ctypes.POINTER(ctypes.c_int), ctypes.c_size_t]
    find.restype = ctypes.c_int
    return find


def word_breaks(text: str) -> set[int]:
    """Offsets in `text` where a Thai word starts, from libthai's dictionary; empty without libthai."""
    find = _libthai()
    if find is None or not text or ctypes.sizeof(ctypes.c_wchar) != 4:  # one wchar per code point (Linux)
        return set()
    positions = (ctypes.c_int * (len(text) + 1))()
    with _LIBTHAI_LOCK:
        count = find(None, text, positions, len(text) + 1)
    return set(positions[:max(count, 0)])


def _pieces(text: str) -> list[tuple[str, int]]:
    """Clusters of `text`, each with how good a line break before it is: 3 at a space, 2 at a word boundary
    (libthai) or a likely syllable boundary (before a leading vowel, after ะ ำ ๆ ฯ, after a dash, slash or comma),
    1 anywhere else, 0 first."""
    out: list[tuple[str, int]] = []
    for word_index, word in enumerate(text.split()):
        breaks = word_breaks(word)
        previous, offset = "", 0
        for index, piece in enumerate(clusters(word)):
            if index == 0:
                quality = 3 if word_index else 0
            elif offset in breaks or previous[-1] in _BREAK_AFTER or piece[0] in _LEADING:
                quality = 2
            else:
                quality = 1
            out.append((piece, quality))
            previous, offset = piece, offset + len(piece)
    return out


def _joined(items: list[tuple[str, int]]) -> str:
    return "".join((" " if quality == 3 and index else "") + piece for index, (piece, quality) in enumerate(items))


def wrap(text: str, measure: Callable[[str], float], width: float, max_lines: int) -> list[str]:
    """Lines of `text` no wider than `width` by `measure`. Breaks at spaces; Thai runs (written without spaces)
    break at a word (or likely syllable) boundary when one leaves the line at least 40 % full, else between two
    clusters, never inside one. The last allowed line ends in "…" when text is left over."""
    lines: list[str] = []
    line: list[tuple[str, int]] = []
    for item in _pieces(text):
        trial = [*line, item]
        if not line or measure(_joined(trial)) <= width:
            line = trial
            continue
        cut = len(line)
        if item[1] < 2:
            good = [i for i in range(1, len(line)) if line[i][1] >= 2]
            if good and measure(_joined(line[:good[-1]])) >= 0.4 * width:
                cut = good[-1]
        lines.append(_joined(line[:cut]))
        line = [*line[cut:], item]
        while len(line) > 1 and measure(_joined(line)) > width:  # a remainder that still overflows
            lines.append(_joined(line[:-1]))
            line = line[-1:]
    if line:
        lines.append(_joined(line))
    if len(lines) > max_lines:
        kept = lines[:max_lines]
        last = kept[-1]
        while last and measure(last + "…") > width:
            last = "".join(clusters(last)[:-1]).rstrip()
        kept[-1] = last + "…"
        return kept
    return lines


# ---- drawing ---------------------------------------------------------------------------------------------------------
@lru_cache(maxsize=16)
def font(size: int, bold: bool = False, raqm: bool = True) -> ImageFont.FreeTypeFont:
    """Sarabun at `size` px laid out by raqm (falls back to the basic layout only where Pillow lacks raqm)."""
    import fontpkg

    path = fontpkg.path("Sarabun", 700 if bold else 400)
    layout = ImageFont.Layout.RAQM if raqm and features.check("raqm") else ImageFont.Layout.BASIC
    return ImageFont.truetype(str(path), size, layout_engine=layout)


def _hex(colour: str | None, default: tuple[int, int, int]) -> tuple[int, int, int]:
    if not colour or len(colour) != 7 or not colour.startswith("#"):
        return default
    try:
        return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)
    except ValueError:
        return default


def _photo(data: bytes | None, size: tuple[int, int]) -> Image.Image | None:
    """The stored photo cropped to cover `size`; None when there is none or it cannot be read (the card is drawn
    without it rather than failing the preview)."""
    if not data:
        return None
    try:
        with Image.open(io.BytesIO(data)) as source:
            source.draft("RGB", (size[0] * 2, size[1] * 2))  # JPEG: decode at a reduced scale, much faster
            return ImageOps.fit(source.convert("RGB"), size, Image.Resampling.LANCZOS)
    except (OSError, ValueError, Image.DecompressionBombError):
        return None


def render(card: Card, photo: bytes | None = None) -> bytes:
    """The card as a 1200×630 PNG: photo on the left (or a green panel), label, title, detail lines, badge, and the
    site's name along the bottom."""
    image = Image.new("RGB", (WIDTH, HEIGHT), WHITE)
    draw = ImageDraw.Draw(image)
    picture = _photo(photo, (PHOTO_WIDTH, HEIGHT))
    if picture is not None:
        image.paste(picture, (0, 0))
        left = PHOTO_WIDTH + 48
    elif card.kind == "page":
        left = 64
    else:
        draw.rectangle((0, 0, PHOTO_WIDTH, HEIGHT), fill=GREEN_SOFT)
        mark = font(120, bold=True)
        draw.text((PHOTO_WIDTH // 2, HEIGHT // 2 - 20), "อบจ", font=mark, fill=GREEN_STRONG, anchor="mm")
        left = PHOTO_WIDTH + 48
    right = WIDTH - 56
    width = right - left
    footer = 78
    draw.rectangle((0, HEIGHT - footer, WIDTH, HEIGHT), fill=GREEN_STRONG)
    site = font(30, bold=True)
    draw.text((left if picture is None and card.kind == "page" else 40, HEIGHT - footer // 2),
              projects_texts.PUBLIC["SITE_NAME"], font=site, fill=WHITE, anchor="lm")

    y = 52
    label_face = font(30, bold=True)
    colour = _hex(card.stage_colour, GREEN_STRONG)
    draw.text((left, y), card.label, font=label_face, fill=colour, anchor="la")
    y += 58
    title_size = 60 if card.kind == "page" else 52
    title_face = font(title_size, bold=True)
    for line in wrap(card.title, lambda s: draw.textlength(s, font=title_face), width, 3):
        draw.text((left, y), line, font=title_face, fill=INK, anchor="la")
        y += int(title_size * 1.45)
    y += 10
    for index, line in enumerate(card.lines):
        price = card.kind == "product" and index == 0  # the price is what a buyer looks for first
        face, ink, step = (font(46, bold=True), GREEN_STRONG, 62) if price else (font(36), MUTED, 52)
        for part in wrap(line, lambda s, face=face: draw.textlength(s, font=face), width, 2):
            if y > HEIGHT - footer - 60:
                break
            draw.text((left, y), part, font=face, fill=ink, anchor="la")
            y += step
    if card.badge:
        badge_face = font(34, bold=True)
        text_width = draw.textlength(card.badge, font=badge_face)
        top = min(y + 14, HEIGHT - footer - 76)
        draw.rounded_rectangle((left, top, left + text_width + 80, top + 60), radius=30, fill=GREEN)
        # A drawn tick: Sarabun has no check-mark glyph.
        draw.line((left + 22, top + 31, left + 33, top + 42, left + 52, top + 19), fill=WHITE, width=6, joint="curve")
        draw.text((left + 62, top + 30), card.badge, font=badge_face, fill=WHITE, anchor="lm")
    out = io.BytesIO()
    image.save(out, "PNG", optimize=False, compress_level=6)
    return out.getvalue()


# ---- the cache -------------------------------------------------------------------------------------------------------
class _Lru:
    """Rendered PNGs by card hash, least recently used dropped first once over `limit` bytes; thread-safe."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.items: OrderedDict[str, bytes] = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self.lock:
            data = self.items.get(key)
            if data is not None:
                self.items.move_to_end(key)
            return data

    def put(self, key: str, data: bytes) -> None:
        with self.lock:
            if key in self.items:
                return
            self.items[key] = data
            self.size += len(data)
            while self.size > self.limit and len(self.items) > 1:
                _, dropped = self.items.popitem(last=False)
                self.size -= len(dropped)

    def clear(self) -> None:
        with self.lock:
            self.items.clear()
            self.size = 0


CACHE = _Lru(CACHE_BYTES)


def photo_bytes(session: Session, card: Card) -> bytes | None:
    """The display JPEG the card names, if it still exists with that digest."""
    if card.photo_id is None or not card.photo_digest:
        return None
    image = session.scalars(select(MediaImage).options(undefer(MediaImage.display_jpeg))
                            .where(MediaImage.id == card.photo_id)).one_or_none()
    if image is None or image.digest != card.photo_digest:
        return None
    return image.display_jpeg


def cache_key(card: Card) -> str:
    return f"{card.kind}/{card.key}/{card.hash}"


def cached_png(card: Card) -> bytes | None:
    """The card's PNG if it was drawn lately in this process."""
    return CACHE.get(cache_key(card))


def draw_and_keep(card: Card, photo: bytes | None) -> bytes:
    """Draws the card (call it outside the DB transaction: it takes tens of milliseconds) and keeps the PNG."""
    data = render(card, photo)
    CACHE.put(cache_key(card), data)
    return data
