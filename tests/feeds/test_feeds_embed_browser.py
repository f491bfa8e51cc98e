"""/embed/news in a real browser (Chromium): at 320 px nothing overflows sideways, photos and Sarabun load, links
are tap-sized and open a new tab; at desktop width it stays within 400 px; and another site (another origin) can
frame it with the README's one line."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.support import SCREENSHOT_DIR, new_page, serve
from tests.feeds.feed_news import seed


# ---- in a real browser ----------------------------------------------------------------------------------------------
@pytest.fixture
def live() -> Iterator[Any]:
    """A port bound before the app exists, so PUBLIC_BASE_URL (photos, links) can be the address the browser uses."""
    server = serve()
    yield server
    server.stop()


@pytest.fixture
def app_config(app_config, live):
    return {**app_config, "PUBLIC_BASE_URL": live.base_url}


def _overflowing(page: Any) -> list[str]:
    """Elements whose right edge passes the viewport (what would make a reader scroll sideways)."""
    return page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
        .map(e => e.tagName + '.' + e.className)""")


@pytest.mark.browser
def test_widget_at_320_px_alone_and_framed_by_another_site(app, live, clock, make_project, announce,
                                                           add_stage_photo, browser, page_errors):  # noqa: F811
    from playwright.sync_api import expect

    live.server.app = app
    seed(make_project, announce, add_stage_photo, clock)
    page = new_page(browser, page_errors, 320, 640)
    page.goto(f"{live.base_url}/embed/news")
    expect(page.locator("a.item")).to_have_count(7)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert _overflowing(page) == []
    for image in page.locator("img").all():  # photos load lazily, as they come into view
        image.scroll_into_view_if_needed()
        expect(image).to_have_js_property("complete", True)
        assert image.evaluate("i => i.naturalWidth") > 0
    assert page.evaluate("document.images.length") == 6
    page.evaluate("document.fonts.ready")
    assert page.evaluate("document.fonts.check('16px KKSarabun')")
    for link in page.locator("a.item").all():
        assert link.get_attribute("target") == "_blank" and link.get_attribute("rel") == "noopener"
        assert link.bounding_box()["height"] >= 44  # a finger fits
    page.screenshot(path=str(SCREENSHOT_DIR / "embed_news_320.png"), full_page=True)

    page.set_viewport_size({"width": 1024, "height": 640})
    assert page.evaluate("document.querySelector('.news').getBoundingClientRect().width") <= 400

    # Another site (another origin) frames it with the README's line, in a 320 px wide column.
    host = serve(lambda environ, start: (start("200 OK", [("Content-Type", "text/html; charset=utf-8")]), [(
        '<!doctype html><meta charset="utf-8"><body style="margin:0;width:320px">'
        f'<iframe src="{live.base_url}/embed/news?district=waeng_noi" title="ข่าว อบจ.ขอนแก่น" '
        'style="width:100%;max-width:400px;height:520px;border:0" loading="lazy"></iframe>').encode()])[1])
    try:
        framed = new_page(browser, page_errors, 320, 640)
        framed.goto(host.base_url.replace("127.0.0.1", "localhost"))  # a different origin from the widget's
        frame = framed.frame_locator("iframe")
        expect(frame.locator("a.item")).to_have_count(6)  # Waeng Noi's five and the province-wide one
        expect(frame.locator("h1")).to_have_text("ข่าวล่าสุด")
        inner = next(f for f in framed.frames if f.url.startswith(live.base_url))
        assert inner.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        assert inner.evaluate("window.innerWidth") == 320
    finally:
        host.stop()
    assert page_errors == []
