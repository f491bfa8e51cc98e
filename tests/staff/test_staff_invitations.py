"""One-time staff invitations: an admin creates one in the console (link + QR), the invited person sends the
pre-filled text from LINE and becomes staff once; used, expired, revoked and unknown codes get polite Thai answers."""

from __future__ import annotations

import html
import re
from datetime import timedelta
from urllib.parse import unquote

import pytest
from sqlalchemy import select

from models.staff_invitations import StaffInvitation
from services import staff
from services.errors import PermissionDenied
from tests.conftest import ADMIN_ID
from tests.web.conftest import STAFF_ID, csrf_from, make_staff, page_csrf, staff_login
from texts import console as console_texts
from texts import platform as platform_texts

LINK_RE = re.compile(r'id="invite-link" class="mono" readonly value="([^"]+)"')


@pytest.fixture
def admin_client(app):
    client = app.test_client()
    staff_login(client, ADMIN_ID)
    return client


def invite(client, role: str = "staff", label: str = "สมชาย งานประชาสัมพันธ์") -> str:
    """Creates an invitation in the console as a person does and returns the link the page shows."""
    token = page_csrf(client, "/console/staff")
    response = client.post("/console/staff/invitations", data={"csrf_token": token, "role": role, "label": label})
    assert response.status_code == 201, response.get_data(as_text=True)
    page = response.get_data(as_text=True)
    assert console_texts.INVITE_CREATED_TITLE in page
    assert 'src="data:image/png;base64,' in page  # the QR
    return html.unescape(LINK_RE.search(page).group(1))


def text_of(link: str) -> str:
    """What the link types into the chat box (LINE's oaMessage link: the text is the query string)."""
    return unquote(link.split("?", 1)[1])


def test_admin_invites_and_the_guest_becomes_staff_from_the_chat(admin_client, chat, rt):
    link = invite(admin_client)
    assert link.startswith("https://line.me/R/oaMessage/%40kkpao/?")
    message = text_of(link)
    assert message.startswith(platform_texts.WORD_STAFF_INVITE)

    somchai = chat("สมชาย")
    somchai.follow()
    reply = somchai.says(message)
    assert "ยินดีต้อนรับค่ะ" in reply.texts[0] and "สิทธิ์เจ้าหน้าที่" in reply.texts[0]
    assert "เข้าระบบเจ้าหน้าที่" in reply.texts[0]
    assert reply.quick_replies() == ["เข้าระบบเจ้าหน้าที่"]
    with rt.db.transaction() as session:
        assert staff.role_of(session, somchai.user_id) == "staff"
        member = next(m for m in staff.list_staff(session) if m.line_user_id == somchai.user_id)
        assert (member.label, member.granted_by) == ("สมชาย งานประชาสัมพันธ์", ADMIN_ID)

    # The welcome's button works at once: a sign-in link to the console.
    reply = somchai.taps("เข้าระบบเจ้าหน้าที่")
    assert "/console/login/" in str(reply.messages)

    page = admin_client.get("/console/staff").get_data(as_text=True)
    assert 'data-status="used"' in page and console_texts.INVITE_STATUS["used"] in page


def test_only_the_codes_hash_is_stored_and_it_lasts_72_hours(rt, clock):
    with rt.db.transaction() as session:
        invitation, code = staff.create_invitation(session, ADMIN_ID, clock(), admin_ids=(ADMIN_ID,))
        row = session.get(StaffInvitation, invitation.id)
        stored = [str(getattr(row, c.key)) for c in StaffInvitation.__table__.columns]
        assert not any(code in value for value in stored)
        assert row.code_hash == staff.token_hash(code)
        assert row.expires_at == clock() + timedelta(hours=72)
        assert row.status(clock()) == "pending"


def test_an_invitation_is_used_once_only(admin_client, chat, rt):
    message = text_of(invite(admin_client))
    first, second = chat("สมศรี"), chat("สมปอง")
    assert "ยินดีต้อนรับ" in first.says(message).texts[0]
    reply = second.says(message)
    assert reply.texts == [platform_texts.STAFF_INVITE_USED]
    with rt.db.transaction() as session:
        assert staff.role_of(session, second.user_id) is None


def test_an_expired_invitation_is_refused_politely(admin_client, chat, rt, clock):
    message = text_of(invite(admin_client))
    clock.advance(hours=72, seconds=1)
    somsri = chat("สมศรี")
    reply = somsri.says(message)
    assert reply.texts == [platform_texts.STAFF_INVITE_EXPIRED.format(hours=72)]
    assert "หมดอายุ" in reply.texts[0]
    with rt.db.transaction() as session:
        assert staff.role_of(session, somsri.user_id) is None
    staff_login(admin_client, ADMIN_ID)  # console sessions last 8 hours
    assert 'data-status="expired"' in admin_client.get("/console/staff").get_data(as_text=True)


