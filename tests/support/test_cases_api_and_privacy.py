"""Support cases through the REST API, the console's server-side checks, and the citizen's export and erase."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from models.media import MediaImage
from models.support import SupportCase, SupportMessage
from services import privacy
from tests.conftest import API_TOKEN
from tests.web.conftest import csrf_from, staff_login

AUTH = {"Authorization": f"Bearer {API_TOKEN}"}


def _photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (10, 120, 200)).save(out, "JPEG")
    return out.getvalue()


def _open_case(chat, name="สมศรี", *texts: str):
    user = chat(name)
    user.follow()
    user.says("ติดต่อเจ้าหน้าที่")
    for body in texts:
        user.says(body)
    return user


def _case_id(rt, user) -> int:
    with rt.db.transaction() as session:
        return session.query(SupportCase.id).filter_by(line_user_id=user.user_id).scalar()


def test_api_lists_reads_answers_and_closes_cases(client, rt, chat):
    user = _open_case(chat, "สมศรี", "ไฟถนนหน้าวัดดับค่ะ")
    user.sends_image(_photo())
    case_id = _case_id(rt, user)

    page = client.get("/api/v1/cases?status=open", headers=AUTH).get_json()
    assert [c["id"] for c in page["data"]] == [case_id]
    assert page["data"][0]["message_count"] == 2 and "line_user_id" not in page["data"][0]

    detail = client.get(f"/api/v1/cases/{case_id}", headers=AUTH).get_json()
    assert [m["kind"] for m in detail["messages"]] == ["text", "image"]
    assert detail["messages"][0]["text"] == "ไฟถนนหน้าวัดดับค่ะ"
    assert detail["messages"][1]["image_url"].endswith(".jpg")

    answered = client.post(f"/api/v1/cases/{case_id}/messages", json={"text": "แจ้งช่างไฟแล้วค่ะ"}, headers=AUTH)
    assert answered.status_code == 201, answered.get_json()
    body = answered.get_json()
    assert body["status"] == "waiting" and body["handled_by_api"] and body["first_answer_seconds"] == 0
    assert user.collect().texts == ["💬 เจ้าหน้าที่: แจ้งช่างไฟแล้วค่ะ"]

    closed = client.post(f"/api/v1/cases/{case_id}/close", headers=AUTH).get_json()
    assert (closed["status"], closed["closed_by"]) == ("closed", "staff")
    again = client.post(f"/api/v1/cases/{case_id}/messages", json={"text": "อีกครั้ง"}, headers=AUTH)
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "case_closed"


@pytest.mark.parametrize("path", ["/api/v1/cases/0", "/api/v1/cases/999999", "/api/v1/cases/99999999999999"])
def test_api_unknown_cases_are_404(client, path):
    assert client.get(path, headers=AUTH).status_code == 404


@pytest.mark.parametrize("body", [{}, {"text": ""}, {"text": 5}, {"text": "x" * 5001}, []])
def test_api_bad_answers_are_refused_politely(client, rt, chat, body):
    case_id = _case_id(rt, _open_case(chat, "ทดสอบ", "สวัสดีค่ะ"))
    response = client.post(f"/api/v1/cases/{case_id}/messages", json=body, headers=AUTH)
    assert response.status_code in (400, 422)
    assert response.get_json()["error"]["message"]


def test_api_needs_the_token(client):
    assert client.get("/api/v1/cases").status_code == 401
    assert client.post("/api/v1/cases/1/close").status_code == 401


def test_console_inbox_is_for_staff_only(app, rt, chat):
    case_id = _case_id(rt, _open_case(chat, "สมศรี", "ช่วยด้วยค่ะ"))
    anonymous = app.test_client()
    for path in ("/console/inbox", f"/console/inbox/{case_id}", f"/console/inbox/{case_id}/messages"):
        response = anonymous.get(path)
        assert response.status_code in (302, 401)
        assert "ช่วยด้วยค่ะ" not in response.get_data(as_text=True)
    response = anonymous.post(f"/console/inbox/{case_id}/reply", data={"text": "ปลอม"})
    assert response.status_code in (302, 400, 401, 403)
    with rt.db.transaction() as session:
        assert session.query(SupportMessage).filter_by(case_id=case_id, from_staff=True).count() == 0


def test_console_inbox_survives_odd_addresses(admin_client):
    for path in ("/console/inbox?show=%00", "/console/inbox?page=-1", "/console/inbox?page=99999999999",
                 "/console/inbox?show=mine&page=abc", "/console/inbox/0", "/console/inbox/99999999999",
                 "/console/inbox/1/messages?after=x"):
        assert admin_client.get(path).status_code in (200, 404), path


def test_console_reply_too_long_keeps_the_draft(admin_client, rt, chat):
    case_id = _case_id(rt, _open_case(chat, "สมศรี", "สอบถามค่ะ"))
    page = admin_client.get(f"/console/inbox/{case_id}").get_data(as_text=True)
    draft = "ก" * 5001
    response = admin_client.post(f"/console/inbox/{case_id}/reply",
                                 data={"csrf_token": csrf_from(page), "text": draft})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "ข้อความยาวเกิน" in html and draft in html


def test_new_messages_arrive_on_the_open_thread(app, rt, chat):
    from tests.conftest import ADMIN_ID

    user = _open_case(chat, "สมศรี", "ข้อความแรก")
    case_id = _case_id(rt, user)
    staff = app.test_client()
    staff_login(staff, ADMIN_ID)
    first = staff.get(f"/console/inbox/{case_id}/messages?after=0")
    last = first.headers["X-Last-Message"]
    assert "ข้อความแรก" in first.get_data(as_text=True)
    user.says("ข้อความที่สอง")
    newer = staff.get(f"/console/inbox/{case_id}/messages?after={last}").get_data(as_text=True)
    assert "ข้อความที่สอง" in newer and "ข้อความแรก" not in newer


def test_my_data_export_and_erase_include_cases(rt, chat, clock):
    user = _open_case(chat, "สมศรี", "ขอสอบถามเรื่องถนนค่ะ")
    user.sends_image(_photo())
    case_id = _case_id(rt, user)
    with rt.db.transaction() as session:
        exported = privacy.collect_personal_data(session, user.user_id)
    cases = exported["support"]["cases"]
    assert [m["text"] for m in cases[0]["messages"]][0] == "ขอสอบถามเรื่องถนนค่ะ"
    assert "assignee" not in cases[0]

    with rt.db.transaction() as session:
        privacy.erase_personal_data(session, user.user_id, clock())
    with rt.db.transaction() as session:
        assert session.get(SupportCase, case_id) is None
        assert session.query(SupportMessage).filter_by(case_id=case_id).count() == 0
        assert session.query(MediaImage).filter_by(owner_key=f"support_case:{case_id}").count() == 0
