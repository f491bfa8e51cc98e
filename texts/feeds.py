"""Thai words of the website feeds (/feed.xml, /feed.atom, /feed.json) and the embeddable news widget (/embed/news)."""

from __future__ import annotations

FEED_TITLE = "ข่าวโครงการ อบจ.ขอนแก่น"
FEED_DESCRIPTION = "ประกาศและความคืบหน้าโครงการขององค์การบริหารส่วนจังหวัดขอนแก่น"
FEED_TITLE_DISTRICT = "อำเภอ{name}"
FEED_AUTHOR = "องค์การบริหารส่วนจังหวัดขอนแก่น"
FEED_LANGUAGE = "th"

# A stage's news headline on the website ("{headline}: {project title}"); LINE's emoji headers stay in chat.
STAGE_HEADLINES = {
    "announced": "โครงการใหม่",
    "in_progress": "เริ่มดำเนินการแล้ว",
    "completed": "โครงการแล้วเสร็จ",
    "evaluated": "ผลการประเมินโครงการ",
}
STAGE_TITLE = "{headline}: {title}"
ANNOUNCEMENT_FALLBACK_TITLE = "ประกาศจาก อบจ.ขอนแก่น"

ERR_UNKNOWN_DISTRICT = "ไม่รู้จักรหัสอำเภอ \"{value}\" ใช้ได้: {codes}"
ERR_UNKNOWN_KIND = "ไม่รู้จักประเภทโครงการ \"{value}\" ใช้ได้: {codes}"

EMBED_TITLE = "ข่าวล่าสุด"
EMBED_EMPTY = "ยังไม่มีข่าวในขณะนี้"
EMBED_MORE = "ดูโครงการทั้งหมด"
EMBED_SOURCE = "จาก อบจ.ขอนแก่น"
EMBED_ERROR_TITLE = "แสดงข่าวไม่ได้"
