"""Thai copy for citizens' ratings of finished projects: the rating survey's questions and the public page."""

from __future__ import annotations

# The rating survey, created by itself when a project is finished (services/project_ratings.py).
SURVEY_TITLE = "ให้คะแนนโครงการ: {title}"
SURVEY_INTRO = "โครงการนี้แล้วเสร็จแล้วค่ะ อบจ.ขอนแก่น ขอให้คุณช่วยให้คะแนนผลงาน"
Q_STARS = "ให้คะแนนผลงานของโครงการนี้กี่ดาวคะ ⭐ (5 ดาว = ดีมาก, 1 ดาว = ควรปรับปรุง)"
Q_COMMENT = "อยากบอกอะไรเกี่ยวกับผลงานนี้ไหมคะ พิมพ์มาได้เลย (ไม่มี กด “ข้าม”)"
Q_PHOTO = "ส่งรูปผลงานที่เห็นจริงได้ไหมคะ (ไม่มี กด “ข้าม”)"

# The public project page.
PAGE_RATING = "คะแนนจากประชาชน"
PAGE_RATING_VALUE = "{mean} จาก 5 ดาว"
PAGE_RATING_COUNT = "จากผู้ให้คะแนน {count} คน"
PAGE_RATING_HIDDEN = "ยังมีผู้ให้คะแนนไม่ถึง 5 คน"
PAGE_RATING_ASK = "ผู้ติดตามโครงการและประชาชนในพื้นที่จะได้รับคำเชิญให้คะแนนทาง LINE"
PAGE_BEFORE_AFTER = "ก่อนและหลัง"
PAGE_BEFORE = "ก่อน"
PAGE_AFTER = "หลัง"
PAGE_AFTER_CITIZENS = "หลัง (ภาพจากประชาชน)"
PAGE_NO_PHOTO = "ยังไม่มีภาพ"
PAGE_CITIZEN_PHOTOS = "ภาพผลงานที่ประชาชนส่งมา ({n})"
PAGE_CITIZEN_PHOTOS_NOTE = "ภาพจากผู้ตอบแบบให้คะแนน ไม่แสดงชื่อผู้ส่ง"
PAGE_STARS_LABEL = "คะแนนเฉลี่ย {mean} จาก 5"
