"""What the simulator says: the account's name, the places it offers to share, every word its API answers with,
and LINE's limits on what a user sends (the words quote them)."""

OA_NAME = "ชุมชนดิจิทัล อบจ.ขอนแก่น"
MAX_IMAGE_BYTES = 10 * 1024 * 1024  # LINE's limit for an image message
MAX_DISPLAY_NAME = 50
MAX_TEXT_UTF16 = 5000
MAX_POSTBACK_DATA = 300
MAX_DISPLAY_TEXT = 300
MAX_PLACE_TEXT = 100  # LINE's limit for a location message's title and address

# Places the simulator offers for "ส่งตำแหน่งที่ตั้ง" (a phone would open a map instead).
PLACES = (
    {"title": "ศาลากลางจังหวัดขอนแก่น", "address": "ถนนศูนย์ราชการ ตำบลในเมือง อำเภอเมืองขอนแก่น ขอนแก่น 40000",
     "latitude": 16.4419, "longitude": 102.8353},
    {"title": "มหาวิทยาลัยขอนแก่น", "address": "123 ถนนมิตรภาพ ตำบลในเมือง อำเภอเมืองขอนแก่น ขอนแก่น 40002",
     "latitude": 16.4746, "longitude": 102.8230},
    {"title": "บึงแก่นนคร", "address": "ตำบลในเมือง อำเภอเมืองขอนแก่น ขอนแก่น 40000",
     "latitude": 16.4136, "longitude": 102.8360},
    {"title": "ที่ว่าการอำเภอชุมแพ", "address": "ตำบลชุมแพ อำเภอชุมแพ ขอนแก่น 40130",
     "latitude": 16.5440, "longitude": 102.0990},
    {"title": "ที่ว่าการอำเภอบ้านไผ่", "address": "ตำบลในเมือง อำเภอบ้านไผ่ ขอนแก่น 40110",
     "latitude": 16.0600, "longitude": 102.7300},
)

# Every word a person can read on the simulator's API answers, in one place.
TEXTS = {
    "bad_json": "ข้อมูลที่ส่งมาไม่ถูกต้อง กรุณาลองใหม่",
    "name_required": "กรุณาใส่ชื่อที่แสดง",
    "name_too_long": f"ชื่อที่แสดงยาวได้ไม่เกิน {MAX_DISPLAY_NAME} ตัวอักษร",
    "bad_picture": "ลิงก์รูปโปรไฟล์ต้องขึ้นต้นด้วย http:// หรือ https://",
    "bad_user_id": "รหัสผู้ใช้ต้องเป็นตัว U ตามด้วยเลขฐานสิบหก 32 ตัว",
    "user_exists": "มีผู้ใช้รหัสนี้อยู่แล้ว",
    "no_user": "ไม่พบผู้ใช้นี้ กรุณาเลือกหรือสร้างผู้ใช้ใหม่",
    "already_friend": "ผู้ใช้นี้เป็นเพื่อนกับบัญชีอยู่แล้ว",
    "not_friend": "ผู้ใช้นี้ยังไม่ได้เพิ่มเพื่อน (หรือบล็อกอยู่) กรุณากด “เพิ่มเพื่อน” ก่อน",
    "text_required": "กรุณาพิมพ์ข้อความ",
    "text_too_long": f"ข้อความยาวเกิน {MAX_TEXT_UTF16:,} ตัวอักษร",
    "data_required": "ข้อมูลปุ่ม (data) ต้องเป็นข้อความไม่เกิน 300 ตัวอักษร",
    "display_text_bad": "ข้อความที่แสดง (displayText) ต้องเป็นข้อความ 1–300 ตัวอักษร",
    "params_bad": "ค่าวันที่/เวลาที่เลือกไม่ถูกต้อง",
    "alias_bad": "รหัสเมนู (richMenuAliasId) ไม่ถูกต้อง",
    "image_required": "กรุณาเลือกรูปภาพ",
    "image_too_big": "รูปภาพใหญ่เกิน 10 MB กรุณาเลือกรูปที่เล็กลง",
    "image_type": "รองรับเฉพาะรูปภาพ JPEG, PNG, GIF หรือ WebP",
    "bad_cursor": "ตำแหน่งข้อความ (cursor) ไม่ถูกต้อง",
    "webhook_failed": "ส่งถึงบอทไม่สำเร็จ",
    "webhook_unreachable": "ติดต่อบอทไม่ได้ (ไม่มีการตอบกลับจาก {url})",
    "webhook_status": "บอทตอบกลับด้วยรหัสผิดพลาด HTTP {status}",
    "not_found": "ไม่พบสิ่งที่ต้องการ",
    "no_image": "ไม่พบรูปภาพ",
    "method": "ไม่รองรับวิธีเรียกนี้",
    "location_bad": "ตำแหน่งที่ตั้งไม่ถูกต้อง (ละติจูด -90 ถึง 90 และลองจิจูด -180 ถึง 180)",
    "location_text_bad": f"ชื่อสถานที่และที่อยู่ต้องเป็นข้อความไม่เกิน {MAX_PLACE_TEXT} ตัวอักษร",
    "admin_unavailable": "ทำให้เป็นผู้ดูแลได้เฉพาะโหมดจำลอง (เมื่อไม่ได้เชื่อมต่อ LINE จริง) เท่านั้น",
    "admin_done": ("ทำให้ “{name}” เป็นผู้ดูแลระบบแล้ว ✅ เมนูเจ้าหน้าที่จะขึ้นในแชตในไม่กี่วินาที "
                   "กด “เข้าระบบเจ้าหน้าที่” ในแชตเพื่อเปิดหน้าเจ้าหน้าที่"),
    "admin_already": "“{name}” เป็นผู้ดูแลระบบอยู่แล้ว กด “เข้าระบบเจ้าหน้าที่” ในแชตเพื่อเปิดหน้าเจ้าหน้าที่",
    "internal": "เกิดข้อผิดพลาดภายในโปรแกรมจำลอง กรุณาลองใหม่",
}
