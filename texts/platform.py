"""Thai copy for the platform: help, errors, the settings flow, staff sign-in."""

OA_NAME = "อบจ.ขอนแก่น"

# Words people type or buttons send. Contracts: keep them stable.
WORD_HELP = "ช่วยเหลือ"
WORD_SETTINGS = "ตั้งค่า"
WORD_CANCEL = "ยกเลิก"
WORD_STAFF_LOGIN = "เข้าระบบเจ้าหน้าที่"

HELP_INTRO = "สวัสดีค่ะ 😊 เลือกเมนูด้านล่างได้เลย หรือพิมพ์คำที่ต้องการค่ะ"
HELP_UNKNOWN = "ขออภัยค่ะ ไม่เข้าใจข้อความนี้ กรุณาเลือกจากปุ่มด้านล่างนะคะ"
HELP_NON_TEXT = "ขอบคุณค่ะ 😊 ตอนนี้ระบบอ่านได้เฉพาะข้อความและปุ่มนะคะ เลือกเมนูด้านล่างได้เลย"

STALE_BUTTON = "ปุ่มนี้ใช้ไม่ได้แล้วค่ะ อาจเป็นข้อความเก่า กรุณาเริ่มใหม่จากเมนูนะคะ"
STALE_FLOW_BUTTON = "ขั้นตอนนี้จบไปแล้วค่ะ ถ้าต้องการทำใหม่ กรุณาเริ่มจากเมนูนะคะ"
FLOW_CANCELLED = "ยกเลิกเรียบร้อยแล้วค่ะ"
NOTHING_TO_CANCEL = "ตอนนี้ไม่มีขั้นตอนที่ต้องยกเลิกค่ะ"
FLOW_LEFT = "ออกจากขั้นตอน「{title}」แล้วค่ะ"
FLOW_EXPIRED = "ขั้นตอน「{title}」หมดเวลาแล้วค่ะ เริ่มใหม่ได้ทุกเมื่อนะคะ"
FLOW_CANCEL_HINT = "พิมพ์ “ยกเลิก” ได้ทุกเมื่อ"
SYSTEM_ERROR = "ขออภัยค่ะ ระบบขัดข้องชั่วคราว เจ้าหน้าที่ได้รับแจ้งแล้ว กรุณาลองใหม่อีกครั้งภายหลังนะคะ"
STAFF_ONLY = "ขออภัยค่ะ เมนูนี้สำหรับเจ้าหน้าที่เท่านั้น"

# Settings flow ("ตั้งค่า")
SETTINGS_TITLE = "ตั้งค่า"
ASK_DISTRICT = "คุณอยู่อำเภอไหนคะ? เลือกจากปุ่มด้านล่าง หรือพิมพ์ชื่ออำเภอได้เลยค่ะ"
ASK_DISTRICT_ALT = "เลือกอำเภอของคุณ"
DISTRICT_CARD_TITLE = "เลือกอำเภอ ({page}/{pages})"
DISTRICT_NOT_FOUND = "ไม่พบอำเภอ “{text}” ในจังหวัดขอนแก่นค่ะ กรุณากดเลือกจากปุ่มนะคะ"
DISTRICT_SAVED = "บันทึกแล้วค่ะ ✅ อำเภอของคุณคือ {district}\nเราจะส่งข่าวโครงการในพื้นที่ของคุณให้นะคะ"

# Staff console sign-in
STAFF_LOGIN_LINK = "ลิงก์เข้าระบบเจ้าหน้าที่ (ใช้ได้ครั้งเดียว ภายใน 10 นาที) ⬇️"
STAFF_LOGIN_BUTTON = "เข้าระบบ"
STAFF_LOGIN_ALT = "ลิงก์เข้าระบบเจ้าหน้าที่"
