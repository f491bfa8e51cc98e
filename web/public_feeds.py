"""The province's news for its website and anyone else: `/feed.xml` (RSS 2.0), `/feed.atom` (Atom 1.0), `/feed.json`
(JSON Feed 1.1) and `/embed/news` (a widget page for an <iframe>, at most 400 px wide). Items come from
services/feeds.py (published project stages and sent announcements, newest first).

Each takes `?district=<code>` (texts/districts.py keys, e.g. `ban_phai`) and `?kind=<project kind>`
(`infrastructure`, `knowledge_training`, `career_training`); an empty value means no filter. An unknown value is a
400 with a Thai message that lists the valid codes (plain text for the XML feeds, JSON for /feed.json, a small page
for the widget): a typo in a website's configuration then shows at once, where an always-empty feed would look like
a quiet month.

Caching: an ETag (a hash of the body) and Last-Modified (the newest item) on every answer, 304 to a matching
If-None-Match or If-Modified-Since, `Cache-Control: public, max-age=300`. Feeds allow any origin to read them
(CORS), so a page's script may fetch /feed.json. The widget may be framed by any site (web/headers.py, /embed/).
"""

from __future__ import annotations

import hashlib
import html
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Flask, Response, render_template, request

from bot.runtime import runtime
from services import feeds
from services.errors import DomainError
from services.feeds import FeedItem
from texts import feeds as feeds_texts
from texts import projects as projects_texts
from texts.districts import district_name

bp = Blueprint("public_feeds", __name__)

ATOM_NS = "http://www.w3.org/2005/Atom"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
MAX_AGE = 300  # five minutes: news is not urgent, and a province-wide website may ask on every page view
EMBED_ITEMS = 8
# An empty feed has never changed: Atom needs an <updated> anyway, and a fixed one keeps its ETag stable.
EMPTY_FEED_UPDATED = datetime(2026, 1, 1, tzinfo=UTC)

ET.register_namespace("atom", ATOM_NS)


# ---- what every feed shares --------------------------------------------------------------------------------------
def _filters() -> tuple[str | None, str | None]:
    """The request's district and kind, checked (DomainError on an unknown value)."""
    return feeds.check_filters(request.args.get("district", "")[:80], request.args.get("kind", "")[:80])


def _query(district: str | None, kind: str | None) -> str:
    args = [(k, v) for k, v in (("district", district), ("kind", kind)) if v]
    return f"?{urlencode(args)}" if args else ""


def _title(district: str | None, kind: str | None) -> str:
    parts = [feeds_texts.FEED_TITLE]
    if district:
        parts.append(feeds_texts.FEED_TITLE_DISTRICT.format(name=district_name(district)))
    if kind:
        parts.append(projects_texts.KIND_NAMES.get(kind, kind))
    return " · ".join(parts)


def _items(district: str | None, kind: str | None, limit: int = feeds.DEFAULT_LIMIT) -> tuple[list[FeedItem], str]:
    rt = runtime()
    base = rt.settings.public_base_url
    with rt.db.transaction() as session:
        return feeds.latest_items(session, base, district=district, kind=kind, limit=limit), base


def _categories(item: FeedItem) -> list[str]:
    """Thai labels of an item's project kind and districts (feed readers group by them)."""
    names = [projects_texts.KIND_NAMES[item.project_kind]] if item.project_kind in projects_texts.KIND_NAMES else []
    return names + [district_name(d) for d in item.districts if district_name(d)]


def rfc822(value: datetime) -> str:
    """'Sat, 05 Dec 2026 03:00:00 GMT' (RSS 2.0 dates)."""
    return format_datetime(value.astimezone(UTC), usegmt=True)


def rfc3339(value: datetime) -> str:
    """'2026-12-05T03:00:00Z' (Atom and JSON Feed dates)."""
    return value.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _conditional(body: bytes, content_type: str, items: list[FeedItem]) -> Response:
    """The answer with its validators; 304 when the client's copy is current."""
    response = Response(body, content_type=content_type)
    response.set_etag(hashlib.sha256(body).hexdigest()[:32])
    updated = feeds.newest(items)
    if updated is not None:
        response.last_modified = updated.replace(microsecond=0)
    response.headers["Cache-Control"] = f"public, max-age={MAX_AGE}"
    response.headers["Access-Control-Allow-Origin"] = "*"  # public news: a website's script may read it
    response.headers["Access-Control-Expose-Headers"] = "ETag, Last-Modified"
    return response.make_conditional(request)


