"""/feed.xml, /feed.atom and /feed.json as a feed reader sees them (feedparser): Thai text, photos as enclosures,
absolute URLs, RFC 822 / RFC 3339 dates, filters, caching validators and 304s, an empty database, bad filters."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import feedparser
import pytest

from services import projects
from tests.conftest import ADMIN_ID, PUBLIC_BASE_URL

FEEDS = {"/feed.xml": "application/rss+xml", "/feed.atom": "application/atom+xml", "/feed.json": "application/feed+json"}


@pytest.fixture
def news(rt, clock, make_project, announce, add_stage_photo):
    """Two projects in two districts (one with a stage photo) and an announcement with a photo for Phon."""
    road = make_project("ซ่อมถนนสายบ้านไผ่–บ้านแฮด", districts=("ban_phai",), cover=True)
    clock.advance(hours=1)
    announce("ตลาดนัดชุมชนอำเภอพล วันเสาร์นี้", districts=("phon",), with_photo=True)
    clock.advance(hours=1)
    make_project("อบรมทำขนมไทย", kind="career_training", districts=("phon",))
    clock.advance(hours=1)
    with rt.db.transaction() as session:
        projects.change_stage(session, ADMIN_ID, road, "in_progress", clock(), note="เริ่มลงผิวถนนแล้ว ๕๐%")
    add_stage_photo(road, "in_progress")
    return road


def _parse(client, path):
    """The answer and the feed as a reader sees it: feedparser for RSS and Atom; for JSON Feed (which feedparser
    6.0 does not read) the spec's required members are checked and the items given the same attribute names."""
    response = client.get(path)
    assert response.status_code == 200, response.data[:300]
    if path.startswith("/feed.json"):
        return response, _json_feed(response.data)
    parsed = feedparser.parse(response.data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return response, parsed


def _json_feed(body: bytes) -> feedparser.FeedParserDict:
    data = json.loads(body)
    assert data["version"] == "https://jsonfeed.org/version/1.1" and isinstance(data["title"], str)
    assert isinstance(data["items"], list)
    entries = []
    for item in data["items"]:
        assert isinstance(item["id"], str) and item["id"]
        assert item.get("content_text") or item.get("content_html")
        assert datetime.fromisoformat(item["date_published"]).tzinfo is not None
        entries.append(feedparser.FeedParserDict(title=item["title"], link=item["url"], id=item["id"]))
    return feedparser.FeedParserDict(feed=feedparser.FeedParserDict(title=data["title"], links=[]), entries=entries,
                                     version="json11")


@pytest.mark.parametrize("path", ["/feed.xml", "/feed.atom"])
def test_xml_feeds_parse_with_thai_enclosures_and_absolute_links(client, news, path):
    response, parsed = _parse(client, path)
    assert response.content_type.split(";")[0] == FEEDS[path]
    assert response.data.startswith(b"<?xml")
    ET.fromstring(response.data)  # well-formed
    assert parsed.version == ("rss20" if path == "/feed.xml" else "atom10")
    assert parsed.feed.title == "ข่าวโครงการ อบจ.ขอนแก่น"
    assert [e.title for e in parsed.entries] == ["เริ่มดำเนินการแล้ว: ซ่อมถนนสายบ้านไผ่–บ้านแฮด",
                                                 "โครงการใหม่: อบรมทำขนมไทย", "ตลาดนัดชุมชนอำเภอพล วันเสาร์นี้",
                                                 "โครงการใหม่: ซ่อมถนนสายบ้านไผ่–บ้านแฮด"]
    first = parsed.entries[0]
    assert "เริ่มลงผิวถนนแล้ว ๕๐%" in (first.get("summary") or first.content[0].value)
    assert first.link == f"{PUBLIC_BASE_URL}/projects/{news}"
    (enclosure,) = first.enclosures
    assert enclosure.type == "image/jpeg" and enclosure.href.startswith(f"{PUBLIC_BASE_URL}/media/")
    assert int(enclosure.length) == len(client.get(enclosure.href.removeprefix(PUBLIC_BASE_URL)).data)
    assert [len(e.enclosures) for e in parsed.entries] == [1, 0, 1, 1]  # the training has no photo
    for entry in parsed.entries:
        assert entry.link.startswith("http://kk.test/") and entry.id.startswith("tag:kk.test,2026:")
    self_links = [link.href for link in parsed.feed.links if link.rel == "self"]
    assert self_links == [f"{PUBLIC_BASE_URL}{path}"]


def test_rss_dates_are_rfc_822_and_guids_are_not_permalinks(client, clock, news):
    root = ET.fromstring(client.get("/feed.xml").data)
    dates = [item.findtext("pubDate") for item in root.iter("item")]
    assert dates[0] == "Mon, 23 Nov 2026 06:00:00 GMT"  # clock() after three hours, in GMT
    assert all(parsedate_to_datetime(d) <= clock() for d in dates)
    assert root.findtext("channel/lastBuildDate") == dates[0]
    assert {g.get("isPermaLink") for g in root.iter("guid")} == {"false"}
    atom_self = root.find("channel/{http://www.w3.org/2005/Atom}link")
    assert atom_self.get("rel") == "self" and atom_self.get("type") == "application/rss+xml"


def test_atom_dates_are_rfc_3339(client, news):
    ns = {"a": "http://www.w3.org/2005/Atom"}
    root = ET.fromstring(client.get("/feed.atom").data)
    assert root.findtext("a:updated", namespaces=ns) == "2026-11-23T06:00:00Z"
    for entry in root.findall("a:entry", ns):
        for tag in ("a:published", "a:updated"):
            value = entry.findtext(tag, namespaces=ns)
            assert value.endswith("Z") and datetime.fromisoformat(value).tzinfo is not None
    enclosure = root.find("a:entry/a:link[@rel='enclosure']", ns)
    assert enclosure.get("type") == "image/jpeg" and int(enclosure.get("length")) > 0


def test_json_feed_1_1(client, news):
    response, parsed = _parse(client, "/feed.json")
    assert response.content_type.split(";")[0] == "application/feed+json"
    data = json.loads(response.data)
    assert data["version"] == "https://jsonfeed.org/version/1.1"
    assert data["feed_url"] == f"{PUBLIC_BASE_URL}/feed.json" and data["home_page_url"].startswith(PUBLIC_BASE_URL)
    first = data["items"][0]
    assert first["content_text"] == "เริ่มลงผิวถนนแล้ว ๕๐%" and first["url"] == f"{PUBLIC_BASE_URL}/projects/{news}"
    assert first["date_published"] == "2026-11-23T06:00:00Z"
    assert first["image"] == first["attachments"][0]["url"] and first["image"].startswith(f"{PUBLIC_BASE_URL}/media/")
    assert first["attachments"][0]["mime_type"] == "image/jpeg" and first["attachments"][0]["size_in_bytes"] > 0
    assert first["_kk"] == {"districts": ["ban_phai"], "project_kind": "infrastructure", "project_id": news,
                            "stage": "in_progress", "announcement_id": None}
    assert {"id", "url", "title", "content_text", "date_published"} <= set(data["items"][2])
    assert "image" not in data["items"][1] and "attachments" not in data["items"][1]
    assert response.headers["Access-Control-Allow-Origin"] == "*"  # a website's script may read it


@pytest.mark.parametrize("path", list(FEEDS))
def test_district_and_kind_filters(client, news, path):
    _, parsed = _parse(client, f"{path}?district=phon")
    assert [e.title for e in parsed.entries] == ["โครงการใหม่: อบรมทำขนมไทย", "ตลาดนัดชุมชนอำเภอพล วันเสาร์นี้"]
    assert "อำเภอพล" in parsed.feed.title
    _, parsed = _parse(client, f"{path}?kind=infrastructure")
    assert {e.title.split(": ")[1] for e in parsed.entries} == {"ซ่อมถนนสายบ้านไผ่–บ้านแฮด"}
    _, parsed = _parse(client, f"{path}?district=phon&kind=infrastructure")
    assert parsed.entries == []
    if path != "/feed.json":
        self_link = next(link.href for link in parsed.feed.links if link.rel == "self")
        assert self_link == f"{PUBLIC_BASE_URL}{path}?district=phon&kind=infrastructure"


@pytest.mark.parametrize("path", list(FEEDS))
def test_unknown_filter_is_a_400_in_thai(client, path):
    response = client.get(f"{path}?district=bangkok")
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "ไม่รู้จักรหัสอำเภอ" in text and "ban_phai" in text
    if path == "/feed.json":
        assert response.is_json and response.json["error"] == "unknown_district"
    assert client.get(f"{path}?kind=party").status_code == 400


@pytest.mark.parametrize("path", list(FEEDS))
def test_empty_database_feeds_are_valid(client, path):
    response, parsed = _parse(client, path)
    assert parsed.entries == [] and parsed.feed.title == "ข่าวโครงการ อบจ.ขอนแก่น"
    assert response.headers["ETag"] and "Last-Modified" not in response.headers
    if path == "/feed.json":
        assert json.loads(response.data)["items"] == []
    else:
        ET.fromstring(response.data)


@pytest.mark.parametrize("path", list(FEEDS) + ["/embed/news"])
def test_etag_and_last_modified_give_304_until_news_changes(client, clock, rt, news, announce, path):
    first = client.get(path)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert first.headers["Cache-Control"] == "public, max-age=300"
    assert parsedate_to_datetime(modified) == datetime(2026, 11, 23, 6, 0, tzinfo=UTC)
    assert client.get(path).headers["ETag"] == etag  # the same news, the same validator
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert client.get(path, headers={"If-Modified-Since": modified}).status_code == 304
    assert client.get(path, headers={"If-None-Match": '"something-else"'}).status_code == 200

    clock.advance(minutes=10)
    announce("ประกาศใหม่ล่าสุด")
    fresh = client.get(path, headers={"If-None-Match": etag})
    assert fresh.status_code == 200 and fresh.headers["ETag"] != etag
    assert "ประกาศใหม่ล่าสุด" in fresh.get_data(as_text=True)
    assert client.get(path, headers={"If-Modified-Since": modified}).status_code == 200


def test_head_request_has_the_validators(client, news):
    response = client.head("/feed.xml")
    assert response.status_code == 200 and response.headers["ETag"]


def test_text_that_looks_like_html_stays_text_in_every_feed(client, announce):
    import html

    announce("ราคา <b>ถูก</b> & ดี\nบรรทัดที่สอง")
    _, rss = _parse(client, "/feed.xml")
    assert "<b>" not in rss.entries[0].summary  # escaped: a reader shows the characters, not bold
    assert html.unescape(rss.entries[0].summary.replace("<br />", "")) == "ราคา <b>ถูก</b> & ดี\nบรรทัดที่สอง"
    _, atom = _parse(client, "/feed.atom")
    assert atom.entries[0].content[0].type == "text/plain"
    assert atom.entries[0].content[0].value == "ราคา <b>ถูก</b> & ดี\nบรรทัดที่สอง"
    assert client.get("/feed.json").json["items"][0]["content_text"] == "ราคา <b>ถูก</b> & ดี\nบรรทัดที่สอง"
    assert "ราคา &lt;b&gt;ถูก&lt;/b&gt; &amp; ดี" in client.get("/embed/news").get_data(as_text=True)
