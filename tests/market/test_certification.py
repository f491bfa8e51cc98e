"""Certification: the state machine (submitted, certified, rejected, expired, revoked), numbers, reminders, expiry."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from handlers.market_review import CertDecision
from models.market import Certification, Product
from scheduler.jobs_market import expire_certificates, purge_draft_photos, remind_expiring_certificates
from services import catalog, certification
from services.errors import DomainError
from tests.conftest import ADMIN_ID, PUBLIC_BASE_URL
from tests.market.conftest import approved_shop, latest_product, posted_product, seed_listed


@pytest.fixture
def seller(chat, rt, admin):
    somsri = chat("สมศรี")
    somsri.follow()
    approved_shop(somsri, rt)
    posted_product(somsri, rt, tell_reviewers=True)
    admin.collect()  # the product's notice, with its own อนุมัติ / ไม่อนุมัติ
    return somsri


def _cert(rt, product_id: int) -> Certification:
    with rt.db.transaction() as session:
        return session.scalars(select(Certification).where(Certification.product_id == product_id)
                               .order_by(Certification.id.desc())).first()


def _product(rt, product_id: int) -> Product:
    with rt.db.transaction() as session:
        return session.get(Product, product_id)


def test_staff_certify_from_the_chat_notice_with_a_buddhist_era_number(seller, rt, admin):
    reply = admin.taps("อนุมัติ")
    assert "เลขที่ KK-2569-000001" in reply.text and "ใช้ได้ถึง 23 พ.ย. 2570" in reply.text
    told = seller.collect()
    assert "ผ่านการรับรองแล้ว" in told.text and "ใบรับรอง/QR" in told.labels()
    product = latest_product(rt, seller)
    cert = _cert(rt, product.id)
    assert cert.status == "certified" and cert.valid_until - cert.valid_from == timedelta(days=365)
    assert product.cert_status == "certified" and product.certified_until == cert.valid_until
    assert "ดำเนินการไปแล้ว" in admin.taps("อนุมัติ").text


def test_certificate_numbers_are_unique_sequential_and_readable(rt):
    ids = seed_listed(rt, 3)
    numbers = [_cert(rt, pid).number for pid in ids]
    assert numbers == ["KK-2569-000001", "KK-2569-000002", "KK-2569-000003"]
    assert all(re.fullmatch(r"KK-\d{4}-\d{6}", n) for n in numbers)


def test_numbering_restarts_each_buddhist_year(rt, clock):
    seed_listed(rt, 1)
    clock.set(clock().replace(year=2027, month=1, day=2))
    ids = seed_listed(rt, 1, line_user_id="U" + "8" * 32)
    assert _cert(rt, ids[0]).number == "KK-2570-000001"


def test_staff_reject_with_a_reason_the_vendor_sees_then_resubmit(seller, rt, admin):
    admin.taps("ไม่อนุมัติ")
    assert "ไม่อนุมัติ “ผ้าไหมมัดหมี่ลายนาค” แล้ว" in admin.taps("รูปสินค้าไม่ชัด").text
    told = seller.collect()
    assert "ยังไม่ผ่านการรับรอง" in told.text and "รูปสินค้าไม่ชัด" in told.text
    product = latest_product(rt, seller)
    assert product.cert_status == "rejected"
    reply = seller.says("สินค้าของฉัน")
    assert "เหตุผล: รูปสินค้าไม่ชัด" in reply.text
    assert "ส่ง “ผ้าไหมมัดหมี่ลายนาค” ให้เจ้าหน้าที่ตรวจรับรองอีกครั้งแล้ว" in seller.taps("ขอรับรองใหม่").text
    assert latest_product(rt, seller).cert_status == "submitted"
    assert "สินค้ารอตรวจรับรอง" in admin.collect().text


def test_a_citizen_cannot_certify_with_forged_button_data(seller, chat, rt):
    mallory = chat("มัลลอรี")
    cert_id = _cert(rt, latest_product(rt, seller).id).id
    assert "สำหรับเจ้าหน้าที่เท่านั้น" in mallory.postback(CertDecision(cert_id, True).pack()).text
    assert "สำหรับเจ้าหน้าที่เท่านั้น" in mallory.postback(CertDecision(cert_id, False).pack()).text
    assert _cert(rt, latest_product(rt, seller).id).status == "submitted"


def test_the_state_machine_refuses_invalid_transitions(rt):
    pid = seed_listed(rt, 1)[0]
    cert = _cert(rt, pid)
    now = rt.clock()
    with rt.db.transaction() as session:
        with pytest.raises(DomainError):  # certified cannot be approved again
            certification.approve(session, cert.id, "api", now, PUBLIC_BASE_URL)
        with pytest.raises(DomainError):  # nor rejected
            certification.reject(session, cert.id, "api", "ข้อมูลไม่ครบ", now)
    with rt.db.transaction() as session:
        certification.revoke(session, cert.id, "api", "พบสารปนเปื้อน", now)
    with rt.db.transaction() as session, pytest.raises(DomainError):  # revoked is final
        certification.revoke(session, cert.id, "api", "ซ้ำ", now)
    assert _cert(rt, pid).status == "revoked"


def test_only_staff_review(rt):
    cert_id = _cert(rt, seed_listed(rt, 1)[0]).id
    with rt.db.transaction() as session, pytest.raises(DomainError) as caught:
        certification.revoke(session, cert_id, "U" + "5" * 32, "ไม่ชอบ", rt.clock())
    assert caught.value.code == "staff_only"


def test_revoke_takes_the_product_off_the_catalog_and_tells_the_vendor(seller, rt, admin):
    admin.taps("อนุมัติ")
    seller.collect()
    cert_id = _cert(rt, latest_product(rt, seller).id).id
    with rt.db.transaction() as session:
        assert catalog.browse(session, rt.clock()).total == 1
        certification.revoke(session, cert_id, ADMIN_ID, "ผู้ซื้อร้องเรียนคุณภาพ", rt.clock(),
                             rt.settings.ADMIN_LINE_USER_IDS)
    rt.process_pending()
    told = seller.collect()
    assert "ถูกเพิกถอน" in told.text and "ผู้ซื้อร้องเรียนคุณภาพ" in told.text
    with rt.db.transaction() as session:
        assert catalog.browse(session, rt.clock()).total == 0
    assert latest_product(rt, seller).cert_status == "revoked"


def test_expiry_scan_removes_the_product_and_is_idempotent(seller, rt, admin, clock):
    admin.taps("อนุมัติ")
    seller.collect()
    clock.advance(days=366)
    with rt.db.transaction() as session:  # already hidden from buyers before the scan runs
        assert catalog.browse(session, clock()).total == 0
    assert expire_certificates(rt, clock()) == 1
    assert expire_certificates(rt, clock()) == 0
    rt.process_pending()
    told = seller.collect()
    assert "หมดอายุแล้ว" in told.text and len(told.messages) == 1
    product = latest_product(rt, seller)
    assert product.cert_status == "expired" and product.certified_until is None
    assert _cert(rt, product.id).status == "expired"


def test_reminder_14_days_before_expiry_is_sent_once(seller, rt, admin, clock):
    admin.taps("อนุมัติ")
    seller.collect()
    clock.advance(days=365 - 15)
    assert remind_expiring_certificates(rt, clock()) == 0  # not yet
    clock.advance(days=2)
    assert remind_expiring_certificates(rt, clock()) == 1
    assert remind_expiring_certificates(rt, clock()) == 0
    rt.process_pending()
    told = seller.collect()
    assert "จะหมดอายุวันที่ 23 พ.ย. 2570" in told.text and len(told.messages) == 1


def test_renewal_before_expiry_keeps_the_product_listed_and_skips_the_reminder(seller, rt, admin, clock):
    admin.taps("อนุมัติ")
    seller.collect()
    admin.collect()
    clock.advance(days=340)
    reply = seller.says("สินค้าของฉัน")
    assert "ต่ออายุใบรับรอง" in reply.labels()
    seller.taps("ต่ออายุใบรับรอง")
    assert latest_product(rt, seller).cert_status == "certified"  # still listed while the renewal waits
    assert remind_expiring_certificates(rt, clock()) == 0
    admin.collect()
    assert "KK-2570-000001" in admin.taps("อนุมัติ").text  # approved in the next Buddhist year
    clock.advance(days=30)
    assert expire_certificates(rt, clock()) == 1  # the old certificate ends...
    product = latest_product(rt, seller)
    assert product.cert_status == "certified"  # ...but the renewed one keeps the product in the catalog
    rt.process_pending()
    assert "หมดอายุ" not in seller.collect().text


def test_renewal_is_not_offered_long_before_expiry(seller, rt, admin):
    admin.taps("อนุมัติ")
    seller.collect()
    assert "ต่ออายุใบรับรอง" not in seller.says("สินค้าของฉัน").labels()
    product_id = latest_product(rt, seller).id
    with rt.db.transaction() as session, pytest.raises(DomainError):
        certification.resubmit(session, seller.user_id, product_id, rt.clock())


def test_public_status_reads_valid_expired_revoked(rt, clock):
    ids = seed_listed(rt, 2)
    first, second = (_cert(rt, pid) for pid in ids)
    assert certification.public_status(first, clock()) == "valid"
    with rt.db.transaction() as session:
        certification.revoke(session, second.id, "api", "ปลอมแปลงฉลาก", clock())
    assert certification.public_status(_cert(rt, ids[1]), clock()) == "revoked"
    assert certification.public_status(_cert(rt, ids[0]), clock() + timedelta(days=400)) == "expired"


def test_draft_photo_purge_is_idempotent(seller, rt, clock):
    from tests.market.conftest import jpeg

    seller.says("ลงขายสินค้า")
    for answer in ("แหนมหมูสด", None, "50", "แพ็ก", "แหนมสูตรบ้านไผ่ หมักธรรมชาติ"):
        seller.taps("อาหารแปรรูป") if answer is None else seller.says(answer)
    seller.taps("เสร็จแล้ว")
    seller.sends_image(jpeg())
    seller.says("ยกเลิก")
    assert purge_draft_photos(rt, clock()) == 0  # too fresh: the person may come back
    clock.advance(days=2)
    assert purge_draft_photos(rt, clock()) == 1
    assert purge_draft_photos(rt, clock()) == 0


def test_qr_label_renders_thai_text(rt):
    pid = seed_listed(rt, 1, name="ผ้าไหมแพรวา")[0]
    cert_id = _cert(rt, pid).id
    with rt.db.transaction() as session:
        cert = session.get(Certification, cert_id)
        png = certification.label_png(cert, PUBLIC_BASE_URL)
    assert png.startswith(b"\x89PNG") and len(png) > 2000
