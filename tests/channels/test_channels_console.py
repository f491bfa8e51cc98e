"""/console/channels: staff-only on every request, posted rows link to Facebook, dead rows show Facebook's message
with a retry button (CSRF-checked), dead posts count on the overview; in emulator mode without a Page the stand-in
takes the posts and the page says "จะโพสต์ลง Facebook (โหมดจำลอง)"."""

from __future__ import annotations

from tests.channels.conftest import announce, post_row, run_job
from tests.conftest import ADMIN_ID
from tests.simulator.test_emulator_mode import emulated_app
from tests.web.conftest import csrf_from, make_staff, staff_login
from texts import channels as channels_texts

EXEC_ID = "U" + "e" * 32


def test_the_page_is_for_signed_in_staff_only(app, rt, client):
    assert client.get("/console/channels").status_code == 401
    make_staff(rt, EXEC_ID, role="executive")
    staff_login(client, EXEC_ID)
    assert client.get("/console/channels").status_code == 403


def test_posted_rows_link_to_facebook_and_dead_rows_show_facebooks_message_with_a_retry(app, rt, clock, client,
                                                                                         facebook):
    posted_id = announce(rt, "ข่าวที่โพสต์แล้ว")
    run_job(rt)
    dead_id = announce(rt, "ข่าวที่โพสต์ไม่ได้")
    facebook.fail_next("400_permission")
    run_job(rt)
    staff_login(client, ADMIN_ID)
    html = client.get("/console/channels").get_data(as_text=True)
    assert channels_texts.MODE_FACEBOOK.format(page_id=facebook.page_id) in html
    assert f'href="{post_row(rt, posted_id).permalink}"' in html and channels_texts.OPEN_POST in html
    dead_card = html.split(f'data-channel-post="{dead_id}"')[1].split("</li>")[0]
    assert channels_texts.STATUS["dead"] in dead_card
    assert "(#200) The user hasn&#39;t authorized the application to perform this action" in dead_card
    assert channels_texts.RETRY in dead_card
    # The overview counts dead posts for staff.
    overview = client.get("/console").get_data(as_text=True)
    assert channels_texts.WAITING_LABEL in overview

    url = f"/console/channels/{dead_id}/retry"
    assert client.post(url, data={}).status_code == 400  # no CSRF token
    assert post_row(rt, dead_id).status == "dead"
    answer = client.post(url, data={"csrf_token": csrf_from(html)})
    assert answer.status_code == 302
    assert post_row(rt, dead_id).status == "pending"
    assert channels_texts.RETRIED.format(id=dead_id) in client.get("/console/channels").get_data(as_text=True)
    run_job(rt)
    assert post_row(rt, dead_id).status == "posted"
    assert [p.message.split("\n")[0] for p in facebook.posts] == ["ข่าวที่โพสต์แล้ว", "ข่าวที่โพสต์ไม่ได้"]
    # Retrying what is not dead is refused politely and changes nothing.
    again = client.post(url, data={"csrf_token": csrf_from(html)}, follow_redirects=True)
    assert channels_texts.RETRY_ONLY_DEAD in again.get_data(as_text=True)
    assert client.post("/console/channels/999999/retry", data={"csrf_token": csrf_from(html)}).status_code == 404


def test_a_signed_in_staff_member_who_lost_rights_cannot_retry(app, rt, clock, client, facebook):
    post_id = announce(rt)
    facebook.fail_next("400_token")
    run_job(rt)
    make_staff(rt, "U" + "f" * 32)
    staff_login(client, "U" + "f" * 32)
    token = csrf_from(client.get("/console/channels").get_data(as_text=True))
    from services.staff import revoke

    with rt.db.transaction() as session:
        revoke(session, ADMIN_ID, "U" + "f" * 32, clock(), admin_ids=rt.settings.ADMIN_LINE_USER_IDS)
    assert client.post(f"/console/channels/{post_id}/retry", data={"csrf_token": token}).status_code == 401
    assert post_row(rt, post_id).status == "dead"


