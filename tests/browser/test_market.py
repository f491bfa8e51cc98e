"""The public product and certificate pages in a real browser, on a phone-sized screen: photos load, the
certified badge leads to the check page, its QR code loads, and a revoked certificate reads as revoked."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from PIL import Image, ImageDraw

from models.market import Product, Vendor
from services import certification, consent, images
from tests.browser.conftest import SCREENSHOT_DIR, new_page, serve
from tests.conftest import _wipe

pytestmark = pytest.mark.browser


def _photo(colour: tuple[int, int, int]) -> bytes:
    picture = Image.new("RGB", (900, 900), colour)
    draw = ImageDraw.Draw(picture)
    draw.ellipse((200, 200, 700, 700), fill=(250, 240, 220))
    out = io.BytesIO()
    picture.save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def site(app_config, database_url, line) -> Iterator[tuple[str, Any]]:
    """The app on a live port, its PUBLIC_BASE_URL that port (so photo links load in the browser)."""
    from app import create_app

    server = serve()
    _wipe(database_url)
    app = create_app({**app_config, "PUBLIC_BASE_URL": server.base_url})
    server.server.app = app
    try:
        yield server.base_url, app.extensions["kk"]
    finally:
        server.stop()
        app.extensions["kk"].stop()
        app.extensions["kk"].db.dispose()


def _listed_product(rt: Any) -> tuple[int, str, int]:
    now = rt.clock()
    uid = "U" + "6" * 32
    with rt.db.transaction() as session:
        consent.grant(session, uid, consent.MARKET_VENDOR, now)
        vendor = Vendor(line_user_id=uid, shop_name="ร้านแม่บัวผ้าไหม", owner_name="บัว ศรีสุข", phone="0812345678",
                        district="chonnabot", pickup_address="99 หมู่ 3 ต.ชนบท", sales_channels=["line", "facebook"],
                        facebook_url="https://www.facebook.com/maebuasilk", delivery_options=["thailand_post", "pickup"],
                        status="approved", created_at=now, updated_at=now)
        session.add(vendor)
        session.flush()
        product = Product(vendor_id=vendor.id, name="ผ้าไหมมัดหมี่ลายนาคสีครามธรรมชาติ", category="textile",
                          price_satang=185000, unit="ผืน",
                          description="ทอมือจากบ้านโนนฆ้อง อ.ชนบท\nย้อมครามธรรมชาติ ขนาด 2 เมตร",
                          selling_points=["local", "handmade"], photos=[], stock=4, hidden=False,
                          cert_status="submitted", created_at=now, updated_at=now)
        session.add(product)
        session.flush()
        photos = []
        for colour in ((30, 60, 140), (120, 40, 90)):
            row = images.save_image(session, images.accept_image(_photo(colour)), kind="product",
                                    owner_key=f"product:{product.id}", now=now)
            photos.append({"id": row.id, "digest": row.digest})
        product.photos = photos
        cert = certification.submit(session, product, now)
        certification.approve(session, cert.id, "api", now, rt.settings.public_base_url)
        return product.id, cert.number, cert.id


def _loaded(page: Any, selector: str) -> bool:
    return page.eval_on_selector(selector, "img => img.complete && img.naturalWidth > 0")


def test_product_page_on_a_phone_leads_to_a_valid_certificate(site, browser, page_errors):
    base, rt = site
    product_id, number, _ = _listed_product(rt)
    page = new_page(browser, page_errors, 390, 844)
    page.goto(f"{base}/market/p/{product_id}")
    page.wait_for_selector("h1")
    assert page.inner_text("h1") == "ผ้าไหมมัดหมี่ลายนาคสีครามธรรมชาติ"
    assert page.inner_text("[data-price]") == "1,850 บาท / ผืน"
    page.wait_for_function("document.querySelector('.mk-photos img').naturalWidth > 0")
    assert _loaded(page, ".mk-photos img")
    assert page.locator("text=สอบถามทาง LINE").is_visible()
    assert page.locator("text=แชร์ทาง LINE").is_visible()
    page.screenshot(path=str(SCREENSHOT_DIR / "market-product.png"), full_page=True)
    page.click("[data-badge=certified]")
    page.wait_for_selector("[data-status]")
    assert page.get_attribute("[data-status]", "data-status") == "valid"
    assert page.inner_text("[data-number]") == number
    page.wait_for_function("document.querySelector('.mk-qr img').naturalWidth > 0")
    page.screenshot(path=str(SCREENSHOT_DIR / "market-certificate.png"), full_page=True)
    assert page_errors == []
    page.context.close()


def test_a_revoked_certificate_reads_as_revoked(site, browser, page_errors):
    base, rt = site
    _, number, cert_id = _listed_product(rt)
    with rt.db.transaction() as session:
        certification.revoke(session, cert_id, "api", "ตรวจพบการใช้สีย้อมเคมี", rt.clock())
    page = new_page(browser, page_errors, 390, 844)
    page.goto(f"{base}/market/c/{number}")
    page.wait_for_selector("[data-status=revoked]")
    assert "ถูกเพิกถอน" in page.inner_text("[data-status]")
    assert page.locator("text=ตรวจพบการใช้สีย้อมเคมี").is_visible()
    page.screenshot(path=str(SCREENSHOT_DIR / "market-certificate-revoked.png"), full_page=True)
    assert page_errors == []
    page.context.close()
