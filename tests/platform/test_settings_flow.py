"""The word "ตั้งค่า": district and interests, through the profile editor's own flow, as a citizen uses it."""

from __future__ import annotations

from datetime import timedelta

from bot.conversation import current_flow
from services import citizens
from tests.dialog import dialog, tap
from texts.districts import DISTRICTS


def _district(rt, user) -> str | None:
    with rt.db.transaction() as session:
        citizen = citizens.get(session, user.user_id)
        return citizen.district if citizen else None


def _interests(rt, user) -> list[str]:
    with rt.db.transaction() as session:
        citizen = citizens.get(session, user.user_id)
        return list(citizen.interests or []) if citizen else []


def test_citizen_picks_a_district_then_interests_with_buttons(chat, rt):
    somsri = chat("สมศรี")
    somsri.follow()
    districts, _, interests, saved = dialog(somsri, [
        ("ตั้งค่า", "1/2 คุณอยู่อำเภอไหน"),
        # no age question: ตั้งค่า asks what the greeting promised
        (tap("พล"), ["อำเภอของคุณคือ พล", "2/2 สนใจข่าวเรื่องไหนบ้าง"]),
        (tap("⬜ 🏗️ ข่าวงานโครงสร้างพื้นฐาน"), "สนใจข่าวเรื่องไหนบ้าง"),
        (tap("เสร็จแล้ว"), "บันทึกแล้วค่ะ"),
    ])
    assert districts.texts[0].startswith("1/2 คุณอยู่อำเภอไหน")  # a new citizen has no choices to show yet
    assert districts.types == ["text", "flex"]
    assert set(DISTRICTS.values()) <= set(districts.labels())  # all 26, as big buttons
    assert _district(rt, somsri) == "phon"
    assert "✅ 🏗️ ข่าวงานโครงสร้างพื้นฐาน" in interests.labels()
    assert saved.texts[0].startswith("บันทึกแล้วค่ะ")
    assert "• อำเภอ: พล" in saved.texts[0] and "• สนใจ: ข่าวงานโครงสร้างพื้นฐาน" in saved.texts[0]
    assert "อายุ" not in saved.texts[0]
    assert _interests(rt, somsri) == ["infrastructure"]
    with rt.db.transaction() as session:
        assert current_flow(session, somsri.user_id) is None


def test_settings_show_the_current_choices_first_and_skip_keeps_them(chat, rt):
    somsri = chat("สมศรี")
    somsri.says("ตั้งค่า")
    somsri.taps("พล")
    somsri.taps("⬜ 🛒 ตลาดชุมชน")
    somsri.taps("เสร็จแล้ว")
    reply = somsri.says("ตั้งค่า")
    assert reply.texts[0] == ("ตอนนี้ตั้งค่าไว้ดังนี้ค่ะ\n• อำเภอ: พล\n• สนใจ: ตลาดชุมชน\n"
                              "ข้อไหนไม่เปลี่ยน กด “ข้าม” หรือ “เสร็จแล้ว” ได้เลยค่ะ")
    assert reply.texts[1].startswith("1/2 คุณอยู่อำเภอไหน")
    reply = somsri.taps("ข้าม")
    assert "✅ 🛒 ตลาดชุมชน" in reply.labels()  # the interests step shows today's ticks
    reply = somsri.taps("เสร็จแล้ว")
    assert "• อำเภอ: พล" in reply.texts[0] and "• สนใจ: ตลาดชุมชน" in reply.texts[0]
    assert (_district(rt, somsri), _interests(rt, somsri)) == ("phon", ["market"])


def test_settings_and_profile_editor_are_one_flow(chat, rt):
    somsri = chat("สมศรี")
    somsri.says("ตั้งค่า")
    with rt.db.transaction() as session:
        assert current_flow(session, somsri.user_id) == "profile:district"
    reply = somsri.says("ตั้งค่าโปรไฟล์")  # the editor's own word asks the age group too
    assert reply.texts[-1].startswith("1/3")
    reply = somsri.taps("พล")
    assert "2/3 อายุของคุณอยู่ช่วงไหน" in reply.texts[1]


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
        assert current_flow(session, somying.user_id) == "profile:district"
    assert "อำเภอของคุณคือ ชุมแพ" in somying.says("ชุมแพ").texts[0]


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
    somporn.taps("เสร็จแล้ว")
    reply = somporn.taps("ชนบท")  # an old card still in the chat
    assert "จบไปแล้ว" in reply.texts[0]
    assert _district(rt, somporn) == "phon"


def test_flow_times_out(chat, rt, clock):
    sompong = chat("สมปอง")
    sompong.says("ตั้งค่า")
    clock.advance(timedelta(minutes=31))
    reply = sompong.says("พล")
    assert "ขั้นตอน “ตั้งค่าโปรไฟล์” หมดเวลาแล้วค่ะ" in reply.texts[0]
    assert _district(rt, sompong) is None


def test_a_menu_word_mid_flow_leaves_it_and_is_answered(chat, rt):
    somjit = chat("สมจิต")
    somjit.says("ตั้งค่า")
    reply = somjit.says("ช่วยเหลือ")
    assert "ออกจากขั้นตอน “ตั้งค่าโปรไฟล์” แล้วค่ะ" in reply.texts[0]
    assert "ตั้งค่า" in reply.quick_replies()
    with rt.db.transaction() as session:
        assert current_flow(session, somjit.user_id) is None
