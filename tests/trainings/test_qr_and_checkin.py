"""The personal QR code and check-in: round trip through a real QR decoder, staff-only pages, once only,
attendance list and CSV."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from services import qr, training_checkin
from tests.conftest import PUBLIC_BASE_URL
from tests.trainings.conftest import register, signup_of, tap_on
from tests.web.conftest import STAFF_ID, csrf_from, make_staff, staff_login

zxingcpp = pytest.importorskip("zxingcpp")


@pytest.fixture
def staff(app, rt):
    make_staff(rt, STAFF_ID, label="เจ้าหน้าที่หน้างาน")
    client = app.test_client()
    staff_login(client, STAFF_ID)
    return client


def _decode(png: bytes) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


def test_codes_are_random_unambiguous_and_forgiving_to_type():
    codes = {qr.new_checkin_code() for _ in range(500)}
    assert len(codes) == 500
    assert all(len(c) == 12 and set(c) <= set(qr.ALPHABET) for c in codes)
    code = "AB12CD34EF56"
    assert qr.normalise_code("ab12-cd34-ef56") == code
    assert qr.normalise_code(" AB12 CD34 EF56 ") == code
    assert qr.normalise_code("AB1ZCD34EF56".replace("1", "I")) == "AB1ZCD34EF56"  # I typed for 1
    assert qr.normalise_code(f"{PUBLIC_BASE_URL}/checkin?code=AB12-CD34-EF56") == code
    for bad in ("", "ABC", "AB12CD34EF5U", "x" * 400, "https://evil.example/?x=1"):
        assert qr.normalise_code(bad) is None


def test_qr_round_trip_from_the_line_message_to_a_recorded_check_in(chat, rt, clock, client, staff, make_training):
    training = make_training("ขายของออนไลน์")
    somsri = register(chat, "สมศรี", "สมศรี ใจดี")
    somsri.says("อบรม")
    card = tap_on(somsri, "สมัคร", "ขายของออนไลน์").messages[-1]
    image_url = card["contents"]["hero"]["url"]
    assert image_url.startswith(PUBLIC_BASE_URL + "/checkin/qr/")
    signup = signup_of(rt, somsri, training)
    assert image_url.endswith(f"/checkin/qr/{signup.checkin_code}.png")  # the random code, not the row id

    png = client.get(image_url.removeprefix(PUBLIC_BASE_URL))
    assert png.status_code == 200 and png.mimetype == "image/png"
    decoded = _decode(png.data)
    assert decoded == [qr.checkin_url(PUBLIC_BASE_URL, signup.checkin_code)]

    # On the training's day a staff phone's camera app opens the link: the page names the person and asks to
    # confirm.
    clock.advance(days=3)
    staff_login(staff, STAFF_ID)  # a console session lasts hours, not days
    link = decoded[0].removeprefix(PUBLIC_BASE_URL)
    page = staff.get(link)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "สมศรี ใจดี" in html and "ยืนยันเช็กอิน" in html
    assert signup_of(rt, somsri, training).checked_in_at is None  # opening the link records nothing
    done = staff.post("/checkin", data={"csrf_token": csrf_from(html), "code": decoded[0]})
    assert done.status_code == 200 and "เช็กอินแล้ว: สมศรี ใจดี" in done.get_data(as_text=True)
    assert signup_of(rt, somsri, training).checked_in_at is not None
    again = staff.post("/checkin", data={"csrf_token": csrf_from(html), "code": decoded[0]})
    assert "เช็กอินไปแล้ว" in again.get_data(as_text=True)


def test_scanner_page_records_attendance_once_and_explains_bad_codes(chat, rt, clock, staff, make_training):
    training = make_training("ทำขนม", capacity=1)
    other = make_training("อีกงานหนึ่ง")
    first = register(chat, "หนึ่ง", "หนึ่ง ใจดี")
    first.says("อบรม")
    tap_on(first, "สมัคร", "ทำขนม")
    second = register(chat, "สอง", "สอง รอได้")
    second.says("อบรม")
    tap_on(second, "สมัคร", "ทำขนม")
    tap_on(second, "สมัคร", "อีกงานหนึ่ง")
    clock.advance(days=3)  # the training's day
    staff_login(staff, STAFF_ID)  # a console session lasts hours, not days

    page = staff.get(f"/console/trainings/{training}/checkin")
    assert page.status_code == 200
    token = csrf_from(page.get_data(as_text=True))
    headers = {"Accept": "application/json", "X-CSRF-Token": token}
    url = f"/console/trainings/{training}/checkin"
    code = signup_of(rt, first, training).checkin_code

    ok = staff.post(url, data={"code": qr.format_code(code).lower(), "csrf_token": token}, headers=headers)
    assert ok.status_code == 200 and ok.json["outcome"] == "ok" and ok.json["checked_in"] == 1
    again = staff.post(url, data={"code": code, "csrf_token": token}, headers=headers)
    assert again.json["outcome"] == "already" and again.json["checked_in"] == 1
    assert staff.post(url, data={"code": "hello", "csrf_token": token}, headers=headers).json["outcome"] == "bad_code"
    assert staff.post(url, data={"code": "ABCD2345WXYZ", "csrf_token": token},
                      headers=headers).json["outcome"] == "not_found"
    waiting = signup_of(rt, second, training).checkin_code
    assert staff.post(url, data={"code": waiting, "csrf_token": token}, headers=headers).json["outcome"] == "waitlisted"
    elsewhere = signup_of(rt, second, other).checkin_code
    answer = staff.post(url, data={"code": elsewhere, "csrf_token": token}, headers=headers).json
    assert answer["outcome"] == "other_training" and "อีกงานหนึ่ง" in answer["message"]
    assert signup_of(rt, second, other).checked_in_at is None

    # Without the script the form still works and the page shows the result.
    plain = staff.post(url, data={"code": "nonsense", "csrf_token": token})
    assert plain.status_code == 422 and "รหัสไม่ถูกต้อง" in plain.get_data(as_text=True)

    listing = staff.get(f"/console/trainings/{training}/attendance").get_data(as_text=True)
    assert "หนึ่ง ใจดี" in listing and "มาแล้ว" in listing and "081-234-5678" in listing
    csv = staff.get(f"/console/trainings/{training}/attendance.csv")
    assert csv.mimetype == "text/csv" and "attachment" in csv.headers["Content-Disposition"]
    rows = csv.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert rows[0].startswith("ลำดับ,ชื่อ-นามสกุล") and "หนึ่ง ใจดี" in rows[1] and ",มา," in rows[1]
    assert len(rows) == 2  # confirmed trainees only


def test_check_in_pages_are_staff_only(chat, rt, client, make_training):
    training = make_training("เฉพาะเจ้าหน้าที่")
    user = register(chat, "ประชาชน", "ประชาชน ทั่วไป")
    user.says("อบรม")
    tap_on(user, "สมัคร", "เฉพาะเจ้าหน้าที่")
    code = signup_of(rt, user, training).checkin_code
    for path in (f"/checkin?code={code}", f"/console/trainings/{training}/checkin",
                 f"/console/trainings/{training}/attendance", f"/console/trainings/{training}/attendance.csv"):
        assert client.get(path).status_code == 401
    assert client.post(f"/console/trainings/{training}/checkin", data={"code": code}).status_code == 401
    assert signup_of(rt, user, training).checked_in_at is None
    assert client.get("/checkin/qr/ABCD2345WXYZ.png").status_code == 404  # unknown codes have no card
    assert client.get("/checkin/qr/..%2F..%2Fetc.png").status_code == 404


def test_concurrent_scans_record_one_check_in(chat, rt, clock, make_training):
    training = make_training("สแกนพร้อมกัน")
    user = register(chat, "คู่", "คู่ แฝด")
    user.says("อบรม")
    tap_on(user, "สมัคร", "สแกนพร้อมกัน")
    code = signup_of(rt, user, training).checkin_code
    clock.advance(days=3)
    outcomes = []
    for staff_id in ("phone-1", "phone-2"):
        with rt.db.transaction() as session:
            outcomes.append(training_checkin.check_in(session, code, staff_id, rt.clock(), training_id=training).outcome)
    assert outcomes == ["ok", "already"]
    assert signup_of(rt, user, training).checked_in_by == "phone-1"