def _serve(render: Callable[[list[FeedItem], str, str | None, str | None], bytes], content_type: str,
           as_json: bool = False) -> Response:
    try:
        district, kind = _filters()
    except DomainError as error:
        if as_json:
            body = json.dumps({"error": error.code, "message": error.message}, ensure_ascii=False)
            return Response(body, status=400, content_type="application/json; charset=utf-8")
        return Response(error.message, status=400, content_type="text/plain; charset=utf-8")
    items, base = _items(district, kind)
    return _conditional(render(items, base, district, kind), content_type, items)


# ---- RSS 2.0 ------------------------------------------------------------------------------------------------------
def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = text
    return element


def render_rss(items: list[FeedItem], base: str, district: str | None, kind: str | None) -> bytes:
    """RSS 2.0 with the Atom self link, one <enclosure> per photo and RFC 822 dates."""
    query = _query(district, kind)
    rss = ET.Element("rss", {"version": "2.0"})
    channel = _sub(rss, "channel")
    _sub(channel, "title", _title(district, kind))
    _sub(channel, "link", f"{base}/projects{query}")
    _sub(channel, "description", feeds_texts.FEED_DESCRIPTION)
    _sub(channel, "language", feeds_texts.FEED_LANGUAGE)
    _sub(channel, "lastBuildDate", rfc822(feeds.newest(items) or EMPTY_FEED_UPDATED))
    _sub(channel, f"{{{ATOM_NS}}}link", href=f"{base}/feed.xml{query}", rel="self", type="application/rss+xml")
    for item in items:
        entry = _sub(channel, "item")
        _sub(entry, "title", item.title)
        _sub(entry, "link", item.url)
        # RSS readers take <description> as HTML: our plain text is escaped once more, its lines kept as <br>.
        _sub(entry, "description", html.escape(item.text, quote=False).replace("\n", "<br>\n"))
        _sub(entry, "guid", item.id, isPermaLink="false")
        _sub(entry, "pubDate", rfc822(item.published))
        for name in _categories(item):
            _sub(entry, "category", name)
        if item.image:
            _sub(entry, "enclosure", url=item.image.url, length=str(item.image.length), type=item.image.mime_type)
    return ET.tostring(rss, encoding="utf-8", xml_declaration=True)


