"""POST /callback: signature, verification request, storage before the 200, duplicates, no raw logging."""

from __future__ import annotations

import logging

import pytest
from linebot.v3 import SignatureValidator
from sqlalchemy import func, select

from line_emulator import events as ev
from models.platform import InboundEvent

VECTOR_BODY = '{"destination":"U8e742f61d673b39c7fff3cecb7536ef0","events":[]}'
VECTOR_SECRET = "8c570fa6dd201bb328f1c1eac23a96d8"
VECTOR_SIGNATURE = "GhRKmvmHys4Pi8DxkF4+EayaH0OqtJtaZxgTD9fMDLs="


def test_official_signature_vector_is_accepted(app_config, line):
    from app import create_app

    app = create_app({**app_config, "LINE_CHANNEL_SECRET": VECTOR_SECRET})
    assert SignatureValidator(VECTOR_SECRET).validate(VECTOR_BODY, VECTOR_SIGNATURE)
    assert ev.sign(VECTOR_BODY, VECTOR_SECRET) == VECTOR_SIGNATURE
    response = app.test_client().post("/callback", data=VECTOR_BODY, content_type="application/json",
                                      headers={"x-line-signature": VECTOR_SIGNATURE})
    assert response.status_code == 200
    app.extensions["kk"].db.dispose()


def test_missing_or_wrong_signature_gets_400_not_500(client):
    body = ev.encode(ev.envelope([ev.text_event("U" + "1" * 32, "สวัสดี")]))
    assert client.post("/callback", data=body, content_type="application/json").status_code == 400
    bad = client.post("/callback", data=body, headers={"X-Line-Signature": "not-base64!!"})
    assert bad.status_code == 400
    forged = client.post("/callback", data=body, headers={"X-Line-Signature": ev.sign(body, "other-secret")})
    assert forged.status_code == 400


def test_signature_header_is_read_case_insensitively(client, rt):
    from tests.conftest import SECRET

    body = ev.encode(ev.envelope([ev.text_event("U" + "1" * 32, "สวัสดี")]))
    for header in ("x-line-signature", "X-LINE-SIGNATURE", "X-Line-Signature"):
        assert client.post("/callback", data=body, headers={header: ev.sign(body, SECRET)}).status_code == 200


def test_malformed_body_with_valid_signature_gets_400(client):
    from tests.conftest import SECRET

    for body in (b"{not json", b'{"events": "nope"}', b"[]"):
        response = client.post("/callback", data=body, headers={"X-Line-Signature": ev.sign(body, SECRET)})
        assert response.status_code == 400


def test_verification_request_with_no_events_gets_200(harness, rt):
    harness.post_events([])
    with rt.db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(InboundEvent)) == 0


def test_event_is_stored_before_the_200_and_processed_later(harness, rt):
    user = harness.user("สมชาย")
    harness.post_events([ev.text_event(user.user_id, "ช่วยเหลือ", "token-1")])
    with rt.db.transaction() as session:
        stored = session.scalars(select(InboundEvent)).all()
    assert [(e.event_type, e.status) for e in stored] == [("message", "pending")]
    assert harness.line.deliveries(user.user_id) == []


def test_redelivered_and_duplicated_events_have_one_effect(harness, rt, line):
    user = harness.user("สมหญิง")
    event = ev.text_event(user.user_id, "ช่วยเหลือ", line.issue_reply_token(user.user_id))
    redelivered = {**event, "deliveryContext": {"isRedelivery": True}}
    harness.post_events([event, event])
    harness.post_events([redelivered])
    rt.process_pending()
    with rt.db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(InboundEvent)) == 1
    assert len(line.deliveries(user.user_id)) == 1


