"""REST API of orders (read).

What an order says about its buyer stops at their district: name, phone, address and LINE id are personal data
(PDPA) and never leave through the API; nor do slip photos or tracking numbers (a parcel's number leads to its
address label)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from bot.runtime import runtime
from models.orders import ORDER_STATUSES, PAYMENT_METHODS, Order
from services import order_reports
from services.errors import NotFound
from texts import orders as orders_texts
from texts import sales as sales_texts
from texts.districts import DISTRICTS
from web.api_sales import MONTH_PATTERN
from web.openapi import ApiModel, ApiRouter, ListQuery, UtcDateTime, page_of
from web.pagination import keyset_page

router = ApiRouter("orders", "คำสั่งซื้อสินค้าในตลาดชุมชน")

OrderStatus = Literal[ORDER_STATUSES]  # type: ignore[valid-type]
PaymentMethod = Literal[PAYMENT_METHODS]  # type: ignore[valid-type]
DistrictKey = Literal[tuple(DISTRICTS)]  # type: ignore[valid-type]


class OrderOut(ApiModel):
    """One order of one product from one shop, with its timeline (UTC), referral and commission."""

    id: int
    status: OrderStatus  # type: ignore[valid-type]
    status_name: str
    vendor_id: int
    shop_name: str
    district: str = Field(description="The shop's district.")
    product_id: int
    product_name: str = Field(description="As ordered.")
    quantity: int
    unit_price_satang: int
    delivery_option: str = Field(description="e.g. `thailand_post`, `pickup`.")
    delivery_fee_satang: int
    total_satang: int = Field(description="Goods plus delivery fee, in satang.")
    payment_method: PaymentMethod  # type: ignore[valid-type]
    buyer_district: str | None = Field(description="The buyer's district if known (no other buyer data is given).")
    carrier: str | None
    refund_satang: int | None
    referral_code: str | None = Field(description="The referral link the order was attributed to, if any.")
    commission_id: int | None
    commission_status: Literal["pending", "hold", "approved", "paid", "reversed"] | None
    commission_satang: int | None
    placed_at: UtcDateTime
    accepted_at: UtcDateTime | None
    paid_at: UtcDateTime | None
    shipped_at: UtcDateTime | None
    received_at: UtcDateTime | None
    received_by: Literal["buyer", "auto"] | None
    cancelled_at: UtcDateTime | None
    cancelled_by: Literal["buyer", "vendor"] | None
    rejected_at: UtcDateTime | None
    refunded_at: UtcDateTime | None


class OrderQuery(ListQuery):
    vendor_id: int | None = Field(None, ge=1, description="Only this shop's orders.")
    product_id: int | None = Field(None, ge=1, description="Only orders of this product.")
    district: DistrictKey | None = Field(None, description="Only orders of shops in this district.")  # type: ignore
    month: str | None = Field(None, pattern=MONTH_PATTERN, description="Placed in this month (Khon Kaen), `YYYY-MM`.")
    status: OrderStatus | None = Field(None, description="Only orders in this status.")  # type: ignore[valid-type]


def _out(order: Order, shops: dict, links: dict[int, order_reports.OrderLinks]) -> OrderOut:
    shop, link = shops.get(order.vendor_id), links[order.id]
    return OrderOut(
        id=order.id, status=order.status, status_name=orders_texts.STATUS.get(order.status, order.status),
        vendor_id=order.vendor_id, shop_name=shop.shop_name if shop else "", district=shop.district if shop else "",
        product_id=order.product_id, product_name=order.product_name, quantity=order.quantity,
        unit_price_satang=order.unit_price_satang, delivery_option=order.delivery_option,
        delivery_fee_satang=order.delivery_fee_satang, total_satang=order.total_satang,
        payment_method=order.payment_method, buyer_district=order.buyer_district, carrier=order.carrier,
        refund_satang=order.refund_satang, referral_code=link.code, commission_id=link.commission_id,
        commission_status=link.commission_status, commission_satang=link.commission_satang,
        placed_at=order.placed_at, accepted_at=order.accepted_at, paid_at=order.paid_at, shipped_at=order.shipped_at,
        received_at=order.received_at, received_by=order.received_by, cancelled_at=order.cancelled_at,
        cancelled_by=order.cancelled_by, rejected_at=order.rejected_at, refunded_at=order.refunded_at)


def _page(session: Any, rows: list[Order]) -> list[OrderOut]:
    links = order_reports.referral_details(session, rows)
    shops = order_reports.shops(session, {o.vendor_id for o in rows})
    return [_out(o, shops, links) for o in rows]


@router.get("/orders", summary="List orders", query=OrderQuery, response=page_of(OrderOut))
def list_orders(query: OrderQuery) -> Any:
    """Orders in id order (keyset pagination), filtered by shop, product, the shop's district, month and status."""
    filters = order_reports.OrderFilter(status=query.status, vendor_id=query.vendor_id, product_id=query.product_id,
                                        district=query.district, month=query.month)
    with runtime().db.transaction() as session:
        rows, next_cursor = keyset_page(session, order_reports.orders_query(filters), Order.id, limit=query.limit,
                                        cursor=query.cursor)
        return page_of(OrderOut)(data=_page(session, rows), next_cursor=next_cursor)


@router.get("/orders/<int:order_id>", summary="Get one order", response=OrderOut)
def get_order(order_id: int) -> Any:
    with runtime().db.transaction() as session:
        order = session.get(Order, order_id)
        if order is None:
            raise NotFound(sales_texts.API_ORDER_NOT_FOUND)
        return _page(session, [order])[0]