# ---- Atom 1.0 -----------------------------------------------------------------------------------------------------
def _atom(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    # Plain names under a root that declares Atom as the default namespace: ElementTree's default_namespace
    # option refuses unqualified attributes (rel, href), and "atom:" prefixes on every element put readers off.
    return _sub(parent, tag, text, **attrs)


def render_atom(items: list[FeedItem], base: str, district: str | None, kind: str | None) -> bytes:
    """Atom 1.0 with RFC 3339 dates; a photo is a rel="enclosure" link with its length."""
    query = _query(district, kind)
    self_url = f"{base}/feed.atom{query}"
    feed = ET.Element("feed", {"xmlns": ATOM_NS, "{http://www.w3.org/XML/1998/namespace}lang": feeds_texts.FEED_LANGUAGE})
    _atom(feed, "id", self_url)
    _atom(feed, "title", _title(district, kind))
    _atom(feed, "subtitle", feeds_texts.FEED_DESCRIPTION)
    _atom(feed, "updated", rfc3339(feeds.newest(items) or EMPTY_FEED_UPDATED))
    _atom(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    _atom(feed, "link", rel="alternate", type="text/html", href=f"{base}/projects{query}")
    _atom(_atom(feed, "author"), "name", feeds_texts.FEED_AUTHOR)
    for item in items:
        entry = _atom(feed, "entry")
        _atom(entry, "id", item.id)
        _atom(entry, "title", item.title, type="text")
        _atom(entry, "published", rfc3339(item.published))
        _atom(entry, "updated", rfc3339(item.published))
        _atom(entry, "link", rel="alternate", type="text/html", href=item.url)
        if item.image:
            _atom(entry, "link", rel="enclosure", type=item.image.mime_type, length=str(item.image.length),
                  href=item.image.url)
        for name in _categories(item):
            _atom(entry, "category", term=name)
        _atom(entry, "content", item.text, type="text")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


# ---- JSON Feed 1.1 ------------------------------------------------------------------------------------------------
def render_json(items: list[FeedItem], base: str, district: str | None, kind: str | None) -> bytes:
    """JSON Feed 1.1; `_kk` (an extension, as the spec names them) carries the district codes and project kind."""
    query = _query(district, kind)
    out: dict[str, Any] = {
        "version": JSON_FEED_VERSION, "title": _title(district, kind), "home_page_url": f"{base}/projects{query}",
        "feed_url": f"{base}/feed.json{query}", "description": feeds_texts.FEED_DESCRIPTION,
        "language": feeds_texts.FEED_LANGUAGE, "authors": [{"name": feeds_texts.FEED_AUTHOR}], "items": [],
    }
    for item in items:
        entry: dict[str, Any] = {"id": item.id, "url": item.url, "title": item.title, "content_text": item.text,
                                 "date_published": rfc3339(item.published), "tags": _categories(item),
                                 "_kk": {"districts": list(item.districts), "project_kind": item.project_kind,
                                         "project_id": item.project_id, "stage": item.stage,
                                         "announcement_id": item.announcement_id}}
        if item.image:
            entry["image"] = item.image.url
            entry["attachments"] = [{"url": item.image.url, "mime_type": item.image.mime_type,
                                     "size_in_bytes": item.image.length}]
        out["items"].append(entry)
    return json.dumps(out, ensure_ascii=False, indent=1).encode("utf-8")


@bp.get("/feed.xml")
def rss() -> Response:
    """RSS 2.0 of the latest news."""
    return _serve(render_rss, "application/rss+xml; charset=utf-8")


@bp.get("/feed.atom")
def atom() -> Response:
    """Atom 1.0 of the latest news."""
    return _serve(render_atom, "application/atom+xml; charset=utf-8")


@bp.get("/feed.json")
def json_feed() -> Response:
    """JSON Feed 1.1 of the latest news (for scripts)."""
    return _serve(render_json, "application/feed+json; charset=utf-8", as_json=True)


# ---- the widget ---------------------------------------------------------------------------------------------------
@bp.get("/embed/news")
def embed_news() -> Response:
    """The latest news as a small page for an <iframe> on another site: photo, title, Thai date, link."""
    try:
        district, kind = _filters()
    except DomainError as error:
        page = render_template("feeds/embed_news.html", F=feeds_texts, items=[], error=error.message,
                               more_url=None, title=feeds_texts.EMBED_ERROR_TITLE)
        return Response(page, status=400, content_type="text/html; charset=utf-8")
    items, base = _items(district, kind, EMBED_ITEMS)
    page = render_template("feeds/embed_news.html", F=feeds_texts, items=items, error=None,
                           more_url=f"{base}/projects{_query(district, kind)}", title=_title(district, kind),
                           kind_names=projects_texts.KIND_NAMES)
    return _conditional(page.encode("utf-8"), "text/html; charset=utf-8", items)


# ---- discovery: <link rel="alternate"> for pages ---------------------------------------------------------------------
def feed_links(district: Any = "", kind: Any = "") -> list[dict[str, str]]:
    """The feeds a page announces in its <head> (templates/feeds/_alternate_links.html), for its district and kind
    filters when they are valid codes (a page's own variables, so anything else just means the whole province)."""
    try:
        district, kind = feeds.check_filters(district if isinstance(district, str) else "",
                                             kind if isinstance(kind, str) else "")
    except DomainError:
        district, kind = None, None
    base, query, title = runtime().settings.public_base_url, _query(district, kind), _title(district, kind)
    return [{"type": "application/rss+xml", "title": title, "href": f"{base}/feed.xml{query}"},
            {"type": "application/atom+xml", "title": title, "href": f"{base}/feed.atom{query}"},
            {"type": "application/feed+json", "title": title, "href": f"{base}/feed.json{query}"}]


def register(app: Flask) -> None:
    """Serves the feeds and the widget; gives templates `feed_links()` for their <head>."""
    app.jinja_env.globals["feed_links"] = feed_links
    app.register_blueprint(bp)
