"""Orders and share-and-earn: the code in the order text is a touch, the order is attributed to it, the shop's
รับออเดอร์ opens the commission, a cancel reverses it, and a member ordering through their own link earns nothing."""

from __future__ import annotations

from models.market import Product
from models.orders import Commission, Order
from services import consent, order_links, referrals
from tests.dialog import dialog, tap
from tests.orders.conftest import BUYER_ADDRESS, order_row


def _member_link(rt, member, product_id):
    now = rt.clock()
    with rt.db.transaction() as session:
        session.get(Product, product_id).commission_percent = 10
        consent.grant(session, member.user_id, consent.SHARE_EARN, now)
        sharer = referrals.join(session, member.user_id, "0812345678", now)
        return referrals.link_for(session, sharer, session.get(Product, product_id), now).code


def _order_with_code(buyer, product_id, code):
    return dialog(buyer, [
        (order_links.order_text(product_id, "ผ้าไหม", code), "ยินยอมไหม"),
        (tap("ยินยอม"), "จำนวน"),
        ("2", "รับสินค้าแบบไหน"),
        (tap("ไปรษณีย์ไทย"), "ชื่อ-นามสกุล"),
        ("สมใจ ใจงาม", "เบอร์มือถือ"),
        ("0891234567", "ที่อยู่จัดส่ง"),
        (BUYER_ADDRESS, "สรุปคำสั่งซื้อ"),
        (tap("ยืนยันสั่งซื้อ"), "ส่งคำสั่งซื้อถึงร้าน"),
    ])


def _commission(rt, order_id):
    with rt.db.transaction() as session:
        row = session.query(Commission).filter_by(order_id=order_id).one_or_none()
        if row is not None:
            session.expunge(row)
        return row


def test_an_order_through_a_members_link_earns_a_commission_at_acceptance_and_loses_it_on_cancel(chat, rt, shop):
    member = chat("แชร์เก่ง")
    code = _member_link(rt, member, shop.product_id)
    buyer = chat("สมใจ")
    _order_with_code(buyer, shop.product_id, code)
    with rt.db.transaction() as session:
        assert session.query(Commission).count() == 0  # nothing opens before the shop accepts
        link_id = referrals.link_by_code(session, code).id
        order_id = session.query(Order).one().id
    assert order_row(rt, order_id).referral_link_id == link_id
    shop.seller.collect()
    shop.seller.taps("รับออเดอร์")
    commission = _commission(rt, order_id)
    assert commission is not None and commission.status == "pending" and commission.amount_satang == 24000
    shop.seller.says("คำสั่งซื้อของร้าน")
    shop.seller.taps("ยกเลิกคำสั่งซื้อ")
    shop.seller.taps("สินค้าหมด")
    assert order_row(rt, order_id).status == "cancelled"
    assert _commission(rt, order_id).status == "reversed"


def test_a_member_ordering_through_their_own_link_earns_nothing(chat, rt, shop):
    member = chat("แชร์เก่ง")
    code = _member_link(rt, member, shop.product_id)
    _order_with_code(member, shop.product_id, code)
    with rt.db.transaction() as session:
        order_id = session.query(Order).one().id
    shop.seller.collect()
    shop.seller.taps("รับออเดอร์")
    assert order_row(rt, order_id).status == "accepted"
    assert _commission(rt, order_id) is None


def test_an_unknown_code_still_orders_without_attribution(chat, rt, shop):
    buyer = chat("สมใจ")
    _order_with_code(buyer, shop.product_id, "ZZZZ9999")
    with rt.db.transaction() as session:
        order = session.query(Order).one()
        assert order.referral_link_id is None
