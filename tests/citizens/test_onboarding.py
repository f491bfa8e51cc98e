"""Follow onboarding: welcome, the PDPA notice, the optional marketing opt-in, profile by buttons, re-follow."""

from __future__ import annotations

from bot.conversation import current_flow
from services import citizens, consent


def _citizen(rt, user):
    with rt.db.transaction() as session:
        return citizens.get(session, user.user_id)


def test_new_follower_gets_welcome_privacy_notice_and_optional_opt_in(chat, rt):
    somsri = chat("สมศรี")
    reply = somsri.follow()
    assert reply.types == ["text", "flex", "flex", "text"]
    assert "ยินดีต้อนรับ" in reply.texts[0]
    notice = reply.text
    for heading in ("เราเก็บอะไร", "เพื่ออะไร", "นานแค่ไหน", "ติดต่อ", "ดู/ลบข้อมูล"):
        assert heading in notice
    assert reply.action("อ่านฉบับเต็ม")["uri"] == "http://kk.test/privacy"
    assert {"รับข่าวสินค้า", "ไม่ตอนนี้"} <= set(reply.labels())
    assert "ตั้งค่าเลย" in reply.quick_replies()
    citizen = _citizen(rt, somsri)
    assert citizen.is_following and citizen.privacy_notice_version is not None
    with rt.db.transaction() as session:
        assert consent.has_opt_in(session, somsri.user_id, consent.MARKETING) is False  # never by default


def test_marketing_opt_in_is_given_only_by_pressing_yes_and_logged(chat, rt, clock):
    somchai = chat("สมชาย")
    somchai.follow()
    reply = somchai.taps("ไม่ตอนนี้")
    assert "ไม่รับ" in reply.texts[0]
    with rt.db.transaction() as session:
        assert not consent.has_opt_in(session, somchai.user_id, consent.MARKETING)
    reply = somchai.taps("รับข่าวสินค้า")
    assert "บันทึกความยินยอม" in reply.texts[0]
    with rt.db.transaction() as session:
        assert consent.has_opt_in(session, somchai.user_id, consent.MARKETING)
        history = consent.export_personal_data(session, citizens.get(session, somchai.user_id))["consent_history"]
    assert [(h["purpose"], h["action"]) for h in history] == [("marketing", "grant")]
    assert history[0]["at"].startswith("2026-11-23T03:00")


def test_profile_by_buttons_district_age_and_interests(chat, rt):
    somying = chat("สมหญิง")
    somying.follow()
    reply = somying.taps("ตั้งค่าเลย")
    assert reply.texts[0].startswith("1/3")
    assert "พล" in reply.labels() and "ข้าม" in reply.quick_replies()
    reply = somying.taps("พล")
    assert reply.texts[0] == "บันทึกแล้วค่ะ ✅ อำเภอของคุณคือ พล"
    assert reply.texts[1].startswith("2/3")
    reply = somying.taps("60 ปีขึ้นไป")
    assert "3/3" in reply.text
    reply = somying.taps("⬜ 🎓 อบรม/ฝึกอาชีพ")
    assert "✅ 🎓 อบรม/ฝึกอาชีพ" in reply.labels()
    somying.taps("⬜ 🛒 ตลาดชุมชน")
    reply = somying.taps("✅ 🎓 อบรม/ฝึกอาชีพ")  # tapping again removes it
    assert "⬜ 🎓 อบรม/ฝึกอาชีพ" in reply.labels()
    reply = somying.taps("เสร็จแล้ว")
    assert "อำเภอ: พล" in reply.texts[0] and "60 ปีขึ้นไป" in reply.texts[0] and "ตลาดชุมชน" in reply.texts[0]
    citizen = _citizen(rt, somying)
    assert (citizen.district, citizen.age_group, citizen.interests) == ("phon", "60_plus", ["market"])
    with rt.db.transaction() as session:
        assert current_flow(session, somying.user_id) is None


def test_profile_wrong_input_is_answered_politely_and_skip_works(chat, rt):
    somsak = chat("สมศักดิ์")
    somsak.says("ตั้งค่าโปรไฟล์")
    reply = somsak.says("กรุงเทพ")
    assert "ไม่พบอำเภอ “กรุงเทพ”" in reply.texts[0]
    reply = somsak.sends_sticker()
    assert reply.texts  # still asked, nothing lost
    somsak.taps("ข้าม")
    reply = somsak.says("อายุ 200")
    assert "กรุณากดเลือกช่วงอายุ" in reply.texts[0]
    somsak.taps("ข้าม")
    reply = somsak.says("อะไรก็ได้")
    assert "เสร็จแล้ว" in reply.texts[0]
    reply = somsak.taps("เสร็จแล้ว")
    assert "ยังไม่ได้ระบุ" in reply.texts[0]
    citizen = _citizen(rt, somsak)
    assert citizen.district is None and citizen.age_group is None


def test_forged_profile_button_outside_the_flow_changes_nothing(chat, rt):
    mali = chat("มะลิ")
    mali.follow()
    reply = mali.postback("cz-d:bangkok")
    assert "จบไปแล้ว" in reply.texts[0]
    mali.says("ตั้งค่าโปรไฟล์")
    reply = mali.postback("cz-d:bangkok")
    assert reply.texts[0].startswith("1/3")  # a forged district is refused: asked again
    assert _citizen(rt, mali).district is None


def test_unfollow_marks_inactive_and_refollow_welcomes_back_without_onboarding(chat, rt):
    somporn = chat("สมพร")
    somporn.follow()
    somporn.unfollow()
    assert _citizen(rt, somporn).is_following is False
    reply = somporn.follow(unblocked=True)
    assert reply.types == ["text"] and "ยินดีต้อนรับกลับมา" in reply.texts[0]
    assert _citizen(rt, somporn).is_following is True


def test_unblocked_follow_from_someone_never_onboarded_gets_the_full_notice(chat, rt):
    daeng = chat("แดง")
    reply = daeng.follow(unblocked=True)
    assert "เราเก็บอะไร" in reply.text
