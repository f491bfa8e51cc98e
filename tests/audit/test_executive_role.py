"""The executive role: granted by admins, signs in to the console, reads reports only, takes no staff action."""

from __future__ import annotations

from services import staff
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
