"""What an announcement becomes on Facebook: a free announcement's text, photo and link; a project stage's title,
facts, cover photo and public page, tagged with the project and stage so its console page can show the post."""

from __future__ import annotations

from flex_templates.projects import free_announcement
from services import announcements, channels, projects
from services.announcements import Audience
from tests.channels.conftest import post_row, run_job
from tests.conftest import ADMIN_ID, PUBLIC_BASE_URL
from tests.projects.conftest import make_project  # noqa: F401 - fixture
from tests.web.conftest import csrf_from, staff_client  # noqa: F401 - fixture


def test_a_free_announcement_with_photo_and_link_posts_the_photo_with_text_and_link(rt, clock, facebook):
    message = free_announcement("เปิดรับสมัครอบรมทำขนมไทย 20 ที่นั่ง", "https://kk.test/media/9.jpg",
                                "https://kk.test/trainings/4")
    with rt.db.transaction() as session:
        row = announcements.create_announcement(session, ADMIN_ID, [message], Audience(), None, clock(),
                                                source="console")
        post_id = channels.queue_for_announcement(session, row, now=clock()).id
        announcement_id = row.id
    run_job(rt)
    [made] = facebook.posts
    assert made.kind == "photos" and made.photo_url == "https://kk.test/media/9.jpg"
    assert made.message.startswith("เปิดรับสมัครอบรมทำขนมไทย 20 ที่นั่ง\nhttps://kk.test/trainings/4\n\n#kk")
    with rt.db.transaction() as session:
        assert [p.id for p in channels.posts_for(session, announcement_id)] == [post_id]
        assert channels.posts_by_announcement(session, [announcement_id, 999])[999] == []


def test_a_stage_announcement_posts_the_project_with_its_public_page(rt, clock, facebook, make_project):  # noqa: F811
    project_id = make_project("ซ่อมถนนสายบ้านไผ่–บ้านแฮด", cover=True, stage="in_progress")
    with rt.db.transaction() as session:
        row = projects.announce(session, ADMIN_ID, project_id, PUBLIC_BASE_URL, Audience(), None, clock())
        post = channels.queue_for_announcement(session, row, now=clock())
        assert (post.project_id, post.stage) == (project_id, "in_progress")
        post_id = post.id
    run_job(rt)
    [made] = facebook.posts
    assert made.kind == "photos" and made.photo_url.startswith(PUBLIC_BASE_URL)
    lines = made.message.split("\n")
    assert lines[0] == "🚧 เริ่มดำเนินการแล้ว" and lines[1] == "ซ่อมถนนสายบ้านไผ่–บ้านแฮด"
    assert f"{PUBLIC_BASE_URL}/projects/{project_id}" in made.message
    assert post_row(rt, post_id).status == "posted"
    with rt.db.transaction() as session:
        assert [p.id for p in channels.posts_for_stage(session, project_id, "in_progress")] == [post_id]
        assert channels.posts_for_stage(session, project_id, "completed") == []


def test_a_text_announcement_posts_text_only_to_feed(rt, clock, facebook):
    with rt.db.transaction() as session:
        row = announcements.create_announcement(session, ADMIN_ID, [{"type": "text", "text": "งดจ่ายน้ำพรุ่งนี้"}],
                                                Audience(), None, clock(), source="console")
        channels.queue_for_announcement(session, row, now=clock())
    run_job(rt)
    [made] = facebook.posts
    assert made.kind == "feed" and made.link is None and made.message.startswith("งดจ่ายน้ำพรุ่งนี้\n\n#kk")


def test_staff_choose_facebook_on_the_announce_form_and_see_where_it_went(staff_client, rt, facebook):  # noqa: F811
    form_page = staff_client.get("/console/announcements/new").get_data(as_text=True)
    assert 'name="channel_facebook"' in form_page  # offered: the Page is configured (the stand-in here)
    form = {"csrf_token": csrf_from(form_page), "text": "ตลาดนัดชุมชน เสาร์นี้ หน้าที่ว่าการอำเภอ",
            "audience_kind": "everyone", "when": "now", "channel_facebook": "1"}
    preview = staff_client.post("/console/announcements/preview", data=form).get_data(as_text=True)
    assert "data-facebook-preview" in preview and "ตลาดนัดชุมชน เสาร์นี้" in preview
    assert staff_client.post("/console/announcements", data=form).status_code == 302
    run_job(rt)
    [made] = facebook.posts
    assert made.message.startswith("ตลาดนัดชุมชน เสาร์นี้")
    listing = staff_client.get("/console/announcements").get_data(as_text=True)
    assert "data-channel-post" in listing and 'data-status="posted"' in listing

    # Not chosen: LINE only, nothing queued for Facebook.
    staff_client.post("/console/announcements", data={**form, "channel_facebook": ""})
    run_job(rt)
    assert len(facebook.posts) == 1
