"""Console sessions live on the server: signing out or losing staff rights ends them for every copy of the cookie."""

from __future__ import annotations

from sqlalchemy import func, select

from models.platform import StaffConsoleSession
from tests.conftest import ADMIN_ID
from tests.web.conftest import STAFF_ID, make_staff, page_csrf, staff_login
from texts import console as console_texts


def _cookie(client) -> str:
    cookie = client.get_cookie(client.application.config.get("SESSION_COOKIE_NAME", "session"))
    assert cookie is not None, "no session cookie"
    return cookie.value


def _browser_with(app, cookie: str):
    """Another browser (or an attacker) holding a copy of a session cookie."""
    other = app.test_client()
    other.set_cookie(app.config.get("SESSION_COOKIE_NAME", "session"), cookie)
    return other


def _log_out(client) -> None:
    response = client.post("/console/logout", data={"csrf_token": page_csrf(client)})
    assert response.status_code == 302


def _sessions(rt, line_user_id: str) -> tuple[int, int]:
    """(open, ended) console sessions of one person."""
    with rt.db.transaction() as session:
        rows = session.execute(select(StaffConsoleSession.ended_at.is_(None), func.count())
                               .where(StaffConsoleSession.line_user_id == line_user_id)
                               .group_by(StaffConsoleSession.ended_at.is_(None))).all()
    counts = {bool(is_open): n for is_open, n in rows}
    return counts.get(True, 0), counts.get(False, 0)


def test_a_copied_cookie_stops_working_after_logout(app, client):
    staff_login(client, ADMIN_ID)
    copied = _cookie(client)
    assert _browser_with(app, copied).get("/console").status_code == 200  # the copy works while signed in

    _log_out(client)

    replayed = _browser_with(app, copied).get("/console")
    assert replayed.status_code == 401
    assert console_texts.SESSION_ENDED in replayed.get_data(as_text=True)
    assert _browser_with(app, copied).get("/console/failures").status_code == 401
    assert client.get("/console").status_code == 401


def test_logging_out_ends_only_the_browser_that_signed_out(app, rt):
    office, phone = app.test_client(), app.test_client()
    staff_login(office, ADMIN_ID)
    staff_login(phone, ADMIN_ID)
    assert _sessions(rt, ADMIN_ID) == (2, 0)

    _log_out(office)

    assert office.get("/console").status_code == 401
    assert phone.get("/console").status_code == 200
    assert _sessions(rt, ADMIN_ID) == (1, 1)


def test_revoking_staff_in_the_console_ends_every_copy_even_if_granted_again(app, rt, admin_client):
    make_staff(rt, STAFF_ID)
    browser = app.test_client()
    staff_login(browser, STAFF_ID)
    copied = _cookie(browser)

    confirm = admin_client.post("/console/staff/revoke",
                                data={"csrf_token": page_csrf(admin_client), "line_user_id": STAFF_ID})
    assert confirm.status_code == 302
    assert _sessions(rt, STAFF_ID) == (0, 1)  # ended at once, not at their next click

    make_staff(rt, STAFF_ID)  # rights back: old sessions stay ended, they sign in anew
    assert _browser_with(app, copied).get("/console").status_code == 401
    assert browser.get("/console").status_code == 401
    staff_login(browser, STAFF_ID)
    assert browser.get("/console").status_code == 200


def test_a_cookie_the_server_never_issued_a_session_for_is_refused(app, rt, client):
    """A signed cookie from before sessions were kept on the server (or one naming an unknown session)."""
    with client.session_transaction() as stored:
        stored["staff"] = {"uid": ADMIN_ID, "role": "admin", "at": rt.clock().timestamp()}
    response = client.get("/console")
    assert response.status_code == 401 and console_texts.SESSION_ENDED in response.get_data(as_text=True)

    with client.session_transaction() as stored:
        stored["staff"] = {"uid": ADMIN_ID, "role": "admin", "at": rt.clock().timestamp(), "sid": "made-up"}
    assert client.get("/console").status_code == 401


def test_a_session_id_is_bound_to_the_person_who_signed_in(app, rt):
    """Even with SECRET_KEY in hand, a staff member's session id can't be relabelled as the admin's."""
    make_staff(rt, STAFF_ID)
    browser = app.test_client()
    staff_login(browser, STAFF_ID)
    with browser.session_transaction() as stored:
        stored["staff"] = {**stored["staff"], "uid": ADMIN_ID, "role": "admin"}
    assert browser.get("/console").status_code == 401


def test_signing_in_again_clears_out_the_persons_finished_sessions(app, rt, client, clock):
    staff_login(client, ADMIN_ID)
    _log_out(client)
    staff_login(client, ADMIN_ID)
    clock.advance(hours=9)  # the second session expires unused
    other = app.test_client()
    staff_login(other, ADMIN_ID)
    assert _sessions(rt, ADMIN_ID) == (1, 0)
    assert client.get("/console").status_code == 401
    assert other.get("/console").status_code == 200
