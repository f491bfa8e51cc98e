"""Staff decide re-inspections in the console: keep (the flag clears) or revoke with a reason (the certificate ends),
record a complaint that reached them; every step in the product's history; staff-only and CSRF-protected."""

from __future__ import annotations

from models.market import Certification, Product
from services import buyer_feedback
from tests.conftest import ADMIN_ID
from tests.feedback.conftest import answer
from tests.market.conftest import seed_listed
from tests.web.conftest import csrf_from, staff_login


def _flag(rt, pid):
    with rt.db.transaction() as session:
        row = buyer_feedback.open_reinspection(session, pid)
        return row.cause if row else None


def _low(rt, pid):
    for value in (1, 2, 2, 2, 2):
        answer(rt, pid, product=value)
    assert _flag(rt, pid) == "rating"


def test_only_signed_in_staff_with_a_csrf_token_decide(client, rt):
    pid = seed_listed(rt, 1)[0]
    _low(rt, pid)
    for path in ("keep", "revoke", "complaint"):
        assert client.post(f"/console/market/products/{pid}/{path}").status_code in (400, 401)
    assert client.get("/console/market/reinspections").status_code == 401
    staff_login(client, ADMIN_ID)
    response = client.post(f"/console/market/products/{pid}/keep", data={"reason": "ตรวจแล้ว"})
    assert response.status_code == 400 and _flag(rt, pid) == "rating"


def test_staff_keep_clears_the_flag_and_the_rolling_rating_starts_afresh(client, rt, chat):
    admin = chat("แอดมิน อบจ.", user_id=ADMIN_ID)
    admin.follow()
    admin.collect()
    pid = seed_listed(rt, 1, name="แหนม")[0]
    _low(rt, pid)
    rt.process_pending()
    assert "สินค้า “แหนม 1” (ร้านทดสอบ) ต้องตรวจสอบซ้ำ: คะแนนจากผู้ซื้อต่ำกว่าเกณฑ์" in admin.collect().body
    staff_login(client, ADMIN_ID)
    waiting = client.get("/console/market/reinspections").get_data(as_text=True)
    assert "แหนม 1" in waiting and "คะแนนจากผู้ซื้อต่ำกว่าเกณฑ์" in waiting
    html = client.get(f"/console/market/products/{pid}").get_data(as_text=True)
    assert "อยู่ระหว่างตรวจสอบซ้ำ" in html and "คงการรับรอง" in html
    rt.clock.advance(minutes=5)
    client.post(f"/console/market/products/{pid}/keep", data={"csrf_token": csrf_from(html), "reason": "ตรวจโรงงานแล้ว"})
    assert _flag(rt, pid) is None
    answer(rt, pid, product=2)  # one low answer after the keep: not five yet, no new flag
    assert _flag(rt, pid) is None
    html = client.get(f"/console/market/products/{pid}").get_data(as_text=True)
    assert "ตรวจสอบซ้ำแล้ว คงการรับรอง" in html and "ตรวจโรงงานแล้ว" in html and "ให้ตรวจสอบซ้ำ" in html


def test_staff_revoke_with_a_reason_ends_the_certificate(client, rt, chat):
    pid = seed_listed(rt, 1)[0]
    _low(rt, pid)
    staff_login(client, ADMIN_ID)
    token = csrf_from(client.get(f"/console/market/products/{pid}").get_data(as_text=True))
    client.post(f"/console/market/products/{pid}/revoke", data={"csrf_token": token, "reason": "x"})
    assert _flag(rt, pid) == "rating"  # a reason is required (3-200 characters)
    client.post(f"/console/market/products/{pid}/revoke", data={"csrf_token": token, "reason": "สินค้าไม่ได้มาตรฐาน"})
    with rt.db.transaction() as session:
        cert = session.query(Certification).filter_by(product_id=pid).one()
        assert cert.status == "revoked" and cert.reason == "สินค้าไม่ได้มาตรฐาน"
        assert session.get(Product, pid).cert_status == "revoked"
        assert [e.kind for e in buyer_feedback.events(session, pid)] == ["flagged", "revoked"]
    assert _flag(rt, pid) is None
    html = client.get(f"/console/market/products/{pid}").get_data(as_text=True)
    assert "ตรวจสอบซ้ำแล้ว เพิกถอนการรับรอง" in html


def test_a_complaint_reported_by_staff_flags_the_product(client, rt):
    pid = seed_listed(rt, 1)[0]
    staff_login(client, ADMIN_ID)
    html = client.get(f"/console/market/products/{pid}").get_data(as_text=True)
    assert "แจ้งเรื่องร้องเรียน" in html
    client.post(f"/console/market/products/{pid}/complaint",
                data={"csrf_token": csrf_from(html), "detail": "ผู้ซื้อโทรแจ้งว่าขนมหมดอายุ"})
    assert _flag(rt, pid) == "complaint"
    assert "อยู่ระหว่างตรวจสอบซ้ำ" in client.get(f"/market/p/{pid}").get_data(as_text=True)
    html = client.get(f"/console/market/products/{pid}").get_data(as_text=True)
    assert "ผู้ซื้อโทรแจ้งว่าขนมหมดอายุ" in html and "เรื่องร้องเรียน" in html
    client.post(f"/console/market/products/{pid}/keep", data={"csrf_token": csrf_from(html)})
    assert _flag(rt, pid) is None
    assert "อยู่ระหว่างตรวจสอบซ้ำ" not in client.get(f"/market/p/{pid}").get_data(as_text=True)
