"""An order's whole life in chat: the product page's text, the opt-in, quantity, delivery, name, phone, address, the
summary, the shop's รับออเดอร์, the PromptPay QR, the slip, ได้รับเงินแล้ว, shipping with a tracking number, receipt."""

from __future__ import annotations

from bot.conversation import current_flow
from models.sales import Sale
from services import consent, order_links
from tests.dialog import dialog, photo, tap
from tests.orders.conftest import BUYER_ADDRESS, jpeg, order_row, stock


def _latest_order_id(rt):
    from models.orders import Order

    with rt.db.transaction() as session:
        return session.query(Order).order_by(Order.id.desc()).first().id


def test_order_from_the_product_page_text_to_receipt(chat, rt, client, shop):
    somjai = chat("สมใจ")
    somjai.follow()
    text = order_links.order_text(shop.product_id, "ผ้าไหมมัดหมี่ลายนาค")
    *_, summary, placed = dialog(somjai, [
        (text, ["ชื่อ เบอร์โทร และที่อยู่", "ร้านป้าศรีผ้าไหม", "ยินยอมไหม"]),
        (tap("ยินยอม"), ["จำนวนกี่ผืน", "มีอยู่ 5 ผืน"]),
        ("0", ["ตัวเลขตั้งแต่ 1", "มีอยู่ 5 ผืน"]),
        ("หนึ่งผืน", "ตัวเลขตั้งแต่ 1"),
        ("9", "มีอยู่ 5 ผืน เท่านั้น"),
        ("๒", ["รับสินค้าแบบไหน", "ไปรษณีย์ไทย: ค่าส่ง ฟรี", "รับเองที่ร้าน: ค่าส่ง ฟรี"]),
        ("ส่งนกพิราบ", "กดเลือกวิธีรับสินค้า"),
        (tap("ไปรษณีย์ไทย"), "ชื่อ-นามสกุลผู้รับ"),
        ("12345", "ตัวอักษร"),
        ("สมใจ ใจงาม", "เบอร์มือถือของคุณสมใจ ใจงาม"),
        ("043-123456", "มือถือ"),
        ("089-123-4567", "ที่อยู่จัดส่ง"),
        ("บ้าน", "สั้นหรือยาวเกินไป"),
        (BUYER_ADDRESS, ["สรุปคำสั่งซื้อ", "ผ้าไหมมัดหมี่ลายนาค × 2 ผืน", "2 × 1,200 บาท", "2,400 บาท",
                         "โอนผ่านพร้อมเพย์", BUYER_ADDRESS]),
        (tap("ยืนยันสั่งซื้อ"), ["ส่งคำสั่งซื้อถึงร้าน “ร้านป้าศรีผ้าไหม” แล้ว", "รอร้านยืนยัน"]),
    ])
    assert "ยืนยันสั่งซื้อ" in summary.labels()
    assert "ยกเลิกคำสั่งซื้อ" in placed.labels()
    order_id = _latest_order_id(rt)
    with rt.db.transaction() as session:
        assert consent.has_opt_in(session, somjai.user_id, consent.MARKET_BUYER)
        assert current_flow(session, somjai.user_id) is None

    seller = shop.seller
    notice = seller.collect()
    assert "คำสั่งซื้อใหม่" in notice.body and "สมใจ ใจงาม 0891234567" in notice.body and BUYER_ADDRESS in notice.body
    assert {"รับออเดอร์", "ปฏิเสธ"} <= set(notice.labels())
    dialog(seller, [(tap("รับออเดอร์"), ["รับออเดอร์เลขที่", "จองสต็อกไว้ 2 ผืน", "รอสลิป"])])
    assert stock(rt, shop.product_id) == 3

    paying = somjai.collect()
    assert "รับคำสั่งซื้อเลขที่" in paying.body and "ยอดที่ต้องโอน 2,400 บาท" in paying.body
    qr = next(m for m in paying.messages if m["type"] == "image")
    assert qr["originalContentUrl"] == qr["previewImageUrl"]
    path = qr["originalContentUrl"].removeprefix(rt.settings.public_base_url)
    assert path.startswith(f"/orders/{order_id}/promptpay-")
    response = client.get(path)
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert client.get(f"/orders/{order_id}/promptpay-{'0' * 24}.png").status_code == 404
    assert client.get(path.replace(f"/orders/{order_id}/", f"/orders/{order_id + 1}/")).status_code == 404

    dialog(somjai, [
        (tap("ส่งสลิป"), ["ส่งรูปสลิปการโอนเงิน", "2,400 บาท"]),
        ("โอนแล้วค่ะ", "ขอเป็นรูปสลิปการโอนเงิน"),
        (photo(jpeg()), "ส่งสลิปให้ร้านแล้ว"),
    ])
    slip = seller.collect()
    assert "ส่งสลิปโอนเงิน" in slip.body and slip.types[0] == "image"
    assert order_row(rt, order_id).slip_image_id is not None

    dialog(seller, [
        (tap("ได้รับเงินแล้ว"), "บันทึกว่าได้รับเงิน"),
    ])
    assert "ได้รับเงินคำสั่งซื้อ" in somjai.collect().body
    assert client.get(path).status_code == 404  # the QR exists only while the transfer is awaited
    seller.collect()
    dialog(seller, [
        ("คำสั่งซื้อของร้าน", ["ชำระเงินแล้ว รอจัดส่ง", "สมใจ ใจงาม"]),
        (tap("จัดส่งแล้ว"), "ส่งกับขนส่งไหน"),
        (tap("ไปรษณีย์ไทย"), "พิมพ์เลขพัสดุของ ไปรษณีย์ไทย"),
        ("12345", "EF582568151TH"),  # the wrong shape is refused with an example
        ("EF123456789TH", "อาจพิมพ์ผิด"),  # the right shape with a wrong S10 check digit: asked to look again
        ("EF 1234 5678 5TH", "บันทึกการจัดส่ง"),  # the corrected number is taken at once
    ])
    shipped = somjai.collect()
    assert "ไปรษณีย์ไทย" in shipped.body and "EF123456785TH" in shipped.body
    track = shipped.action("ติดตามพัสดุ")
    assert track["uri"] == "https://track.thailandpost.co.th/?trackNumber=EF123456785TH"

    dialog(somjai, [(tap("ได้รับสินค้าแล้ว"), "บันทึกว่าได้รับ “ผ้าไหมมัดหมี่ลายนาค” แล้ว")])
    assert "ได้รับสินค้าคำสั่งซื้อเลขที่" in seller.collect().body
    order = order_row(rt, order_id)
    assert (order.status, order.received_by, order.tracking_number) == ("received", "buyer", "EF123456785TH")
    with rt.db.transaction() as session:
        sale = session.query(Sale).filter_by(order_id=order_id).one()
        assert sale.amount_satang == 240000

    mine = somjai.says("คำสั่งซื้อของฉัน")
    assert "ได้รับสินค้าแล้ว" in mine.body and "ร้านป้าศรีผ้าไหม" in mine.body


