"""The order builders at their largest are valid for LINE's schema and size limits (the dialogs check them too)."""

from __future__ import annotations

from flex_templates.orders import Button, OrderCard, order_message, orders_carousel
from handlers.orders import pack
from line_emulator.limits import check_message
from line_emulator.schema import get_spec


def valid(message: dict) -> list:
    return get_spec().validate("Message", message) + check_message(message)


def big_card(n: int = 1) -> OrderCard:
    return OrderCard(
        title=f"คำสั่งซื้อเลขที่ {n:05d}", status="ส่งสลิปแล้ว รอร้านตรวจ",
        rows=[("ผ" * 80 + " × 999 ผืน", "999 × 1,000,000 บาท"), ("ค่าส่ง (Kerry Express)", "1,000,000 บาท"),
              ("ชำระเงิน", "โอนผ่านพร้อมเพย์"), ("ผู้รับ", "ก" * 100 + " 0891234567"), ("ที่อยู่", "ท" * 300),
              ("เลขพัสดุ", "Flash Express TH0123456789ABCDEFGH")],
        total=("รวมทั้งหมด", "999,999,999.99 บาท"), note="ห" * 300 + "\nสั่งเมื่อ 23 พ.ย. 2569 10:00 น.",
        buttons=[Button("ได้รับเงินแล้ว", pack("paid", 999_999_999)),
                 Button("ยกเลิกคำสั่งซื้อ", pack("shop_cancel", 999_999_999), danger=True),
                 Button("ติดตามพัสดุ", uri="https://www.flashexpress.co.th/tracking/?se=TH0123456789A"),
                 Button("ส่งสลิป", pack("slip", 999_999_999))],
    )


def test_one_order_at_its_largest_is_valid():
    quick = [{"type": "message", "label": "คำสั่งซื้อของฉัน", "text": "คำสั่งซื้อของฉัน"}]
    assert valid(order_message("ก" * 2000, big_card(), quick)) == []


def test_a_full_list_of_orders_is_valid_and_capped_at_twelve_bubbles_and_50_kb():
    largest = orders_carousel("คำสั่งซื้อของร้าน 20 รายการ", [big_card(n) for n in range(20)])
    assert valid(largest) == [] and 1 <= len(largest["contents"]["contents"]) < 12
    usual = [big_card(n) for n in range(20)]
    for card in usual:
        card.rows = [(label[:40], value[:40]) for label, value in card.rows]
        card.note = None
    message = orders_carousel("คำสั่งซื้อของร้าน 20 รายการ", usual)
    assert valid(message) == [] and len(message["contents"]["contents"]) == 12


def test_a_bare_card_is_valid():
    assert valid(order_message("สรุป", OrderCard(title="สรุปคำสั่งซื้อ", status=""))) == []
