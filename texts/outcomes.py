"""Thai copy for training outcomes: the follow-up questions to trainees at 3 and 6 months, and the funnel's labels."""

from __future__ import annotations

# ---- the follow-up survey (one per training and follow-up point, created by the scheduled scan) ----------------------
# (kind, prompt, options, required) as in texts/surveys.py TEMPLATES, so the survey engine asks them unchanged.
# Options stay within 20 characters: they become buttons, and LINE cuts longer labels.
SELLS_ONLINE_OPTIONS = ("ขายออนไลน์แล้ว", "ขายที่ตลาด/หน้าร้าน", "กำลังจะเริ่มขาย", "ยังไม่ได้ขาย")
SELLS_ONLINE_PROMPT = "หลังอบรม คุณขายของออนไลน์แล้วหรือยัง"
INCOME_PROMPT = "รายได้จากสิ่งที่เรียนเปลี่ยนไปอย่างไร (5 = เพิ่มขึ้นมาก, 3 = เท่าเดิม, 1 = ลดลง)"
COMMENT_PROMPT = "อยากเล่าอะไรเพิ่มเติม หรืออยากให้ อบจ. ช่วยเรื่องใด (ถ้ามี)"
FOLLOWUP_QUESTIONS = (
    ("single", SELLS_ONLINE_PROMPT, SELLS_ONLINE_OPTIONS, True),
    ("rating", INCOME_PROMPT, (), True),
    ("text", COMMENT_PROMPT, (), False),
)
FOLLOWUP_TITLE = "ติดตามผลหลังอบรม {months} เดือน: {training}"
FOLLOWUP_INTRO = "ผ่านมา {months} เดือนแล้วหลังการอบรม อบจ.ขอนแก่น อยากรู้ว่าคุณนำความรู้ไปใช้ได้อย่างไรบ้างค่ะ"

# ---- the funnel (console report, PDF) --------------------------------------------------------------------------------
FUNNEL_TITLE = "จากผู้อบรมสู่ร้านค้าและรายได้"
KIND_NAMES = {"career": "อบรมอาชีพ", "knowledge": "อบรมให้ความรู้", None: "ไม่ได้ระบุประเภท"}
INCOME_NOT_APPLICABLE = "การอบรมให้ความรู้: ตัวเลขร้านค้าและยอดขายแสดงไว้เพื่อประกอบเท่านั้น"
STAGE_SIGNED_UP = "ลงทะเบียน (ได้ที่นั่ง)"
STAGE_ATTENDED = "มาอบรม (เช็กอิน)"
STAGE_SHOP_LATER = "เปิดร้านหลังอบรม"
STAGE_SHOP_APPROVED = "ร้านได้รับอนุมัติ"
STAGE_CERTIFIED_SHOPS = "ร้านที่มีสินค้าได้รับรอง"
STAGE_SELLING_AFTER = "ร้านที่มียอดขายใน 6 เดือนหลังอบรม"
ATTENDANCE_RATE = "อัตราการมาอบรม"
SHOPS_BEFORE = "ผู้อบรมที่มีร้านอยู่แล้วก่อนอบรม"
CERTIFIED_PRODUCTS = "สินค้าที่ได้รับรอง (ของร้านที่เปิดหลังอบรม)"
PEOPLE = "คน"
SHOPS = "ร้าน"
ITEMS = "รายการ"

SALES_TITLE = "ยอดขายของร้านผู้อบรม"
WINDOWS = {"before_3m": "3 เดือนก่อนอบรม", "after_3m": "3 เดือนหลังอบรม", "after_6m": "6 เดือนหลังอบรม"}
WINDOW_INCOMPLETE = "(ยังไม่ครบช่วง)"
COL_PERIOD = "ช่วงเวลา"
COL_ONLINE = "ออนไลน์"
COL_TRADITIONAL = "ช่องทางดั้งเดิม"
COL_TOTAL = "รวม"
COL_SHOPS_SELLING = "ร้านที่ขายได้ (ออนไลน์ / ดั้งเดิม)"
COL_PER_MONTH = "เฉลี่ยต่อเดือน"
BAHT = "บาท"

FOLLOWUPS_TITLE = "คำตอบติดตามผล"
FOLLOWUP_POINT = "{months} เดือนหลังอบรม"
FOLLOWUP_NOT_YET = "ยังไม่ถึงกำหนดส่ง"
FOLLOWUP_COUNTS = "ส่งถึง {invited} คน · ตอบครบ {responses} คน"
FOLLOWUP_TOO_FEW = "คำตอบยังไม่ถึง {minimum} คน จึงไม่แสดงรายละเอียด"
INCOME_MEAN = "รายได้เปลี่ยนไป (เฉลี่ย 1–5)"
HIDDEN = "น้อยกว่า 5"
HIDDEN_SALES = "ไม่เปิดเผย"  # a sales cell hidden by the disclosure rules (few shops, or one shop dominates)
NO_DATA = "ยังไม่มีข้อมูล"
