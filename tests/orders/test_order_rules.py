"""Order rules in chat: one order per draft, stock returned on cancel, forged buttons, refunds, COD, fees, limits."""

from __future__ import annotations

import pytest

from bot.conversation import current_flow
from handlers.orders import ConfirmCancelOrder, KeepOrder, pack
from models.market import Product
from models.sales import Sale
from scheduler.jobs_orders import auto_receive
from services import citizens, limits, order_links, orders
from services.errors import PermissionDenied
from tests.dialog import dialog, tap
from tests.orders.conftest import BUYER_ADDRESS, accept, make_shop, order_count, order_row, place, stock


def _walk_to_summary(buyer, product_id, *, consent=True):
    buyer.says(order_links.order_text(product_id, "ผ้าไหม"))
    if consent:
        buyer.taps("ยินยอม")
    buyer.says("1")
    buyer.taps("ไปรษณีย์ไทย")
    buyer.says("สมใจ ใจงาม")
    buyer.says("0891234567")
    return buyer.says(BUYER_ADDRESS)


def test_the_same_confirm_twice_and_the_same_text_again_make_one_order(chat, rt, shop):
    somjai = chat("สมใจ")
    text = order_links.order_text(shop.product_id, "ผ้าไหม")
    somjai.says(text)
    somjai.taps("ยินยอม")
    somjai.says("2")
    again = somjai.says(text)  # the page's link tapped again mid-way: the order starts over, nothing is placed
    assert "จำนวน" in again.body and order_count(rt) == 0
    somjai.says("1")
    somjai.taps("ไปรษณีย์ไทย")
    somjai.says("สมใจ ใจงาม")
    somjai.says("0891234567")
    summary = somjai.says(BUYER_ADDRESS)
    confirm = summary.action("ยืนยันสั่งซื้อ")
    first = somjai.performs(confirm)
    second = somjai.performs(confirm)
    assert "ส่งคำสั่งซื้อถึงร้าน" in first.body
    assert "ส่งถึงร้านแล้ว" in second.body and "รอร้านยืนยัน" in second.body
    assert order_count(rt) == 1
    third = somjai.says(text)
    assert "คุณสั่ง “ผ้าไหมมัดหมี่ลายนาค” ไว้แล้ว" in third.body and order_count(rt) == 1
    with rt.db.transaction() as session:
        assert current_flow(session, somjai.user_id) is None
    assert "จำนวน" in somjai.taps("สั่งอีกรายการ").body  # a second order of the same thing, asked for on purpose
    notices = shop.seller.collect()
    assert notices.body.count("คำสั่งซื้อใหม่ เลขที่") == 1


def test_an_old_summary_confirmed_after_cancelling_places_nothing(chat, rt, shop):
    buyer = chat("บุญมี")
    summary = _walk_to_summary(buyer, shop.product_id)
    dialog(buyer, [("ยกเลิก", "ยกเลิกเรียบร้อยแล้ว")])
    late = buyer.performs(summary.action("ยืนยันสั่งซื้อ"))
    assert "จบไปแล้ว" in late.body and order_count(rt) == 0


NEW_BUYER_STEPS = [
    ("text", "ยินยอมไหม"),
    (tap("ยินยอม"), "จำนวน"),
    ("1", "รับสินค้าแบบไหน"),
    (tap("ไปรษณีย์ไทย"), "ชื่อ-นามสกุล"),
    ("สมใจ ใจงาม", "เบอร์มือถือ"),
    ("0891234567", "ที่อยู่จัดส่ง"),
    (BUYER_ADDRESS, "สรุปคำสั่งซื้อ"),
]


