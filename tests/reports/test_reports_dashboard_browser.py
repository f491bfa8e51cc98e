"""The report dashboard in a real browser at phone width: figures readable without sideways scrolling, charts
loaded as images, the filters usable, and the download link a PNG."""

from __future__ import annotations

import pytest

from tests.browser.support import SCREENSHOT_DIR, new_page
from tests.conftest import ADMIN_ID
from tests.reports.reports_history import build
from tests.web.conftest import login_token
from texts import console as console_texts
from texts import reports as reports_texts

pytestmark = pytest.mark.browser


def _sign_in(page, base: str, rt) -> None:
    page.goto(f"{base}/console/login/{login_token(rt, ADMIN_ID)}")
    page.get_by_role("button", name=console_texts.LOGIN_BUTTON).click()
    page.wait_for_url(f"{base}/console")


def test_dashboard_at_phone_width(browser, served_test_app, rt, page_errors):
    page = new_page(browser, page_errors, 390, 844)
    try:
        _sign_in(page, served_test_app, rt)
        page.goto(f"{served_test_app}/console/reports")
        assert page.locator("#rp-no-data").inner_text() == reports_texts.NO_DATA  # empty database
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        history = build(rt)
        page.get_by_role("link", name=reports_texts.C_TITLE).first.click()
        page.wait_for_url(f"{served_test_app}/console/reports")
        assert page.locator("#rp-no-data").count() == 0
        assert page.locator('[data-figure="followers_now"]').inner_text() == "7"
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # wide tables scroll inside their box
        images = page.locator(".rp-chart img")
        assert images.count() == 4
        for index in range(images.count()):
            image = images.nth(index)
            image.scroll_into_view_if_needed()
            page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
            assert image.evaluate("img => img.naturalWidth") == 960
            assert image.bounding_box()["width"] <= 390
        page.screenshot(path=str(SCREENSHOT_DIR / "console-reports.png"), full_page=True)

        page.select_option("select[name=district]", "chonnabot")
        page.get_by_role("button", name=reports_texts.C_FILTER).click()
        page.wait_for_url("**/console/reports?*district=chonnabot*")
        assert page.locator('[data-figure="followers_now"]').inner_text() == "4"

        with page.expect_download() as download:
            page.locator(".rp-chart a[download]").first.click()
        assert download.value.suggested_filename == "kk-followers.png"

        page.goto(f"{served_test_app}/console/reports/trainings/{history.training_id}")
        assert page.locator('[data-figure="attended"]').inner_text() == "2"
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=str(SCREENSHOT_DIR / "console-report-training.png"), full_page=True)
        assert page_errors == []
    finally:
        page.context.close()
