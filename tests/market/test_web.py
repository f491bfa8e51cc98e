"""Market web: public product and certificate pages, the staff console queue, and the REST API."""

from __future__ import annotations

import io
from urllib.parse import unquote

import pytest
from PIL import Image
from sqlalchemy import select, update

from models.market import Certification, Product, Vendor
from services import certification, privacy
from tests.conftest import ADMIN_ID, API_TOKEN
from tests.market.conftest import approved_shop, latest_product, pending_shop, posted_product, seed_listed
from tests.web.conftest import STAFF_ID, csrf_from, make_staff, staff_login

AUTH = {"Authorization": f"Bearer {API_TOKEN}"}


def _cert(rt, product_id: int) -> Certification:
    with rt.db.transaction() as session:
        return session.scalars(select(Certification).where(Certification.product_id == product_id)
                               .order_by(Certification.id.desc())).first()


# ---- public pages ----------------------------------------------------------------------------------------------------
def test_product_page_shows_price_shop_certificate_and_share_links(client, rt):
    pid = seed_listed(rt, 1, name="ข้าวหอมมะลิ")[0]
    response = client.get(f"/market/p/{pid}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "ข้าวหอมมะลิ 1" in html and "35 บาท / ชิ้น" in html and "ร้านทดสอบ" in html
    assert "KK-2569-000001" in html and "/market/c/KK-2569-000001" in html
    assert "https://line.me/R/share?text=" in html and "facebook.com/sharer" in html
    assert "https://line.me/R/oaMessage/%40kkpao/?" in html
    assert unquote("%E0%B8%AA%E0%B8%99%E0%B9%83%E0%B8%88") in unquote(html)  # "สนใจ..." prefilled
    assert 'href="tel:0812345678"' in html
    assert '<meta property="og:title" content="ข้าวหอมมะลิ 1">' in html


def test_unknown_hidden_and_never_certified_products_are_not_public(client, rt, chat, admin):
    assert client.get("/market/p/999").status_code == 404
    assert client.get("/market/p/abc").status_code == 404
    pid = seed_listed(rt, 1)[0]
    with rt.db.transaction() as session:
        session.execute(update(Product).where(Product.id == pid).values(hidden=True))
    assert client.get(f"/market/p/{pid}").status_code == 404
    somsri = chat("สมศรี")
    approved_shop(somsri, rt)
    posted_product(somsri, rt)
    assert client.get(f"/market/p/{latest_product(rt, somsri).id}").status_code == 404  # still under review


def test_a_revoked_product_page_says_so_and_offers_no_contact(client, rt):
    pid = seed_listed(rt, 1)[0]
    cert_id = _cert(rt, pid).id
    with rt.db.transaction() as session:
        certification.revoke(session, cert_id, "api", "พบสารปนเปื้อน", rt.clock())
    html = client.get(f"/market/p/{pid}").get_data(as_text=True)
    assert "ยังไม่อยู่ในตลาดชุมชน (ถูกเพิกถอนการรับรอง)" in html and "tel:" not in html


def test_a_deleted_product_is_gone(client, rt, chat):
    somsri = chat("สมศรี")
    approved_shop(somsri, rt)
    posted_product(somsri, rt)
    from tests.market.conftest import certify

    product = latest_product(rt, somsri)
    certify(rt, product.id)
    somsri.says("สินค้าของฉัน")
    somsri.taps("ลบ")
    somsri.taps("ลบเลย")
    assert client.get(f"/market/p/{product.id}").status_code == 410


@pytest.mark.parametrize("state,text", [
    ("valid", "ใบรับรองนี้ใช้ได้"), ("expired", "ใบรับรองนี้หมดอายุแล้ว"), ("revoked", "ใบรับรองนี้ถูกเพิกถอนแล้ว"),
])
def test_certificate_page_shows_each_status(client, rt, clock, state, text):
    pid = seed_listed(rt, 1, name="ผ้าไหมแพรวา")[0]
    cert = _cert(rt, pid)
    if state == "revoked":
        with rt.db.transaction() as session:
            certification.revoke(session, cert.id, "api", "ปลอมแปลงฉลาก", clock())
    if state == "expired":
        clock.advance(days=366)
    html = client.get(f"/market/c/{cert.number}").get_data(as_text=True)
    assert text in html and cert.number in html and "ผ้าไหมแพรวา 1" in html and "ร้านทดสอบ" in html
    assert "23 พฤศจิกายน 2569" in html and "23 พฤศจิกายน 2570" in html
    if state == "revoked":
        assert "ปลอมแปลงฉลาก" in html


def test_unknown_certificate_warns_the_buyer(client):
    response = client.get("/market/c/KK-2569-999999")
    assert response.status_code == 404 and "ไม่พบใบรับรอง" in response.get_data(as_text=True)
    assert client.get("/market/c/not-a-number").status_code == 404
    assert client.get("/market/c/KK-2569-999999/qr.png").status_code == 404


def test_qr_code_and_label_are_png_and_link_to_the_check_page(client, rt):
    pid = seed_listed(rt, 1)[0]
    number = _cert(rt, pid).number
    qr = client.get(f"/market/c/{number}/qr.png")
    assert qr.status_code == 200 and qr.mimetype == "image/png"
    assert Image.open(io.BytesIO(qr.data)).size[0] >= 200
    label = client.get(f"/market/c/{number.lower()}/label.png")
    assert label.status_code == 200 and Image.open(io.BytesIO(label.data)).size == (600, 700)


# ---- console ---------------------------------------------------------------------------------------------------------
def test_console_market_needs_a_staff_sign_in(client):
    assert client.get("/console/market").status_code == 401
    assert client.post("/console/market/certifications/1/approve").status_code in (400, 401)


def test_console_queue_approves_a_shop_and_certifies_a_product(client, rt, chat):
    somsri = chat("สมศรี")
    pending_shop(somsri, rt)
    staff_login(client, ADMIN_ID)
    page = client.get("/console/market")
    html = page.get_data(as_text=True)
    assert "ร้านป้าศรีผ้าไหม" in html and "ศรีสุดา ใจดี" in html
    with rt.db.transaction() as session:
        vendor_id = session.scalars(select(Vendor.id)).one()
    response = client.post(f"/console/market/vendors/{vendor_id}/approve", data={"csrf_token": csrf_from(html)})
    assert response.status_code == 302
    assert "อนุมัติร้าน" in client.get("/console/market").get_data(as_text=True)
    assert "ได้รับการอนุมัติแล้ว" in somsri.collect().text
    posted_product(somsri, rt)
    html = client.get("/console/market").get_data(as_text=True)
    assert "ผ้าไหมมัดหมี่ลายนาค" in html
    cert_id = _cert(rt, latest_product(rt, somsri).id).id
    client.post(f"/console/market/certifications/{cert_id}/approve", data={"csrf_token": csrf_from(html)})
    assert latest_product(rt, somsri).cert_status == "certified"
    detail = client.get(f"/console/market/products/{latest_product(rt, somsri).id}").get_data(as_text=True)
    assert "KK-2569-000001" in detail and "เพิกถอนใบรับรอง" in detail


def test_console_reject_needs_a_reason_and_revoke_works(client, rt):
    pid = seed_listed(rt, 1)[0]
    cert = _cert(rt, pid)
    make_staff(rt, STAFF_ID)
    staff_login(client, STAFF_ID)
    html = client.get(f"/console/market/products/{pid}").get_data(as_text=True)
    token = csrf_from(html)
    client.post(f"/console/market/certifications/{cert.id}/revoke", data={"csrf_token": token, "reason": "x"})
    assert "3–200" in client.get("/console/market/certified").get_data(as_text=True)
    assert _cert(rt, pid).status == "certified"
    client.post(f"/console/market/certifications/{cert.id}/revoke",
                data={"csrf_token": token, "reason": "ผู้ซื้อร้องเรียน", "next": "https://evil.example/"})
    assert _cert(rt, pid).status == "revoked"


def test_console_refuses_without_csrf(client, rt):
    pid = seed_listed(rt, 1)[0]
    staff_login(client, ADMIN_ID)
    response = client.post(f"/console/market/certifications/{_cert(rt, pid).id}/revoke", data={"reason": "abc"})
    assert response.status_code == 400 and _cert(rt, pid).status == "certified"


def test_console_pages_render(client, rt, chat):
    seed_listed(rt, 2)
    staff_login(client, ADMIN_ID)
    for path in ("/console/market", "/console/market/vendors", "/console/market/vendors?status=approved",
                 "/console/market/certified", "/console/market/vendors/1", "/console/market/products/1"):
        response = client.get(path)
        assert response.status_code == 200, path
    assert client.get("/console/market/products/999").status_code == 404


# ---- API ---------------------------------------------------------------------------------------------------------------
def test_api_lists_and_reads_products_vendors_and_certifications(client, rt):
    pid = seed_listed(rt, 3)[0]
    products = client.get("/api/v1/products?listed=true&limit=2", headers=AUTH).get_json()
    assert len(products["data"]) == 2 and products["next_cursor"]
    one = client.get(f"/api/v1/products/{pid}", headers=AUTH).get_json()
    assert one["listed"] is True and one["public_url"] == f"http://kk.test/market/p/{pid}"
    assert one["cert_status"] == "certified" and one["price_text"] == "35 บาท / ชิ้น"
    vendors = client.get("/api/v1/vendors?status=approved", headers=AUTH).get_json()["data"]
    assert vendors[0]["shop_name"] == "ร้านทดสอบ"
    assert "phone" not in vendors[0] and "owner_name" not in vendors[0] and "line_user_id" not in vendors[0]
    certs = client.get("/api/v1/certifications?status=certified", headers=AUTH).get_json()["data"]
    assert certs[0]["number"] == "KK-2569-000001" and certs[0]["verify_url"].endswith("/market/c/KK-2569-000001")
    assert client.get("/api/v1/products/999", headers=AUTH).status_code == 404
    assert client.get("/api/v1/products?category=weapons", headers=AUTH).status_code == 422


def test_api_needs_the_token(client):
    assert client.get("/api/v1/products").status_code == 401
    assert client.post("/api/v1/certifications/1/approve").status_code == 401


def test_api_reviews_certifications_and_vendors(client, rt, chat):
    somsri = chat("สมศรี")
    pending_shop(somsri, rt)
    vendor_id = client.get("/api/v1/vendors?status=pending", headers=AUTH).get_json()["data"][0]["id"]
    assert client.post(f"/api/v1/vendors/{vendor_id}/approve", headers=AUTH).get_json()["status"] == "approved"
    assert client.post(f"/api/v1/vendors/{vendor_id}/approve", headers=AUTH).status_code == 409
    posted_product(somsri, rt)
    queue = client.get("/api/v1/certifications?status=submitted", headers=AUTH).get_json()["data"]
    cert_id = queue[0]["id"]
    bad = client.post(f"/api/v1/certifications/{cert_id}/reject", headers=AUTH, json={"reason": ""})
    assert bad.status_code == 422
    rejected = client.post(f"/api/v1/certifications/{cert_id}/reject", headers=AUTH, json={"reason": "รูปไม่ชัด"})
    assert rejected.get_json()["status"] == "rejected"
    somsri.collect()
    somsri.says("สินค้าของฉัน")
    somsri.taps("ขอรับรองใหม่")
    cert_id = client.get("/api/v1/certifications?status=submitted", headers=AUTH).get_json()["data"][0]["id"]
    approved = client.post(f"/api/v1/certifications/{cert_id}/approve", headers=AUTH).get_json()
    assert approved["status"] == "certified" and approved["number"] == "KK-2569-000001"
    revoked = client.post(f"/api/v1/certifications/{cert_id}/revoke", headers=AUTH,
                          json={"reason": "ตรวจพบปัญหา"}).get_json()
    assert revoked["status"] == "revoked"
    assert client.post(f"/api/v1/certifications/{cert_id}/revoke", headers=AUTH,
                       json={"reason": "ซ้ำอีก"}).status_code == 409


def test_openapi_document_lists_the_market_operations(client):
    document = client.get("/api/v1/openapi.json").get_json()
    for path in ("/vendors", "/vendors/{vendor_id}/approve", "/vendors/{vendor_id}/reject", "/products",
                 "/products/{product_id}", "/certifications", "/certifications/{cert_id}",
                 "/certifications/{cert_id}/approve", "/certifications/{cert_id}/reject",
                 "/certifications/{cert_id}/revoke"):
        assert path in document["paths"], path
    assert "VendorOut" in document["components"]["schemas"]
    from openapi_spec_validator import validate

    validate(document)


# ---- PDPA ----------------------------------------------------------------------------------------------------------------
def test_vendor_data_is_exported_and_erased(rt, chat, client):
    somsri = chat("สมศรี")
    somsri.follow()
    approved_shop(somsri, rt)
    posted_product(somsri, rt)
    from tests.market.conftest import certify

    product = latest_product(rt, somsri)
    number = certify(rt, product.id).number
    with rt.db.transaction() as session:
        exported = privacy.collect_personal_data(session, somsri.user_id)
    shop = exported["vendors"]["shop"]
    assert shop["owner_name"] == "ศรีสุดา ใจดี" and shop["phone"] == "0812345678"
    assert exported["vendors"]["products"][0]["name"] == "ผ้าไหมมัดหมี่ลายนาค"
    with rt.db.transaction() as session:
        privacy.erase_personal_data(session, somsri.user_id, rt.clock())
    with rt.db.transaction() as session:
        vendor = session.scalars(select(Vendor)).one()
        assert (vendor.line_user_id, vendor.owner_name, vendor.phone, vendor.promptpay_id,
                vendor.pickup_address) == (None, None, None, None, None)
        assert session.get(Product, product.id).deleted_at is not None
    assert "ถูกเพิกถอน" in client.get(f"/market/c/{number}").get_data(as_text=True)
    assert client.get(f"/market/p/{product.id}").status_code == 410
