"""Thai copy for the staff console (web pages) and the REST API's error messages."""

from texts.platform import WORD_STAFF_LOGIN

SITE_NAME = "ชุมชนดิจิทัล อบจ.ขอนแก่น"
ORG_NAME = "องค์การบริหารส่วนจังหวัดขอนแก่น"
CONSOLE_NAME = "หน้าเจ้าหน้าที่"
EMULATOR_BANNER = "โหมดจำลอง (ไม่ได้เชื่อมต่อ LINE จริง)"
EMULATOR_BANNER_LINK = "เปิดหน้าทดลองแชต"
SKIP_TO_CONTENT = "ข้ามไปยังเนื้อหา"

# Navigation
NAV_DASHBOARD = "ภาพรวม"
NAV_FAILURES = "งานที่ผิดพลาด"
NAV_STAFF = "เจ้าหน้าที่"
NAV_LOGOUT = "ออกจากระบบ"
AUDIT_LINK = "ดูบันทึกการทำงานของเจ้าหน้าที่ (อนุมัติ รับรอง ให้สิทธิ์ จ่ายเงิน ส่งออกข้อมูล)"
REPORTS_ONLY = "บัญชีผู้บริหารเปิดได้เฉพาะหน้ารายงาน (/console/reports)"
ROLE_NAMES = {"admin": "ผู้ดูแลระบบ", "staff": "เจ้าหน้าที่", "executive": "ผู้บริหาร (ดูรายงาน)"}

# Sign-in
LOGIN_TITLE = "เข้าสู่ระบบเจ้าหน้าที่"
LOGIN_INTRO = "กดปุ่มด้านล่างเพื่อเข้าสู่หน้าเจ้าหน้าที่ ลิงก์นี้ใช้ได้ครั้งเดียวและหมดอายุใน 10 นาที"
LOGIN_BUTTON = "เข้าสู่ระบบ"
LOGIN_EXPIRES_AT = "ลิงก์หมดอายุเวลา {time}"
LOGIN_INVALID_TITLE = "ลิงก์นี้ใช้ไม่ได้แล้ว"
LOGIN_INVALID_BODY = "ลิงก์เข้าระบบอาจถูกใช้ไปแล้ว หรือหมดอายุ (ลิงก์ใช้ได้ 10 นาที)"
LOGIN_HOW = f"ขอลิงก์ใหม่ได้ โดยพิมพ์ “{WORD_STAFF_LOGIN}” ในแชต LINE ของ อบจ.ขอนแก่น"
LOGIN_DONE = "เข้าสู่ระบบเรียบร้อยแล้ว"
SIGNIN_NEEDED_TITLE = "กรุณาเข้าสู่ระบบ"
SIGNIN_NEEDED_BODY = "หน้านี้สำหรับเจ้าหน้าที่ กรุณาเข้าสู่ระบบผ่านลิงก์ที่ได้รับในแชต LINE"
SESSION_EXPIRED = "หมดเวลาการใช้งาน กรุณาเข้าสู่ระบบใหม่"
SESSION_ENDED = "การเข้าระบบนี้สิ้นสุดแล้ว (ออกจากระบบแล้ว) กรุณาเข้าสู่ระบบใหม่"
STAFF_REVOKED = "บัญชีนี้ไม่มีสิทธิ์เจ้าหน้าที่แล้ว หากคิดว่าผิดพลาด กรุณาติดต่อผู้ดูแลระบบ"
SIGNED_OUT_TITLE = "ออกจากระบบแล้ว"
SIGNED_OUT_BODY = "ขอบคุณค่ะ ออกจากระบบเรียบร้อยแล้ว"
ADMIN_ONLY = "หน้านี้สำหรับผู้ดูแลระบบเท่านั้น"
CSRF_FAILED = "แบบฟอร์มหมดอายุหรือไม่ถูกต้อง กรุณาโหลดหน้าใหม่แล้วลองอีกครั้ง"

