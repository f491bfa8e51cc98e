"""/embed/news: the widget's content and filters, and the header policy that lets any site frame it (and nothing
else). The real-browser test is in test_feeds_embed_browser.py."""

from __future__ import annotations

from tests.feeds.feed_news import seed
from web import headers


def test_widget_lists_the_latest_items_with_thai_dates_and_new_tab_links(client, clock, make_project, announce,
                                                                         add_stage_photo):
    seed(make_project, announce, add_stage_photo, clock)
    response = client.get("/embed/news")
    assert response.status_code == 200 and response.content_type == "text/html; charset=utf-8"
    html = response.get_data(as_text=True)
    assert html.count('class="item"') == 7  # everything there is, up to 8
    assert "ข่าวอำเภอพลเท่านั้น" in html and "23 พ.ย. 2569" in html  # Buddhist-era year
    assert html.count('target="_blank" rel="noopener"') == 8  # each item and "see all"
    assert "<script" not in html
    assert "/thumb.jpg" in html and 'src="http://kk.test/media/' in html

    phon = client.get("/embed/news?district=phon").get_data(as_text=True)
    assert "ข่าวอำเภอพลเท่านั้น" in phon and "ระยะที่" not in phon
    assert 'href="http://kk.test/projects?district=phon"' in phon
    assert "ข่าวอำเภอพลเท่านั้น" not in client.get("/embed/news?kind=infrastructure").get_data(as_text=True)
    assert "ยังไม่มีข่าว" in client.get("/embed/news?kind=career_training").get_data(as_text=True)

    bad = client.get("/embed/news?district=nowhere")
    assert bad.status_code == 400 and "ไม่รู้จักรหัสอำเภอ" in bad.get_data(as_text=True)


def test_widget_shows_at_most_eight(client, clock, make_project):
    for n in range(10):
        make_project(f"โครงการที่ {n}")
        clock.advance(minutes=1)
    html = client.get("/embed/news").get_data(as_text=True)
    assert html.count('class="item"') == 8 and "โครงการที่ 9" in html and "โครงการที่ 1<" not in html


def test_only_the_widget_may_be_framed_by_other_sites(client, make_project):
    make_project(cover=True)
    widget = client.get("/embed/news")
    assert "X-Frame-Options" not in widget.headers
    csp = widget.headers["Content-Security-Policy"]
    assert "frame-ancestors *" in csp and "'none'" not in csp.split("frame-ancestors")[1].split(";")[0]
    assert "script-src 'self'" in csp and "object-src 'none'" in csp  # the rest of the public policy stays
    assert client.get("/embed/news?district=x").headers.get("X-Frame-Options") is None  # its error page too

    image = client.get("/feed.json").json["items"][0]["image"].removeprefix("http://kk.test")
    for path in ("/projects", "/feed.xml", "/feed.json", "/privacy", "/console", "/market", image, "/embed",
                 "/embedded", "/api/v1/openapi.json", "/healthz"):
        response = client.get(path)
        assert response.headers["X-Frame-Options"] == "DENY", path
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"], path
    for path in ("/projects/1", "/results", "/console/failures", "/my-data/abc", "/simulator", "/r/abc"):
        policy = headers.policy_for(path)
        assert policy.frame_options == "DENY" and "frame-ancestors 'none'" in policy.csp, path
    assert headers.policy_for("/embed/news") is headers.EMBED


def test_alternate_links_partial_announces_the_feeds(app):
    from flask import render_template_string

    include = '{% include "feeds/_alternate_links.html" %}'
    with app.test_request_context("/projects"):
        whole = render_template_string(include)
        phon = render_template_string(include, district="phon", kind="infrastructure")
        odd = render_template_string(include, district={"not": "a code"}, kind="party")
    assert '<link rel="alternate" type="application/rss+xml" title="ข่าวโครงการ อบจ.ขอนแก่น" ' \
           'href="http://kk.test/feed.xml">' in whole
    assert 'type="application/atom+xml"' in whole and 'href="http://kk.test/feed.json"' in whole
    assert 'href="http://kk.test/feed.xml?district=phon&amp;kind=infrastructure"' in phon and "อำเภอพล" in phon
    assert odd == whole  # a page's unrelated `district` never breaks it
