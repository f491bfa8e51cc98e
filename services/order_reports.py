"""Read-only views of orders for staff and the REST API: filters, each order's timeline, its referral and commission.

Order rules live in services/orders.py; this module only reads. What it hands out carries no personal data of buyers
(name, phone, address, LINE id): staff and other systems see the buyer's district and the figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from models.market import Vendor
from models.orders import ORDER_STATUSES, Commission, Order
from models.referrals import ReferralLink
from services.sales import month_range
from texts.dates import DEFAULT_TZ

TIMELINE_FIELDS = ("placed_at", "accepted_at", "slip_at", "paid_at", "shipped_at", "received_at", "rejected_at",
                   "cancelled_at", "refunded_at")


@dataclass(frozen=True)
class OrderFilter:
    """Which orders to read. `district` is the shop's; `month` (YYYY-MM) the month the order was placed in Khon Kaen."""

    status: str | None = None
    vendor_id: int | None = None
    product_id: int | None = None
    district: str | None = None
    month: str | None = None


def start_of_day(day, tz: str = DEFAULT_TZ) -> datetime:
    """Midnight of a Khon Kaen day as a UTC moment."""
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(tz)).astimezone(UTC)


def orders_query(filters: OrderFilter) -> Select:
    """The orders matching the filters (a select of Order rows; the caller orders and pages it)."""
    stmt = select(Order)
    if filters.status:
        stmt = stmt.where(Order.status == filters.status)
    if filters.vendor_id:
        stmt = stmt.where(Order.vendor_id == filters.vendor_id)
    if filters.product_id:
        stmt = stmt.where(Order.product_id == filters.product_id)
    if filters.district:
        stmt = stmt.where(Order.vendor_id.in_(select(Vendor.id).where(Vendor.district == filters.district)))
    if filters.month:
        first, after = month_range(filters.month)
        stmt = stmt.where(Order.placed_at >= start_of_day(first), Order.placed_at < start_of_day(after))
    return stmt


def valid_status(value: str | None) -> str | None:
    return value if value in ORDER_STATUSES else None


def list_orders(session: Session, filters: OrderFilter, limit: int = 5_000) -> list[Order]:
    """Newest first, at most `limit`."""
    return list(session.scalars(orders_query(filters).order_by(Order.id.desc()).limit(limit)))


def timeline(order: Order) -> list[tuple[str, datetime]]:
    """The order's status changes that happened, in time order: [(field name, when)]."""
    events = [(name, getattr(order, name)) for name in TIMELINE_FIELDS if getattr(order, name) is not None]
    return sorted(events, key=lambda e: e[1])


@dataclass(frozen=True)
class OrderLinks:
    """The referral code an order came through and its commission, if any."""

    code: str | None
    commission_status: str | None
    commission_satang: int | None
    commission_id: int | None


def referral_details(session: Session, orders: list[Order]) -> dict[int, OrderLinks]:
    """For each order: its referral code and commission (one query each, for a whole page of orders)."""
    link_ids = {o.referral_link_id for o in orders if o.referral_link_id}
    codes = dict(session.execute(select(ReferralLink.id, ReferralLink.code)
                              .where(ReferralLink.id.in_(link_ids))).all()) \
        if link_ids else {}
    ids = [o.id for o in orders]
    commissions = {c.order_id: c for c in session.scalars(select(Commission).where(Commission.order_id.in_(ids)))} \
        if ids else {}
    out = {}
    for order in orders:
        commission = commissions.get(order.id)
        out[order.id] = OrderLinks(codes.get(order.referral_link_id), commission.status if commission else None,
                                   commission.amount_satang if commission else None,
                                   commission.id if commission else None)
    return out


def shops(session: Session, vendor_ids: set[int]) -> dict[int, Vendor]:
    if not vendor_ids:
        return {}
    return {v.id: v for v in session.scalars(select(Vendor).where(Vendor.id.in_(vendor_ids)))}