# Dashboard
DASHBOARD_TITLE = "ภาพรวมระบบ"
SIGNED_IN_AS = "เข้าระบบในฐานะ {role}"
COUNT_CITIZENS = "ผู้ติดตามบัญชี"
COUNT_EVENTS_PENDING = "ข้อความรอประมวลผล"
COUNT_EVENTS_FAILED = "ข้อความที่ประมวลผลไม่สำเร็จ"
COUNT_OUTBOX_PENDING = "ข้อความรอส่ง"
COUNT_OUTBOX_DEAD = "ข้อความที่ส่งไม่สำเร็จ"
UNIT_PEOPLE = "คน"
UNIT_ITEMS = "รายการ"
ALL_GOOD = "ไม่มีงานที่ผิดพลาด"
NEEDS_ATTENTION = "มีงานที่ต้องตรวจสอบ"
WAITING_TITLE = "งานที่รอเจ้าหน้าที่"
WAITING_FAILED_SENDS = "ส่งไม่สำเร็จ / ประมวลผลไม่สำเร็จ"
WAITING_NONE = "ไม่มีงานค้าง"
LINK_FAILURES = "ดูงานที่ผิดพลาด"
LINK_STAFF = "จัดการเจ้าหน้าที่"
LINK_API_DOCS = "เอกสาร API (OpenAPI)"
LINK_SIMULATOR = "ทดลองแชต (โหมดจำลอง)"
UPDATED_AT = "ข้อมูล ณ {time}"

# Dashboard: messages sent and the monthly quota (the province pays for every message beyond it)
SENDS_TITLE = "ข้อความที่ส่งออก 7 วันล่าสุด"
SENDS_INTRO = ("นับข้อความที่ LINE รับแล้ว ตามวันที่ส่ง (เวลาประเทศไทย) การตอบกลับไม่ใช้โควตา "
               "การส่งแบบอื่นใช้โควตา 1 ข้อความต่อผู้รับ 1 คน")
QUOTA_USED_LINE = "ใช้โควตาเดือนนี้ (ตาม LINE)"
QUOTA_LEFT_LINE = "โควตาคงเหลือเดือนนี้ (ตาม LINE)"
QUOTA_OF = "จาก {limit}"
QUOTA_UNKNOWN = "ไม่ทราบ"
QUOTA_UNLIMITED = "ไม่จำกัด"
QUOTA_UNKNOWN_HINT = "ขณะนี้ติดต่อ LINE ไม่ได้ จึงไม่ทราบยอดโควตา ดูจำนวนที่นับจากระบบแทนได้"
QUOTA_CHECKED_AT = "ยอดโควตาจาก LINE ณ {time}"
MONTH_PAID_OURS = "ส่งแบบใช้โควตาเดือนนี้ (นับจากระบบ)"
WEEK_REPLIES = "ตอบกลับ 7 วัน (ไม่ใช้โควตา)"
WEEK_PAID = "ส่งแบบใช้โควตา 7 วัน"
UNIT_MESSAGES = "ข้อความ"
TODAY = "วันนี้"
DAY_REPLIES = "ตอบกลับ"
DAY_PAID = "ใช้โควตา"

