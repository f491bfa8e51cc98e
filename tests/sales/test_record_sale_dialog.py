""""บันทึกยอดขาย" in chat: a vendor records a sale by buttons; bad answers keep the question; "ยกเลิก" leaves."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from bot.conversation import current_flow
from handlers.sales import SaleConfirm, SaleProduct
from models.sales import Sale
from tests.dialog import dialog, tap


def _rows(rt):
    with rt.db.transaction() as session:
        return [(s.product_name, s.quantity, s.amount_satang, s.channel, s.sold_on, s.source, s.recorded_by)
                for s in session.scalars(select(Sale).order_by(Sale.id))]


def test_vendor_records_a_market_sale_by_buttons_with_bad_answers_on_the_way(rt, shop):
    somsri, vendor_id, product_id = shop
    replies = dialog(somsri, [
        ("บันทึกยอดขาย", "ขายสินค้าอะไรคะ"),
        (tap("ผ้าไหมมัดหมี่ลายนาค"), "ขายได้กี่ผืนคะ"),
        ("0", "จำนวนต้องเป็นตัวเลข 1–99,999"),
        ("สองผืน", "จำนวนต้องเป็นตัวเลข"),
        ("๓", ["3 ผืน × 1,200 บาท = 3,600 บาท", "ยอดเงินถูกต้องไหม"]),
        ("0", "ยอดเงินต้องเป็นตัวเลขมากกว่า 0"),
        ("3,500", "ขายที่ไหนคะ"),
        ("ออนไลน์", "บันทึกให้อัตโนมัติ"),
        (tap("ตลาดนัด"), "ขายวันไหนคะ"),
        (tap("เลือกวัน", {"date": "2026-11-24"}), "ต้องไม่เกินวันนี้"),  # a forged picker answer: tomorrow
        ("1/1/2560", "ย้อนหลังได้ไม่เกิน 1 ปี"),
        (tap("เลือกวัน", {"date": "2026-11-20"}),
         ["ผ้าไหมมัดหมี่ลายนาค", "3,500 บาท", "ตลาดนัด", "20 พ.ย. 2569"]),
        ("บันทึกเลย", "กรุณาแตะปุ่ม"),
        (tap("บันทึก"), ["บันทึกยอดขายแล้ว", "ยอดขายเดือนพฤศจิกายน 2569", "ตลาดนัด: 3,500 บาท", "รวม 3,500 บาท"]),
    ])
    picker = next(a for a in replies[8].actions() if a["type"] == "datetimepicker")
    assert (picker["mode"], picker["max"]) == ("date", "2026-11-23")
    assert replies[1].quick_replies()[:5] == ["1", "2", "3", "5", "10"]
    assert _rows(rt) == [("ผ้าไหมมัดหมี่ลายนาค", 3, 350000, "market", date(2026, 11, 20), "chat", somsri.user_id)]
    with rt.db.transaction() as session:
        assert current_flow(session, somsri.user_id) is None


def test_prefilled_amount_and_yesterday_and_a_product_never_posted(rt, shop):
    somsri, _, _ = shop
    dialog(somsri, [
        ("บันทึกยอดขาย", "ขายสินค้าอะไรคะ"),
        (tap("ผ้าไหมมัดหมี่ลายนาค"), "กี่ผืน"),
        (tap("2"), "2,400 บาท"),
        (tap("ใช่ 2,400 บาท"), "ขายที่ไหน"),
        (tap("หน้าร้าน"), "ขายวันไหน"),
        (tap("เมื่อวาน"), "22 พ.ย. 2569"),
        (tap("บันทึก"), ["หน้าร้าน: 2,400 บาท"]),
        ("บันทึกยอดขาย", "ขายสินค้าอะไรคะ"),
        ("ผ้าขาวม้า", "ขายได้กี่ชิ้นคะ"),
        ("10", "ได้เงินทั้งหมดกี่บาท"),
        ("1500.50", "ขายที่ไหน"),
        (tap("ฝากขาย"), "ขายวันไหน"),
        (tap("วันนี้"), "23 พ.ย. 2569"),
        (tap("บันทึก"), ["หน้าร้าน: 2,400 บาท", "ฝากขาย: 1,500.50 บาท", "รวม 3,900.50 บาท"]),
    ])
    rows = _rows(rt)
    assert [(r[0], r[1], r[2], r[3], r[4]) for r in rows] == [
        ("ผ้าไหมมัดหมี่ลายนาค", 2, 240000, "storefront", date(2026, 11, 22)),
        ("ผ้าขาวม้า", 10, 150050, "consignment", date(2026, 11, 23))]


def test_cancel_at_any_step_records_nothing(rt, shop):
    somsri, _, _ = shop
    walk = [("บันทึกยอดขาย", "ขายสินค้าอะไรคะ"), (tap("ผ้าไหมมัดหมี่ลายนาค"), "กี่ผืน"), ("2", "2,400"),
            (tap("ใช่ 2,400 บาท"), "ขายที่ไหน"), (tap("ตลาดนัด"), "ขายวันไหน"), (tap("วันนี้"), "ตรวจสอบ")]
    for steps in range(1, len(walk) + 1):  # "ยกเลิก" after each question, typed or tapped
        cancel = tap("ยกเลิก") if steps % 2 else "ยกเลิก"
        dialog(somsri, [*walk[:steps], (cancel, "ยกเลิกเรียบร้อยแล้ว")])
        with rt.db.transaction() as session:
            assert current_flow(session, somsri.user_id) is None
    stale = somsri.postback(SaleConfirm().pack())
    assert "ขั้นตอนนี้จบไปแล้ว" in stale.body
    assert _rows(rt) == []


def test_someone_without_a_shop_is_told_to_register_and_cannot_use_another_shops_product(rt, shop, chat):
    _, _, product_id = shop
    somchai = chat("สมชาย")
    somchai.follow()
    reply = somchai.says("บันทึกยอดขาย")
    assert "ลงทะเบียนร้านค้า" in reply.labels()
    assert "ลงทะเบียนร้านค้า" in reply.body and _rows(rt) == []
    other = chat("ป้าแดง")
    other.follow()
    from tests.market.conftest import approved_shop
    approved_shop(other, rt, shop="ร้านป้าแดง")
    other.says("บันทึกยอดขาย")
    reply = other.postback(SaleProduct(product_id).pack())  # forged: somsri's product
    assert "ไม่พบสินค้านี้ในร้าน" in reply.body
    assert _rows(rt) == []
