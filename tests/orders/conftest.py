"""Order test helpers: a certified product of an approved shop, and orders placed or moved through the services (the
whole chat is walked once, in test_order_dialog.py; other tests start from where their subject begins)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import pytest

from handlers.orders import pack
from models.market import Product, Vendor
from models.orders import Order
from services import consent, orders
from tests.dialog import ChatUser
from tests.market.conftest import approved_shop, certify, jpeg, posted_product  # noqa: F401 - jpeg for the tests

BUYER_ADDRESS = "12 หมู่ 4 ต.ในเมือง อ.เมือง จ.ขอนแก่น 40000"


@dataclass
class Shop:
    seller: ChatUser
    vendor_id: int
    product_id: int


def make_shop(chat: Any, rt: Any, *, name: str = "ป้าศรี", shop: str = "ร้านป้าศรีผ้าไหม", promptpay: bool = True,
              stock: str = "5", fees: dict[str, int] | None = None, options: list[str] | None = None) -> Shop:
    """An approved shop (Thailand Post and pickup) with one certified product at 1,200 baht."""
    seller = chat(name)
    seller.follow()
    vendor = approved_shop(seller, rt, shop)
    product = posted_product(seller, rt, stock=stock)
    certify(rt, product.id)
    with rt.db.transaction() as session:
        row = session.get(Vendor, vendor.id)
        if not promptpay:
            row.promptpay_id = None
        if fees is not None:
            row.delivery_fees = dict(fees)
        if options is not None:
            row.delivery_options = list(options)
    rt.process_pending()
    seller.collect()
    return Shop(seller, vendor.id, product.id)


@pytest.fixture
def shop(chat, rt) -> Shop:
    return make_shop(chat, rt)


@pytest.fixture
def cod_shop(chat, rt) -> Shop:
    return make_shop(chat, rt, name="ลุงมา", shop="ร้านลุงมาของฝาก", promptpay=False)


def place(rt: Any, buyer: ChatUser, product_id: int, *, quantity: int = 1, option: str = "thailand_post",
          key: str | None = None) -> int:
    """An order placed as after the chat (the shop gets its notice); returns the order id."""
    now = rt.clock()
    with rt.db.transaction() as session:
        consent.grant(session, buyer.user_id, consent.MARKET_BUYER, now)
        draft = orders.Draft(key=key or uuid.uuid4().hex, product_id=product_id, quantity=quantity,
                             delivery_option=option, name="สมใจ ใจงาม", phone="0891234567",
                             address=None if option == "pickup" else BUYER_ADDRESS)
        order_id = orders.place(session, buyer.user_id, draft, now, window_days=rt.settings.REFERRAL_WINDOW_DAYS,
                                pack=pack).order.id
    rt.process_pending()
    return order_id


def accept(rt: Any, shop: Shop, order_id: int) -> None:
    with rt.db.transaction() as session:
        orders.accept(session, order_id, shop.seller.user_id, rt.clock(), default_percent=0,
                      base_url=rt.settings.public_base_url, secret="test-secret-key", pack=pack)
    rt.process_pending()


def order_row(rt: Any, order_id: int) -> Order:
    with rt.db.transaction() as session:
        order = session.get(Order, order_id)
        session.expunge(order)
        return order


def stock(rt: Any, product_id: int) -> int:
    with rt.db.transaction() as session:
        return session.get(Product, product_id).stock


def order_count(rt: Any) -> int:
    with rt.db.transaction() as session:
        return session.query(Order).count()
