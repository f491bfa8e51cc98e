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
