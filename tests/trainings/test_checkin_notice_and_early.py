"""The trainee hears "เช็กอินแล้ว" in LINE once per check-in, and a check-in before the training's day is recorded
only after staff confirm it (scanner page, camera-app page and REST API alike; the server checks every time)."""

from __future__ import annotations

import pytest

from services import training_checkin
from tests.conftest import ADMIN_ID, API_TOKEN
from tests.trainings.conftest import register, signup_of, tap_on
from tests.web.conftest import STAFF_ID, csrf_from, make_staff, staff_login
from texts import trainings as trainings_texts

AUTH = {"Authorization": f"Bearer {API_TOKEN}"}
EARLY = "การอบรมนี้จัดวันที่ พฤ. 26 พ.ย. 2569 ยืนยันเช็กอินก่อนวันจริงไหม"  # the clock starts Mon 23 Nov 10:00


@pytest.fixture
def staff(app, rt):
    make_staff(rt, STAFF_ID, label="เจ้าหน้าที่หน้างาน")
    client = app.test_client()
    staff_login(client, STAFF_ID)
    return client


def _signed_up(chat, rt, make_training, title: str, who: str = "สมศรี ใจดี"):
    training = make_training(title)  # starts in 3 days, Thu 26 Nov 10:00 in Khon Kaen
    user = register(chat, who.split()[0], who)
    user.says("อบรม")
    tap_on(user, "สมัคร", title)
    user.collect()
    return training, user, signup_of(rt, user, training).checkin_code


def test_trainee_is_told_checked_in_once(chat, rt, clock, staff, make_training):
    training, somsri, code = _signed_up(chat, rt, make_training, "ขายของออนไลน์")
    clock.advance(days=3)
    staff_login(staff, STAFF_ID)
    url = f"/console/trainings/{training}/checkin"
    token = csrf_from(staff.get(url).get_data(as_text=True))
    headers = {"Accept": "application/json", "X-CSRF-Token": token}
    assert staff.post(url, data={"code": code, "csrf_token": token}, headers=headers).json["outcome"] == "ok"
    notice = somsri.collect()
    assert notice.texts == ["เช็กอินแล้วค่ะ ✅\nยินดีต้อนรับสู่การอบรม “ขายของออนไลน์” นะคะ 🙏"]
    assert notice.via == ["push"]

    # A second scan (or a second staff phone) records nothing and sends nothing.
    assert staff.post(url, data={"code": code, "csrf_token": token}, headers=headers).json["outcome"] == "already"
    assert somsri.collect().messages == []
    with rt.db.transaction() as session:
        assert training_checkin.check_in(session, code, "phone-2", clock(), training_id=training).outcome == "already"
    assert somsri.collect().messages == []


def test_trainee_checked_in_through_the_api_is_told_too(chat, rt, clock, client, make_training):
    training, somchai, code = _signed_up(chat, rt, make_training, "ทำขนมไทย", "สมชาย รักดี")
    clock.advance(days=3)
    answer = client.post(f"/api/v1/trainings/{training}/checkins", json={"code": code}, headers=AUTH)
    assert answer.status_code == 200 and answer.json["outcome"] == "ok"
    assert "เช็กอินแล้วค่ะ" in somchai.collect().text
    assert client.post(f"/api/v1/trainings/{training}/checkins", json={"code": code},
                       headers=AUTH).json["outcome"] == "already"
    assert somchai.collect().messages == []


