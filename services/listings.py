"""Listings: a product going on the community market and coming off it.

Posting turns a vendor's draft (answers already cleaned, photos already stored) into a product and submits it for
certification; removal (the vendor's delete, or the owner's erasure under PDPA) takes a product off for good, ends
its certificates and deletes its photos. Field rules live in services/products.py and the review's state machine in
services/certification.py; this module sits above both: vendors < products < certification < listings.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from models.market import Product
from models.media import MediaImage
from models.platform import Citizen
from services import certification, images, products, vendors
from services.errors import DomainError
from texts import market as market_texts


def post(session: Session, line_user_id: str, draft: products.Draft, now: datetime) -> Product:
    """Posts a product and submits it for certification; the draft photos become the product's."""
    vendor = vendors.approved_vendor(session, line_user_id)
    photos = list(draft.photos)[:products.MAX_PHOTOS]
    if not photos:
        raise DomainError(market_texts.PHOTO_NEED_ONE, code="no_photo")
    ids = [p["id"] for p in photos]
    owned = set(session.scalars(select(MediaImage.id).where(
        MediaImage.id.in_(ids), MediaImage.owner_key == products.draft_key(line_user_id))))
    if owned != set(ids):  # the photos are gone (cleaned up) or were never this user's
        raise DomainError(market_texts.PHOTO_NEED_ONE, code="photos_missing")
    product = Product(
        vendor_id=vendor.id, name=products.clean_name(draft.name), category=products.clean_category(draft.category),
        price_satang=draft.price_satang, unit=products.clean_unit(draft.unit),
        description=products.clean_description(draft.description),
        selling_points=products.clean_points(draft.selling_points), photos=photos, stock=draft.stock, hidden=False,
        cert_status="submitted", created_at=now, updated_at=now,
    )
    product.search_text = products.search_text_of(product.name, product.description, vendor.shop_name)
    if not 0 < product.price_satang <= products.PRICE_MAX_SATANG or not 0 <= product.stock <= products.STOCK_MAX:
        raise DomainError(market_texts.PRICE_BAD, code="bad_draft")
    session.add(product)
    session.flush()
    session.execute(update(MediaImage).where(MediaImage.id.in_(ids)).values(owner_key=products.product_key(product.id)))
    products.delete_drafts(session, line_user_id)  # photos sent beyond the ones kept
    certification.submit(session, product, now)
    return product


def delete_own(session: Session, line_user_id: str, product_id: int, now: datetime) -> Product:
    """The vendor deletes their product: off the market, photos gone, certificate ended."""
    product = products.owned_product(session, line_user_id, product_id)
    remove(session, product, now, reason=market_texts.DELETED_REASON)
    return product


def remove(session: Session, product: Product, now: datetime, *, reason: str) -> None:
    """Takes a product off the market for good (kept as a row so printed certificates still verify)."""
    certification.end_for_removed_product(session, product, now, reason=reason)
    images.delete_images(session, products.product_key(product.id))
    product.photos = []
    product.hidden = True
    product.deleted_at = product.updated_at = now
    session.flush()


# ---- PDPA (services/privacy.py runs features in name order: this one before services/vendors.py) -------------------
def export_personal_data(session: Session, citizen: Citizen) -> dict:
    """Nothing of its own: the shop's copy, its products included, is services/vendors.py's."""
    return {}


def erase_personal_data(session: Session, citizen: Citizen, now: datetime) -> None:
    """Takes every product of the person's shop off the market and deletes the photos of an unfinished post.

    The shop name and product names stay so that labels already printed still verify (as revoked); the shop's
    personal fields are erased next, by services/vendors.py."""
    products.delete_drafts(session, citizen.line_user_id)
    vendor = vendors.get_by_line_user(session, citizen.line_user_id)
    if vendor is None:
        return
    for product in session.scalars(select(Product).where(Product.vendor_id == vendor.id,
                                                         Product.deleted_at.is_(None))).all():
        remove(session, product, now, reason=market_texts.DELETED_REASON)