@pytest.mark.parametrize("at", range(1, len(NEW_BUYER_STEPS) + 1))
def test_cancel_at_each_step_of_a_new_buyers_order(chat, rt, shop, at):
    buyer = chat("สมใจ")
    steps = [(order_links.order_text(shop.product_id, "ผ้าไหม") if s == "text" else s, e)
             for s, e in NEW_BUYER_STEPS[:at]]
    dialog(buyer, [*steps, ("ยกเลิก", "ยกเลิกเรียบร้อยแล้ว")])
    with rt.db.transaction() as session:
        assert current_flow(session, buyer.user_id) is None
    assert order_count(rt) == 0


@pytest.mark.parametrize("at", range(1, 6))
def test_cancel_at_each_step_of_a_known_buyers_order(chat, rt, shop, at):
    buyer = chat("สมใจ")
    earlier = place(rt, buyer, shop.product_id)
    with rt.db.transaction() as session:
        orders.cancel_by_buyer(session, earlier, buyer.user_id, rt.clock())
    steps = [
        (order_links.order_text(shop.product_id, "ผ้าไหม"), "จำนวน"),
        ("1", "รับสินค้าแบบไหน"),
        (tap("ไปรษณีย์ไทย"), "ใช้ชื่อและเบอร์นี้ไหม"),
        (tap("ใช่"), "ส่งที่อยู่เดิมนี้ไหม"),
        (tap("ใช่"), "สรุปคำสั่งซื้อ"),
    ]
    dialog(buyer, [*steps[:at], ("ยกเลิก", "ยกเลิกเรียบร้อยแล้ว")])
    assert order_count(rt) == 1


def test_products_that_cannot_be_ordered_get_a_polite_answer(chat, rt, shop):
    buyer = chat("บุญมี")
    dialog(buyer, [
        (order_links.order_text(999_999, "ไม่มีจริง"), "สั่งซื้อไม่ได้แล้ว"),
    ])
    assert "ตลาดชุมชน" in buyer.last.labels()
    with rt.db.transaction() as session:
        session.get(Product, shop.product_id).hidden = True
    dialog(buyer, [(order_links.order_text(shop.product_id, "ผ้าไหม"), "สั่งซื้อไม่ได้แล้ว")])
    with rt.db.transaction() as session:
        product = session.get(Product, shop.product_id)
        product.hidden, product.stock = False, 0
    dialog(buyer, [(order_links.order_text(shop.product_id, "ผ้าไหม"), "สั่งซื้อไม่ได้แล้ว")])
    with rt.db.transaction() as session:
        session.get(Product, shop.product_id).stock = 5
    dialog(shop.seller, [(order_links.order_text(shop.product_id, "ผ้าไหม"), "ร้านคุณเอง")])
    dialog(buyer, [(order_links.order_text(shop.product_id, "ผ้าไหม"), "ยินยอมไหม")])


def test_the_order_button_postback_starts_the_same_flow(chat, rt, shop):
    from handlers.orders import StartOrder

    buyer = chat("บุญมี")
    reply = buyer.postback(StartOrder(shop.product_id, None, False).pack())
    assert "ยินยอมไหม" in reply.body


def test_stock_is_checked_again_when_the_shop_accepts(chat, rt, shop):
    first, second = chat("สมใจ"), chat("บุญมี")
    one = place(rt, first, shop.product_id, quantity=4)
    two = place(rt, second, shop.product_id, quantity=3)
    accept(rt, shop, one)
    assert stock(rt, shop.product_id) == 1
    reply = shop.seller.postback(pack("accept", two))
    assert "เหลือ 1 ผืน ไม่พอ" in reply.body
    assert order_row(rt, two).status == "placed" and stock(rt, shop.product_id) == 1


