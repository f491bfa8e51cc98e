"""Staff run trainings from the console (create with speakers and photos, publish, announce, cancel) and from the
REST API (create, update, list with seats left, sign-ups, cancel, check-ins, attendance)."""

from __future__ import annotations

import io
from datetime import timedelta

from PIL import Image
from sqlalchemy import select

from models.projects import Announcement
from models.trainings import Training, TrainingSpeaker
from services import citizens, trainings
from tests.conftest import ADMIN_ID, API_TOKEN
from tests.trainings.conftest import register, signup_of, tap_on
from tests.web.conftest import csrf_from, staff_login

AUTH = {"Authorization": f"Bearer {API_TOKEN}"}


def _photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (600, 400), (200, 120, 40)).save(out, "JPEG")
    return out.getvalue()


def _form(token: str, **changes) -> dict:
    data = {
        "csrf_token": token, "title": "ขายของออนไลน์ให้ปัง", "project_id": "", "description": "จุดขาย ความสะอาด ความสด",
        "tags": "ขายออนไลน์, ถ่ายรูปสินค้า", "venue_name": "หอประชุม อบจ.", "venue_map_url": "https://maps.google.com/?q=kk",
        "starts_at": "2026-12-01T09:00", "ends_at": "2026-12-01T16:00", "signup_deadline": "2026-11-29T17:00",
        "capacity": "30", "districts": ["phon", "mueang"], "what_to_bring": "โทรศัพท์มือถือ", "survey_delay_hours": "3",
        "speaker_name_0": "คุณมะลิ ขายดี", "speaker_bio_0": "แม่ค้าออนไลน์", "speaker_photo_id_0": "",
        "speaker_name_1": "", "speaker_bio_1": "", "speaker_photo_id_1": "",
    }
    data.update(changes)
    return data


def test_staff_create_publish_and_announce_a_training(app, rt, client, chat):
    phon = chat("คนพล")
    phon.follow()
    with rt.db.transaction() as session:
        citizens.set_district(session, phon.user_id, "phon", rt.clock())
    other = chat("คนชุมแพ")
    other.follow()
    with rt.db.transaction() as session:
        citizens.set_district(session, other.user_id, "chum_phae", rt.clock())
    phon.collect()
    other.collect()

    staff_login(client, ADMIN_ID)
    token = csrf_from(client.get("/console/trainings/new").get_data(as_text=True))
    bad = client.post("/console/trainings/new", data=_form(token, capacity="0"), content_type="multipart/form-data")
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    assert "จำนวนที่นั่งต้องเป็น" in html and "คุณมะลิ ขายดี" in html  # what was typed is kept
    form = _form(token, cover=(io.BytesIO(_photo()), "cover.jpg"),
                 speaker_photo_0=(io.BytesIO(_photo()), "mali.jpg"))
    created = client.post("/console/trainings/new", data=form, content_type="multipart/form-data")
    assert created.status_code == 302
    with rt.db.transaction() as session:
        training = session.scalars(select(Training)).one()
        speaker = session.scalars(select(TrainingSpeaker)).one()
        assert training.status == "draft" and training.capacity == 30 and training.districts == ["phon", "mueang"]
        assert training.starts_at.isoformat() == "2026-12-01T02:00:00+00:00"  # 09:00 in Khon Kaen
        assert training.cover_image_id and speaker.photo_image_id and training.survey_delay_hours == 3
        training_id = training.id
    detail = client.get(f"/console/trainings/{training_id}").get_data(as_text=True)
    assert "เผยแพร่ (เปิดรับสมัคร)" in detail
    assert client.post(f"/console/trainings/{training_id}/publish", data={"csrf_token": token}).status_code == 302
    assert client.post(f"/console/trainings/{training_id}/announce", data={"csrf_token": token}).status_code == 302
    assert "ส่งประกาศแล้ว" in client.get(f"/console/trainings/{training_id}").get_data(as_text=True)
    rt.process_pending()
    with rt.db.transaction() as session:
        announcement = session.scalars(select(Announcement)).one()
        assert announcement.source == f"training:{training_id}"
    news = phon.collect()
    assert "ขายของออนไลน์ให้ปัง" in news.text
    assert not other.collect()  # not in the target districts
    reply = phon.taps("ดูรายละเอียดและสมัคร")
    assert "เหลือ 30 ที่" in reply.text
    again = client.post(f"/console/trainings/{training_id}/announce", data={"csrf_token": token})
    assert again.status_code == 302 and "ประกาศการอบรมนี้ไปแล้ว" in client.get(
        f"/console/trainings/{training_id}").get_data(as_text=True)


def test_cancelling_a_training_tells_everyone_signed_up(app, rt, client, chat, make_training):
    training = make_training("อบรมที่ต้องยกเลิก", capacity=1)
    first = register(chat, "หนึ่ง", "หนึ่ง ใจดี")
    first.says("อบรม")
    tap_on(first, "สมัคร", "อบรมที่ต้องยกเลิก")
    second = register(chat, "สอง", "สอง ใจดี")
    second.says("อบรม")
    tap_on(second, "สมัคร", "อบรมที่ต้องยกเลิก")
    staff_login(client, ADMIN_ID)
    token = csrf_from(client.get(f"/console/trainings/{training}").get_data(as_text=True))
    client.post(f"/console/trainings/{training}/cancel", data={"csrf_token": token})  # no tick: nothing happens
    assert signup_of(rt, first, training).status == "confirmed"
    client.post(f"/console/trainings/{training}/cancel", data={"csrf_token": token, "confirm": "yes"})
    rt.process_pending()
    assert "ถูกยกเลิก" in first.collect().texts[0]
    assert "ถูกยกเลิก" in second.collect().texts[0]
    assert signup_of(rt, second, training).status == "cancelled"


