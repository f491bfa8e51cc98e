"""The sales ledger: online orders at receipt, traditional sales recorded by vendors and staff (one validation for
chat, console, CSV and API), and the figures reports compare.

What an online sale is worth: the goods, quantity × unit price. The delivery fee is what the buyer paid the carrier
through the shop, not a sale of the product, and a stall at the market has none: counting it would make online look
bigger than traditional for the same goods. A refund after receipt is a second row with the negative amount (never a
change to the first), so a month already reported keeps its figure and the refund shows in the month it happened.

Each way a traditional sale comes in (chat, console form, CSV, API) goes through `clean_sale`, whose rules are the
`clean_*` functions below: a value back or a DomainError with the Thai reason.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, case, extract, func, literal, select, update
from sqlalchemy.orm import Session

from models.market import Product, Vendor
from models.orders import Order
from models.platform import Citizen
from models.sales import Sale
from services import products, vendors
from services.contact_details import thai_digits_to_arabic
from services.errors import DomainError, PermissionDenied
from services.staff import is_staff
from texts import sales as sales_texts
from texts.dates import to_local

ONLINE = "online"
TRADITIONAL_CHANNELS = ("storefront", "market", "fair", "consignment", "other")
QUANTITY_MAX = 99_999
BACKDATE_DAYS = 365  # a sale may be recorded up to a year after it happened
API_ACTOR = "api"

CSV_MAX_BYTES = 2 * 1024 * 1024
CSV_MAX_LINES = 5_000


def local_day(moment: datetime) -> date:
    """The calendar day in Khon Kaen (Asia/Bangkok) of a UTC moment."""
    return to_local(moment).date()


# ---- online sales: written by services/orders.py ---------------------------------------------------------------------
def _order_sale(session: Session, order_id: int, source: str) -> Sale | None:
    return session.scalars(select(Sale).where(Sale.order_id == order_id, Sale.source == source)
                           .order_by(Sale.id).limit(1)).first()


def record_order_sale(session: Session, order: Order, now: datetime) -> Sale:
    """Records a received order as an online sale of its goods (idempotent: one "order" row per order).

    sold_on is the day of receipt in Khon Kaen (`now` if the order has no receipt time yet); district is the shop's."""
    existing = _order_sale(session, order.id, "order")
    if existing is not None:
        return existing
    vendor = session.get(Vendor, order.vendor_id)
    sale = Sale(vendor_id=order.vendor_id, product_id=order.product_id, product_name=order.product_name,
                quantity=order.quantity, amount_satang=order.quantity * order.unit_price_satang, channel=ONLINE,
                sold_on=local_day(order.received_at or now), district=vendor.district if vendor else "",
                order_id=order.id, source="order", recorded_by=None, created_at=now)
    session.add(sale)
    session.flush()
    return sale


def record_order_refund(session: Session, order: Order, now: datetime) -> Sale:
    """Records a refund after receipt as a negative online sale (idempotent: one "refund" row per order).

    The amount is the refund, at most the goods' value (a refunded delivery fee was never counted as a sale); a
    full refund takes the quantity back too. Dated the day of the refund in Khon Kaen."""
    existing = _order_sale(session, order.id, "refund")
    if existing is not None:
        return existing
    sold = record_order_sale(session, order, now)  # a refund presumes the sale; a missing one is recorded first
    goods = sold.amount_satang
    refunded = goods if order.refund_satang is None else max(0, min(int(order.refund_satang), goods))
    sale = Sale(vendor_id=sold.vendor_id, product_id=sold.product_id, product_name=sold.product_name,
                quantity=-sold.quantity if refunded == goods else 0, amount_satang=-refunded, channel=ONLINE,
                sold_on=local_day(order.refunded_at or now), district=sold.district, order_id=order.id,
                source="refund", recorded_by=None, created_at=now)
    session.add(sale)
    session.flush()
    return sale


# ---- input rules (each returns the cleaned value or raises DomainError with the Thai reason) ------------------------
def _one_line(value: str) -> str:
    return " ".join(str(value).split())


