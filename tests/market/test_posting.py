"""Posting a product by chat ("ลงขายสินค้า") and managing one's own ("สินค้าของฉัน"), including bad input and
forged button data."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from sqlalchemy import func, select

from bot.conversation import current_flow
from handlers.market_vendor import DeleteProduct, EditProduct, HideProduct, Resubmit, ShowCertificate
from models.market import Product
from models.media import MediaImage
from services import products
from services.errors import DomainError
from tests.market.conftest import approved_shop, certify, jpeg, latest_product, post_product, posted_product


def _flow(rt, user):
    with rt.db.transaction() as session:
        return current_flow(session, user.user_id)


def _to_photos(user) -> None:
    """Answers the posting flow up to the photo step."""
    user.says("ลงขายสินค้า")
    user.says("ข้าวหอมมะลิอินทรีย์")
    user.taps("ผลผลิตทางการเกษตร")
    user.says("35 บาท")
    user.says("กิโลกรัม")
    user.says("ข้าวหอมมะลิปลอดสาร จากนาบ้านโนนศิลา")
    user.taps("อินทรีย์ ปลอดสารเคมี")
    user.taps("เสร็จแล้ว")


def _draft_photos(rt, user) -> int:
    with rt.db.transaction() as session:
        return session.scalar(select(func.count()).select_from(MediaImage).where(
            MediaImage.owner_key == products.draft_key(user.user_id)))


@pytest.fixture
def seller(chat, rt, admin):
    somsri = chat("สมศรี")
    somsri.follow()
    approved_shop(somsri, rt)
    admin.collect()
    return somsri


def test_only_approved_shops_can_post(chat, rt):
    nobody = chat("ผู้ซื้อ")
    reply = nobody.says("ลงขายสินค้า")
    assert "ต้องลงทะเบียนร้านค้าก่อน" in reply.body and "ลงทะเบียนร้านค้า" in reply.quick_replies()
    assert _flow(rt, nobody) is None


def test_posting_walks_every_step_shows_a_preview_and_submits_for_certification(seller, rt, admin):
    post_product(seller, photos=2)
    preview = seller.history[-2]
    assert "ตัวอย่างที่ผู้ซื้อจะเห็น" in preview.body
    assert "1,200 บาท / ผืน" in preview.body and "✓ วัตถุดิบในท้องถิ่น · ✓ ทำมือ" in preview.body
    assert "ให้เจ้าหน้าที่ตรวจรับรองแล้ว" in seller.last.body
    product = latest_product(rt, seller)
    assert (product.name, product.category, product.price_satang, product.unit, product.stock) == (
        "ผ้าไหมมัดหมี่ลายนาค", "textile", 120000, "ผืน", 5)
    assert product.selling_points == ["local", "handmade"] and len(product.photos) == 2
    assert product.cert_status == "submitted"
    assert _draft_photos(rt, seller) == 0
    notice = admin.collect()
    assert "สินค้ารอตรวจรับรอง" in notice.body and "อนุมัติ" in notice.labels()


@pytest.mark.parametrize("price", ["สิบบาท", "-5", "0", "abc", "1,2,00", "35.555", "2000000"])
def test_a_wrong_price_is_refused_politely_and_asked_again(seller, rt, price):
    seller.says("ลงขายสินค้า")
    seller.says("น้ำพริกเผา")
    seller.taps("อาหารแปรรูป")
    reply = seller.says(price)
    assert "ราคาไม่ถูกต้อง" in reply.body
    assert _flow(rt, seller) == "market_post:price"
    assert "ต่อหน่วยอะไร" in seller.says("35").body


@pytest.mark.parametrize("price,satang", [
    ("35", 3500), ("35.50", 3550), ("1,200", 120000), ("35 บาท", 3500), ("฿ 99", 9900), ("๓๕", 3500),
])
def test_prices_people_type_are_understood(price, satang):
    assert products.parse_price(price) == satang


def test_text_where_a_photo_is_expected_is_answered_and_nothing_is_lost(seller, rt):
    _to_photos(seller)
    assert "กรุณาส่งเป็นรูปภาพ" in seller.says("รูปอยู่ในมือถือ").body
    seller.sends_sticker()
    assert "กรุณาส่งเป็นรูปภาพ" in seller.last.body
    assert "ต้องมีรูปสินค้าอย่างน้อย 1 รูป" in seller.says("เสร็จแล้ว").body
    assert _flow(rt, seller) == "market_post:photos"
    assert "ได้รับรูปที่ 1" in seller.sends_image(jpeg()).body


def test_bad_photos_are_refused_with_the_reason(seller, rt, line):
    _to_photos(seller)
    assert "ใหญ่เกินไป" in seller.sends_image(b"\xff\xd8" + b"\x00" * (30 * 1024 * 1024)).body
    assert "อ่านได้" in seller.sends_image(b"this is not a picture").body
    truncated = jpeg((1200, 900))
    assert "เสียหรือไม่สมบูรณ์" in seller.sends_image(truncated[: len(truncated) // 2]).body
    bomb = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(bomb, "PNG")
    reply = seller.sends_image(bomb.getvalue(), "image/png")
    assert "ความละเอียดสูงเกินไป" in reply.body  # 100 megapixels: refused from the header, never decoded
    assert _draft_photos(rt, seller) == 0
    assert _flow(rt, seller) == "market_post:photos"
    assert any(r.path.startswith("/v2/bot/chat/loading") for r in line.requests())  # the loading animation


def test_a_sixth_photo_is_refused_politely(seller, rt):
    _to_photos(seller)
    for index in range(4):
        assert f"ได้รับรูปที่ {index + 1}" in seller.sends_image(jpeg(colour=(index, 0, 0))).body
    reply = seller.sends_image(jpeg(colour=(9, 9, 9)))
    assert "ได้รับรูปครบ 5 รูปแล้ว" in reply.body and "มีสินค้าพร้อมขายกี่" in reply.body
    # A sixth arriving (LINE delivers an album as separate events) while the next question is open:
    seller.says("ลงขายสินค้า")
    _to_photos(seller)
    for index in range(5):
        seller.sends_image(jpeg(colour=(index, 1, 1)))
    assert _flow(rt, seller) == "market_post:stock"
    reply = seller.sends_image(jpeg())
    assert "รับได้ไม่เกิน 5 รูป" in reply.body and "มีสินค้าพร้อมขายกี่" in reply.body


def test_a_sixth_photo_in_the_photo_step_is_refused(seller, rt):
    from models.platform import Conversation

    _to_photos(seller)
    for index in range(4):
        seller.sends_image(jpeg(colour=(index, 2, 2)))
    with rt.db.transaction() as session:  # a fifth already there when the sixth arrives
        row = session.get(Conversation, seller.user_id)
        row.data = {**row.data, "photos": [*row.data["photos"], row.data["photos"][0]]}
    reply = seller.sends_image(jpeg())
    assert "รับได้ไม่เกิน 5 รูป" in reply.body and "เสร็จแล้ว" in reply.quick_replies()


def test_photos_are_stored_resized_and_without_location(seller, rt, client):
    _to_photos(seller)
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (16.0, 26.0, 0.0)}
    out = io.BytesIO()
    Image.new("RGB", (3000, 2000), (10, 200, 30)).save(out, "JPEG", exif=exif)
    seller.sends_image(out.getvalue())
    seller.taps("เสร็จแล้ว")
    seller.says("10")
    seller.taps("ส่งตรวจรับรอง")
    photo = latest_product(rt, seller).photos[0]
    served = client.get(products.photo_url("", photo))
    assert served.status_code == 200
    image = Image.open(io.BytesIO(served.data))
    assert max(image.size) == 1024 and not image.getexif()


def test_cancel_mid_posting_leaves_nothing_behind(seller, rt):
    _to_photos(seller)
    seller.sends_image(jpeg())
    assert _draft_photos(rt, seller) == 1
    assert seller.says("ยกเลิก").texts == ["ยกเลิกเรียบร้อยแล้วค่ะ"]
    with rt.db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Product)) == 0
    seller.says("ลงขายสินค้า")  # starting again clears the unfinished post's photos
    assert _draft_photos(rt, seller) == 0


def test_a_menu_word_mid_flow_leaves_it_politely(seller, rt):
    seller.says("ลงขายสินค้า")
    seller.says("ไข่เค็มไชยา")
    reply = seller.says("ตลาดชุมชน")
    assert "ออกจากขั้นตอน “ลงขายสินค้า” แล้ว" in reply.body
    assert _flow(rt, seller) is None


@pytest.mark.parametrize("step_answers,expected", [
    (["x"], "ชื่อสินค้าต้องยาว"),
    (["น้ำพริก", "@category", "35", "12345"], "หน่วยต้องยาว"),
    (["น้ำพริก", "@category", "35", "กระปุก", "สั้น"], "รายละเอียดต้องยาว"),
])
def test_wrong_answers_in_other_steps_are_explained(seller, rt, step_answers, expected):
    seller.says("ลงขายสินค้า")
    reply = None
    for answer in step_answers:
        reply = seller.taps("อาหารแปรรูป") if answer == "@category" else seller.says(answer)
    assert expected in reply.body


def test_stock_must_be_a_number(seller, rt):
    _to_photos(seller)
    seller.sends_image(jpeg())
    seller.taps("เสร็จแล้ว")
    assert "กรุณาพิมพ์จำนวนเป็นตัวเลข" in seller.says("เยอะมาก").body
    assert "ตัวอย่างที่ผู้ซื้อจะเห็น" in seller.says("20 กิโลกรัม").body


def test_my_products_lists_status_and_manage_buttons(seller, rt):
    posted_product(seller, rt)
    reply = seller.says("สินค้าของฉัน")
    assert "ทั้งหมด 1 รายการ" in reply.body and "รอตรวจรับรอง" in reply.body
    assert {"แก้ราคา", "แก้จำนวน", "ซ่อน", "ลบ"} <= set(reply.labels())
    assert "ใบรับรอง/QR" not in reply.labels()


def test_vendor_edits_price_and_stock_of_their_product(seller, rt):
    posted_product(seller, rt)
    seller.says("สินค้าของฉัน")
    assert "ราคาใหม่" in seller.taps("แก้ราคา").body
    assert "ราคาไม่ถูกต้อง" in seller.says("-5").body
    assert "เป็น 1,350 บาท แล้ว" in seller.says("1,350").body
    seller.says("สินค้าของฉัน")
    seller.taps("แก้จำนวน")
    reply = seller.says("0")
    assert "เป็น 0 ผืน แล้ว" in reply.body and "ไม่แสดงในตลาด" in reply.body
    product = latest_product(rt, seller)
    assert (product.price_satang, product.stock) == (135000, 0)


def test_vendor_hides_shows_and_deletes_their_product(seller, rt):
    posted_product(seller, rt)
    certify(rt, latest_product(rt, seller).id)
    seller.collect()
    seller.says("สินค้าของฉัน")
    assert "ซ่อน “ผ้าไหมมัดหมี่ลายนาค” จากตลาดแล้ว" in seller.taps("ซ่อน").body
    seller.says("สินค้าของฉัน")
    assert "แสดง “ผ้าไหมมัดหมี่ลายนาค” ในตลาดแล้ว" in seller.taps("แสดง").body
    seller.says("สินค้าของฉัน")
    assert "ใช่ไหม" in seller.taps("ลบ").body
    assert "ไม่ลบ" in seller.taps("ไม่ลบ").body
    seller.says("สินค้าของฉัน")
    seller.taps("ลบ")
    assert "ลบ “ผ้าไหมมัดหมี่ลายนาค” แล้ว" in seller.taps("ลบเลย").body
    with rt.db.transaction() as session:
        product = session.scalars(select(Product)).one()
        assert product.deleted_at is not None and product.photos == [] and product.cert_status == "revoked"
        assert session.scalar(select(func.count()).select_from(MediaImage)) == 0
    assert "ยังไม่มีสินค้า" in seller.says("สินค้าของฉัน").body


def test_vendor_gets_the_qr_label_of_a_certified_product(seller, rt, client):
    posted_product(seller, rt)
    cert = certify(rt, latest_product(rt, seller).id)
    seller.collect()
    seller.says("สินค้าของฉัน")
    reply = seller.taps("ใบรับรอง/QR")
    assert reply.types == ["image", "flex"]
    label_url = reply.messages[0]["originalContentUrl"]
    assert label_url.endswith(f"/market/c/{cert.number}/label.png") if cert.number else True
    response = client.get(label_url.replace("http://kk.test", ""))
    assert response.status_code == 200 and response.mimetype == "image/png"


def test_another_vendor_cannot_change_my_product_with_forged_button_data(seller, chat, rt, admin):
    posted_product(seller, rt)
    victim = latest_product(rt, seller)
    mallory = chat("ร้านคู่แข่ง")
    approved_shop(mallory, rt, shop="ร้านคู่แข่ง")
    for data in (EditProduct(victim.id, "price").pack(), HideProduct(victim.id, True).pack(),
                 DeleteProduct(victim.id, "yes").pack(), ShowCertificate(victim.id).pack(),
                 Resubmit(victim.id).pack()):
        reply = mallory.postback(data)
        assert "ไม่พบสินค้านี้ในร้านของคุณ" in reply.body, data
    assert _flow(rt, mallory) is None
    after = latest_product(rt, seller)
    assert (after.price_satang, after.hidden, after.deleted_at) == (victim.price_satang, False, None)


def test_a_nonsense_edit_field_is_a_stale_button(seller, rt):
    posted_product(seller, rt)
    product = latest_product(rt, seller)
    assert "ใช้ไม่ได้แล้ว" in seller.postback(EditProduct(product.id, "name").pack()).body


def test_services_check_ownership_too(seller, chat, rt):
    posted_product(seller, rt)
    product = latest_product(rt, seller)
    with pytest.raises(DomainError) as caught, rt.db.transaction() as session:
        products.set_price(session, "U" + "7" * 32, product.id, 100, rt.clock())
    assert caught.value.code == "not_your_product"
