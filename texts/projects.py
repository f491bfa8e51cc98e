"""Thai copy for public projects: the "ข่าวโครงการ" menu, project cards, public pages, announcements."""

# Words people type or the rich menu sends. Contract: keep stable.
WORD_PROJECTS = "ข่าวโครงการ"
WORD_ANNOUNCE = "ประกาศข่าว"  # staff only

KIND_NAMES = {
    "infrastructure": "โครงสร้างพื้นฐาน",
    "knowledge_training": "อบรมความรู้",
    "career_training": "ฝึกอาชีพ/สร้างรายได้",
}
STAGE_NAMES = {
    "announced": "ประกาศโครงการ",
    "in_progress": "กำลังดำเนินการ",
    "completed": "แล้วเสร็จ",
    "evaluated": "ประเมินผลแล้ว",
}
STAGE_ICONS = {"announced": "📣", "in_progress": "🚧", "completed": "✅", "evaluated": "⭐"}
STAGE_COLORS = {"announced": "#1D4ED8", "in_progress": "#B45309", "completed": "#037A33", "evaluated": "#7C3AED"}
MONTHS_SHORT = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")

PROVINCE_WIDE = "ทั้งจังหวัด"
BUDGET = "งบประมาณ {amount} บาท"
DATES = "{start} – {end}"
DATE_FROM = "เริ่ม {start}"
LOCATION = "สถานที่: {location}"
NOT_YET = "ยังไม่ถึง"

# Chat: list, filters, detail
LIST_ALT = "โครงการของ อบจ.ขอนแก่น"
LIST_INTRO = "โครงการล่าสุดของ อบจ.ขอนแก่น 👇 กดดูรายละเอียดได้เลยค่ะ"
LIST_INTRO_FILTERED = "โครงการ{what} 👇 กดดูรายละเอียดได้เลยค่ะ"
LIST_EMPTY = "ตอนนี้ยังไม่มีโครงการ{what}ค่ะ ลองดูโครงการทั้งหมดได้นะคะ"
LIST_MORE = "ยังมีอีก {n} โครงการ ดูทั้งหมดได้ที่เว็บไซต์ค่ะ"
FILTER_MY_DISTRICT = "อำเภอของฉัน"
FILTER_ALL = "ทั้งหมด"
FILTER_DISTRICT = "เลือกอำเภอ"
FILTER_IN = "ใน อ.{district}"
ASK_FILTER_DISTRICT = "ดูโครงการของอำเภอไหนคะ?"
ASK_FILTER_DISTRICT_ALT = "เลือกอำเภอเพื่อดูโครงการ"
FILTER_DISTRICT_CARD = "ดูโครงการ: เลือกอำเภอ ({page}/{pages})"
BUTTON_DETAIL = "ดูรายละเอียด"
BUTTON_SHARE = "แชร์ให้เพื่อน"
BUTTON_WEB = "เปิดหน้าเว็บ"
BUTTON_FOLLOW = "ติดตามโครงการนี้"
BUTTON_UNFOLLOW = "เลิกติดตาม"
BUTTON_ALL_PROJECTS = "ดูโครงการทั้งหมด"
DETAIL_ALT = "โครงการ: {title}"
TIMELINE = "ความคืบหน้า"
PHOTOS = "ภาพกิจกรรม"
FOLLOWING_NOTE = "คุณติดตามโครงการนี้อยู่ 🔔"
FOLLOWED = "ติดตามแล้วค่ะ 🔔 เราจะแจ้งความคืบหน้าของ “{title}” ให้ทราบนะคะ"
ALREADY_FOLLOWING = "คุณติดตาม “{title}” อยู่แล้วค่ะ 🔔"
UNFOLLOWED = "เลิกติดตาม “{title}” แล้วค่ะ"
PROJECT_GONE = "ขออภัยค่ะ ไม่พบโครงการนี้แล้ว ลองดูโครงการอื่นได้นะคะ"
SHARE_TEXT = "{title}\nโครงการของ อบจ.ขอนแก่น ดูรายละเอียด: {url}"