def test_scanner_asks_before_checking_in_before_the_training_day(chat, rt, clock, staff, make_training):
    training, somsri, code = _signed_up(chat, rt, make_training, "ขายของออนไลน์")
    url = f"/console/trainings/{training}/checkin"
    token = csrf_from(staff.get(url).get_data(as_text=True))
    headers = {"Accept": "application/json", "X-CSRF-Token": token}

    # The page's script: 409 "early", nothing recorded, nobody told.
    early = staff.post(url, data={"code": code, "csrf_token": token}, headers=headers)
    assert early.status_code == 409
    assert (early.json["outcome"], early.json["message"], early.json["checked_in"]) == ("early", EARLY, 0)
    assert signup_of(rt, somsri, training).checked_in_at is None
    assert somsri.collect().messages == []

    # Without the script: a page asking the same, with ยืนยัน (posting the code again, confirmed) and ยกเลิก.
    page = staff.post(url, data={"code": code, "csrf_token": token})
    html = page.get_data(as_text=True)
    assert page.status_code == 409 and EARLY in html and "สมศรี ใจดี" in html
    assert f">{trainings_texts.C_EARLY_CONFIRM}</button>" in html and f">{trainings_texts.C_EARLY_CANCEL}</a>" in html
    assert 'name="confirm_early" value="1"' in html and f'href="{url}"' in html
    assert signup_of(rt, somsri, training).checked_in_at is None

    confirmed = staff.post(url, data={"code": code, "csrf_token": token, "confirm_early": "1"}, headers=headers)
    assert confirmed.status_code == 200 and confirmed.json["outcome"] == "ok" and confirmed.json["checked_in"] == 1
    assert signup_of(rt, somsri, training).checked_in_at == clock()
    assert "เช็กอินแล้วค่ะ" in somsri.collect().text
    # Already in: a repeat says so instead of asking again.
    assert staff.post(url, data={"code": code, "csrf_token": token}, headers=headers).json["outcome"] == "already"


def test_camera_app_page_asks_before_checking_in_before_the_training_day(chat, rt, clock, staff, make_training):
    training, somsri, code = _signed_up(chat, rt, make_training, "ขายของออนไลน์")
    page = staff.get(f"/checkin?code={code}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "สมศรี ใจดี" in html and EARLY in html
    assert trainings_texts.C_CONFIRM_BUTTON not in html  # not the plain one-tap confirm
    assert 'name="confirm_early" value="1"' in html and trainings_texts.C_EARLY_CANCEL in html

    # A forged POST without the answer is asked again, not recorded.
    token = csrf_from(html)
    unconfirmed = staff.post("/checkin", data={"code": code, "csrf_token": token})
    assert unconfirmed.status_code == 409 and EARLY in unconfirmed.get_data(as_text=True)
    assert signup_of(rt, somsri, training).checked_in_at is None

    done = staff.post("/checkin", data={"code": code, "csrf_token": token, "confirm_early": "1"})
    assert done.status_code == 200 and "เช็กอินแล้ว: สมศรี ใจดี" in done.get_data(as_text=True)
    assert signup_of(rt, somsri, training).checked_in_at is not None
    assert "เช็กอินแล้วค่ะ" in somsri.collect().text


def test_api_check_in_before_the_day_needs_confirm_early(chat, rt, clock, client, make_training):
    training, somsri, code = _signed_up(chat, rt, make_training, "ขายของออนไลน์")
    url = f"/api/v1/trainings/{training}/checkins"
    refused = client.post(url, json={"code": code}, headers=AUTH)
    assert refused.status_code == 409
    assert refused.json["error"]["code"] == "early" and refused.json["error"]["message"] == EARLY
    assert client.post(url, json={"code": code, "confirm_early": False}, headers=AUTH).status_code == 409
    assert client.post(url, json={"code": code, "confirm_early": "maybe"}, headers=AUTH).status_code == 422
    assert signup_of(rt, somsri, training).checked_in_at is None
    ok = client.post(url, json={"code": code, "confirm_early": True}, headers=AUTH)
    assert ok.status_code == 200 and ok.json["outcome"] == "ok"


def test_the_training_day_starts_at_midnight_in_khon_kaen(chat, rt, clock, make_training):
    training, somsri, code = _signed_up(chat, rt, make_training, "ขายของออนไลน์")
    clock.advance(days=2, hours=13, minutes=59)  # Wed 25 Nov 23:59 in Khon Kaen (16:59 UTC)
    with rt.db.transaction() as session:
        assert training_checkin.check_in(session, code, ADMIN_ID, clock(), training_id=training).outcome == "early"
    clock.advance(minutes=1)  # Thu 26 Nov 00:00, ten hours before the start: early arrivals need no question
    with rt.db.transaction() as session:
        assert training_checkin.check_in(session, code, ADMIN_ID, clock(), training_id=training).outcome == "ok"
    assert "เช็กอินแล้วค่ะ" in somsri.collect().text