# Failures
FAILURES_TITLE = "งานที่ผิดพลาด"
FAILURES_INTRO = "รายการที่ระบบทำไม่สำเร็จหลังลองซ้ำหลายครั้ง แก้ไขสาเหตุแล้วกด “ลองใหม่” ได้"
FAILED_EVENTS = "ข้อความจากผู้ใช้ที่ประมวลผลไม่สำเร็จ"
DEAD_LETTERS = "ข้อความที่ส่งถึงผู้ใช้ไม่สำเร็จ"
JUMP_EVENTS = "ประมวลผลไม่สำเร็จ"
JUMP_DEAD = "ส่งไม่สำเร็จ"
NO_FAILED_EVENTS = "ไม่มีข้อความที่ประมวลผลไม่สำเร็จ"
NO_DEAD_LETTERS = "ไม่มีข้อความที่ส่งไม่สำเร็จ"
EVENT_TYPE = "ประเภท"
RECEIVED_AT = "ได้รับเมื่อ"
CREATED_AT = "สร้างเมื่อ"
ATTEMPTS = "ลองแล้ว {n} ครั้ง"
ERROR = "สาเหตุ"
TRACEBACK = "รายละเอียดทางเทคนิค"
KIND = "วิธีส่ง"
RECIPIENTS = "ผู้รับ {n} คน"
LINE_STATUS = "LINE ตอบกลับ HTTP {status}"
NO_LINE_STATUS = "ไม่ได้รับคำตอบจาก LINE"
LINE_DETAILS = "รายละเอียดจาก LINE"
SOURCE = "ที่มา"
RETRY = "ลองใหม่"
OLDER = "ดูรายการก่อนหน้า"
NEWEST = "กลับไปรายการล่าสุด"
INVALID_EVENT = "ข้อมูลจาก LINE ไม่ถูกต้อง"
INVALID_EVENT_HINT = "ระบบใช้ข้อมูลนี้ไม่ได้ จึงไม่ได้ประมวลผลและจะไม่ลองซ้ำ (ลองใหม่ก็จะผิดแบบเดิม)"
EVENT_RETRIED = "นำข้อความ #{id} กลับเข้าคิวประมวลผลแล้ว"
EVENT_NOT_RETRIABLE = "ข้อความ #{id} ไม่ได้อยู่ในสถานะผิดพลาดแล้ว (อาจมีคนกดลองใหม่ไปแล้ว)"
OUTBOX_RETRIED = "นำข้อความ #{id} กลับเข้าคิวส่งแล้ว"
KIND_NAMES = {
    "reply": "ตอบกลับ", "push": "ส่งถึงคนเดียว", "multicast": "ส่งหลายคน",
    "broadcast": "ส่งถึงทุกคน", "narrowcast": "ส่งตามกลุ่มเป้าหมาย",
}
EVENT_TYPE_NAMES = {
    "message": "ข้อความ", "postback": "กดปุ่ม", "follow": "เพิ่มเพื่อน", "unfollow": "บล็อก/เลิกติดตาม",
    "join": "เข้ากลุ่ม", "leave": "ออกจากกลุ่ม", "accountLink": "เชื่อมบัญชี", "beacon": "บีคอน",
}

# Staff management
STAFF_TITLE = "จัดการเจ้าหน้าที่"
STAFF_LIST = "รายชื่อเจ้าหน้าที่"
STAFF_EMPTY = "ยังไม่มีเจ้าหน้าที่"
STAFF_LINE_ID = "LINE user ID"
STAFF_LABEL = "ชื่อที่แสดง"
STAFF_ROLE = "บทบาท"
STAFF_STATUS_ACTIVE = "ใช้งานอยู่"
STAFF_STATUS_REVOKED = "ถอนสิทธิ์แล้ว"
STAFF_GRANTED = "ให้สิทธิ์โดย {who} เมื่อ {when}"
STAFF_REVOKED_AT = "ถอนสิทธิ์เมื่อ {when}"
STAFF_FROM_CONFIG = "การตั้งค่าระบบ"
STAFF_YOU = "คุณ"
GRANT_TITLE = "เพิ่มเจ้าหน้าที่"
GRANT_HELP = "LINE user ID ขึ้นต้นด้วย U ยาว 33 ตัวอักษร (ไม่ใช่ LINE ID ที่ใช้ค้นหาเพื่อน)"
GRANT_BUTTON = "เพิ่มเจ้าหน้าที่"
GRANTED = "ให้สิทธิ์ {role} แก่ {who} แล้ว"
REVOKE = "ถอนสิทธิ์"
REVOKE_CONFIRM_TITLE = "ยืนยันการถอนสิทธิ์"
REVOKE_CONFIRM_BODY = "ถอนสิทธิ์เจ้าหน้าที่ของ {who} ใช่ไหม? ผู้ใช้นี้จะออกจากระบบทันทีที่ใช้งานครั้งถัดไป"
REVOKE_YES = "ยืนยัน ถอนสิทธิ์"
CANCEL = "ยกเลิก"
REVOKED = "ถอนสิทธิ์ {who} แล้ว"
NOT_STAFF = "ผู้ใช้นี้ไม่ได้เป็นเจ้าหน้าที่"

