"""Thai copy for talking to a person: the citizen's side in chat, the staff notice and the console inbox."""

from __future__ import annotations

# Words people type or buttons send. Contracts: keep them stable.
WORD_CONTACT = "ติดต่อเจ้าหน้าที่"
WORD_END = "จบการสนทนา"
LABEL_SEND_LOCATION = "ส่งตำแหน่ง"
LABEL_SEND_PHOTO = "ส่งรูป"

# Citizen, in chat
OPENED = ("ส่งเรื่องถึงเจ้าหน้าที่แล้วค่ะ 🙏\n"
          "พิมพ์เรื่องที่ต้องการได้เลย ส่งรูปหรือตำแหน่งที่ตั้งได้ด้วย\n"
          "เจ้าหน้าที่จะตอบในแชตนี้ (วันทำการ 8:30–16:30 น.)\n"
          "คุยเสร็จแล้วกด “จบการสนทนา” ค่ะ")
ALREADY_OPEN = ("เรื่องของคุณส่งถึงเจ้าหน้าที่แล้วค่ะ พิมพ์ข้อความต่อได้เลย\n"
                "เจ้าหน้าที่จะตอบในแชตนี้ คุยเสร็จแล้วกด “จบการสนทนา” ค่ะ")
ENDED = "จบการสนทนากับเจ้าหน้าที่แล้วค่ะ ขอบคุณที่ติดต่อมานะคะ 😊\nเลือกเมนูด้านล่างได้เลย"
NOTHING_TO_END = "ตอนนี้ไม่ได้คุยกับเจ้าหน้าที่อยู่ค่ะ ถ้าต้องการคุยกับเจ้าหน้าที่ กด “ติดต่อเจ้าหน้าที่” ได้เลย"
STAFF_PREFIX = "💬 เจ้าหน้าที่: "
CLOSED_BY_STAFF = ("เจ้าหน้าที่ปิดเรื่องนี้แล้วค่ะ ขอบคุณที่ติดต่อมานะคะ 🙏\n"
                   "ถ้ามีเรื่องอื่น กด “ติดต่อเจ้าหน้าที่” ได้ทุกเมื่อ")
PHOTO_NOT_KEPT = "ขออภัยค่ะ รูปนี้เปิดไม่ได้ จึงส่งถึงเจ้าหน้าที่ไม่ได้ ลองส่งรูปอื่นนะคะ"

# Staff, in LINE
NEW_CASE_NOTICE = "📥 มีเรื่องใหม่ถึงเจ้าหน้าที่ (#{case_id}) จาก{who}\nเปิดกล่องข้อความ: {url}"
NOTICE_FROM_DISTRICT = "ผู้ใช้ในอำเภอ{district}"
NOTICE_FROM_UNKNOWN = "ผู้ใช้ LINE"

# Console inbox
INBOX_TITLE = "กล่องข้อความ"
STATUS_NAMES = {"open": "รอเจ้าหน้าที่ตอบ", "waiting": "รอประชาชนตอบ", "closed": "ปิดแล้ว"}
CLOSED_BY_NAMES = {"staff": "เจ้าหน้าที่ปิด", "citizen": "ประชาชนกดจบการสนทนา", "timeout": "ปิดอัตโนมัติ (ไม่มีข้อความ 24 ชม.)"}
FILTER_NAMES = {"active": "ยังไม่ปิด", "open": "รอเจ้าหน้าที่ตอบ", "waiting": "รอประชาชนตอบ", "closed": "ปิดแล้ว",
                "mine": "ที่ฉันรับผิดชอบ"}
