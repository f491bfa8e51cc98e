"""Share counts: a visit through a tagged share button counts once per visitor, page and source per hour; bots,
HEAD, unknown sources and pages that are not found do not count."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services import share_visits


def _counts(rt, **kwargs):
    with rt.db.transaction() as session:
        return share_visits.visit_counts(session, **kwargs)


def test_visits_count_per_source_once_per_visitor_per_hour(og_client, rt, clock, project_id, product_id):
    start = clock()
    page = f"/projects/{project_id}"
    assert og_client.get(f"{page}?s=line").status_code == 200
    og_client.get(f"{page}?s=line")  # the same visitor again within the hour
    og_client.get(f"{page}?s=fb")
    og_client.get(f"{page}?s=copy")
    og_client.get(f"/market/p/{product_id}?s=LINE")
    og_client.get(page)  # no tag: not a shared visit
    assert _counts(rt) == {"line": 2, "fb": 1, "copy": 1}
    clock.advance(minutes=59)
    og_client.get(f"{page}?s=line")
    assert _counts(rt)["line"] == 2
    clock.advance(minutes=2)
    og_client.get(f"{page}?s=line")
    assert _counts(rt)["line"] == 3
    other = og_client.application.test_client()
    other.environ_base["HTTP_USER_AGENT"] = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) Safari/604.1"
    other.get(f"{page}?s=line")  # another visitor (another browser)
    with rt.db.transaction() as session:
        pages = share_visits.page_counts(session)
        assert pages[page] == {"line": 3, "fb": 1, "copy": 1}
        assert pages[f"/market/p/{product_id}"] == {"line": 1, "fb": 0, "copy": 0}
        assert share_visits.page_counts(session, prefix="/market/") == {f"/market/p/{product_id}": pages[
            f"/market/p/{product_id}"]}
        assert share_visits.visit_counts(session, start, start + timedelta(minutes=1)) == \
            {"line": 2, "fb": 1, "copy": 1}
        assert share_visits.visit_counts(session, start + timedelta(minutes=1), page=page)["line"] == 2


def test_bots_head_unknown_sources_and_missing_pages_do_not_count(og_app, og_client, rt, project_id):
    page = f"/projects/{project_id}"
    bot = og_app.test_client()
    for agent in ("facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
                  "Mozilla/5.0 (compatible; Linespider/1.1; +https://lin.ee/4dwXkTH)", "", "curl/8.5.0"):
        bot.environ_base["HTTP_USER_AGENT"] = agent
        assert bot.get(f"{page}?s=line").status_code == 200
    assert og_client.head(f"{page}?s=line").status_code == 200
    og_client.get(f"{page}?s=twitter")
    og_client.get(f"{page}?s=")
    og_client.get("/projects/99999?s=line")  # 404
    og_client.get("/console?s=line")  # not a public page
    assert _counts(rt) == {"line": 0, "fb": 0, "copy": 0}


def test_record_visit_refuses_what_is_not_a_share():
    assert share_visits.source_of(" FB ") == "fb" and share_visits.source_of("x") is None
    assert share_visits.source_of(None) is None
    assert not share_visits.should_count("HEAD", "Mozilla/5.0 Safari", "line")
    assert not share_visits.should_count("GET", "Mozilla/5.0 Safari", None)
    assert share_visits.should_count("GET", "Mozilla/5.0 Safari", "copy")


def test_a_share_link_carries_one_tag_and_keeps_the_rest(og_app):
    assert share_visits.tagged("http://kk.test/projects/3", "line") == "http://kk.test/projects/3?s=line"
    assert share_visits.tagged("http://kk.test/market?category=food&s=fb#top", "copy") == \
        "http://kk.test/market?category=food&s=copy#top"
    with og_app.test_request_context("/"):
        rendered = og_app.jinja_env.from_string("{{ url | share_tag('fb') | urlencode }}").render(
            url="http://kk.test/market/p/1")
    assert rendered == "http%3A//kk.test/market/p/1%3Fs%3Dfb"
    with pytest.raises(ValueError):
        share_visits.tagged("http://kk.test/", "mail")


def test_the_copy_field_carries_the_copy_tag(og_app):
    from flask import render_template

    with og_app.test_request_context("/projects/1"):
        html = render_template("_share_copy.html", link="http://kk.test/projects/1")
    assert 'value="http://kk.test/projects/1?s=copy"' in html and "คัดลอกลิงก์" in html


def test_the_public_share_buttons_carry_their_tags_and_following_one_counts(og_client, rt, project_id):
    from urllib.parse import unquote

    html = og_client.get(f"/projects/{project_id}").get_data(as_text=True)
    page = f"http://kk.test/projects/{project_id}"
    assert "line.me/R/share?text=" in html and unquote(html).count(f"{page}?s=line") == 1
    assert f"sharer.php?u={page.replace(':', '%3A')}%3Fs%3Dfb" in html
    assert f'value="{page}?s=copy"' in html
    og_client.get(f"/projects/{project_id}?s=fb")
    assert _counts(rt)["fb"] == 1
