"""A Facebook post is made exactly once although the Graph API has no retry key: the post id is recorded, a request
that may have been applied (timeout, 5xx, a crash mid-send) is searched for by its marker before any retry, and
failures end as dead letters with Facebook's own message. All against the stand-in over real HTTP."""

from __future__ import annotations

from datetime import timedelta

from models.channels import ChannelPost
from services import channels
from tests.channels.conftest import announce, post_row, run_job


def test_text_and_link_go_to_feed_with_the_marker_and_the_post_id_is_recorded(rt, clock, facebook):
    post_id = announce(rt)
    assert run_job(rt) == 1
    assert len(facebook.posts) == 1
    made = facebook.posts[0]
    row = post_row(rt, post_id)
    assert made.kind == "feed"
    assert made.link == "https://kk.test/projects/1"
    assert made.message.startswith("ประชุมประชาคมหมู่บ้าน วันศุกร์นี้ 9 โมง")
    assert made.message.endswith(row.marker) and row.marker.startswith("#kk")
    assert row.status == "posted" and row.post_id == made.id
    assert row.permalink and row.permalink.endswith(f"/_posts/{made.id}")
    assert row.attempts == 1 and row.last_error is None


def test_a_photo_goes_to_photos_with_the_caption_carrying_the_link(rt, facebook):
    post_id = announce(rt, photo_url="https://kk.test/media/7.jpg")
    run_job(rt)
    [made] = facebook.posts
    assert made.kind == "photos"
    assert made.photo_url == "https://kk.test/media/7.jpg"
    assert "https://kk.test/projects/1" in made.message
    assert facebook.requests[0] == ("POST", f"/v26.0/{facebook.page_id}/photos")
    assert post_row(rt, post_id).post_id == made.id  # the page post, not the photo object


def test_a_posted_row_is_never_posted_again_however_often_the_job_runs(rt, clock, facebook):
    announce(rt)
    run_job(rt)
    for _ in range(3):
        clock.advance(hours=5)
        assert run_job(rt) == 0
    assert len(facebook.posts) == 1
    assert facebook.publish_requests() == 1


def test_applied_then_timed_out_is_found_by_its_marker_and_not_posted_again(rt, clock, facebook):
    post_id = announce(rt)
    facebook.fail_next("timeout_after")
    assert run_job(rt) == 0
    row = post_row(rt, post_id)
    assert len(facebook.posts) == 1  # Facebook made it; we never heard
    assert row.status == "pending" and row.maybe_posted and row.last_error == "timeout"
    assert run_job(rt) == 0  # not due yet: backoff
    clock.advance(hours=2)
    assert run_job(rt) == 1
    row = post_row(rt, post_id)
    assert len(facebook.posts) == 1 and facebook.publish_requests() == 1
    assert row.status == "posted" and row.post_id == facebook.posts[0].id and row.permalink
    assert ("GET", f"/v26.0/{facebook.page_id}/posts") in facebook.requests


def test_timed_out_before_applying_is_searched_for_then_posted_once(rt, clock, facebook):
    post_id = announce(rt)
    facebook.fail_next("timeout_before")
    run_job(rt)
    assert facebook.posts == [] and post_row(rt, post_id).maybe_posted
    clock.advance(hours=2)
    assert run_job(rt) == 1
    assert len(facebook.posts) == 1 and facebook.publish_requests() == 2
    assert ("GET", f"/v26.0/{facebook.page_id}/posts") in facebook.requests


def test_500_after_applying_is_not_posted_twice(rt, clock, facebook):
    post_id = announce(rt)
    facebook.fail_next("500_after")
    run_job(rt)
    row = post_row(rt, post_id)
    assert row.status == "pending" and row.maybe_posted and row.last_error == "An unknown error has occurred."
    clock.advance(hours=2)
    run_job(rt)
    assert len(facebook.posts) == 1 and facebook.publish_requests() == 1
    assert post_row(rt, post_id).post_id == facebook.posts[0].id


def test_500_before_applying_is_posted_once_on_retry(rt, clock, facebook):
    post_id = announce(rt)
    facebook.fail_next("500_before", "500_before")
    run_job(rt)
    clock.advance(hours=2)
    run_job(rt)
    assert facebook.posts == [] and post_row(rt, post_id).attempts == 2
    clock.advance(hours=2)
    run_job(rt)
    assert len(facebook.posts) == 1 and post_row(rt, post_id).status == "posted"


def test_when_the_search_fails_nothing_is_posted_until_a_search_succeeds(rt, clock, facebook):
    post_id = announce(rt)
    facebook.fail_next("500_after")
    run_job(rt)
    facebook.lookup_faults.append("500")
    clock.advance(hours=2)
    run_job(rt)
    row = post_row(rt, post_id)
    assert row.status == "pending" and row.maybe_posted and facebook.publish_requests() == 1
    clock.advance(hours=2)
    run_job(rt)
    assert len(facebook.posts) == 1 and facebook.publish_requests() == 1
    assert post_row(rt, post_id).status == "posted"


def test_a_crash_while_sending_is_recovered_by_searching_after_the_lease(rt, clock, facebook):
    post_id = announce(rt)
    with rt.db.transaction() as session:
        [claim] = channels.claim_due(session, clock())
    # The request went out and Facebook made the post; then the process died before recording anything.
    from scheduler.jobs_channels import graph_client

    graph_client(rt).publish(claim.message, claim.link, claim.photo_url)
    assert run_job(rt) == 0  # still leased to the dead sender
    clock.advance(channels.LEASE + timedelta(seconds=1))
    assert run_job(rt) == 1
    row = post_row(rt, post_id)
    assert row.status == "posted" and row.post_id == facebook.posts[0].id
    assert len(facebook.posts) == 1 and facebook.publish_requests() == 1