def test_emulator_mode_without_a_page_posts_to_the_stand_in_and_says_so(database_url, tmp_path):
    from tests.conftest import _wipe

    _wipe(database_url)
    with emulated_app(database_url, str(tmp_path / "instance"), ADMIN_LINE_USER_IDS=(ADMIN_ID,)) as app:
        rt = app.extensions["kk"]
        client = app.test_client()
        post_id = announce(rt, "ข่าวทดลองในโหมดจำลอง")
        staff_login(client, ADMIN_ID)
        html = client.get("/console/channels").get_data(as_text=True)
        assert "จะโพสต์ลง Facebook (โหมดจำลอง)" in html
        assert "ข่าวทดลองในโหมดจำลอง" in html
        assert run_job(rt) == 1
        [made] = rt.facebook_standin.posts
        row = post_row(rt, post_id)
        assert row.status == "posted" and row.post_id == made.id and made.message.endswith(row.marker)
        # The permalink is the stand-in's own page, never facebook.com.
        assert row.permalink == f"http://127.0.0.1:5999/facebook-standin/_posts/{made.id}"
        page = client.get(f"/facebook-standin/_posts/{made.id}")
        assert page.status_code == 200 and "not posted to Facebook" in page.get_data(as_text=True)
        html = client.get("/console/channels").get_data(as_text=True)
        assert channels_texts.STANDIN_STATUS["posted"] in html


def test_emulator_mode_with_a_page_configured_uses_facebook_not_the_stand_in(database_url, tmp_path):
    from tests.conftest import _wipe

    _wipe(database_url)
    with emulated_app(database_url, str(tmp_path / "instance"), FACEBOOK_PAGE_ID="123",
                      FACEBOOK_PAGE_ACCESS_TOKEN="token") as app:
        rt = app.extensions["kk"]
        assert getattr(rt, "facebook_standin", None) is None
        assert app.test_client().get("/facebook-standin/v26.0/123/posts").status_code == 404


def _render(app, source: str, form: dict | None = None, **context) -> str:
    from flask import render_template_string

    with app.test_request_context("/console/announcements/preview", method="POST", data=form or {}):
        return render_template_string(source, **context)


def test_the_announce_form_offers_facebook_only_when_it_can_be_used(app, rt, monkeypatch):
    from services import channels

    html = _render(app, '{% include "console/_facebook_choice.html" %}')
    assert 'name="channel_facebook"' in html and channels_texts.CHANNEL_FACEBOOK in html
    assert channels_texts.CHANNEL_WEBSITE in html
    assert 'checked>' not in html.split('name="channel_facebook"')[1].split("</label>")[0]
    assert 'value="1" checked' in _render(app, '{% include "console/_facebook_choice.html" %}',
                                          {"channel_facebook": "1"})
    assert channels.facebook_chosen({"channel_facebook": "1"}, rt.settings)
    monkeypatch.setattr(rt, "settings", rt.settings.with_(FACEBOOK_PAGE_ID=None))
    html = _render(app, '{% include "console/_facebook_choice.html" %}')
    assert 'name="channel_facebook"' not in html and channels_texts.CHANNEL_WEBSITE in html
    # A forged field does nothing when Facebook is off.
    assert not channels.facebook_chosen({"channel_facebook": "1"}, rt.settings)


def test_the_preview_shows_what_would_be_posted(app, rt):
    from flex_templates.projects import free_announcement
    from services import channels

    post = channels.preview_post([free_announcement("ตลาดนัดชุมชนเสาร์นี้", None, "https://kk.test/market")])
    assert post == {"text": "ตลาดนัดชุมชนเสาร์นี้", "link": "https://kk.test/market", "photo_url": None}
    html = _render(app, '{% include "console/_facebook_preview.html" %}', facebook_post=post)
    assert channels_texts.WILL_POST in html and "ตลาดนัดชุมชนเสาร์นี้" in html
    assert 'name="channel_facebook" value="1"' in html
    assert "data-facebook-preview" not in _render(app, '{% include "console/_facebook_preview.html" %}',
                                                  facebook_post=None)


def test_an_announcements_facebook_post_shows_with_its_link(app, rt, facebook):
    from flask import render_template_string

    from services import channels

    announcement_id = post_row(rt, announce(rt)).announcement_id
    run_job(rt)
    with rt.db.transaction() as session:
        posts = channels.posts_for(session, announcement_id)
        with app.test_request_context("/console/announcements"):
            html = render_template_string('{% include "console/_channel_posts.html" %}', posts=posts)
    assert channels_texts.STATUS["posted"] in html and f'href="{posts[0].permalink}"' in html
