"""Products of the community market: input rules, photos, and the vendor's own edits.

A vendor may change only their own products: every function that changes one takes the caller's LINE user id and
checks ownership here (postback data naming a product id is forged easily). Posting a product and taking it off the
market (which touch its certification) are services/listings.py's: vendors < products < certification < listings.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from types import SimpleNamespace

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from models.market import Product, Vendor
from models.media import MediaImage
from services import images, thai_text
from services.contact_details import thai_digits_to_arabic
from services.errors import DomainError, NotFound
from services.vendors import get_by_line_user
from texts import market as market_texts

NAME_MAX = 40
UNIT_MAX = 12
DESCRIPTION_MAX = 300
MAX_PHOTOS = 5
STOCK_MAX = 99_999
PRICE_MAX_SATANG = 1_000_000 * 100
DRAFT_LIFETIME = timedelta(days=1)
IMAGE_KIND = "product"

_PRICE_GROUPED = re.compile(r"\d{1,3}(,\d{3})+(\.\d{1,2})?")
_PRICE_PLAIN = re.compile(r"\d+(\.\d{1,2})?")


# ---- input rules ------------------------------------------------------------------------------------------------------
def parse_price(value: str) -> int:
    """'35', '35.50', '1,200', '35 บาท', '฿35' -> satang. 'สิบบาท', '-5', '0', 'abc' are refused."""
    cleaned = thai_digits_to_arabic(value).strip()
    for noise in ("บาท", "฿", "บ.", "THB", "thb"):
        cleaned = cleaned.replace(noise, "")
    cleaned = cleaned.replace(" ", "")
    if not (_PRICE_PLAIN.fullmatch(cleaned) or _PRICE_GROUPED.fullmatch(cleaned)):
        raise DomainError(market_texts.PRICE_BAD, code="bad_price")
    try:
        satang = int(Decimal(cleaned.replace(",", "")) * 100)
    except InvalidOperation:
        raise DomainError(market_texts.PRICE_BAD, code="bad_price") from None
    if not 0 < satang <= PRICE_MAX_SATANG:
        raise DomainError(market_texts.PRICE_BAD, code="bad_price")
    return satang


def format_price(satang: int) -> str:
    """3550 -> '35.50 บาท', 120000 -> '1,200 บาท'."""
    baht, rest = divmod(int(satang), 100)
    amount = f"{baht:,}" if rest == 0 else f"{baht:,}.{rest:02d}"
    return market_texts.BAHT.format(amount=amount)


def price_per_unit(satang: int, unit: str) -> str:
    return market_texts.PER_UNIT.format(price=format_price(satang), unit=unit)


def _one_line(value: str) -> str:
    return " ".join(value.split())


def clean_name(value: str) -> str:
    value = _one_line(value)
    if not 2 <= len(value) <= NAME_MAX:
        raise DomainError(market_texts.NAME_BAD.format(max=NAME_MAX), code="bad_name")
    return value


def clean_unit(value: str) -> str:
    value = _one_line(value)
    if not 1 <= len(value) <= UNIT_MAX or any(ch.isdigit() for ch in value):
        raise DomainError(market_texts.UNIT_BAD.format(max=UNIT_MAX), code="bad_unit")
    return value


def clean_description(value: str) -> str:
    # Line breaks are kept (a vendor may list things) but runs of blank space are not.
    lines = [_one_line(line) for line in value.strip().splitlines()]
    value = "\n".join(line for line in lines if line)
    if not 5 <= len(value) <= DESCRIPTION_MAX:
        raise DomainError(market_texts.DESCRIPTION_BAD.format(max=DESCRIPTION_MAX), code="bad_description")
    return value


def parse_stock(value: str) -> int:
    cleaned = thai_digits_to_arabic(value).replace(",", "").strip()
    for unit in market_texts.UNITS:
        cleaned = cleaned.replace(unit, "").strip()
    if not cleaned.isdigit() or int(cleaned) > STOCK_MAX:
        raise DomainError(market_texts.STOCK_BAD.format(max=f"{STOCK_MAX:,}"), code="bad_stock")
    return int(cleaned)


def clean_category(value: str) -> str:
    if value not in market_texts.CATEGORIES:
        raise DomainError(market_texts.PLEASE_TAP, code="bad_category")
    return value


def clean_points(values: Sequence[str]) -> list[str]:
    """Keeps known selling points, in the catalogue's order."""
    chosen = set(values)
    return [key for key in market_texts.SELLING_POINTS if key in chosen]


def search_text_of(name: str, description: str, shop_name: str) -> str:
    """What catalog search looks in: the three fields folded by services/thai_text.py (case, spaces between Thai
    words, mark order), the same fold the words typed get. migrations 0012 refolded the rows stored before."""
    return thai_text.searchable(name, description, shop_name)


# ---- photos -------------------------------------------------------------------------------------------------------------
def draft_key(line_user_id: str) -> str:
    return f"market-draft:{line_user_id}"


def product_key(product_id: int) -> str:
    return f"product:{product_id}"


def accept_photo(session: Session, line_user_id: str, data: bytes, now: datetime) -> dict:
    """Validates, strips and stores a photo for the product being posted; raises ImageRejected with the reason."""
    processed = images.accept_image(data)
    row = images.save_image(session, processed, kind=IMAGE_KIND, owner_key=draft_key(line_user_id), now=now)
    return {"id": row.id, "digest": row.digest}


