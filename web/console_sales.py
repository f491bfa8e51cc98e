"""Sales in the console: online and traditional sales with filters and CSV; enter one or import a CSV."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from flask import Blueprint, Flask, Response, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from bot.runtime import runtime
from models.market import Product, Vendor
from services import products, sales
from services.errors import DomainError
from texts import sales as sales_texts
from texts.districts import DISTRICTS, district_name
from web.auth import current_staff, staff_required
from web.csv_export import csv_response

bp = Blueprint("console_sales", __name__, url_prefix="/console/sales")
CONSOLE_NAV = [(62, sales_texts.C_TITLE, "console_sales.index", "console_sales")]
LIST_CAP = 500  # rows on the page; the CSV has them all
COMPARE_CAP = 300


def _int_arg(name: str) -> int | None:
    raw = request.args.get(name, "").strip()
    return int(raw) if raw.isdigit() and len(raw) <= 9 else None


def sales_filter() -> sales.SalesFilter:
    """The filters in the query string; a value that is not one of the choices is ignored (the page says which)."""
    district = request.args.get("district") or None
    month = request.args.get("month") or None
    channel = request.args.get("channel") or None
    if month:
        try:
            sales.month_range(month)
        except DomainError:
            month = None
    return sales.SalesFilter(vendor_id=_int_arg("vendor"), product_id=_int_arg("product"),
                             district=district if district in DISTRICTS else None, month=month,
                             channel=channel if channel in (*sales_texts.CHANNELS, "traditional") else None)


def _filter_args(filters: sales.SalesFilter) -> dict[str, Any]:
    return {k: v for k, v in (("vendor", filters.vendor_id), ("product", filters.product_id),
                              ("district", filters.district), ("month", filters.month),
                              ("channel", filters.channel)) if v}


def _baht(satang: int) -> Decimal:
    """Satang as baht for CSV cells (a number, so a spreadsheet sums it; never text a formula check would touch)."""
    return Decimal(satang) / 100


def approved_shops(session: Any) -> list[Vendor]:
    """Shops a sale may be entered for (and the shop filter's choices), by name."""
    return list(session.scalars(select(Vendor).where(Vendor.status == "approved", Vendor.erased_at.is_(None))
                                .order_by(Vendor.shop_name, Vendor.id)))


@bp.get("", strict_slashes=False)
@staff_required
def index() -> Any:
    filters = sales_filter()
    with runtime().db.transaction() as session:
        rows = sales.list_sales(session, filters, limit=LIST_CAP)
        totals = sales.monthly_totals(session, filters)
        compare = sales.compare(session, filters)[:COMPARE_CAP]
        shops = {v.id: v for v in session.scalars(select(Vendor).where(Vendor.id.in_({r.vendor_id for r in rows})))}
        vendor_list = approved_shops(session)
        product = session.get(Product, filters.product_id) if filters.product_id else None
        product_name = product.name if product is not None else None
        return render_template("console/sales.html", S=sales_texts, rows=rows, totals=totals, compare=compare,
                               shops=shops, vendors=vendor_list, filters=filters, args=_filter_args(filters),
                               districts=DISTRICTS, district_name=district_name, price=products.format_price,
                               list_cap=LIST_CAP, product_name=product_name)


@bp.get("/sales.csv")
@staff_required
def download() -> Response:
    filters = sales_filter()
    with runtime().db.transaction() as session:
        rows = sales.list_sales(session, filters, limit=10_000_000)
        shops = dict(session.execute(select(Vendor.id, Vendor.shop_name)).all())
        data = [(s.sold_on.isoformat(), s.vendor_id, shops.get(s.vendor_id, ""), district_name(s.district),
                 s.product_id or "", s.product_name, s.quantity, _baht(s.amount_satang),
                 sales_texts.CHANNELS.get(s.channel, s.channel), sales_texts.SOURCES.get(s.source, s.source),
                 s.order_id or "") for s in rows]
    return csv_response("sales.csv", sales_texts.C_CSV_HEADER, data)


@bp.get("/compare.csv")
@staff_required
def download_compare() -> Response:
    filters = sales_filter()
    with runtime().db.transaction() as session:
        rows = sales.compare(session, filters)
    data = [(c.month, c.vendor_id, c.shop_name, district_name(c.district), c.product_id or "", c.product_name,
             c.online_quantity, _baht(c.online_satang), c.traditional_quantity, _baht(c.traditional_satang),
             round(c.online_share * 100, 1) if c.online_share is not None else "") for c in rows]
    return csv_response("sales-compare.csv", sales_texts.C_COMPARE_HEADER, data)


# ---- entering a sale ---------------------------------------------------------------------------------------------------
def _form_context(values: dict[str, str], errors: list[str] | None = None) -> dict[str, Any]:
    today = sales.local_day(runtime().clock())
    with runtime().db.transaction() as session:
        vendor_list = approved_shops(session)
    return {"S": sales_texts, "vendors": vendor_list, "values": values, "channels": sales.TRADITIONAL_CHANNELS,
            "today": today.isoformat(), "earliest": (today - timedelta(days=sales.BACKDATE_DAYS)).isoformat(),
            "header": ",".join(sales.CSV_HEADER), "mb": sales.CSV_MAX_BYTES // (1024 * 1024),
            "lines": sales.CSV_MAX_LINES, "errors": errors or []}


def _form_page(values: dict[str, str], status: int = 200, errors: list[str] | None = None) -> Any:
    return render_template("console/sales_new.html", **_form_context(values, errors)), status


@bp.get("/new")
@staff_required
def new() -> Any:
    return _form_page({"vendor": request.args.get("vendor", ""), "date": ""})


@bp.post("/new")
@staff_required
def create() -> Any:
    form = {key: request.form.get(key, "").strip()[:200] for key in ("vendor", "product", "quantity", "amount",
                                                                      "channel", "date")}
    rt = runtime()
    product: int | str = int(form["product"]) if form["product"].isdigit() and len(form["product"]) <= 9 \
        else form["product"]
    try:
        with rt.db.transaction() as session:
            sale = sales.record_staff_sale(session, current_staff().line_user_id, rt.settings.ADMIN_LINE_USER_IDS,
                                           vendor=form["vendor"], product=product, quantity=form["quantity"],
                                           amount=form["amount"], channel=form["channel"], sold_on=form["date"],
                                           now=rt.clock())
            done = sales_texts.C_SAVED.format(product=sale.product_name, amount=products.format_price(
                sale.amount_satang))
            vendor_id = sale.vendor_id
    except DomainError as exc:
        flash(exc.message, "error")
        return _form_page(form, 422)
    flash(done, "ok")
    return redirect(url_for("console_sales.index", vendor=vendor_id))


# ---- CSV import --------------------------------------------------------------------------------------------------------
@bp.post("/import")
@staff_required
def import_file() -> Any:
    file: FileStorage | None = request.files.get("file")
    if file is None or not file.filename:
        flash(sales_texts.C_IMPORT_NO_FILE, "error")
        return _form_page({}, 422)
    data = file.read(sales.CSV_MAX_BYTES + 1)
    rt = runtime()
    with rt.db.transaction() as session:
        result = sales.import_csv(session, data, current_staff().line_user_id, rt.settings.ADMIN_LINE_USER_IDS,
                                  rt.clock())
    if result.ok:
        flash(sales_texts.CSV_IMPORTED.format(count=result.imported), "ok")
        return redirect(url_for("console_sales.index"))
    flash(result.problem or sales_texts.CSV_NOTHING_IMPORTED.format(count=len(result.errors)), "error")
    return _form_page({}, 422, [sales_texts.CSV_LINE.format(line=line, message=message)
                                for line, message in result.errors])


@bp.get("/assets/sales.css")
def stylesheet() -> Response:
    """Styles of the sales and orders console pages (inline styles are blocked by the CSP)."""
    response = Response(render_template("console/sales.css"), mimetype="text/css")
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


def register(app: Flask) -> None:
    app.register_blueprint(bp)