# Stage announcements (pushed to citizens)
ANNOUNCE_HEADER = {
    "announced": "📣 โครงการใหม่",
    "in_progress": "🚧 เริ่มดำเนินการแล้ว",
    "completed": "✅ โครงการแล้วเสร็จ",
    "evaluated": "⭐ ผลการประเมินโครงการ",
}
ANNOUNCE_ALT = "{header}: {title}"
ANNOUNCE_INVITE = {
    "announced": "ร่วมติดตามและแชร์ให้เพื่อนบ้านทราบนะคะ",
    "in_progress": "ขออภัยในความไม่สะดวกระหว่างดำเนินการค่ะ",
    "completed": "ขอบคุณที่ร่วมติดตามค่ะ บอกเราได้ว่าพอใจแค่ไหน",
    "evaluated": "ขอบคุณทุกความเห็นค่ะ",
}

# Staff chat announcement flow ("ประกาศข่าว")
ANNOUNCE_TITLE = "ประกาศข่าว"
ASK_TEXT = "พิมพ์ข้อความประกาศได้เลยค่ะ (ไม่เกิน 1,000 ตัวอักษร)\n(พิมพ์ “ยกเลิก” ได้ทุกเมื่อ)"
TEXT_TOO_LONG = "ข้อความยาว {n} ตัวอักษร เกิน 1,000 ค่ะ กรุณาพิมพ์ให้สั้นลงนะคะ"
TEXT_NEEDED = "กรุณาพิมพ์ข้อความประกาศเป็นตัวหนังสือค่ะ"
ASK_PHOTO = "ต้องการแนบรูปไหมคะ? ส่งรูปมาได้เลย หรือกด “ไม่แนบรูป”"
NO_PHOTO = "ไม่แนบรูป"
PHOTO_NEEDED = "กรุณาส่งรูปภาพ หรือกด “ไม่แนบรูป” ค่ะ"
ASK_LINK = "ต้องการแนบลิงก์ไหมคะ? พิมพ์ลิงก์ที่ขึ้นต้นด้วย https:// หรือกด “ไม่แนบลิงก์”"
NO_LINK = "ไม่แนบลิงก์"
LINK_INVALID = "ลิงก์ต้องขึ้นต้นด้วย https:// และไม่มีช่องว่างค่ะ ลองใหม่ หรือกด “ไม่แนบลิงก์”"
LINK_BUTTON = "อ่านเพิ่มเติม"
PREVIEW_INTRO = "👇 ตัวอย่าง: ประชาชนจะเห็นข้อความแบบนี้ค่ะ"
ASK_AUDIENCE = "ส่งถึงใครดีคะ?"
AUDIENCE_EVERYONE = "ทุกคน"
AUDIENCE_DISTRICT = "เลือกอำเภอ"
AUDIENCE_INTEREST = "ตามความสนใจ"
ASK_AUDIENCE_DISTRICT_ALT = "เลือกอำเภอที่จะส่งประกาศ"
AUDIENCE_DISTRICT_CARD = "ส่งถึงอำเภอ ({page}/{pages})"
ASK_AUDIENCE_INTEREST = "ส่งถึงผู้ที่สนใจเรื่องไหนคะ?"
CONFIRM = (
    "สรุปก่อนส่งค่ะ\n• ส่งถึง: {audience}\n• ผู้รับประมาณ {count} คน\n• โควตาข้อความเดือนนี้: {quota}\n"
    "กด “ยืนยันส่ง” เพื่อส่งเลย"
)
QUOTA_LEFT = "เหลือ {left} จาก {limit}"
QUOTA_UNLIMITED = "ไม่จำกัด (ใช้ไปแล้ว {used})"
QUOTA_UNKNOWN = "ตรวจสอบไม่ได้ในขณะนี้"
QUOTA_NOT_ENOUGH = "⚠️ โควตาไม่พอสำหรับผู้รับทั้งหมด บางคนอาจไม่ได้รับข้อความ"
CONFIRM_SEND = "ยืนยันส่ง"
EDIT_AGAIN = "แก้ไขใหม่"
CONFIRM_WORD_NEEDED = "กด “ยืนยันส่ง” เพื่อส่ง หรือ “ยกเลิก” ค่ะ"
SENT = "ส่งประกาศแล้วค่ะ ✅ (ประกาศ #{id} ถึง {count} คน)"
NO_RECIPIENTS = "ยังไม่มีผู้รับในกลุ่มนี้ค่ะ ลองเลือกกลุ่มอื่นนะคะ"
AUDIENCE_LABEL_EVERYONE = "ทุกคนที่ติดตามบัญชี"
AUDIENCE_LABEL_DISTRICTS = "อำเภอ {names}"
AUDIENCE_LABEL_INTERESTS = "ผู้สนใจ {names}"
AUDIENCE_LABEL_PROJECT = "ผู้ติดตามโครงการ “{title}”"
AUDIENCE_LABEL_MARKETING = " (เฉพาะผู้ยินยอมรับข่าวสารการตลาด)"