def test_buyer_cancels_before_paying_and_stock_comes_back(chat, rt, cod_shop):
    buyer = chat("สมใจ")
    order_id = place(rt, buyer, cod_shop.product_id, quantity=2)
    accept(rt, cod_shop, order_id)
    assert stock(rt, cod_shop.product_id) == 3
    mine = buyer.says("คำสั่งซื้อของฉัน")
    assert "ร้านรับออเดอร์แล้ว" in mine.body
    dialog(buyer, [
        (tap("ยกเลิกคำสั่งซื้อ"), "ใช่ไหม"),
        (tap("ไม่ยกเลิก"), "ยังอยู่"),
    ])
    assert stock(rt, cod_shop.product_id) == 3 and order_row(rt, order_id).status == "accepted"
    dialog(buyer, [
        (tap("ยกเลิกคำสั่งซื้อ"), "ใช่ไหม"),
        (tap("ยืนยันยกเลิก"), "ยกเลิกคำสั่งซื้อเลขที่"),
    ])
    assert stock(rt, cod_shop.product_id) == 5
    told = cod_shop.seller.collect()
    assert "ผู้ซื้อยกเลิก" in told.body and "คืนสต็อก 2 ผืน แล้ว" in told.body
    again = buyer.postback(ConfirmCancelOrder(order_id).pack())  # the old confirm tapped again
    assert "ทำรายการนี้ไม่ได้แล้ว" in again.body and "ยกเลิกแล้ว" in again.body
    assert stock(rt, cod_shop.product_id) == 5


def test_shop_cancels_before_shipping_with_a_reason_and_stock_comes_back(chat, rt, shop):
    buyer = chat("สมใจ")
    order_id = place(rt, buyer, shop.product_id, quantity=2)
    accept(rt, shop, order_id)
    buyer.collect()
    shop.seller.says("คำสั่งซื้อของร้าน")
    dialog(shop.seller, [
        (tap("ยกเลิกคำสั่งซื้อ"), "ยกเลิกคำสั่งซื้อเลขที่"),
        (tap("อื่น ๆ"), "พิมพ์เหตุผล"),
        ("ก", "เหตุผลต้องยาว"),
        ("ของเสียหายระหว่างแพ็ก", "แจ้งผู้ซื้อแล้ว"),
    ])
    assert order_row(rt, order_id).status == "cancelled" and stock(rt, shop.product_id) == 5
    assert "ของเสียหายระหว่างแพ็ก" in buyer.collect().body


def test_buyer_cannot_cancel_after_the_slip_or_once_shipped(chat, rt, shop):
    from tests.orders.conftest import jpeg

    buyer = chat("สมใจ")
    order_id = place(rt, buyer, shop.product_id)
    accept(rt, shop, order_id)
    buyer.collect()
    dialog(buyer, [(tap("ส่งสลิป"), "ส่งรูปสลิป")])
    buyer.sends_image(jpeg())
    reply = buyer.postback(pack("cancel", order_id))
    assert "ยกเลิกเองไม่ได้แล้ว" in reply.body and "ร้านป้าศรีผ้าไหม" in reply.body
    assert order_row(rt, order_id).status == "accepted"


def test_a_photo_outside_any_flow_is_the_slip_of_the_one_order_awaiting_payment(chat, rt, shop):
    from tests.orders.conftest import jpeg

    buyer = chat("สมใจ")
    order_id = place(rt, buyer, shop.product_id)
    accept(rt, shop, order_id)
    buyer.collect()
    reply = buyer.sends_image(jpeg())
    assert "ส่งสลิปให้ร้านแล้ว" in reply.body
    assert order_row(rt, order_id).slip_at is not None
    assert "ได้รับเงินแล้ว" in shop.seller.collect().labels()


