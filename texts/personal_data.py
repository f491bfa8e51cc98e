"""Thai labels for the copy of a person's data (the page behind "ขอสำเนาข้อมูล", /my-data/<token>).

Each services module's `export_personal_data` returns plain JSON (see services/privacy.py); the page shows it by
feature. Labels here are optional: a feature added later shows up without them (its section titled by
OTHER_FEATURES in texts/citizens.py or its module name, each field by COMMON_FIELDS or its key), and reads well
once its entries are added here:

    FEATURES["cases"] = "การติดต่อเจ้าหน้าที่"                 # the section's title
    FIELDS["cases"] = {"opened_at": "เปิดเมื่อ", ...}          # field -> label (nested fields too)
    VALUES[("cases", "status")] = {"open": "รอเจ้าหน้าที่ตอบ"}  # stored key -> Thai name

Dates (ISO strings) are shown in Thai with the Buddhist-era year in Bangkok time, yes/no as ใช่/ไม่ใช่, and the
stored keys of districts, interests, age groups and opt-in purposes by their Thai names, in every feature.
"""

from __future__ import annotations

from texts import citizens as citizens_texts
from texts import commissions as commissions_texts
from texts import market as market_texts
from texts import orders as orders_texts
from texts import sales as sales_texts
from texts import support as support_texts
from texts import trainings as trainings_texts
from texts.districts import DISTRICTS

PAGE_TITLE = "สำเนาข้อมูลของฉัน"
PAGE_INTRO = "ข้อมูลทั้งหมดที่ อบจ.ขอนแก่น เก็บเกี่ยวกับคุณ แยกตามบริการ ลิงก์นี้ใช้ได้ 30 นาที กรุณาอย่าส่งต่อ"
DOWNLOAD = "ดาวน์โหลดไฟล์ข้อมูล (JSON)"
DOWNLOAD_HELP = "ไฟล์สำหรับคอมพิวเตอร์ นำไปใช้กับบริการอื่นได้ (สิทธิ์ขอรับข้อมูลตาม PDPA)"
EMPTY_PAGE = "ไม่มีข้อมูลของคุณในระบบค่ะ"
EXPIRED_TITLE = "ลิงก์หมดอายุแล้ว"
EXPIRED_BODY = ("ลิงก์สำเนาข้อมูลนี้ใช้ไม่ได้แล้วค่ะ (ใช้ได้ 30 นาที) "
                "ขอลิงก์ใหม่ได้ที่เมนู “ข้อมูลของฉัน” ในแชต แล้วกด “ขอสำเนาข้อมูล” นะคะ")
EXPIRED_JSON = "ลิงก์นี้ไม่ถูกต้องหรือหมดอายุแล้ว ขอลิงก์ใหม่ได้ที่เมนู “ข้อมูลของฉัน” ในแชต"
ERASE_HINT = "ต้องการแก้ไขหรือลบข้อมูล พิมพ์ “ข้อมูลของฉัน” ในแชตได้ทุกเมื่อค่ะ"
YES = "ใช่"
NO = "ไม่ใช่"
NONE = "ไม่มี"
ITEM = "รายการที่ {n}"
BAHT = "{amount} บาท"
SECONDS = "{n} วินาที"

# Section order: the person first, then what they joined. Features not listed follow in name order.
ORDER = ("profile", "consent", "projects", "trainings", "surveys", "orders", "referrals", "commissions", "vendors",
         "sales", "support", "limits")

FEATURES: dict[str, str] = {
    "profile": "ข้อมูลส่วนตัว",
    "consent": "ความยินยอม",
    "projects": "โครงการที่ติดตาม",
    "trainings": "การสมัครอบรม",
    "surveys": "แบบสอบถาม",
    "vendors": "ร้านค้าและสินค้า",
    "orders": "คำสั่งซื้อ",
    "referrals": "แชร์รับรายได้",
    "commissions": "ค่าแนะนำ",
    "sales": "ยอดขายที่บันทึก",
    "support": "การติดต่อเจ้าหน้าที่",
    "limits": "การจำกัดการใช้งาน",
}

