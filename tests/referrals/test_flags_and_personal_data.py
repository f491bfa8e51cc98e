"""The click-fraud scan (idempotent, run twice), staff decisions on a flag, and PDPA export and erasure."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from models.platform import Citizen
from models.referrals import ReferralClick, ReferralFlag, ReferralLink, ReferralTouch, Sharer
from scheduler import jobs_referrals
from services import citizens, privacy, referrals
from services.errors import DomainError
from tests.referrals.conftest import make_link, make_member, programme_products

SHARER, BUSY, BUYER, STAFF = "U" + "e" * 32, "U" + "f" * 32, "U" + "1" * 32, "U" + "2" * 32


def _add_clicks(rt, code: str, count: int, at, step: timedelta = timedelta(minutes=1)) -> None:
    with rt.db.transaction() as session:
        link = referrals.link_by_code(session, code)
        session.add_all([ReferralClick(link_id=link.id, visitor=f"{i:064x}", clicked_at=at - step * i)
                         for i in range(count)])


def _attributed_orders(rt, code: str, product_id: int, count: int, first_order_id: int) -> None:
    with rt.db.transaction() as session:
        for index in range(count):
            buyer = f"U{index:032d}"
            referrals.record_touch(session, buyer, code, product_id, rt.clock())
            referrals.attribute(session, buyer, product_id, rt.clock(), 7).order_id = first_order_id + index


def test_the_scan_flags_clicks_no_orders_explain_once_and_staff_decide(rt, clock):
    product_id, other = programme_products(rt, 2)
    make_member(rt, SHARER)
    make_member(rt, BUSY)
    suspicious = make_link(rt, SHARER, product_id)
    busy = make_link(rt, BUSY, product_id)
    _add_clicks(rt, suspicious, 350, clock())  # 350 clicks, no order
    _add_clicks(rt, busy, 600, clock())  # 600 clicks and 6 orders: 600 <= 100 * (6 + 1)
    _attributed_orders(rt, busy, product_id, 6, 1000)
    _add_clicks(rt, make_link(rt, SHARER, other), 100, clock() - timedelta(days=8))  # outside the window
    assert jobs_referrals.flag_click_fraud(rt, clock()) == 1
    assert jobs_referrals.flag_click_fraud(rt, clock()) == 0  # the second run adds nothing
    with rt.db.transaction() as session:
        (flag,) = referrals.open_flags(session)
        sharer_id = referrals.get_sharer(session, SHARER).id
        assert flag.sharer_id == sharer_id and flag.kind == "clicks" and flag.status == "open"
        assert flag.detail["clicks"] == 350 and flag.detail["orders"] == 0
        flag_id = flag.id
    with rt.db.transaction() as session:
        referrals.decide_flag(session, flag_id, STAFF, True, clock())
        with pytest.raises(DomainError):
            referrals.decide_flag(session, flag_id, STAFF, False, clock())
        with pytest.raises(DomainError):
            referrals.decide_flag(session, 999_999, STAFF, False, clock())
        links = session.scalars(select(ReferralLink).where(ReferralLink.sharer_id == sharer_id)).all()
        assert len(links) == 2 and all(link.disabled_at is not None and link.disabled_reason for link in links)
        assert referrals.open_flags(session) == []
        assert referrals.record_touch(session, BUYER, suspicious, product_id, clock()) is None
    # Clicks staff have judged are not flagged again; new ones after the decision are.
    assert jobs_referrals.flag_click_fraud(rt, clock()) == 0
    clock.advance(hours=1)
    with rt.db.transaction() as session:
        session.execute(ReferralLink.__table__.update().values(disabled_at=None))  # staff re-enable the links
    _add_clicks(rt, suspicious, 320, clock(), step=timedelta(seconds=5))
    assert jobs_referrals.flag_click_fraud(rt, clock()) == 1
    with rt.db.transaction() as session:
        (again,) = referrals.open_flags(session)
        assert again.detail["clicks"] == 320
        referrals.decide_flag(session, again.id, STAFF, False, clock())
        assert session.get(ReferralFlag, again.id).status == "dismissed"
        assert session.get(ReferralFlag, again.id).decided_by == STAFF
    assert jobs_referrals.flag_click_fraud(rt, clock()) == 0


def test_export_and_erase_keep_counts_but_not_the_person(rt, clock):
    (product_id,) = programme_products(rt, 1)
    make_member(rt, SHARER, promptpay="0891234567")
    code = make_link(rt, SHARER, product_id)
    _add_clicks(rt, code, 3, clock())
    with rt.db.transaction() as session:
        citizens.get_or_create(session, SHARER, clock())
        citizens.get_or_create(session, BUYER, clock())
        referrals.record_touch(session, BUYER, code, product_id, clock())
        referrals.attribute(session, BUYER, product_id, clock(), 7).order_id = 77
    with rt.db.transaction() as session:
        data = privacy.collect_personal_data(session, SHARER)["referrals"]
        assert data["share_earn"]["promptpay_id"] == "0891234567"
        assert data["share_earn"]["links"][0]["code"] == code and data["share_earn"]["links"][0]["clicks"] == 3
        bought = privacy.collect_personal_data(session, BUYER)["referrals"]
        assert bought["share_earn"] is None and bought["referral_touches"][0]["order_id"] == 77
    with rt.db.transaction() as session:
        privacy.erase_personal_data(session, SHARER, clock())
        privacy.erase_personal_data(session, BUYER, clock())
    with rt.db.transaction() as session:
        sharer = session.scalars(select(Sharer)).one()
        assert sharer.line_user_id is None and sharer.promptpay_id is None and sharer.erased_at is not None
        assert referrals.get_sharer(session, SHARER) is None
        touch = session.scalars(select(ReferralTouch)).one()
        assert touch.buyer_line_user_id is None and touch.order_id == 77
        assert referrals.click_counts(session, [touch.link_id]) == {touch.link_id: 3}
        assert referrals.order_counts(session, [touch.link_id]) == {touch.link_id: 1}
        assert session.scalars(select(ReferralLink)).one().disabled_at is not None
        assert not session.scalars(select(Citizen).where(Citizen.line_user_id.in_([SHARER, BUYER]))).all()