def test_a_bad_token_is_dead_at_once_with_facebooks_message(rt, clock, facebook):
    post_id = announce(rt)
    facebook.fail_next("400_token")
    run_job(rt)
    row = post_row(rt, post_id)
    assert row.status == "dead" and row.attempts == 1
    assert row.last_error == "Error validating access token: Session has expired."
    clock.advance(hours=5)
    run_job(rt)
    assert facebook.posts == [] and facebook.publish_requests() == 1


def test_429_is_retried_without_a_search(rt, clock, facebook):
    post_id = announce(rt)
    facebook.fail_next("429")
    run_job(rt)
    row = post_row(rt, post_id)
    assert row.status == "pending" and not row.maybe_posted and row.last_error == "(#32) Page request limit reached"
    clock.advance(hours=2)
    run_job(rt)
    assert post_row(rt, post_id).status == "posted"
    assert [r for r in facebook.requests if r[0] == "GET" and r[1].endswith("/posts")] == []


def test_after_the_last_attempt_the_row_is_dead_and_a_staff_retry_searches_first(rt, clock, facebook):
    post_id = announce(rt)
    facebook.fail_next("500_before", "500_before", "500_before", "500_after")
    for _ in range(4):  # FACEBOOK_MAX_ATTEMPTS is 4 in these tests
        run_job(rt)
        clock.advance(hours=2)
    row = post_row(rt, post_id)
    assert row.status == "dead" and row.attempts == 4 and row.maybe_posted
    assert len(facebook.posts) == 1  # the last try was applied after all
    from tests.conftest import ADMIN_ID

    with rt.db.transaction() as session:
        channels.retry(session, ADMIN_ID, post_id, clock(), rt.settings.ADMIN_LINE_USER_IDS)
    run_job(rt)
    row = post_row(rt, post_id)
    assert row.status == "posted" and row.post_id == facebook.posts[0].id
    assert len(facebook.posts) == 1 and facebook.publish_requests() == 4


def test_backoff_grows_with_jitter():
    waits = [channels.backoff(n) for n in (1, 2, 3, 12)]
    assert timedelta(seconds=15) <= waits[0] <= timedelta(seconds=30)
    assert timedelta(seconds=30) <= waits[1] <= timedelta(seconds=60)
    assert timedelta(seconds=60) <= waits[2] <= timedelta(seconds=120)
    assert timedelta(minutes=30) <= waits[3] <= timedelta(hours=1)
    assert len({channels.backoff(3) for _ in range(5)}) > 1


def test_a_scheduled_announcement_is_posted_at_its_time_and_not_if_cancelled(rt, clock, facebook):
    from services import announcements
    from services.announcements import Audience

    with rt.db.transaction() as session:
        rows = []
        for text in ("ข่าวที่หนึ่ง", "ข่าวที่สอง"):
            row = announcements.create_announcement(session, "system", [{"type": "text", "text": text}], Audience(),
                                                    clock() + timedelta(hours=3), clock(), source="console")
            channels.queue_facebook_post(session, text=text, announcement_id=row.id, send_at=row.send_at, now=clock())
            rows.append(row.id)
    run_job(rt)
    assert facebook.posts == []
    with rt.db.transaction() as session:
        announcements.cancel(session, "system", rows[1], clock())
    clock.advance(hours=3)
    run_job(rt)
    assert [p.message.split("\n")[0] for p in facebook.posts] == ["ข่าวที่หนึ่ง"]
    with rt.db.transaction() as session:
        statuses = {p.announcement_id: p.status for p in session.query(ChannelPost)}
    assert statuses == {rows[0]: "posted", rows[1]: "cancelled"}


def test_nothing_to_post_is_refused_in_thai(rt):
    import pytest

    from services.errors import DomainError

    with rt.db.transaction() as session, pytest.raises(DomainError) as raised:
        channels.queue_facebook_post(session, text="  ", now=rt.clock())
    assert "Facebook" in raised.value.message


def test_facebook_is_offered_only_when_configured_or_emulated(rt):
    settings = rt.settings
    assert channels.facebook_mode(settings) == channels.FACEBOOK and channels.facebook_available(settings)
    off = settings.with_(FACEBOOK_PAGE_ID=None)
    assert channels.facebook_mode(off) is None and not channels.facebook_available(off)
    emulated = off.with_(LINE_CHANNEL_SECRET=None, LINE_CHANNEL_ACCESS_TOKEN=None)
    assert channels.facebook_mode(emulated) == channels.STANDIN
    token_only = emulated.with_(FACEBOOK_PAGE_ACCESS_TOKEN="x", FACEBOOK_PAGE_ID=None)
    assert channels.facebook_mode(token_only) == channels.STANDIN


def test_without_facebook_the_job_sends_nothing_and_the_row_waits(rt, facebook, monkeypatch):
    post_id = announce(rt)
    monkeypatch.setattr(rt, "settings", rt.settings.with_(FACEBOOK_PAGE_ACCESS_TOKEN=None))
    assert run_job(rt) == 0
    assert facebook.requests == [] and post_row(rt, post_id).status == "pending"


def test_a_permalink_facebook_did_not_give_at_first_is_filled_in_later(rt, clock, facebook, monkeypatch):
    from services.facebook import GraphClient

    post_id = announce(rt)
    real = GraphClient.permalink
    monkeypatch.setattr(GraphClient, "permalink", lambda self, post: None)
    run_job(rt)
    row = post_row(rt, post_id)
    assert row.status == "posted" and row.permalink is None
    monkeypatch.setattr(GraphClient, "permalink", real)
    run_job(rt)
    assert post_row(rt, post_id).permalink.endswith(f"/_posts/{row.post_id}")
    assert len(facebook.posts) == 1
