"""Sales test helpers: an approved shop with a product (built through the market services), and received orders.

`fixture_order` inserts an Order row directly. It is a FIXTURE ONLY, standing in for services/orders.py (the ORDERS
feature) so the sales ledger can be tested apart from the order flow: it sets the fields receipt leaves behind and
nothing else; no rule of ordering is checked or copied here.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import pytest

from models.orders import Order
from tests.market.conftest import approved_shop, posted_product


@pytest.fixture
def shop(chat, rt):
    """(vendor chat user, vendor id, product id): ร้านป้าศรีผ้าไหม, approved, with ผ้าไหมมัดหมี่ลายนาค at 1,200 บาท."""
    somsri = chat("ป้าศรี")
    somsri.follow()
    vendor = approved_shop(somsri, rt)
    product = posted_product(somsri, rt)
    return somsri, vendor.id, product.id


def fixture_order(rt: Any, vendor_id: int, product_id: int, *, quantity: int = 2, unit_price_satang: int = 120000,
                  delivery_fee_satang: int = 5000, received_at: datetime | None = None, status: str = "received",
                  refund_satang: int | None = None, refunded_at: datetime | None = None,
                  buyer: str = "U" + "b" * 32) -> int:
    """FIXTURE ONLY: an order row as if placed, paid, shipped and received (see the module docstring)."""
    now = received_at or rt.clock()
    with rt.db.transaction() as session:
        order = Order(request_key=uuid.uuid4().hex, buyer_line_user_id=buyer, vendor_id=vendor_id,
                      product_id=product_id, product_name="ผ้าไหมมัดหมี่ลายนาค", quantity=quantity,
                      unit_price_satang=unit_price_satang, delivery_option="thailand_post",
                      delivery_fee_satang=delivery_fee_satang,
                      total_satang=quantity * unit_price_satang + delivery_fee_satang, payment_method="promptpay",
                      buyer_name="สมชาย ซื้อดี", buyer_phone="0891234567", buyer_address="1 หมู่ 2 ต.ในเมือง",
                      buyer_district="mueang", status=status, placed_at=now, accepted_at=now, paid_at=now,
                      shipped_at=now, received_at=now, received_by="buyer", refund_satang=refund_satang,
                      refunded_at=refunded_at, updated_at=now)
        session.add(order)
        session.flush()
        return order.id


def fixture_referral(rt: Any, order_id: int, *, code: str = "AB12CD34", status: str = "pending",
                     amount_satang: int = 12000, sharer: str = "U" + "d" * 32) -> int:
    """FIXTURE ONLY: a sharer, their link to the order's product, the order attributed to it and its commission, as
    services/referrals.py and services/commissions.py would leave them. Returns the link id."""
    from models.orders import Commission
    from models.referrals import ReferralClick, ReferralLink, ReferralTouch, Sharer

    now = rt.clock()
    with rt.db.transaction() as session:
        order = session.get(Order, order_id)
        member = Sharer(line_user_id=sharer, promptpay_id="0812345678", joined_at=now)
        session.add(member)
        session.flush()
        link = ReferralLink(code=code, sharer_id=member.id, product_id=order.product_id, created_at=now)
        session.add(link)
        session.flush()
        session.add_all([ReferralClick(link_id=link.id, visitor=f"v{i}", clicked_at=now) for i in range(3)])
        order.referral_link_id = link.id
        session.add(ReferralTouch(link_id=link.id, buyer_line_user_id=order.buyer_line_user_id,
                                  product_id=order.product_id, touched_at=now, order_id=order.id))
        session.add(Commission(order_id=order.id, sharer_id=member.id, vendor_id=order.vendor_id, link_id=link.id,
                               rate_percent=10, amount_satang=amount_satang, status=status, created_at=now,
                               updated_at=now))
        session.flush()
        return link.id