# Labels any feature may use (a feature's own FIELDS entry wins).
COMMON_FIELDS: dict[str, str] = {
    "id": "หมายเลข", "title": "ชื่อ", "name": "ชื่อ", "status": "สถานะ", "district": "อำเภอ", "phone": "เบอร์โทร",
    "full_name": "ชื่อ-นามสกุล", "text": "ข้อความ", "created_at": "สร้างเมื่อ", "updated_at": "แก้ไขล่าสุด",
    "at": "เมื่อ", "since": "ตั้งแต่", "interests": "ความสนใจ", "age_group": "ช่วงอายุ",
}

FIELDS: dict[str, dict[str, str]] = {
    "profile": {
        "line_user_id": "รหัสผู้ใช้ LINE", "following": "ติดตามบัญชี LINE อยู่", "followed_at": "ติดตามเมื่อ",
        "privacy_notice_version": "ประกาศความเป็นส่วนตัวที่ได้รับ", "privacy_notice_at": "ได้รับประกาศเมื่อ",
        "first_contact_at": "ติดต่อครั้งแรกเมื่อ",
    },
    "consent": {
        "consents": "ความยินยอมตอนนี้", "consent_history": "ประวัติการให้และถอนความยินยอม",
        "purpose": "เรื่อง", "action": "การดำเนินการ", **citizens_texts.PURPOSE_NAMES,
    },
    "projects": {"followed_projects": "โครงการที่ติดตาม", "project_id": "หมายเลขโครงการ", "title": "โครงการ"},
    "trainings": {
        "training_signups": "การสมัคร", "training": "การอบรม", "starts_at": "วันอบรม", "signed_up_at": "สมัครเมื่อ",
        "checked_in_at": "เช็กอินเมื่อ", "cancelled_at": "ยกเลิกเมื่อ",
    },
    "surveys": {
        "survey_invitations": "คำเชิญ", "survey_responses": "คำตอบของคุณ", "survey": "แบบสอบถาม",
        "invited_at": "เชิญเมื่อ", "reminded_at": "เตือนเมื่อ", "started_at": "เริ่มตอบเมื่อ",
        "completed_at": "ตอบเสร็จเมื่อ", "answers": "คำตอบ", "question": "คำถาม", "rating": "คะแนน (เต็ม 5)",
        "choices": "ตัวเลือกที่ตอบ", "text": "คำตอบที่พิมพ์", "photo": "ส่งรูป", "skipped": "ข้ามข้อนี้",
    },
    "vendors": {
        "shop": "ร้านค้า", "shop_name": "ชื่อร้าน", "owner_name": "ชื่อเจ้าของ", "promptpay_id": "พร้อมเพย์",
        "pickup_address": "ที่อยู่รับสินค้า", "facebook_url": "เพจ Facebook", "sales_channels": "ช่องทางขาย",
        "line_url": "LINE ของร้าน", "delivery_options": "การส่งสินค้า", "registered_at": "ลงทะเบียนเมื่อ", "products": "สินค้า",
        "name": "ชื่อสินค้า", "category": "หมวด", "price_satang": "ราคา", "unit": "หน่วย",
        "description": "รายละเอียด", "stock": "จำนวนคงเหลือ", "certification": "การรับรอง", "photos": "จำนวนรูป",
    },
    "support": {
        "cases": "เรื่องที่ติดต่อ", "opened_at": "เปิดเรื่องเมื่อ", "last_message_at": "ข้อความล่าสุดเมื่อ",
        "first_answer_at": "เจ้าหน้าที่ตอบครั้งแรกเมื่อ", "first_answer_seconds": "ระยะเวลาจนได้คำตอบแรก",
        "closed_at": "ปิดเรื่องเมื่อ", "closed_by": "ปิดโดย", "messages": "ข้อความ", "from_staff": "จากเจ้าหน้าที่",
        "kind": "ชนิด", "image_id": "หมายเลขรูป", "latitude": "ละติจูด", "longitude": "ลองจิจูด",
        "sent_as": "ส่งแบบ", "created_at": "เมื่อ", "display_name": "ชื่อใน LINE ตอนเปิดเรื่อง",
    },
    "limits": {"limits_reached": "ครั้งที่ทำรายการถี่เกินกำหนด", "action": "รายการ", "at": "เมื่อ"},
    "orders": {
        "orders": "คำสั่งซื้อ", "number": "เลขที่", "product": "สินค้า", "quantity": "จำนวน",
        "total_satang": "ยอดรวม", "delivery_option": "การส่ง", "payment_method": "การชำระเงิน", "name": "ชื่อผู้รับ",
        "phone": "เบอร์โทรผู้รับ", "address": "ที่อยู่จัดส่ง", "placed_at": "สั่งเมื่อ", "tracking_number": "เลขพัสดุ",
    },
    "referrals": {
        "share_earn": "สมาชิกแชร์รับรายได้", "promptpay_id": "พร้อมเพย์สำหรับรับเงิน", "joined_at": "สมัครเมื่อ",
        "left_at": "ออกจากโครงการเมื่อ", "links": "ลิงก์ของฉัน", "code": "รหัสแนะนำ", "product_id": "หมายเลขสินค้า",
        "product": "สินค้า", "clicks": "จำนวนคลิก", "orders": "คำสั่งซื้อจากลิงก์", "disabled": "ปิดลิงก์แล้ว",
        "referral_touches": "รหัสแนะนำที่คุณใช้ตอนสั่งซื้อ", "order_id": "หมายเลขคำสั่งซื้อ",
    },
    "commissions": {
        "commissions": "ค่าแนะนำที่ได้", "order_id": "หมายเลขคำสั่งซื้อ", "product": "สินค้า", "shop_name": "ร้าน",
        "rate_percent": "อัตรา (%)", "amount_satang": "จำนวนเงิน", "balances": "ยอดตามสถานะ",
        "payouts_received": "เงินที่ได้รับ", "payouts_recorded": "การจ่ายค่าแนะนำที่ร้านของคุณบันทึก",
        "paid_at": "จ่ายเมื่อ", **commissions_texts.STATUS_NAMES,
    },
    "sales": {
        "sales_recorded": "ยอดขายที่คุณบันทึก", "vendor_id": "หมายเลขร้าน", "product_name": "สินค้า",
        "quantity": "จำนวน", "amount_satang": "ยอดขาย", "channel": "ช่องทาง", "sold_on": "วันที่ขาย",
        "source": "บันทึกทาง", "recorded_at": "บันทึกเมื่อ",
    },
}