# Error pages (HTML) and API errors (JSON): by HTTP status.
ERROR_TITLES = {
    400: "คำขอไม่ถูกต้อง",
    401: SIGNIN_NEEDED_TITLE,
    403: "ไม่มีสิทธิ์เข้าถึง",
    404: "ไม่พบหน้านี้",
    405: "ไม่รองรับวิธีนี้",
    409: "ทำรายการนี้ไม่ได้ในสถานะปัจจุบัน",
    410: LOGIN_INVALID_TITLE,
    413: "ข้อมูลมีขนาดใหญ่เกินไป",
    415: "รูปแบบข้อมูลไม่รองรับ",
    422: "ข้อมูลไม่ถูกต้อง",
    429: "มีการใช้งานมากเกินไป กรุณารอสักครู่",
    500: "ระบบขัดข้อง",
    503: "ระบบยังไม่พร้อมให้บริการ",
}
ERROR_BODIES = {
    403: "บัญชีของคุณไม่มีสิทธิ์ใช้หน้านี้",
    404: "หน้าที่ต้องการอาจถูกย้ายหรือไม่มีอยู่",
    500: "ขออภัย ระบบขัดข้องชั่วคราว กรุณาลองใหม่อีกครั้งภายหลัง",
}
ERROR_FALLBACK = "เกิดข้อผิดพลาด"
BACK_HOME = "กลับหน้าแรกของเจ้าหน้าที่"

API_ERROR_MESSAGES = {
    404: "ไม่พบ URL นี้ใน API (ดูรายการทั้งหมดที่ /api/v1/openapi.json)",
    405: "URL นี้ไม่รองรับ HTTP method ที่ใช้",
}
API_UNAUTHORIZED = "ต้องส่ง Authorization: Bearer <API_TOKEN> ที่ถูกต้อง"
API_DISABLED = "REST API ปิดอยู่: ยังไม่ได้ตั้งค่า API_TOKEN บนเซิร์ฟเวอร์"
API_INVALID_JSON = "เนื้อหาคำขอต้องเป็น JSON ที่ถูกต้อง"
API_TOO_DEEP = "ข้อมูล JSON ซ้อนกันลึกเกิน {depth} ชั้น"
API_TOO_LARGE = "เนื้อหาคำขอใหญ่เกิน {limit:,} ไบต์"
API_UNKNOWN_FIELD = "ไม่รู้จักช่องนี้ (ตรวจตัวสะกดกับเอกสาร OpenAPI)"
API_BOOL_NOT_NUMBER = "ต้องเป็นตัวเลข ไม่ใช่ true/false"
API_CONTROL_CHARS = "มีอักขระควบคุม (เช่น NUL) ที่ใช้ไม่ได้"
API_ID_RANGE = "รหัสต้องอยู่ระหว่าง 1 ถึง 2,147,483,647"
API_VALIDATION = "ข้อมูลไม่ถูกต้อง ดูรายละเอียดใน fields"
API_BAD_CURSOR = "cursor ไม่ถูกต้อง ให้ใช้ค่า next_cursor จากหน้าก่อนหน้า"
API_EVENT_NOT_FOUND = "ไม่พบเหตุการณ์นี้"
API_EVENT_NOT_FAILED = "ลองใหม่ได้เฉพาะเหตุการณ์ที่ล้มเหลว"
API_CITIZEN_NOT_FOUND = "ไม่พบผู้ใช้นี้"
API_OUTBOX_NOT_FOUND = "ไม่พบข้อความนี้"

