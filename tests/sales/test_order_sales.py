"""Online orders in the sales ledger: the goods' value on the day of receipt, once; a refund as a negative row, once."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from models.orders import Order
from models.sales import Sale
from services import sales
from tests.sales.conftest import fixture_order


def _sales(rt, order_id):
    with rt.db.transaction() as session:
        return [(s.source, s.channel, s.quantity, s.amount_satang, s.sold_on, s.district)
                for s in session.scalars(select(Sale).where(Sale.order_id == order_id).order_by(Sale.id))]


def test_received_order_is_one_online_sale_of_its_goods_on_the_bangkok_day(rt, shop):
    _, vendor_id, product_id = shop
    # 18:30 UTC on 30 Nov is 01:30 on 1 Dec in Khon Kaen: the sale belongs to December.
    received = datetime(2026, 11, 30, 18, 30, tzinfo=UTC)
    order_id = fixture_order(rt, vendor_id, product_id, quantity=2, received_at=received)
    for _ in range(2):  # called twice (a retried receipt): still one row
        with rt.db.transaction() as session:
            sale = sales.record_order_sale(session, session.get(Order, order_id), received)
            assert sale.amount_satang == 240000
    assert _sales(rt, order_id) == [("order", "online", 2, 240000, date(2026, 12, 1), "chonnabot")]


def test_refund_is_one_negative_online_row_and_never_more_than_the_goods(rt, shop, clock):
    _, vendor_id, product_id = shop
    full = fixture_order(rt, vendor_id, product_id, quantity=2, refund_satang=245000,  # goods + delivery fee
                         refunded_at=clock(), status="refunded")
    part = fixture_order(rt, vendor_id, product_id, quantity=2, refund_satang=50000, refunded_at=clock(),
                         status="refunded")
    for _ in range(2):
        with rt.db.transaction() as session:
            sales.record_order_refund(session, session.get(Order, full), clock())
            sales.record_order_refund(session, session.get(Order, part), clock())
    today = date(2026, 11, 23)
    assert _sales(rt, full) == [("order", "online", 2, 240000, today, "chonnabot"),
                                ("refund", "online", -2, -240000, today, "chonnabot")]
    assert _sales(rt, part) == [("order", "online", 2, 240000, today, "chonnabot"),
                                ("refund", "online", 0, -50000, today, "chonnabot")]
    with rt.db.transaction() as session:
        totals = sales.vendor_month_totals(session, vendor_id, today)
    assert (totals.online_satang, totals.traditional_satang) == (240000 - 50000, 0)
