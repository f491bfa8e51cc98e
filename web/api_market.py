"""REST API of the market: vendors (list, read, approve, reject), products (list, read) and certifications (list, read,
approve, reject, revoke), in the OpenAPI document. Personal data of vendors (owner name, phone, PromptPay ID,
pickup address) and LINE user IDs are not exposed."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field
from sqlalchemy import select

from bot.runtime import runtime
from models.market import Certification, Product, Vendor
from services import catalog, certification, products, vendors
from services.errors import NotFound
from texts import market as market_texts
from texts.districts import DISTRICTS
from web.openapi import ApiModel, ApiRouter, ListQuery, UtcDateTime, page_of, paginate

router = ApiRouter("market", "ตลาดชุมชน: ร้านค้า สินค้า และการรับรองสินค้า")

VendorStatus = Literal["pending", "approved", "rejected"]
CertStatus = Literal["submitted", "certified", "rejected", "expired", "revoked"]
Category = Literal[tuple(market_texts.CATEGORIES)]  # type: ignore[valid-type]
DistrictKey = Literal[tuple(DISTRICTS)]  # type: ignore[valid-type]


# ---- models ---------------------------------------------------------------------------------------------------------
class VendorOut(ApiModel):
    """A registered shop (its owner's personal data is not exposed)."""

    id: int
    shop_name: str
    district: str = Field(description="District key, e.g. `phon`.")
    district_name: str
    status: VendorStatus
    sales_channels: list[str] = Field(description="`line` (this account's chat) and/or `facebook`.")
    facebook_url: str | None
    line_url: str | None = Field(description="Where buyers chat with the shop in LINE: `https://line.me/R/ti/p/…` "
                                             "(or a `https://lin.ee/…` short link); null when the shop gave none.")
    delivery_options: list[str] = Field(description="Keys such as `thailand_post`, `kerry`, `pickup`.")
    decision_reason: str | None = Field(description="Why the application was turned down, if it was.")
    decided_at: UtcDateTime | None
    created_at: UtcDateTime


class VendorQuery(ListQuery):
    status: VendorStatus | None = Field(None, description="Only shops in this status.")
    district: DistrictKey | None = Field(None, description="Only shops of this district.")


class ReasonIn(ApiModel):
    """A decision that needs a reason the vendor will see."""

    reason: str = Field(min_length=3, max_length=200, description="Thai, shown to the vendor.")


class ProductOut(ApiModel):
    """A product and its certification summary."""

    id: int
    vendor_id: int
    shop_name: str
    district: str
    name: str
    category: str
    price_satang: int = Field(description="Price in satang (1 baht = 100 satang).")
    price_text: str = Field(description="Price per unit as shown to buyers, e.g. `35 บาท / กิโลกรัม`.")
    unit: str
    description: str
    selling_points: list[str]
    stock: int
    hidden: bool
    cert_status: CertStatus
    certified_until: UtcDateTime | None
    listed: bool = Field(description="True when buyers see it in the catalog now.")
    public_url: str = Field(description="The product's stable public page.")
    photo_urls: list[str]
    deleted: bool
    created_at: UtcDateTime


class ProductQuery(ListQuery):
    category: Category | None = Field(None, description="Only products of this category.")
    cert_status: CertStatus | None = Field(None, description="Only products in this certification state.")
    listed: bool | None = Field(None, description="true: only products buyers see in the catalog now.")
    vendor_id: int | None = Field(None, ge=1, description="Only products of this shop.")


class CertificationOut(ApiModel):
    """One review of a product (submitted, certified, rejected, expired or revoked)."""

    id: int
    product_id: int
    product_name: str
    status: CertStatus
    number: str | None = Field(description="Certificate number once certified, e.g. `KK-2569-000123`.")
    submitted_at: UtcDateTime
    decided_at: UtcDateTime | None
    valid_from: UtcDateTime | None
    valid_until: UtcDateTime | None
    reason: str | None = Field(description="Why it was rejected or revoked.")
    ended_at: UtcDateTime | None
    verify_url: str | None = Field(description="The public verification page (what the QR code opens).")


class CertificationQuery(ListQuery):
    status: CertStatus | None = Field(None, description="Only reviews in this state, e.g. `submitted` (the queue).")
    product_id: int | None = Field(None, ge=1)


# ---- converters ------------------------------------------------------------------------------------------------------
def _vendor(row: Vendor) -> dict[str, Any]:
    return {"id": row.id, "shop_name": row.shop_name, "district": row.district,
            "district_name": DISTRICTS.get(row.district, ""), "status": row.status,
            "sales_channels": list(row.sales_channels or []), "facebook_url": row.facebook_url,
            "line_url": row.line_url,
            "delivery_options": list(row.delivery_options or []), "decision_reason": row.decision_reason,
            "decided_at": row.decided_at, "created_at": row.created_at}


def _product(row: Product) -> dict[str, Any]:
    rt = runtime()
    base = rt.settings.public_base_url
    return {"id": row.id, "vendor_id": row.vendor_id, "shop_name": row.vendor.shop_name,
            "district": row.vendor.district, "name": row.name, "category": row.category,
            "price_satang": row.price_satang, "price_text": products.price_per_unit(row.price_satang, row.unit),
            "unit": row.unit, "description": row.description, "selling_points": list(row.selling_points or []),
            "stock": row.stock, "hidden": row.hidden, "cert_status": row.cert_status,
            "certified_until": row.certified_until, "listed": catalog.is_listed(row, rt.clock()),
            "public_url": products.public_url(base, row.id), "photo_urls": products.photo_urls(base, row),
            "deleted": row.deleted_at is not None, "created_at": row.created_at}


def _cert(row: Certification) -> dict[str, Any]:
    base = runtime().settings.public_base_url
    return {"id": row.id, "product_id": row.product_id, "product_name": row.product.name, "status": row.status,
            "number": row.number, "submitted_at": row.submitted_at, "decided_at": row.decided_at,
            "valid_from": row.valid_from, "valid_until": row.valid_until, "reason": row.reason,
            "ended_at": row.ended_at,
            "verify_url": certification.certificate_url(base, row.number) if row.number else None}


def _admins() -> tuple[str, ...]:
    return tuple(runtime().settings.ADMIN_LINE_USER_IDS)


# ---- vendors -----------------------------------------------------------------------------------------------------------
@router.get("/vendors", summary="List vendors", query=VendorQuery, response=page_of(VendorOut))
def list_vendors(query: VendorQuery) -> Any:
    """Shops in id order, optionally by status (e.g. `pending`: the approval queue) and district."""
    stmt = select(Vendor).where(Vendor.erased_at.is_(None))
    if query.status:
        stmt = stmt.where(Vendor.status == query.status)
    if query.district:
        stmt = stmt.where(Vendor.district == query.district)
    with runtime().db.transaction() as session:
        return paginate(session, stmt, Vendor.id, query, VendorOut, convert=_vendor)


@router.get("/vendors/<int:vendor_id>", summary="Get one vendor", response=VendorOut)
def get_vendor(vendor_id: int) -> Any:
    with runtime().db.transaction() as session:
        row = session.get(Vendor, vendor_id)
        if row is None or row.erased_at is not None:
            raise NotFound(market_texts.API_VENDOR_NOT_FOUND)
        return VendorOut.model_validate(_vendor(row))


@router.post("/vendors/<int:vendor_id>/approve", summary="Approve a pending vendor", response=VendorOut,
             errors=(409,))
def approve_vendor(vendor_id: int) -> Any:
    """Approves the shop and tells the vendor in the chat. 409 if it is not pending."""
    rt = runtime()
    with rt.db.transaction() as session:
        row = vendors.approve(session, vendor_id, vendors.API_ACTOR, rt.clock(), _admins())
        return VendorOut.model_validate(_vendor(row))


@router.post("/vendors/<int:vendor_id>/reject", summary="Reject a pending vendor", body=ReasonIn,
             response=VendorOut, errors=(409,))
def reject_vendor(vendor_id: int, body: ReasonIn) -> Any:
    """Turns the application down with a reason the applicant sees. 409 if it is not pending."""
    rt = runtime()
    with rt.db.transaction() as session:
        row = vendors.reject(session, vendor_id, vendors.API_ACTOR, body.reason, rt.clock(), _admins())
        return VendorOut.model_validate(_vendor(row))


# ---- products ----------------------------------------------------------------------------------------------------------
@router.get("/products", summary="List products", query=ProductQuery, response=page_of(ProductOut))
def list_products(query: ProductQuery) -> Any:
    """Products in id order (deleted ones excluded), filtered by category, certification state, listing, shop."""
    rt = runtime()
    stmt = select(Product).join(Product.vendor).where(Product.deleted_at.is_(None))
    if query.category:
        stmt = stmt.where(Product.category == query.category)
    if query.cert_status:
        stmt = stmt.where(Product.cert_status == query.cert_status)
    if query.vendor_id:
        stmt = stmt.where(Product.vendor_id == query.vendor_id)
    if query.listed is True:
        stmt = stmt.where(catalog.listed_condition(rt.clock()))
    elif query.listed is False:
        listed_ids = select(Product.id).join(Product.vendor).where(catalog.listed_condition(rt.clock()))
        stmt = stmt.where(Product.id.not_in(listed_ids))
    with rt.db.transaction() as session:
        return paginate(session, stmt, Product.id, query, ProductOut, convert=_product)


@router.get("/products/<int:product_id>", summary="Get one product", response=ProductOut)
def get_product(product_id: int) -> Any:
    with runtime().db.transaction() as session:
        row = session.get(Product, product_id)
        if row is None:
            raise NotFound(market_texts.API_PRODUCT_NOT_FOUND)
        return ProductOut.model_validate(_product(row))


# ---- certifications ----------------------------------------------------------------------------------------------------
@router.get("/certifications", summary="List certifications", query=CertificationQuery,
            response=page_of(CertificationOut))
def list_certifications(query: CertificationQuery) -> Any:
    """Reviews in id order; `status=submitted` is the queue waiting for staff."""
    stmt = select(Certification)
    if query.status:
        stmt = stmt.where(Certification.status == query.status)
    if query.product_id:
        stmt = stmt.where(Certification.product_id == query.product_id)
    with runtime().db.transaction() as session:
        return paginate(session, stmt, Certification.id, query, CertificationOut, convert=_cert)


@router.get("/certifications/<int:cert_id>", summary="Get one certification", response=CertificationOut)
def get_certification(cert_id: int) -> Any:
    with runtime().db.transaction() as session:
        return CertificationOut.model_validate(_cert(certification.get(session, cert_id)))


@router.post("/certifications/<int:cert_id>/approve", summary="Certify a submitted product",
             response=CertificationOut, errors=(409,))
def approve_certification(cert_id: int) -> Any:
    """Issues the certificate number (valid one year); the product enters the catalog; the vendor is told.
    409 if the review is not `submitted`."""
    rt = runtime()
    with rt.db.transaction() as session:
        row = certification.approve(session, cert_id, vendors.API_ACTOR, rt.clock(), rt.settings.public_base_url,
                                    _admins())
        return CertificationOut.model_validate(_cert(row))


@router.post("/certifications/<int:cert_id>/reject", summary="Reject a submitted product", body=ReasonIn,
             response=CertificationOut, errors=(409,))
def reject_certification(cert_id: int, body: ReasonIn) -> Any:
    """Turns the submission down with a reason the vendor sees. 409 if the review is not `submitted`."""
    rt = runtime()
    with rt.db.transaction() as session:
        row = certification.reject(session, cert_id, vendors.API_ACTOR, body.reason, rt.clock(), _admins())
        return CertificationOut.model_validate(_cert(row))


@router.post("/certifications/<int:cert_id>/revoke", summary="Revoke a certificate", body=ReasonIn,
             response=CertificationOut, errors=(409,))
def revoke_certification(cert_id: int, body: ReasonIn) -> Any:
    """Withdraws a certificate with a reason; the product leaves the catalog at once. 409 unless `certified`."""
    rt = runtime()
    with rt.db.transaction() as session:
        row = certification.revoke(session, cert_id, vendors.API_ACTOR, body.reason, rt.clock(), _admins())
        return CertificationOut.model_validate(_cert(row))