def test_forged_buttons_for_another_buyers_or_shops_order_change_nothing(chat, rt, shop):
    buyer, stranger = chat("สมใจ"), chat("คนแปลกหน้า")
    other = make_shop(chat, rt, name="ลุงมา", shop="ร้านลุงมาของฝาก")
    order_id = place(rt, buyer, shop.product_id)
    for data in [pack(a, order_id) for a in ("cancel", "received", "qr", "slip")] + [
            ConfirmCancelOrder(order_id).pack(), KeepOrder(order_id).pack()]:
        reply = stranger.postback(data)
        assert "ไม่ใช่ของคุณ" in reply.body, data
    for action in ("accept", "decline", "paid", "ship", "shop_cancel", "refund"):
        for who in (stranger, other.seller, buyer):
            reply = who.postback(pack(action, order_id))
            assert "ไม่ใช่ของร้านคุณ" in reply.body, (action, who.name)
    order = order_row(rt, order_id)
    assert (order.status, order.accepted_at, stock(rt, shop.product_id)) == ("placed", None, 5)
    reply = other.seller.postback(pack("accept", 987_654))
    assert "ไม่ใช่ของร้านคุณ" in reply.body
    with rt.db.transaction() as session:
        assert current_flow(session, other.seller.user_id) is None
        with pytest.raises(PermissionDenied):
            orders.accept(session, order_id, other.seller.user_id, rt.clock(), default_percent=0, base_url="x",
                          secret="s")


def test_invalid_transitions_are_refused_politely(chat, rt, shop):
    buyer = chat("สมใจ")
    order_id = place(rt, buyer, shop.product_id)
    reply = buyer.postback(pack("received", order_id))
    assert "ทำรายการนี้ไม่ได้แล้ว" in reply.body and "รอร้านยืนยัน" in reply.body
    reply = shop.seller.postback(pack("ship", order_id))
    assert "ทำรายการนี้ไม่ได้แล้ว" in reply.body
    accept(rt, shop, order_id)
    reply = shop.seller.postback(pack("accept", order_id))
    assert "ทำรายการนี้ไม่ได้แล้ว" in reply.body and stock(rt, shop.product_id) == 4
    reply = shop.seller.postback(pack("refund", order_id))
    assert "ทำรายการนี้ไม่ได้แล้ว" in reply.body
    assert order_row(rt, order_id).status == "accepted"


def _shipped_order(rt, shop, buyer):
    order_id = place(rt, buyer, shop.product_id)
    accept(rt, shop, order_id)
    with rt.db.transaction() as session:
        orders.confirm_paid(session, order_id, shop.seller.user_id, rt.clock())
        orders.ship(session, order_id, shop.seller.user_id, rt.clock(), carrier="thailand_post",
                    tracking="EF123456785TH")
    rt.process_pending()
    buyer.collect()
    shop.seller.collect()
    return order_id


def test_refund_after_receipt_is_recorded_and_told(chat, rt, shop):
    buyer = chat("สมใจ")
    order_id = _shipped_order(rt, shop, buyer)
    with rt.db.transaction() as session:
        orders.mark_received(session, order_id, buyer.user_id, rt.clock(), hold_days=7)
    rt.process_pending()
    shop.seller.collect()
    shop.seller.says("คำสั่งซื้อของร้าน")
    dialog(shop.seller, [
        (tap("คืนเงิน"), "ยอดคำสั่งซื้อ 1,200 บาท"),
        ("5,000", "ไม่เกิน 1,200 บาท"),
        ("0", "มากกว่า 0"),
        ("200", "เพราะอะไร"),
        ("สีไม่ตรงปก", "บันทึกการคืนเงิน 200 บาท"),
    ])
    order = order_row(rt, order_id)
    assert (order.status, order.refund_satang, order.reason) == ("refunded", 20000, "สีไม่ตรงปก")
    assert "คืนเงิน 200 บาท" in buyer.collect().body
    with rt.db.transaction() as session:
        amounts = sorted(s.amount_satang for s in session.query(Sale).filter_by(order_id=order_id))
    assert amounts[0] < 0 < amounts[1]
    assert "ทำรายการนี้ไม่ได้แล้ว" in shop.seller.postback(pack("refund", order_id)).body


