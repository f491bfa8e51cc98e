"""Thai copy for the buyer satisfaction survey, product and shop ratings, and re-inspection of certified products."""

from __future__ import annotations

# Words buttons send and people type. Contracts: keep them stable.
LABEL_START = "เริ่มให้คะแนน"
LABEL_SKIP = "ข้าม"
RATING_LABELS = {5: "ดีมาก", 4: "ดี", 3: "พอใช้", 2: "ควรปรับปรุง", 1: "แย่"}

FLOW_TITLE = "ให้คะแนนสินค้า"
INVITE_ALT = "ช่วยให้คะแนน “{product}” หน่อยนะคะ"
INVITE = ("🛍️ คุณได้รับ “{product}” จาก{shop} เมื่อ {date}\n"
          "ช่วยให้คะแนนสั้นๆ {count} ข้อ ใช้เวลาไม่ถึง 1 นาทีค่ะ\n"
          "คำตอบของคุณช่วยให้ร้านค้าชุมชนพัฒนา และช่วยผู้ซื้อคนอื่นเลือกสินค้าค่ะ 🙏")
INTRO = "ขอบคุณค่ะ 🙏 ให้คะแนน “{product}” จาก{shop} ทีละข้อนะคะ (5 = ดีมาก, 1 = แย่)"
PROGRESS = "({index}/{total}) {prompt}"
QUESTIONS = {
    "product": "ความพอใจต่อตัวสินค้า",
    "comment": "เสียใจด้วยค่ะ 😔 สินค้ามีปัญหาอะไร เล่าสั้นๆ ให้เจ้าหน้าที่ทราบได้ไหมคะ",
    "shop": "ความพอใจต่อร้านค้า (การตอบ การดูแล)",
    "delivery": "ความพอใจต่อการจัดส่ง/การรับสินค้า",
    "overall": "ภาพรวม ความพอใจครั้งนี้",
    "photo": "ส่งรูปสินค้าที่ได้รับได้ไหมคะ",
}
HINT_RATING = "กดเลือกคะแนนด้านล่างค่ะ"
HINT_COMMENT = "พิมพ์เล่าได้เลยค่ะ ไม่สะดวกกด “ข้าม”"
HINT_PHOTO = "กดถ่ายรูปหรือเลือกรูปด้านล่าง ไม่สะดวกกด “ข้าม”"
LABEL_CAMERA = "ถ่ายรูป"
LABEL_CAMERA_ROLL = "เลือกรูป"
THANKS = "ขอบคุณมากค่ะ 🙏 บันทึกคะแนนของคุณเรียบร้อยแล้ว"
THANKS_COMPLAINT = "เจ้าหน้าที่ อบจ. จะตรวจสอบเรื่องที่คุณแจ้งนะคะ"

BAD_RATING = "ขออภัยค่ะ ข้อนี้ตอบเป็นคะแนน 1–5 กรุณากดปุ่มด้านล่างนะคะ"
BAD_COMMENT_EMPTY = "กรุณาพิมพ์เล่าสั้นๆ หรือกด “ข้าม” ค่ะ"
BAD_COMMENT_LONG = "ข้อความยาวเกินไปค่ะ (ไม่เกิน {limit} ตัวอักษร) กรุณาพิมพ์ให้สั้นลงนะคะ"
BAD_PHOTO = "ข้อนี้ขอเป็นรูปภาพค่ะ กดถ่ายรูปหรือเลือกรูป หรือกด “ข้าม” ค่ะ"
ALREADY_ANSWERED = "ข้อนี้ตอบไปแล้วค่ะ ไปต่อที่ข้อถัดไปนะคะ"
COMPLETED_ALREADY = "คุณให้คะแนนคำสั่งซื้อนี้ครบแล้วค่ะ ขอบคุณมากนะคะ 🙏"
NOT_FOUND = "ไม่พบแบบสอบถามนี้ค่ะ อาจเป็นข้อความเก่า ขอบคุณที่สนใจนะคะ 🙏"
EXPIRED = "แบบสอบถามนี้ปิดรับคำตอบแล้วค่ะ ขอบคุณที่สนใจนะคะ 🙏"

