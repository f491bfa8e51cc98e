"""Real-browser checks at phone size: staff answer a citizen from the inbox, and announce a project's news from the
project's own console page (the page that once answered 500)."""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests

from line_emulator import events as ev
from services import citizens, projects, staff
from tests.browser.support import ADMIN, SCREENSHOT_DIR, new_page
from tests.browser.test_projects import _project

pytestmark = pytest.mark.browser




def _says(base: str, app: Any, user_id: str, text: str) -> None:
    """The citizen types in LINE: a signed webhook to the running app, handled by its own workers."""
    rt = app.extensions["kk"]
    body = ev.encode(ev.envelope([ev.text_event(user_id, text, rt.emulator.issue_reply_token(user_id))]))
    response = requests.post(f"{base}/callback", data=body, timeout=10, headers={
        "Content-Type": "application/json", "X-Line-Signature": ev.sign(body, rt.settings.LINE_CHANNEL_SECRET)})
    assert response.status_code == 200
    rt.process_pending()


def _sign_in(page: Any, base: str, app: Any) -> None:
    rt = app.extensions["kk"]
    with rt.db.transaction() as session:
        token = staff.issue_login_token(session, ADMIN, rt.clock(), (ADMIN,))
    page.goto(f"{base}/console/login/{token}")
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.wait_for_url(f"{base}/console")


def test_staff_answer_a_citizen_from_the_inbox(browser, page_errors, embedded_site):
    from playwright.sync_api import expect

    base, app = embedded_site
    rt = app.extensions["kk"]
    somsri = rt.emulator.add_user("สมศรี")["userId"]
    rt.emulator.set_following(somsri, True)
    with rt.db.transaction() as session:
        citizens.record_follow(session, somsri, rt.clock())
        citizens.set_district(session, somsri, "phon", rt.clock())
    _says(base, app, somsri, "ติดต่อเจ้าหน้าที่")
    _says(base, app, somsri, "ไฟฟ้าส่องสว่างหน้าโรงเรียนบ้านโนนดับมา 3 วันแล้วค่ะ")

    page = new_page(browser, page_errors, 390, 844)
    _sign_in(page, base, app)
    expect(page.locator("#waiting")).to_contain_text("เรื่องรอเจ้าหน้าที่ตอบ")
    page.get_by_role("link", name="กล่องข้อความ").first.click()
    card = page.locator("[data-status=open]").first
    expect(card).to_contain_text("ไฟฟ้าส่องสว่างหน้าโรงเรียน")
    expect(card).to_contain_text("พล")
    card.get_by_role("link").first.click()
    expect(page.locator("[data-person=district]")).to_have_text("พล")
    expect(page.locator(".thread")).to_contain_text("ดับมา 3 วันแล้วค่ะ")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # no sideways scrolling

    # A new message arrives while staff read: it appears without a reload (the half-typed answer stays).
    page.get_by_label("ข้อความตอบกลับ").fill("รับเรื่องแล้วค่ะ")
    _says(base, app, somsri, "อยู่ตรงข้ามร้านค้าสหกรณ์ค่ะ")
    expect(page.locator(".thread")).to_contain_text("ตรงข้ามร้านค้าสหกรณ์", timeout=15_000)
    expect(page.get_by_label("ข้อความตอบกลับ")).to_have_value("รับเรื่องแล้วค่ะ")
    page.get_by_label("ข้อความตอบกลับ").fill("รับเรื่องแล้วค่ะ ช่างไฟจะเข้าไปดูพรุ่งนี้ช่วงเช้านะคะ")
    page.screenshot(path=str(SCREENSHOT_DIR / "inbox_thread.png"), full_page=True)
    page.get_by_role("button", name="ส่งข้อความ").click()
    expect(page.locator(".flash-ok")).to_contain_text("ส่งข้อความแล้ว")
    expect(page.locator("[data-case-status]")).to_have_text("รอประชาชนตอบ")
    expect(page.locator("[data-case=first_answer]")).not_to_have_text("ยังไม่ได้ตอบ")
    rt.dispatcher.run_until_idle()
    received = [m["text"] for d in rt.emulator.deliveries(somsri) for m in d.messages if m["type"] == "text"]
    assert received[-1] == "💬 เจ้าหน้าที่: รับเรื่องแล้วค่ะ ช่างไฟจะเข้าไปดูพรุ่งนี้ช่วงเช้านะคะ"

    page.get_by_role("button", name="ปิดเรื่อง").click()
    expect(page.locator("[data-case-status]")).to_have_text("ปิดแล้ว")
    assert page_errors == []
    page.context.close()


def test_staff_announce_a_project_from_its_console_page(browser, page_errors, embedded_site):
    from playwright.sync_api import expect

    base, app = embedded_site
    rt = app.extensions["kk"]
    project_id = _project(app)
    follower = rt.emulator.add_user("ชาวโคกสง่า")["userId"]
    rt.emulator.set_following(follower, True)
    with rt.db.transaction() as session:
        citizens.record_follow(session, follower, rt.clock())
        projects.follow(session, follower, project_id, rt.clock())

    page = new_page(browser, page_errors, 390, 844)
    _sign_in(page, base, app)
    page.goto(f"{base}/console/projects/{project_id}")
    page.get_by_role("link", name="ประกาศข่าวโครงการนี้").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("ซ่อมสร้างถนนลาดยาง")
    expect(page.get_by_label("ประกาศขั้นตอน")).to_have_value("in_progress")  # the stage reached, ready to send
    expect(page.get_by_label("ผู้ติดตามโครงการนี้")).to_be_checked()
    page.get_by_role("button", name="ตรวจสอบก่อนส่ง").click()
    expect(page.locator("[data-recipients]")).to_have_text("1")
    page.screenshot(path=str(SCREENSHOT_DIR / "announce_project.png"), full_page=True)
    page.get_by_role("button", name="ยืนยันส่ง").click()
    expect(page.locator(".flash-ok")).to_contain_text("ถึง 1 คน")
    rt.process_pending()
    rt.dispatcher.run_until_idle()
    received = json.dumps([m for d in rt.emulator.deliveries(follower) for m in d.messages], ensure_ascii=False)
    assert "ซ่อมสร้างถนนลาดยาง" in received and "เริ่มดำเนินการแล้ว" in received
    assert page_errors == []
    page.context.close()
