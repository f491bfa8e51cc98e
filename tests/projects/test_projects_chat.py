""""ข่าวโครงการ" in the chat: carousel, filters, detail with timeline and photos, share, follow."""

from __future__ import annotations

from urllib.parse import unquote

from services import projects
from tests.conftest import ADMIN_ID
from tests.projects.conftest import photo


def test_projects_word_shows_a_carousel_of_current_projects(chat, make_project):
    make_project("ซ่อมถนนสายบ้านไผ่", cover=True)
    make_project("อบรมทำขนมไทย", kind="career_training", districts=("phon",))
    somsri = chat("สมศรี")
    somsri.follow()
    reply = somsri.says("ข่าวโครงการ")
    assert reply.types == ["text", "flex"]
    carousel = reply.messages[1]["contents"]
    assert carousel["type"] == "carousel" and len(carousel["contents"]) == 2
    assert "ซ่อมถนนสายบ้านไผ่" in reply.text and "อบรมทำขนมไทย" in reply.text
    assert reply.labels().count("ดูรายละเอียด") == 2
    assert {"ทั้งหมด", "เลือกอำเภอ", "โครงสร้างพื้นฐาน", "ฝึกอาชีพ/สร้างรายได้"} <= set(reply.quick_replies())


def test_citizen_with_a_district_sees_their_district_and_province_wide_projects(chat, make_project):
    make_project("ถนนบ้านไผ่", districts=("ban_phai",))
    make_project("ถนนพล", districts=("phon",))
    make_project("ทั้งจังหวัด", districts=())
    somchai = chat("สมชาย")
    somchai.follow()
    somchai.says("ตั้งค่า")
    somchai.taps("พล")
    reply = somchai.says("ข่าวโครงการ")
    assert "ถนนพล" in reply.text and "ทั้งจังหวัด" in reply.text and "ถนนบ้านไผ่" not in reply.text
    assert "อำเภอของฉัน" in reply.quick_replies()
    reply = somchai.taps("ทั้งหมด")
    assert "ถนนบ้านไผ่" in reply.text


def test_filter_by_kind_and_by_a_chosen_district(chat, make_project):
    make_project("ถนนบ้านไผ่", districts=("ban_phai",))
    make_project("อบรมคอมพิวเตอร์", kind="knowledge_training", districts=("ban_phai",))
    make_project("ฝึกทอผ้า", kind="career_training", districts=("chonnabot",))
    mali = chat("มะลิ")
    mali.says("ข่าวโครงการ")
    reply = mali.taps("อบรมความรู้")
    assert "อบรมคอมพิวเตอร์" in reply.text and "ถนนบ้านไผ่" not in reply.text
    reply = mali.taps("เลือกอำเภอ")
    reply = mali.taps("ชนบท")
    assert "ฝึกทอผ้า" not in reply.text  # still filtered to knowledge training: nothing in ชนบท
    assert "ยังไม่มีโครงการ" in reply.texts[0]
    reply = mali.taps("ทั้งหมด")
    assert "ฝึกทอผ้า" in reply.text


def test_detail_shows_stage_timeline_photos_and_share_web_follow_buttons(chat, rt, clock, make_project):
    project_id = make_project("ซ่อมถนนสายบ้านไผ่", cover=True)
    clock.advance(days=10)
    with rt.db.transaction() as session:
        projects.change_stage(session, ADMIN_ID, project_id, "in_progress", clock(), note="เริ่มปรับพื้นผิว")
        projects.add_photo(session, ADMIN_ID, project_id, photo("blue"), clock())
    somying = chat("สมหญิง")
    somying.says("ข่าวโครงการ")
    reply = somying.taps("ดูรายละเอียด")
    detail = reply.text
    assert "ความคืบหน้า" in detail and "ประกาศโครงการ" in detail and "กำลังดำเนินการ" in detail
    assert "23 พ.ย. 2569" in detail and "3 ธ.ค. 2569" in detail  # Buddhist-era dates of each stage
    assert "ยังไม่ถึง" in detail  # completed / evaluated not reached
    assert "ภาพกิจกรรม" in detail
    assert "งบประมาณ 2,500,000 บาท" in detail
    share = reply.action("แชร์ให้เพื่อน")["uri"]
    assert share.startswith("https://line.me/R/share?text=")
    assert f"http://kk.test/projects/{project_id}" in unquote(share)
    assert reply.action("เปิดหน้าเว็บ")["uri"] == f"http://kk.test/projects/{project_id}"
    reply = somying.taps("ติดตามโครงการนี้")
    assert "ติดตามแล้ว" in reply.texts[0]
    with rt.db.transaction() as session:
        assert projects.is_following(session, somying.user_id, project_id)
    reply = somying.taps("ติดตามโครงการนี้")
    assert "อยู่แล้ว" in reply.texts[0]  # nobody twice
    reply = somying.taps("ดูรายละเอียด")
    assert "เลิกติดตาม" in reply.labels()
    somying.taps("เลิกติดตาม")
    with rt.db.transaction() as session:
        assert not projects.is_following(session, somying.user_id, project_id)


def test_unknown_or_unpublished_project_button_gets_a_polite_answer(chat, rt, clock, make_project):
    hidden = make_project("ร่างโครงการ", published=False)
    daeng = chat("แดง")
    assert "ไม่พบโครงการนี้" in daeng.postback(f"pj-d:{hidden}").texts[0]
    assert "ไม่พบโครงการนี้" in daeng.postback("pj-fo:999999").texts[0]
    assert "ปุ่มนี้ใช้ไม่ได้" in daeng.postback("pj-d:abc").texts[0]
    assert "ยังไม่มีโครงการ" in daeng.says("ข่าวโครงการ").texts[0]


def test_more_than_ten_projects_end_with_a_link_to_the_full_list(chat, make_project):
    for n in range(12):
        make_project(f"โครงการที่ {n + 1}", districts=())
    mali = chat("มะลิ")
    reply = mali.says("ข่าวโครงการ")
    bubbles = reply.messages[1]["contents"]["contents"]
    assert len(bubbles) == 11
    assert "ยังมีอีก 2 โครงการ" in reply.text
    assert reply.action("ดูโครงการทั้งหมด")["uri"] == "http://kk.test/projects"
