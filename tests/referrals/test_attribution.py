"""Attribution: the buyer's last unused touch for the product within REFERRAL_WINDOW_DAYS, from an earning link."""

from __future__ import annotations

import re
from datetime import timedelta

from models.market import Product
from services import consent, referrals
from tests.referrals.conftest import make_link, make_member, programme_products

SHARER, OTHER_SHARER, BUYER = "U" + "a" * 32, "U" + "b" * 32, "U" + "c" * 32
WINDOW = 7


def test_codes_are_eight_unambiguous_characters_and_one_link_per_sharer_and_product(rt):
    first, second = programme_products(rt, 2)
    make_member(rt, SHARER)
    code = make_link(rt, SHARER, first)
    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{8}", code)
    assert make_link(rt, SHARER, first) == code
    assert make_link(rt, SHARER, second) != code
    codes = {referrals.new_code() for _ in range(2000)}
    assert len(codes) > 1990 and not set("".join(codes)) & set("01OI")


def test_the_latest_touch_within_the_window_wins(rt, clock):
    (product_id,) = programme_products(rt, 1)
    make_member(rt, SHARER)
    make_member(rt, OTHER_SHARER)
    early, late = make_link(rt, SHARER, product_id), make_link(rt, OTHER_SHARER, product_id)
    with rt.db.transaction() as session:
        referrals.record_touch(session, BUYER, early, product_id, clock())
    clock.advance(days=1)
    with rt.db.transaction() as session:
        latest = referrals.record_touch(session, BUYER, late.lower(), product_id, clock())
        assert latest is not None
    clock.advance(days=WINDOW, hours=-1)
    with rt.db.transaction() as session:
        touch = referrals.attribute(session, BUYER, product_id, clock(), WINDOW)
        assert touch.id == latest.id
    clock.advance(hours=2)  # past the window of the latest touch too
    with rt.db.transaction() as session:
        assert referrals.attribute(session, BUYER, product_id, clock(), WINDOW) is None


def test_a_touch_used_by_an_order_is_not_used_again(rt, clock):
    (product_id,) = programme_products(rt, 1)
    make_member(rt, SHARER)
    code = make_link(rt, SHARER, product_id)
    with rt.db.transaction() as session:
        referrals.record_touch(session, BUYER, code, product_id, clock())
        touch = referrals.attribute(session, BUYER, product_id, clock(), WINDOW)
        touch.order_id = 4242  # the first order takes it
    with rt.db.transaction() as session:
        assert referrals.attribute(session, BUYER, product_id, clock(), WINDOW) is None
        assert referrals.order_counts(session, [touch.link_id]) == {touch.link_id: 1}


def test_codes_that_do_not_earn_give_nothing(rt, clock):
    product_id, other_product = programme_products(rt, 2)
    make_member(rt, SHARER)
    code, other_code = make_link(rt, SHARER, product_id), make_link(rt, SHARER, other_product)
    with rt.db.transaction() as session:
        assert referrals.record_touch(session, BUYER, other_code, product_id, clock()) is None  # another product's
        assert referrals.record_touch(session, BUYER, "ZZZZZZZZ", product_id, clock()) is None  # unknown
        assert referrals.record_touch(session, BUYER, "not a code!", product_id, clock()) is None
        assert referrals.record_touch(session, BUYER, None, product_id, clock()) is None
        assert referrals.attribute(session, BUYER, product_id, clock(), WINDOW) is None
        referrals.record_touch(session, BUYER, code, product_id, clock())
        referrals.disable_link(session, referrals.link_by_code(session, code), "ทดสอบ", clock())
        assert referrals.record_touch(session, BUYER, code, product_id, clock()) is None  # disabled
        assert referrals.attribute(session, BUYER, product_id, clock(), WINDOW) is None  # the earlier touch too


def test_a_sharer_who_left_or_withdrew_the_opt_in_earns_nothing(rt, clock):
    (product_id,) = programme_products(rt, 1)
    make_member(rt, SHARER)
    code = make_link(rt, SHARER, product_id)
    with rt.db.transaction() as session:
        assert referrals.record_touch(session, BUYER, code, product_id, clock()) is not None
        consent.withdraw(session, SHARER, consent.SHARE_EARN, clock())  # from "ข้อมูลของฉัน"
        assert referrals.get_sharer(session, SHARER) is None
        assert referrals.attribute(session, BUYER, product_id, clock(), WINDOW) is None
        assert referrals.record_touch(session, BUYER, code, product_id, clock()) is None
    make_member(rt, SHARER)  # rejoining: the same link earns again
    with rt.db.transaction() as session:
        assert referrals.attribute(session, BUYER, product_id, clock(), WINDOW) is not None
        assert referrals.leave(session, SHARER, clock()) is True
        assert referrals.get_sharer(session, SHARER) is None
        assert referrals.attribute(session, BUYER, product_id, clock(), WINDOW) is None
        assert session.get(Product, product_id) is not None


def test_a_touch_from_the_future_or_long_ago_is_ignored(rt, clock):
    (product_id,) = programme_products(rt, 1)
    make_member(rt, SHARER)
    code = make_link(rt, SHARER, product_id)
    with rt.db.transaction() as session:
        referrals.record_touch(session, BUYER, code, product_id, clock())
        assert referrals.attribute(session, BUYER, product_id, clock() - timedelta(minutes=1), WINDOW) is None
        assert referrals.attribute(session, BUYER, product_id, clock() + timedelta(days=WINDOW, seconds=1),
                                   WINDOW) is None
        assert referrals.attribute(session, BUYER, product_id, clock() + timedelta(days=WINDOW), WINDOW) is not None
