"""Thai copy for trainings: browsing, signing up, the waitlist, cancelling, reminders, check-in, the console."""

from __future__ import annotations

from datetime import datetime

from texts import dates

# Words people type or buttons send. Contracts: keep them stable.
WORD_TRAININGS = "อบรม"
WORD_MY_SIGNUPS = "การสมัครของฉัน"
LABEL_SIGN_UP = "สมัคร"
LABEL_CANCEL = "ยกเลิก"
LABEL_DETAILS = "รายละเอียด"
LABEL_MAP = "ดูแผนที่"
LABEL_SHOW_QR = "ดู QR เช็กอิน"
LABEL_CONFIRM_CANCEL = "ยืนยันยกเลิก"
LABEL_KEEP = "ไม่ยกเลิก"
LABEL_ADD_TO_CALENDAR = "เพิ่มลงปฏิทิน"

# Browsing
NO_TRAININGS = "ตอนนี้ยังไม่มีการอบรมที่เปิดรับสมัครค่ะ 🙏\nเมื่อมีการอบรมใหม่ เราจะแจ้งให้ทราบนะคะ"
TRAININGS_ALT = "การอบรมที่เปิดรับสมัคร ({count} รายการ)"
TRAININGS_INTRO = "การอบรมที่เปิดรับสมัครค่ะ 👇 เลื่อนดูได้ กด “สมัคร” เพื่อลงชื่อ"
SEATS_LEFT = "เหลือ {seats} ที่"
SEATS_FULL = "เต็มแล้ว (ลงชื่อสำรองได้)"
SIGNUP_CLOSED = "ปิดรับสมัครแล้ว"
DEADLINE = "รับสมัครถึง {when}"
WHEN = "🗓 {when}"
WHERE = "📍 {where}"
SPEAKERS = "วิทยากร"
BRING = "สิ่งที่ต้องเตรียม"
TRAINING_GONE = "ขออภัยค่ะ ไม่พบการอบรมนี้แล้ว อาจถูกยกเลิกหรือจบไปแล้ว"

# Name and phone (asked once, kept on the profile)
PROFILE_TITLE = "ข้อมูลผู้สมัคร"
ASK_NAME = ("ก่อนสมัคร ขอทราบชื่อ-นามสกุลของคุณค่ะ ✍️\n"
            "(ใช้ติดต่อเรื่องการอบรมเท่านั้น ขอดูหรือลบข้อมูลได้ที่ “ข้อมูลของฉัน”)\n"
            "พิมพ์ “ยกเลิก” ได้ทุกเมื่อ")
BAD_NAME = "ขออภัยค่ะ กรุณาพิมพ์ชื่อ-นามสกุลเป็นตัวอักษร (2–100 ตัวอักษร) เช่น สมศรี ใจดี"
ASK_PHONE = "ขอบคุณค่ะ คุณ{name}\nขอเบอร์มือถือสำหรับติดต่อด้วยค่ะ 📱 เช่น 081-234-5678"
BAD_PHONE = "เบอร์นี้ไม่ถูกต้องค่ะ 🙏 กรุณาพิมพ์เบอร์มือถือ 10 หลัก ขึ้นต้นด้วย 06, 08 หรือ 09 เช่น 081-234-5678"
PROFILE_SAVED = "บันทึกชื่อและเบอร์โทรแล้วค่ะ ✅ ครั้งต่อไปไม่ต้องกรอกอีก"

# Signing up
SIGNED_UP = "สมัครเรียบร้อยแล้วค่ะ ✅"
CONFIRMED_BODY = "แสดง QR นี้ให้เจ้าหน้าที่ในวันอบรมนะคะ"
WAITLISTED = ("ที่นั่งเต็มแล้วค่ะ 🙏 เราลงชื่อคุณไว้ในรายชื่อสำรอง\nลำดับที่ {position}\n"
              "ถ้ามีคนยกเลิก เราจะแจ้งคุณทันทีค่ะ")
