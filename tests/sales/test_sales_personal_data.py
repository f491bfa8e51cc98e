"""PDPA: the sales a vendor recorded are in their "ข้อมูลของฉัน" export; erasure forgets who recorded them and keeps
the figures (reports still count them, per shop, district and month)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from models.orders import Order
from models.sales import Sale
from services import privacy, sales
from tests.sales.conftest import fixture_order


def test_recorded_sales_are_exported_and_erasure_keeps_the_figures(rt, shop, clock):
    somsri, vendor_id, product_id = shop
    order_id = fixture_order(rt, vendor_id, product_id, quantity=1)
    with rt.db.transaction() as session:
        sales.record_vendor_sale(session, somsri.user_id, product=product_id, quantity=2, amount_satang=240000,
                                 channel="market", sold_on=date(2026, 11, 20), now=clock())
        sales.record_order_sale(session, session.get(Order, order_id), clock())
        data = privacy.collect_personal_data(session, somsri.user_id)
    assert [(s["product_name"], s["amount_satang"], s["channel"], s["sold_on"]) for s in
            data["sales"]["sales_recorded"]] == [("ผ้าไหมมัดหมี่ลายนาค", 240000, "market", "2026-11-20")]
    with rt.db.transaction() as session:
        privacy.erase_personal_data(session, somsri.user_id, clock())
    with rt.db.transaction() as session:
        assert "sales" not in privacy.collect_personal_data(session, somsri.user_id)
        rows = [(s.channel, s.amount_satang, s.recorded_by, s.vendor_id, s.district)
                for s in session.scalars(select(Sale).order_by(Sale.id))]
        assert rows == [("market", 240000, None, vendor_id, "chonnabot"), ("online", 120000, None, vendor_id,
                                                                            "chonnabot")]
        totals = sales.vendor_month_totals(session, vendor_id, date(2026, 11, 1))
        assert (totals.online_satang, totals.traditional_satang) == (120000, 240000)