# Staff invitations (one-time links instead of typing a LINE user ID)
INVITE_TITLE = "เชิญเจ้าหน้าที่"
INVITE_INTRO = ("สร้างคำเชิญแล้วส่งลิงก์หรือ QR ให้ผู้ที่จะเป็นเจ้าหน้าที่ เมื่อเขาเปิดลิงก์ใน LINE แล้วกดส่งข้อความ "
                "ก็จะได้รับสิทธิ์ทันที คำเชิญใช้ได้ครั้งเดียว ภายใน {hours} ชั่วโมง")
INVITE_LABEL_HELP = "เช่น ชื่อและฝ่ายของผู้ได้รับเชิญ (ไม่บังคับ) จะแสดงในรายชื่อเจ้าหน้าที่"
INVITE_BUTTON = "สร้างคำเชิญ"
INVITE_CREATED_TITLE = "สร้างคำเชิญแล้ว"
INVITE_CREATED_BODY = ("ส่งลิงก์นี้ หรือให้สแกน QR ด้วยโทรศัพท์ที่มี LINE ของผู้ได้รับเชิญ "
                       "แล้วกดส่งข้อความที่เตรียมไว้ในแชต ลิงก์นี้แสดงครั้งเดียว (ระบบเก็บเฉพาะค่าแฮชของรหัส)")
INVITE_CREATED_SIMULATOR = ("โหมดจำลอง: ลิงก์นี้เปิดหน้าทดลองแชตพร้อมข้อความคำเชิญ "
                            "เลือกหรือสร้างผู้ใช้ เพิ่มเพื่อน แล้วกด “ส่ง”")
INVITE_FOR = "คำเชิญเป็น{role}"
INVITE_LINK = "ลิงก์คำเชิญ"
INVITE_CODE = "รหัสคำเชิญ"
INVITE_MESSAGE = "ข้อความที่จะส่งในแชต"
INVITE_QR_ALT = "QR คำเชิญ สแกนด้วยโทรศัพท์เพื่อเปิด LINE"
INVITE_OPEN = "เปิดลิงก์"
INVITE_SHARE_LINE = "ส่งลิงก์ทาง LINE"
INVITE_SHARE_TEXT = "คำเชิญเป็นเจ้าหน้าที่ อบจ.ขอนแก่น: เปิดลิงก์นี้ใน LINE แล้วกดส่งข้อความ {link}"
INVITE_DOWNLOAD_QR = "ดาวน์โหลด QR"
INVITE_EXPIRES = "หมดอายุ {when}"
INVITE_BACK = "กลับไปหน้าจัดการเจ้าหน้าที่"
INVITES_LIST = "คำเชิญล่าสุด"
INVITES_EMPTY = "ยังไม่มีคำเชิญ"
INVITE_STATUS = {"pending": "รอใช้", "used": "ใช้แล้ว", "expired": "หมดอายุ", "revoked": "ยกเลิกแล้ว"}
INVITE_CREATED_BY = "สร้างโดย {who} เมื่อ {when}"
INVITE_USED_BY = "ใช้โดย {who} เมื่อ {when}"
INVITE_REVOKED_AT = "ยกเลิกเมื่อ {when}"
INVITE_REVOKE = "ยกเลิกคำเชิญ"
INVITE_REVOKED = "ยกเลิกคำเชิญแล้ว"
GRANT_BY_ID_SUMMARY = "เพิ่มด้วย LINE user ID (สำหรับผู้ที่รู้รหัสผู้ใช้แล้ว)"
STAFF_FROM_SIMULATOR = "หน้าทดลองแชต"
