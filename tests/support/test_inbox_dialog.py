"""A person to talk to: a citizen asks for staff, staff answer from the console inbox, the bot stays quiet meanwhile,
and the case closes (by staff, by "จบการสนทนา", or after 24 h of silence)."""

from __future__ import annotations

import io
from datetime import timedelta

from PIL import Image

from models.support import SupportCase, SupportMessage
from scheduler.jobs_support import close_idle_cases
from services import citizens, support
from tests.dialog import dialog, photo, place
from tests.web.conftest import STAFF_ID, csrf_from, make_staff, staff_login


def _photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 120, 40)).save(out, "JPEG")
    return out.getvalue()


def _case(rt, user) -> SupportCase:
    with rt.db.transaction() as session:
        case = session.query(SupportCase).filter_by(line_user_id=user.user_id).order_by(SupportCase.id.desc()).first()
        session.expunge(case)
        return case


def _messages(rt, case_id) -> list[SupportMessage]:
    with rt.db.transaction() as session:
        rows = session.query(SupportMessage).filter_by(case_id=case_id).order_by(SupportMessage.id).all()
        session.expunge_all()
        return rows


def _staff_console(app, rt):
    make_staff(rt, STAFF_ID, label="สมชาย เจ้าหน้าที่")
    client = app.test_client()
    staff_login(client, STAFF_ID)
    return client


def _reply_from_console(client, case_id: int, body: str):
    page = client.get(f"/console/inbox/{case_id}")
    assert page.status_code == 200
    return client.post(f"/console/inbox/{case_id}/reply", data={"csrf_token": csrf_from(page.get_data(as_text=True)),
                                                                "text": body})


def test_citizen_asks_staff_answer_from_the_inbox_and_the_bot_stays_quiet(app, rt, chat, clock, line):
    somsri = chat("สมศรี")
    somsri.follow()
    with rt.db.transaction() as session:
        citizens.set_district(session, somsri.user_id, "phon", clock())

    opened, *_ = dialog(somsri, [
        ("ติดต่อเจ้าหน้าที่", "ส่งเรื่องถึงเจ้าหน้าที่แล้ว"),
        # Free text, a photo and a place go to staff; the bot answers none of them itself.
        ("ถนนหน้าบ้านเป็นหลุมใหญ่ค่ะ รถล้มไปสองคันแล้ว", None),
        (photo(_photo()), None),
        (place("หลุมหน้าบ้าน", "ต.โนนสูง อ.พล จ.ขอนแก่น", 15.81, 102.6), None),
        ("ช่วยด้วยนะคะ", None),  # would be a catalog search or "ไม่เข้าใจ" without a case
        # Menu words still work while the case is open.
        ("อบรม", "ยังไม่มีการอบรมที่เปิดรับสมัคร"),
    ])
    assert "ส่งเรื่องถึงเจ้าหน้าที่แล้ว" in opened.texts[0]
    assert "จบการสนทนา" in opened.quick_replies()
    assert {"location", "cameraRoll"} <= {a["type"] for a in opened.actions()}

    case = _case(rt, somsri)
    assert case.status == "open" and case.first_answer_at is None
    kinds = [m.kind for m in _messages(rt, case.id)]
    assert kinds == ["text", "image", "location", "text"]
    assert _messages(rt, case.id)[1].image_id is not None

    staff = _staff_console(app, rt)
    inbox = staff.get("/console/inbox").get_data(as_text=True)
    assert f'data-case="{case.id}"' in inbox and "รอเจ้าหน้าที่ตอบ" in inbox and "พล" in inbox
    assert f"#{case.id} สมศรี" in inbox  # the person's LINE name, as LINE OA Manager shows it
    page = staff.get(f"/console/inbox/{case.id}").get_data(as_text=True)
    assert "ถนนหน้าบ้านเป็นหลุมใหญ่ค่ะ" in page and "หลุมหน้าบ้าน" in page
    assert "https://www.google.com/maps?q=15.810000,102.600000" in page
    assert 'data-person="district">พล' in page

    clock.advance(seconds=20)  # the citizen's last reply token is still fresh: the answer is a free reply
    response = _reply_from_console(staff, case.id, "รับเรื่องแล้วค่ะ จะส่งช่างไปดูพรุ่งนี้เช้า")
    assert response.status_code == 302
    answer = somsri.collect()
    assert answer.via == ["reply"]
    assert answer.texts == ["💬 เจ้าหน้าที่: รับเรื่องแล้วค่ะ จะส่งช่างไปดูพรุ่งนี้เช้า"]
    assert "จบการสนทนา" in answer.quick_replies()
    case = _case(rt, somsri)
    assert case.status == "waiting" and case.assignee == STAFF_ID
    assert case.first_answer_at - case.opened_at == timedelta(seconds=20)

    # The token was used once; the next answer, minutes later, is a push.
    clock.advance(minutes=5)
    _reply_from_console(staff, case.id, "ช่างจะไปถึงประมาณ 9 โมงค่ะ")
    assert somsri.collect().via == ["push"]

    assert not somsri.says("ขอบคุณมากค่ะ")
    assert _case(rt, somsri).status == "open"  # the citizen wrote last: staff's turn again

    reply = somsri.says("จบการสนทนา")
    assert "จบการสนทนากับเจ้าหน้าที่แล้ว" in reply.texts[0]
    case = _case(rt, somsri)
    assert (case.status, case.closed_by) == ("closed", "citizen")

    # The case is closed: the bot answers free text again.
    assert somsri.says("ช่วยด้วยนะคะ")
    assert "ไม่ได้คุยกับเจ้าหน้าที่" in somsri.says("จบการสนทนา").texts[0]