ALREADY_CONFIRMED = "คุณสมัคร “{title}” ไว้แล้วค่ะ ✅ ดู QR เช็กอินได้ที่ “การสมัครของฉัน”"
ALREADY_WAITLISTED = "คุณอยู่ในรายชื่อสำรองของ “{title}” แล้วค่ะ ลำดับที่ {position}"
ERR_DEADLINE = "ขออภัยค่ะ การอบรม “{title}” ปิดรับสมัครแล้ว 🙏"
ERR_STARTED = "ขออภัยค่ะ การอบรม “{title}” เริ่มไปแล้ว"
ERR_CANCELLED_TRAINING = "ขออภัยค่ะ การอบรม “{title}” ถูกยกเลิกแล้ว"
PROMOTED = "ข่าวดีค่ะ 🎉 มีที่นั่งว่างแล้ว คุณได้รับที่นั่งในการอบรม “{title}”"

# My sign-ups and cancelling
NO_SIGNUPS = "ตอนนี้คุณยังไม่ได้สมัครการอบรมใดค่ะ กด “อบรม” เพื่อดูการอบรมที่เปิดรับสมัคร"
MY_SIGNUPS_ALT = "การสมัครของฉัน ({count} รายการ)"
STATUS_CONFIRMED = "✅ ได้ที่นั่งแล้ว"
STATUS_WAITLISTED = "⏳ รายชื่อสำรอง ลำดับที่ {position}"
STATUS_CHECKED_IN = "✅ เช็กอินแล้ว"
CONFIRM_CANCEL = "ยืนยันยกเลิกการสมัคร “{title}” ใช่ไหมคะ?\n({when})"
CANCELLED = "ยกเลิกการสมัคร “{title}” แล้วค่ะ\nหวังว่าจะได้พบกันในการอบรมครั้งหน้านะคะ 🙏"
KEPT = "ไม่ยกเลิกค่ะ การสมัครของคุณยังอยู่เหมือนเดิม ✅"
ERR_NOT_YOURS = "ไม่พบการสมัครนี้ค่ะ กรุณาเปิด “การสมัครของฉัน” ใหม่อีกครั้ง"
ERR_ALREADY_CANCELLED = "การสมัครนี้ถูกยกเลิกไปแล้วค่ะ"
ERR_CANCEL_TOO_LATE = "ขออภัยค่ะ การอบรม “{title}” เริ่มไปแล้ว จึงยกเลิกในแชตไม่ได้ หากมีเหตุจำเป็นกรุณาแจ้งเจ้าหน้าที่ค่ะ"
TRAINING_CANCELLED_NOTICE = "ขออภัยค่ะ 🙏 การอบรม “{title}” ({when}) ถูกยกเลิก\nการสมัครของคุณถูกยกเลิกโดยอัตโนมัติ"

# Reminders (public task: no marketing opt-in needed)
REMIND_DAY_BEFORE = "🔔 พรุ่งนี้มีอบรม “{title}”\n🗓 {when}\n📍 {where}\nอย่าลืมนำ QR เช็กอินมาด้วยนะคะ"
REMIND_HOURS_BEFORE = "🔔 อีกประมาณ 2 ชั่วโมง การอบรม “{title}” จะเริ่มแล้วค่ะ\n🗓 {when}\n📍 {where}"
REMIND_BRING = "สิ่งที่ต้องเตรียม: {bring}"

# Check-in card
QR_CAPTION_CODE = "รหัสเช็กอิน {code}"

# Check-in (staff)
CHECKIN_OK = "เช็กอินแล้ว: {name}"
CHECKIN_ALREADY = "{name} เช็กอินไปแล้วเมื่อ {when}"
CHECKIN_NOT_FOUND = "ไม่พบรหัสนี้ กรุณาตรวจสอบแล้วลองอีกครั้ง"
CHECKIN_BAD_CODE = "รหัสไม่ถูกต้อง รหัสมี 12 ตัว เช่น ABCD-2345-WXYZ"
CHECKIN_OTHER_TRAINING = "รหัสนี้เป็นของการอบรมอื่น: “{title}”"
CHECKIN_WAITLISTED = "{name} อยู่ในรายชื่อสำรอง (ยังไม่ได้ที่นั่ง)"
CHECKIN_CANCELLED = "{name} ยกเลิกการสมัครไปแล้ว"
CHECKIN_TRAINING_NOT_OPEN = "การอบรมนี้ถูกยกเลิก เช็กอินไม่ได้"
NO_NAME = "(ไม่ระบุชื่อ)"
CHECKIN_EARLY = "การอบรมนี้จัดวันที่ {date} ยืนยันเช็กอินก่อนวันจริงไหม"
C_EARLY_CONFIRM = "ยืนยัน"
C_EARLY_CANCEL = "ยกเลิก"
C_EARLY_CANCELLED = "ยังไม่ได้เช็กอินค่ะ"