def test_console_pages_are_staff_only(client, make_training):
    training = make_training()
    for path in ("/console/trainings", "/console/trainings/new", f"/console/trainings/{training}",
                 "/console/surveys"):
        assert client.get(path).status_code == 401


def _body(clock, **changes):
    starts = clock() + timedelta(days=5)
    body = {"title": "API อบรม", "starts_at": starts.isoformat(), "ends_at": (starts + timedelta(hours=3)).isoformat(),
            "signup_deadline": (starts - timedelta(days=1)).isoformat(), "capacity": 1, "districts": ["phon"],
            "speakers": [{"name": "วิทยากร ก", "bio": "ผู้เชี่ยวชาญ"}], "venue_map_url": "https://maps.example/x"}
    body.update(changes)
    return body


def test_rest_api_for_trainings_signups_and_attendance(client, rt, clock, chat):
    created = client.post("/api/v1/trainings", json=_body(clock), headers=AUTH)
    assert created.status_code == 201, created.json
    training_id = created.json["id"]
    assert created.json["status"] == "draft" and created.json["speakers"] == [{"name": "วิทยากร ก", "bio": "ผู้เชี่ยวชาญ"}]
    assert client.post("/api/v1/trainings", json=_body(clock, capacity=0), headers=AUTH).status_code == 422
    late = _body(clock, signup_deadline=(clock() + timedelta(days=9)).isoformat())
    assert client.post("/api/v1/trainings", json=late, headers=AUTH).json["error"]["code"] == "bad_deadline"
    assert client.post(f"/api/v1/trainings/{training_id}/publish", headers=AUTH).json["signup_open"] is True

    first = register(chat, "เอ", "เอ ทดสอบ")
    second = register(chat, "บี", "บี ทดสอบ")
    with rt.db.transaction() as session:
        trainings.sign_up(session, training_id, first.user_id, clock())
        trainings.sign_up(session, training_id, second.user_id, clock())
    read = client.get(f"/api/v1/trainings/{training_id}", headers=AUTH).json
    assert (read["seats_left"], read["confirmed"], read["waitlisted"]) == (0, 1, 1)
    listed = client.get("/api/v1/trainings?status=published&upcoming=true", headers=AUTH).json
    assert [t["id"] for t in listed["data"]] == [training_id]

    signups = client.get(f"/api/v1/trainings/{training_id}/signups", headers=AUTH).json["data"]
    assert [(s["status"], s["waitlist_position"]) for s in signups] == [("confirmed", None), ("waitlisted", 1)]
    assert "name" not in signups[0] and "phone" not in signups[0]  # personal data stays private

    more = client.put(f"/api/v1/trainings/{training_id}", json=_body(clock, capacity=2), headers=AUTH)
    assert more.status_code == 200 and more.json["confirmed"] == 2  # the waitlist moved up
    rt.process_pending()
    assert "มีที่นั่งว่างแล้ว" in second.collect().texts[0]
    fewer = client.put(f"/api/v1/trainings/{training_id}", json=_body(clock, capacity=1), headers=AUTH)
    assert fewer.status_code == 409

    cancelled = client.post(f"/api/v1/trainings/{training_id}/signups/{signups[0]['id']}/cancel", headers=AUTH)
    assert cancelled.json["status"] == "cancelled"
    assert client.post(f"/api/v1/trainings/{training_id}/signups/{signups[0]['id']}/cancel",
                       headers=AUTH).status_code == 409

    code = signup_of(rt, second, training_id).checkin_code
    # Days before the training: nothing is recorded until the caller confirms.
    early = client.post(f"/api/v1/trainings/{training_id}/checkins", json={"code": code}, headers=AUTH)
    assert early.status_code == 409 and early.json["error"]["code"] == "early"
    assert "ยืนยันเช็กอินก่อนวันจริงไหม" in early.json["error"]["message"]
    assert signup_of(rt, second, training_id).checked_in_at is None
    ok = client.post(f"/api/v1/trainings/{training_id}/checkins", json={"code": code, "confirm_early": True},
                     headers=AUTH)
    assert ok.json["outcome"] == "ok"
    assert client.post(f"/api/v1/trainings/{training_id}/checkins", json={"code": code},
                       headers=AUTH).json["outcome"] == "already"
    bad = client.post(f"/api/v1/trainings/{training_id}/checkins", json={"code": "nope"}, headers=AUTH)
    assert bad.status_code == 409 and bad.json["error"]["code"] == "bad_code"
    attendance = client.get(f"/api/v1/trainings/{training_id}/attendance", headers=AUTH).json
    assert (attendance["confirmed"], attendance["checked_in"], attendance["attendance_rate"]) == (1, 1, 1.0)
    assert client.get("/api/v1/trainings/999", headers=AUTH).status_code == 404
    assert client.get("/api/v1/trainings").status_code == 401
