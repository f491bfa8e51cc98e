"""Every GET route of the app answers without a 5xx: the console, the public pages and the API, as an admin, as staff
and anonymously, with data of every feature seeded and each rule's parameters filled from the seeded rows.

A page added later is covered without touching this file: the routes come from Flask's URL map.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select, update
from werkzeug.routing import IntegerConverter

from models.market import Certification, Product
from models.media import MediaImage
from models.outbox import enqueue
from models.platform import InboundEvent, OutboxMessage
from services import projects, support, surveys, trainings
from services.projects import ProjectInput
from tests.conftest import ADMIN_ID, API_TOKEN
from tests.market.conftest import seed_listed
from tests.projects.conftest import photo
from tests.web.conftest import STAFF_ID, make_staff, staff_login


def _seed(rt: Any) -> dict[str, Any]:
    """One row of every feature, made through the services as staff would, and the values to fill routes with."""
    now = rt.clock()
    with rt.db.transaction() as session:
        project = projects.create_project(session, ADMIN_ID, ProjectInput(
            kind="infrastructure", title="ซ่อมถนนสายบ้านไผ่", districts=["ban_phai"], description="ซ่อมผิวถนน",
            location="อ.บ้านไผ่", budget="2500000", start_date=date(2026, 12, 1), end_date=date(2027, 3, 31)), now)
        projects.set_cover(session, ADMIN_ID, project.id, photo("orange"), now)
        projects.change_stage(session, ADMIN_ID, project.id, "in_progress", now)
        starts = now + timedelta(days=3)
        training = trainings.create_training(session, trainings.TrainingInput(
            title="ขายของออนไลน์", starts_at=starts, ends_at=starts + timedelta(hours=6), capacity=20,
            signup_deadline=starts - timedelta(days=1), venue_name="หอประชุม"), ADMIN_ID, now)
        trainings.publish(session, training.id, ADMIN_ID, now)
        survey = surveys.create_from_template(session, "training_satisfaction", ADMIN_ID, now,
                                              training_id=training.id)
        surveys.set_status(session, survey.id, "active", now)
        session.add(InboundEvent(webhook_event_id="crawl-failed", source_key="u:U" + "1" * 32, event_type="message",
                                 payload={"type": "message"}, received_at=now, status="failed", attempts=5,
                                 available_at=now, last_error="RuntimeError"))
        dead = enqueue(session, "push", [{"type": "text", "text": "ทดสอบ"}], now=now, recipients=["U" + "2" * 32])[0]
        session.flush()
        session.execute(update(OutboxMessage).where(OutboxMessage.id == dead.id).values(
            status="dead", last_status=400, last_error={"status": 400, "message": "bad"}))
        case, _ = support.open_case(session, "U" + "3" * 32, now, "http://kk.test/console/inbox")
        for incoming in (support.Incoming("text", "ถนนเป็นหลุม"), support.Incoming("location", "บ้าน", latitude=16.4,
                                                                                       longitude=102.8)):
            support.record_message(session, case, incoming, now, webhook_event_id=None, reply_token=None, sent_at=now)
        project_id, training_id, survey_id, image_id = project.id, training.id, survey.id, project.cover_image_id
        case_id = case.id
        event_id = session.scalars(select(InboundEvent.id)).first()
        dead_id = dead.id
    product_id = seed_listed(rt, 1)[0]
    with rt.db.transaction() as session:
        cert = session.scalars(select(Certification).where(Certification.product_id == product_id)).first()
        vendor_id = session.get(Product, product_id).vendor_id
        digest = session.get(MediaImage, image_id).digest[:16]
        number = cert.number if cert is not None and cert.number else "x"
    return {"project_id": project_id, "training_id": training_id, "survey_id": survey_id, "product_id": product_id,
            "vendor_id": vendor_id, "image_id": image_id, "digest": digest, "number": number,
            "event_id": event_id, "outbox_id": dead_id, "id": project_id, "case_id": case_id}


def _urls(app: Any, known: dict[str, Any]) -> list[str]:
    adapter = app.url_map.bind("kk.test")
    urls = set()
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()):
            continue
        values = {}
        for name in rule.arguments:
            integer = isinstance(rule._converters[name], IntegerConverter)
            values[name] = known.get(name, 1 if integer else "x")
        urls.add(adapter.build(rule.endpoint, values, force_external=False))
    return sorted(urls)


@pytest.mark.parametrize("who", ["anonymous", "staff", "admin"])
def test_no_get_route_answers_5xx(app, rt, who):
    known = _seed(rt)
    client = app.test_client()
    headers = {}
    if who == "staff":
        make_staff(rt, STAFF_ID)
        staff_login(client, STAFF_ID)
    elif who == "admin":
        staff_login(client, ADMIN_ID)
        headers = {"Authorization": f"Bearer {API_TOKEN}"}
    urls = _urls(app, known)
    assert any(u.startswith("/console") for u in urls) and any(u.startswith("/api/v1") for u in urls)
    failures = []
    # Pages also read ids and filters from the query string (the announce form reads ?project_id=): every page is
    # asked once plainly and once with every seeded id and some filters in its query.
    query = "&".join(f"{name}={known[name]}" for name in ("project_id", "training_id", "survey_id", "product_id",
                                                          "vendor_id"))
    query += "&stage=in_progress&status=active&page=2&q=%E0%B8%AA%E0%B8%B4%E0%B8%99%E0%B8%84%E0%B9%89%E0%B8%B2"
    for url in urls:
        for asked in (url, f"{url}?{query}"):
            response = client.get(asked, headers=headers)
            if response.status_code >= 500:
                failures.append((asked, response.status_code))
            missing = _missing_headers(response, path=asked)
            if missing:
                failures.append((asked, missing))
    assert failures == []


def _missing_headers(response: Any, https: bool = False, path: str = "") -> list[str]:
    """The security headers a response lacks (web/headers.py: one policy for every page)."""
    h = response.headers
    # Staff pages are never cached (stylesheets may be: they hold nothing personal).
    staff_page = path.startswith(("/console", "/checkin")) and not path.split("?")[0].endswith((".css", ".js"))
    if staff_page and "no-store" not in h.get("Cache-Control", ""):
        return ["Cache-Control: no-store"]
    if staff_page and h.get("Referrer-Policy") != "no-referrer":
        return ["Referrer-Policy: no-referrer"]
    if not h.get("Permissions-Policy"):
        return ["Permissions-Policy"]
    missing = [name for name in ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy")
               if not h.get(name)]
    if h.get("X-Content-Type-Options") and h["X-Content-Type-Options"] != "nosniff":
        missing.append("nosniff")
    if "frame-ancestors" not in h.get("Content-Security-Policy", "") and not h.get("X-Frame-Options"):
        missing.append("frame protection")
    if https and not h.get("Strict-Transport-Security", "").startswith("max-age="):
        missing.append("HSTS")
    return missing


def test_every_page_sends_hsts_when_the_public_address_is_https(app_config, database_url, line):
    from app import create_app

    application = create_app({**app_config, "PUBLIC_BASE_URL": "https://community.kkpao.go.th"})
    try:
        client = application.test_client()
        for path in ("/projects", "/privacy", "/healthz", "/api/v1/openapi.json", "/assets/kk.css", "/console",
                     "/media/1-0000000000000000.jpg", "/no-such-page"):
            response = client.get(path)
            assert _missing_headers(response, https=True, path=path) == [], path
    finally:
        rt = application.extensions["kk"]
        rt.stop()
        rt.db.dispose()


def test_http_addresses_get_no_hsts(client):
    assert "Strict-Transport-Security" not in client.get("/projects").headers


def test_only_the_check_in_pages_may_use_the_camera(client):
    assert client.get("/checkin").headers["Permissions-Policy"].startswith("camera=(self)")
    assert client.get("/console/trainings/1/checkin").headers["Permissions-Policy"].startswith("camera=(self)")
    for path in ("/console", "/projects", "/market", "/api/v1/openapi.json"):
        assert client.get(path).headers["Permissions-Policy"].startswith("camera=()"), path
