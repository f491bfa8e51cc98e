"""Staff console for the market at /console/market: the review queue (shops and products), shop and product
details, approve / reject with a reason, revoke a certificate. Every action re-checks staff rights in the service."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import Blueprint, Flask, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from bot.runtime import runtime
from models.market import Certification, Product, Vendor
from services import buyer_feedback, catalog, certification, products, vendors
from services.errors import DomainError
from texts import buyer_feedback as buyer_feedback_texts
from texts import market as market_texts
from texts.districts import district_name
from web.auth import current_staff, staff_required
from web.pagination import keyset_page
from web.redirects import same_origin_path

bp = Blueprint("console_market", __name__, url_prefix="/console/market")
# The console menu entry for these pages (collected by web/console.py).
CONSOLE_NAV = [(50, "ตลาดชุมชน", "console_market.queue", "console_market")]
# What waits for staff, counted on the console overview: (order, label, count(session), endpoint).
CONSOLE_WAITING = [(20, market_texts.WAITING_VENDORS, vendors.pending_count, "console_market.queue"),
                   (30, market_texts.WAITING_CERTIFICATIONS, certification.queue_count, "console_market.queue"),
                   (35, buyer_feedback_texts.CONSOLE_REINSPECTIONS, buyer_feedback.reinspection_count,
                    "console_market.reinspections")]

PAGE_SIZE = 20
VENDOR_FILTERS = ("pending", "approved", "rejected")




@dataclass(frozen=True)
class ProductRow:
    id: int
    name: str
    price: str
    shop: str
    district: str
    thumb: str | None
    status: str
    status_label: str
    stock: int
    hidden: bool
    cert_id: int | None
    submitted_at: datetime | None
    certified_until: datetime | None


def _product_row(product: Product, cert: Certification | None = None) -> ProductRow:
    base = runtime().settings.public_base_url
    photo = (product.photos or [None])[0]
    return ProductRow(
        id=product.id, name=product.name, price=products.price_per_unit(product.price_satang, product.unit),
        shop=product.vendor.shop_name, district=district_name(product.vendor.district),
        thumb=products.photo_url(base, photo, thumb=True) if photo else None, status=product.cert_status,
        status_label=market_texts.CERT_STATUS.get(product.cert_status, product.cert_status), stock=product.stock,
        hidden=product.hidden, cert_id=cert.id if cert else None, submitted_at=cert.submitted_at if cert else None,
        certified_until=product.certified_until,
    )


def _int_arg(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() and len(value) < 12 else None


def _actor() -> str:
    return current_staff().line_user_id


def _admins() -> tuple[str, ...]:
    return tuple(runtime().settings.ADMIN_LINE_USER_IDS)


# ---- pages ---------------------------------------------------------------------------------------------------------------
@bp.get("", strict_slashes=False)
@staff_required
def queue() -> Any:
    """What waits for a decision: new shops, then products submitted for certification (oldest first)."""
    with runtime().db.transaction() as session:
        pending_vendors = list(session.scalars(select(Vendor).where(Vendor.status == "pending",
                                                                    Vendor.erased_at.is_(None))
                                               .order_by(Vendor.id).limit(100)))
        waiting = [_product_row(cert.product, cert) for cert in certification.queue(session)]
        counts = catalog.category_counts(session, runtime().clock())
    return render_template("market/console_queue.html", M=market_texts, vendors=pending_vendors, waiting=waiting,
                           listed=sum(counts.values()), district_name=district_name,
                           delivery_names=vendors.delivery_names)


@bp.get("/vendors")
@staff_required
def vendor_list() -> Any:
    status = request.args.get("status", "")
    status = status if status in VENDOR_FILTERS else ""
    before = _int_arg("before")
    stmt = select(Vendor).where(Vendor.erased_at.is_(None))
    if status:
        stmt = stmt.where(Vendor.status == status)
    if before:
        stmt = stmt.where(Vendor.id < before)
    with runtime().db.transaction() as session:
        rows, _ = keyset_page(session, stmt, Vendor.id, limit=PAGE_SIZE + 1, descending=True)
    return render_template("market/console_vendors.html", M=market_texts, rows=rows[:PAGE_SIZE], status=status,
                           filters=VENDOR_FILTERS, next_before=rows[PAGE_SIZE - 1].id if len(rows) > PAGE_SIZE else None,
                           district_name=district_name)


@bp.get("/vendors/<int:vendor_id>")
@staff_required
def vendor_detail(vendor_id: int) -> Any:
    with runtime().db.transaction() as session:
        vendor = session.get(Vendor, vendor_id)
        if vendor is None or vendor.erased_at is not None:
            abort(404)
        items = [_product_row(p) for p in products.list_for_vendor(session, vendor)]
    return render_template("market/console_vendor.html", M=market_texts, v=vendor, items=items,
                           district_name=district_name, delivery_names=vendors.delivery_names,
                           channels=vendors.channel_names(vendor),
                           line_label=vendors.line_link_label(vendor.line_url))


@bp.get("/products/<int:product_id>")
@staff_required
def product_detail(product_id: int) -> Any:
    rt = runtime()
    with rt.db.transaction() as session:
        product = session.get(Product, product_id)
        if product is None:
            abort(404)
        row = _product_row(product, certification.pending(session, product))
        history = list(product.certifications)
        current = certification.current_certificate(session, product, rt.clock())
        photos = products.photo_urls(rt.settings.public_base_url, product)
        vendor = product.vendor
        reinspection = buyer_feedback.open_reinspection(session, product.id)
        events = buyer_feedback.events(session, product.id)
        comments = buyer_feedback.complaints(session, product.id)
        rating = buyer_feedback.product_rating(session, product.id)
        rolling = buyer_feedback.rolling_rating(session, product, rt.clock())
    return render_template("market/console_product.html", M=market_texts, FB=buyer_feedback_texts, p=row,
                           product=product, history=history, current=current, photos=photos, vendor=vendor,
                           points=[market_texts.SELLING_POINTS.get(k, k) for k in product.selling_points or []],
                           reinspection=reinspection, events=events, comments=comments, rating=rating,
                           rolling=rolling)


@bp.get("/reinspections")
@staff_required
def reinspections() -> Any:
    """Certified products flagged by buyers' ratings or complaints, waiting for a staff decision."""
    with runtime().db.transaction() as session:
        rows = [(r, _product_row(session.get(Product, r.product_id)))
                for r in buyer_feedback.reinspection_queue(session)]
    return render_template("market/console_reinspections.html", M=market_texts, FB=buyer_feedback_texts, rows=rows)