# Stored keys that mean the same everywhere.
COMMON_VALUES: dict[str, dict[str, str]] = {
    "district": DISTRICTS,
    "interests": citizens_texts.INTEREST_NAMES,
    "age_group": citizens_texts.AGE_NAMES,
    "purpose": citizens_texts.PURPOSE_NAMES,
}

VALUES: dict[tuple[str, str], dict[str, str]] = {
    ("consent", "action"): {"grant": "ให้ความยินยอม", "withdraw": "ถอนความยินยอม"},
    ("trainings", "status"): trainings_texts.C_STATUS,
    ("surveys", "status"): {"sent": "ส่งแล้ว", "skipped_cap": "ไม่ได้ส่ง (เพิ่งได้รับแบบสอบถามอื่น)",
                            "unreachable": "ส่งไม่ถึง (เลิกติดตามแล้ว)"},
    ("vendors", "status"): market_texts.VENDOR_STATUS,
    ("vendors", "category"): market_texts.CATEGORIES,
    ("vendors", "certification"): market_texts.CERT_STATUS,
    ("vendors", "sales_channels"): {"line": market_texts.CHANNEL_LINE, "facebook": market_texts.CHANNEL_FACEBOOK},
    ("vendors", "delivery_options"): market_texts.DELIVERY_OPTIONS,
    ("support", "status"): support_texts.STATUS_NAMES,
    ("support", "closed_by"): support_texts.CLOSED_BY_NAMES,
    ("support", "kind"): {"text": "ข้อความ", "image": "รูปภาพ", "location": "ตำแหน่ง", "sticker": "สติกเกอร์",
                          "other": "อื่น ๆ"},
    ("support", "sent_as"): {"reply": "ตอบกลับทันที", "push": "ส่งภายหลัง"},
    ("orders", "status"): orders_texts.STATUS,
    ("orders", "payment_method"): orders_texts.PAYMENT,
    ("orders", "delivery_option"): market_texts.DELIVERY_OPTIONS,
    ("commissions", "status"): commissions_texts.STATUS_NAMES,
    ("sales", "channel"): sales_texts.CHANNELS,
    ("sales", "source"): sales_texts.SOURCES,
}

