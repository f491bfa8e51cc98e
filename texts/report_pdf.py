"""Thai copy of the executive summary PDFs and of the LINE notice that one is ready."""

from __future__ import annotations

KIND_TITLES = {"project": "รายงานสรุปผลโครงการ", "training": "รายงานสรุปผลการอบรม",
               "province": "รายงานสรุปประจำเดือน จังหวัดขอนแก่น"}
MONTH_TITLE = "เดือน{month} {year}"  # เดือนพฤศจิกายน 2569
GENERATED = "จัดทำเมื่อ {date}"
FOR_EXECUTIVES = "สำหรับผู้บริหาร: ตัวเลขจริงไม่ปิดบัง ห้ามเผยแพร่ต่อ"
SECTION_FIGURES = "ตัวเลขสำคัญ"
SECTION_CHARTS = "กราฟ"
SECTION_ANALYSIS = "สิ่งที่ได้ผลและสิ่งที่ควรปรับปรุง"
SECTION_STAGES = "ขั้นตอนของโครงการ"
SECTION_PHOTOS = "ภาพกิจกรรม"
NO_PHOTOS = "ยังไม่มีภาพกิจกรรม"
NO_DATA = "ยังไม่มีข้อมูล"
PERIOD = "ช่วง {start} – {end}"

# Key figures
F_FOLLOWERS = "ผู้ติดตาม"
F_ANNOUNCEMENTS = "ประกาศที่ส่ง"
F_TRAININGS = "การอบรม"
F_SIGNUPS = "ผู้สมัครอบรม"
F_ATTENDED = "ผู้เข้าอบรมจริง"
F_ATTENDANCE = "อัตราการเข้าอบรม"
F_CITIZENS = "ความพึงพอใจของประชาชน"
F_TRAINEES = "ความพึงพอใจของผู้เข้าอบรม"
F_BUYERS = "ความพึงพอใจของผู้ซื้อ"
F_ONLINE = "ยอดขายออนไลน์"
F_TRADITIONAL = "ยอดขายช่องทางดั้งเดิม"
F_SHOPS = "ร้านค้าที่อนุมัติ"
F_CERTIFIED = "สินค้าที่ได้รับรอง"
F_FUNNEL_SHOP = "ผู้เข้าอบรมที่เปิดร้านแล้ว"
F_PHOTOS = "ภาพกิจกรรม"
RATING_VALUE = "{mean:.2f} / 5 ({count:,} คำตอบ)"
PEOPLE = "{n:,} คน"
TIMES = "{n:,} ครั้ง"
COUNT = "{n:,}"
PERCENT = "{p:.0f}%"
BAHT = "{baht:,.0f} บาท"

# Analysis (rules in services/report_pdf.analysis)
A_LOWEST_ITEM = "ข้อที่ได้คะแนนต่ำสุด: “{prompt}” เฉลี่ย {mean:.2f} จาก 5 ({count:,} คำตอบ) ควรปรับปรุงเป็นอันดับแรก"
A_HIGHEST_ITEM = "ข้อที่ได้คะแนนสูงสุด: “{prompt}” เฉลี่ย {mean:.2f} จาก 5 ได้ผลดี ควรรักษาไว้"
A_SATISFIED = "{group}พึงพอใจดี เฉลี่ย {mean:.2f} จาก 5"
A_UNSATISFIED = "{group}พึงพอใจต่ำ เฉลี่ย {mean:.2f} จาก 5 ควรสอบถามสาเหตุ"
A_LOW_REACH = "อำเภอที่เข้าถึงน้อย: {districts} (ต่ำกว่าครึ่งหนึ่งของค่ากลางของอำเภออื่น) ควรประชาสัมพันธ์เพิ่ม"
A_LOW_ATTENDANCE = "อัตราการเข้าอบรม {p:.0f}% ต่ำกว่าเป้า {target:.0f}% ควรเตือนก่อนวันอบรม"
A_GOOD_ATTENDANCE = "อัตราการเข้าอบรม {p:.0f}% ถึงเป้า {target:.0f}%"
A_ONLINE_SHARE = "ยอดขายออนไลน์คิดเป็น {p:.0f}% ของยอดขายทั้งหมด"
A_TOO_FEW = "คำตอบยังน้อย ({count:,} คำตอบ) ผลความพึงพอใจยังสรุปไม่ได้"
A_NOTHING = "ยังมีข้อมูลไม่พอสำหรับการวิเคราะห์"
GROUPS = {"citizens": "ประชาชน", "trainees": "ผู้เข้าอบรม", "buyers": "ผู้ซื้อ"}

# Availability
NOT_FINISHED_PROJECT = "รายงาน PDF ของโครงการจะมีเมื่อโครงการเสร็จสิ้นแล้ว"
NOT_FINISHED_TRAINING = "รายงาน PDF ของการอบรมจะมีเมื่อการอบรมจบแล้ว"
MONTH_NOT_OVER = "รายงานประจำเดือนมีเมื่อเดือนนั้นจบแล้ว"
BAD_MONTH = "เดือนไม่ถูกต้อง ใช้รูปแบบ ปปปป-ดด (ค.ศ.)"
BAD_KIND = "ไม่มีรายงานชนิดนี้"

# The LINE notice to executives
NOTICE_READY = "📊 {title}\n“{name}” พร้อมแล้ว\nเปิดรายงาน PDF (เข้าระบบเจ้าหน้าที่ก่อน): {url}"
