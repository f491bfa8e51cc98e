"""A vendor sets a product's share-and-earn rate ("ค่าแนะนำ (%)") from "สินค้าของฉัน"; bad answers are explained."""

from __future__ import annotations

import pytest

from handlers.market_vendor import EditProduct
from models.market import Product
from services import products
from services.errors import DomainError, NotFound
from tests.dialog import dialog, tap
from tests.market.conftest import approved_shop, latest_product, posted_product


@pytest.fixture
def seller(chat, rt):
    user = chat("ป้าศรี")
    user.follow()
    approved_shop(user, rt)
    return user


def test_vendor_sets_commission_rate_with_bad_answers_explained(seller, rt):
    posted_product(seller, rt)
    mine, asked, *_, saved = dialog(seller, [
        ("สินค้าของฉัน", ["ไม่ร่วมแชร์รับรายได้"]),
        (tap("ค่าแนะนำ (%)"), ["กี่ %", "ตอนนี้ 0%"]),
        ("31", "0 ถึง 30"),
        ("-1", "0 ถึง 30"),
        ("สิบเปอร์เซ็นต์", "0 ถึง 30"),
        ("12.5", "0 ถึง 30"),
        ("๑๒%", "เป็น 12% แล้ว"),
    ])
    assert "10%" in asked.labels()
    assert latest_product(rt, seller).commission_percent == 12
    assert "ค่าแนะนำผู้แชร์ 12%" in seller.says("สินค้าของฉัน").body
    seller.taps("ค่าแนะนำ (%)")
    assert "ไม่ร่วมแชร์รับรายได้แล้ว" in seller.taps("0%").body
    assert latest_product(rt, seller).commission_percent == 0


def test_cancel_leaves_the_rate_unchanged(seller, rt):
    posted_product(seller, rt)
    seller.says("สินค้าของฉัน")
    seller.taps("ค่าแนะนำ (%)")
    seller.says("ยกเลิก")
    assert latest_product(rt, seller).commission_percent is None


def test_forged_rate_edit_for_another_shops_product_does_nothing(seller, rt, chat):
    posted_product(seller, rt)
    product_id = latest_product(rt, seller).id
    stranger = chat("คนอื่น")
    reply = stranger.postback(EditProduct(product_id, "commission").pack())
    assert "ไม่พบสินค้านี้ในร้านของคุณ" in reply.body and "กี่ %" not in reply.body
    with rt.db.transaction() as session, pytest.raises(NotFound):
        products.set_commission_percent(session, stranger.user_id, product_id, 10, rt.clock())
    with rt.db.transaction() as session:
        assert session.get(Product, product_id).commission_percent is None


@pytest.mark.parametrize("typed", ["31", "-1", "ten", "", "1.5"])
def test_parse_commission_percent_refuses(typed):
    with pytest.raises(DomainError):
        products.parse_commission_percent(typed)


@pytest.mark.parametrize(("typed", "rate"), [("0", 0), ("30", 30), ("๑๕", 15), (" 7 % ", 7), ("5 เปอร์เซ็นต์", 5)])
def test_parse_commission_percent_accepts(typed, rate):
    assert products.parse_commission_percent(typed) == rate