# Errors from services
ERR_TITLE = "กรุณากรอกชื่อโครงการ (ไม่เกิน 200 ตัวอักษร)"
ERR_KIND = "กรุณาเลือกประเภทโครงการ"
ERR_DISTRICT = "ไม่พบอำเภอที่เลือก"
ERR_DATES = "วันสิ้นสุดต้องไม่ก่อนวันเริ่ม"
ERR_BUDGET = "งบประมาณต้องเป็นตัวเลขตั้งแต่ 0 ถึง 10,000 ล้านบาท"
ERR_DESCRIPTION = "รายละเอียดยาวเกิน 5,000 ตัวอักษร"
ERR_LOCATION = "สถานที่ยาวเกิน 300 ตัวอักษร"
ERR_STAGE = "ไม่รู้จักขั้นตอนนี้"
ERR_STAGE_BACKWARD = "โครงการอยู่ขั้น “{current}” แล้ว เปลี่ยนได้เฉพาะขั้นถัดไป"
ERR_NOT_FOUND = "ไม่พบโครงการนี้"
ERR_STAFF_ONLY = "เฉพาะเจ้าหน้าที่เท่านั้น"
ERR_TOO_MANY_PHOTOS = "แต่ละขั้นตอนมีรูปได้ไม่เกิน {n} รูป"

# Public web pages (layout web/templates/public/base.html; `PUB` in templates)
PUBLIC = {
    "SITE_NAME": "ชุมชนดิจิทัล อบจ.ขอนแก่น",
    "ORG_NAME": "องค์การบริหารส่วนจังหวัดขอนแก่น",
    "TAGLINE": "ข่าวโครงการ อบรม และตลาดชุมชนของ อบจ.ขอนแก่น",
    "SKIP": "ข้ามไปยังเนื้อหา",
    "SHARE_TITLE": "แชร์ให้เพื่อน",
    "SHARE_LINE": "แชร์ทาง LINE",
    "SHARE_FACEBOOK": "แชร์ทาง Facebook",
    "LINKS": "ลิงก์ของ อบจ.ขอนแก่น",
    "WEBSITE": "เว็บไซต์ อบจ.ขอนแก่น",
    "WEBSITE_URL": "https://www.kkpao.go.th",
    "FACEBOOK": "Facebook อบจ.ขอนแก่น",
    "FACEBOOK_URL": "https://www.facebook.com/kkpao",
    "LINE_ADD": "เพิ่มเพื่อน LINE",
    "ALL_PROJECTS": "โครงการทั้งหมด",
    "RESULTS": "ผลการดำเนินงาน",
    "PRIVACY": "ความเป็นส่วนตัว",
}
PAGE_LIST_TITLE = "โครงการของ อบจ.ขอนแก่น"
PAGE_LIST_INTRO = "แจ้งทุกโครงการก่อนเริ่มและหลังเสร็จ ติดตามความคืบหน้าได้ที่นี่"
PAGE_FILTER_DISTRICT = "อำเภอ"
PAGE_FILTER_STAGE = "ขั้นตอน"
PAGE_FILTER_KIND = "ประเภท"
PAGE_FILTER_ANY = "ทั้งหมด"
PAGE_FILTER_BUTTON = "แสดง"
PAGE_COUNT = "พบ {n} โครงการ"
PAGE_EMPTY = "ยังไม่มีโครงการตามเงื่อนไขนี้"
PAGE_OLDER = "หน้าถัดไป"
PAGE_NEWER = "หน้าก่อน"
PAGE_DETAILS = "รายละเอียด"
PAGE_WHERE = "พื้นที่"
PAGE_LOCATION = "สถานที่"
PAGE_BUDGET = "งบประมาณ"
PAGE_PERIOD = "ระยะเวลา"
PAGE_BAHT = "บาท"
PAGE_TIMELINE = "ความคืบหน้า"
PAGE_ANNOUNCED = "ประกาศของโครงการ"
PAGE_ANNOUNCED_AT = "ประกาศเมื่อ {date}"
PAGE_REACHED = "เมื่อ {date}"
PAGE_NOT_YET = "ยังไม่ถึงขั้นตอนนี้"
PAGE_PHOTOS = "ภาพกิจกรรม ({n})"
PAGE_FOLLOW_LINE = "ติดตามโครงการใน LINE"
PAGE_FOLLOW_HINT = "เพิ่มเพื่อน LINE อบจ.ขอนแก่น แล้วพิมพ์ “ข่าวโครงการ” เพื่อกดติดตามรับข่าวความคืบหน้า"
PAGE_NOT_FOUND = "ไม่พบโครงการนี้ อาจถูกยกเลิกการเผยแพร่แล้ว"
PRIVACY_TITLE = "ประกาศความเป็นส่วนตัว (PDPA)"

