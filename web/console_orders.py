"""Orders in the console: every order with its status, filters and CSV.

Read-only: shops and buyers move orders along in chat. The buyer's name, phone, address and LINE id are not shown:
staff follow the figures and the timeline, and the buyer's district is enough for reports."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import Blueprint, Flask, Response, render_template, request

from bot.runtime import runtime
from models.orders import ORDER_STATUSES
from services import order_reports, products, sales
from services.errors import DomainError
from texts import commissions as commissions_texts
from texts import orders as orders_texts
from texts import sales as sales_texts
from texts.districts import DISTRICTS, district_name
from web.auth import staff_required
from web.console_sales import approved_shops
from web.csv_export import csv_response

bp = Blueprint("console_orders", __name__, url_prefix="/console/orders")
CONSOLE_NAV = [(61, sales_texts.O_TITLE, "console_orders.index", "console_orders")]
LIST_CAP = 300


def order_filter() -> order_reports.OrderFilter:
    """The filters in the query string; a value that is not one of the choices is ignored."""
    month = request.args.get("month") or None
    if month:
        try:
            sales.month_range(month)
        except DomainError:
            month = None
    raw_vendor = request.args.get("vendor", "")
    raw_product = request.args.get("product", "")
    district = request.args.get("district") or None
    return order_reports.OrderFilter(
        status=order_reports.valid_status(request.args.get("status")),
        vendor_id=int(raw_vendor) if raw_vendor.isdigit() and len(raw_vendor) <= 9 else None,
        product_id=int(raw_product) if raw_product.isdigit() and len(raw_product) <= 9 else None,
        district=district if district in DISTRICTS else None, month=month)


def _args(filters: order_reports.OrderFilter) -> dict[str, Any]:
    return {k: v for k, v in (("status", filters.status), ("vendor", filters.vendor_id),
                              ("product", filters.product_id), ("district", filters.district),
                              ("month", filters.month)) if v}


@bp.get("", strict_slashes=False)
@staff_required
def index() -> Any:
    filters = order_filter()
    with runtime().db.transaction() as session:
        rows = order_reports.list_orders(session, filters, limit=LIST_CAP)
        links = order_reports.referral_details(session, rows)
        shops = order_reports.shops(session, {o.vendor_id for o in rows})
        items = [{"order": o, "shop": shops.get(o.vendor_id), "links": links[o.id],
                  "timeline": order_reports.timeline(o)} for o in rows]
        return render_template("console/orders.html", S=sales_texts, OT=orders_texts, CT=commissions_texts,
                               items=items, filters=filters, args=_args(filters), statuses=ORDER_STATUSES,
                               vendors=approved_shops(session), districts=DISTRICTS, district_name=district_name,
                               price=products.format_price, list_cap=LIST_CAP)


def _baht(satang: int | None) -> Decimal | str:
    return "" if satang is None else Decimal(satang) / 100


def _day(value: Any) -> str:
    return sales.local_day(value).isoformat() if value else ""


@bp.get("/orders.csv")
@staff_required
def download() -> Response:
    filters = order_filter()
    with runtime().db.transaction() as session:
        rows = order_reports.list_orders(session, filters, limit=10_000_000)
        links = order_reports.referral_details(session, rows)
        shops = order_reports.shops(session, {o.vendor_id for o in rows})
        data = []
        for o in rows:
            shop, link = shops.get(o.vendor_id), links[o.id]
            data.append((
                o.id, _day(o.placed_at), orders_texts.STATUS.get(o.status, o.status), o.vendor_id,
                shop.shop_name if shop else "", district_name(shop.district) if shop else "", o.product_id,
                o.product_name, o.quantity, _baht(o.unit_price_satang), _baht(o.delivery_fee_satang),
                _baht(o.total_satang), orders_texts.PAYMENT.get(o.payment_method, o.payment_method),
                district_name(o.buyer_district) if o.buyer_district else "", link.code or "",
                commissions_texts.STATUS_NAMES.get(link.commission_status or "", ""), _baht(link.commission_satang),
                _day(o.accepted_at), _day(o.paid_at), _day(o.shipped_at), _day(o.received_at),
                _day(o.cancelled_at or o.rejected_at), _baht(o.refund_satang)))
    return csv_response("orders.csv", sales_texts.O_CSV_HEADER, data)


def register(app: Flask) -> None:
    app.register_blueprint(bp)