def test_auto_receive_counts_shipped_orders_once(chat, rt, shop):
    buyer = chat("สมใจ")
    order_id = _shipped_order(rt, shop, buyer)
    rt.clock.advance(days=rt.settings.ORDER_AUTO_RECEIVE_DAYS - 1)
    assert auto_receive(rt, rt.clock()) == 0
    rt.clock.advance(days=1, minutes=1)
    assert auto_receive(rt, rt.clock()) == 1
    assert auto_receive(rt, rt.clock()) == 0
    rt.process_pending()
    order = order_row(rt, order_id)
    assert (order.status, order.received_by) == ("received", "auto")
    assert "นับว่าได้รับสินค้าแล้ว" in buyer.collect().body
    assert "นับว่าได้รับสินค้าแล้ว" in shop.seller.collect().body
    with rt.db.transaction() as session:
        assert session.query(Sale).filter_by(order_id=order_id).count() == 1


def test_cash_on_delivery_for_a_shop_without_promptpay(chat, rt, cod_shop):
    buyer = chat("สมใจ")
    summary = _walk_to_summary(buyer, cod_shop.product_id)
    assert "เก็บเงินปลายทาง" in summary.body
    buyer.taps("ยืนยันสั่งซื้อ")
    cod_shop.seller.collect()
    dialog(cod_shop.seller, [(tap("รับออเดอร์"), ["รับออเดอร์เลขที่", "เตรียมจัดส่งได้เลย"])])
    told = buyer.collect()
    assert "ชำระแบบเก็บเงินปลายทาง ยอด 1,200 บาท" in told.body and "image" not in told.types
    assert "จัดส่งแล้ว" in cod_shop.seller.last.labels()


def test_pickup_is_marked_ready_without_a_tracking_number(chat, rt, shop):
    buyer = chat("สมใจ")
    order_id = place(rt, buyer, shop.product_id, option="pickup")
    accept(rt, shop, order_id)
    buyer.collect()
    shop.seller.collect()
    dialog(shop.seller, [("คำสั่งซื้อของร้าน", "รับเองที่ร้าน"), (tap("พร้อมรับ"), "บันทึกการจัดส่ง")])
    told = buyer.collect()
    assert "พร้อมให้รับที่ร้าน" in told.body and "99 หมู่ 3 ต.ชนบท" in told.body
    dialog(buyer, [(tap("ได้รับสินค้าแล้ว"), "บันทึกว่าได้รับ")])
    assert order_row(rt, order_id).tracking_number is None


def test_a_shop_sets_its_delivery_fee_and_buyers_pay_it(chat, rt, shop):
    dialog(shop.seller, [
        ("ค่าส่ง", ["ไปรษณีย์ไทย: ค่าส่ง ฟรี"]),
        (tap("ไปรษณีย์ไทย"), "กี่บาท"),
        ("ห้าสิบ", "กรุณาพิมพ์ค่าส่งเป็นบาท"),
        ("๕๐", "เป็น 50 บาท แล้ว"),
    ])
    buyer = chat("สมใจ")
    buyer.says(order_links.order_text(shop.product_id, "ผ้าไหม"))
    buyer.taps("ยินยอม")
    delivery = buyer.says("1")
    assert "ไปรษณีย์ไทย: ค่าส่ง 50 บาท" in delivery.body and "รับเองที่ร้าน: ค่าส่ง ฟรี" in delivery.body
    buyer.taps("ไปรษณีย์ไทย")
    buyer.says("สมใจ ใจงาม")
    buyer.says("0891234567")
    summary = buyer.says(BUYER_ADDRESS)
    assert "50 บาท" in summary.body and "1,250 บาท" in summary.body
    buyer.taps("ยืนยันสั่งซื้อ")
    with rt.db.transaction() as session:
        order = session.query(orders.Order).one()
        assert (order.delivery_fee_satang, order.total_satang) == (5000, 125000)
    dialog(chat("ไม่ใช่ร้าน"), [("ค่าส่ง", "สำหรับร้านค้าที่ได้รับอนุมัติ")])


