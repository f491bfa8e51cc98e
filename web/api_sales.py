"""REST API of sales: online and traditional, read with filters; create traditional sales.

A sale created here passes the same rules as one recorded in chat, in the console or by CSV (services/sales.py
clean_sale); a rule that says no is a 422 with its Thai message. Who recorded a sale (a LINE id) is never shown."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Literal

from pydantic import Field
from sqlalchemy import select

from bot.runtime import runtime
from models.market import Vendor
from models.sales import SALE_CHANNELS, SALE_SOURCES, Sale
from services import sales
from services.errors import DomainError, NotFound
from texts import sales as sales_texts
from texts.districts import DISTRICTS
from web.openapi import ApiModel, ApiRouter, FieldError, ListQuery, UtcDateTime, json_error, page_of
from web.pagination import keyset_page

router = ApiRouter("sales", "ยอดขายออนไลน์และช่องทางดั้งเดิม")

DistrictKey = Literal[tuple(DISTRICTS)]  # type: ignore[valid-type]
Channel = Literal[SALE_CHANNELS]  # type: ignore[valid-type]
Source = Literal[SALE_SOURCES]  # type: ignore[valid-type]
MONTH_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"

# Which body field each rule's error code is about (the 422's `fields`).
_FIELD_OF_CODE = {
    "bad_vendor": "vendor_id", "ambiguous_vendor": "vendor_id", "not_your_product": "product_id",
    "bad_product": "product_name", "bad_quantity": "quantity", "bad_amount": "amount", "bad_channel": "channel",
    "online_channel": "channel", "bad_date": "sold_on", "future_date": "sold_on", "date_too_old": "sold_on",
}


class SaleOut(ApiModel):
    """One row of the sales ledger. `online` rows come from orders at receipt (source `order`) and refunds after
    receipt (source `refund`, negative amount); the other channels are traditional sales."""

    id: int
    vendor_id: int
    shop_name: str
    district: str = Field(description="The shop's district when sold, e.g. `chonnabot`.")
    product_id: int | None = Field(description="The shop's posted product; null for goods never posted.")
    product_name: str
    quantity: int
    amount_satang: int = Field(description="Goods' value in satang (1 baht = 100 satang); negative for a refund.")
    channel: Channel  # type: ignore[valid-type]
    channel_name: str
    sold_on: date = Field(description="The day of the sale in Khon Kaen (Asia/Bangkok).")
    source: Source  # type: ignore[valid-type]
    order_id: int | None
    created_at: UtcDateTime


class SaleQuery(ListQuery):
    vendor_id: int | None = Field(None, ge=1, description="Only this shop's sales.")
    product_id: int | None = Field(None, ge=1, description="Only this product's sales.")
    district: DistrictKey | None = Field(None, description="Only sales of shops in this district.")  # type: ignore
    month: str | None = Field(None, pattern=MONTH_PATTERN, description="Only sales of this month, `YYYY-MM`.")
    channel: Literal[(*SALE_CHANNELS, "traditional")] | None = Field(  # type: ignore[valid-type]
        None, description="A channel, or `traditional` for every channel but `online`.")


class SaleIn(ApiModel):
    """A traditional sale to record for a shop (the same rules as in chat and the console)."""

    vendor_id: int = Field(ge=1, description="An approved shop.")
    product_id: int | None = Field(None, ge=1, description="One of the shop's products; or give `product_name`.")
    product_name: str | None = Field(None, max_length=80,
                                     description="The goods' name when they were never posted (2-40 characters).")
    quantity: int = Field(description="1-99,999.")
    amount: Decimal = Field(description="Baht received, more than 0, at most 2 decimals, e.g. `1250.50`.")
    channel: str = Field(description="`storefront`, `market`, `fair`, `consignment` or `other` (or the Thai name). "
                                     "`online` is refused: online sales come from orders.")
    sold_on: date = Field(description="The day of the sale (Khon Kaen); not in the future, at most a year back.")


def _out(row: Sale, shops: dict[int, str]) -> SaleOut:
    return SaleOut(id=row.id, vendor_id=row.vendor_id, shop_name=shops.get(row.vendor_id, ""), district=row.district,
                   product_id=row.product_id, product_name=row.product_name, quantity=row.quantity,
                   amount_satang=row.amount_satang, channel=row.channel,
                   channel_name=sales_texts.CHANNELS.get(row.channel, row.channel), sold_on=row.sold_on,
                   source=row.source, order_id=row.order_id, created_at=row.created_at)


def _shops(session: Any, rows: list[Sale]) -> dict[int, str]:
    ids = {r.vendor_id for r in rows}
    return dict(session.execute(select(Vendor.id, Vendor.shop_name).where(Vendor.id.in_(ids))).all()) if ids else {}


@router.get("/sales", summary="List sales", query=SaleQuery, response=page_of(SaleOut))
def list_sales(query: SaleQuery) -> Any:
    """Sales in id order (keyset pagination), filtered by shop, product, district, month and channel."""
    filters = sales.SalesFilter(vendor_id=query.vendor_id, product_id=query.product_id, district=query.district,
                                month=query.month, channel=query.channel)
    with runtime().db.transaction() as session:
        rows, next_cursor = keyset_page(session, sales.sales_query(filters), Sale.id, limit=query.limit,
                                        cursor=query.cursor)
        shops = _shops(session, rows)
        return page_of(SaleOut)(data=[_out(r, shops) for r in rows], next_cursor=next_cursor)


@router.get("/sales/<int:sale_id>", summary="Get one sale", response=SaleOut)
def get_sale(sale_id: int) -> Any:
    with runtime().db.transaction() as session:
        row = session.get(Sale, sale_id)
        if row is None:
            raise NotFound(sales_texts.API_SALE_NOT_FOUND)
        return _out(row, _shops(session, [row]))


@router.post("/sales", summary="Record a traditional sale", body=SaleIn, response=SaleOut, status=201)
def create_sale(body: SaleIn) -> Any:
    """Records a sale outside LINE for an approved shop. 422 with the Thai reason when a rule says no (unknown shop,
    another shop's product, quantity outside 1-99,999, amount 0, `online`, a future day, ...)."""
    rt = runtime()
    if body.product_id is None and not (body.product_name or "").strip():
        return json_error(422, sales_texts.API_PRODUCT_NEEDED, code="product_needed", fields=[FieldError(
            field="product_id", message=sales_texts.API_PRODUCT_NEEDED, type="product_needed")])
    try:
        with rt.db.transaction() as session:
            row = sales.record_staff_sale(
                session, sales.API_ACTOR, (), vendor=body.vendor_id,
                product=body.product_id if body.product_id is not None else body.product_name or "",
                quantity=body.quantity, amount=format(body.amount, "f"), channel=body.channel, sold_on=body.sold_on,
                now=rt.clock())
            return _out(row, _shops(session, [row])), 201
    except DomainError as exc:
        field = _FIELD_OF_CODE.get(exc.code, "body")
        return json_error(422, exc.message, code=exc.code, fields=[FieldError(field=field, message=exc.message,
                                                                               type=exc.code)])