# Staff console: projects
CONSOLE_PROJECTS = "โครงการ"
CONSOLE_NEW = "สร้างโครงการ"
CONSOLE_EDIT = "แก้ไขรายละเอียด"
CONSOLE_CREATED = "สร้างโครงการแล้ว"
CONSOLE_SAVED = "บันทึกแล้ว"
CONSOLE_STAGE_CHANGED = "เปลี่ยนขั้นตอนเป็น “{stage}” แล้ว"
CONSOLE_NO_FILE = "กรุณาเลือกรูปอย่างน้อย 1 รูป"
CONSOLE_PHOTOS_ADDED = "เพิ่มรูปแล้ว {n} รูป"
CONSOLE_PHOTO_DELETED = "ลบรูปแล้ว"
CONSOLE_EMPTY = "ยังไม่มีโครงการ เริ่มสร้างโครงการแรกได้เลย"
CONSOLE_HIDDEN = "ไม่เผยแพร่"
CONSOLE_FOLLOWERS = "ผู้ติดตาม {n} คน"
CONSOLE_VIEW_PUBLIC = "ดูหน้าเว็บสาธารณะ"
F_KIND = "ประเภทโครงการ"
F_TITLE = "ชื่อโครงการ"
F_DESCRIPTION = "รายละเอียด"
F_DISTRICTS = "อำเภอ (ไม่เลือก = ทั้งจังหวัด)"
F_LOCATION = "สถานที่"
F_BUDGET = "งบประมาณ (บาท)"
F_START = "วันเริ่ม"
F_END = "วันสิ้นสุด"
F_PUBLISHED = "เผยแพร่ให้ประชาชนเห็น"
F_COVER = "รูปหน้าปก"
F_COVER_HELP = "ถ่ายจากมือถือหรือเลือกรูป (JPG, PNG ไม่เกิน 10 MB)"
F_SAVE = "บันทึก"
F_CREATE = "สร้างโครงการ"
STAGE_SECTION = "ขั้นตอนโครงการ"
STAGE_NOW = "ตอนนี้: {stage}"
STAGE_NEXT = "เปลี่ยนเป็นขั้นตอน"
STAGE_NOTE = "ข้อความถึงประชาชน (ไม่บังคับ)"
STAGE_PHOTOS = "รูปของขั้นตอนนี้ (ไม่บังคับ)"
STAGE_ANNOUNCE = "ไปหน้าประกาศข่าวขั้นตอนนี้ต่อ"
STAGE_SUBMIT = "เปลี่ยนขั้นตอน"
STAGE_FINAL = "โครงการอยู่ขั้นสุดท้ายแล้ว"
STAGE_HISTORY = "ประวัติขั้นตอน"
WENT_LINE = "LINE: ส่งถึง {n} คน เมื่อ {time}"
WENT_FEED = "ข่าวบนเว็บไซต์ (feed): เปิดหน้าที่ลิงก์ไป"
PHOTOS_SECTION = "ภาพกิจกรรม"
PHOTOS_UPLOAD = "เพิ่มรูป"
PHOTOS_STAGE = "ของขั้นตอน"
PHOTOS_CAPTION = "คำบรรยาย (ไม่บังคับ)"
PHOTOS_FILES = "เลือกรูป (สูงสุด 10 รูป)"
PHOTOS_EMPTY = "ยังไม่มีรูป"
PHOTO_DELETE = "ลบ"
ANNOUNCE_THIS = "ประกาศข่าวโครงการนี้"

