"""The rich menu: object valid against LINE's schema and limits, picture meets LINE's rules, CLI deploys it
through the API (emulator), staff get their variant linked and lose it when revoked."""

from __future__ import annotations

import io

import pytest
from PIL import Image, features

import manage
from flex_templates.richmenu import MAX_IMAGE_BYTES
from line_emulator.limits import check_limits
from line_emulator.schema import get_spec
from scheduler.jobs_announcements import sync_staff_rich_menus
from services import richmenu, staff
from tests.conftest import ADMIN_ID

MENU_WORDS = {"ข่าวโครงการ", "อบรม", "ตลาดชุมชน", "แชร์รับรายได้", "แบบสอบถาม", "ข้อมูลของฉัน", "ช่วยเหลือ"}


@pytest.mark.parametrize("variant", ["citizen", "staff"])
def test_rich_menu_object_is_valid_against_the_official_schema_and_limits(variant):
    body = richmenu.menus()[variant].request()
    assert get_spec().validate("RichMenuRequest", body) == []
    assert check_limits("/v2/bot/richmenu", body) == []
    assert body["size"] == {"width": 2500, "height": 1686}
    covered = sum(a["bounds"]["width"] * a["bounds"]["height"] for a in body["areas"])
    assert covered == 2500 * 1686  # every pixel taps something, no overlap


def test_citizen_menu_sends_the_contract_words():
    body = richmenu.menus()["citizen"].request()
    assert {a["action"]["text"] for a in body["areas"]} == MENU_WORDS


def test_staff_menu_has_the_console_and_announcement_entries():
    words = {a["action"]["text"] for a in richmenu.menus()["staff"].request()["areas"]}
    assert {"เข้าระบบเจ้าหน้าที่", "ประกาศข่าว", "ข่าวโครงการ", "ข้อมูลของฉัน"} <= words


@pytest.mark.parametrize("variant", ["citizen", "staff"])
def test_rich_menu_picture_meets_lines_rules(variant):
    assert features.check("raqm")  # Thai marks stack only with raqm layout
    data = richmenu.menus()[variant].image()
    assert len(data) <= MAX_IMAGE_BYTES
    image = Image.open(io.BytesIO(data))
    assert image.format in ("PNG", "JPEG") and image.size == (2500, 1686)


def test_cli_deploys_both_menus_through_the_api(app_config, app, line, capsys):
    line.add_user("แอดมิน", user_id=ADMIN_ID)
    assert manage.main(["richmenu", "deploy"], config=app_config) == 0
    menus = line.rich_menus()
    names = sorted(m["name"] for m in menus.values())
    assert names == ["kk-citizen-v1", "kk-staff-v1"]
    citizen_id = next(i for i, m in menus.items() if m["name"] == "kk-citizen-v1")
    staff_id = next(i for i, m in menus.items() if m["name"] == "kk-staff-v1")
    assert line.default_rich_menu_id == citizen_id
    assert line.rich_menu_image(citizen_id)[1] == "image/png"
    assert line.user_rich_menu(ADMIN_ID) == staff_id
    out = capsys.readouterr().out
    assert "ตั้งเป็นเมนูเริ่มต้นแล้ว" in out
    # Deploying again replaces the menus instead of piling them up.
    assert manage.main(["richmenu", "deploy"], config=app_config) == 0
    assert len(line.rich_menus()) == 2
    assert line.user_rich_menu(ADMIN_ID) in line.rich_menus()


def test_cli_says_clearly_when_there_is_no_staff_menu(app_config, app, capsys):
    assert manage.main(["richmenu", "link-staff"], config=app_config) == 1
    assert "ยังไม่มีเมนูเจ้าหน้าที่" in capsys.readouterr().out


def test_cli_preview_draws_offline(tmp_path):
    out = tmp_path / "menu.png"
    assert manage.main(["richmenu", "preview", "--out", str(out)]) == 0
    assert Image.open(out).size == (2500, 1686)


def test_new_staff_get_the_staff_menu_and_revoked_staff_lose_it(rt, clock, line):
    line.add_user("แอดมิน", user_id=ADMIN_ID)
    helper = line.add_user("เจ้าหน้าที่ใหม่")["userId"]
    richmenu.deploy(rt.line, "citizen")
    staff_menu = richmenu.deploy(rt.line, "staff")
    assert sync_staff_rich_menus(rt, clock()) == {"linked": 1, "unlinked": 0}  # the configured admin
    with rt.db.transaction() as session:
        staff.grant(session, ADMIN_ID, helper, clock(), admin_ids=(ADMIN_ID,))
    assert sync_staff_rich_menus(rt, clock()) == {"linked": 1, "unlinked": 0}
    assert line.user_rich_menu(helper) == staff_menu
    assert sync_staff_rich_menus(rt, clock()) == {"linked": 0, "unlinked": 0}  # idempotent
    with rt.db.transaction() as session:
        staff.revoke(session, ADMIN_ID, helper, clock(), admin_ids=(ADMIN_ID,))
    assert sync_staff_rich_menus(rt, clock()) == {"linked": 0, "unlinked": 1}
    assert line.user_rich_menu(helper) is None
    assert line.effective_rich_menu(helper) == line.default_rich_menu_id


def test_chat_bar_words_fit_lines_14_characters_whole():
    from texts import citizens as citizens_texts

    for word in (citizens_texts.MENU_CHAT_BAR, citizens_texts.MENU_CHAT_BAR_STAFF):
        assert len(word) <= 14, word  # the builder would cut it, e.g. a tone mark off the end