def test_known_name_phone_and_address_are_offered_and_consent_is_asked_once(chat, rt, shop):
    somjai = chat("สมใจ")
    text = order_links.order_text(shop.product_id, "ผ้าไหม")
    dialog(somjai, [
        (text, "ยินยอมไหม"),
        (tap("ยินยอม"), "จำนวน"),
        ("1", "รับสินค้าแบบไหน"),
        (tap("ไปรษณีย์ไทย"), "ชื่อ-นามสกุลผู้รับ"),
        ("สมใจ ใจงาม", "เบอร์มือถือ"),
        ("0891234567", "ที่อยู่จัดส่ง"),
        (BUYER_ADDRESS, "สรุปคำสั่งซื้อ"),
        (tap("ยืนยันสั่งซื้อ"), "ส่งคำสั่งซื้อถึงร้าน"),
    ])
    shop.seller.collect()
    shop.seller.taps("ปฏิเสธ")
    shop.seller.taps("สินค้าหมด")
    assert "รับคำสั่งซื้อเลขที่" in somjai.collect().body and "สินค้าหมด" in somjai.last.body
    second = dialog(somjai, [
        (text, "จำนวน"),  # no second opt-in question
        ("1", "รับสินค้าแบบไหน"),
        (tap("ไปรษณีย์ไทย"), ["ใช้ชื่อและเบอร์นี้ไหม", "สมใจ ใจงาม", "089-123-4567"]),
        ("อะไรนะ", "กรุณากด “ใช่” หรือ “แก้ไข”"),
        (tap("ใช่"), ["ส่งที่อยู่เดิมนี้ไหม", BUYER_ADDRESS]),
        (tap("แก้ไข"), "ที่อยู่จัดส่ง"),
        ("99 หมู่ 1 ต.ชนบท อ.ชนบท จ.ขอนแก่น", ["สรุปคำสั่งซื้อ", "99 หมู่ 1 ต.ชนบท"]),
    ])
    assert "ยินยอม" not in second[0].body


def test_pickup_skips_the_address_and_pays_at_the_shop(chat, rt, shop):
    buyer = chat("บุญมี")
    dialog(buyer, [
        (order_links.order_text(shop.product_id, "ผ้าไหม"), "ยินยอม"),
        (tap("ยินยอม"), "จำนวน"),
        ("1", "รับสินค้าแบบไหน"),
        (tap("รับเองที่ร้าน"), "ชื่อ-นามสกุล"),
        ("บุญมี มีสุข", "เบอร์มือถือ"),
        ("0812223333", ["สรุปคำสั่งซื้อ", "จ่ายเงินตอนรับสินค้าที่ร้าน", "99 หมู่ 3 ต.ชนบท"]),
    ])


def test_declining_the_opt_in_ends_politely_and_orders_nothing(chat, rt, shop):
    buyer = chat("บุญมี")
    dialog(buyer, [
        (order_links.order_text(shop.product_id, "ผ้าไหม"), "ยินยอม"),
        ("ได้ไหม", "กรุณากด “ยินยอม” หรือ “ไม่ยินยอม”"),
        (tap("ไม่ยินยอม"), "ยังไม่ได้สั่งซื้อ"),
    ])
    with rt.db.transaction() as session:
        assert not consent.has_opt_in(session, buyer.user_id, consent.MARKET_BUYER)
        assert current_flow(session, buyer.user_id) is None
