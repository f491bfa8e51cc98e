"""Console pages: the dashboard, failures with their retry buttons, and staff management (admins only)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

import services.citizens
from models.platform import Citizen, InboundEvent, OutboxMessage, StaffMember
from services import notify
from tests.conftest import ADMIN_ID
from tests.web.conftest import OTHER_ID, STAFF_ID, csrf_from, make_staff, page_csrf
from texts import console as console_texts

LINE_400 = {"message": "The request body has 1 error(s)",
            "details": [{"message": "Length must be between 0 and 5000", "property": "messages[0].text"}]}


def _count(html: str, name: str) -> int:
    match = re.search(rf'data-count="{name}">([\d,]+)<', html)
    assert match, name
    return int(match.group(1).replace(",", ""))


def _failed_follow(rt, chat, monkeypatch, name: str = "สมศรี"):
    """A follow event whose handler crashes on every attempt, so it ends up failed for staff to see."""
    def boom(*args, **kwargs):
        raise RuntimeError("database said no")

    monkeypatch.setattr(services.citizens, "record_follow", boom)
    monkeypatch.setattr(rt.worker, "max_attempts", 1)
    person = chat(name)
    person.follow()
    monkeypatch.undo()
    return person


def _dead_push(rt, line, clock) -> int:
    """A push that LINE refuses with a 400 (a dead letter), as the dispatcher records it."""
    uid = line.add_user("สมหมาย")["userId"]
    line.inject_fault("/v2/bot/message/push", status=400, body=LINE_400)
    with rt.db.transaction() as session:
        row = notify.push(session, uid, [{"type": "text", "text": "ข่าวโครงการ"}], clock(), source="announcement:7")
        session.flush()
        row_id = row.id
    rt.dispatcher.run_until_idle()
    return row_id


# ---- dashboard ------------------------------------------------------------------------------------------------
def test_dashboard_counts_followers_and_queues(admin_client, chat, rt):
    for name in ("สมศรี", "สมชาย"):
        chat(name).follow()
    html = admin_client.get("/console").get_data(as_text=True)
    assert _count(html, "citizens_following") == 2
    assert _count(html, "events_failed") == 0 and _count(html, "outbox_dead") == 0
    assert console_texts.ALL_GOOD in html
    assert console_texts.EMULATOR_BANNER not in html  # the tests talk to LINE's stand-in over a configured channel


def test_dashboard_says_so_when_running_on_the_emulator(admin_client, rt, monkeypatch):
    monkeypatch.setattr(rt, "emulator", object())
    html = admin_client.get("/console").get_data(as_text=True)
    assert console_texts.EMULATOR_BANNER in html


def test_dashboard_shows_thai_buddhist_era_time(admin_client):
    html = admin_client.get("/console").get_data(as_text=True)
    assert "23 พ.ย. 2569 10:00 น." in html  # the fake clock's 03:00 UTC, in Khon Kaen


# ---- failures -------------------------------------------------------------------------------------------------
@pytest.mark.line_errors_expected
def test_failures_page_lists_failed_event_and_dead_letter_and_retries_them(
        admin_client, rt, chat, line, clock, monkeypatch):
    somsri = _failed_follow(rt, chat, monkeypatch)
    dead_id = _dead_push(rt, line, clock)
    with rt.db.transaction() as session:
        event = session.scalars(select(InboundEvent)).one()
        retry_key = session.get(OutboxMessage, dead_id).retry_key
    assert event.status == "failed"

    dashboard = admin_client.get("/console").get_data(as_text=True)
    assert _count(dashboard, "events_failed") == 1 and _count(dashboard, "outbox_dead") == 1
    html = admin_client.get("/console/failures").get_data(as_text=True)
    assert f'data-event-id="{event.id}"' in html
    assert "RuntimeError" in html  # the exception type (its message is not kept: it may quote users)
    assert "<details><summary>" + console_texts.TRACEBACK in html  # the traceback, folded away
    assert somsri.user_id not in html  # no personal data from the payload
    assert "23 พ.ย. 2569" in html
    assert f'data-outbox-id="{dead_id}"' in html
    assert console_texts.LINE_STATUS.format(status=400) in html and LINE_400["message"] in html
    assert "messages[0].text: Length must be between 0 and 5000" in html
    assert console_texts.RECIPIENTS.format(n=1) in html and "announcement:7" in html

    token = csrf_from(html)
    response = admin_client.post(f"/console/failures/events/{event.id}/retry", data={"csrf_token": token})
    assert response.status_code == 302
    page = admin_client.get(response.headers["Location"]).get_data(as_text=True)
    assert console_texts.EVENT_RETRIED.format(id=event.id) in page
    response = admin_client.post(f"/console/failures/outbox/{dead_id}/retry", data={"csrf_token": token})
    assert response.status_code == 302
    rt.process_pending()

    with rt.db.transaction() as session:
        assert session.get(InboundEvent, event.id).status == "done"
        assert session.scalars(select(Citizen.is_following).where(Citizen.line_user_id == somsri.user_id)).one()
        row = session.get(OutboxMessage, dead_id)
        assert (row.status, row.retry_key) == ("sent", retry_key)  # same retry key: never a duplicate
    assert [d.messages[0]["text"] for d in line.deliveries() if d.via == "push"] == ["ข่าวโครงการ"]

    html = admin_client.get("/console/failures").get_data(as_text=True)
    assert console_texts.NO_FAILED_EVENTS in html and console_texts.NO_DEAD_LETTERS in html
    # A second press (e.g. a double tap) is harmless and explained.
    again = admin_client.post(f"/console/failures/outbox/{dead_id}/retry", data={"csrf_token": token},
                              follow_redirects=True)
    assert "ลองส่งใหม่ได้เฉพาะข้อความที่ส่งไม่สำเร็จ" in again.get_data(as_text=True)
    again = admin_client.post(f"/console/failures/events/{event.id}/retry", data={"csrf_token": token},
                              follow_redirects=True)
    assert console_texts.EVENT_NOT_RETRIABLE.format(id=event.id) in again.get_data(as_text=True)


def test_failures_page_pages_through_long_lists(staff_client, rt, clock):
    with rt.db.transaction() as session:
        for i in range(45):
            session.add(InboundEvent(webhook_event_id=f"e{i}", source_key="U:x", event_type="message",
                                     payload={"type": "message", "message": {"type": "text", "text": "ส่วนตัว"}},
                                     received_at=clock(), available_at=clock(), status="failed", attempts=5,
                                     last_error=f"Traceback...\nValueError: bad {i}"))
    seen: list[int] = []
    url = "/console/failures"
    while url:
        html = staff_client.get(url).get_data(as_text=True)
        assert "ส่วนตัว" not in html
        seen += [int(x) for x in re.findall(r'data-event-id="(\d+)"', html)]
        older = re.search(r'href="([^"]*events_before=\d+[^"]*)"[^>]*>' + re.escape(console_texts.OLDER), html)
        url = older.group(1).replace("&amp;", "&") if older else None
    assert len(seen) == 45 and len(set(seen)) == 45
    assert seen == sorted(seen, reverse=True)  # newest first


def test_staff_can_retry_but_posts_need_the_csrf_token(staff_client, rt):
    assert staff_client.get("/console/failures").status_code == 200
    assert staff_client.post("/console/failures/outbox/1/retry").status_code == 400
    assert staff_client.post("/console/failures/outbox/1/retry", data={"csrf_token": "x"}).status_code == 400


# ---- staff management -----------------------------------------------------------------------------------------
def test_admin_grants_and_revokes_a_staff_member(admin_client, rt):
    token = page_csrf(admin_client, "/console/staff")
    response = admin_client.post("/console/staff/grant", data={
        "csrf_token": token, "line_user_id": STAFF_ID, "label": "สมชาย งานประชาสัมพันธ์", "role": "staff"})
    assert response.status_code == 302
    html = admin_client.get("/console/staff").get_data(as_text=True)
    assert "สมชาย งานประชาสัมพันธ์" in html and STAFF_ID in html
    assert console_texts.GRANTED.format(role=console_texts.ROLE_NAMES["staff"], who="สมชาย งานประชาสัมพันธ์") in html

    confirm = admin_client.get(f"/console/staff/revoke?user={STAFF_ID}")
    assert confirm.status_code == 200 and console_texts.REVOKE_YES in confirm.get_data(as_text=True)
    response = admin_client.post("/console/staff/revoke", data={"csrf_token": token, "line_user_id": STAFF_ID})
    assert response.status_code == 302
    page = admin_client.get("/console/staff").get_data(as_text=True)
    assert console_texts.REVOKED.format(who="สมชาย งานประชาสัมพันธ์") in page
    with rt.db.transaction() as session:
        member = session.scalars(select(StaffMember).where(StaffMember.line_user_id == STAFF_ID)).one()
        assert member.active is False and member.granted_by == ADMIN_ID


def test_bad_grant_shows_the_services_thai_message_not_a_500(admin_client, rt):
    token = page_csrf(admin_client, "/console/staff")
    response = admin_client.post("/console/staff/grant", data={
        "csrf_token": token, "line_user_id": "somchai", "label": "สมชาย", "role": "staff"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "LINE user ID ต้องขึ้นต้นด้วย U" in html
    assert 'value="somchai"' in html  # what was typed stays in the form
    response = admin_client.post("/console/staff/grant", data={
        "csrf_token": token, "line_user_id": STAFF_ID, "role": "owner"})
    assert response.status_code == 422 and "บทบาทไม่ถูกต้อง" in response.get_data(as_text=True)


def test_configured_admin_and_self_cannot_be_revoked(admin_client, rt):
    token = page_csrf(admin_client, "/console/staff")
    response = admin_client.post("/console/staff/revoke", data={"csrf_token": token, "line_user_id": ADMIN_ID},
                                 follow_redirects=True)
    assert "ถอนสิทธิ์จากหน้านี้ไม่ได้" in response.get_data(as_text=True)
    with rt.db.transaction() as session:
        assert session.scalars(select(StaffMember.active).where(StaffMember.line_user_id == ADMIN_ID)).one()


def test_non_admin_staff_cannot_reach_or_use_staff_management(staff_client, rt):
    assert staff_client.get("/console/staff").status_code == 403
    assert staff_client.get(f"/console/staff/revoke?user={ADMIN_ID}").status_code == 403
    token = page_csrf(staff_client, "/console")
    # Forged POSTs with a valid CSRF token of their own session are refused on the server too.
    grant = staff_client.post("/console/staff/grant", data={
        "csrf_token": token, "line_user_id": OTHER_ID, "label": "x", "role": "admin"})
    assert grant.status_code == 403 and console_texts.ADMIN_ONLY in grant.get_data(as_text=True)
    make_staff(rt, OTHER_ID)
    revoke = staff_client.post("/console/staff/revoke", data={"csrf_token": token, "line_user_id": OTHER_ID})
    assert revoke.status_code == 403
    with rt.db.transaction() as session:
        roles = dict(session.execute(select(StaffMember.line_user_id, StaffMember.role)
                                     .where(StaffMember.active.is_(True))).all())
    assert roles[OTHER_ID] == "staff" and roles[STAFF_ID] == "staff"
    assert 'href="/console/staff"' not in staff_client.get("/console").get_data(as_text=True)


def test_admin_demoted_to_staff_loses_admin_pages_at_once(app, rt):
    make_staff(rt, STAFF_ID, role="admin")
    from tests.web.conftest import staff_login

    browser = app.test_client()
    staff_login(browser, STAFF_ID)
    assert browser.get("/console/staff").status_code == 200
    make_staff(rt, STAFF_ID, role="staff")
    assert browser.get("/console/staff").status_code == 403
    assert browser.get("/console").status_code == 200


def test_error_pages_are_thai(client):
    response = client.get("/console/nothing-here")
    assert response.status_code == 404
    assert "ไม่พบหน้านี้" in response.get_data(as_text=True)
    response = client.get("/console/logout")
    assert response.status_code == 405 and "ไม่รองรับวิธีนี้" in response.get_data(as_text=True)


def test_feature_pages_extending_the_console_layout_keep_its_menu(app, admin_client):
    """Features pass their own `T` to their templates; the shared layout must not depend on that name."""
    from flask import render_template_string, session

    with app.test_request_context("/console/feature"):
        with admin_client.session_transaction() as stored:
            session.update(stored)
        html = render_template_string('{% extends "console/layout.html" %}{% block content %}{{ T.X }}{% endblock %}',
                                      T=type("FeatureTexts", (), {"X": "หน้าของฟีเจอร์"}))
    assert "หน้าของฟีเจอร์" in html
    assert (console_texts.NAV_DASHBOARD in html and console_texts.NAV_LOGOUT in html
            and console_texts.CONSOLE_NAME in html)


def test_dashboard_and_menu_link_every_feature_page(admin_client):
    html = admin_client.get("/console").get_data(as_text=True)
    for path in ("/console/projects", "/console/announcements", "/console/trainings", "/console/surveys",
                 "/console/market"):
        assert html.count(f'href="{path}') >= 2, path  # in the menu and on the dashboard
        assert admin_client.get(path, follow_redirects=True).status_code == 200
