"""The check-in page in a real browser on a phone-sized screen: staff type a trainee's code, the page records it
(once) without reloading, and the counter moves. Camera scanning needs the browser's own QR reader; where there is
none (desktop Chromium on Linux) the page says so and typing works."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services import profile, qr, trainings
from tests.browser.support import SCREENSHOT_DIR, new_page
from tests.conftest import ADMIN_ID
from tests.web.conftest import login_token
from texts import console as console_texts
from texts import trainings as trainings_texts

pytestmark = pytest.mark.browser




def _training_with_trainees(rt, line) -> tuple[int, list[str]]:
    now = rt.clock()
    starts = now + timedelta(hours=1)
    codes = []
    with rt.db.transaction() as session:
        training = trainings.create_training(session, trainings.TrainingInput(
            title="ขายของออนไลน์ให้ปัง", starts_at=starts, ends_at=starts + timedelta(hours=6), capacity=30,
            signup_deadline=starts - timedelta(minutes=30), venue_name="หอประชุม อบจ.ขอนแก่น"), ADMIN_ID, now)
        trainings.publish(session, training.id, ADMIN_ID, now)
        for name in ("สมศรี ใจดี", "สมชาย รักดี"):
            uid = line.add_user(name)["userId"]
            profile.save_contact(session, uid, name, "0812345678", now)
            codes.append(trainings.sign_up(session, training.id, uid, now).signup.checkin_code)
        return training.id, codes


def test_staff_check_in_a_trainee_by_typing_the_code(browser, served_test_app, rt, line, page_errors):
    training_id, codes = _training_with_trainees(rt, line)
    page = new_page(browser, page_errors, 390, 844)
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith((served_test_app, "data:")) else None)
    try:
        page.goto(f"{served_test_app}/console/login/{login_token(rt, ADMIN_ID)}")
        page.get_by_role("button", name=console_texts.LOGIN_BUTTON).click()
        page.wait_for_url(f"{served_test_app}/console")
        page.goto(f"{served_test_app}/console/trainings/{training_id}/checkin")
        assert page.get_by_role("heading", name="ขายของออนไลน์ให้ปัง").is_visible()
        scanner_supported = page.evaluate("'BarcodeDetector' in window")
        # Camera scanning is offered only where the browser can read QR codes itself; typing always.
        assert page.get_by_role("button", name=trainings_texts.C_SCAN).is_visible() == scanner_supported
        assert page.get_by_text(trainings_texts.C_NO_SCANNER).is_visible() != scanner_supported
        box = page.get_by_label(trainings_texts.C_TYPE_CODE)
        button = page.get_by_role("button", name=trainings_texts.C_CHECKIN_BUTTON)
        assert button.bounding_box()["height"] >= 48

        box.fill(qr.format_code(codes[0]).lower())  # typed in lower case with dashes: still fine
        button.click()
        result = page.locator("#checkin-result")
        page.locator('#checkin-result[data-outcome="ok"]').wait_for()
        assert result.inner_text() == trainings_texts.CHECKIN_OK.format(name="สมศรี ใจดี")
        assert page.locator("#checked-count").inner_text() == "1"
        assert box.input_value() == ""  # ready for the next person
        assert page.url.endswith(f"/console/trainings/{training_id}/checkin")  # no reload: the camera keeps running
        page.screenshot(path=str(SCREENSHOT_DIR / "checkin-ok.png"), full_page=True)

        box.fill(codes[0])
        button.click()
        page.locator('#checkin-result[data-outcome="already"]').wait_for()
        assert "เช็กอินไปแล้วเมื่อ" in result.inner_text()
        assert page.locator("#checked-count").inner_text() == "1"

        box.fill("ABCD")
        button.click()
        page.locator('#checkin-result[data-outcome="bad_code"]').wait_for()
        assert result.inner_text() == trainings_texts.CHECKIN_BAD_CODE
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=str(SCREENSHOT_DIR / "checkin-bad.png"), full_page=True)

        page.get_by_role("link", name=trainings_texts.C_ATTENDANCE).click()
        page.wait_for_url(f"{served_test_app}/console/trainings/{training_id}/attendance")
        rows = page.locator("#attendance tbody tr")
        assert rows.count() == 2
        assert "มาแล้ว" in rows.nth(0).inner_text() and "ยังไม่มา" in rows.nth(1).inner_text()
        page.screenshot(path=str(SCREENSHOT_DIR / "checkin-attendance.png"), full_page=True)
        assert page_errors == []
        assert outside == []  # nothing is loaded from the internet
    finally:
        page.context.close()


def test_staff_confirm_a_check_in_before_the_training_day(browser, served_test_app, rt, line, page_errors):
    now = rt.clock()
    starts = now + timedelta(days=2)
    with rt.db.transaction() as session:
        training = trainings.create_training(session, trainings.TrainingInput(
            title="ทำขนมไทยขาย", starts_at=starts, ends_at=starts + timedelta(hours=6), capacity=30,
            signup_deadline=starts - timedelta(days=1), venue_name="หอประชุม อบจ.ขอนแก่น"), ADMIN_ID, now)
        trainings.publish(session, training.id, ADMIN_ID, now)
        codes = []
        for name in ("สมศรี ใจดี", "สมชาย รักดี"):
            uid = line.add_user(name)["userId"]
            profile.save_contact(session, uid, name, "0812345678", now)
            codes.append(trainings.sign_up(session, training.id, uid, now).signup.checkin_code)
        training_id = training.id
        question = trainings_texts.CHECKIN_EARLY.format(date=trainings_texts.thai_date(starts))
    page = new_page(browser, page_errors, 390, 844)
    try:
        page.goto(f"{served_test_app}/console/login/{login_token(rt, ADMIN_ID)}")
        page.get_by_role("button", name=console_texts.LOGIN_BUTTON).click()
        page.wait_for_url(f"{served_test_app}/console")
        page.goto(f"{served_test_app}/console/trainings/{training_id}/checkin")
        box = page.get_by_label(trainings_texts.C_TYPE_CODE)
        result = page.locator("#checkin-result")
        yes = page.get_by_role("button", name=trainings_texts.C_EARLY_CONFIRM, exact=True)
        no = page.get_by_role("button", name=trainings_texts.C_EARLY_CANCEL, exact=True)
        assert not yes.is_visible()

        # The question appears; ยกเลิก records nothing.
        box.fill(codes[0])
        page.get_by_role("button", name=trainings_texts.C_CHECKIN_BUTTON).click()
        page.locator('#checkin-result[data-outcome="early"]').wait_for()
        assert result.inner_text() == question
        assert yes.is_visible() and no.is_visible() and yes.bounding_box()["height"] >= 48
        page.screenshot(path=str(SCREENSHOT_DIR / "checkin-early.png"), full_page=True)
        no.click()
        page.locator('#checkin-result[data-outcome="early_cancelled"]').wait_for()
        assert result.inner_text() == trainings_texts.C_EARLY_CANCELLED and not yes.is_visible()
        assert page.locator("#checked-count").inner_text() == "0"

        # Asked again; ยืนยัน checks the person in.
        page.get_by_role("button", name=trainings_texts.C_CHECKIN_BUTTON).click()
        page.locator('#checkin-result[data-outcome="early"]').wait_for()
        yes.click()
        page.locator('#checkin-result[data-outcome="ok"]').wait_for()
        assert result.inner_text() == trainings_texts.CHECKIN_OK.format(name="สมศรี ใจดี")
        assert page.locator("#checked-count").inner_text() == "1" and not yes.is_visible()

        # The page a phone's camera app opens from the QR asks the same before its one button.
        page.goto(f"{served_test_app}/checkin?code={codes[1]}")
        assert page.get_by_text(question).is_visible() and page.get_by_text("สมชาย รักดี").is_visible()
        assert page.get_by_role("link", name=trainings_texts.C_EARLY_CANCEL).is_visible()
        page.screenshot(path=str(SCREENSHOT_DIR / "checkin-early-camera-app.png"), full_page=True)
        page.get_by_role("button", name=trainings_texts.C_EARLY_CONFIRM, exact=True).click()
        page.get_by_text(trainings_texts.CHECKIN_OK.format(name="สมชาย รักดี")).wait_for()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert page_errors == []
    finally:
        page.context.close()
