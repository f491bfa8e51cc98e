"""The product preview of "ลงขายสินค้า": ส่งตรวจรับรอง, แก้ไข (pick the part to change, then back to the preview)
and ยกเลิก (asked once, then nothing is kept)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.conversation import current_flow
from handlers.market_vendor import EditField, PreviewChoice
from models.market import Product
from models.media import MediaImage
from services import products
from tests.market.conftest import approved_shop, jpeg, latest_product


def _flow(rt, user):
    with rt.db.transaction() as session:
        return current_flow(session, user.user_id)


def _draft_photo_ids(rt, user) -> set[int]:
    with rt.db.transaction() as session:
        return set(session.scalars(select(MediaImage.id).where(
            MediaImage.owner_key == products.draft_key(user.user_id))))


def _products(rt) -> int:
    with rt.db.transaction() as session:
        return session.scalar(select(func.count()).select_from(Product))


@pytest.fixture
def seller(chat, rt, admin):
    somsri = chat("สมศรี")
    somsri.follow()
    approved_shop(somsri, rt)
    admin.collect()
    return somsri


def _to_preview(user) -> None:
    user.says("ลงขายสินค้า")
    user.says("ผ้าไหมมัดหมี่ลายนาค")
    user.taps("ผ้าไหมและสิ่งทอ")
    user.says("1,200")
    user.says("ผืน")
    user.says("ทอมือจากบ้านโนนฆ้อง สีธรรมชาติ")
    user.taps("ทำมือ")
    user.taps("เสร็จแล้ว")
    user.sends_image(jpeg(colour=(10, 120, 40)))
    user.taps("เสร็จแล้ว")
    user.says("5")


def test_the_preview_offers_submit_edit_and_cancel(seller, rt):
    _to_preview(seller)
    preview = seller.last
    assert "ตัวอย่างที่ผู้ซื้อจะเห็น" in preview.text and "1,200 บาท / ผืน" in preview.text
    assert "อยากแก้ตรงไหนกด “แก้ไข”" in preview.text
    assert {"ส่งตรวจรับรอง", "แก้ไข", "ยกเลิก"} <= set(preview.labels())
    assert _flow(rt, seller) == "market_post:preview"
    reply = seller.says("โอเค")  # typing at the preview: asked to tap, nothing lost
    assert "กรุณากด “ส่งตรวจรับรอง” “แก้ไข” หรือ “ยกเลิก”" in reply.text
    assert _flow(rt, seller) == "market_post:preview"


def test_edit_from_the_preview_changes_one_part_and_comes_back_to_the_preview(seller, rt, admin):
    _to_preview(seller)
    reply = seller.taps("แก้ไข")
    assert "แก้ไขส่วนไหนคะ" in reply.text
    assert {"ชื่อสินค้า", "ราคา", "รูปสินค้า", "รายละเอียด", "จุดเด่น", "กลับไปดูตัวอย่าง"} <= set(reply.labels())

    reply = seller.taps("ราคา")
    assert "แก้ราคาค่ะ ตอนนี้: 1,200 บาท" in reply.texts[0] and "ราคาเท่าไร" in reply.text
    assert "ราคาไม่ถูกต้อง" in seller.says("สิบบาท").text  # still checked
    reply = seller.says("1,500")
    assert "ตัวอย่างที่ผู้ซื้อจะเห็น" in reply.text and "1,500 บาท / ผืน" in reply.text  # straight back

    seller.taps("แก้ไข")
    seller.taps("ชื่อสินค้า")
    reply = seller.says("ผ้าไหมลายนาคราช")
    assert "ผ้าไหมลายนาคราช" in reply.text and "ตัวอย่างที่ผู้ซื้อจะเห็น" in reply.text

    seller.taps("แก้ไข")
    reply = seller.taps("จุดเด่น")
    seller.taps("สะอาด")
    reply = seller.taps("เสร็จแล้ว")
    assert "✓ สะอาด · ✓ ทำมือ" in reply.text

    seller.taps("แก้ไข")
    reply = seller.taps("กลับไปดูตัวอย่าง")
    assert "ตัวอย่างที่ผู้ซื้อจะเห็น" in reply.text

    seller.taps("ส่งตรวจรับรอง")
    assert "ให้เจ้าหน้าที่ตรวจรับรองแล้ว" in seller.last.text
    product = latest_product(rt, seller)
    assert (product.name, product.price_satang, product.stock) == ("ผ้าไหมลายนาคราช", 150000, 5)
    assert product.selling_points == ["clean", "handmade"]
    assert "ผ้าไหมลายนาคราช" in admin.collect().text


def test_replacing_photos_from_the_preview_keeps_only_the_new_ones(seller, rt):
    _to_preview(seller)
    old = _draft_photo_ids(rt, seller)
    assert len(old) == 1
    seller.taps("แก้ไข")
    reply = seller.taps("รูปสินค้า")
    assert "รูปเดิม 1 รูปจะถูกแทนที่" in reply.text
    seller.sends_image(jpeg(colour=(200, 10, 10)))
    seller.sends_image(jpeg(colour=(10, 10, 200)))
    new = _draft_photo_ids(rt, seller)
    assert len(new) == 2 and not (new & old)  # the old photo is gone once a new one arrived
    reply = seller.taps("เสร็จแล้ว")
    assert "ตัวอย่างที่ผู้ซื้อจะเห็น" in reply.text
    seller.taps("ส่งตรวจรับรอง")
    product = latest_product(rt, seller)
    assert {p["id"] for p in product.photos} == new and _draft_photo_ids(rt, seller) == set()


def test_choosing_photos_then_done_keeps_the_old_photos(seller, rt):
    _to_preview(seller)
    old = _draft_photo_ids(rt, seller)
    seller.taps("แก้ไข")
    seller.taps("รูปสินค้า")
    reply = seller.taps("เสร็จแล้ว")
    assert "ตัวอย่างที่ผู้ซื้อจะเห็น" in reply.text and _draft_photo_ids(rt, seller) == old


def test_cancel_at_the_preview_asks_once_then_keeps_nothing(seller, rt):
    _to_preview(seller)
    reply = seller.taps("ยกเลิก")
    assert "ยกเลิกการลงขาย “ผ้าไหมมัดหมี่ลายนาค” ใช่ไหมคะ" in reply.text
    reply = seller.taps("กลับไปดูตัวอย่าง")  # changed their mind: everything is still there
    assert "ตัวอย่างที่ผู้ซื้อจะเห็น" in reply.text and "1,200 บาท / ผืน" in reply.text
    assert len(_draft_photo_ids(rt, seller)) == 1
    seller.taps("ยกเลิก")
    reply = seller.taps("ยกเลิกการลงขาย")
    assert "ยกเลิกการลงขาย “ผ้าไหมมัดหมี่ลายนาค” แล้วค่ะ ไม่ได้บันทึกสินค้านี้" in reply.text
    assert "ลงขายสินค้า" in reply.quick_replies()
    assert _flow(rt, seller) is None and _products(rt) == 0 and _draft_photo_ids(rt, seller) == set()


def test_preview_buttons_outside_the_flow_or_forged_are_answered_politely(seller, rt):
    stale = seller.postback(PreviewChoice("edit").pack())
    assert stale.texts and _flow(rt, seller) is None  # no open posting: told the button is old
    _to_preview(seller)
    seller.taps("แก้ไข")
    reply = seller.postback(EditField("owner_name").pack())  # not a part of a product
    assert "กรุณากดเลือกจากปุ่ม" in reply.text and _flow(rt, seller) == "market_post:edit_pick"
    reply = seller.postback(PreviewChoice("delete-everything").pack())
    assert "กรุณากดเลือกจากปุ่ม" in reply.text and _flow(rt, seller) == "market_post:edit_pick"