def test_ordering_too_often_is_refused_politely(chat, rt, shop):
    buyer = chat("สมใจ")
    for _ in range(limits.LIMITS["order_place"].max):
        place(rt, buyer, shop.product_id)
    buyer.says(order_links.order_text(shop.product_id, "ผ้าไหม"))
    buyer.taps("สั่งอีกรายการ")
    buyer.says("1")
    buyer.taps("ไปรษณีย์ไทย")
    buyer.taps("ใช่")
    buyer.taps("ใช่")
    reply = buyer.taps("ยืนยันสั่งซื้อ")
    assert "บ่อยเกินไป" in reply.body
    assert order_count(rt) == limits.LIMITS["order_place"].max


def test_shop_list_shows_waiting_orders_first_and_needs_a_shop(chat, rt, shop):
    buyer = chat("สมใจ")
    done = _shipped_order(rt, shop, buyer)
    with rt.db.transaction() as session:
        orders.mark_received(session, done, buyer.user_id, rt.clock(), hold_days=7)
    rt.clock.advance(minutes=5)
    waiting = place(rt, buyer, shop.product_id)
    with rt.db.transaction() as session:
        listed = [o.id for o in orders.orders_for_vendor(session, shop.vendor_id)]
    assert listed == [waiting, done]
    shop.seller.collect()
    reply = shop.seller.says("คำสั่งซื้อของร้าน")
    assert reply.body.index("รอร้านยืนยัน") < reply.body.index("ได้รับสินค้าแล้ว")
    dialog(buyer, [("คำสั่งซื้อของร้าน", "สำหรับร้านค้าที่ได้รับอนุมัติ")])
    dialog(chat("ใหม่"), [("คำสั่งซื้อของฉัน", "ยังไม่มีคำสั่งซื้อ")])


def test_cancel_in_each_step_of_the_shops_and_slip_flows(chat, rt, shop):
    buyer = chat("สมใจ")
    order_id = place(rt, buyer, shop.product_id)
    seller = shop.seller
    seller.collect()
    dialog(seller, [(tap("ปฏิเสธ"), "เพราะอะไร"), ("ยกเลิก", "ยกเลิกเรียบร้อยแล้ว")])
    dialog(seller, [(tap("ปฏิเสธ"), "เพราะอะไร"), (tap("อื่น ๆ"), "พิมพ์เหตุผล"), ("ยกเลิก", "ยกเลิกเรียบร้อยแล้ว")])
    assert order_row(rt, order_id).status == "placed"
    accept(rt, shop, order_id)
    buyer.collect()
    dialog(buyer, [(tap("ส่งสลิป"), "ส่งรูปสลิป"), ("ยกเลิก", "ยกเลิกเรียบร้อยแล้ว")])
    with rt.db.transaction() as session:
        orders.confirm_paid(session, order_id, seller.user_id, rt.clock())
    seller.collect()
    seller.says("คำสั่งซื้อของร้าน")
    dialog(seller, [(tap("จัดส่งแล้ว"), "ขนส่งไหน"), ("ยกเลิก", "ยกเลิกเรียบร้อยแล้ว")])
    dialog(seller, [(tap("จัดส่งแล้ว"), "ขนส่งไหน"), (tap("ไปรษณีย์ไทย"), "เลขพัสดุ"),
                    ("ยกเลิก", "ยกเลิกเรียบร้อยแล้ว")])
    dialog(seller, [(tap("ยกเลิกคำสั่งซื้อ"), "เพราะอะไร"), ("ยกเลิก", "ยกเลิกเรียบร้อยแล้ว")])
    assert order_row(rt, order_id).status == "paid"
    with rt.db.transaction() as session:
        orders.ship(session, order_id, seller.user_id, rt.clock(), carrier="thailand_post", tracking="EF123456785TH")
        orders.mark_received(session, order_id, buyer.user_id, rt.clock(), hold_days=7)
    rt.process_pending()
    seller.collect()
    seller.says("คำสั่งซื้อของร้าน")
    dialog(seller, [(tap("คืนเงิน"), "คืนเงินเท่าไร"), ("ยกเลิก", "ยกเลิกเรียบร้อยแล้ว")])
    dialog(seller, [(tap("คืนเงิน"), "คืนเงินเท่าไร"), ("100", "เพราะอะไร"), ("ยกเลิก", "ยกเลิกเรียบร้อยแล้ว")])
    dialog(seller, [("ค่าส่ง", "ค่าส่งของร้าน"), ("ยกเลิก", "ยกเลิกเรียบร้อยแล้ว")])
    dialog(seller, [("ค่าส่ง", "ค่าส่งของร้าน"), (tap("ไปรษณีย์ไทย"), "กี่บาท"), ("ยกเลิก", "ยกเลิกเรียบร้อยแล้ว")])
    assert order_row(rt, order_id).status == "received"