# Ratings on the product bubble and page (shown only with enough answers).
RATING_SHORT = "★ {mean} ({count})"
RATING_PAGE = "คะแนนจากผู้ซื้อ ★ {mean} จาก 5 ({count} คน)"
RATING_SHOP = "คะแนนร้าน ★ {mean} ({count})"

# Re-inspection (public pages and the console).
UNDER_REINSPECTION = "อยู่ระหว่างตรวจสอบซ้ำ"
UNDER_REINSPECTION_NOTE = "เจ้าหน้าที่ อบจ. กำลังตรวจสอบสินค้านี้อีกครั้งจากความเห็นของผู้ซื้อ"
CAUSES = {"rating": "คะแนนจากผู้ซื้อต่ำกว่าเกณฑ์", "complaint": "มีเรื่องร้องเรียน"}
EVENT_KINDS = {
    "complaint": "เรื่องร้องเรียน",
    "flagged": "ให้ตรวจสอบซ้ำ",
    "cleared": "ยกเลิกการตรวจสอบซ้ำ (คะแนนกลับมาผ่านเกณฑ์)",
    "kept": "ตรวจสอบซ้ำแล้ว คงการรับรอง",
    "revoked": "ตรวจสอบซ้ำแล้ว เพิกถอนการรับรอง",
    "ended": "ปิดการตรวจสอบซ้ำ (ไม่มีใบรับรองที่ใช้ได้)",
}
EVENT_RATING_LOW = "คะแนนเฉลี่ยสินค้า {mean} จาก {count} คำตอบล่าสุด (เกณฑ์ {threshold})"
EVENT_RATING_BACK = "คะแนนเฉลี่ยสินค้ากลับมาเป็น {mean} จาก {count} คำตอบล่าสุด"
EVENT_BUYER_COMPLAINT = "ผู้ซื้อให้คะแนนสินค้า 1 พร้อมความเห็น (คำสั่งซื้อ #{order_id})"
CONSOLE_REINSPECTIONS = "สินค้ารอตรวจสอบซ้ำ"
CONSOLE_REINSPECTION = "การตรวจสอบซ้ำ"
CONSOLE_CAUSE = "สาเหตุ"
CONSOLE_SINCE = "ตั้งแต่"
CONSOLE_KEEP = "คงการรับรอง"
CONSOLE_KEEP_NOTE = "บันทึกผลการตรวจ (ไม่บังคับ)"
CONSOLE_REVOKE = "เพิกถอนการรับรอง"
CONSOLE_REPORT_COMPLAINT = "แจ้งเรื่องร้องเรียน"
CONSOLE_COMPLAINT_DETAIL = "รายละเอียดเรื่องร้องเรียน"
CONSOLE_BUYER_COMMENTS = "ความเห็นจากผู้ซื้อ"
CONSOLE_RATINGS = "คะแนนจากผู้ซื้อ"
CONSOLE_RATING_ROLLING = "คะแนนล่าสุด (ใช้ตัดสินการตรวจสอบซ้ำ)"
CONSOLE_NO_RATINGS = "ยังไม่มีคะแนน"
CONSOLE_EVENTS = "เหตุการณ์การรับรอง"
CONSOLE_NONE_WAITING = "ไม่มีสินค้ารอตรวจสอบซ้ำ"
STAFF_KEPT = "คงการรับรอง “{name}” แล้ว"
STAFF_REVOKED = "เพิกถอนการรับรอง “{name}” แล้ว"
STAFF_COMPLAINT_RECORDED = "บันทึกเรื่องร้องเรียนของ “{name}” แล้ว"
ERR_NO_REINSPECTION = "สินค้านี้ไม่ได้อยู่ระหว่างตรวจสอบซ้ำแล้วค่ะ"
ERR_COMPLAINT = "กรุณาใส่รายละเอียดเรื่องร้องเรียน (2–500 ตัวอักษร)"
ERR_PRODUCT = "ไม่พบสินค้านี้"
ERR_NOT_CERTIFIED = "สินค้านี้ไม่มีใบรับรองที่ใช้ได้อยู่แล้ว"
STAFF_NOTICE_FLAGGED = ("🔎 สินค้า “{name}” ({shop}) ต้องตรวจสอบซ้ำ: {cause}\n"
                        "ดูและตัดสินได้ที่คอนโซล › ตลาดชุมชน › สินค้ารอตรวจสอบซ้ำ")
