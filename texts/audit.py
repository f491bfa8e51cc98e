"""Thai copy of the audit log page (/console/audit)."""

PAGE_TITLE = "บันทึกการทำงานของเจ้าหน้าที่"
PAGE_INTRO = ("ทุกการอนุมัติ รับรอง เพิกถอน ประกาศ ให้สิทธิ์ จ่ายเงิน และส่งออกข้อมูลส่วนบุคคล "
              "บันทึกไว้ แก้ไขหรือลบไม่ได้")
NAV_LINK = "บันทึกการทำงาน"
FILTER_ACTION = "การกระทำ"
FILTER_ACTOR = "ผู้ทำ"
FILTER_FROM = "ตั้งแต่วันที่"
FILTER_TO = "ถึงวันที่"
FILTER_ANY = "ทั้งหมด"
FILTER_BUTTON = "กรอง"
NONE = "ยังไม่มีบันทึก"
COL_WHEN = "เมื่อ"
COL_WHO = "ผู้ทำ"
COL_SUBJECT = "เรื่อง"
COL_DETAIL = "รายละเอียด"
PAGE_OF = "หน้า {page} จาก {pages} ({total} รายการ)"
PREV = "ก่อนหน้า"
NEXT = "ถัดไป"
BAD_DATE = "วันที่ไม่ถูกต้อง ใช้รูปแบบ ปปปป-ดด-วว (ค.ศ.)"

ACTIONS = {
    "approve_vendor": "อนุมัติร้านค้า",
    "reject_vendor": "ไม่อนุมัติร้านค้า",
    "certify": "รับรองสินค้า",
    "reject_certification": "ไม่รับรองสินค้า",
    "revoke_certification": "เพิกถอนการรับรอง",
    "reinspection_keep": "ตรวจซ้ำแล้วคงการรับรอง",
    "announce_send": "ส่งประกาศ",
    "announce_schedule": "ตั้งเวลาประกาศ",
    "grant_role": "ให้สิทธิ์",
    "revoke_role": "ถอนสิทธิ์",
    "invite": "สร้างคำเชิญ",
    "revoke_invitation": "ยกเลิกคำเชิญ",
    "accept_invitation": "รับคำเชิญ",
    "payout": "บันทึกการจ่ายค่าแนะนำ",
    "hold_release": "อนุมัติค่าแนะนำที่พักไว้",
    "hold_cancel": "ยกเลิกค่าแนะนำที่พักไว้",
    "export_personal_data": "ส่งออกข้อมูลส่วนบุคคล",
}
ROLES = {"admin": "ผู้ดูแลระบบ", "staff": "เจ้าหน้าที่", "executive": "ผู้บริหาร", "api": "ระบบ (API)",
         "scheduler": "ระบบ (ตั้งเวลา)", "system": "ระบบ", "none": "ประชาชน/ร้านค้า"}