def test_admin_revokes_a_pending_invitation(admin_client, chat, rt):
    message = text_of(invite(admin_client))
    page = admin_client.get("/console/staff").get_data(as_text=True)
    invitation_id = re.search(r'data-invitation="(\d+)" data-status="pending"', page).group(1)
    response = admin_client.post(f"/console/staff/invitations/{invitation_id}/revoke",
                                 data={"csrf_token": csrf_from(page)}, follow_redirects=True)
    assert console_texts.INVITE_REVOKED in response.get_data(as_text=True)
    assert 'data-status="revoked"' in response.get_data(as_text=True)
    somsri = chat("สมศรี")
    assert somsri.says(message).texts == [platform_texts.STAFF_INVITE_REVOKED]
    # Revoking twice is refused with a Thai message, not an error page.
    again = admin_client.post(f"/console/staff/invitations/{invitation_id}/revoke",
                              data={"csrf_token": csrf_from(page)}, follow_redirects=True)
    assert "ยกเลิกไม่ได้" in again.get_data(as_text=True)


def test_unknown_or_missing_codes_get_a_polite_answer(chat):
    somsri = chat("สมศรี")
    assert somsri.says("รับสิทธิ์เจ้าหน้าที่ รหัส ABCD-EFGH-JKMN").texts == [platform_texts.STAFF_INVITE_UNKNOWN]
    assert somsri.says("รับสิทธิ์เจ้าหน้าที่ รหัส 1234").texts == [platform_texts.STAFF_INVITE_UNKNOWN]
    assert somsri.says("รับสิทธิ์เจ้าหน้าที่").texts == [platform_texts.STAFF_INVITE_NO_CODE]


def test_someone_already_staff_leaves_the_invitation_for_its_guest(admin_client, chat, rt):
    message = text_of(invite(admin_client))
    admin = chat("แอดมิน", user_id=ADMIN_ID)
    reply = admin.says(message)
    assert reply.texts == [platform_texts.STAFF_INVITE_ALREADY.format(role="ผู้ดูแลระบบ")]
    guest = chat("สมชาย")
    assert "ยินดีต้อนรับ" in guest.says(message).texts[0]


def test_an_admin_invitation_makes_a_staff_member_admin(admin_client, chat, rt):
    somchai = chat("สมชาย", user_id=STAFF_ID)
    make_staff(rt, STAFF_ID)
    reply = somchai.says(text_of(invite(admin_client, role="admin", label="")))
    assert "สิทธิ์ผู้ดูแลระบบ" in reply.texts[0]
    with rt.db.transaction() as session:
        assert staff.role_of(session, STAFF_ID) == "admin"


def test_only_admins_create_or_revoke_invitations_checked_on_the_server(app, rt, clock):
    make_staff(rt, STAFF_ID)
    with rt.db.transaction() as session:
        with pytest.raises(PermissionDenied):
            staff.create_invitation(session, STAFF_ID, clock(), admin_ids=(ADMIN_ID,))
        with pytest.raises(PermissionDenied):
            staff.create_invitation(session, "U" + "9" * 32, clock(), admin_ids=(ADMIN_ID,))
        invitation, _ = staff.create_invitation(session, ADMIN_ID, clock(), admin_ids=(ADMIN_ID,))
        invitation_id = invitation.id
    with rt.db.transaction() as session, pytest.raises(PermissionDenied):
        staff.revoke_invitation(session, STAFF_ID, invitation_id, clock(), admin_ids=(ADMIN_ID,))
    client = app.test_client()
    staff_login(client, STAFF_ID)
    token = page_csrf(client, "/console")
    assert client.post("/console/staff/invitations", data={"csrf_token": token, "role": "admin"}).status_code == 403
    assert client.post(f"/console/staff/invitations/{invitation_id}/revoke",
                       data={"csrf_token": token}).status_code == 403
    with rt.db.transaction() as session:
        assert len(list(session.scalars(select(StaffInvitation)))) == 1
        assert session.get(StaffInvitation, invitation_id).revoked_at is None


def test_a_bad_role_is_a_thai_message_not_a_500(admin_client):
    token = page_csrf(admin_client, "/console/staff")
    response = admin_client.post("/console/staff/invitations", data={"csrf_token": token, "role": "king"})
    assert response.status_code == 422
    assert "บทบาทไม่ถูกต้อง" in response.get_data(as_text=True)
