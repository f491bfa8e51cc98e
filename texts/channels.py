"""Thai copy for the province's other channels (the Facebook Page): staff's console page and its messages."""

from __future__ import annotations

# Service answers
NOTHING_TO_POST = "ไม่มีข้อความ ลิงก์ หรือรูปภาพให้โพสต์ลง Facebook"
BAD_URL = "ลิงก์หรือรูปภาพต้องเป็นที่อยู่เว็บ (https://...) ไม่เกิน 1,000 ตัวอักษร"
NAIVE_TIME = "เวลาโพสต์ต้องระบุเขตเวลา"
STAFF_ONLY = "เฉพาะเจ้าหน้าที่เท่านั้นที่สั่งโพสต์ใหม่ได้"
NOT_FOUND = "ไม่พบโพสต์นี้"
RETRY_ONLY_DEAD = "ลองใหม่ได้เฉพาะโพสต์ที่ส่งไม่สำเร็จ"
SEARCH_FAILED = "ค้นหาโพสต์เดิมบนเพจไม่ได้ ({error}) จะค้นหาอีกครั้งก่อนโพสต์ เพื่อไม่ให้โพสต์ซ้ำ"

# Console
PAGE_TITLE = "โพสต์ Facebook"
PAGE_INTRO = ("ประกาศที่เลือกช่องทาง Facebook จะโพสต์ลงเพจของ อบจ. โดยอัตโนมัติ ระบบตรวจไม่ให้โพสต์ซ้ำ "
              "โพสต์ที่ส่งไม่สำเร็จจะแสดงสาเหตุจาก Facebook และกดลองใหม่ได้")
MODE_FACEBOOK = "เชื่อมต่อเพจ Facebook แล้ว (เพจ {page_id})"
MODE_STANDIN = "จะโพสต์ลง Facebook (โหมดจำลอง)"
MODE_STANDIN_HINT = ("ยังไม่ได้ตั้งค่า FACEBOOK_PAGE_ID และ FACEBOOK_PAGE_ACCESS_TOKEN: "
                     "ระบบจำลองการโพสต์ไว้ในเครื่องนี้ ยังไม่ได้โพสต์ลง Facebook จริง")
MODE_OFF = ("ยังไม่ได้ตั้งค่าเพจ Facebook (FACEBOOK_PAGE_ID และ FACEBOOK_PAGE_ACCESS_TOKEN) "
            "โพสต์ที่รออยู่จะส่งเมื่อตั้งค่าแล้ว")
NONE = "ยังไม่มีโพสต์"
STATUS = {
    "pending": "รอโพสต์",
    "sending": "กำลังโพสต์",
    "posted": "โพสต์แล้ว",
    "dead": "โพสต์ไม่สำเร็จ",
    "cancelled": "ยกเลิก (ประกาศถูกยกเลิก)",
}
STANDIN_STATUS = {"posted": "โพสต์แล้ว (จำลอง)"}
WOULD_POST = "จะโพสต์ลง Facebook (โหมดจำลอง)"
ANNOUNCEMENT = "ประกาศ #{id}"
PROJECT_STAGE = "โครงการ #{id}"
DUE_AT = "กำหนดโพสต์"
POSTED_AT = "โพสต์เมื่อ"
ATTEMPTS = "พยายาม {n} ครั้ง"
OPEN_POST = "ดูโพสต์บน Facebook"
OPEN_STANDIN_POST = "ดูโพสต์ (จำลอง)"
ERROR = "สาเหตุจาก Facebook"
MAYBE_POSTED = "คำขอก่อนหน้าอาจโพสต์สำเร็จแล้ว ระบบจะค้นหาโพสต์เดิมบนเพจก่อนเสมอ จึงไม่โพสต์ซ้ำ"
RETRY = "ลองโพสต์ใหม่"
RETRIED = "นำโพสต์ #{id} กลับเข้าคิวแล้ว"
WAITING_LABEL = "โพสต์ Facebook ไม่สำเร็จ"
PHOTO = "รูปภาพ"
LINK = "ลิงก์"

# The announce form and its preview (console/_facebook_choice.html, console/_facebook_preview.html)
CHANNELS_LABEL = "ช่องทางที่ประกาศ"
CHANNEL_LINE = "LINE"
CHANNEL_FACEBOOK = "เพจ Facebook ของ อบจ."
CHANNEL_FACEBOOK_STANDIN = "Facebook (โหมดจำลอง)"
CHANNEL_WEBSITE = "เว็บไซต์ อบจ. (ทุกประกาศ)"
WILL_POST = "จะโพสต์ลงเพจ Facebook ของ อบจ."
PREVIEW_NOTE = "ข้อความบน Facebook จะมีรหัสท้ายโพสต์ (#kk...) ไว้ให้ระบบตรวจไม่ให้โพสต์ซ้ำ"
