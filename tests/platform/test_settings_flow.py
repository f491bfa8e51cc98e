"""The "ตั้งค่า" flow: the conversation engine's one shipped flow (district), as a citizen uses it."""

from __future__ import annotations

from datetime import timedelta

from bot.conversation import current_flow
from services import citizens
from texts.districts import DISTRICTS


def _district(rt, user) -> str | None:
    with rt.db.transaction() as session:
        citizen = citizens.get(session, user.user_id)
        return citizen.district if citizen else None


def test_citizen_picks_a_district_with_a_button(chat, rt):
    somsri = chat("สมศรี")
    somsri.follow()
    reply = somsri.says("ตั้งค่า")
    assert reply.texts[0].startswith("คุณอยู่อำเภอไหน")
    assert reply.types == ["text", "flex"]
    assert set(reply.labels()) == set(DISTRICTS.values())  # all 26, as big buttons
    reply = somsri.taps("พล")
    assert "อำเภอของคุณคือ พล" in reply.texts[0]
    assert _district(rt, somsri) == "phon"
    with rt.db.transaction() as session:
        assert current_flow(session, somsri.user_id) is None


def test_citizen_may_type_the_district_instead(chat, rt):
    somchai = chat("สมชาย")
    somchai.says("ตั้งค่า")
    assert "เมืองขอนแก่น" in somchai.says("อ.เมือง").texts[0]
    assert _district(rt, somchai) == "mueang"


def test_unknown_district_is_asked_again_politely_and_nothing_is_lost(chat, rt):
    somying = chat("สมหญิง")
    somying.says("ตั้งค่า")
    reply = somying.says("กรุงเทพ")
    assert "ไม่พบอำเภอ “กรุงเทพ”" in reply.texts[0]
    with rt.db.transaction() as session:
        assert current_flow(session, somying.user_id) == "settings:district"
    assert "ชุมแพ" in somying.says("ชุมแพ").texts[0]


def test_cancel_word_leaves_the_flow_at_any_step(chat, rt):
    somsak = chat("สมศักดิ์")
    somsak.says("ตั้งค่า")
    assert somsak.says("ยกเลิก").texts == ["ยกเลิกเรียบร้อยแล้วค่ะ"]
    assert _district(rt, somsak) is None
    assert "ไม่มีขั้นตอนที่ต้องยกเลิก" in somsak.says("ยกเลิก").texts[0]


def test_a_button_from_a_finished_flow_is_stale(chat, rt):
    somporn = chat("สมพร")
    somporn.says("ตั้งค่า")
    somporn.taps("พล")
    reply = somporn.taps("ชนบท")  # an old card still in the chat
    assert "จบไปแล้ว" in reply.texts[0]
    assert _district(rt, somporn) == "phon"


def test_flow_times_out(chat, rt, clock):
    sompong = chat("สมปอง")
    sompong.says("ตั้งค่า")
    clock.advance(timedelta(minutes=31))
    reply = sompong.says("พล")
    assert "หมดเวลา" in reply.texts[0]
    assert _district(rt, sompong) is None


def test_a_menu_word_mid_flow_leaves_it_and_is_answered(chat, rt):
    somjit = chat("สมจิต")
    somjit.says("ตั้งค่า")
    reply = somjit.says("ช่วยเหลือ")
    assert "ออกจากขั้นตอน「ตั้งค่า」" in reply.texts[0]
    assert "ตั้งค่า" in reply.quick_replies()
    with rt.db.transaction() as session:
        assert current_flow(session, somjit.user_id) is None
