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


def test_export_link_opens_a_readable_thai_page_with_the_json_beside_it_then_expires(chat, rt, client, clock,
                                                                                     make_project):
    somchai = _onboarded(chat, "สมชาย")
    project_id = make_project("ถนนพล", districts=("phon",))
    somchai.postback(f"pj-fo:{project_id}")
    somchai.says("ข้อมูลของฉัน")
    reply = somchai.taps("ขอสำเนาข้อมูล")
    assert "ลิงก์นี้ใช้ได้ 30 นาที" in reply.text
    url = reply.action("เปิดสำเนาข้อมูล")["uri"]
    assert url.startswith("http://kk.test/my-data/")
    path = url.removeprefix("http://kk.test")
    page = client.get(path)
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    html = " ".join(body.split())
    # Sections by feature with Thai titles, Thai labels, names instead of stored keys.
    assert '<h2 id="title-profile">ข้อมูลส่วนตัว</h2>' in body and '<h2 id="title-consent">ความยินยอม</h2>' in body
    assert '<h2 id="title-projects">โครงการที่ติดตาม</h2>' in body
    assert body.index('id="title-profile"') < body.index('id="title-consent"') < body.index('id="title-projects"')
    assert "<dt>อำเภอ</dt> <dd>พล</dd>" in html and "phon" not in body
    assert "<dt>ช่วงอายุ</dt> <dd>40–59 ปี</dd>" in html and "40_59" not in body
    assert "<dt>ความสนใจ</dt> <dd>อบรม/ฝึกอาชีพ</dd>" in html
    assert "<dt>ข่าวสินค้าและโปรโมชันชุมชน</dt> <dd>ใช่</dd>" in html and "<dd>ให้ความยินยอม</dd>" in html
    assert f"<dt>รหัสผู้ใช้ LINE</dt> <dd>{somchai.user_id}</dd>" in html
    assert "<h3>ถนนพล</h3>" in body
    # Dates in Thai, Buddhist era, Bangkok time (the test clock starts at 2026-11-23 03:00 UTC = 10:00 in Bangkok).
    assert "<dt>ติดต่อครั้งแรกเมื่อ</dt> <dd>23 พ.ย. 2569 10:00 น.</dd>" in html
    assert "2026-11-23T" not in body and "followed_projects" not in body and "line_user_id" not in body
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in body  # phone size
    assert f'href="{path}.json" download' in body  # the machine-readable copy beside it
    download = client.get(path + ".json")
    assert download.headers["Content-Disposition"] == 'attachment; filename="kk-my-data.json"'
    assert download.mimetype == "application/json"
    data = download.get_json()
    assert data["profile"]["district"] == "phon"
    assert data["consent"]["consents"]["marketing"] is True
    assert data["projects"]["followed_projects"][0]["title"] == "ถนนพล"
    assert page.headers["Cache-Control"] == "no-store" and download.headers["Cache-Control"] == "no-store"
    assert ("export", True) in _requests(rt)
    clock.advance(minutes=31)
    expired = client.get(path)
    assert expired.status_code == 404
    assert "ลิงก์สำเนาข้อมูลนี้ใช้ไม่ได้แล้วค่ะ" in expired.get_data(as_text=True)
    assert "ขอลิงก์ใหม่ได้ที่เมนู “ข้อมูลของฉัน”" in expired.get_data(as_text=True)
    assert expired.headers["Cache-Control"] == "no-store"
    assert client.get(path + ".json").status_code == 404
    assert "หมดอายุ" in client.get(path + ".json").get_json()["message"]
    for forged in ("/my-data/forged-token", "/my-data/" + "x" * 500, "/my-data/%E0%B8%81"):
        answer = client.get(forged)
        assert answer.status_code == 404 and "ลิงก์สำเนาข้อมูลนี้ใช้ไม่ได้แล้วค่ะ" in answer.get_data(as_text=True)
    assert client.get("/my-data/%E0%B8%81.json").get_json()["error"] == "export_link_invalid"


def test_a_feature_without_labels_still_shows_readably(monkeypatch):
    """A feature added later (say, "cases") shows with generic rendering; its labels, when added, are used."""
    from texts import personal_data as personal_data_texts
    from web.personal_data import readable

    data = {"profile": {"district": "chum_phae", "interests": ["market"]},
            "cases": {"cases": [{"status": "open", "opened_at": "2026-11-23T03:00:00+00:00", "urgent": False,
                                 "price_satang": 12550, "tags": ["a", "b"], "note": None}]}}
    sections = readable(data, "Asia/Bangkok")
    assert [s.title for s in sections] == ["ข้อมูลส่วนตัว", "cases"]  # the person first, then the unknown one
    assert [(r.label, r.value) for r in sections[0].rows] == [("อำเภอ", "ชุมแพ"), ("ความสนใจ", "ตลาดชุมชน")]
    record = sections[1].rows[0].records[0]
    assert record.heading == "รายการที่ 1"
    assert [(r.label, r.value) for r in record.rows] == [
        ("สถานะ", "open"), ("opened at", "23 พ.ย. 2569 10:00 น."), ("urgent", "ไม่ใช่"),
        ("price satang", "125.50 บาท"), ("tags", "a, b"), ("note", "ไม่มี")]
    monkeypatch.setitem(personal_data_texts.FEATURES, "cases", "การติดต่อเจ้าหน้าที่")
    monkeypatch.setitem(personal_data_texts.FIELDS, "cases", {"opened_at": "เปิดเรื่องเมื่อ"})
    monkeypatch.setitem(personal_data_texts.VALUES, ("cases", "status"), {"open": "รอเจ้าหน้าที่ตอบ"})
    sections = readable(data, "Asia/Bangkok")
    rows = sections[1].rows[0].records[0].rows
    assert sections[1].title == "การติดต่อเจ้าหน้าที่"
    assert (rows[0].value, rows[1].label) == ("รอเจ้าหน้าที่ตอบ", "เปิดเรื่องเมื่อ")


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


def test_share_and_earn_asks_its_opt_in_and_withdrawing_it_in_my_data_leaves_the_programme(chat, rt):
    from services import referrals

    daeng = chat("แดง")
    daeng.follow()
    reply = daeng.says("แชร์รับรายได้")
    assert "ขอความยินยอม" in reply.body and "เลขพร้อมเพย์" in reply.body
    daeng.taps("ยินยอม")
    daeng.says("0812345678")
    with rt.db.transaction() as session:
        assert consent.has_opt_in(session, daeng.user_id, consent.SHARE_EARN)
        assert referrals.get_sharer(session, daeng.user_id) is not None
    daeng.says("ข้อมูลของฉัน")
    daeng.taps("ความยินยอม")
    reply = daeng.taps("ถอนความยินยอม")
    assert "ถอนความยินยอม “โครงการแชร์รับรายได้” แล้ว" in reply.texts[0]
    with rt.db.transaction() as session:
        assert not consent.has_opt_in(session, daeng.user_id, consent.SHARE_EARN)
        assert referrals.get_sharer(session, daeng.user_id) is None


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
