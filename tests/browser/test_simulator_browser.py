"""The chat simulator in a real browser: a person creates a user, adds the account, chats and taps buttons.

Two bots stand behind it: a scripted one (line-bot-sdk against the LINE emulator server, sending every kind of
message the page must draw, plus a rich menu) on a 360 px phone, and the real app with its built-in emulator.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from line_emulator.server import serve_emulator
from line_emulator.simulator import create_simulator_blueprint
from line_emulator.store import EmulatorStore
from tests.browser.scripted_bot import (
    CONFIRMED,
    GREETING,
    LOCATION_RECEIVED,
    PHOTO_RECEIVED,
    ScriptedBot,
    draw_picture,
)
from tests.browser.support import SCREENSHOT_DIR, LiveServer, new_page, serve, start_chatting

pytestmark = pytest.mark.browser

SECRET = "browser-test-secret"
TOKEN = "browser-test-token"


def emulator_rejections(store: EmulatorStore) -> list[Any]:
    """Sending requests the emulator refused (schema or LINE limits)."""
    return [(r.path, r.response) for r in store.requests("/v2/bot/*") if r.status >= 400]


@pytest.fixture
def scripted_site() -> Iterator[tuple[str, ScriptedBot, EmulatorStore]]:
    """The simulator in front of the scripted bot; LINE is the emulator on its own port."""
    store = EmulatorStore(TOKEN)
    emulator = serve_emulator(store)
    bot = ScriptedBot(SECRET, TOKEN, emulator.base_url)
    bot.app.register_blueprint(create_simulator_blueprint(store, SECRET))  # callback: this server's /callback
    site: LiveServer = serve(bot.app)
    bot.base_url = site.base_url
    bot.setup_rich_menu()
    try:
        yield site.base_url, bot, store
    finally:
        site.stop()
        emulator.shutdown()






def bot_row(page: Any, text: str) -> Any:
    return page.locator(".row.bot", has_text=text).last


def user_row(page: Any, text: str) -> Any:
    return page.locator(".row.user", has_text=text).last


def test_person_chats_with_the_scripted_bot_on_a_small_phone(browser, page_errors, scripted_site):
    from playwright.sync_api import expect

    base_url, bot, store = scripted_site
    page = new_page(browser, page_errors, 360, 740)

    start_chatting(page, base_url, "สมศรี ใจดี")
    expect(page.locator("#user-name")).to_have_text("สมศรี ใจดี")
    greeting = bot_row(page, GREETING)
    expect(greeting).to_be_visible()
    expect(greeting.get_by_role("link", name="https://www.kkpao.go.th")).to_have_attribute("target", "_blank")
    expect(page.locator("#quick-replies .chip")).to_have_count(3)
    expect(page.locator("#follow-button")).to_have_text("บล็อก")

    # The default rich menu is open, as LINE shows a "selected" menu; the keyboard is one tap away.
    expect(page.locator("#richmenu-image")).to_be_visible()
    expect(page.locator("#richmenu-label")).to_have_text("เมนูหลัก")
    page.get_by_role("button", name="แสดงแป้นพิมพ์").click()

    # The location quick reply opens a list of places; the chosen one reaches the bot as LINE's location message
    # (line-bot-sdk parses it as LocationMessageContent) and shows as a location card on the user's side.
    page.locator("#quick-replies .chip", has_text="ส่งตำแหน่ง").click()
    expect(page.locator("#location-sheet")).to_be_visible()
    page.get_by_role("button", name="ศาลากลางจังหวัดขอนแก่น").click()
    expect(page.locator("#location-sheet")).to_be_hidden()
    expect(page.locator(".row.user[data-type=location]").last).to_contain_text("ศาลากลางจังหวัดขอนแก่น")
    expect(bot_row(page, LOCATION_RECEIVED)).to_contain_text("ศาลากลางจังหวัดขอนแก่น (16.4419, 102.8353)")

    page.locator("#message-input").fill("สวัสดีค่ะ")
    page.locator("#message-input").press("Enter")
    expect(user_row(page, "สวัสดีค่ะ")).to_contain_text("อ่านแล้ว")
    expect(page.locator("#message-input")).to_have_value("")
    expect(page.locator("#quick-replies")).to_be_hidden()
    expect(bot_row(page, "คุณพิมพ์ว่า: สวัสดีค่ะ")).to_be_visible()

    card = page.locator(".row.bot[data-type=flex]", has_text="อบรมการขายออนไลน์").last
    expect(card.locator(".fx-bubble")).to_be_visible()
    expect(card.locator(".fx-hero img")).to_have_js_property("complete", True)
    card.get_by_role("button", name="ยืนยันการสมัคร").click()
    expect(user_row(page, "ยืนยันการสมัคร")).to_be_visible()
    expect(bot_row(page, CONFIRMED)).to_be_visible()

    # Tapping the left half of the rich menu image sends its message action.
    page.get_by_role("button", name="แสดงริชเมนู").click()
    menu = page.locator("#richmenu-image")
    expect(menu).to_be_visible()
    box = menu.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.25, box["y"] + box["height"] * 0.5)
    expect(user_row(page, "ตัวอย่าง")).to_be_visible()
    for kind in ("flex", "template", "image", "sticker"):
        expect(page.locator(f".row.bot[data-type={kind}]").last).to_be_visible()
    # Once every picture has loaded (rows grow as they do), the chat still shows its newest message.
    page.wait_for_function("() => Array.from(document.querySelectorAll('#chat img')).every(i => i.complete)")
    page.wait_for_function("() => { const c = document.getElementById('chat');"
                           " return c.scrollHeight - c.scrollTop - c.clientHeight < 4; }")
    expect(page.locator(".row.bot[data-type=flex] .fx-carousel .fx-bubble")).to_have_count(2)
    expect(page.locator(".tpl.confirm")).to_be_visible()
    expect(page.locator("[data-fallback]")).to_have_count(0)

    # A template's datetime picker sends a postback with the chosen date.
    page.get_by_role("button", name="แสดงแป้นพิมพ์").click()
    page.get_by_role("button", name="เลือกวันนัด").click()
    page.locator("#picker-input").fill("2026-12-05")
    page.get_by_role("button", name="ตกลง").click()
    expect(bot_row(page, "ได้รับ survey:date {'date': '2026-12-05'}")).to_be_visible()

    # A photo from the phone becomes an image event whose bytes the bot downloads from LINE's content API.
    page.locator("#photo-input").set_input_files(
        {"name": "ตลาด.png", "mimeType": "image/png", "buffer": draw_picture(64, 48, "#00897b", "#004d40")})
    expect(page.locator(".row.user[data-type=image] img")).to_be_visible()
    expect(bot_row(page, PHOTO_RECEIVED)).to_contain_text("64x48")

    # Anything the page cannot draw falls back to its alt text.
    fallback = page.evaluate("""() => {
        const r = KKRender.renderMessage({type: "hologram", altText: "ข้อความสำรอง"}, {onAction() {}, onImage() {}});
        return [r.fallback, r.node.textContent];
    }""")
    assert fallback == [True, "ข้อความสำรอง"]

    # Works at 360 px: nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(SCREENSHOT_DIR / "simulator-mobile.png"))

    # Blocking shows the friend gate; adding again says isUnblocked (checked in the backend tests).
    page.locator("#follow-button").click()
    expect(page.locator("#gate-text")).to_contain_text("บล็อก")
    expect(page.locator("#message-input")).to_be_hidden()

    assert page_errors == []
    assert bot.errors == []
    assert emulator_rejections(store) == []
    page.context.close()


def test_person_sets_their_district_with_the_real_app(browser, page_errors, simulator_site):
    from playwright.sync_api import expect

    base_url, app = simulator_site
    page = new_page(browser, page_errors, 1280, 900)

    start_chatting(page, base_url, "สมชาย ขยันดี")
    expect(page.locator(".row.bot").first).to_contain_text("สวัสดี")  # the greeting
    if page.locator("#richmenu-bar").is_visible():
        page.get_by_role("button", name="แสดงแป้นพิมพ์").click()

    page.locator("#message-input").fill("ตั้งค่า")
    page.locator("#send-button").click()
    picker = page.locator(".row.bot[data-type=flex]").last
    expect(picker.get_by_role("button", name="เมืองขอนแก่น")).to_be_visible()
    picker.get_by_role("button", name="เมืองขอนแก่น").click()
    expect(user_row(page, "เมืองขอนแก่น")).to_be_visible()
    expect(page.locator(".row.bot", has_text="อำเภอของคุณคือ").last).to_contain_text("เมืองขอนแก่น")
    page.screenshot(path=str(SCREENSHOT_DIR / "simulator.png"))

    assert page_errors == []
    assert emulator_rejections(app.extensions["kk"].emulator) == []
    page.context.close()


def test_python_app_py_serves_the_simulator_and_the_bot_answers(browser, page_errors, tmp_path):
    """`python app.py` exactly as a person starts it (waitress, its settings, the built-in emulator and workers)."""
    import os

    from playwright.sync_api import expect

    if os.environ.get("TEST_DATABASE_URL"):
        pytest.skip("the embedded default is SQLite whatever the suite runs on: the SQLite run covers it")

    from bench.webhook_ack import embedded_server

    with embedded_server(tmp_path, run_workers=True) as server:
        page = new_page(browser, page_errors, 1280, 900)
        start_chatting(page, f"http://{server.host}:{server.port}", "สมหญิง ใจดี")
        expect(page.locator(".row.bot").first).to_contain_text("สวัสดี")
        if page.locator("#richmenu-bar").is_visible():
            page.get_by_role("button", name="แสดงแป้นพิมพ์").click()
        page.locator("#message-input").fill("ตั้งค่า")
        page.locator("#send-button").click()
        picker = page.locator(".row.bot[data-type=flex]").last
        picker.get_by_role("button", name="ชุมแพ").click()
        expect(page.locator(".row.bot", has_text="อำเภอของคุณคือ").last).to_contain_text("ชุมแพ")
        page.context.close()
        log = server.log_path.read_text(errors="replace")
    assert page_errors == []
    assert "Traceback" not in log and "dead letter" not in log  # LINE (the emulator) refused nothing