def delete_drafts(session: Session, line_user_id: str | None) -> int:
    """Deletes photos of a product that was never posted (flow cancelled, restarted or timed out)."""
    if not line_user_id:
        return 0
    return session.execute(delete(MediaImage).where(MediaImage.owner_key == draft_key(line_user_id))).rowcount or 0


def discard_draft_photos(session: Session, line_user_id: str | None, photo_ids: Sequence[int]) -> int:
    """Deletes some photos of the product being posted (the vendor is replacing them from the preview)."""
    if not line_user_id or not photo_ids:
        return 0
    return session.execute(delete(MediaImage).where(
        MediaImage.id.in_(list(photo_ids)), MediaImage.owner_key == draft_key(line_user_id))).rowcount or 0


def purge_stale_drafts(session: Session, now: datetime) -> int:
    """Deletes draft photos older than DRAFT_LIFETIME (the posting flow times out long before)."""
    return session.execute(delete(MediaImage).where(
        MediaImage.owner_key.like("market-draft:%"), MediaImage.created_at < now - DRAFT_LIFETIME)).rowcount or 0


def photo_url(base_url: str, photo: dict, thumb: bool = False) -> str:
    ref = SimpleNamespace(id=photo["id"], digest=photo["digest"])
    return images.thumb_url(base_url, ref) if thumb else images.image_url(base_url, ref)  # type: ignore[arg-type]


def photo_urls(base_url: str, product: Product) -> list[str]:
    return [photo_url(base_url, p) for p in product.photos or []]


def public_url(base_url: str, product_id: int) -> str:
    """The product's stable public page (referral links land here)."""
    return f"{base_url.rstrip('/')}/market/p/{product_id}"


# ---- drafts ---------------------------------------------------------------------------------------------------------------
@dataclass
class Draft:
    """A product being posted by chat, as the flow remembers it (all values already cleaned)."""

    name: str
    category: str
    price_satang: int
    unit: str
    description: str
    stock: int
    selling_points: list[str] = field(default_factory=list)
    photos: list[dict] = field(default_factory=list)


# ---- the vendor's own products ----------------------------------------------------------------------------------------------
def owned_product(session: Session, line_user_id: str | None, product_id: int) -> Product:
    """The caller's own, not deleted product; anyone else's (or a forged id) is 'not found' to them."""
    vendor = get_by_line_user(session, line_user_id)
    product = session.get(Product, product_id) if vendor is not None else None
    if product is None or vendor is None or product.vendor_id != vendor.id or product.deleted_at is not None:
        raise NotFound(market_texts.NOT_YOUR_PRODUCT, code="not_your_product")
    return product


def list_for_vendor(session: Session, vendor: Vendor) -> list[Product]:
    return list(session.scalars(select(Product).where(Product.vendor_id == vendor.id, Product.deleted_at.is_(None))
                                .order_by(Product.id.desc())))


def set_price(session: Session, line_user_id: str, product_id: int, satang: int, now: datetime) -> Product:
    product = owned_product(session, line_user_id, product_id)
    if not 0 < satang <= PRICE_MAX_SATANG:
        raise DomainError(market_texts.PRICE_BAD, code="bad_price")
    product.price_satang, product.updated_at = satang, now
    session.flush()
    return product


def set_stock(session: Session, line_user_id: str, product_id: int, stock: int, now: datetime) -> Product:
    product = owned_product(session, line_user_id, product_id)
    if not 0 <= stock <= STOCK_MAX:
        raise DomainError(market_texts.STOCK_BAD.format(max=f"{STOCK_MAX:,}"), code="bad_stock")
    product.stock, product.updated_at = stock, now
    session.flush()
    return product


def set_hidden(session: Session, line_user_id: str, product_id: int, hidden: bool, now: datetime) -> Product:
    product = owned_product(session, line_user_id, product_id)
    product.hidden, product.updated_at = hidden, now
    session.flush()
    return product


COMMISSION_MAX_PERCENT = 30


def commission_percent(product: Product, default_percent: int) -> int:
    """The share-and-earn rate that applies to the product: the vendor's own, else the programme default (0-30)."""
    rate = product.commission_percent if product.commission_percent is not None else default_percent
    return max(0, min(COMMISSION_MAX_PERCENT, int(rate)))


def in_share_programme(product: Product, default_percent: int) -> bool:
    """Whether sharing the product earns a commission (a rate of 0 keeps it out of the programme)."""
    return commission_percent(product, default_percent) > 0


def parse_commission_percent(value: str | None) -> int:
    """'10', '10%', '๑๐', '10 เปอร์เซ็นต์' -> 10; whole numbers 0-30 only (0 takes the product out of the programme)."""
    cleaned = thai_digits_to_arabic(value or "").strip()
    for noise in ("%", "เปอร์เซ็นต์", "เปอร์เซ็น", "percent"):
        cleaned = cleaned.replace(noise, "")
    cleaned = cleaned.strip()
    if not cleaned.isdigit() or int(cleaned) > COMMISSION_MAX_PERCENT:
        raise DomainError(market_texts.COMMISSION_BAD.format(max=COMMISSION_MAX_PERCENT), code="bad_commission")
    return int(cleaned)


def set_commission_percent(session: Session, line_user_id: str, product_id: int, percent: int | str,
                           now: datetime) -> Product:
    """Sets the vendor's own share-and-earn rate for their product (0-30 whole percent; 0 = not in the programme).
    Commissions already opened keep the rate they were opened with."""
    product = owned_product(session, line_user_id, product_id)
    rate = parse_commission_percent(str(percent))
    product.commission_percent, product.updated_at = rate, now
    session.flush()
    return product
