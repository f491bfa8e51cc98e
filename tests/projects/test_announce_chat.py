"""Staff chat flow "ประกาศข่าว": compose, photo, link, preview as citizens see it, audience, quota, confirm."""

from __future__ import annotations

from sqlalchemy import select

from bot.conversation import current_flow
from models.projects import Announcement
from services import staff
from tests.conftest import ADMIN_ID
from tests.projects.conftest import photo


def _citizens(chat):
    phon = chat("คนพล")
    phon.follow()
    phon.says("ตั้งค่า")
    phon.taps("พล")
    other = chat("คนชุมแพ")
    other.follow()
    other.says("ตั้งค่า")
    other.taps("ชุมแพ")
    return phon, other


def test_staff_announce_with_photo_and_link_to_one_district(chat, rt, line):
    phon, other = _citizens(chat)
    admin = chat("แอดมิน", user_id=ADMIN_ID)
    reply = admin.says("ประกาศข่าว")
    assert "พิมพ์ข้อความประกาศ" in reply.texts[0]
    reply = admin.says("ขอเชิญร่วมงานวันเด็ก\nวันเสาร์นี้ 9 โมง")
    assert "แนบรูป" in reply.texts[0]
    reply = admin.sends_image(photo("yellow"))
    assert "แนบลิงก์" in reply.texts[0]
    reply = admin.says("www.kkpao.go.th")
    assert "https://" in reply.texts[0]  # asked again politely
    reply = admin.says("https://www.kkpao.go.th/news/1")
    assert reply.texts[0].startswith("👇 ตัวอย่าง")
    preview = reply.messages[1]
    assert preview["type"] == "flex" and preview["contents"]["hero"]["url"].startswith("http://kk.test/media/")
    assert "ขอเชิญร่วมงานวันเด็ก\nวันเสาร์นี้ 9 โมง" in reply.text  # line breaks kept
    admin.taps("เลือกอำเภอ")
    reply = admin.taps("พล")
    confirm = reply.texts[0]
    assert "อำเภอ พล" in confirm and "ผู้รับประมาณ 1 คน" in confirm and "โควตา" in confirm
    reply = admin.taps("ยืนยันส่ง")
    assert "ส่งประกาศแล้ว" in reply.texts[0]
    got = phon.collect()
    assert got.messages == [preview]  # exactly what the staff member previewed
    assert not other.collect()
    with rt.db.transaction() as session:
        row = session.scalars(select(Announcement)).one()
        assert (row.source, row.created_by, row.status) == ("chat", ADMIN_ID, "sent")


def test_quota_left_is_shown_before_confirming(chat, rt, line):
    line.quota_limit = 500
    _citizens(chat)
    admin = chat("แอดมิน", user_id=ADMIN_ID)
    admin.says("ประกาศข่าว")
    admin.says("ประกาศ")
    admin.taps("ไม่แนบรูป")
    admin.taps("ไม่แนบลิงก์")
    reply = admin.taps("ทุกคน")
    assert "ทุกคนที่ติดตามบัญชี" in reply.texts[0] and "เหลือ 500 จาก 500" in reply.texts[0]
    admin.taps("ยืนยันส่ง")
    assert [r.path for r in line.requests() if r.path.endswith("/broadcast")] == ["/v2/bot/message/broadcast"]


def test_plain_text_announcement_by_interest(chat, rt):
    somsri = chat("สมศรี")
    somsri.follow()
    somsri.says("ตั้งค่าโปรไฟล์")
    somsri.taps("ข้าม")
    somsri.taps("ข้าม")
    somsri.taps("⬜ 🛒 ตลาดชุมชน")
    somsri.taps("เสร็จแล้ว")
    admin = chat("แอดมิน", user_id=ADMIN_ID)
    admin.says("ประกาศข่าว")
    admin.says("ตลาดนัดชุมชนเปิดแล้ว")
    admin.taps("ไม่แนบรูป")
    reply = admin.taps("ไม่แนบลิงก์")
    assert reply.messages[1] == {"type": "text", "text": "ตลาดนัดชุมชนเปิดแล้ว"}
    admin.taps("ตามความสนใจ")
    admin.taps("ตลาดชุมชน")
    admin.taps("ยืนยันส่ง")
    assert somsri.collect().texts == ["ตลาดนัดชุมชนเปิดแล้ว"]


def test_citizen_cannot_start_or_forge_the_staff_flow(chat, rt):
    somchai = chat("สมชาย")
    somchai.follow()
    reply = somchai.says("ประกาศข่าว")
    assert "สำหรับเจ้าหน้าที่เท่านั้น" in reply.texts[0]
    reply = somchai.postback("an-ok")
    assert "จบไปแล้ว" in reply.texts[0]
    with rt.db.transaction() as session:
        assert session.scalars(select(Announcement)).all() == []
        assert current_flow(session, somchai.user_id) is None


def test_staff_revoked_mid_flow_is_stopped_at_the_next_step(chat, rt, clock, line):
    helper = chat("ผู้ช่วย")
    with rt.db.transaction() as session:
        staff.grant(session, ADMIN_ID, helper.user_id, clock(), admin_ids=(ADMIN_ID,))
    helper.says("ประกาศข่าว")
    helper.says("ข่าวด่วน")
    helper.taps("ไม่แนบรูป")
    helper.taps("ไม่แนบลิงก์")
    helper.taps("ทุกคน")
    with rt.db.transaction() as session:
        staff.revoke(session, ADMIN_ID, helper.user_id, clock(), admin_ids=(ADMIN_ID,))
    reply = helper.taps("ยืนยันส่ง")
    assert "สำหรับเจ้าหน้าที่เท่านั้น" in reply.texts[0]
    with rt.db.transaction() as session:
        assert session.scalars(select(Announcement)).all() == []


def test_wrong_input_at_each_step_is_answered_and_nothing_is_lost(chat, rt):
    admin = chat("แอดมิน", user_id=ADMIN_ID)
    admin.says("ประกาศข่าว")
    assert "ตัวหนังสือ" in admin.sends_sticker().texts[0]
    assert "เกิน 1,000" in admin.says("ก" * 1001).texts[0]
    admin.says("ข่าว")
    assert "กรุณาส่งรูปภาพ" in admin.says("ไม่มีรูป").texts[0]
    assert "ไม่ใช่รูปภาพ" in admin.sends_image(b"not an image").texts[0]
    admin.taps("ไม่แนบรูป")
    admin.taps("ไม่แนบลิงก์")
    assert "ส่งถึงใคร" in admin.says("ส่งให้ทุกคน").texts[0]
    admin.taps("ทุกคน")
    assert "ยืนยันส่ง" in admin.says("โอเค").texts[0]
    with rt.db.transaction() as session:
        assert current_flow(session, ADMIN_ID) == "announce:confirm"
