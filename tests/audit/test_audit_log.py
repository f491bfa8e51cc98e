"""The audit log: each staff action leaves one row (who, role, what, about what), in the action's transaction,
without personal data; rows cannot be changed or removed; only admins see /console/audit."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, text

from models.audit import AuditEntry
from models.market import Product, Vendor
from models.orders import Commission
from models.platform import Citizen
from services import announcements, audit, certification, commissions, staff, trainings
from tests.commissions.conftest import (
    BUYER_ID,
    SHARER_ID,
    VENDOR_ID,
    approved_commission,
    make_order,
    make_programme,
    open_commission,
)
from tests.conftest import ADMIN_ID
from tests.market.conftest import seed_listed
from tests.web.conftest import make_staff, staff_login

STAFF_ID = "U" + "b" * 32
NEWCOMER_ID = "U" + "7" * 32
ROOT = Path(__file__).resolve().parents[2]


def _rows(rt, action: str | None = None) -> list[AuditEntry]:
    with rt.db.transaction() as session:
        stmt = select(AuditEntry).order_by(AuditEntry.id)
        if action:
            stmt = stmt.where(AuditEntry.action == action)
        rows = list(session.scalars(stmt))
        session.expunge_all()
        return rows


def _one(rt, action: str) -> AuditEntry:
    rows = _rows(rt, action)
    assert len(rows) == 1, [(r.action, r.actor) for r in _rows(rt)]
    return rows[0]


def test_shop_decisions_are_logged(rt):
    now = rt.clock()
    with rt.db.transaction() as session:
        shops = [Vendor(line_user_id="U" + str(i) * 32, shop_name=f"ร้านทดสอบ {i}", owner_name="สมศรี ใจดี",
                        phone="0812345678", district="phon", pickup_address="1 หมู่ 1", sales_channels=["line"],
                        delivery_options=["pickup"], status="pending", created_at=now, updated_at=now)
                 for i in (1, 2)]
        session.add_all(shops)
        session.flush()
        ids = [shop.id for shop in shops]
    with rt.db.transaction() as session:
        from services import vendors

        vendors.approve(session, ids[0], ADMIN_ID, now, rt.settings.ADMIN_LINE_USER_IDS)
        vendors.reject(session, ids[1], ADMIN_ID, "รูปไม่ชัด", now, rt.settings.ADMIN_LINE_USER_IDS)
    approved, rejected = _one(rt, "approve_vendor"), _one(rt, "reject_vendor")
    assert (approved.actor, approved.actor_role, approved.subject_type, approved.subject_id) == (
        ADMIN_ID, "admin", "vendor", str(ids[0]))
    assert approved.at == now and rejected.subject_id == str(ids[1])
    # The shop owner's name and phone, and the reason's free text, stay in the shop's own row, not here.
    assert "สมศรี" not in str(approved.detail) and "0812345678" not in str(rejected.detail)


def test_certify_reject_and_revoke_are_logged(rt):
    product_id = seed_listed(rt, 1, name="ผ้าไหมมัดหมี่")[0]
    certified = _one(rt, "certify")
    assert (certified.actor, certified.actor_role, certified.detail["product_id"]) == ("api", "api", product_id)
    now = rt.clock()
    with rt.db.transaction() as session:
        cert = session.scalars(select(certification.Certification).where(
            certification.Certification.product_id == product_id)).one()
        certification.revoke(session, cert.id, ADMIN_ID, "ร้องเรียนว่าไม่ใช่ผ้าไหมแท้", now,
                             rt.settings.ADMIN_LINE_USER_IDS)
        product = session.get(Product, product_id)
        resubmitted = certification.submit(session, product, now)
        certification.reject(session, resubmitted.id, ADMIN_ID, "ขอเอกสารเพิ่ม", now, rt.settings.ADMIN_LINE_USER_IDS)
    revoked, rejected = _one(rt, "revoke_certification"), _one(rt, "reject_certification")
    assert (revoked.actor, revoked.subject_type, revoked.subject_id) == (ADMIN_ID, "certification", str(cert.id))
    assert rejected.subject_id == str(resubmitted.id) and rejected.detail == {"product_id": product_id}


def test_announcements_sent_and_scheduled_are_logged(rt):
    now = rt.clock()
    message = [{"type": "text", "text": "ประชุมประชาคม"}]
    with rt.db.transaction() as session:
        sent = announcements.create_announcement(session, ADMIN_ID, message, announcements.Audience(), None, now,
                                                 "console")
        later = announcements.create_announcement(session, ADMIN_ID, message, announcements.Audience(),
                                                  now + timedelta(days=1), now, "console")
    assert _one(rt, "announce_send").subject_id == str(sent.id)
    assert _one(rt, "announce_schedule").subject_id == str(later.id)
    # The scheduler sending it later is not a second staff action.
    rt.clock.advance(days=1, seconds=1)
    with rt.db.transaction() as session:
        announcements.send_due(session, rt.clock())
    assert len(_rows(rt, "announce_send")) == 1


def test_roles_and_invitations_are_logged(rt):
    now = rt.clock()
    admins = rt.settings.ADMIN_LINE_USER_IDS
    with rt.db.transaction() as session:
        staff.ensure_admins(session, admins, now)
        member = staff.grant(session, ADMIN_ID, STAFF_ID, now, role="executive", admin_ids=admins)
        staff.revoke(session, ADMIN_ID, STAFF_ID, now, admin_ids=admins)
        invitation, code = staff.create_invitation(session, ADMIN_ID, now, role="staff", admin_ids=admins)
        unused, _ = staff.create_invitation(session, ADMIN_ID, now, role="admin", admin_ids=admins)
        staff.revoke_invitation(session, ADMIN_ID, unused.id, now, admins)
        staff.accept_invitation(session, NEWCOMER_ID, code, now, admins)
    granted = _one(rt, "grant_role")
    assert (granted.actor_role, granted.subject_type, granted.subject_id, granted.detail) == (
        "admin", "staff_member", str(member.id), {"role": "executive"})
    assert _one(rt, "revoke_role").detail == {"role": "executive"}
    assert [r.subject_id for r in _rows(rt, "invite")] == [str(invitation.id), str(unused.id)]
    assert _one(rt, "revoke_invitation").subject_id == str(unused.id)
    accepted = _one(rt, "accept_invitation")
    assert (accepted.actor, accepted.actor_role, accepted.detail["invitation_id"]) == (NEWCOMER_ID, "staff",
                                                                                       invitation.id)


def test_payouts_and_hold_decisions_are_logged(rt):
    programme = make_programme(rt)
    approved_commission(rt, programme)
    admins = rt.settings.ADMIN_LINE_USER_IDS
    with rt.db.transaction() as session:
        staff.ensure_admins(session, admins, rt.clock())
        payable = commissions.balances(session, programme.sharer_id)["approved"]
        payout = commissions.record_payout(session, ADMIN_ID, programme.vendor_id, programme.sharer_id, payable,
                                           rt.clock(), admin_ids=admins)
    row = _one(rt, "payout")
    assert (row.actor, row.subject_id, row.detail) == (ADMIN_ID, str(payout.id),
                                                       {"vendor_id": programme.vendor_id, "amount_satang": payable})
    # A shop owner recording their own payout is not staff: the log keeps no citizen's LINE id.
    approved_commission(rt, programme)
    with rt.db.transaction() as session:
        payable = commissions.balances(session, programme.sharer_id)["approved"]
        commissions.record_payout(session, VENDOR_ID, programme.vendor_id, programme.sharer_id, payable, rt.clock())
    by_shop = _rows(rt, "payout")[-1]
    assert (by_shop.actor, by_shop.actor_role) == ("citizen", "none")

    with rt.db.transaction() as session:
        session.add(Citizen(line_user_id=SHARER_ID, phone="0899999999"))
    held = [open_commission(rt, make_order(rt, programme, buyer=BUYER_ID, phone="089-999-9999"))[0]
            for _ in range(2)]
    with rt.db.transaction() as session:
        assert session.get(Commission, held[0]).status == "hold"
        commissions.hold_decision(session, ADMIN_ID, held[0], True, rt.clock(), admins)
        commissions.hold_decision(session, ADMIN_ID, held[1], False, rt.clock(), admins)
    assert _one(rt, "hold_release").subject_id == str(held[0])
    assert _one(rt, "hold_cancel").subject_id == str(held[1])


def test_attendance_export_is_logged_as_personal_data_export(app, rt, client):
    now = rt.clock()
    data = trainings.TrainingInput(
        title="ทำขนมไทย", starts_at=now + timedelta(days=3), ends_at=now + timedelta(days=3, hours=6), capacity=10,
        signup_deadline=now + timedelta(days=2), venue_name="หอประชุม", venue_map_url="https://maps.google.com/?q=1,1",
        what_to_bring="-", topic_tags=[], speakers=[])
    with rt.db.transaction() as session:
        training = trainings.create_training(session, data, ADMIN_ID, now)
    staff_login(client, ADMIN_ID)
    assert client.get(f"/console/trainings/{training.id}/attendance.csv").status_code == 200
    row = _one(rt, "export_personal_data")
    assert (row.actor, row.subject_type, row.subject_id, row.detail) == (
        ADMIN_ID, "training", str(training.id), {"file": "attendance.csv", "rows": 0})


def test_detail_with_personal_data_is_refused(rt):
    with pytest.raises(ValueError), rt.db.transaction() as session:
        audit.record(session, ADMIN_ID, "payout", ("payout", 1), {"phone": "0812345678"}, rt.clock())
    with pytest.raises(ValueError), rt.db.transaction() as session:
        audit.record(session, ADMIN_ID, "delete_everything", ("x", 1), {}, rt.clock())


def test_rows_cannot_be_changed_or_deleted(rt):
    with rt.db.transaction() as session:
        audit.record(session, "scheduler", "payout", ("payout", 9), {"amount_satang": 100}, rt.clock())
    with pytest.raises(audit.AppendOnlyError), rt.db.transaction() as session:
        session.scalars(select(AuditEntry)).one().detail = {"amount_satang": 1}
    with pytest.raises(audit.AppendOnlyError), rt.db.transaction() as session:
        session.delete(session.scalars(select(AuditEntry)).one())
    if rt.db.engine.dialect.name == "postgresql":  # the trigger of migration 0020 guards raw SQL too
        with pytest.raises(Exception, match="append-only"), rt.db.transaction() as session:
            session.execute(text("UPDATE audit_entries SET actor = 'someone'"))
        with pytest.raises(Exception, match="append-only"), rt.db.transaction() as session:
            session.execute(text("DELETE FROM audit_entries"))
    assert _one(rt, "payout").detail == {"amount_satang": 100}


def test_no_code_updates_or_deletes_audit_rows():
    pattern = re.compile(r"(update|delete)\(\s*AuditEntry|(UPDATE|DELETE FROM)\s+audit_entries", re.I)
    offenders = [str(path.relative_to(ROOT)) for folder in ("services", "web", "handlers", "scheduler", "bot",
                                                          "models", "manage.py")
                 for path in ([ROOT / folder] if folder.endswith(".py") else (ROOT / folder).rglob("*.py"))
                 if pattern.search(path.read_text(encoding="utf-8"))]
    assert offenders == []


def test_audit_page_is_for_admins_only(app, rt, client):
    with rt.db.transaction() as session:
        staff.ensure_admins(session, rt.settings.ADMIN_LINE_USER_IDS, rt.clock())
        audit.record(session, ADMIN_ID, "grant_role", ("staff_member", 1), {"role": "staff"}, rt.clock())
    assert client.get("/console/audit").status_code == 401
    for role, uid in (("staff", STAFF_ID), ("executive", NEWCOMER_ID)):
        make_staff(rt, uid, role=role)
        other = app.test_client()
        staff_login(other, uid)
        assert other.get("/console/audit").status_code == 403, role
    staff_login(client, ADMIN_ID)
    page = client.get("/console/audit")
    assert page.status_code == 200
    assert "ให้สิทธิ์" in page.get_data(as_text=True)


def test_audit_page_filters_newest_first_and_pages(app, rt, client):
    start = rt.clock()
    with rt.db.transaction() as session:
        staff.ensure_admins(session, rt.settings.ADMIN_LINE_USER_IDS, start)
        for i in range(60):
            audit.record(session, ADMIN_ID, "payout", ("payout", i), {}, start - timedelta(hours=i))
        audit.record(session, "scheduler", "certify", ("certification", 99), {}, start - timedelta(days=10))
    staff_login(client, ADMIN_ID)
    html = client.get("/console/audit?action=payout").get_data(as_text=True)
    ids = re.findall(r'data-audit-entry="(\d+)"', html)
    assert ids == [str(i) for i in range(1, 51)]  # inserted newest first, each an hour older: newest first
    assert "หน้า 1 จาก 2 (60 รายการ)" in html
    second = client.get("/console/audit?action=payout&page=2").get_data(as_text=True)
    assert len(re.findall(r"data-audit-entry=", second)) == 10
    assert "(1 รายการ)" in client.get("/console/audit?actor=scheduler").get_data(as_text=True)
    day = (start - timedelta(days=10)).astimezone(ZoneInfo("Asia/Bangkok")).date().isoformat()
    by_day = client.get(f"/console/audit?from={day}&to={day}").get_data(as_text=True)
    assert "(1 รายการ)" in by_day and "รับรองสินค้า" in by_day
    assert "วันที่ไม่ถูกต้อง" in client.get("/console/audit?from=2569-13-40").get_data(as_text=True)
