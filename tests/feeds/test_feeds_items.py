"""services/feeds.py: what the website feeds list (published stages and sent announcements only), in which order,
under which filters, where a stage announcement goes, and in how many queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event

from models.projects import Announcement
from services import announcements, feeds, projects
from services.errors import DomainError
from services.projects import ProjectInput
from tests.conftest import ADMIN_ID, PUBLIC_BASE_URL


def _items(rt, **filters):
    with rt.db.transaction() as session:
        return feeds.latest_items(session, PUBLIC_BASE_URL, **filters)


def test_stages_and_sent_announcements_newest_first_with_thai_text_and_photo(rt, clock, make_project, announce,
                                                                             add_stage_photo):
    road = make_project("ซ่อมถนนสายบ้านไผ่–บ้านแฮด", districts=("ban_phai",), cover=True)
    clock.advance(hours=1)
    announce("ตลาดนัดชุมชนวันเสาร์นี้ ที่ลานหน้าศาลากลาง", with_photo=True)
    clock.advance(hours=1)
    with rt.db.transaction() as session:
        projects.change_stage(session, ADMIN_ID, road, "in_progress", clock(), note="เริ่มลงผิวถนนแล้ว")
    photo_id = add_stage_photo(road, "in_progress")

    items = _items(rt)

    assert [i.title for i in items] == ["เริ่มดำเนินการแล้ว: ซ่อมถนนสายบ้านไผ่–บ้านแฮด",
                                        "ตลาดนัดชุมชนวันเสาร์นี้ ที่ลานหน้าศาลากลาง",
                                        "โครงการใหม่: ซ่อมถนนสายบ้านไผ่–บ้านแฮด"]
    stage, news, first = items
    assert stage.text == "เริ่มลงผิวถนนแล้ว"
    assert stage.url == f"{PUBLIC_BASE_URL}/projects/{road}"
    assert stage.published == clock() and stage.published.tzinfo is not None
    assert stage.districts == ("ban_phai",) and stage.project_kind == "infrastructure"
    assert stage.image.url.startswith(f"{PUBLIC_BASE_URL}/media/{photo_id}-") and stage.image.url.endswith(".jpg")
    assert stage.image.mime_type == "image/jpeg" and stage.image.length > 500
    assert first.text == "ซ่อมผิวถนนลาดยาง ระยะทาง 5 กม."  # no note: the project's description
    assert first.image is not None and first.image.url != stage.image.url  # the cover
    assert news.text == "ตลาดนัดชุมชนวันเสาร์นี้ ที่ลานหน้าศาลากลาง" and news.project_kind is None
    assert news.image is not None and news.url == f"{PUBLIC_BASE_URL}/projects"
    assert len({i.id for i in items}) == 3 and all(i.id.startswith("tag:kk.test,2026:") for i in items)


def test_image_length_is_what_the_media_route_serves(rt, client, make_project):
    make_project(cover=True)
    (item,) = _items(rt)
    body = client.get(item.image.url.removeprefix(PUBLIC_BASE_URL)).data
    assert item.image.length == len(body)
    assert client.get(item.image.thumb_url.removeprefix(PUBLIC_BASE_URL)).status_code == 200


def test_hidden_projects_scheduled_and_cancelled_announcements_stay_out(rt, clock, make_project, announce):
    hidden = make_project("โครงการที่ยังไม่เปิดเผย")
    with rt.db.transaction() as session:
        projects.update_project(session, ADMIN_ID, hidden, ProjectInput(published=False), clock())
    later = announce("ประกาศตั้งเวลาไว้พรุ่งนี้", send_at=clock() + timedelta(days=1))
    cancelled = announce("ประกาศที่ยกเลิกแล้ว", send_at=clock() + timedelta(days=1))
    with rt.db.transaction() as session:
        announcements.cancel(session, ADMIN_ID, cancelled, clock())
    assert _items(rt) == []
    with rt.db.transaction() as session:
        assert feeds.feed_entry(session, session.get(Announcement, later), PUBLIC_BASE_URL) is None
        assert feeds.feed_entry_url(session, session.get(Announcement, cancelled), PUBLIC_BASE_URL) is None

    clock.advance(days=1, minutes=1)  # the scheduled one goes out: now it is news
    with rt.db.transaction() as session:
        assert announcements.send_due(session, clock()) == [later]
    assert [i.title for i in _items(rt)] == ["ประกาศตั้งเวลาไว้พรุ่งนี้"]
    assert _items(rt)[0].published == clock()


def test_announcement_to_a_hidden_projects_followers_is_hidden_with_it(rt, clock, make_project, announce):
    project = make_project("สร้างศาลาประชาคม")
    announce("ขอเชิญประชุมประชาคมหมู่บ้าน", project_id=project)
    assert any(i.announcement_id for i in _items(rt))
    with rt.db.transaction() as session:
        projects.update_project(session, ADMIN_ID, project, ProjectInput(published=False), clock())
    assert _items(rt) == []


def test_a_stage_announcement_is_folded_into_its_stage_item(rt, clock, make_project, announce_stage):
    project = make_project("ฝึกอาชีพทำขนมไทย", kind="career_training", districts=("phon",))
    clock.advance(hours=2)
    announcement_id = announce_stage(project)
    items = _items(rt)
    assert [(i.stage, i.announcement_id) for i in items] == [("announced", None)]  # told once, not twice
    with rt.db.transaction() as session:
        entry = feeds.feed_entry(session, session.get(Announcement, announcement_id), PUBLIC_BASE_URL)
        assert feeds.feed_entry_url(session, session.get(Announcement, announcement_id), PUBLIC_BASE_URL) == \
            f"{PUBLIC_BASE_URL}/projects/{project}"
    assert entry.id == items[0].id and entry.folded_into_stage == "announced"

    with rt.db.transaction() as session:
        projects.change_stage(session, ADMIN_ID, project, "completed", clock())
    completed = announce_stage(project)
    with rt.db.transaction() as session:
        entry = feeds.feed_entry(session, session.get(Announcement, completed), PUBLIC_BASE_URL)
    assert entry.folded_into_stage == "completed" and entry.id == _items(rt)[0].id


def test_a_plain_announcement_has_its_own_entry_and_its_own_link(rt, announce):
    announcement_id = announce("อ่านรายละเอียดบนเว็บไซต์", link="https://www.kkpao.go.th/news/12")
    (item,) = _items(rt)
    assert item.url == "https://www.kkpao.go.th/news/12"
    with rt.db.transaction() as session:
        entry = feeds.feed_entry(session, session.get(Announcement, announcement_id), PUBLIC_BASE_URL)
    assert (entry.id, entry.url, entry.folded_into_stage) == (item.id, item.url, None)


def test_district_filter_keeps_province_wide_items_everywhere(rt, clock, make_project, announce):
    make_project("ถนนในอำเภอพล", districts=("phon",))
    make_project("ประปาหมู่บ้านบ้านไผ่", districts=("ban_phai",))
    make_project("อบรมทั้งจังหวัด", kind="knowledge_training", districts=())
    announce("ข่าวสำหรับอำเภอพล", districts=("phon",))
    announce("ข่าวสำหรับทุกคน")
    follower_news = make_project("ฝายชะลอน้ำชุมแพ", districts=("chum_phae",))
    announce("ข่าวถึงผู้ติดตามฝาย", project_id=follower_news)

    phon = {i.title for i in _items(rt, district="phon")}
    assert phon == {"โครงการใหม่: ถนนในอำเภอพล", "โครงการใหม่: อบรมทั้งจังหวัด", "ข่าวสำหรับอำเภอพล",
                    "ข่าวสำหรับทุกคน"}
    chum_phae = {i.title for i in _items(rt, district="chum_phae")}
    assert chum_phae == {"โครงการใหม่: อบรมทั้งจังหวัด", "ข่าวสำหรับทุกคน", "โครงการใหม่: ฝายชะลอน้ำชุมแพ",
                         "ข่าวถึงผู้ติดตามฝาย"}
    assert len(_items(rt)) == 7


def test_kind_filter_keeps_only_that_kinds_projects(rt, make_project, announce):
    training = make_project("อบรมการตลาดออนไลน์", kind="knowledge_training")
    make_project("ถนนลาดยาง", kind="infrastructure")
    announce("ข่าวทั่วไป")
    announce("เปิดรับสมัครอบรมแล้ว", project_id=training)
    titles = {i.title for i in _items(rt, kind="knowledge_training")}
    assert titles == {"โครงการใหม่: อบรมการตลาดออนไลน์", "เปิดรับสมัครอบรมแล้ว"}
    assert {i.project_kind for i in _items(rt, kind="infrastructure")} == {"infrastructure"}
    assert _items(rt, district="phon", kind="career_training") == []


@pytest.mark.parametrize("filters, code, valid", [({"district": "bangkok"}, "unknown_district", "ban_phai"),
                                                  ({"kind": "party"}, "unknown_kind", "career_training")])
def test_unknown_filters_are_refused_in_thai_naming_the_valid_codes(rt, filters, code, valid):
    with pytest.raises(DomainError) as error:
        _items(rt, **filters)
    assert error.value.code == code
    assert "ไม่รู้จัก" in error.value.message and valid in error.value.message


def test_empty_filters_mean_no_filter(rt, make_project):
    make_project()
    assert len(_items(rt, district="", kind=" ")) == 1


def test_limit_and_a_fixed_number_of_queries(rt, clock, make_project, announce, add_stage_photo):
    for n in range(6):
        project = make_project(f"โครงการที่ {n}", cover=n % 2 == 0)
        add_stage_photo(project)
        announce(f"ข่าวที่ {n}", with_photo=True)
        clock.advance(minutes=5)
    statements: list[str] = []
    engine = rt.db.engine

    def count(conn, cursor, statement, *args) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        items = _items(rt, limit=5)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(items) == 5 and all(i.image for i in items)
    assert len(statements) <= 3
    assert [i.published for i in items] == sorted((i.published for i in items), reverse=True)
    assert len(_items(rt)) == 12


def test_an_announcements_link_skips_share_links_photos_and_files(rt, clock):
    from services.announcements import Audience

    bubble = {"type": "bubble",
              "hero": {"type": "image", "url": "https://cdn.example.org/x.jpg",
                       "action": {"type": "uri", "uri": f"{PUBLIC_BASE_URL}/media/1-0123456789abcdef.jpg"}},
              "body": {"type": "box", "layout": "vertical", "contents": [
                  {"type": "text", "text": "งานกาชาดประจำปี"},
                  {"type": "text", "contents": [{"type": "span", "text": "เริ่ม "}, {"type": "span", "text": "๑ ธ.ค."}]},
                  {"type": "button", "action": {"type": "uri", "label": "แชร์", "uri": "https://line.me/R/share?text=x"}},
                  {"type": "button", "action": {"type": "uri", "label": "ปฏิทิน",
                                                "uri": f"{PUBLIC_BASE_URL}/trainings/3.ics"}},
                  {"type": "button", "action": {"type": "uri", "label": "อ่านต่อ",
                                                "uri": "https://www.kkpao.go.th/red-cross"}}]}}
    with rt.db.transaction() as session:
        announcements.create_announcement(session, ADMIN_ID, [{"type": "flex", "altText": "งานกาชาด",
                                                               "contents": bubble}], Audience(), None, clock(),
                                          source="api")
    (item,) = _items(rt)
    assert item.url == "https://www.kkpao.go.th/red-cross"
    assert item.text == "งานกาชาดประจำปี\nเริ่ม ๑ ธ.ค."  # what people read; button labels are not news
    assert item.image is None  # a photo elsewhere has no size we can vouch for, so no enclosure


def test_stage_entry_matches_the_stage_item_and_hides_with_the_project(rt, clock, make_project):
    project_id = make_project(stage="in_progress")
    items = {i.stage: i for i in _items(rt)}
    with rt.db.transaction() as session:
        project = projects.get(session, project_id)
        entry = feeds.stage_entry(project, "in_progress", PUBLIC_BASE_URL)
        assert (entry.id, entry.url) == (items["in_progress"].id, items["in_progress"].url)
        assert feeds.stage_entry(project, "announced", PUBLIC_BASE_URL).id == items["announced"].id
        assert feeds.stage_entry(project, "completed", PUBLIC_BASE_URL) is None  # not reached
        projects.update_project(session, ADMIN_ID, project_id, ProjectInput(published=False), clock())
        assert feeds.stage_entry(project, "in_progress", PUBLIC_BASE_URL) is None
