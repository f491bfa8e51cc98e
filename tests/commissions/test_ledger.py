"""The commission ledger over a whole life: opened at acceptance, approved by the daily scan after the hold period,
paid when the shop records a payout, reversed on cancellation, clawed back from the next payout after a refund."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from models.market import Product
from models.orders import Commission, CommissionEntry, CommissionPayout, Order
from models.platform import Citizen
from scheduler.jobs_commissions import approve_due_commissions
from services import commissions, referrals
from services.errors import DomainError, PermissionDenied
from tests.commissions.conftest import (
    BUYER_ID,
    SHARER_ID,
    VENDOR_ID,
    approved_commission,
    make_order,
    make_programme,
    open_commission,
    receive,
)
from tests.conftest import ADMIN_ID


def _balances(rt, programme):
    with rt.db.transaction() as session:
        return commissions.balances(session, programme.sharer_id)


def _payable(rt, programme):
    with rt.db.transaction() as session:
        return commissions.payable(session, programme.vendor_id, programme.sharer_id)


def _pay(rt, programme, amount, actor=VENDOR_ID):
    with rt.db.transaction() as session:
        return commissions.record_payout(session, actor, programme.vendor_id, programme.sharer_id, amount,
                                         rt.clock(), "โอนแล้ว").id


def _status(rt, commission_id):
    with rt.db.transaction() as session:
        return session.get(Commission, commission_id).status


def _reverse(rt, order_id, reason="คืนเงิน"):
    with rt.db.transaction() as session:
        commissions.reverse_for_order(session, session.get(Order, order_id), rt.clock(), reason)


def test_full_life_pending_approved_paid_and_the_sharer_is_told(rt, chat, programme):
    sharer = chat("สมใจ", user_id=SHARER_ID)
    sharer.follow()
    order_id = make_order(rt, programme, quantity=3, unit_price=3333, fee=5000)
    commission_id, status, amount = open_commission(rt, order_id)
    # 10% of the goods (3 x 33.33 บาท = 99.99 บาท), not the delivery fee, rounded down to the satang.
    assert (status, amount) == ("pending", 999)
    assert "ไข่เค็มไชยา" in sharer.collect().text and "9.99 บาท" in sharer.last.text
    assert _balances(rt, programme) == {"pending": 999, "hold": 0, "approved": 0, "paid": 0, "reversed": 0}

    receive(rt, order_id, hold_days=7)
    rt.clock.advance(days=6, hours=23)
    with rt.db.transaction() as session:
        assert commissions.approve_due(session, rt.clock()) == 0  # the hold period is not over yet
    rt.clock.advance(hours=1)
    assert approve_due_commissions(rt, rt.clock()) == 1
    assert approve_due_commissions(rt, rt.clock()) == 0  # the second run finds nothing to do
    assert _status(rt, commission_id) == "approved"
    assert _balances(rt, programme)["approved"] == 999 and _balances(rt, programme)["pending"] == 0
    assert _payable(rt, programme) == 999

    payout_id = _pay(rt, programme, 999)
    assert _status(rt, commission_id) == "paid"
    assert _balances(rt, programme) == {"pending": 0, "hold": 0, "approved": 0, "paid": 999, "reversed": 0}
    assert "จ่ายค่าแนะนำ 9.99 บาท" in sharer.collect().text and "ร้านป้าแดง" in sharer.last.text
    with rt.db.transaction() as session:
        payout = session.get(CommissionPayout, payout_id)
        assert (payout.amount_satang, payout.recorded_by) == (999, VENDOR_ID)
        moves = session.execute(select(CommissionEntry.from_status, CommissionEntry.status, CommissionEntry.amount_satang)
                                .order_by(CommissionEntry.id)).all()
        assert moves == [(None, "pending", 999), ("pending", "approved", 999), ("approved", "paid", 999)]
    with pytest.raises(DomainError):  # nothing left to pay
        _pay(rt, programme, 999)


def test_refund_after_payout_comes_off_the_next_payout(rt, programme):
    first = make_order(rt, programme, quantity=10)  # 350 บาท: commission 35 บาท
    first_id = open_commission(rt, first)[0]
    receive(rt, first)
    rt.clock.advance(days=8)
    approve_due_commissions(rt, rt.clock())
    _pay(rt, programme, 3500)
    assert _status(rt, first_id) == "paid"

    _reverse(rt, first, "สินค้าเสียหาย")
    _reverse(rt, first, "สินค้าเสียหาย")  # twice: one clawback only
    assert _status(rt, first_id) == "reversed"
    assert _payable(rt, programme) == -3500
    with pytest.raises(DomainError):  # a negative balance is nothing to pay
        _pay(rt, programme, -3500)

    second = make_order(rt, programme, quantity=20)  # commission 70 บาท
    second_id = open_commission(rt, second)[0]
    receive(rt, second)
    rt.clock.advance(days=8)
    approve_due_commissions(rt, rt.clock())
    assert _payable(rt, programme) == 3500  # 70 บาท earned less the 35 บาท clawed back
    with pytest.raises(DomainError) as error:
        _pay(rt, programme, 7000)  # a stale screen's amount is refused
    assert "35 บาท" in error.value.message
    _pay(rt, programme, 3500)
    assert _status(rt, second_id) == "paid"
    assert _payable(rt, programme) == 0
    # Paid in total what was truly earned: 35 + 35 บาท for 70 บาท of commissions that stood.
    assert _balances(rt, programme)["paid"] == 7000
    with rt.db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(CommissionEntry)
                              .where(CommissionEntry.kind == "clawback")) == 2  # the clawback, and its payout


def test_cancel_before_receipt_reverses(rt, chat, programme):
    sharer = chat("สมใจ", user_id=SHARER_ID)
    sharer.follow()
    order_id = make_order(rt, programme)
    commission_id = open_commission(rt, order_id)[0]
    sharer.collect()
    _reverse(rt, order_id, "ผู้ซื้อยกเลิก")
    assert _status(rt, commission_id) == "reversed"
    assert "ยกเลิก" in sharer.collect().text
    assert _balances(rt, programme) == {"pending": 0, "hold": 0, "approved": 0, "paid": 0, "reversed": 700}
    rt.clock.advance(days=30)
    assert approve_due_commissions(rt, rt.clock()) == 0


def test_open_twice_gives_one_commission(rt, programme):
    order_id = make_order(rt, programme)
    assert open_commission(rt, order_id) == open_commission(rt, order_id)
    with rt.db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(CommissionEntry)) == 1


@pytest.mark.parametrize("buyer", [SHARER_ID, VENDOR_ID])
def test_no_commission_on_own_or_the_shops_purchase(rt, programme, buyer):
    assert open_commission(rt, make_order(rt, programme, buyer=buyer)) is None


def test_no_commission_without_referral_rate_or_active_sharer(rt):
    programme = make_programme(rt, rate=0)
    assert open_commission(rt, make_order(rt, programme)) is None
    assert open_commission(rt, make_order(rt, programme, referred=False), default_percent=10) is None
    with rt.db.transaction() as session:
        session.get(Product, programme.product_id).commission_percent = None
    # No rate of its own: the province's default applies.
    assert open_commission(rt, make_order(rt, programme), default_percent=5)[2] == 350
    with rt.db.transaction() as session:
        referrals.leave(session, SHARER_ID, rt.clock())
    assert open_commission(rt, make_order(rt, programme), default_percent=5) is None


def test_same_phone_as_sharer_is_held_for_staff(rt, programme):
    with rt.db.transaction() as session:
        session.add(Citizen(line_user_id=SHARER_ID, phone="0899999999"))
    held = open_commission(rt, make_order(rt, programme, phone="089-999-9999"))
    assert held[1] == "hold"
    with rt.db.transaction() as session:
        assert session.get(Commission, held[0]).hold_reason == "ผู้ซื้อใช้เบอร์โทรเดียวกับผู้แนะนำ"
    # The sharer's own earlier order (no commission) tells us their address.
    assert open_commission(rt, make_order(rt, programme, buyer=SHARER_ID, phone="0877777777",
                                                 address="7 ถ.มิตรภาพ ต.ในเมือง")) is None
    same_address = open_commission(rt, make_order(rt, programme, address="7  ถ.มิตรภาพ, ต.ในเมือง"))
    assert same_address[1] == "hold"
    assert open_commission(rt, make_order(rt, programme))[1] == "pending"
    assert _balances(rt, programme)["hold"] == 1400

    with pytest.raises(PermissionDenied), rt.db.transaction() as session:
        commissions.hold_decision(session, BUYER_ID, held[0], True, rt.clock())
    with rt.db.transaction() as session:
        commissions.hold_decision(session, ADMIN_ID, held[0], True, rt.clock(), (ADMIN_ID,))
        commissions.hold_decision(session, ADMIN_ID, same_address[0], False, rt.clock(), (ADMIN_ID,))
    assert (_status(rt, held[0]), _status(rt, same_address[0])) == ("pending", "reversed")
    with pytest.raises(DomainError), rt.db.transaction() as session:
        commissions.hold_decision(session, ADMIN_ID, held[0], False, rt.clock(), (ADMIN_ID,))
    assert _balances(rt, programme)["hold"] == 0


def test_only_the_shops_owner_or_staff_record_a_payout(rt, programme):
    order_id = make_order(rt, programme)
    open_commission(rt, order_id)
    receive(rt, order_id)
    rt.clock.advance(days=7, seconds=1)
    approve_due_commissions(rt, rt.clock())
    with pytest.raises(PermissionDenied):
        _pay(rt, programme, 700, actor=BUYER_ID)
    with pytest.raises(PermissionDenied):
        _pay(rt, programme, 700, actor=SHARER_ID)
    with rt.db.transaction() as session:
        payout = commissions.record_payout(session, ADMIN_ID, programme.vendor_id, programme.sharer_id, 700,
                                           rt.clock(), None, (ADMIN_ID,))
        assert payout.recorded_by == ADMIN_ID


def test_approve_due_is_set_based_and_idempotent(rt, chat, programme):
    shop = chat("ป้าแดง", user_id=VENDOR_ID)
    shop.follow()
    orders = [make_order(rt, programme) for _ in range(5)]
    for order_id in orders:
        open_commission(rt, order_id)
    for order_id in orders[:3]:
        receive(rt, order_id)
    rt.clock.advance(days=7)
    assert approve_due_commissions(rt, rt.clock()) == 3
    assert len(shop.collect().messages) == 1  # one notice for the shop, however many were approved
    assert approve_due_commissions(rt, rt.clock()) == 0
    assert not shop.collect()  # the second run tells nobody anything
    with rt.db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(CommissionEntry)
                              .where(CommissionEntry.status == "approved")) == 3
    assert _balances(rt, programme)["approved"] == 2100 and _balances(rt, programme)["pending"] == 1400
    rt.clock.advance(timedelta(days=1))


def test_same_address_with_thai_digits_and_other_spacing_is_held(rt, programme):
    open_commission(rt, make_order(rt, programme, buyer=SHARER_ID, phone="0877777777", address="๑๒/๓ ถนนศรีจันทร์"))
    assert open_commission(rt, make_order(rt, programme, phone="0866666666", address="12/3 ถนน ศรีจันทร์"))[1] == "hold"
    assert open_commission(rt, make_order(rt, programme, phone="0866666666", address="12/4 ถนนศรีจันทร์"))[1] == \
        "pending"


def test_a_sharers_copy_of_their_data_has_their_earnings_and_erasure_keeps_only_the_amounts(rt, chat, programme):
    from services import privacy

    chat("สมใจ", user_id=SHARER_ID).follow()
    chat("ป้าแดง", user_id=VENDOR_ID).follow()
    commission_id = approved_commission(rt, programme)
    _pay(rt, programme, _payable(rt, programme))
    with rt.db.transaction() as session:
        mine = privacy.collect_personal_data(session, SHARER_ID)["commissions"]
        assert [c["status"] for c in mine["commissions"]] == ["paid"] and mine["balances"]["paid"] > 0
        assert len(mine["payouts_received"]) == 1
        assert len(privacy.collect_personal_data(session, VENDOR_ID)["commissions"]["payouts_recorded"]) == 1
        privacy.erase_personal_data(session, VENDOR_ID, rt.clock())
    with rt.db.transaction() as session:
        assert session.scalar(select(func.count()).where(CommissionPayout.recorded_by == VENDOR_ID)) == 0
        assert session.scalar(select(func.count()).where(CommissionEntry.created_by == VENDOR_ID)) == 0
        assert session.get(Commission, commission_id).status == "paid"
        assert commissions.balances(session, programme.sharer_id)["paid"] > 0