def test_staff_close_the_case_and_the_citizen_is_told(app, rt, chat, clock):
    somchai = chat("สมชาย")
    somchai.follow()
    somchai.says("ติดต่อเจ้าหน้าที่")
    somchai.says("สอบถามเรื่องการอบรมค่ะ")
    case = _case(rt, somchai)
    staff = _staff_console(app, rt)
    page = staff.get(f"/console/inbox/{case.id}").get_data(as_text=True)
    staff.post(f"/console/inbox/{case.id}/close", data={"csrf_token": csrf_from(page)})
    told = somchai.collect()
    assert "เจ้าหน้าที่ปิดเรื่องนี้แล้ว" in told.texts[0]
    case = _case(rt, somchai)
    assert (case.status, case.closed_by) == ("closed", "staff")
    # A closed case takes no reply; the page says so politely.
    response = _reply_from_console(staff, case.id, "ลืมบอกค่ะ")
    assert response.status_code == 422 and "เรื่องนี้ปิดแล้ว" in response.get_data(as_text=True)
    assert not somchai.collect()


def test_a_case_closes_after_24_hours_without_messages(rt, chat, clock):
    mali = chat("มะลิ")
    mali.follow()
    mali.says("ติดต่อเจ้าหน้าที่")
    mali.says("มีคำถามค่ะ")
    clock.advance(hours=23)
    assert close_idle_cases(rt, clock()) == 0
    clock.advance(hours=1, seconds=1)
    assert close_idle_cases(rt, clock()) == 1
    assert close_idle_cases(rt, clock()) == 0  # an idempotent scan
    case = _case(rt, mali)
    assert (case.status, case.closed_by) == ("closed", "timeout")
    assert mali.says("มีคำถามค่ะ")  # the bot answers again


def test_asking_twice_keeps_one_case_and_staff_who_opted_in_get_a_notice(app, rt, chat, clock, line):
    officer = chat("เจ้าหน้าที่ดวงใจ")
    officer.follow()
    make_staff(rt, officer.user_id)
    with rt.db.transaction() as session:
        support.set_notices(session, officer.user_id, True, clock())
    somsri = chat("สมศรี")
    somsri.follow()
    somsri.says("ติดต่อเจ้าหน้าที่")
    reply = somsri.says("ติดต่อเจ้าหน้าที่")
    assert "ส่งถึงเจ้าหน้าที่แล้ว" in reply.texts[0]
    with rt.db.transaction() as session:
        assert session.query(SupportCase).filter_by(line_user_id=somsri.user_id).count() == 1
    notice = officer.collect()
    assert len(notice.texts) == 1 and "มีเรื่องใหม่ถึงเจ้าหน้าที่" in notice.texts[0]
    assert "/console/inbox/" in notice.texts[0]


def test_help_and_unknown_text_offer_contact_staff(chat):
    user = chat("ทดสอบ")
    user.follow()
    assert "ติดต่อเจ้าหน้าที่" in user.says("ช่วยเหลือ").quick_replies()
    reply = user.taps("ติดต่อเจ้าหน้าที่")
    assert "ส่งเรื่องถึงเจ้าหน้าที่แล้ว" in reply.texts[0]


def test_a_photo_the_bot_cannot_open_is_still_shown_to_staff(rt, chat):
    user = chat("ทดสอบ")
    user.follow()
    user.says("ติดต่อเจ้าหน้าที่")
    reply = user.sends_image(b"not an image at all")
    assert "รูปนี้เปิดไม่ได้" in reply.texts[0]
    rows = _messages(rt, _case(rt, user).id)
    assert [(m.kind, m.image_id) for m in rows] == [("image", None)]


def test_the_privacy_notice_says_how_to_reach_a_person(chat, client):
    user = chat("ผู้ใช้ใหม่")
    notice = user.follow()
    assert "ทางแชตนี้ (พิมพ์หรือกด “ติดต่อเจ้าหน้าที่”)" in notice.text
    assert "ติดต่อเจ้าหน้าที่" in client.get("/privacy").get_data(as_text=True)
    assert "ส่งเรื่องถึงเจ้าหน้าที่แล้ว" in user.says("ติดต่อเจ้าหน้าที่").texts[0]
