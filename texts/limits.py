"""Thai copy for rate limits: the polite answer to someone who does something too often, and staff's labels."""

from __future__ import annotations

TOO_OFTEN = "ขออภัยค่ะ ทำรายการนี้บ่อยเกินไป กรุณาลองใหม่ในอีก {wait} นะคะ 🙏"
LABELS = {
    "training_signup": "สมัคร/ยกเลิกการอบรมเดียวกันบ่อยเกินไป",
    "vendor_register": "ลงทะเบียนร้านค้าซ้ำบ่อยเกินไป",
    "case_notice": "เปิดเรื่องติดต่อเจ้าหน้าที่บ่อยเกินไป (งดแจ้งเตือนเจ้าหน้าที่)",
    "push_for_other": "ได้รับข้อความจากการกระทำของผู้อื่นเกินกำหนด (งดส่งเพิ่ม)",
    "order_place": "สั่งซื้อสินค้าบ่อยเกินไป",
}

# Console
PAGE_TITLE = "การจำกัดการใช้งาน"
PAGE_INTRO = ("รายการนี้คือผู้ที่ทำรายการถี่เกินกำหนด ระบบงดส่งข้อความเพิ่มเพื่อไม่ให้เปลืองโควตาข้อความของ อบจ. "
              "แต่ละแถวคือครั้งแรกที่เกินในช่วงเวลานั้น")
NONE = "ยังไม่มีใครถูกจำกัดการใช้งาน"
COL_WHEN = "เวลา"
COL_WHAT = "เรื่อง"
COL_WHO = "ผู้ใช้"
COL_LIMIT = "เกณฑ์"
LIMIT_VALUE = "{max} ครั้ง/{window}"
WAITING_LABEL = "ถูกจำกัดการใช้งาน (24 ชม.)"
UNKNOWN_WHO = "-"


def wait_text(minutes: int) -> str:
    """"15 นาที", "2 ชั่วโมง", "1 วัน"."""
    if minutes < 60:
        return f"{minutes} นาที"
    hours = -(-minutes // 60)
    return f"{hours} ชั่วโมง" if hours < 24 else f"{-(-hours // 24)} วัน"


def window_text(seconds: int) -> str:
    return wait_text(max(1, seconds // 60)).replace("1 ชั่วโมง", "ชั่วโมง").replace("1 วัน", "วัน")