def clean_vendor(session: Session, value: int | str) -> Vendor:
    """An approved, not erased shop, by its number or (for CSV files typed by people) its exact name."""
    raw = thai_digits_to_arabic(str(value)).strip()
    if raw.isdigit() and len(raw) <= 9:
        vendor = session.get(Vendor, int(raw))
        candidates = [vendor] if vendor is not None else []
    else:
        key = vendors.shop_name_key(raw)
        stmt = select(Vendor).where(func.lower(func.replace(Vendor.shop_name, " ", "")) == key.lower())
        # SQLite's lower() knows only ASCII: check the fold again in Python, as vendors.same_name_shop does.
        candidates = [v for v in session.scalars(stmt) if vendors.shop_name_key(v.shop_name) == key]
    candidates = [v for v in candidates if v.status == "approved" and v.erased_at is None]
    if not candidates:
        raise DomainError(sales_texts.SHOP_BAD, code="bad_vendor")
    if len(candidates) > 1:
        raise DomainError(sales_texts.SHOP_AMBIGUOUS, code="ambiguous_vendor")
    return candidates[0]


def clean_product(session: Session, vendor: Vendor, value: int | str) -> tuple[int | None, str]:
    """(product id, name as sold): the shop's own product by number or name, or else the name of a product it sells
    but never posted (a vendor's other goods count too)."""
    if isinstance(value, int):
        product = session.get(Product, value)
        if product is None or product.vendor_id != vendor.id or product.deleted_at is not None:
            raise DomainError(sales_texts.PRODUCT_NOT_OURS, code="not_your_product")
        return product.id, product.name
    name = _one_line(value)
    key = vendors.shop_name_key(name)
    for product in products.list_for_vendor(session, vendor):
        if vendors.shop_name_key(product.name) == key:
            return product.id, product.name
    if not 2 <= len(name) <= products.NAME_MAX:
        raise DomainError(sales_texts.PRODUCT_NAME_BAD.format(max=products.NAME_MAX), code="bad_product")
    return None, name


def clean_quantity(value: int | str) -> int:
    """1-99,999; Thai digits and thousands commas are fine."""
    if isinstance(value, bool):
        raise DomainError(sales_texts.QUANTITY_BAD.format(max=f"{QUANTITY_MAX:,}"), code="bad_quantity")
    raw = thai_digits_to_arabic(str(value)).replace(",", "").strip()
    if not raw.isdigit() or not 1 <= int(raw) <= QUANTITY_MAX:
        raise DomainError(sales_texts.QUANTITY_BAD.format(max=f"{QUANTITY_MAX:,}"), code="bad_quantity")
    return int(raw)


def clean_amount(value: int | str | Decimal) -> int:
    """Baht with up to 2 decimals, more than 0 -> satang ('1,250.50', '350 บาท', Thai digits)."""
    try:
        return products.parse_price(str(value))
    except DomainError:
        raise DomainError(sales_texts.AMOUNT_BAD, code="bad_amount") from None


def _channel_key(text: str) -> str:
    return "".join(text.split()).casefold()


_CHANNEL_BY_WORD = {_channel_key(name): key for key, name in sales_texts.CHANNELS.items()}
_CHANNEL_BY_WORD.update({_channel_key(key): key for key in sales_texts.CHANNELS})


def clean_channel(value: str) -> str:
    """A traditional channel by key ('market') or Thai name ('ตลาดนัด', 'อื่นๆ'); 'online' comes only from orders."""
    folded = _channel_key(str(value))
    key = _CHANNEL_BY_WORD.get(folded)
    if key == ONLINE or folded == _channel_key(sales_texts.ONLINE):
        raise DomainError(sales_texts.CHANNEL_ONLINE, code="online_channel")
    if key not in TRADITIONAL_CHANNELS:
        raise DomainError(sales_texts.CHANNEL_BAD, code="bad_channel")
    return key


_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_THAI_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
BUDDHIST_ERA_OFFSET = 543


