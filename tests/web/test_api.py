"""REST API: bearer token, JSON errors, keyset pagination, the first resources and their retries."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from models.platform import Citizen, InboundEvent, OutboxMessage
from services import notify
from tests.conftest import API_TOKEN
from texts import console as console_texts

AUTH = {"Authorization": f"Bearer {API_TOKEN}"}


def _citizens(rt, clock, count: int, **fields) -> list[int]:
    ids = []
    with rt.db.transaction() as session:
        for _ in range(count):
            row = Citizen(line_user_id="U" + uuid.uuid4().hex, is_following=fields.get("is_following", True),
                          district=fields.get("district"), followed_at=clock(), created_at=clock(),
                          updated_at=clock())
            session.add(row)
            session.flush()
            ids.append(row.id)
    return ids


def _walk(client, url: str, limit: int, cursor: str | None = None) -> list[dict]:
    rows, pages = [], 0
    while True:
        sep = "&" if "?" in url else "?"
        response = client.get(f"{url}{sep}limit={limit}" + (f"&cursor={cursor}" if cursor else ""), headers=AUTH)
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        assert set(body) == {"data", "next_cursor"}
        assert len(body["data"]) <= limit
        rows += body["data"]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            return rows
        assert pages < 100


# ---- auth and errors ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": API_TOKEN},
                                     {"Authorization": "Basic dGVzdDp0ZXN0"}, {"Authorization": "Bearer ทดสอบ"}])
def test_api_needs_the_bearer_token(client, headers):
    response = client.get("/api/v1/citizens", headers=headers)
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"
    assert response.get_json()["error"]["message"] == console_texts.API_UNAUTHORIZED
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_api_is_off_when_no_token_is_configured(app_config, database_url, line):
    from app import create_app

    application = create_app({**app_config, "API_TOKEN": None})
    try:
        client = application.test_client()
        response = client.get("/api/v1/citizens", headers={"Authorization": "Bearer "})
        assert response.status_code == 503
        assert response.get_json()["error"]["code"] == "api_disabled"
        assert client.get("/api/v1/openapi.json").status_code == 200  # the document stays readable
    finally:
        application.extensions["kk"].stop()
        application.extensions["kk"].db.dispose()


def test_api_errors_are_json(client):
    unknown = client.get("/api/v1/no-such-thing", headers=AUTH)
    assert unknown.status_code == 404 and unknown.is_json and unknown.get_json()["error"]["code"] == "not_found"
    wrong_method = client.delete("/api/v1/citizens", headers=AUTH)
    assert wrong_method.status_code == 405 and wrong_method.get_json()["error"]["code"] == "method_not_allowed"
    missing = client.get("/api/v1/citizens/999999", headers=AUTH)
    assert missing.status_code == 404 and missing.get_json()["error"]["message"] == console_texts.API_CITIZEN_NOT_FOUND
    assert client.get("/api/v1/citizens/abc", headers=AUTH).is_json


@pytest.mark.parametrize("query, field", [
    ("limit=0", "limit"), ("limit=201", "limit"), ("limit=ten", "limit"), ("cursor=garbage", "cursor"),
    ("following=maybe", "following"), ("district=bangkok", "district"),
])
def test_bad_query_is_422_with_the_field(client, query, field):
    response = client.get(f"/api/v1/citizens?{query}", headers=AUTH)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "validation_error"
    assert [f["field"] for f in error["fields"]] == [field]


def test_unexpected_error_is_a_json_500(client, monkeypatch):
    import web.api

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(web.api, "paginate", broken)
    response = client.get("/api/v1/citizens", headers=AUTH)
    assert response.status_code == 500
    assert response.get_json()["error"]["code"] == "internal_error"
    assert "boom" not in response.get_data(as_text=True)


# ---- citizens and pagination ----------------------------------------------------------------------------------
def test_pagination_walks_every_row_exactly_once(client, rt, clock):
    ids = _citizens(rt, clock, 23)
    rows = _walk(client, "/api/v1/citizens", limit=5)
    assert [r["id"] for r in rows] == ids


def test_pagination_is_stable_when_rows_arrive_during_the_walk(client, rt, clock):
    ids = _citizens(rt, clock, 6)
    first = client.get("/api/v1/citizens?limit=4", headers=AUTH).get_json()
    late = _citizens(rt, clock, 3)
    rest = _walk(client, "/api/v1/citizens", limit=4, cursor=first["next_cursor"])
    seen = [r["id"] for r in first["data"] + rest]
    assert seen == ids + late


def test_last_page_has_no_cursor(client, rt, clock):
    _citizens(rt, clock, 3)
    body = client.get("/api/v1/citizens?limit=3", headers=AUTH).get_json()
    assert len(body["data"]) == 3 and body["next_cursor"] is None
    assert client.get("/api/v1/citizens", headers=AUTH).get_json()["next_cursor"] is None


def test_citizens_expose_no_line_user_id_and_filter(client, chat, rt, clock):
    somsri, somchai = chat("สมศรี"), chat("สมชาย")
    somsri.follow()
    somsri.says("ตั้งค่า")
    somsri.taps("พล")
    somchai.follow()
    somchai.unfollow()

    everyone = client.get("/api/v1/citizens", headers=AUTH)
    text = everyone.get_data(as_text=True)
    assert somsri.user_id not in text and somchai.user_id not in text
    rows = everyone.get_json()["data"]
    assert set(rows[0]) == {"id", "district", "district_name", "is_following", "followed_at", "created_at"}
    assert rows[0]["created_at"] == "2026-11-23T03:00:00Z"  # ISO 8601, UTC

    phon = client.get("/api/v1/citizens?district=phon", headers=AUTH).get_json()["data"]
    assert [(r["district"], r["district_name"]) for r in phon] == [("phon", "พล")]
    following = client.get("/api/v1/citizens?following=true", headers=AUTH).get_json()["data"]
    unfollowed = client.get("/api/v1/citizens?following=false", headers=AUTH).get_json()["data"]
    assert [r["id"] for r in following] == [phon[0]["id"]]
    assert len(unfollowed) == 1 and unfollowed[0]["is_following"] is False

    one = client.get(f"/api/v1/citizens/{phon[0]['id']}", headers=AUTH)
    assert one.status_code == 200 and one.get_json()["district"] == "phon"


# ---- outbox and events ----------------------------------------------------------------------------------------
@pytest.mark.line_errors_expected
def test_dead_letter_retry_through_the_api(client, rt, line, clock):
    uid = line.add_user("สมหมาย")["userId"]
    line.inject_fault("/v2/bot/message/push", status=400, body={"message": "Bad", "details": []})
    with rt.db.transaction() as session:
        row = notify.push(session, uid, [{"type": "text", "text": "ข่าว"}], clock(), source="test")
        session.flush()
        dead_id, key = row.id, row.retry_key
    rt.dispatcher.run_until_idle()

    listed = client.get("/api/v1/outbox?status=dead", headers=AUTH).get_json()["data"]
    assert [r["id"] for r in listed] == [dead_id]
    assert listed[0]["last_error"]["status"] == 400 and "recipients" not in listed[0] and "messages" not in listed[0]
    assert client.get("/api/v1/outbox?status=sent", headers=AUTH).get_json()["data"] == []

    clock.advance(minutes=5)
    retried = client.post(f"/api/v1/outbox/{dead_id}/retry", headers=AUTH)
    assert retried.status_code == 200
    body = retried.get_json()
    assert body["status"] == "pending" and body["attempts"] == 0
    assert body["available_at"] == (clock.now).strftime("%Y-%m-%dT%H:%M:%SZ")
    conflict = client.post(f"/api/v1/outbox/{dead_id}/retry", headers=AUTH)
    assert conflict.status_code == 409 and conflict.get_json()["error"]["code"] == "not_dead"
    assert client.post("/api/v1/outbox/999999/retry", headers=AUTH).status_code == 404

    rt.dispatcher.run_until_idle()
    sent = client.get(f"/api/v1/outbox/{dead_id}", headers=AUTH).get_json()
    assert sent["status"] == "sent"
    with rt.db.transaction() as session:
        assert session.get(OutboxMessage, dead_id).retry_key == key
    assert len(line.deliveries(uid)) == 1


def test_failed_event_retry_through_the_api(client, rt, clock):
    with rt.db.transaction() as session:
        for i, status in enumerate(("failed", "done", "failed")):
            session.add(InboundEvent(webhook_event_id=f"api-{i}", source_key="none", event_type="beacon",
                                     payload={"type": "beacon"}, received_at=clock(), available_at=clock(),
                                     status=status, attempts=5, last_error="Traceback\nKeyError: 'hwid'"))
    rows = _walk(client, "/api/v1/events/failed", limit=1)
    assert [r["status"] for r in rows] == ["failed", "failed"]
    assert rows[0]["error_summary"] == "KeyError: 'hwid'" and "payload" not in rows[0]

    clock.advance(timedelta(minutes=1))
    response = client.post(f"/api/v1/events/{rows[0]['id']}/retry", headers=AUTH)
    assert response.status_code == 200
    assert response.get_json()["status"] == "pending" and response.get_json()["attempts"] == 0
    assert client.post(f"/api/v1/events/{rows[0]['id']}/retry", headers=AUTH).status_code == 409
    assert client.post("/api/v1/events/999999/retry", headers=AUTH).status_code == 404
    with rt.db.transaction() as session:
        done = session.scalars(select(InboundEvent).where(InboundEvent.status == "done")).one()
    assert client.post(f"/api/v1/events/{done.id}/retry", headers=AUTH).status_code == 409
    assert len(_walk(client, "/api/v1/events/failed", limit=50)) == 1


def test_failed_events_show_the_error_class_and_place_not_the_traceback(client, rt, clock):
    stored = ('  File "/srv/kk/bot/worker.py", line 240, in _handle_one\n    self.bot.handle(ctx)\n'
              '  File "/srv/kk/handlers/trainings.py", line 120, in answer_phone\n    phone = clean(ctx.text)\n'
              '  File "/usr/lib/python3.11/re/__init__.py", line 166, in match\n    return _compile(pattern).match(s)\n'
              "TypeError")
    with rt.db.transaction() as session:
        session.add(InboundEvent(webhook_event_id="api-tb", source_key="u:x", event_type="message",
                                 payload={"type": "message"}, received_at=clock(), available_at=clock(),
                                 status="failed", attempts=5, last_error=stored))
    row = _walk(client, "/api/v1/events/failed", limit=10)[0]
    assert row["error_summary"] == "TypeError"
    assert row["error_where"] == "handlers/trainings.py:120 in answer_phone"
    assert "last_error" not in row and "clean(ctx.text)" not in json.dumps(row)