def test_raw_bodies_and_personal_text_are_never_logged(harness, rt, caplog):
    user = harness.user("ลับเฉพาะ")
    secret_text = "เบอร์ของฉันคือ 0812345678"
    with caplog.at_level(logging.DEBUG):
        harness.post_events([ev.text_event(user.user_id, secret_text, harness.line.issue_reply_token(user.user_id))])
        harness.client.post("/callback", data=secret_text.encode(), headers={"X-Line-Signature": "x"})
        rt.process_pending()
    assert "0812345678" not in caplog.text
    assert user.user_id not in caplog.text


def test_health_and_readiness(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.get_json()["status"] == "ready"


def test_get_on_the_webhook_is_405(client):
    response = client.get("/callback")
    assert response.status_code == 405 and response.headers["Allow"] == "POST"


def _rename_events_table(rt, old: str, new: str) -> None:
    with rt.db.engine.begin() as conn:
        conn.exec_driver_sql(f"ALTER TABLE {old} RENAME TO {new}")


def test_events_that_could_not_be_stored_get_500_and_are_stored_when_line_redelivers(harness, rt):
    user = harness.user()
    event = ev.text_event(user.user_id, "สวัสดี")
    _rename_events_table(rt, "inbound_events", "inbound_events_away")  # a real failure: the table is gone
    try:
        harness.post_events([event], expect=500)
    finally:
        _rename_events_table(rt, "inbound_events_away", "inbound_events")
    harness.post_events([{**event, "deliveryContext": {"isRedelivery": True}}])
    with rt.db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(InboundEvent)) == 1


def test_stored_events_read_back_like_rows_the_orm_wrote(harness, rt, clock):
    user = harness.user()
    text = ev.text_event(user.user_id, "ขอบคุณค่ะ 🙏")
    follow = ev.follow_event(user.user_id)
    no_id = {key: value for key, value in ev.text_event(user.user_id, "ไม่มีรหัส").items() if key != "webhookEventId"}
    harness.post_events([text, follow, no_id])
    with rt.db.transaction() as session:
        stored = session.scalars(select(InboundEvent).order_by(InboundEvent.id)).all()
    assert [e.payload for e in stored] == [text, follow, no_id]  # in LINE's order, Thai and emoji intact
    assert [e.event_type for e in stored] == ["message", "follow", "message"]
    assert {e.source_key for e in stored} == {f"u:{user.user_id}"}
    assert stored[0].webhook_event_id == text["webhookEventId"] and stored[2].webhook_event_id.startswith("h:")
    assert all(e.received_at == clock.now == e.available_at for e in stored)
    assert all((e.status, e.attempts) == ("pending", 0) for e in stored)


def test_the_webhook_recovers_from_a_database_connection_that_was_dropped(harness, rt, database_url):
    """PostgreSQL restarts and failovers close connections under the web process: the next webhook still lands."""
    if rt.db.dialect != "postgresql":
        pytest.skip("connections that the server drops are a PostgreSQL matter")
    user = harness.user()
    harness.post_events([ev.text_event(user.user_id, "ก่อน")])
    with rt.db.engine.connect() as conn:  # the database drops every other connection of this test's database
        conn.exec_driver_sql(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()")
    harness.post_events([ev.text_event(user.user_id, "หลัง")])
    with rt.db.transaction() as session:
        texts = [e.payload["message"]["text"] for e in session.scalars(select(InboundEvent).order_by(InboundEvent.id))]
    assert texts == ["ก่อน", "หลัง"]


def test_a_large_batch_is_stored_whole_and_its_redelivery_adds_nothing(harness, rt):
    users = [harness.user(f"ผู้ใช้ {i}") for i in range(3)]
    events = [ev.text_event(users[i % 3].user_id, f"ข้อความ {i}") for i in range(450)]  # more than one statement
    harness.post_events(events)
    harness.post_events([{**e, "deliveryContext": {"isRedelivery": True}} for e in events[100:300]])
    with rt.db.transaction() as session:
        texts = [e.payload["message"]["text"] for e in session.scalars(select(InboundEvent).order_by(InboundEvent.id))]
    assert texts == [f"ข้อความ {i}" for i in range(450)]