def clean_sold_on(value: date | str, now: datetime) -> date:
    """The day of the sale: a date, 'YYYY-MM-DD', or 'dd/mm/yyyy' with a Buddhist-era year (a Christian-era year is
    taken too); not after today in Khon Kaen and not more than a year back."""
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date):
        raw = thai_digits_to_arabic(str(value)).strip()
        try:
            if match := _ISO_DATE.fullmatch(raw):
                year, month, day = (int(g) for g in match.groups())
            elif match := _THAI_DATE.fullmatch(raw):
                day, month, year = (int(g) for g in match.groups())
            else:
                raise ValueError(raw)
            if year > 2400:
                year -= BUDDHIST_ERA_OFFSET
            value = date(year, month, day)
        except ValueError:
            raise DomainError(sales_texts.DATE_BAD, code="bad_date") from None
    today = local_day(now)
    if value > today:
        raise DomainError(sales_texts.DATE_FUTURE, code="future_date")
    if value < today - timedelta(days=BACKDATE_DAYS):
        raise DomainError(sales_texts.DATE_TOO_OLD, code="date_too_old")
    return value


@dataclass(frozen=True)
class SaleInput:
    """A traditional sale that passed every rule, ready to record."""

    vendor_id: int
    district: str
    product_id: int | None
    product_name: str
    quantity: int
    amount_satang: int
    channel: str
    sold_on: date


class Lookups:
    """Remembers shops and products already looked up, so a 5,000-line import asks the database once per shop and
    product instead of once per line (the answers, errors included, are the same as without it)."""

    def __init__(self) -> None:
        self._shops: dict[str, Vendor | DomainError] = {}
        self._products: dict[tuple[int, int | str], tuple[int | None, str] | DomainError] = {}

    def vendor(self, session: Session, value: int | str) -> Vendor:
        key = str(value)
        if key not in self._shops:
            try:
                self._shops[key] = clean_vendor(session, value)
            except DomainError as exc:
                self._shops[key] = exc
        return _or_raise(self._shops[key])

    def product(self, session: Session, shop: Vendor, value: int | str) -> tuple[int | None, str]:
        key = (shop.id, value)
        if key not in self._products:
            try:
                self._products[key] = clean_product(session, shop, value)
            except DomainError as exc:
                self._products[key] = exc
        return _or_raise(self._products[key])


def _or_raise(found: Any) -> Any:
    if isinstance(found, DomainError):
        raise found
    return found


def clean_sale(session: Session, *, vendor: Vendor | int | str, product: int | str, quantity: int | str,
               amount: int | str | Decimal, channel: str, sold_on: date | str, now: datetime,
               lookups: Lookups | None = None) -> SaleInput:
    """Checks a traditional sale, field by field in the order a person fills it; the first problem is raised.

    `amount` is in baht (a number or text); `product` is a product id of the shop or a name."""
    lookups = lookups or Lookups()
    shop = vendor if isinstance(vendor, Vendor) else lookups.vendor(session, vendor)
    if shop.status != "approved" or shop.erased_at is not None:
        raise DomainError(sales_texts.SHOP_BAD, code="bad_vendor")
    product_id, product_name = lookups.product(session, shop, product)
    return SaleInput(vendor_id=shop.id, district=shop.district, product_id=product_id, product_name=product_name,
                     quantity=clean_quantity(quantity), amount_satang=clean_amount(amount),
                     channel=clean_channel(channel), sold_on=clean_sold_on(sold_on, now))


def record_sale(session: Session, sale: SaleInput, *, source: str, recorded_by: str | None, now: datetime) -> Sale:
    """Writes a cleaned traditional sale."""
    if source not in ("chat", "console", "csv", "api"):
        raise ValueError(f"not a traditional sale's source: {source}")
    row = Sale(vendor_id=sale.vendor_id, product_id=sale.product_id, product_name=sale.product_name,
               quantity=sale.quantity, amount_satang=sale.amount_satang, channel=sale.channel, sold_on=sale.sold_on,
               district=sale.district, order_id=None, source=source, recorded_by=recorded_by, created_at=now)
    session.add(row)
    session.flush()
    return row


def record_vendor_sale(session: Session, line_user_id: str, *, product: int | str, quantity: int | str,
                       amount_satang: int, channel: str, sold_on: date, now: datetime) -> Sale:
    """A vendor records a sale of their own shop from chat (the shop is the caller's, checked now)."""
    shop = vendors.approved_vendor(session, line_user_id)
    cleaned = clean_sale(session, vendor=shop, product=product, quantity=quantity,
                         amount=Decimal(amount_satang) / 100, channel=channel, sold_on=sold_on, now=now)
    return record_sale(session, cleaned, source="chat", recorded_by=line_user_id, now=now)


