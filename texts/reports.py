"""Thai copy of the reports: the console dashboard, project and training reports, charts and the reports API."""

from __future__ import annotations

NO_DATA = "ยังไม่มีข้อมูล"

# Filters
BAD_DATE = "วันที่ไม่ถูกต้อง ใช้รูปแบบ ปปปป-ดด-วว"
BAD_PERIOD = "วันเริ่มต้องไม่หลังวันสิ้นสุด"
BAD_DISTRICT = "ไม่รู้จักอำเภอนี้"
BAD_KIND = "ไม่รู้จักประเภทโครงการนี้"
PROJECT_NOT_FOUND = "ไม่พบโครงการนี้"
TRAINING_NOT_FOUND = "ไม่พบการอบรมนี้"
PDF_NOT_READY = "รายงาน PDF มีเมื่อโครงการหรือการอบรมเสร็จสิ้นแล้ว"
BAD_CHART = "ไม่มีกราฟนี้"

# Charts (matplotlib, Sarabun)
CHART_FOLLOWERS = "ผู้ติดตามบัญชี LINE รายเดือน"
CHART_SATISFACTION = "ความพึงพอใจ (คะแนน 1–5)"
CHART_SALES_MONTH = "ยอดขายออนไลน์และช่องทางดั้งเดิม รายเดือน"
CHART_SALES_DISTRICT = "ยอดขายรายอำเภอ"
AXIS_PEOPLE = "คน"
AXIS_BAHT = "บาท"
AXIS_SHARE = "สัดส่วนคำตอบ"
SERIES_FOLLOWERS = "ผู้ติดตาม"
SERIES_ONLINE = "ออนไลน์"
SERIES_TRADITIONAL = "ดั้งเดิม"
RATING_LEGEND = ("1 ไม่พอใจมาก", "2 ไม่พอใจ", "3 เฉย ๆ", "4 พอใจ", "5 พอใจมาก")
SATISFACTION_GROUPS = {"trainees": "ผู้เข้าอบรม", "buyers": "ผู้ซื้อ", "citizens": "ประชาชน"}
MEAN_LABEL = "เฉลี่ย {mean:.2f} ({count:,} คำตอบ)"
CHART_NO_DATA = "ยังไม่มีข้อมูล"
CHART_FILENAMES = {"followers": "followers", "satisfaction": "satisfaction", "sales_by_month": "sales-by-month",
                   "sales_by_district": "sales-by-district"}
