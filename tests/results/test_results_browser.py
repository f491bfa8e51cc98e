"""/results in a real browser at phone width (390 px): readable without sideways scrolling of the page, wide tables
scroll inside their box, no script errors, the hidden-figure footnote and the downloads are there."""

from __future__ import annotations

import pytest

from tests.browser.support import SCREENSHOT_DIR, new_page
from tests.results import results_history
from texts import results as results_texts

pytestmark = pytest.mark.browser


def test_results_read_well_on_a_phone(app, browser, page_errors, served_test_app):  # noqa: F811
    from playwright.sync_api import expect

    results_history.build(app.extensions["kk"])
    page = new_page(browser, page_errors, 390, 844)
    page.goto(f"{served_test_app}/results")
    expect(page.get_by_role("heading", level=1)).to_have_text(results_texts.TITLE)
    expect(page.get_by_role("heading", name=results_texts.SALES)).to_be_visible()
    expect(page.locator("table[data-grid=traditional] tr", has_text="พล")).to_contain_text("4,000")
    expect(page.locator("#res-hidden-note")).to_contain_text(results_texts.HIDDEN_NOTE)
    expect(page.get_by_role("link", name=results_texts.DOWNLOAD_CSV)).to_have_count(5)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # the page never scrolls sideways
    for link in page.locator(".res-downloads a").all():  # tap-sized
        assert link.bounding_box()["height"] >= 44
    body_size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert body_size >= 16
    page.screenshot(path=str(SCREENSHOT_DIR / "results_phone.png"), full_page=True)
    page.emulate_media(media="print")
    expect(page.locator(".res-downloads-section")).to_be_hidden()
    assert page_errors == []


def test_results_on_an_empty_database_on_a_phone(browser, page_errors, served_test_app):  # noqa: F811
    from playwright.sync_api import expect

    page = new_page(browser, page_errors, 390, 844)
    page.goto(f"{served_test_app}/results")
    expect(page.locator("[data-empty]")).to_have_text(results_texts.NO_DATA)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
