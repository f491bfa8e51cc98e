"""Public market pages: the catalog (/market: certified products by category, with the chat's search), the product
page (stable URL /market/p/<id>, where shares and referral links land), the certificate lookup form (/market/c) and
check (/market/c/<number>) with its QR code and printable label. No sign-in; nothing personal beyond what the vendor
agreed to show buyers (shop, district, phone, pickup point, Facebook page). Any query string gets a page, never a 5xx.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote

from flask import Blueprint, Flask, Response, abort, redirect, render_template, request, url_for
from sqlalchemy import select

from bot.runtime import runtime
from models.market import Certification, Product
from services import buyer_feedback, catalog, certification, order_links, products, qr, referrals, thai_text, vendors
from texts import buyer_feedback as buyer_feedback_texts
from texts import market as market_texts
from texts import referrals as referrals_texts
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


def chat_url(message: str) -> str:
    """A link that opens the account's chat with `message` typed in: LINE's oaMessage link, or in emulator mode
    (or without LINE_OA_ID) the chat simulator, which types the same text in (as staff invitations do)."""
    settings = runtime().settings
    if settings.emulated or not settings.LINE_OA_ID:
        return f"{settings.public_base_url}/simulator?say={quote(message, safe='')}"
    return order_links.oa_message_url(settings.LINE_OA_ID, message)


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
    order_url: str
    url: str
    rating: str | None = None  # buyers' rating of the product, only from 5 answers
    shop_rating: str | None = None  # and of the shop
    reinspection: bool = False  # "อยู่ระหว่างตรวจสอบซ้ำ"


def _product_page(session: Any, product: Product, now: datetime, ref: str | None = None) -> ProductPage:
    rt = runtime()
    base = rt.settings.public_base_url
    vendor = product.vendor
    current = certification.current_certificate(session, product, now)
    listed = catalog.is_listed(product, now)
    return ProductPage(
        id=product.id, name=product.name, price=products.price_per_unit(product.price_satang, product.unit),
        category=market_texts.CATEGORIES.get(product.category, ""), description=product.description,
        points=[market_texts.SELLING_POINTS[p] for p in product.selling_points or []
                if p in market_texts.SELLING_POINTS],
        photos=products.photo_urls(base, product), shop=vendor.shop_name, district=district_name(vendor.district),
        delivery=vendors.delivery_names(vendor.delivery_options or []), listed=listed,
        out_of_stock=product.stock <= 0, status=product.cert_status,
        status_label=market_texts.CERT_STATUS.get(product.cert_status, product.cert_status),
        cert_number=current.number if current else None, cert_until=current.valid_until if current else None,
        phone=vendor.phone if listed else None, facebook_url=vendor.facebook_url if listed else None,
        ask_url=chat_url(f"{market_texts.ASK_ABOUT_PREFIX}{product.id}"),
        order_url=chat_url(order_links.order_text(product.id, product.name, _earning_code(session, ref, product))),
        url=products.public_url(base, product.id),
        rating=_rating_line(buyer_feedback.product_rating(session, product.id)),
        shop_rating=_shop_rating_line(buyer_feedback.shop_rating(session, vendor.id)),
        reinspection=buyer_feedback.under_reinspection(session, product),
    )


def _rating_line(rating: buyer_feedback.Rating | None) -> str | None:
    if rating is None:
        return None
    return buyer_feedback_texts.RATING_PAGE.format(mean=rating.shown, count=f"{rating.count:,}")


def _shop_rating_line(rating: buyer_feedback.Rating | None) -> str | None:
    if rating is None:
        return None
    return buyer_feedback_texts.RATING_SHOP.format(mean=rating.shown, count=f"{rating.count:,}")


def _earning_code(session: Any, ref: str | None, product: Product) -> str | None:
    """The ?ref= code when it is an enabled code of an active member for this very product, else None."""
    link = referrals.earning_link(session, ref, product.id) if ref else None
    return link.code if link is not None else None


# ---- the catalog (/market) -------------------------------------------------------------------------------------------------
WEB_PAGE_SIZE = 12  # cards a page: photos are thumbnails, lazy below the first row, for cheap phones
ARG_MAX = 200  # longer query-string values are cut before they are read


@dataclass(frozen=True)
class ListedCard:
    id: int
    name: str
    price: str
    category: str
    where: str
    thumb: str | None
    url: str


def _card(product: Product, base: str) -> ListedCard:
    photo = (product.photos or [None])[0]
    return ListedCard(
        id=product.id, name=product.name, price=products.price_per_unit(product.price_satang, product.unit),
        category=market_texts.CATEGORIES.get(product.category, ""),
        where=market_texts.PAGE_FROM.format(shop=product.vendor.shop_name,
                                            district=district_name(product.vendor.district)),
        thumb=products.photo_url(base, photo, thumb=True) if photo else None,
        url=url_for("public_market.product_page", product_id=product.id),
    )


def _page_arg(value: str) -> int:
    """The 1-based page of `?page=`; anything that is not a plain number in range is page 1."""
    return int(value) if value.isdigit() and len(value) <= 5 and 0 < int(value) <= catalog.PAGE_MAX + 1 else 1


@bp.get("")
def catalog_page() -> Any:
    """Certified products, newest first: category chips with counts, a search box that reads the words as chat does
    ("อยากได้น้ำผึ้ง" searches "น้ำผึ้ง", spaces and Thai mark order do not matter), pages of WEB_PAGE_SIZE."""
    rt = runtime()
    now, base = rt.clock(), rt.settings.public_base_url
    category = request.args.get("category", "")[:40]
    category = category if category in market_texts.CATEGORIES else ""
    typed = thai_text.tidy(request.args.get("q", "")[:ARG_MAX])
    number = _page_arg(request.args.get("page", "1"))
    shown = None
    with rt.db.transaction() as session:
        counts = catalog.category_counts(session, now)
        if typed:
            query = catalog.read_query(typed)
            if query is None:  # only punctuation, or only "หา": nothing to look for
                result = catalog.CatalogPage([], 0, number - 1, WEB_PAGE_SIZE)
                shown = thai_text.shorten(typed, 40)
            else:
                found = catalog.find(session, now, query, number - 1, category=category or None, size=WEB_PAGE_SIZE)
                result, shown = found.page, thai_text.shorten(found.query, 40)
        else:
            result = catalog.browse(session, now, category or None, number - 1, WEB_PAGE_SIZE)
        cards = [_card(product, base) for product in result.products]
    html = render_template(
        "market/catalog.html", layout=_layout(), T=market_texts, cards=cards, counts=counts,
        total_listed=sum(counts.values()), category=category, q=typed, shown=shown, total=result.total,
        page=number, pages=result.pages,
        share_url=f"{base.rstrip('/')}/market", share_text=market_texts.SITE_MARKET)
    return _headers(Response(html, mimetype="text/html"))


# ---- certificate lookup (/market/c) ---------------------------------------------------------------------------------------
_DASHES = str.maketrans({c: "-" for c in "‐‑‒–—―−_/. "})


def _typed_number(value: str) -> str | None:
    """A certificate number as people copy it off a label: any case, Thai digits, spaces or other dashes between
    the parts, or none at all ("kk 2569 000123", "KK2569000123"); None if it cannot be one."""
    cleaned = thai_text.fold(value).translate(_DASHES).strip("-").upper()
    if len(cleaned) == 12 and cleaned.startswith("KK") and cleaned[2:].isdigit():
        cleaned = f"KK-{cleaned[2:6]}-{cleaned[6:]}"
    while "--" in cleaned:
        cleaned = cleaned.replace("--", "-")
    return certification.normalise_number(cleaned)


@bp.get("/c")
def certificate_lookup() -> Any:
    """The form to check a certificate number; a found number goes to its check page (/market/c/<number>)."""
    raw = request.args.get("number")
    typed = thai_text.tidy((raw or "")[:ARG_MAX])
    message, status = None, 200
    if raw is not None:
        number = _typed_number(typed)
        if not typed:
            message, status = market_texts.PAGE_LOOKUP_EMPTY, 400
        elif number is None:
            message, status = market_texts.PAGE_LOOKUP_MALFORMED.format(number=thai_text.shorten(typed, 40)), 400
        else:
            with runtime().db.transaction() as session:
                found = certification.by_number(session, number) is not None
            if found:
                return redirect(url_for("public_market.certificate_page", number=number), code=303)
            message, status = market_texts.PAGE_LOOKUP_NOT_FOUND.format(number=number), 404
    html = render_template("market/certificate_lookup.html", layout=_layout(), T=market_texts, typed=typed,
                           message=message, no_share=True)
    return _headers(Response(html, status=status, mimetype="text/html"), cache_seconds=0 if raw else 300)


@bp.get("/p/<int:product_id>")
def product_page(product_id: int) -> Any:
    """A product's public page: photos, price, shop, certification status, ask/call/share buttons."""
    rt = runtime()
    now = rt.clock()
    # Pages render after the transaction ends: rendering reads again (the preview tags, web/og.py), and on SQLite a
    # second transaction in the same thread would wait for this one's write lock.
    gone = False
    with rt.db.transaction() as session:
        product = session.get(Product, product_id) if product_id < 2**31 else None
        ever_certified = product is not None and session.scalar(
            select(Certification.id).where(Certification.product_id == product.id,
                                           Certification.number.is_not(None)).limit(1)) is not None
        if product is None or (not ever_certified and not catalog.is_listed(product, now)) or product.hidden \
                or product.vendor.status != "approved":
            if product is None or product.deleted_at is None:
                abort(404)
            gone = True
        elif product.deleted_at is not None:
            gone = True
        else:
            page = _product_page(session, product, now, request.args.get("ref", "")[:40] or None)
    if gone:
        return _gone()
    html = render_template("market/product.html", layout=_layout(), p=page, T=market_texts, FB=buyer_feedback_texts,
                           share_url=page.url,
                           share_text=market_texts.SHARE_TEXT.format(name=page.name, price=page.price, url="").strip(),
                           order_label=referrals_texts.PAGE_ORDER_LINE)
    return _headers(Response(html, mimetype="text/html"))