def require_staff(session: Session, actor: str, admin_ids: Sequence[str]) -> None:
    """Staff (checked in the database now) or the REST API; anyone else is refused."""
    if actor == API_ACTOR:
        return
    if not is_staff(session, actor, tuple(admin_ids)):
        raise PermissionDenied(sales_texts.STAFF_ONLY, code="staff_only")


def record_staff_sale(session: Session, actor: str, admin_ids: Sequence[str], *, vendor: int | str,
                      product: int | str, quantity: int | str, amount: int | str | Decimal, channel: str,
                      sold_on: date | str, now: datetime) -> Sale:
    """Staff (console) or the API records a sale for a shop."""
    require_staff(session, actor, admin_ids)
    cleaned = clean_sale(session, vendor=vendor, product=product, quantity=quantity, amount=amount,
                         channel=channel, sold_on=sold_on, now=now)
    return record_sale(session, cleaned, source="api" if actor == API_ACTOR else "console", recorded_by=actor,
                       now=now)


# ---- CSV import ------------------------------------------------------------------------------------------------------
# The header of an import file: each column by its English key or Thai name (either works; order is free).
CSV_COLUMNS = {
    "vendor": ("vendor_id", "vendor", "shop", "ร้านค้า", "ร้าน", "หมายเลขร้าน"),
    "product": ("product", "product_id", "สินค้า"),
    "quantity": ("quantity", "จำนวน"),
    "amount": ("amount", "ยอดเงิน", "ยอดเงิน (บาท)"),
    "channel": ("channel", "ช่องทาง"),
    "date": ("date", "sold_on", "วันที่"),
}
CSV_HEADER = ("vendor_id", "product", "quantity", "amount", "channel", "date")


@dataclass
class ImportResult:
    """What an import did: how many sales it recorded, or (nothing recorded) each bad line and why."""

    imported: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    problem: str | None = None  # a reason the whole file was refused (size, encoding, header)

    @property
    def ok(self) -> bool:
        return self.problem is None and not self.errors


def _header_map(header: list[str]) -> dict[str, int] | None:
    names = [_one_line(h).lstrip("\ufeff").casefold() for h in header]
    found: dict[str, int] = {}
    for column, aliases in CSV_COLUMNS.items():
        for index, name in enumerate(names):
            if name in {a.casefold() for a in aliases}:
                found[column] = index
                break
    return found if len(found) == len(CSV_COLUMNS) else None


