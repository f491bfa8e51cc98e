"""The public market pages in a real browser, on a phone-sized screen: the catalog's search finds a product the way
chat does and leads to its page; photos load, the certified badge leads to the check page, its QR code loads, a
revoked certificate reads as revoked, and the lookup form finds a certificate by the number on a label."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from PIL import Image, ImageDraw

from models.market import Product, Vendor
from services import certification, consent, images, products
from tests.browser.support import SCREENSHOT_DIR, new_page, serve
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
        product.search_text = products.search_text_of(product.name, product.description, vendor.shop_name)
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
    page.wait_for_function("() => document.querySelector('.mk-photos img').naturalWidth > 0")
    assert _loaded(page, ".mk-photos img")
    assert page.locator("text=สอบถามทาง LINE").is_visible()
    assert page.locator("text=แชร์ทาง LINE").is_visible()
    page.screenshot(path=str(SCREENSHOT_DIR / "market-product.png"), full_page=True)
    page.click("[data-badge=certified]")
    page.wait_for_selector("[data-status]")
    assert page.get_attribute("[data-status]", "data-status") == "valid"
    assert page.inner_text("[data-number]") == number
    page.wait_for_function("() => document.querySelector('.mk-qr img').naturalWidth > 0")
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


def _other_products(rt: Any) -> None:
    """Two more listed products of another shop, so a search has something to leave out."""
    now = rt.clock()
    uid = "U" + "7" * 32
    with rt.db.transaction() as session:
        consent.grant(session, uid, consent.MARKET_VENDOR, now)
        vendor = Vendor(line_user_id=uid, shop_name="ร้านป้าแดง", owner_name="แดง ใจดี", phone="0898765432",
                        district="phon", pickup_address="1 หมู่ 1 ต.เมืองพล", sales_channels=["line"],
                        delivery_options=["pickup"], status="approved", created_at=now, updated_at=now)
        session.add(vendor)
        session.flush()
        for name in ("น้ำพริกปลาร้าสูตรโบราณ", "แจ่วบองปลาร้า"):
            product = Product(vendor_id=vendor.id, name=name, category="food", price_satang=6000, unit="กระปุก",
                              description="ทำสดทุกวัน", selling_points=["clean"], photos=[], stock=9, hidden=False,
                              cert_status="submitted", created_at=now, updated_at=now,
                              search_text=products.search_text_of(name, "ทำสดทุกวัน", vendor.shop_name))
            session.add(product)
            session.flush()
            cert = certification.submit(session, product, now)
            certification.approve(session, cert.id, "api", now, rt.settings.public_base_url)


def _fits_the_screen(page: Any) -> bool:
    """No sideways scrolling once layout has settled (fonts and photos arrive after the page on a busy machine)."""
    try:
        page.wait_for_function("document.fonts.status === 'loaded' && "
                               "document.documentElement.scrollWidth <= window.innerWidth", timeout=5000)
    except Exception:  # noqa: BLE001 - playwright's TimeoutError: report it as the page not fitting
        return False
    return True


def test_searching_the_market_on_a_phone_finds_the_product(site, browser, page_errors):
    base, rt = site
    product_id, number, _ = _listed_product(rt)
    _other_products(rt)
    page = new_page(browser, page_errors, 360, 740)
    page.goto(f"{base}/market")
    page.wait_for_selector(".mk-list")
    assert page.locator("[data-product]").count() == 3 and _fits_the_screen(page)
    assert page.locator("[data-category=textile]").inner_text().endswith("1")
    # typed the way people type: a leading word, a space inside the name, sara am as ํ + า
    page.fill("#mk-q", "อยากได้ ผ้าไหม มัดหมี่ ค่ะ")
    page.click("form[role=search] button[type=submit]")
    page.wait_for_selector("[data-total='1']")
    assert "ผลการค้นหา “ผ้าไหม มัดหมี่”: 1 รายการ" in page.inner_text(".mk-count")
    assert page.locator("[data-product]").count() == 1
    page.wait_for_function("() => document.querySelector('.mk-thumb').naturalWidth > 0")
    assert _fits_the_screen(page)
    page.screenshot(path=str(SCREENSHOT_DIR / "market-search.png"), full_page=True)
    page.fill("#mk-q", "น\u0e4d\u0e49\u0e32พริก ปลา ร้า")
    page.press("#mk-q", "Enter")
    page.wait_for_selector("text=น้ำพริกปลาร้าสูตรโบราณ")
    assert page.locator("[data-product]").count() == 1
    page.fill("#mk-q", "รถไถ")
    page.press("#mk-q", "Enter")
    page.wait_for_selector("[data-total='0']")
    assert "ไม่พบสินค้า “รถไถ”" in page.inner_text(".mk-count")
    page.click("text=ล้างคำค้น")
    page.wait_for_selector("[data-total='3']")
    page.click("[data-category=textile]")
    page.wait_for_selector("[data-total='1']")
    page.click(f"[data-product='{product_id}']")
    page.wait_for_selector("h1")
    assert page.inner_text("h1") == "ผ้าไหมมัดหมี่ลายนาคสีครามธรรมชาติ"
    page.goto(f"{base}/market/c")
    page.fill("#mk-number", number.lower().replace("-", " "))
    page.click("form button[type=submit]")
    page.wait_for_selector("[data-status]")
    assert page.get_attribute("[data-status]", "data-status") == "valid" and page.url.endswith(f"/market/c/{number}")
    page.goto(f"{base}/market/c")
    page.fill("#mk-number", "KK-2569-999999")
    page.click("form button[type=submit]")
    page.wait_for_selector("[data-lookup-message]")
    assert "ไม่พบใบรับรองเลขที่" in page.inner_text("[data-lookup-message]") and _fits_the_screen(page)
    assert page_errors == []
    page.context.close()