# The trainee's notice when staff check them in (one per check-in)
CHECKED_IN_NOTICE = "เช็กอินแล้วค่ะ ✅\nยินดีต้อนรับสู่การอบรม “{title}” นะคะ 🙏"

# The .ics file ("เพิ่มลงปฏิทิน")
ICS_SUMMARY = "อบรม: {title}"
ICS_BRING = "สิ่งที่ต้องเตรียม: {bring}"
ICS_MAP = "แผนที่: {url}"
ICS_FOOTER = "อย่าลืมนำ QR เช็กอินมาด้วยนะคะ (ดูได้ที่ “การสมัครของฉัน” ใน LINE)"

DOMAIN_NOT_FOUND = "ไม่พบการอบรมนี้"
ERR_CAPACITY = "จำนวนที่นั่งต้องเป็น 1–10,000"
ERR_TITLE = "กรุณาใส่ชื่อการอบรม"
ERR_TIMES = "เวลาสิ้นสุดต้องอยู่หลังเวลาเริ่ม"
ERR_DEADLINE_AFTER_START = "วันปิดรับสมัครต้องไม่เกินเวลาเริ่มอบรม"
ERR_DISTRICT = "ไม่รู้จักอำเภอ: {keys}"
ERR_MAP_URL = ("ลิงก์แผนที่ไม่ถูกต้องค่ะ กรุณาวางลิงก์ที่ขึ้นต้นด้วย https:// "
               "เช่น ลิงก์จากปุ่ม “แชร์” ใน Google Maps")
ERR_DELAY = "ระยะเวลาส่งแบบสอบถามต้องเป็น 0–168 ชั่วโมง"
ERR_PROJECT = "ไม่พบโครงการนี้"
ERR_PUBLISH_PAST = "การอบรมนี้เริ่มไปแล้ว เผยแพร่ไม่ได้"
ERR_ALREADY_PUBLISHED = "การอบรมนี้เผยแพร่แล้ว"
ERR_NOT_PUBLISHED = "ต้องเผยแพร่การอบรมก่อนจึงประกาศได้"
ERR_ALREADY_ANNOUNCED = "ประกาศการอบรมนี้ไปแล้ว"
ERR_CAPACITY_BELOW = "ลดที่นั่งต่ำกว่าจำนวนผู้ได้ที่นั่งแล้ว ({confirmed} คน) ไม่ได้"
ERR_CANCELLED = "การอบรมนี้ถูกยกเลิกแล้ว"
ANNOUNCE_TITLE = "เปิดรับสมัครอบรม: {title}"
ANNOUNCE_TEXT = "📢 เปิดรับสมัครอบรม “{title}”\n🗓 {when}\n📍 {where}\nรับ {capacity} คน สมัครได้ถึง {deadline}"

def local(value: datetime) -> datetime:
    """A stored UTC time in Khon Kaen's zone."""
    return dates.to_local(value)


def thai_date(value: datetime) -> str:
    """'ศ. 27 พ.ย. 2569' (weekday, day, month, Buddhist-era year)."""
    return dates.thai_weekday_date(value)


def thai_datetime(value: datetime) -> str:
    """'ศ. 27 พ.ย. 2569 09:00 น.'"""
    return f"{thai_date(value)} {local(value):%H:%M} น."


def when(starts_at: datetime, ends_at: datetime) -> str:
    """'ศ. 27 พ.ย. 2569 09:00–16:00 น.' (or both dates when it spans days)."""
    s, e = local(starts_at), local(ends_at)
    if s.date() == e.date():
        return f"{thai_date(starts_at)} {s:%H:%M}–{e:%H:%M} น."
    return f"{thai_datetime(starts_at)} – {thai_datetime(ends_at)}"


