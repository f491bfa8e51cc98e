""""ข้อมูลของฉัน": see what is kept, export it by a private link, manage opt-ins, erase everything (logged)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from models.citizens import ConsentLog, DataRequest
from models.platform import Citizen, Conversation, InboundEvent
from models.projects import ProjectFollower
from services import citizens, consent


def _requests(rt) -> list[tuple[str, bool]]:
    with rt.db.transaction() as session:
        return [(r.kind, r.citizen_id is not None) for r in session.scalars(select(DataRequest).order_by(DataRequest.id))]


def _onboarded(chat, name="สมศรี"):
    user = chat(name)
    user.follow()
    user.says("ตั้งค่าโปรไฟล์")
    user.taps("พล")
    user.taps("40–59 ปี")
    user.taps("⬜ 🎓 อบรม/ฝึกอาชีพ")
    user.taps("เสร็จแล้ว")
    user.taps("รับข่าวสินค้า")
    return user


def test_my_data_shows_what_is_kept_and_logs_the_view(chat, rt):
    somsri = _onboarded(chat)
    reply = somsri.says("ข้อมูลของฉัน")
    assert "พล" in reply.text and "40–59 ปี" in reply.text and "อบรม/ฝึกอาชีพ" in reply.text
    assert "ข่าวสินค้าและโปรโมชันชุมชน" in reply.text  # the opt-in given
    assert {"แก้ไขโปรไฟล์", "ความยินยอม", "ขอสำเนาข้อมูล", "ลบข้อมูลของฉัน"} <= set(reply.labels())
    assert ("view", True) in _requests(rt)


def test_export_link_opens_a_page_with_the_data_then_expires(chat, rt, client, clock, make_project):
    somchai = _onboarded(chat, "สมชาย")
    project_id = make_project("ถนนพล", districts=("phon",))
    somchai.postback(f"pj-fo:{project_id}")
    somchai.says("ข้อมูลของฉัน")
    reply = somchai.taps("ขอสำเนาข้อมูล")
    url = reply.action("เปิดสำเนาข้อมูล")["uri"]
    assert url.startswith("http://kk.test/my-data/")
    path = url.removeprefix("http://kk.test")
    page = client.get(path)
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "ถนนพล" in body and "phon" in body and somchai.user_id in body
    data = client.get(path + ".json").get_json()
    assert data["profile"]["district"] == "phon"
    assert data["consent"]["consents"]["marketing"] is True
    assert data["projects"]["followed_projects"][0]["title"] == "ถนนพล"
    assert page.headers["Cache-Control"] == "no-store"
    assert ("export", True) in _requests(rt)
    clock.advance(minutes=31)
    assert client.get(path).status_code == 404
    assert client.get("/my-data/forged-token").status_code == 404


def test_consents_can_be_withdrawn_as_easily_as_given(chat, rt):
    mali = _onboarded(chat, "มะลิ")
    mali.says("ข้อมูลของฉัน")
    reply = mali.taps("ความยินยอม")
    assert "ถอนความยินยอม" in reply.labels() and "ยินยอม" in reply.labels()  # marketing on, share-earn off
    reply = mali.taps("ถอนความยินยอม")
    assert "ถอนความยินยอม “ข่าวสินค้าและโปรโมชันชุมชน” แล้ว" in reply.texts[0]
    with rt.db.transaction() as session:
        assert not consent.has_opt_in(session, mali.user_id, consent.MARKETING)
        actions = [r.action for r in session.scalars(select(ConsentLog).order_by(ConsentLog.id))]
    assert actions == ["grant", "withdraw"]
    assert ("withdraw", True) in _requests(rt)


def test_share_and_earn_explains_it_is_not_open_yet_and_takes_an_opt_in(chat, rt):
    daeng = chat("แดง")
    daeng.follow()
    reply = daeng.says("แชร์รับรายได้")
    assert "ยังไม่เปิดให้บริการ" in reply.text
    reply = daeng.taps("ลงชื่อรับแจ้ง")
    assert "บันทึกความยินยอม" in reply.texts[0]
    reply = daeng.says("แชร์รับรายได้")
    assert "ลงชื่อไว้แล้ว" in reply.text
    daeng.taps("ถอนชื่อ")
    with rt.db.transaction() as session:
        assert not consent.has_opt_in(session, daeng.user_id, consent.SHARE_EARN)


def test_erasure_removes_personal_data_and_keeps_only_anonymous_counts(chat, rt, clock, make_project):
    somsri = _onboarded(chat)
    project_id = make_project("ถนนพล", districts=("phon",))
    somsri.postback(f"pj-fo:{project_id}")
    somsri.says("ข้อมูลของฉัน")
    reply = somsri.taps("ลบข้อมูลของฉัน")
    assert "กู้คืนไม่ได้" in reply.text
    reply = somsri.taps("ยืนยันลบข้อมูล")
    assert "ลบข้อมูลของคุณเรียบร้อยแล้ว" in reply.texts[0]
    uid = somsri.user_id
    with rt.db.transaction() as session:
        assert citizens.get(session, uid) is None
        assert session.scalar(select(func.count()).select_from(ConsentLog).where(ConsentLog.line_user_id == uid)) == 0
        assert session.scalar(select(func.count()).select_from(ProjectFollower)) == 0
        assert session.get(Conversation, uid) is None
        # Of the chat history only the erase button press itself is left (removed with the 30-day purge).
        left_events = session.scalars(select(InboundEvent).where(InboundEvent.source_key == f"u:{uid}")).all()
        assert [e.payload["postback"]["data"][:5] for e in left_events] == ["cz-ey"]
        left = session.scalars(select(Citizen)).one()
        # Anonymous statistics: a district and an age group nobody can link to a LINE account.
        assert left.line_user_id.startswith("erased:") and left.district == "phon" and left.age_group == "40_59"
        assert left.interests == [] and left.full_name is None and left.is_following is False
        kinds = [r.kind for r in session.scalars(select(DataRequest))]
        assert "erase" in kinds
        assert all(r.citizen_id is None for r in session.scalars(select(DataRequest)))
    # The export of someone erased is empty; talking again starts afresh with no consent.
    reply = somsri.says("ข้อมูลของฉัน")
    assert "ยังไม่ได้ระบุ" in reply.text
    with rt.db.transaction() as session:
        assert not consent.has_opt_in(session, uid, consent.MARKETING)


def test_old_or_cancelled_erase_confirmation_erases_nothing(chat, rt, clock):
    somchai = _onboarded(chat, "สมชาย")
    somchai.says("ข้อมูลของฉัน")
    somchai.taps("ลบข้อมูลของฉัน")
    reply = somchai.taps("ไม่ลบ")
    assert "ยังอยู่เหมือนเดิม" in reply.texts[0]
    clock.advance(timedelta(minutes=11))
    reply = somchai.taps("ยืนยันลบข้อมูล")
    assert "หมดอายุ" in reply.texts[0]
    with rt.db.transaction() as session:
        assert citizens.get(session, somchai.user_id).district == "phon"
