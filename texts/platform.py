"""Thai copy for the platform: help, errors, flows, staff sign-in ("ตั้งค่า" is the profile flow: texts/citizens.py)."""

OA_NAME = "อบจ.ขอนแก่น"

# Words people type or buttons send. Contracts: keep them stable.
WORD_HELP = "ช่วยเหลือ"
WORD_SETTINGS = "ตั้งค่า"
WORD_CANCEL = "ยกเลิก"
WORD_STAFF_LOGIN = "เข้าระบบเจ้าหน้าที่"

HELP_INTRO = "สวัสดีค่ะ 😊 เลือกเมนูด้านล่างได้เลย หรือพิมพ์คำที่ต้องการค่ะ"
# Never "ไม่เข้าใจ": say what the person can do instead (menu, type a product name, reach a person).
HELP_UNKNOWN = ("เลือกเมนูด้านล่างได้เลยค่ะ 😊\nพิมพ์ชื่อสินค้าเพื่อค้นหาในตลาดชุมชน "
                "หรือกด “ติดต่อเจ้าหน้าที่” เพื่อคุยกับเจ้าหน้าที่")
HELP_NON_TEXT = "ขอบคุณค่ะ 😊 ตอนนี้ระบบอ่านได้เฉพาะข้อความและปุ่มนะคะ เลือกเมนูด้านล่างได้เลย"

STALE_BUTTON = "ปุ่มนี้ใช้ไม่ได้แล้วค่ะ อาจเป็นข้อความเก่า กรุณาเริ่มใหม่จากเมนูนะคะ"
STALE_FLOW_BUTTON = "ขั้นตอนนี้จบไปแล้วค่ะ ถ้าต้องการทำใหม่ กรุณาเริ่มจากเมนูนะคะ"
FLOW_CANCELLED = "ยกเลิกเรียบร้อยแล้วค่ะ"
NOTHING_TO_CANCEL = "ตอนนี้ไม่มีขั้นตอนที่ต้องยกเลิกค่ะ"
FLOW_LEFT = "ออกจากขั้นตอน “{title}” แล้วค่ะ"
FLOW_EXPIRED = "ขั้นตอน “{title}” หมดเวลาแล้วค่ะ เริ่มใหม่ได้ทุกเมื่อนะคะ"
FLOW_CANCEL_HINT = "พิมพ์ “ยกเลิก” ได้ทุกเมื่อ"
SYSTEM_ERROR = "ขออภัยค่ะ ระบบขัดข้องชั่วคราว เจ้าหน้าที่ได้รับแจ้งแล้ว กรุณาลองใหม่อีกครั้งภายหลังนะคะ"
STAFF_ONLY = "ขออภัยค่ะ เมนูนี้สำหรับเจ้าหน้าที่เท่านั้น"

# Staff console sign-in
STAFF_LOGIN_LINK = "ลิงก์เข้าระบบเจ้าหน้าที่ (ใช้ได้ครั้งเดียว ภายใน 10 นาที) ⬇️"
STAFF_LOGIN_BUTTON = "เข้าระบบ"
STAFF_LOGIN_ALT = "ลิงก์เข้าระบบเจ้าหน้าที่"

# Staff invitations: the text an invitation link puts in the chat box, and the answers to it
WORD_STAFF_INVITE = "รับสิทธิ์เจ้าหน้าที่"
STAFF_INVITE_MESSAGE = WORD_STAFF_INVITE + " รหัส {code}"  # what the link pre-fills; the bot reads the code
STAFF_INVITE_WELCOME = (
    "ยินดีต้อนรับค่ะ 🎉 คุณได้รับสิทธิ์{role}ของ อบจ.ขอนแก่น แล้ว\n"
    "เปิดหน้าเจ้าหน้าที่ได้โดยกดปุ่ม “" + WORD_STAFF_LOGIN + "” ด้านล่าง หรือพิมพ์คำนี้ในแชต "
    "ระบบจะส่งลิงก์เข้าระบบให้ทันที ไม่ต้องใช้รหัสผ่านค่ะ\n"
    "เมนูด้านล่างของแชตจะเปลี่ยนเป็นเมนูเจ้าหน้าที่ในไม่ช้านะคะ"
)
STAFF_INVITE_ROLE_NAMES = {"admin": "ผู้ดูแลระบบ", "staff": "เจ้าหน้าที่"}
STAFF_INVITE_NO_CODE = ("รับสิทธิ์เจ้าหน้าที่ได้จากลิงก์คำเชิญที่ผู้ดูแลระบบส่งให้ค่ะ "
                        "กรุณาเปิดลิงก์นั้น แล้วกดส่งข้อความที่เตรียมไว้ได้เลยนะคะ")
STAFF_INVITE_UNKNOWN = ("ขออภัยค่ะ ไม่พบคำเชิญรหัสนี้ กรุณาเปิดลิงก์คำเชิญอีกครั้ง "
                        "หรือขอคำเชิญใหม่จากผู้ดูแลระบบนะคะ")
STAFF_INVITE_USED = "คำเชิญนี้ถูกใช้ไปแล้วค่ะ (ใช้ได้ครั้งเดียว) กรุณาขอคำเชิญใหม่จากผู้ดูแลระบบนะคะ"
STAFF_INVITE_EXPIRED = "คำเชิญนี้หมดอายุแล้วค่ะ (ใช้ได้ภายใน {hours} ชั่วโมง) กรุณาขอคำเชิญใหม่จากผู้ดูแลระบบนะคะ"
STAFF_INVITE_REVOKED = "คำเชิญนี้ถูกยกเลิกแล้วค่ะ กรุณาติดต่อผู้ดูแลระบบนะคะ"
STAFF_INVITE_ALREADY = ("คุณเป็น{role}อยู่แล้วค่ะ กดปุ่ม “" + WORD_STAFF_LOGIN + "” เพื่อเปิดหน้าเจ้าหน้าที่ได้เลย "
                        "(คำเชิญนี้ยังไม่ถูกใช้ ส่งต่อให้ผู้ที่ได้รับเชิญได้ค่ะ)")