# ---- staff console (web pages) -------------------------------------------------------------------------------------------
C_CHECKIN_KICKER = "เช็กอินผู้เข้าอบรม"
C_CHECKED_COUNT = "เช็กอินแล้ว"
C_PEOPLE = "คน"
C_SCAN = "สแกน QR ด้วยกล้อง"
C_STOP_CAMERA = "ปิดกล้อง"
C_CAMERA_HINT = "ส่องกล้องไปที่ QR ในโทรศัพท์ของผู้เข้าอบรม ระบบจะเช็กอินให้ทันที"
C_NO_SCANNER = ("เบราว์เซอร์นี้สแกน QR เองไม่ได้ ใช้แอปกล้องของโทรศัพท์สแกน QR ของผู้เข้าอบรม "
                "(จะเปิดหน้ายืนยันเช็กอิน) หรือพิมพ์รหัสด้านล่าง")
C_CAMERA_DENIED = "เปิดกล้องไม่ได้ กรุณาอนุญาตให้ใช้กล้อง หรือพิมพ์รหัสแทน"
C_NETWORK = "เชื่อมต่อไม่ได้ กรุณาลองอีกครั้ง"
C_TYPE_CODE = "หรือพิมพ์รหัสเช็กอิน (12 ตัว)"
C_CODE_HELP = "รหัสอยู่ใต้ QR ของผู้เข้าอบรม เช่น ABCD-2345-WXYZ (ไม่ต้องพิมพ์ขีด)"
C_CHECKIN_BUTTON = "เช็กอิน"
C_ATTENDANCE = "รายชื่อผู้เข้าอบรม"
C_ATTENDANCE_CSV = "ดาวน์โหลดรายชื่อ (CSV)"
C_BACK_TO_SCANNER = "กลับไปหน้าเช็กอิน"
C_CONFIRM_TITLE = "ยืนยันเช็กอิน"
C_CONFIRM_BUTTON = "✓ ยืนยันเช็กอิน"
C_STATUS = {"confirmed": "ได้ที่นั่ง", "waitlisted": "รายชื่อสำรอง", "cancelled": "ยกเลิกแล้ว"}
C_PRESENT = "มาแล้ว"
C_ABSENT = "ยังไม่มา"
C_NO_ATTENDEES = "ยังไม่มีผู้ได้ที่นั่ง"
C_COL_NAME = "ชื่อ-นามสกุล"
C_COL_PHONE = "เบอร์โทร"
C_COL_STATUS = "สถานะ"
C_ALREADY_AT = "เช็กอินไปแล้วเมื่อ {when}"