def test_personal_data_export_and_erasure_keep_the_figures(chat, rt, shop):
    buyer = chat("สมใจ")
    order_id = place(rt, buyer, shop.product_id)
    with rt.db.transaction() as session:
        citizen = citizens.get_or_create(session, buyer.user_id, rt.clock())
        exported = orders.export_personal_data(session, citizen)
        assert exported["orders"][0]["address"] == BUYER_ADDRESS
        assert exported["orders"][0]["phone"] == "0891234567"
        orders.erase_personal_data(session, citizen, rt.clock())
    order = order_row(rt, order_id)
    assert (order.buyer_name, order.buyer_phone, order.buyer_address, order.buyer_line_user_id) == (None,) * 4
    assert (order.total_satang, order.quantity, order.erased_at is not None) == (120000, 1, True)
    assert order.status == "cancelled"  # it could not be delivered any more
    rt.process_pending()
    assert "ขอลบข้อมูลส่วนตัว" in shop.seller.collect().body
    reply = shop.seller.says("คำสั่งซื้อของร้าน")
    assert "ยกเลิกแล้ว" in reply.body and "สมใจ" not in reply.body


def test_erasing_a_buyer_through_my_data_cancels_an_accepted_order_and_keeps_a_received_one(chat, rt, shop):
    from services import privacy

    buyer = chat("สมใจ")
    buyer.follow()
    done = _shipped_order(rt, shop, buyer)
    with rt.db.transaction() as session:
        orders.mark_received(session, done, buyer.user_id, rt.clock(), hold_days=7)
    waiting = place(rt, buyer, shop.product_id, quantity=2)
    accept(rt, shop, waiting)
    assert stock(rt, shop.product_id) == 2
    with rt.db.transaction() as session:
        privacy.erase_personal_data(session, buyer.user_id, rt.clock())
    assert stock(rt, shop.product_id) == 4
    assert (order_row(rt, waiting).status, order_row(rt, done).status) == ("cancelled", "received")
    assert order_row(rt, done).buyer_address is None


def test_long_lists_say_how_many_are_not_shown(chat, rt, shop, monkeypatch):
    import handlers.orders
    import handlers.orders_vendor

    monkeypatch.setattr(handlers.orders, "LIST_SIZE", 2)
    monkeypatch.setattr(handlers.orders_vendor, "LIST_SIZE", 2)
    buyer = chat("สมใจ")
    for _ in range(3):
        place(rt, buyer, shop.product_id)
    mine = buyer.says("คำสั่งซื้อของฉัน")
    assert "แสดง 2 รายการล่าสุดจาก 3 รายการ" in mine.body
    assert len(mine.messages[-1]["contents"]["contents"]) == 2
    shop.seller.collect()
    assert "แสดง 2 รายการ (ที่รอร้านก่อน แล้วรายการล่าสุด) จาก 3 รายการ" in shop.seller.says("คำสั่งซื้อของร้าน").body