NO_CASES = "ไม่มีเรื่องในรายการนี้"
NO_MESSAGES_YET = "ยังไม่มีข้อความ (ประชาชนเพิ่งกด “ติดต่อเจ้าหน้าที่”)"
UNNAMED = "ผู้ใช้ LINE"
KIND_PREVIEW = {"image": "📷 รูปภาพ", "location": "📍 ตำแหน่งที่ตั้ง", "sticker": "สติกเกอร์", "other": "ไฟล์/ข้อความชนิดอื่น"}
NOT_ASSIGNED = "ยังไม่มีผู้รับเรื่อง"
NOT_ANSWERED = "ยังไม่ได้ตอบ"
REPLY_EMPTY = "กรุณาพิมพ์ข้อความก่อนส่ง"
REPLY_TOO_LONG = "ข้อความยาวเกิน {limit:,} ตัวอักษร กรุณาแบ่งส่งเป็นหลายข้อความ"
REPLY_CLOSED = "เรื่องนี้ปิดแล้ว ส่งข้อความไม่ได้ หากต้องการคุยต่อ กด “เปิดเรื่องอีกครั้ง” ก่อน"
REPLY_UNFOLLOWED = "ผู้ใช้นี้เลิกติดตามหรือบล็อกบัญชีแล้ว ข้อความส่งไม่ถึง"
REPLY_SENT_REPLY = "ส่งข้อความแล้ว (ตอบกลับทันที ไม่ใช้โควตา)"
REPLY_SENT_PUSH = "ส่งข้อความแล้ว (ส่งแบบพุช)"
CASE_TAKEN = "รับเรื่องนี้แล้ว"
CASE_CLOSED = "ปิดเรื่องแล้ว"
CASE_REOPENED = "เปิดเรื่องอีกครั้งแล้ว"
CASE_NOT_FOUND = "ไม่พบเรื่องนี้ อาจถูกลบตามคำขอของเจ้าของข้อมูล"
REOPEN_HAS_OTHER = "ผู้ใช้นี้มีเรื่องที่ยังไม่ปิดอยู่แล้ว (#{case_id})"
NOTICE_ON = "เปิดการแจ้งเตือนเรื่องใหม่ทาง LINE แล้ว"
NOTICE_OFF = "ปิดการแจ้งเตือนเรื่องใหม่ทาง LINE แล้ว"
WAITING_CASES = "เรื่องรอเจ้าหน้าที่ตอบ"
INBOX_INTRO = "ข้อความจากประชาชนที่กด “ติดต่อเจ้าหน้าที่” ตอบได้จากหน้านี้ ข้อความจะส่งไปทางแชต LINE ของบัญชี"
COUNT_OPEN = "รอเจ้าหน้าที่ตอบ {count} เรื่อง"
COUNT_WAITING = "รอประชาชนตอบ {count} เรื่อง"
NOTICES_LABEL = "แจ้งเตือนฉันทาง LINE เมื่อมีเรื่องใหม่"
NOTICES_TURN_ON = "เปิดการแจ้งเตือน"
NOTICES_TURN_OFF = "ปิดการแจ้งเตือน"
NOTICES_STATE_ON = "เปิดอยู่"
NOTICES_STATE_OFF = "ปิดอยู่"
LAST_FROM_STAFF = "คุณ/เจ้าหน้าที่: "
ASSIGNED_TO_ME = "ฉันรับผิดชอบ"
ASSIGNED_OTHER = "มีผู้รับเรื่องแล้ว"
PAGE_OF = "หน้า {page} จาก {pages}"
PREV = "‹ ก่อนหน้า"
NEXT = "ถัดไป ›"
BACK_TO_INBOX = "‹ กลับไปกล่องข้อความ"
THREAD_TITLE = "เรื่อง #{case_id}"
PERSON_TITLE = "ผู้ติดต่อ"
PERSON_NAME = "ชื่อ"
PERSON_DISTRICT = "อำเภอ"
PERSON_INTERESTS = "สนใจข่าว"
PERSON_OPTED_IN = "ยินยอมให้ใช้ข้อมูล"
PERSON_CASES = "เคยติดต่อ"
PERSON_CASES_VALUE = "{count} เรื่อง"
PERSON_UNFOLLOWED = "เลิกติดตามบัญชีแล้ว ส่งข้อความไม่ถึง"
NOT_GIVEN = "ไม่ได้ระบุ"
NONE_YET = "ยังไม่มี"
CASE_STATUS = "สถานะ"
CASE_ASSIGNEE = "ผู้รับผิดชอบ"
CASE_OPENED = "เปิดเรื่อง"
CASE_FIRST_ANSWER = "ตอบครั้งแรกหลังเปิดเรื่อง"
CASE_CLOSED_AT = "ปิดเรื่อง"
ASSIGNEE_ME = "คุณ"
ASSIGNEE_OTHER = "เจ้าหน้าที่อื่น ({who})"
TAKE = "รับเรื่องนี้"
CLOSE = "ปิดเรื่อง"
REOPEN = "เปิดเรื่องอีกครั้ง"
REPLY_LABEL = "ตอบกลับ"
REPLY_FIELD = "ข้อความตอบกลับ"
REPLY_HINT = "ส่งทางแชต LINE ถ้าประชาชนเพิ่งส่งข้อความมา (ไม่เกิน 1 นาที) จะตอบกลับฟรี ไม่ใช้โควตา"
SEND = "ส่งข้อความ"
SENT_AS = {"reply": "ตอบกลับ", "push": "พุช"}
OPEN_MAP = "เปิดแผนที่"
PHOTO_MISSING = "📷 รูปภาพ (เปิดไม่ได้)"
FROM_CITIZEN = "ประชาชน"
FROM_STAFF = "เจ้าหน้าที่"
NEW_MESSAGES = "มีข้อความใหม่"


def delay_text(seconds: float) -> str:
    """A time to first answer in Thai words, e.g. "3 ชม. 5 นาที"."""
    minutes = int(seconds // 60)
    if minutes < 1:
        return "ไม่ถึง 1 นาที"
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    parts = [f"{days} วัน" if days else "", f"{hours} ชม." if hours else "", f"{minutes} นาที" if minutes else ""]
    return " ".join(p for p in parts if p)