def _gone() -> Any:
    html = render_template("market/message.html", layout=_layout(), T=market_texts, title=market_texts.SITE_MARKET,
                           message=market_texts.PAGE_PRODUCT_GONE, no_share=True)
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
    reinspection: bool = False


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
            reinspection=cert.status == "certified" and buyer_feedback.under_reinspection(session, product),
        )
        return cert, page


@bp.get("/c/<number>")
def certificate_page(number: str) -> Any:
    """The check a buyer reaches by scanning a label: valid, expired or revoked, for which product and shop."""
    found = _certificate(number[:40])
    if found is None:
        html = render_template("market/message.html", layout=_layout(), T=market_texts,
                               title=market_texts.PAGE_CERT_TITLE, message=market_texts.PAGE_CERT_NOT_FOUND,
                               no_share=True, bad=True)
        return _headers(Response(html, status=404, mimetype="text/html"), cache_seconds=0)
    _, page = found
    html = render_template("market/certificate.html", layout=_layout(), T=market_texts, FB=buyer_feedback_texts, c=page,
                           no_share=True)
    # Short cache: a revocation must show quickly to the next person who scans.
    return _headers(Response(html, mimetype="text/html"), cache_seconds=30)


@bp.get("/c/<number>/qr.png")
def certificate_qr(number: str) -> Any:
    """The bare QR code of the verification page (for vendors who design their own labels)."""
    found = _certificate(number[:40])
    if found is None:
        abort(404)
    png = qr.qr_png(certification.certificate_url(runtime().settings.public_base_url, found[1].number))
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