@bp.get("/certified")
@staff_required
def certified_list() -> Any:
    rt = runtime()
    before = _int_arg("before")
    stmt = select(Product).where(Product.cert_status == "certified", Product.deleted_at.is_(None))
    if before:
        stmt = stmt.where(Product.id < before)
    with rt.db.transaction() as session:
        rows, _ = keyset_page(session, stmt, Product.id, limit=PAGE_SIZE + 1, descending=True)
        items = [_product_row(p) for p in rows[:PAGE_SIZE]]
    return render_template("market/console_certified.html", M=market_texts, items=items,
                           next_before=items[-1].id if len(rows) > PAGE_SIZE else None)


# ---- actions ------------------------------------------------------------------------------------------------------------
def _back(default: str) -> Any:
    # Only our own market console pages: never an open redirect, never a line break in the Location header.
    target = same_origin_path(request.form.get("next", ""), under="/console/market")
    return redirect(target or default)


def _run(action: Any, ok_message: str | None, default: str) -> Any:
    rt = runtime()
    try:
        with rt.db.transaction() as session:
            result = action(session, rt.clock())
            message = ok_message.format(**result) if ok_message and isinstance(result, dict) else ok_message
    except DomainError as exc:
        flash(exc.message, "error")
    else:
        if message:
            flash(message, "ok")
    return _back(default)


@bp.post("/vendors/<int:vendor_id>/approve")
@staff_required
def vendor_approve(vendor_id: int) -> Any:
    def action(session: Any, now: datetime) -> dict:
        vendor = vendors.approve(session, vendor_id, _actor(), now, _admins())
        return {"shop": vendor.shop_name}
    return _run(action, market_texts.STAFF_VENDOR_APPROVED, url_for("console_market.queue"))


