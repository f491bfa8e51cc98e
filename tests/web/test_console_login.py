"""Staff sign-in without passwords: a one-time link from the chat, a button on the page, a server-checked session."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.errors import PermissionDenied
from services.staff import issue_login_token, revoke
from tests.conftest import ADMIN_ID, PUBLIC_BASE_URL
from tests.web.conftest import STAFF_ID, csrf_from, login_token, make_staff, staff_login
from texts import console as console_texts
from texts import platform as platform_texts


def _link_from_chat(chat, user_id: str) -> str:
    person = chat("ผู้ดูแล", user_id=user_id)
    person.follow()
    reply = person.says(platform_texts.WORD_STAFF_LOGIN)
    uri = reply.action(platform_texts.STAFF_LOGIN_BUTTON)["uri"]
    assert uri.startswith(f"{PUBLIC_BASE_URL}/console/login/")
    return uri[len(PUBLIC_BASE_URL):]


def _signed_in_uid(client) -> str | None:
    with client.session_transaction() as session:
        return (session.get("staff") or {}).get("uid")


def test_admin_signs_in_with_the_link_from_the_chat(chat, client, app):
    path = _link_from_chat(chat, ADMIN_ID)

    # Opening the link (as a link scanner or the chat's preview would) does not use it up.
    for _ in range(2):
        page = client.get(path)
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        assert console_texts.LOGIN_BUTTON in html and 'method="post"' in html
    assert page.headers["Referrer-Policy"] == "no-referrer"

    response = client.post(path, data={"csrf_token": csrf_from(html)})
    assert response.status_code == 302 and response.headers["Location"].endswith("/console")
    dashboard = client.get("/console")
    assert dashboard.status_code == 200
    assert console_texts.DASHBOARD_TITLE in dashboard.get_data(as_text=True)
    assert _signed_in_uid(client) == ADMIN_ID

    # The link worked once: pressing the button again (even from another browser) is refused politely.
    other = app.test_client()
    again = other.get(path)
    assert again.status_code == 410 and console_texts.LOGIN_INVALID_TITLE in again.get_data(as_text=True)
    # (the session's CSRF token changed at sign-in, so take the current one from the dashboard)
    resubmit = client.post(path, data={"csrf_token": csrf_from(dashboard.get_data(as_text=True))})
    assert resubmit.status_code == 410
    assert platform_texts.WORD_STAFF_LOGIN in resubmit.get_data(as_text=True)  # tells how to get a new link


def test_link_expires_after_ten_minutes(rt, client, clock):
    token = login_token(rt, ADMIN_ID)
    clock.advance(minutes=9, seconds=59)
    page = client.get(f"/console/login/{token}")
    assert page.status_code == 200
    clock.advance(seconds=2)
    assert client.get(f"/console/login/{token}").status_code == 410
    response = client.post(f"/console/login/{token}", data={"csrf_token": csrf_from(page.get_data(as_text=True))})
    assert response.status_code == 410
    assert console_texts.LOGIN_HOW in response.get_data(as_text=True)
    assert _signed_in_uid(client) is None


def test_unknown_token_gets_the_polite_page(client):
    response = client.get("/console/login/not-a-real-token")
    assert response.status_code == 410
    assert console_texts.LOGIN_INVALID_BODY in response.get_data(as_text=True)
    assert client.get("/console/login/" + "x" * 500).status_code == 410


def test_citizen_asking_for_a_link_gets_the_staff_only_answer(chat):
    somsri = chat("สมศรี")
    somsri.follow()
    reply = somsri.says(platform_texts.WORD_STAFF_LOGIN)
    assert platform_texts.STAFF_ONLY in reply.text
    assert not [a for a in reply.actions() if a.get("type") == "uri"]


def test_a_token_signs_in_only_the_user_it_was_issued_to(rt, app):
    make_staff(rt, STAFF_ID)
    admin_browser = app.test_client()
    staff_login(admin_browser, ADMIN_ID)
    # Using the staff member's link in the admin's browser makes it the staff member's session, with their role.
    staff_login(admin_browser, STAFF_ID)
    assert _signed_in_uid(admin_browser) == STAFF_ID
    assert admin_browser.get("/console/staff").status_code == 403
    # And nobody can have a link issued for someone who is not staff.
    with rt.db.transaction() as session, pytest.raises(PermissionDenied):
        issue_login_token(session, "U" + "d" * 32, rt.clock(), rt.settings.ADMIN_LINE_USER_IDS)


def test_link_of_a_revoked_staff_member_no_longer_works(rt, client):
    make_staff(rt, STAFF_ID)
    token = login_token(rt, STAFF_ID)
    page = client.get(f"/console/login/{token}")
    with rt.db.transaction() as session:
        revoke(session, ADMIN_ID, STAFF_ID, rt.clock(), admin_ids=rt.settings.ADMIN_LINE_USER_IDS)
    response = client.post(f"/console/login/{token}", data={"csrf_token": csrf_from(page.get_data(as_text=True))})
    assert response.status_code == 410
    assert _signed_in_uid(client) is None


def test_login_button_needs_the_pages_csrf_token(rt, client):
    token = login_token(rt, ADMIN_ID)
    page = client.get(f"/console/login/{token}")
    assert client.post(f"/console/login/{token}").status_code == 400
    assert client.post(f"/console/login/{token}", data={"csrf_token": "forged"}).status_code == 400
    # The refused attempts did not use the link up.
    ok = client.post(f"/console/login/{token}", data={"csrf_token": csrf_from(page.get_data(as_text=True))})
    assert ok.status_code == 302


def test_revoked_staff_is_signed_out_at_the_next_click(rt, app):
    make_staff(rt, STAFF_ID)
    browser = app.test_client()
    staff_login(browser, STAFF_ID)
    assert browser.get("/console").status_code == 200
    with rt.db.transaction() as session:
        revoke(session, ADMIN_ID, STAFF_ID, rt.clock(), admin_ids=rt.settings.ADMIN_LINE_USER_IDS)

    kicked = browser.get("/console")
    assert kicked.status_code == 401
    assert console_texts.STAFF_REVOKED in kicked.get_data(as_text=True)
    assert _signed_in_uid(browser) is None
    # Granting again later does not revive the old session: they sign in anew.
    make_staff(rt, STAFF_ID)
    assert browser.get("/console").status_code == 401


def test_session_ends_after_eight_hours(admin_client, clock):
    clock.advance(hours=7, minutes=59)
    assert admin_client.get("/console").status_code == 200
    clock.advance(minutes=2)
    response = admin_client.get("/console")
    assert response.status_code == 401
    assert console_texts.SESSION_EXPIRED in response.get_data(as_text=True)


def test_logout_ends_the_session(admin_client):
    token = csrf_from(admin_client.get("/console").get_data(as_text=True))
    response = admin_client.post("/console/logout", data={"csrf_token": token})
    assert response.status_code == 302
    assert console_texts.SIGNED_OUT_TITLE in admin_client.get(response.headers["Location"]).get_data(as_text=True)
    assert admin_client.get("/console").status_code == 401


def test_console_without_a_session_explains_how_to_sign_in(client):
    response = client.get("/console/failures")
    assert response.status_code == 401
    html = response.get_data(as_text=True)
    assert console_texts.SIGNIN_NEEDED_BODY in html and platform_texts.WORD_STAFF_LOGIN in html
    assert client.post("/console/failures/events/1/retry").status_code == 401


def test_sign_in_link_page_is_never_cached_or_framed(rt, client):
    page = client.get(f"/console/login/{login_token(rt, ADMIN_ID)}")
    assert page.headers["Cache-Control"] == "no-store"
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    assert timedelta(hours=8) == client.application.config["PERMANENT_SESSION_LIFETIME"]