def test_the_citizen_profile_name_and_phone_are_offered(chat, rt, shop):
    from services import profile

    buyer = chat("สมศรี")
    with rt.db.transaction() as session:
        profile.save_contact(session, buyer.user_id, "สมศรี ใจดี", "0812345678", rt.clock())
        profile.set_district(session, buyer.user_id, "chonnabot", rt.clock())
    dialog(buyer, [
        (order_links.order_text(shop.product_id, "ผ้าไหม"), "ยินยอมไหม"),
        (tap("ยินยอม"), "จำนวน"),
        ("1", "รับสินค้าแบบไหน"),
        (tap("ไปรษณีย์ไทย"), ["ใช้ชื่อและเบอร์นี้ไหม", "สมศรี ใจดี", "081-234-5678"]),
        (tap("แก้ไข"), "ชื่อ-นามสกุลผู้รับ"),
        ("สมศรี ใจงาม", "เบอร์มือถือ"),
        ("0891112222", "ที่อยู่จัดส่ง"),
        (BUYER_ADDRESS, ["สรุปคำสั่งซื้อ", "สมศรี ใจงาม 0891112222"]),
        (tap("ยืนยันสั่งซื้อ"), "ส่งคำสั่งซื้อถึงร้าน"),
    ])
    with rt.db.transaction() as session:
        order = session.query(orders.Order).one()
        assert (order.buyer_name, order.buyer_phone, order.buyer_district) == ("สมศรี ใจงาม", "0891112222",
                                                                               "chonnabot")
        citizen = citizens.get(session, buyer.user_id)
        orders.erase_personal_data(session, citizen, rt.clock())
    assert order_row(rt, order.id).buyer_district == "chonnabot"  # kept, anonymous, for reports by district


def test_a_carrier_without_a_known_link_gets_the_number_and_its_tracking_page(chat, rt):
    kerry = make_shop(chat, rt, options=["kerry", "pickup"])
    buyer = chat("สมใจ")
    order_id = place(rt, buyer, kerry.product_id, option="kerry")
    accept(rt, kerry, order_id)
    with rt.db.transaction() as session:
        orders.confirm_paid(session, order_id, kerry.seller.user_id, rt.clock())
    buyer.collect()
    kerry.seller.collect()
    kerry.seller.says("คำสั่งซื้อของร้าน")
    dialog(kerry.seller, [
        (tap("จัดส่งแล้ว"), "ขนส่งไหน"),
        (tap("Kerry Express"), "เลขพัสดุของ Kerry Express"),
        ("KEX-1234 5678 90", "บันทึกการจัดส่ง"),
    ])
    told = buyer.collect()
    assert "KEX1234567890" in told.body and "หน้าเว็บของ Kerry Express" in told.body
    assert told.action("ติดตามพัสดุ")["uri"].startswith("https://th.kex-express.com/")


def test_a_thailand_post_number_with_a_wrong_check_digit_is_taken_once_the_shop_confirms_it(chat, rt, shop):
    buyer = chat("สมใจ")
    order_id = place(rt, buyer, shop.product_id, option="thailand_post")
    accept(rt, shop, order_id)
    with rt.db.transaction() as session:
        orders.confirm_paid(session, order_id, shop.seller.user_id, rt.clock())
    buyer.collect()
    shop.seller.collect()
    shop.seller.says("คำสั่งซื้อของร้าน")
    dialog(shop.seller, [
        (tap("จัดส่งแล้ว"), "ขนส่งไหน"),
        (tap("ไปรษณีย์ไทย"), "เลขพัสดุของ ไปรษณีย์ไทย"),
        ("EF123456789TH", "อาจพิมพ์ผิด"),
        (tap("ใช้เลขนี้"), "บันทึกการจัดส่ง"),
    ])
    assert order_row(rt, order_id).tracking_number == "EF123456789TH"
    assert "EF123456789TH" in buyer.collect().body
