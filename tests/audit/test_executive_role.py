"""The executive role: granted by admins, signs in to the console, reads reports only, takes no staff action."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from models.audit import AuditEntry
from services import announcements, staff
from services.errors import PermissionDenied
from tests.conftest import ADMIN_ID
from tests.web.conftest import make_staff, staff_login

EXECUTIVE_ID = "U" + "3" * 32


def test_executive_signs_in_to_reports_and_is_refused_staff_pages(app, rt, client):
    make_staff(rt, EXECUTIVE_ID, role="executive")
    with rt.db.transaction() as session:
        assert staff.role_of(session, EXECUTIVE_ID) == "executive"
        assert not staff.is_staff(session, EXECUTIVE_ID)  # so no service lets them approve, announce or pay
        assert staff.may_sign_in(session, EXECUTIVE_ID)
        assert staff.executives(session) == [EXECUTIVE_ID]
    answer = staff_login(client, EXECUTIVE_ID)
    assert answer.headers["Location"].endswith("/console/reports")
    for path in ("/console", "/console/staff", "/console/commissions", "/console/audit"):
        assert client.get(path).status_code == 403, path


def test_admin_grants_executive_on_the_staff_page_and_by_invitation(app, rt, client):
    staff_login(client, ADMIN_ID)
    html = client.get("/console/staff").get_data(as_text=True)
    assert html.count('value="executive"') == 2  # the grant form and the invitation form
    with rt.db.transaction() as session:
        _, code = staff.create_invitation(session, ADMIN_ID, rt.clock(), role="executive",
                                          admin_ids=rt.settings.ADMIN_LINE_USER_IDS)
        accepted = staff.accept_invitation(session, EXECUTIVE_ID, code, rt.clock(), rt.settings.ADMIN_LINE_USER_IDS)
    assert accepted == staff.Accepted("executive", granted=True)


def test_executive_gets_a_sign_in_link_in_the_chat_and_cannot_act(app, rt, chat):
    boss = chat("ท่านนายก", user_id=EXECUTIVE_ID)
    boss.follow()
    make_staff(rt, EXECUTIVE_ID, role="executive")
    reply = boss.says("เข้าระบบเจ้าหน้าที่")
    assert "ลิงก์เข้าระบบเจ้าหน้าที่" in reply.body
    # Services check is_staff: an executive's forged action is refused like anyone's.
    now = rt.clock()
    with pytest.raises(PermissionDenied), rt.db.transaction() as session:
        announcements.create_announcement(session, EXECUTIVE_ID, [{"type": "text", "text": "ทดสอบ"}],
                                          announcements.Audience(), None, now, "console")
    with pytest.raises(PermissionDenied), rt.db.transaction() as session:
        staff.grant(session, EXECUTIVE_ID, "U" + "4" * 32, now)


def test_audit_row_rolls_back_with_its_action(rt):
    now = rt.clock()
    with pytest.raises(RuntimeError), rt.db.transaction() as session:
        staff.grant(session, ADMIN_ID, "U" + "4" * 32, now, admin_ids=rt.settings.ADMIN_LINE_USER_IDS)
        raise RuntimeError("the request failed after the grant")
    with rt.db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == 0
        assert staff.role_of(session, "U" + "4" * 32) is None


def test_executive_console_menu_shows_only_reports(app, rt, client):
    make_staff(rt, EXECUTIVE_ID, role="executive")
    staff_login(client, EXECUTIVE_ID)
    page = client.get("/console/reports")
    assert page.status_code == 200
    nav = page.get_data(as_text=True).split('aria-label="เมนูหลัก"')[1].split("</nav>")[0]
    assert "/console/reports" in nav
    assert 'href="/console"' not in nav and "/console/commissions" not in nav and "/console/staff" not in nav
