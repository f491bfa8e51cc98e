"""A real browser at phone width (390 px): the finished project's rating, before and after side by side, the
citizens' photos and the stage dates, with no sideways scrolling."""

from __future__ import annotations

import pytest

from tests.browser.support import SCREENSHOT_DIR, new_page
from tests.conftest import PUBLIC_BASE_URL
from tests.project_ratings.conftest import finish, jpeg, rate, scan

pytestmark = pytest.mark.browser


def test_finished_project_page_on_a_phone(browser, page_errors, served_test_app, rt, clock,  # noqa: F811
                                          person, project):
    from playwright.sync_api import expect

    project_id = project("ซ่อมสร้างถนนลาดยางสายบ้านโนนสะอาด–บ้านหนองไผ่ พร้อมไฟส่องสว่าง",
                         photos={"announced": ["#a0522d"], "completed": ["#6b8f71"]})
    people = [person(f"คนพล{i}", district="phon") for i in range(5)]
    finish(rt, clock, project_id, "completed")
    scan(rt, clock)
    for i, (user, stars) in enumerate(zip(people, (5, 4, 5, 3, 4), strict=True)):
        rate(rt, clock, project_id, user.user_id, stars, photo=jpeg("#708090", (640, 420)) if i < 2 else None)

    page = new_page(browser, page_errors, 390, 844)
    # Media links use the configured public address (and the page allows images from itself only): point them at
    # this test server.
    page.route(f"{served_test_app}/projects/*", lambda route: route.fulfill(
        response=(fetched := route.fetch()), body=fetched.text().replace(PUBLIC_BASE_URL, served_test_app)))
    page.goto(f"{served_test_app}/projects/{project_id}")
    expect(page.locator(".pub-rating")).to_contain_text("4.2 จาก 5 ดาว")
    expect(page.locator(".pub-rating")).to_contain_text("จากผู้ให้คะแนน 5 คน")
    before, after = page.locator("figure[data-side=before] img"), page.locator("figure[data-side=after] img")
    expect(before).to_have_count(1)
    expect(after).to_have_count(1)
    before.scroll_into_view_if_needed()
    box_before, box_after = before.bounding_box(), after.bounding_box()
    assert abs(box_before["y"] - box_after["y"]) < 1 and box_before["x"] < box_after["x"]  # side by side
    assert box_after["x"] + box_after["width"] <= 390
    expect(page.locator("[data-citizen-photos] img")).to_have_count(2)
    expect(page.locator("[data-stage=completed]")).to_contain_text("2570")  # Buddhist-era year
    for image in page.locator("main img, article img, section img").all():  # every photo really loads
        image.scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete", arg=image.element_handle())
        assert image.evaluate("img => img.naturalWidth > 0"), image.get_attribute("src")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # no sideways scrolling
    page.screenshot(path=str(SCREENSHOT_DIR / "project_rating_page.png"), full_page=True)
    assert page_errors == []
