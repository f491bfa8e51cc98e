"""The venue's map button on the training cards (only when staff entered a map link, which must be https), and
"เพิ่มลงปฏิทิน": the public .ics file of a training, read back with the icalendar library."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar

from flex_templates import trainings as cards
from line_emulator.limits import check_message
from line_emulator.schema import get_spec
from services import profile, trainings
from services.errors import DomainError
from tests.conftest import ADMIN_ID, API_TOKEN, PUBLIC_BASE_URL
from tests.trainings.conftest import tap_on
from tests.web.conftest import csrf_from, staff_login
from texts import trainings as trainings_texts

MAP = "https://maps.app.goo.gl/kkPao123"
AUTH = {"Authorization": f"Bearer {API_TOKEN}"}


def valid(message: dict) -> list:
    return get_spec().validate("Message", message) + check_message(message)


def uri_buttons(message: dict) -> dict[str, str]:
    """label -> uri of every URI button in a Flex message (bubble or carousel)."""
    found: dict[str, str] = {}

    def walk(node: object) -> None:
        if isinstance(node, dict):
            action = node.get("action")
            if node.get("type") == "button" and isinstance(action, dict) and action.get("type") == "uri":
                found[action["label"]] = action["uri"]
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(message["contents"])
    return found


def _training(rt, clock, title: str, *, map_url: str | None, publish: bool = True, **extra) -> int:
    starts = clock() + timedelta(days=4)
    with rt.db.transaction() as session:
        training = trainings.create_training(session, trainings.TrainingInput(
            title=title, starts_at=starts, ends_at=starts + timedelta(hours=7), capacity=20,
            signup_deadline=starts - timedelta(days=1), venue_name="หอประชุม อบจ.ขอนแก่น", venue_map_url=map_url,
            **extra), ADMIN_ID, clock())
        if publish:
            trainings.publish(session, training.id, ADMIN_ID, clock())
        return training.id


# ---- the cards ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("map_url", [MAP, None])
def test_cards_are_valid_with_and_without_a_map_link(map_url):
    calendar = f"{PUBLIC_BASE_URL}/trainings/7.ics?openExternalBrowser=1"
    detail = cards.training_detail(
        title="ก" * 200, description="ข" * 5000, when="ศ. 27 พ.ย. 2569 09:00–16:00 น.", where="ค" * 200,
        map_url=map_url, deadline="พฤ. 26 พ.ย. 2569 17:00 น.", what_to_bring="ง" * 1000, tags=["ขายออนไลน์"] * 10,
        speakers=[cards.SpeakerLine("จ" * 120, "ฉ" * 500, f"{PUBLIC_BASE_URL}/s.jpg")] * 5, seats_left=3,
        is_open=True, cover_url=f"{PUBLIC_BASE_URL}/c.jpg", signup_data="trn_s:7", calendar_url=calendar)
    carousel = cards.training_carousel([cards.TrainingCard(
        title="ก" * 200, when="w", where="ค" * 200, deadline="d", seats_left=1, cover_url=None,
        detail_data=f"trn_d:{i}", signup_data=f"trn_s:{i}", map_url=map_url) for i in range(12)], "การอบรม")
    confirmation = cards.checkin_card(heading="สมัครเรียบร้อยแล้วค่ะ ✅", title="ก" * 200, when="w", where="ค" * 200,
                                      qr_url=f"{PUBLIC_BASE_URL}/checkin/qr/AAAA.png", code="AAAA-BBBB-CCCC",
                                      map_url=map_url, calendar_url=calendar)
    for message in (detail, carousel, confirmation):
        assert valid(message) == []
    expected = {trainings_texts.LABEL_MAP: MAP} if map_url else {}
    assert uri_buttons(detail) == {**expected, trainings_texts.LABEL_ADD_TO_CALENDAR: calendar}
    assert uri_buttons(confirmation) == {**expected, trainings_texts.LABEL_ADD_TO_CALENDAR: calendar}
    assert uri_buttons(carousel) == expected
    assert (trainings_texts.LABEL_MAP in uri_buttons(carousel)) == bool(map_url)


def test_citizen_sees_the_map_button_only_on_trainings_with_a_map_link(chat, rt, clock):
    with_map = _training(rt, clock, "ขายของออนไลน์", map_url=MAP)
    _training(rt, clock, "ทำขนมไทย", map_url=None)
    somsri = chat("สมศรี")
    somsri.follow()
    browse = somsri.says("อบรม").messages[-1]
    bubbles = {b["body"]["contents"][0]["text"]: uri_buttons({"contents": b}) for b in browse["contents"]["contents"]}
    assert bubbles == {"ขายของออนไลน์": {trainings_texts.LABEL_MAP: MAP}, "ทำขนมไทย": {}}

    detail = tap_on(somsri, "รายละเอียด", "ขายของออนไลน์")
    assert "ขายของออนไลน์" in detail.text and "หอประชุม อบจ.ขอนแก่น" in detail.text
    assert uri_buttons(detail.messages[-1]) == {
        trainings_texts.LABEL_MAP: MAP,
        trainings_texts.LABEL_ADD_TO_CALENDAR: f"{PUBLIC_BASE_URL}/trainings/{with_map}.ics?openExternalBrowser=1"}
    no_map = tap_on(somsri, "รายละเอียด", "ทำขนมไทย")
    assert list(uri_buttons(no_map.messages[-1])) == [trainings_texts.LABEL_ADD_TO_CALENDAR]

    with rt.db.transaction() as session:
        profile.save_contact(session, somsri.user_id, "สมศรี ใจดี", "0812345678", clock())
    confirmation = tap_on(somsri, "สมัคร", "ขายของออนไลน์")
    assert "สมัครเรียบร้อยแล้ว" in confirmation.text
    assert trainings_texts.LABEL_MAP in uri_buttons(confirmation.messages[-1])
    assert trainings_texts.LABEL_ADD_TO_CALENDAR in uri_buttons(confirmation.messages[-1])


def test_map_link_must_be_https_with_a_polite_thai_answer(app, rt, clock, client):
    assert trainings.clean_map_url("  ") is None
    assert trainings.clean_map_url(f" {MAP} ") == MAP
    # A pasted link with Thai letters is made a plain URI (LINE refuses anything else in a button).
    assert trainings.clean_map_url("https://www.google.com/maps/place/ขอนแก่น") == \
        "https://www.google.com/maps/place/%E0%B8%82%E0%B8%AD%E0%B8%99%E0%B9%81%E0%B8%81%E0%B9%88%E0%B8%99"
    for bad in ("http://maps.google.com/?q=kk", "maps.google.com", "javascript:alert(1)", "https://", "https://kk",
                "https://user:pw@maps.example.com/", "https://[::1", "https://maps.google.com:99999/",
                "https://maps.google.com/" + "x" * 1000):
        with pytest.raises(DomainError) as error:
            trainings.clean_map_url(bad)
        assert error.value.message == trainings_texts.ERR_MAP_URL and "https://" in error.value.message

    staff_login(client, ADMIN_ID)
    form = client.get("/console/trainings/new").get_data(as_text=True)
    assert trainings_texts.C_F_MAP_HELP in form
    answer = client.post("/console/trainings/new", data={
        "csrf_token": csrf_from(form), "title": "ลิงก์ผิด", "venue_map_url": "http://maps.google.com/?q=kk",
        "starts_at": "2026-12-01T09:00", "ends_at": "2026-12-01T16:00", "signup_deadline": "2026-11-29T17:00",
        "capacity": "30", "survey_delay_hours": "2"})
    assert answer.status_code == 422 and trainings_texts.ERR_MAP_URL in answer.get_data(as_text=True)

    body = {"title": "ผ่าน API", "venue_map_url": "http://maps.google.com/?q=kk", "capacity": 10,
            "starts_at": (clock() + timedelta(days=5)).isoformat(),
            "ends_at": (clock() + timedelta(days=5, hours=3)).isoformat(),
            "signup_deadline": (clock() + timedelta(days=4)).isoformat()}
    refused = client.post("/api/v1/trainings", json=body, headers=AUTH)
    assert refused.status_code == 400
    assert (refused.json["error"]["code"], refused.json["error"]["message"]) == ("bad_map_url",
                                                                               trainings_texts.ERR_MAP_URL)
    created = client.post("/api/v1/trainings", json={**body, "venue_map_url": MAP}, headers=AUTH)
    assert created.status_code == 201 and created.json["venue_map_url"] == MAP
    assert created.json["calendar_url"] is None  # a draft has no public calendar file yet
    published = client.post(f"/api/v1/trainings/{created.json['id']}/publish", headers=AUTH).json
    assert published["calendar_url"] == f"{PUBLIC_BASE_URL}/trainings/{created.json['id']}.ics"
    schema = client.get("/api/v1/openapi.json").json["components"]["schemas"]
    training_in = next(s for name, s in schema.items() if name.startswith("TrainingIn"))
    assert "venue_map_url" in training_in["properties"]
    checkin_in = next(s for name, s in schema.items() if name.startswith("CheckinIn"))
    assert "confirm_early" in checkin_in["properties"]


# ---- the calendar file ---------------------------------------------------------------------------------------------
def test_calendar_file_is_a_valid_event_in_bangkok_time(client, rt, clock):
    title = "ขายของออนไลน์, ถ่ายรูปสินค้า; ตลาดนัด \\ ชุมชน"  # characters iCalendar must escape
    training_id = _training(rt, clock, title, map_url=MAP, description="เรียนถ่ายรูปสินค้า " * 40,
                            what_to_bring="โทรศัพท์มือถือ, บัตรประชาชน")
    response = client.get(f"/trainings/{training_id}.ics?openExternalBrowser=1")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    assert response.headers["Content-Disposition"] == f'attachment; filename="training-{training_id}.ics"'
    raw = response.data
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))  # folded at 75 octets (RFC 5545 3.1)
    calendar = Calendar.from_ical(raw)
    assert (calendar["VERSION"], calendar["METHOD"]) == ("2.0", "PUBLISH")
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Bangkok"]
    [event] = calendar.walk("VEVENT")
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert start == datetime(2026, 11, 27, 3, 0, tzinfo=UTC)  # the clock's 10:00 + 4 days, stored in UTC
    assert (start.hour, str(start.tzinfo)) == (10, "Asia/Bangkok")  # shown as Khon Kaen's 10:00
    assert end - start == timedelta(hours=7)
    assert b"DTSTART;TZID=Asia/Bangkok:20261127T100000" in raw
    assert str(event["SUMMARY"]) == f"อบรม: {title}"
    assert str(event["LOCATION"]) == "หอประชุม อบจ.ขอนแก่น" and event["LOCATION"].params["ALTREP"] == MAP
    description = str(event["DESCRIPTION"])
    assert "เรียนถ่ายรูปสินค้า" in description and "สิ่งที่ต้องเตรียม: โทรศัพท์มือถือ, บัตรประชาชน" in description
    assert f"แผนที่: {MAP}" in description
    assert str(event["URL"]) == f"{PUBLIC_BASE_URL}/trainings/{training_id}.ics"
    assert event.decoded("DTSTAMP") == clock() and str(event["STATUS"]) == "CONFIRMED"
    uid = str(event["UID"])
    assert uid == f"training-{training_id}@kk.test"

    # The same event tomorrow: same UID (a calendar updates it instead of adding a second one).
    clock.advance(days=1)
    again = Calendar.from_ical(client.get(f"/trainings/{training_id}.ics").data).walk("VEVENT")[0]
    assert str(again["UID"]) == uid and again.decoded("DTSTAMP") == clock()

    with rt.db.transaction() as session:
        trainings.cancel_training(session, training_id, ADMIN_ID, clock())
    cancelled = Calendar.from_ical(client.get(f"/trainings/{training_id}.ics").data).walk("VEVENT")[0]
    assert str(cancelled["STATUS"]) == "CANCELLED" and str(cancelled["UID"]) == uid


def test_calendar_file_of_unknown_or_unpublished_trainings_is_404(client, rt, clock):
    draft = _training(rt, clock, "ยังเป็นร่าง", map_url=None, publish=False)
    for path in (f"/trainings/{draft}.ics", "/trainings/999999.ics", f"/trainings/{2**31}.ics",
                 f"/trainings/{10**30}.ics", "/trainings/abc.ics", "/trainings/-1.ics"):
        assert client.get(path).status_code == 404, path
    with rt.db.transaction() as session:
        trainings.cancel_training(session, draft, ADMIN_ID, clock())  # cancelled before anyone saw it
    assert client.get(f"/trainings/{draft}.ics").status_code == 404
