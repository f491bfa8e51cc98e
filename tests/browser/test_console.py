"""The staff console in a real browser on a phone-sized screen: sign in with the button, retry a dead letter."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from models.platform import OutboxMessage
from services import notify
from tests.browser.support import SCREENSHOT_DIR, new_page
from tests.conftest import ADMIN_ID
from tests.web.conftest import login_token
from texts import console as console_texts

pytestmark = pytest.mark.browser




def _dead_letter(rt: Any, line: Any) -> int:
    uid = line.add_user("สมหมาย")["userId"]
    line.inject_fault("/v2/bot/message/push", status=400, body={
        "message": "The request body has 1 error(s)",
        "details": [{"message": "Length must be between 0 and 5000", "property": "messages[0].text"}]})
    with rt.db.transaction() as session:
        row = notify.push(session, uid, [{"type": "text", "text": "ข่าวโครงการอบรม"}], rt.clock(),
                          source="announcement:7")
        session.flush()
        row_id = row.id
    rt.dispatcher.run_until_idle()
    return row_id


@pytest.mark.line_errors_expected
def test_staff_signs_in_with_the_button_and_retries_a_dead_letter(browser, served_test_app, rt, line, page_errors):
    dead_id = _dead_letter(rt, line)
    page = new_page(browser, page_errors, 390, 844)
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith((served_test_app, "data:")) else None)
    try:
        page.goto(f"{served_test_app}/console/login/{login_token(rt, ADMIN_ID)}")
        button = page.get_by_role("button", name=console_texts.LOGIN_BUTTON)
        assert button.is_visible()
        assert button.bounding_box()["height"] >= 48  # a big tap target
        page.screenshot(path=str(SCREENSHOT_DIR / "console-login.png"), full_page=True)
        button.click()
        page.wait_for_url(f"{served_test_app}/console")
        assert page.get_by_role("heading", name=console_texts.DASHBOARD_TITLE).is_visible()
        assert page.get_by_text(console_texts.LOGIN_DONE).is_visible()
        assert page.locator('[data-count="outbox_dead"]').inner_text() == "1"
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
        page.screenshot(path=str(SCREENSHOT_DIR / "console.png"), full_page=True)
        page.set_viewport_size({"width": 360, "height": 740})  # the smallest phones staff carry
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.set_viewport_size({"width": 390, "height": 844})

        page.get_by_role("link", name=console_texts.NAV_FAILURES).first.click()
        page.wait_for_url(f"{served_test_app}/console/failures")
        card = page.locator(f'[data-outbox-id="{dead_id}"]')
        assert "messages[0].text" not in card.inner_text()  # details folded away until asked for
        card.get_by_text(console_texts.LINE_DETAILS).click()
        assert card.get_by_text("messages[0].text: Length must be between 0 and 5000").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=str(SCREENSHOT_DIR / "console-failures.png"), full_page=True)

        card.get_by_role("button", name=f"{console_texts.RETRY} #{dead_id}").click()
        page.get_by_text(console_texts.OUTBOX_RETRIED.format(id=dead_id)).wait_for()
        assert page.get_by_text(console_texts.NO_DEAD_LETTERS).is_visible()
    finally:
        page.context.close()

    rt.dispatcher.run_until_idle()  # the app's own dispatcher threads are off in tests
    with rt.db.transaction() as session:
        assert session.scalars(select(OutboxMessage.status).where(OutboxMessage.id == dead_id)).one() == "sent"
    assert [d.messages[0]["text"] for d in line.deliveries()] == ["ข่าวโครงการอบรม"]
    assert not page_errors and not outside
