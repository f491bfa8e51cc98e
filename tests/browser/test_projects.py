"""Real-browser checks: the public project page on a phone, and the console's announcement form end to end."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from PIL import Image

from services import projects, staff
from services.projects import ProjectInput
from tests.browser.support import ADMIN, SCREENSHOT_DIR, new_page

pytestmark = pytest.mark.browser



def _photo(color: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (640, 420), color).save(out, "JPEG")
    return out.getvalue()




def _project(app: Any) -> int:
    rt = app.extensions["kk"]
    with rt.db.transaction() as session:
        project = projects.create_project(session, ADMIN, ProjectInput(
            kind="infrastructure", title="ซ่อมสร้างถนนลาดยางสายบ้านโนนสะอาด–บ้านหนองไผ่", districts=["phon", "non_sila"],
            description="ปรับปรุงผิวจราจรเดิมที่ชำรุด ระยะทาง 4.2 กิโลเมตร\nพร้อมติดตั้งป้ายเตือนและไฟส่องสว่าง",
            location="ต.โคกสง่า อ.พล", budget="4850000", start_date=date(2026, 12, 1), end_date=date(2027, 4, 30)),
            rt.clock())
        projects.set_cover(session, ADMIN, project.id, _photo("#6b8f71"), rt.clock())
        projects.change_stage(session, ADMIN, project.id, "in_progress", rt.clock(), note="เริ่มปรับเกลี่ยผิวทางแล้ว")
        for color in ("#a0522d", "#708090", "#daa520"):
            projects.add_photo(session, ADMIN, project.id, _photo(color), rt.clock())
        return project.id


def test_public_project_page_reads_well_on_a_phone(browser, page_errors, embedded_site):
    from playwright.sync_api import expect

    base, app = embedded_site
    project_id = _project(app)
    page = new_page(browser, page_errors, 390, 844)
    page.goto(f"{base}/projects/{project_id}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("ซ่อมสร้างถนนลาดยาง")
    expect(page.locator("[data-stage=in_progress]")).to_contain_text("เริ่มปรับเกลี่ยผิวทางแล้ว")
    expect(page.locator("[data-stage=completed]")).to_contain_text("ยังไม่ถึงขั้นตอนนี้")
    expect(page.locator(".pub-photos img")).to_have_count(3)
    expect(page.get_by_role("link", name="แชร์ทาง LINE")).to_be_visible()
    expect(page.get_by_role("link", name="แชร์ทาง Facebook")).to_be_visible()
    expect(page.get_by_role("link", name="เว็บไซต์ อบจ.ขอนแก่น")).to_have_attribute("href", "https://www.kkpao.go.th")
    for image in page.locator("img").all():  # every photo really loads from /media
        assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # no sideways scrolling
    page.screenshot(path=str(SCREENSHOT_DIR / "project_page.png"), full_page=True)
    page.goto(f"{base}/projects?district=phon")
    expect(page.locator(f"[data-project='{project_id}']")).to_be_visible()
    page.screenshot(path=str(SCREENSHOT_DIR / "project_list.png"), full_page=True)
    assert page_errors == []
    page.context.close()


def test_staff_announce_from_the_console_form(browser, page_errors, embedded_site):
    from playwright.sync_api import expect

    base, app = embedded_site
    rt = app.extensions["kk"]
    resident = rt.emulator.add_user("ชาวพล")["userId"]
    from services import citizens

    with rt.db.transaction() as session:
        citizens.record_follow(session, resident, rt.clock())
        citizens.set_district(session, resident, "phon", rt.clock())
        token = staff.issue_login_token(session, ADMIN, rt.clock(), (ADMIN,))

    page = new_page(browser, page_errors, 390, 844)
    page.goto(f"{base}/console/login/{token}")
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.goto(f"{base}/console/announcements/new")
    page.get_by_label("ข้อความประกาศ").fill("ขอเชิญร่วมงานวันผู้สูงอายุ\nวันศุกร์นี้ 9 โมง ที่ว่าการอำเภอพล")
    page.get_by_label("ลิงก์อ่านเพิ่มเติม").fill("https://www.kkpao.go.th/news")
    page.get_by_label("เฉพาะอำเภอที่เลือก").check()
    page.locator("fieldset.checks").first.get_by_label("พล", exact=True).check()
    page.get_by_role("button", name="ตรวจสอบก่อนส่ง").click()
    expect(page.locator("[data-recipients]")).to_have_text("1")
    expect(page.locator("[data-quota-left]")).to_have_text("ไม่จำกัด")
    expect(page.locator("#bubble")).to_contain_text("วันผู้สูงอายุ")
    expect(page.locator("#audience")).to_contain_text("อำเภอ พล")
    page.screenshot(path=str(SCREENSHOT_DIR / "announce_preview.png"), full_page=True)
    page.get_by_role("button", name="ยืนยันส่ง").click()
    expect(page.locator(".flash-ok")).to_contain_text("ถึง 1 คน")
    rt.process_pending()
    received = [m for d in rt.emulator.deliveries(resident) for m in d.messages]
    assert received and "วันผู้สูงอายุ" in str(received[-1])
    page.reload()
    expect(page.locator("[data-counts]").first).to_contain_text("ส่งสำเร็จ 1")
    page.screenshot(path=str(SCREENSHOT_DIR / "announcements.png"), full_page=True)
    assert page_errors == []
    page.context.close()
