"""Web-only helpers: sign a client in as staff the way a person does (token from the service, button POST)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import pytest

from services.staff import grant, issue_login_token
from tests.conftest import ADMIN_ID

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_from(html: str) -> str:
    """The CSRF token of the first form on a page."""
    match = CSRF_RE.search(html)
    assert match, "no CSRF field on the page"
    return match.group(1)


def page_csrf(client: Any, path: str = "/console") -> str:
    """Loads a console page and returns its CSRF token."""
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    return csrf_from(response.get_data(as_text=True))


def login_token(rt: Any, line_user_id: str) -> str:
    """Issues a sign-in token like the chat's "เข้าระบบเจ้าหน้าที่" does."""
    with rt.db.transaction() as session:
        return issue_login_token(session, line_user_id, rt.clock(), rt.settings.ADMIN_LINE_USER_IDS)


def staff_login(client: Any, line_user_id: str) -> Any:
    """Signs `client` in as a staff member: opens the link page, then presses its button. Returns the POST answer."""
    rt = client.application.extensions["kk"]
    token = login_token(rt, line_user_id)
    page = client.get(f"/console/login/{token}")
    assert page.status_code == 200, page.get_data(as_text=True)
    response = client.post(f"/console/login/{token}", data={"csrf_token": csrf_from(page.get_data(as_text=True))})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


def make_staff(rt: Any, line_user_id: str, role: str = "staff", label: str | None = None,
               now: datetime | None = None) -> None:
    """Grants staff rights as the configured admin would."""
    with rt.db.transaction() as session:
        grant(session, ADMIN_ID, line_user_id, now or rt.clock(), role=role, label=label,
              admin_ids=rt.settings.ADMIN_LINE_USER_IDS)


@pytest.fixture
def admin_client(app, client):
    """A test client signed in as the configured admin."""
    staff_login(client, ADMIN_ID)
    return client


STAFF_ID = "U" + "b" * 32
OTHER_ID = "U" + "c" * 32


@pytest.fixture
def staff_client(app, rt):
    """A test client signed in as a plain (non-admin) staff member."""
    make_staff(rt, STAFF_ID, label="สมชาย เจ้าหน้าที่")
    client = app.test_client()
    staff_login(client, STAFF_ID)
    return client
