"""The simulator with the real app as a newcomer finds it after `./scripts/run`: the rich menu is there at the first
follow, "ทำให้เป็นผู้ดูแล" turns it into the staff menu, and an invitation link types its text into the chat."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from services import richmenu, staff
from tests.browser.support import SCREENSHOT_DIR, new_page, start_chatting
from texts import platform as platform_texts

pytestmark = pytest.mark.browser

# What each menu's chat bar says (LINE allows 14 characters: the builder shortens longer copy).
CITIZEN_BAR = richmenu.menus()["citizen"].request()["chatBarText"]
STAFF_BAR = richmenu.menus()["staff"].request()["chatBarText"]






def test_the_rich_menu_is_there_at_the_first_follow(browser, page_errors, simulator_site):
    from playwright.sync_api import expect

    base_url, app = simulator_site
    page = new_page(browser, page_errors, 390, 844)
    start_chatting(page, base_url, "สมศรี ใจดี")
    expect(page.locator(".row.bot").first).to_contain_text("กดเมนูด้านล่างได้เลยค่ะ")  # the greeting points at it
    expect(page.locator("#richmenu-bar")).to_be_visible()
    expect(page.locator("#richmenu-label")).to_have_text(CITIZEN_BAR)
    expect(page.locator("#richmenu-image")).to_be_visible()  # the menu is "selected": open, as LINE shows it
    expect(page.locator("#richmenu-image")).to_have_js_property("complete", True)
    assert page.evaluate("document.getElementById('richmenu-image').naturalWidth") == 2500
    page.screenshot(path=str(SCREENSHOT_DIR / "simulator-first-follow.png"))
    assert page_errors == []
    page.context.close()


def test_a_newcomer_becomes_admin_in_the_simulator_and_gets_the_staff_menu(browser, page_errors, simulator_site):
    from playwright.sync_api import expect

    base_url, app = simulator_site
    rt = app.extensions["kk"]
    page = new_page(browser, page_errors, 390, 844)
    start_chatting(page, base_url, "สมหญิง ผู้ทดลอง")
    expect(page.locator("#richmenu-label")).to_have_text(CITIZEN_BAR)
    user_id = page.evaluate("localStorage.getItem('kk-simulator-user')")

    # The user sheet shows the LINE user id (selectable, with a copy button) and "ทำให้เป็นผู้ดูแล".
    page.locator("#user-button").click()
    row = page.locator("#user-list li", has_text="สมหญิง ผู้ทดลอง")
    expect(row.locator(".user-id")).to_have_text(user_id)
    row.get_by_role("button", name="คัดลอก LINE user ID สมหญิง ผู้ทดลอง").click()
    expect(page.locator("#toast")).to_be_visible()
    row.get_by_role("button", name="ทำให้เป็นผู้ดูแล: สมหญิง ผู้ทดลอง").click()
    expect(page.locator("#user-sheet-note")).to_contain_text("เป็นผู้ดูแลระบบแล้ว")
    expect(page.locator("#user-sheet-note")).to_contain_text("เข้าระบบเจ้าหน้าที่")
    expect(row.locator(".state.role")).to_have_text("ผู้ดูแลระบบ")
    expect(row.get_by_role("button", name="ทำให้เป็นผู้ดูแล: สมหญิง ผู้ทดลอง")).to_have_count(0)
    page.locator("#user-sheet-close").click()

    # The staff menu replaces the citizens' one without reloading; its console cell signs in.
    expect(page.locator("#richmenu-label")).to_have_text(STAFF_BAR)
    with rt.db.transaction() as session:
        assert staff.role_of(session, user_id) == "admin"
    page.get_by_role("button", name="แสดงแป้นพิมพ์").click()
    page.locator("#message-input").fill(platform_texts.WORD_STAFF_LOGIN)
    page.locator("#send-button").click()
    expect(page.locator(".row.bot", has_text=platform_texts.STAFF_LOGIN_LINK).last).to_be_visible()
    assert page_errors == []
    page.context.close()


def test_an_invitation_link_types_its_text_into_the_simulator(browser, page_errors, simulator_site):
    from playwright.sync_api import expect

    base_url, app = simulator_site
    rt = app.extensions["kk"]
    admin_id = "U" + "a" * 32
    with rt.db.transaction() as session:
        staff.ensure_admins(session, (admin_id,), rt.clock())
        _, code = staff.create_invitation(session, admin_id, rt.clock(), label="สมชาย งานช่าง",
                                          admin_ids=(admin_id,))
    message = staff.invitation_message(code)
    page = new_page(browser, page_errors, 390, 844)
    page.goto(f"{base_url}/simulator?say={quote(message, safe='')}")
    expect(page.locator("#user-sheet-note")).to_contain_text("เพิ่มเพื่อน")
    page.get_by_placeholder("ชื่อที่แสดง").fill("สมชาย")
    page.get_by_role("button", name="สร้าง", exact=True).click()
    page.locator("#gate-follow").click()
    expect(page.locator(".row.bot").first).to_contain_text("สวัสดี")
    expect(page.locator("#message-input")).to_have_value(message)  # the draft waits in the chat box
    page.locator("#send-button").click()
    expect(page.locator(".row.bot", has_text="ยินดีต้อนรับค่ะ").last).to_contain_text("สิทธิ์เจ้าหน้าที่")
    expect(page.locator("#richmenu-label")).to_have_text(STAFF_BAR)
    assert page_errors == []
    page.context.close()