def import_csv(session: Session, data: bytes, actor: str, admin_ids: Sequence[str], now: datetime) -> ImportResult:
    """Imports sales from a CSV file: every line checked with clean_sale; all or nothing (the caller's transaction
    commits only an ok result: on any bad line nothing is added to the session)."""
    require_staff(session, actor, admin_ids)
    result = ImportResult()
    if len(data) > CSV_MAX_BYTES:
        result.problem = sales_texts.CSV_TOO_LARGE.format(mb=CSV_MAX_BYTES // (1024 * 1024), lines=CSV_MAX_LINES)
        return result
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        result.problem = sales_texts.CSV_NOT_UTF8
        return result
    rows = list(csv.reader(io.StringIO(content)))
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
    if len(rows) < 2:
        result.problem = sales_texts.CSV_EMPTY
        return result
    if len(rows) - 1 > CSV_MAX_LINES:
        result.problem = sales_texts.CSV_TOO_LARGE.format(mb=CSV_MAX_BYTES // (1024 * 1024), lines=CSV_MAX_LINES)
        return result
    columns = _header_map(rows[0])
    if columns is None:
        result.problem = sales_texts.CSV_HEADER_BAD.format(columns=", ".join(CSV_HEADER))
        return result
    cleaned: list[SaleInput] = []
    lookups = Lookups()
    for line, row in enumerate(rows[1:], start=2):  # line numbers as a spreadsheet shows them (header is line 1)
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < len(rows[0]):
            result.errors.append((line, sales_texts.CSV_COLUMNS_BAD))
            continue
        try:
            product: int | str = thai_digits_to_arabic(row[columns["product"]]).strip()
            if product.isdigit() and len(product) <= 9:  # a product number, as the sales CSV download has them
                product = int(product)
            cleaned.append(clean_sale(session, vendor=row[columns["vendor"]], product=product,
                                      quantity=row[columns["quantity"]], amount=row[columns["amount"]],
                                      channel=row[columns["channel"]], sold_on=row[columns["date"]], now=now,
                                      lookups=lookups))
        except DomainError as exc:
            result.errors.append((line, exc.message))
    if result.errors:
        return result
    for sale in cleaned:
        record_sale(session, sale, source="csv", recorded_by=actor, now=now)
    result.imported = len(cleaned)
    return result


# ---- reading: filters, lists, figures --------------------------------------------------------------------------------
_MONTH = re.compile(r"(\d{4})-(\d{2})")


def month_range(month: str) -> tuple[date, date]:
    """'2026-11' -> (1 Nov 2026, 1 Dec 2026): the first day and the first day after."""
    match = _MONTH.fullmatch(month or "")
    if match is None or not 1 <= int(match.group(2)) <= 12:
        raise DomainError(sales_texts.DATE_BAD, code="bad_month")
    first = date(int(match.group(1)), int(match.group(2)), 1)
    after = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first, after


@dataclass(frozen=True)
class SalesFilter:
    """Which sales to read. `channel` is a channel key, or "traditional" for every channel but online."""

    vendor_id: int | None = None
    product_id: int | None = None
    district: str | None = None
    month: str | None = None  # YYYY-MM
    channel: str | None = None


def _filtered(stmt: Select, filters: SalesFilter) -> Select:
    if filters.vendor_id:
        stmt = stmt.where(Sale.vendor_id == filters.vendor_id)
    if filters.product_id:
        stmt = stmt.where(Sale.product_id == filters.product_id)
    if filters.district:
        stmt = stmt.where(Sale.district == filters.district)
    if filters.month:
        first, after = month_range(filters.month)
        stmt = stmt.where(Sale.sold_on >= first, Sale.sold_on < after)
    if filters.channel == "traditional":
        stmt = stmt.where(Sale.channel != ONLINE)
    elif filters.channel:
        stmt = stmt.where(Sale.channel == filters.channel)
    return stmt


def sales_query(filters: SalesFilter) -> Select:
    """The sales matching the filters (a select of Sale rows; the caller orders and pages it)."""
    return _filtered(select(Sale), filters)


def list_sales(session: Session, filters: SalesFilter, limit: int = 5_000) -> list[Sale]:
    """Newest first (by day sold, then by id), at most `limit`."""
    return list(session.scalars(sales_query(filters).order_by(Sale.sold_on.desc(), Sale.id.desc()).limit(limit)))


@dataclass
class CompareRow:
    """Online against traditional for one shop, product, district and month (amounts in satang)."""

    month: str
    vendor_id: int
    shop_name: str
    district: str
    product_id: int | None
    product_name: str
    online_quantity: int = 0
    online_satang: int = 0
    traditional_quantity: int = 0
    traditional_satang: int = 0

    @property
    def total_satang(self) -> int:
        return self.online_satang + self.traditional_satang

    @property
    def online_share(self) -> float | None:
        """Online's part of the total (0-1), or None when there were no sales."""
        return self.online_satang / self.total_satang if self.total_satang > 0 else None


def compare(session: Session, filters: SalesFilter) -> list[CompareRow]:
    """Online vs traditional sales per month, shop, district and product (the programme's third evaluation
    measure), newest month first, then by shop and product. A posted product is one row whatever it was called
    when sold; an unposted one is grouped by its name."""
    year, month = extract("year", Sale.sold_on), extract("month", Sale.sold_on)
    name_key = case((Sale.product_id.is_(None), Sale.product_name), else_=literal(""))
    online = Sale.channel == ONLINE
    stmt = _filtered(select(
        year.label("y"), month.label("m"), Sale.vendor_id, Sale.district, Sale.product_id, name_key.label("name"),
        func.sum(case((online, Sale.quantity), else_=0)), func.sum(case((online, Sale.amount_satang), else_=0)),
        func.sum(case((online, 0), else_=Sale.quantity)), func.sum(case((online, 0), else_=Sale.amount_satang)),
    ), filters).group_by(year, month, Sale.vendor_id, Sale.district, Sale.product_id, name_key)
    rows = session.execute(stmt).all()
    vendor_ids = {r.vendor_id for r in rows}
    product_ids = {r.product_id for r in rows if r.product_id is not None}
    shops = dict(session.execute(select(Vendor.id, Vendor.shop_name).where(Vendor.id.in_(vendor_ids))).all()) \
        if vendor_ids else {}
    names = dict(session.execute(select(Product.id, Product.name).where(Product.id.in_(product_ids))).all()) \
        if product_ids else {}
    out = [CompareRow(month=f"{int(r.y):04d}-{int(r.m):02d}", vendor_id=r.vendor_id, shop_name=shops.get(r.vendor_id, ""),
                      district=r.district, product_id=r.product_id,
                      product_name=names.get(r.product_id, "") if r.product_id is not None else r.name,
                      online_quantity=int(r[6] or 0), online_satang=int(r[7] or 0),
                      traditional_quantity=int(r[8] or 0), traditional_satang=int(r[9] or 0)) for r in rows]
    out.sort(key=lambda c: (c.shop_name, c.vendor_id, c.product_name, c.district))
    out.sort(key=lambda c: c.month, reverse=True)
    return out


@dataclass
class MonthTotals:
    """One month's sales: online, traditional, and each channel (satang)."""

    month: str
    online_satang: int = 0
    traditional_satang: int = 0
    by_channel: dict[str, int] = field(default_factory=dict)

    @property
    def total_satang(self) -> int:
        return self.online_satang + self.traditional_satang


def monthly_totals(session: Session, filters: SalesFilter) -> list[MonthTotals]:
    """Totals per month (newest first) and channel for the filtered sales: the console's online vs traditional."""
    year, month = extract("year", Sale.sold_on), extract("month", Sale.sold_on)
    stmt = _filtered(select(year, month, Sale.channel, func.sum(Sale.amount_satang)), filters) \
        .group_by(year, month, Sale.channel)
    months: dict[str, MonthTotals] = {}
    for y, m, channel, amount in session.execute(stmt):
        key = f"{int(y):04d}-{int(m):02d}"
        totals = months.setdefault(key, MonthTotals(key))
        totals.by_channel[channel] = totals.by_channel.get(channel, 0) + int(amount or 0)
        if channel == ONLINE:
            totals.online_satang += int(amount or 0)
        else:
            totals.traditional_satang += int(amount or 0)
    return sorted(months.values(), key=lambda t: t.month, reverse=True)


def vendor_month_totals(session: Session, vendor_id: int, day: date) -> MonthTotals:
    """The shop's totals for the month of `day` (what the vendor is told after recording a sale)."""
    month = f"{day.year:04d}-{day.month:02d}"
    found = monthly_totals(session, SalesFilter(vendor_id=vendor_id, month=month))
    return found[0] if found else MonthTotals(month)


# ---- PDPA ------------------------------------------------------------------------------------------------------------
def export_personal_data(session: Session, citizen: Citizen) -> dict:
    """The sales this person recorded (their LINE id is kept on each as who recorded it)."""
    if not citizen.line_user_id:
        return {}
    rows = session.scalars(select(Sale).where(Sale.recorded_by == citizen.line_user_id).order_by(Sale.id)).all()
    if not rows:
        return {}
    return {"sales_recorded": [{"id": s.id, "vendor_id": s.vendor_id, "product_name": s.product_name,
                                "quantity": s.quantity, "amount_satang": s.amount_satang, "channel": s.channel,
                                "sold_on": s.sold_on.isoformat(), "source": s.source,
                                "recorded_at": s.created_at.isoformat()} for s in rows]}


def erase_personal_data(session: Session, citizen: Citizen, now: datetime) -> None:
    """Forgets who recorded each sale; the figures stay (they are the shop's, and reports count them)."""
    if not citizen.line_user_id:
        return
    session.execute(update(Sale).where(Sale.recorded_by == citizen.line_user_id).values(recorded_by=None))
    session.flush()
