"""Public market pages: the product page (stable URL /market/p/<id>, where shares and referral links land) and the
certificate check (/market/c/<number>) with its QR code and printable label. No sign-in; nothing personal beyond
what the vendor agreed to show buyers (shop, district, phone, pickup point, Facebook page)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote

from flask import Blueprint, Flask, Response, abort, render_template
from sqlalchemy import select

from bot.runtime import runtime
from models.market import Certification, Product
from services import catalog, certification, products, vendors
from texts import market as T
from texts.districts import district_name

bp = Blueprint("public_market", __name__, url_prefix="/market")

PUBLIC_LAYOUT = "public/base.html"  # the site's public layout (web/public_projects.py registers its texts)


def _layout() -> str:
    return PUBLIC_LAYOUT


def _headers(response: Response, cache_seconds: int = 60) -> Response:
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    response.headers.setdefault("Cache-Control", f"public, max-age={cache_seconds}")
    return response


def oa_message_url(oa_id: str, message: str) -> str:
    """https://line.me/R/oaMessage/@kkpao/?<text>: opens the account's chat with the text typed for the buyer."""
    return f"https://line.me/R/oaMessage/{quote(oa_id, safe='')}/?{quote(message, safe='')}"


@dataclass(frozen=True)
class ProductPage:
    id: int
    name: str
    price: str
    category: str
    description: str
    points: list[str]
    photos: list[str]
    shop: str
    district: str
    delivery: str
    listed: bool
    out_of_stock: bool
    status: str
    status_label: str
    cert_number: str | None
    cert_until: datetime | None
    phone: str | None
    facebook_url: str | None
    ask_url: str
    url: str


def _product_page(session: Any, product: Product, now: datetime) -> ProductPage:
    rt = runtime()
    base = rt.settings.public_base_url
    vendor = product.vendor
    current = certification.current_certificate(session, product, now)
    listed = catalog.is_listed(product, now)
    return ProductPage(
        id=product.id, name=product.name, price=products.price_per_unit(product.price_satang, product.unit),
        category=T.CATEGORIES.get(product.category, ""), description=product.description,
        points=[T.SELLING_POINTS[p] for p in product.selling_points or [] if p in T.SELLING_POINTS],
        photos=products.photo_urls(base, product), shop=vendor.shop_name, district=district_name(vendor.district),
        delivery=vendors.delivery_names(vendor.delivery_options or []), listed=listed,
        out_of_stock=product.stock <= 0, status=product.cert_status,
        status_label=T.CERT_STATUS.get(product.cert_status, product.cert_status),
        cert_number=current.number if current else None, cert_until=current.valid_until if current else None,
        phone=vendor.phone if listed else None, facebook_url=vendor.facebook_url if listed else None,
        ask_url=oa_message_url(rt.settings.LINE_OA_ID, f"{T.ASK_ABOUT_PREFIX}{product.id}"),
        url=products.public_url(base, product.id),
    )


@bp.get("/p/<int:product_id>")
def product_page(product_id: int) -> Any:
    """A product's public page: photos, price, shop, certification status, ask/call/share buttons."""
    rt = runtime()
    now = rt.clock()
    with rt.db.transaction() as session:
        product = session.get(Product, product_id) if product_id < 2**31 else None
        ever_certified = product is not None and session.scalar(
            select(Certification.id).where(Certification.product_id == product.id,
                                           Certification.number.is_not(None)).limit(1)) is not None
        if product is None or (not ever_certified and not catalog.is_listed(product, now)) or product.hidden \
                or product.vendor.status != "approved":
            if product is not None and product.deleted_at is not None:
                return _gone()
            abort(404)
        if product.deleted_at is not None:
            return _gone()
        page = _product_page(session, product, now)
    html = render_template("market/product.html", layout=_layout(), p=page, T=T, share_url=page.url,
                           share_text=T.SHARE_TEXT.format(name=page.name, price=page.price, url="").strip(),
                           og_image=page.photos[0] if page.photos else "")
    return _headers(Response(html, mimetype="text/html"))


def _gone() -> Any:
    html = render_template("market/message.html", layout=_layout(), T=T, title=T.SITE_MARKET,
                           message=T.PAGE_PRODUCT_GONE, no_share=True)
    return _headers(Response(html, status=410, mimetype="text/html"))


@dataclass(frozen=True)
class CertificatePage:
    number: str
    status: str  # valid | expired | revoked
    product_name: str
    product_url: str | None
    shop: str
    district: str
    valid_from: datetime | None
    valid_until: datetime | None
    reason: str | None
    ended_at: datetime | None


def _certificate(number: str) -> tuple[Certification, CertificatePage] | None:
    rt = runtime()
    with rt.db.transaction() as session:
        cert = certification.by_number(session, number)
        if cert is None:
            return None
        product = cert.product
        page = CertificatePage(
            number=cert.number or "", status=certification.public_status(cert, rt.clock()), product_name=product.name,
            product_url=products.public_url(rt.settings.public_base_url, product.id)
            if product.deleted_at is None and not product.hidden else None,
            shop=product.vendor.shop_name, district=district_name(product.vendor.district),
            valid_from=cert.valid_from, valid_until=cert.valid_until,
            reason=cert.reason if cert.status == "revoked" else None, ended_at=cert.ended_at,
        )
        return cert, page


@bp.get("/c/<number>")
def certificate_page(number: str) -> Any:
    """The check a buyer reaches by scanning a label: valid, expired or revoked, for which product and shop."""
    found = _certificate(number[:40])
    if found is None:
        html = render_template("market/message.html", layout=_layout(), T=T, title=T.PAGE_CERT_TITLE,
                               message=T.PAGE_CERT_NOT_FOUND, no_share=True, bad=True)
        return _headers(Response(html, status=404, mimetype="text/html"), cache_seconds=0)
    _, page = found
    html = render_template("market/certificate.html", layout=_layout(), T=T, c=page, no_share=True)
    # Short cache: a revocation must show quickly to the next person who scans.
    return _headers(Response(html, mimetype="text/html"), cache_seconds=30)


@bp.get("/c/<number>/qr.png")
def certificate_qr(number: str) -> Any:
    """The bare QR code of the verification page (for vendors who design their own labels)."""
    found = _certificate(number[:40])
    if found is None:
        abort(404)
    png = certification.qr_png(certification.certificate_url(runtime().settings.public_base_url, found[1].number))
    return _headers(Response(png, mimetype="image/png"), cache_seconds=86400)


@bp.get("/c/<number>/label.png")
def certificate_label(number: str) -> Any:
    """A printable label: QR, certificate number, product name and the issuer, in Thai."""
    rt = runtime()
    with rt.db.transaction() as session:
        cert = certification.by_number(session, number[:40])
        if cert is None:
            abort(404)
        png = certification.label_png(cert, rt.settings.public_base_url)
    response = _headers(Response(png, mimetype="image/png"), cache_seconds=3600)
    response.headers["Content-Disposition"] = f'inline; filename="{cert.number}.png"'
    return response


def register(app: Flask) -> None:
    app.register_blueprint(bp)