C_TRAININGS = "การอบรม"
C_NEW_TRAINING = "+ สร้างการอบรม"
C_EDIT_TRAINING = "แก้ไขการอบรม"
C_NO_TRAININGS = "ยังไม่มีการอบรม กด “สร้างการอบรม” เพื่อเริ่ม"
C_TRAINING_STATUS = {"draft": "ร่าง", "published": "เผยแพร่แล้ว", "cancelled": "ยกเลิกแล้ว"}
C_SEATS = "ได้ที่นั่ง {confirmed}/{capacity} · สำรอง {waitlisted} · มาแล้ว {checked_in}"
C_F_PROJECT = "โครงการ"
C_F_NO_PROJECT = "— ไม่ระบุ —"
C_F_TITLE = "ชื่อการอบรม"
C_F_DESCRIPTION = "รายละเอียด"
C_F_TAGS = "หัวข้อ (คั่นด้วยจุลภาค)"
C_F_TAGS_HELP = "เช่น ขายออนไลน์, ถ่ายรูปสินค้า, ช่องทางขนส่ง"
C_F_VENUE = "สถานที่"
C_F_MAP = "ลิงก์แผนที่ (https://…)"
C_F_MAP_HELP = "วางลิงก์จากปุ่ม “แชร์” ใน Google Maps ประชาชนจะเห็นปุ่ม “ดูแผนที่” ในการ์ดการอบรม"
C_CALENDAR_FILE = "ไฟล์ปฏิทิน (.ics)"
C_F_STARTS = "เริ่ม"
C_F_ENDS = "สิ้นสุด"
C_F_DEADLINE = "ปิดรับสมัคร"
C_F_CAPACITY = "จำนวนที่นั่ง"
C_F_DISTRICTS = "อำเภอเป้าหมาย (ไม่เลือก = ทั้งจังหวัด)"
C_F_BRING = "สิ่งที่ต้องเตรียมมา"
C_F_COVER = "รูปปก"
C_F_DELAY = "ส่งแบบสอบถามหลังจบ (ชั่วโมง)"
C_F_SPEAKERS = "วิทยากร"
C_F_SPEAKER_NAME = "ชื่อวิทยากร"
C_F_SPEAKER_BIO = "ประวัติย่อ"
C_F_SPEAKER_PHOTO = "รูปวิทยากร"
C_F_TIME_HELP = "เวลาประเทศไทย"
C_SAVE = "บันทึก"
C_SAVED = "บันทึกแล้ว"
C_CREATED = "สร้างการอบรมแล้ว (ยังเป็นร่าง กด “เผยแพร่” เมื่อพร้อม)"
C_PUBLISH = "เผยแพร่ (เปิดรับสมัคร)"
C_PUBLISHED = "เผยแพร่แล้ว ประชาชนสมัครได้ที่เมนู “อบรม”"
C_ANNOUNCE = "📢 ประกาศให้ประชาชนทราบ"
C_ANNOUNCE_HELP = "ส่งข้อความถึงผู้ติดตามในอำเภอเป้าหมาย (หรือทุกคนถ้าไม่ได้เลือกอำเภอ)"
C_ANNOUNCED = "ส่งประกาศแล้ว (ประกาศ #{id})"
C_ANNOUNCED_AT = "ประกาศแล้ว (ประกาศ #{id})"
C_CANCEL_TRAINING = "ยกเลิกการอบรม"
C_CANCEL_CONFIRM = "ยืนยันยกเลิกการอบรมนี้? ผู้สมัครทุกคนจะได้รับแจ้ง"
C_TRAINING_CANCELLED = "ยกเลิกการอบรมแล้ว และแจ้งผู้สมัครแล้ว"
C_SIGNUPS = "ผู้สมัคร"
C_WAITLIST = "รายชื่อสำรอง"
C_REMOVE_SIGNUP = "ลบออก"
C_SIGNUP_REMOVED = "ลบผู้สมัครแล้ว"
C_OPEN_CHECKIN = "เปิดหน้าเช็กอิน"
C_SURVEY = "แบบสอบถามหลังอบรม"
C_CREATE_SURVEY = "สร้างแบบสอบถามความพึงพอใจ (แม่แบบ)"
C_BAD_NUMBER = "กรุณากรอกตัวเลขให้ถูกต้อง: {field}"
C_BAD_DATETIME = "กรุณากรอกวันเวลาให้ครบ: {field}"
C_LINKS = "ลิงก์"
C_CANCEL_TICK = "ฉันแน่ใจว่าจะยกเลิกการอบรมนี้"
C_CANCEL_NEEDS_TICK = "กรุณาติ๊ก “ฉันแน่ใจ” ก่อนยกเลิกการอบรม"

# ---- the public training page (/trainings/<id>) --------------------------------------------------------------------
PUB_KIND = "อบรม/ฝึกอาชีพ โดย อบจ.ขอนแก่น"
PUB_WHEN = "อบรมวันที่ {when}"
PUB_WHEN_LABEL = "วันเวลา:"
PUB_WHERE_LABEL = "สถานที่:"
PUB_MAP = "ดูแผนที่"
PUB_BRING_LABEL = "สิ่งที่ต้องเตรียม:"
PUB_FOR_DISTRICTS = "สำหรับผู้อยู่ใน {districts}"
PUB_SEATS = "เหลือ {n} ที่"
PUB_FULL = "เต็มแล้ว (สมัครสำรองได้ในแชต)"
PUB_CANCELLED = "ยกเลิกการอบรมนี้แล้ว"
PUB_ENDED = "การอบรมนี้จบแล้ว"
PUB_SIGN_UP = "สมัครทาง LINE"
PUB_SIGN_UP_HINT = "กดแล้วส่งคำว่า “อบรม” ในแชต จากนั้นเลือกการอบรมนี้และกด “สมัคร”"
PUB_CALENDAR = "เพิ่มลงปฏิทิน"