# Staff console: announcements
CONSOLE_ANNOUNCEMENTS = "ประกาศข่าว"
CONSOLE_NEW_ANNOUNCEMENT = "ประกาศใหม่"
CONSOLE_ANNOUNCE_PROJECT = "ประกาศความคืบหน้า: {title}"
CONSOLE_NO_ANNOUNCEMENTS = "ยังไม่มีประกาศ"
CONSOLE_BAD_TIME = "เวลาส่งไม่ถูกต้อง กรุณาเลือกวันและเวลา"
CONSOLE_PAST_TIME = "เวลาส่งต้องเป็นเวลาในอนาคต"
CONSOLE_BAD_STAGE = "เลือกประกาศได้เฉพาะขั้นตอนที่โครงการผ่านมาแล้ว"
CONSOLE_TEXT_NEEDED = "กรุณาพิมพ์ข้อความประกาศ"
CONSOLE_PICK_DISTRICT = "กรุณาเลือกอย่างน้อย 1 อำเภอ"
CONSOLE_PICK_INTEREST = "กรุณาเลือกอย่างน้อย 1 ความสนใจ"
CONSOLE_PICK_AUDIENCE = "กรุณาเลือกผู้รับ"
CONSOLE_SENT = "ส่งประกาศ #{id} แล้ว ถึง {n} คน"
CONSOLE_SCHEDULED = "ตั้งเวลาส่งประกาศ #{id} แล้ว"
CONSOLE_CANCELLED = "ยกเลิกประกาศ #{id} แล้ว"
A_MESSAGE = "ข้อความ"
A_STAGE = "ประกาศขั้นตอน"
A_TEXT = "ข้อความประกาศ (ไม่เกิน 1,000 ตัวอักษร)"
A_PHOTO = "รูปประกอบ (ไม่บังคับ)"
A_LINK = "ลิงก์อ่านเพิ่มเติม (ไม่บังคับ ขึ้นต้นด้วย https://)"
A_AUDIENCE = "ส่งถึง"
A_EVERYONE = "ทุกคนที่ติดตามบัญชี"
A_DISTRICTS = "เฉพาะอำเภอที่เลือก"
A_INTERESTS = "เฉพาะผู้สนใจเรื่องที่เลือก"
A_PROJECT = "ผู้ติดตามโครงการนี้"
A_MARKETING = "เป็นข่าวการตลาด/โปรโมชัน (ส่งเฉพาะผู้ที่ยินยอม)"
A_WHEN = "เวลาส่ง"
A_NOW = "ส่งทันที"
A_LATER = "ตั้งเวลาส่ง"
A_SEND_AT = "วันและเวลาที่จะส่ง (เวลาไทย)"
A_CHECK = "ตรวจสอบก่อนส่ง"
P_TITLE = "ตรวจสอบก่อนส่ง"
P_LOOKS = "ประชาชนจะเห็นข้อความแบบนี้"
P_RECIPIENTS = "ผู้รับ (คน)"
P_BROADCAST_NOTE = "ส่งแบบ broadcast ถึงผู้ติดตามทุกคนของบัญชี ตัวเลขนี้นับเฉพาะผู้ที่ระบบรู้จัก"
P_QUOTA_LEFT = "โควตาคงเหลือเดือนนี้"
P_QUOTA_USED = "ใช้ไปแล้ว"
P_QUOTA_LIMIT = "โควตาทั้งเดือน"
P_UNLIMITED = "ไม่จำกัด"
P_UNKNOWN = "ตรวจสอบไม่ได้"
P_SHORT = "⚠️ โควตาไม่พอสำหรับผู้รับทั้งหมด บางคนอาจไม่ได้รับข้อความ"
P_AUDIENCE = "ส่งถึง: {audience}"
P_SEND_NOW = "ส่งทันทีเมื่อกดยืนยัน"
P_SEND_AT = "จะส่งเวลา {time}"
P_CONFIRM = "ยืนยันส่ง"
P_CONFIRM_SCHEDULE = "ยืนยันตั้งเวลาส่ง"
P_EDIT = "กลับไปแก้ไข"
L_STATUS = {"scheduled": "รอส่ง", "sent": "ส่งแล้ว", "cancelled": "ยกเลิกแล้ว"}
L_SEND_AT = "กำหนดส่ง {time}"
L_SENT_AT = "ส่งเมื่อ {time}"
L_COUNTS = "ส่งสำเร็จ {sent} · รอส่ง {pending} · ไม่สำเร็จ {failed}"
L_FEED_ENTRY = "ขึ้นในข่าวของเว็บไซต์ (feed) แล้ว: เปิดหน้าที่ลิงก์ไป"
L_CANCEL = "ยกเลิกการส่ง"
PAGE_CURRENT = "ขั้นตอนปัจจุบัน"
