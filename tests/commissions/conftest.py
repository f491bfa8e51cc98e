"""Commission test helpers: a shop with a product in the programme, a sharer with a link, and orders.

Orders are built as rows here (FIXTURE ONLY: `make_order` stands in for services/orders.py's flow, which is the
ORDERS helper's and has its own dialog tests); the commission functions under test are the real ones.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest

from models.market import Product
from models.orders import Order
from services import commissions, consent, referrals
from tests.market.conftest import seed_listed

VENDOR_ID = "U" + "e" * 32
SHARER_ID = "U" + "5" * 32
BUYER_ID = "U" + "d" * 32
_keys = itertools.count(1)


@dataclass
class Programme:
    vendor_id: int
    product_id: int
    sharer_id: int
    link_id: int


def make_programme(rt: Any, *, rate: int | None = 10, sharer: str = SHARER_ID, vendor: str = VENDOR_ID,
                   promptpay: str = "0891234567") -> Programme:
    """A shop's listed product (price 35 บาท) with the commission rate set, and a sharer's link to it."""
    product_id = seed_listed(rt, 1, name="ไข่เค็มไชยา", shop="ร้านป้าแดง", line_user_id=vendor)[0]
    now = rt.clock()
    with rt.db.transaction() as session:
        product = session.get(Product, product_id)
        product.commission_percent = rate
        product.stock = 100
        consent.grant(session, sharer, consent.SHARE_EARN, now)
        member = referrals.join(session, sharer, promptpay, now)
        link = referrals.link_for(session, member, product, now)
        return Programme(product.vendor_id, product_id, member.id, link.id)


def make_order(rt: Any, programme: Programme, *, buyer: str = BUYER_ID, quantity: int = 2,
               unit_price: int = 3500, fee: int = 5000, phone: str = "0811111111",
               address: str = "12 หมู่ 4 ต.ในเมือง", referred: bool = True, status: str = "accepted",
               now: datetime | None = None) -> int:
    """An order row as the ORDERS flow leaves it at acceptance (fixture only, see the module docstring)."""
    now = now or rt.clock()
    with rt.db.transaction() as session:
        order = Order(
            request_key=f"test-{next(_keys)}-{now.timestamp()}", buyer_line_user_id=buyer,
            vendor_id=programme.vendor_id, product_id=programme.product_id, product_name="ไข่เค็มไชยา",
            quantity=quantity, unit_price_satang=unit_price, delivery_option="thailand_post",
            delivery_fee_satang=fee, total_satang=quantity * unit_price + fee, payment_method="promptpay",
            buyer_name="สมหญิง ใจงาม", buyer_phone=phone, buyer_address=address, buyer_district="mueang",
            status=status, referral_link_id=programme.link_id if referred else None, placed_at=now,
            accepted_at=now, updated_at=now)
        session.add(order)
        session.flush()
        return order.id


def open_commission(rt: Any, order_id: int, default_percent: int = 0):
    """Calls commissions.open_for_order as ORDERS does at acceptance; returns (id, status, amount) or None."""
    with rt.db.transaction() as session:
        commission = commissions.open_for_order(session, session.get(Order, order_id), rt.clock(), default_percent)
        return None if commission is None else (commission.id, commission.status, commission.amount_satang)


def receive(rt: Any, order_id: int, hold_days: int = 7) -> None:
    """The buyer received the goods (what ORDERS does at receipt, as far as commissions go)."""
    with rt.db.transaction() as session:
        order = session.get(Order, order_id)
        order.status, order.received_at = "received", rt.clock()
        commissions.order_received(session, order, rt.clock(), hold_days)


@pytest.fixture
def programme(rt) -> Programme:
    return make_programme(rt)


def approved_commission(rt: Any, programme: Programme, *, quantity: int = 2, buyer: str = BUYER_ID,
                        phone: str = "0811111111") -> int:
    """An order opened, received and past its hold period, approved by the daily scan; returns the commission id."""
    order_id = make_order(rt, programme, quantity=quantity, buyer=buyer, phone=phone)
    commission = open_commission(rt, order_id)
    receive(rt, order_id, hold_days=rt.settings.COMMISSION_HOLD_DAYS)
    rt.clock.advance(days=rt.settings.COMMISSION_HOLD_DAYS, seconds=1)
    with rt.db.transaction() as session:
        commissions.approve_due(session, rt.clock())
    return commission[0]