@bp.post("/vendors/<int:vendor_id>/reject")
@staff_required
def vendor_reject(vendor_id: int) -> Any:
    reason = request.form.get("reason", "")[:500]

    def action(session: Any, now: datetime) -> dict:
        vendor = vendors.reject(session, vendor_id, _actor(), reason, now, _admins())
        return {"shop": vendor.shop_name}
    return _run(action, market_texts.STAFF_VENDOR_REJECTED, url_for("console_market.queue"))


@bp.post("/certifications/<int:cert_id>/approve")
@staff_required
def cert_approve(cert_id: int) -> Any:
    def action(session: Any, now: datetime) -> dict:
        cert = certification.approve(session, cert_id, _actor(), now, runtime().settings.public_base_url, _admins())
        return {"name": cert.product.name, "number": cert.number, "until": certification.thai_date(cert.valid_until)}
    return _run(action, market_texts.STAFF_CERTIFIED, url_for("console_market.queue"))


@bp.post("/certifications/<int:cert_id>/reject")
@staff_required
def cert_reject(cert_id: int) -> Any:
    reason = request.form.get("reason", "")[:500]

    def action(session: Any, now: datetime) -> dict:
        cert = certification.reject(session, cert_id, _actor(), reason, now, _admins())
        return {"name": cert.product.name}
    return _run(action, market_texts.STAFF_REJECTED, url_for("console_market.queue"))


@bp.post("/certifications/<int:cert_id>/revoke")
@staff_required
def cert_revoke(cert_id: int) -> Any:
    reason = request.form.get("reason", "")[:500]

    def action(session: Any, now: datetime) -> dict:
        cert = certification.revoke(session, cert_id, _actor(), reason, now, _admins())
        buyer_feedback.certificate_revoked(session, cert.product_id, _actor(), cert.reason or reason, now)
        return {"name": cert.product.name, "number": cert.number}
    return _run(action, market_texts.STAFF_REVOKED, url_for("console_market.certified_list"))


# ---- re-inspection (buyers' ratings and complaints) ---------------------------------------------------------------------
@bp.post("/products/<int:product_id>/keep")
@staff_required
def reinspection_keep(product_id: int) -> Any:
    """Staff re-inspected the product and keep its certificate: the flag clears."""
    note = request.form.get("reason", "")[:500]

    def action(session: Any, now: datetime) -> dict:
        buyer_feedback.keep(session, product_id, _actor(), note, now, _admins())
        return {"name": session.get(Product, product_id).name}
    return _run(action, buyer_feedback_texts.STAFF_KEPT, url_for("console_market.product_detail",
                                                                 product_id=product_id))


@bp.post("/products/<int:product_id>/revoke")
@staff_required
def reinspection_revoke(product_id: int) -> Any:
    """Staff revoke the product's current certificate with a reason, closing its re-inspection."""
    reason = request.form.get("reason", "")[:500]

    def action(session: Any, now: datetime) -> dict:
        cert = buyer_feedback.revoke(session, product_id, _actor(), reason, now, _admins())
        return {"name": cert.product.name}
    return _run(action, buyer_feedback_texts.STAFF_REVOKED, url_for("console_market.product_detail",
                                                                    product_id=product_id))


@bp.post("/products/<int:product_id>/complaint")
@staff_required
def report_complaint(product_id: int) -> Any:
    """แจ้งเรื่องร้องเรียน: a complaint that reached staff; a certified product is flagged for re-inspection."""
    detail = request.form.get("detail", "")[:600]

    def action(session: Any, now: datetime) -> dict:
        buyer_feedback.report_complaint(session, product_id, _actor(), detail, now, _admins())
        return {"name": session.get(Product, product_id).name}
    return _run(action, buyer_feedback_texts.STAFF_COMPLAINT_RECORDED,
                url_for("console_market.product_detail", product_id=product_id))


def register(app: Flask) -> None:
    app.register_blueprint(bp)
