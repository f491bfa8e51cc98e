"""The commissions console: staff only (checked on every request), CSRF on every form, holds decided, payouts
recorded, fraud flags decided, the list filtered and downloaded."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from models.orders import Commission, CommissionPayout
from models.platform import Citizen
from models.referrals import ReferralFlag, ReferralLink
from tests.commissions.conftest import SHARER_ID, approved_commission, make_order, open_commission
from tests.conftest import ADMIN_ID
from tests.web.conftest import csrf_from, staff_login

PAGE = "/console/commissions"


@pytest.fixture
def console(app):
    """Signs a fresh client in as the admin (call it after moving the clock: a console session times out)."""
    def signed_in():
        client = app.test_client()
        staff_login(client, ADMIN_ID)
        return client
    return signed_in


@pytest.mark.parametrize(("method", "path"), [
    ("get", PAGE), ("get", f"{PAGE}/export.csv"), ("post", f"{PAGE}/1/hold"), ("post", f"{PAGE}/payouts"),
    ("post", f"{PAGE}/flags/1"),
])
def test_non_staff_get_no_data(client, programme, rt, method, path):
    approved_commission(rt, programme)
    response = getattr(client, method)(path, data={"decision": "approve"})
    assert response.status_code in (302, 401, 403)
    assert "ไข่เค็มไชยา" not in response.get_data(as_text=True)


def test_staff_decide_a_hold_with_csrf(console, rt, programme):
    with rt.db.transaction() as session:
        session.add(Citizen(line_user_id=SHARER_ID, phone="0899999999"))
    held_id = open_commission(rt, make_order(rt, programme, phone="0899999999"))[0]
    staff = console()
    page = staff.get(PAGE).get_data(as_text=True)
    assert f'data-hold="{held_id}"' in page and "ผู้ซื้อใช้เบอร์โทรเดียวกับผู้แนะนำ" in page
    assert staff.post(f"{PAGE}/{held_id}/hold", data={"decision": "approve"}).status_code == 400  # no CSRF token
    response = staff.post(f"{PAGE}/{held_id}/hold", data={"decision": "approve", "csrf_token": csrf_from(page)},
                          follow_redirects=True)
    assert "ให้ค่าแนะนำรายการ" in response.get_data(as_text=True)
    with rt.db.transaction() as session:
        assert session.get(Commission, held_id).status == "pending"
    again = staff.post(f"{PAGE}/{held_id}/hold", data={"decision": "reverse", "csrf_token": csrf_from(page)},
                       follow_redirects=True)
    assert "ตัดสินไปแล้ว" in again.get_data(as_text=True)


def test_staff_record_a_payout_and_filter_and_download(console, rt, programme):
    approved_commission(rt, programme, quantity=4)
    open_commission(rt, make_order(rt, programme))
    staff = console()
    page = staff.get(PAGE).get_data(as_text=True)
    assert f'data-owed="{programme.vendor_id}-{programme.sharer_id}"' in page and "14 บาท" in page
    token = csrf_from(page)
    stale = staff.post(f"{PAGE}/payouts", data={"vendor": programme.vendor_id, "sharer": programme.sharer_id,
                                                "amount": "9999", "csrf_token": token}, follow_redirects=True)
    assert "ยอดล่าสุดคือ 14 บาท" in stale.get_data(as_text=True)
    done = staff.post(f"{PAGE}/payouts", data={"vendor": programme.vendor_id, "sharer": programme.sharer_id,
                                               "amount": "1400", "note": "โอนแทนร้าน", "csrf_token": token},
                      follow_redirects=True)
    assert "บันทึกการโอน 14 บาท" in done.get_data(as_text=True)
    with rt.db.transaction() as session:
        assert session.scalar(select(CommissionPayout.note)) == "โอนแทนร้าน"
    paid = staff.get(f"{PAGE}?status=paid").get_data(as_text=True)
    assert paid.count('data-status="paid"') == 1 and 'data-status="pending"' not in paid
    csv = staff.get(f"{PAGE}/export.csv?status=pending")
    text = csv.get_data(as_text=True)
    assert csv.mimetype == "text/csv" and text.startswith("\ufeffเลขที่")
    assert text.count("\n") == 2 and "รอผู้ซื้อได้รับของ" in text


def test_staff_decide_a_fraud_flag(console, rt, programme):
    with rt.db.transaction() as session:
        flag = ReferralFlag(sharer_id=programme.sharer_id, detail={"clicks": 900, "orders": 1}, created_at=rt.clock())
        session.add(flag)
        session.flush()
        flag_id = flag.id
    staff = console()
    page = staff.get(PAGE).get_data(as_text=True)
    assert f'data-flag="{flag_id}"' in page and "คลิก 900 ครั้ง" in page
    staff.post(f"{PAGE}/flags/{flag_id}", data={"decision": "confirm", "csrf_token": csrf_from(page)})
    with rt.db.transaction() as session:
        assert session.get(ReferralFlag, flag_id).status == "confirmed"
        assert session.scalar(select(ReferralLink.disabled_at)) is not None
    assert f'data-flag="{flag_id}"' not in staff.get(PAGE).get_data(as_text=True)
