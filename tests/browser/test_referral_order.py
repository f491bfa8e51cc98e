"""A referral link in a real browser: /r/<code> lands on the product page, whose "สั่งซื้อผ่าน LINE" carries the
code in its pre-filled order text; in emulator mode the same button opens the chat simulator with that text typed in."""

from __future__ import annotations

from urllib.parse import unquote

import pytest

from tests.browser.support import SCREENSHOT_DIR, new_page, running_app
from tests.referrals.conftest import make_link, make_member, programme_products

pytestmark = pytest.mark.browser

SHARER = "U" + "7" * 32


def _shared_link(rt) -> tuple[int, str]:
    (product_id,) = programme_products(rt, 1, name="ผ้าไหมมัดหมี่")
    make_member(rt, SHARER)
    return product_id, make_link(rt, SHARER, product_id)


def test_a_referral_link_lands_on_the_product_page_whose_order_button_carries_the_code(
        served_test_app, rt, browser, page_errors):
    product_id, code = _shared_link(rt)
    page = new_page(browser, page_errors, 390, 844)
    page.goto(f"{served_test_app}/r/{code}")
    page.wait_for_selector("h1")
    assert page.url == f"{served_test_app}/market/p/{product_id}?ref={code}"
    assert page.inner_text("h1") == "ผ้าไหมมัดหมี่ 1"
    order = page.locator("a[data-order]")
    assert order.is_visible() and order.inner_text() == "สั่งซื้อผ่าน LINE"
    href = unquote(order.get_attribute("href"))
    assert href == f"https://line.me/R/oaMessage/@kkpao/?สั่งซื้อ #{product_id} ผ้าไหมมัดหมี่ 1 (รหัสแนะนำ {code})"
    assert page.locator("text=สอบถามทาง LINE").is_visible()
    page.screenshot(path=str(SCREENSHOT_DIR / "referral-product.png"), full_page=True)
    assert page_errors == []
    page.context.close()


def test_in_emulator_mode_the_order_button_types_the_order_into_the_simulator(browser, page_errors):
    from playwright.sync_api import expect

    with running_app() as (base_url, app):
        rt = app.extensions["kk"]
        product_id, code = _shared_link(rt)
        page = new_page(browser, page_errors, 390, 844)
        page.goto(f"{base_url}/r/{code}")
        page.locator("a[data-order]").click()
        page.wait_for_url("**/simulator?say=*")
        page.get_by_placeholder("ชื่อที่แสดง").fill("ผู้ซื้อ")
        page.get_by_role("button", name="สร้าง", exact=True).click()
        page.locator("#gate-follow").click()
        expect(page.locator("#message-input")).to_have_value(
            f"สั่งซื้อ #{product_id} ผ้าไหมมัดหมี่ 1 (รหัสแนะนำ {code})")
        assert page_errors == []
        page.context.close()
