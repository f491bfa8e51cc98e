"""The province's news as the website gets it: the latest public items for /feed.xml, /feed.atom, /feed.json and the
/embed/news widget, and where an announcement appears in them (`feed_entry`, for the console).

What counts as published, and so appears (the same as what the public pages show):
- every stage a *published* project reached (a ProjectStageChange row), dated when it was reached, linked to the
  project's public page, with the stage's latest photo (else the project's cover), the stage note (else the
  project's description) as its text;
- every *sent* announcement that is not a project's stage announcement, dated when it was sent; one tied to a
  project only while that project is published. Scheduled (not yet sent) and cancelled ones never appear.
A stage announcement (source "project:<id>", made by services.projects.announce) tells LINE the same news as the
stage's own item, so it is folded into that item instead of appearing twice; `feed_entry` says which one (and
`feed_entry_url` gives its link), `stage_entry` the same for a stage: what the console shows as "feed entry".

Filters: `district` (an item for everyone in the province appears under every district) and `kind` (project kind;
announcements not tied to a project have none and are left out). `check_filters` refuses unknown values with a
Thai DomainError. Three queries whatever the limit: announcements, stages, and the images' sizes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import and_, exists, func, not_, or_, select
from sqlalchemy.orm import Session

from models.media import MediaImage
from models.projects import PROJECT_KINDS, STAGES, Announcement, Project, ProjectPhoto, ProjectStageChange
from services import projects
from services.errors import DomainError
from texts import feeds as feeds_texts
from texts import projects as projects_texts
from texts.districts import DISTRICTS

DEFAULT_LIMIT = 50
MAX_LIMIT = 100
MAX_TEXT = 4000
IMAGE_MIME = "image/jpeg"  # services/images.py re-encodes every stored image as JPEG
PROJECT_SOURCE = "project:"
# Our own media route (web/media.py): /media/<id>-<first 16 of the digest>.jpg, whatever host wrote it.
_MEDIA_PATH = re.compile(r"/media/(\d{1,10})-([0-9a-f]{16})\.jpg$")
_TAG_YEAR = 2026  # the year the province's address started minting these ids (RFC 4151); never change it


@dataclass(frozen=True)
class FeedImage:
    """A stored photo as a feed encloses it: absolute URLs, its byte length and MIME type."""

    url: str
    thumb_url: str
    length: int
    mime_type: str
    width: int
    height: int


@dataclass(frozen=True)
class FeedItem:
    """One news item: a project stage or an announcement."""

    id: str  # a tag URI, stable for ever (feed readers remember what they showed by it)
    title: str
    text: str
    url: str  # the public page (absolute)
    published: datetime  # aware UTC
    districts: tuple[str, ...]  # () = the whole province
    project_kind: str | None
    image: FeedImage | None
    project_id: int | None = None
    stage: str | None = None
    announcement_id: int | None = None


@dataclass(frozen=True)
class FeedEntry:
    """Where an announcement appears in the website feeds: the entry's id and the page it links to."""

    id: str
    url: str
    folded_into_stage: str | None  # a stage announcement shares its stage's entry


def check_filters(district: str | None, kind: str | None) -> tuple[str | None, str | None]:
    """Returns the filters (empty means none), or raises a Thai DomainError naming the valid codes."""
    district, kind = (district or "").strip() or None, (kind or "").strip() or None
    if district is not None and district not in DISTRICTS:
        raise DomainError(feeds_texts.ERR_UNKNOWN_DISTRICT.format(value=district[:40], codes=", ".join(DISTRICTS)),
                          code="unknown_district")
    if kind is not None and kind not in PROJECT_KINDS:
        raise DomainError(feeds_texts.ERR_UNKNOWN_KIND.format(value=kind[:40], codes=", ".join(PROJECT_KINDS)),
                          code="unknown_kind")
    return district, kind


def latest_items(session: Session, base_url: str, *, district: str | None = None, kind: str | None = None,
                 limit: int = DEFAULT_LIMIT) -> list[FeedItem]:
    """The newest published items, newest first, filtered by district and project kind (see the module doc)."""
    district, kind = check_filters(district, kind)
    limit = max(1, min(int(limit), MAX_LIMIT))
    base_url = base_url.rstrip("/")
    announcement_rows = _announcement_rows(session, district, kind, limit)
    stage_rows = _stage_rows(session, district, kind, limit)
    wanted: dict[int, str] = {}
    for row in announcement_rows:
        ref = _media_ref(row[0].messages)
        if ref:
            wanted[ref[0]] = ref[1]
    for *_rest, image_id in stage_rows:
        if image_id is not None:
            wanted.setdefault(image_id, "")
    found = _images(session, base_url, wanted)
    items = [_announcement_item(base_url, row, found) for row in announcement_rows]
    items += [_stage_item(base_url, change, project, found.get(image_id)) for change, project, image_id in stage_rows]
    items.sort(key=lambda item: (item.published, item.id), reverse=True)
    return items[:limit]


def newest(items: Iterable[FeedItem]) -> datetime | None:
    """The date of the newest item (a feed's "updated" and Last-Modified), or None for an empty feed."""
    return max((item.published for item in items), default=None)


def feed_entry(session: Session, announcement: Announcement, base_url: str) -> FeedEntry | None:
    """Where a sent announcement shows in the website feeds, or None (not sent yet, cancelled, or its project is
    hidden from the public)."""
    if announcement.status != "sent" or announcement.sent_at is None:
        return None
    base_url = base_url.rstrip("/")
    project = session.get(Project, announcement.project_id) if announcement.project_id else None
    if announcement.project_id is not None and (project is None or not project.published):
        return None
    if project is not None and announcement.source.startswith(PROJECT_SOURCE):
        stage = _announced_stage(session, announcement, project)
        return FeedEntry(_stage_id(base_url, project.id, stage), projects.public_url(base_url, project.id), stage)
    url = projects.public_url(base_url, project.id) if project else _link_of(announcement.messages, base_url)
    return FeedEntry(_announcement_id(base_url, announcement.id), url, None)


def stage_entry(project: Project, stage: str, base_url: str) -> FeedEntry | None:
    """Where a project's stage shows in the website feeds, or None (the project is hidden or has not reached it:
    pass only stages it has reached, as the console's timeline does)."""
    if not project.published or stage not in STAGES or STAGES.index(stage) > STAGES.index(project.stage):
        return None
    base_url = base_url.rstrip("/")
    return FeedEntry(_stage_id(base_url, project.id, stage), projects.public_url(base_url, project.id), stage)


def feed_entry_url(session: Session, announcement: Announcement, base_url: str) -> str | None:
    """The public page the announcement's feed entry links to, or None when it is not in the feeds."""
    entry = feed_entry(session, announcement, base_url)
    return entry.url if entry else None


# ---- queries ------------------------------------------------------------------------------------------------------
def _announcement_rows(session: Session, district: str | None, kind: str | None, limit: int) -> list[Any]:
    stmt = (select(Announcement, Project.kind, Project.districts)
            .outerjoin(Project, Project.id == Announcement.project_id)
            .where(Announcement.status == "sent", Announcement.sent_at.is_not(None),
                   or_(Announcement.project_id.is_(None), Project.published.is_(True)),
                   not_(Announcement.source.startswith(PROJECT_SOURCE)))
            .order_by(Announcement.sent_at.desc(), Announcement.id.desc()).limit(limit))
    if kind:
        stmt = stmt.where(Project.kind == kind)
    if district:
        audience_has, audience_empty = _audience_districts(session, district)
        # The audience's districts decide; an audience for everyone follows its project's districts, if any.
        stmt = stmt.where(or_(audience_has, and_(audience_empty, or_(Announcement.project_id.is_(None),
                                                                     projects.in_district(session, district)))))
    return list(session.execute(stmt).all())


def _audience_districts(session: Session, district: str) -> tuple[Any, Any]:
    """(audience names `district`, audience names no district) on the announcement's JSON audience."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import JSONB

        districts = Announcement.audience.cast(JSONB)["districts"]
        return (districts.contains(func.jsonb_build_array(district)),
                func.coalesce(func.jsonb_array_length(districts), 0) == 0)
    each = func.json_each(Announcement.audience, "$.districts").table_valued("value")
    return (exists(select(1).select_from(each).where(each.c.value == district)),
            func.coalesce(func.json_array_length(Announcement.audience, "$.districts"), 0) == 0)


def _stage_rows(session: Session, district: str | None, kind: str | None, limit: int) -> list[Any]:
    # The stage's latest photo, as the LINE stage announcement shows it (flex_templates.projects), else the cover.
    stage_photo = (select(ProjectPhoto.image_id)
                   .where(ProjectPhoto.project_id == ProjectStageChange.project_id,
                          ProjectPhoto.stage == ProjectStageChange.stage)
                   .order_by(ProjectPhoto.id.desc()).limit(1).correlate(ProjectStageChange).scalar_subquery())
    stmt = (select(ProjectStageChange, Project, func.coalesce(stage_photo, Project.cover_image_id))
            .join(Project, Project.id == ProjectStageChange.project_id)
            .where(Project.published.is_(True))
            .order_by(ProjectStageChange.changed_at.desc(), ProjectStageChange.id.desc()).limit(limit))
    if kind:
        stmt = stmt.where(Project.kind == kind)
    if district:
        stmt = stmt.where(projects.in_district(session, district))
    return list(session.execute(stmt).all())


def _images(session: Session, base_url: str, wanted: dict[int, str]) -> dict[int, FeedImage]:
    """The images by id (with the byte length of what /media serves), checking a URL's digest where one was given."""
    if not wanted:
        return {}
    rows = session.execute(select(MediaImage.id, MediaImage.digest, MediaImage.width, MediaImage.height,
                                  func.length(MediaImage.display_jpeg))
                           .where(MediaImage.id.in_(sorted(wanted)))).all()
    found = {}
    for image_id, digest, width, height, length in rows:
        if not digest.startswith(wanted[image_id]):
            continue  # a URL naming another image's digest: /media would answer 404, so enclose nothing
        path = f"{base_url}/media/{image_id}-{digest[:16]}"
        found[image_id] = FeedImage(f"{path}.jpg", f"{path}/thumb.jpg", int(length or 0), IMAGE_MIME, width, height)
    return found


# ---- items --------------------------------------------------------------------------------------------------------
def _tag(base_url: str, specific: str) -> str:
    # RFC 4151 tag URIs: the authority is a DNS name, so the port of a local address is left out.
    host = (urlsplit(base_url).hostname or "localhost").lower()
    return f"tag:{host},{_TAG_YEAR}:{specific}"


def _stage_id(base_url: str, project_id: int, stage: str) -> str:
    return _tag(base_url, f"project-{project_id}-stage-{stage}")


def _announcement_id(base_url: str, announcement_id: int) -> str:
    return _tag(base_url, f"announcement-{announcement_id}")


def _stage_item(base_url: str, change: ProjectStageChange, project: Project, image: FeedImage | None) -> FeedItem:
    headline = feeds_texts.STAGE_HEADLINES.get(change.stage, projects_texts.STAGE_NAMES.get(change.stage, ""))
    text = (change.note or "").strip() or (project.description or "").strip() or project.title
    return FeedItem(id=_stage_id(base_url, project.id, change.stage),
                    title=feeds_texts.STAGE_TITLE.format(headline=headline, title=project.title),
                    text=text[:MAX_TEXT], url=projects.public_url(base_url, project.id), published=change.changed_at,
                    districts=tuple(project.districts or ()), project_kind=project.kind, image=image,
                    project_id=project.id, stage=change.stage)


def _announcement_item(base_url: str, row: Any, found: dict[int, FeedImage]) -> FeedItem:
    announcement, project_kind, project_districts = row
    ref = _media_ref(announcement.messages)
    audience_districts = tuple((announcement.audience or {}).get("districts") or ())
    project_id = announcement.project_id
    url = projects.public_url(base_url, project_id) if project_id else _link_of(announcement.messages, base_url)
    text = "\n".join(_texts(announcement.messages)).strip()
    title = (announcement.title or "").strip() or feeds_texts.ANNOUNCEMENT_FALLBACK_TITLE
    return FeedItem(id=_announcement_id(base_url, announcement.id), title=title, text=(text or title)[:MAX_TEXT],
                    url=url, published=announcement.sent_at,
                    districts=audience_districts or tuple(project_districts or ()), project_kind=project_kind,
                    image=found.get(ref[0]) if ref else None, project_id=project_id,
                    announcement_id=announcement.id)


def _announced_stage(session: Session, announcement: Announcement, project: Project) -> str:
    """The stage a project's announcement told of: its title starts with that stage's header
    (services.projects.announce), else the stage the project had reached when it was sent."""
    for stage in STAGES:
        if (announcement.title or "").startswith(projects_texts.ANNOUNCE_HEADER[stage] + ":"):
            return stage
    reached = session.scalar(select(ProjectStageChange.stage)
                             .where(ProjectStageChange.project_id == project.id,
                                    ProjectStageChange.changed_at <= announcement.sent_at)
                             .order_by(ProjectStageChange.changed_at.desc(), ProjectStageChange.id.desc()).limit(1))
    return reached or project.stage


# ---- reading LINE messages ----------------------------------------------------------------------------------------
def _walk(node: Any) -> Iterator[dict]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def _texts(messages: Any) -> list[str]:
    """What people read in the messages: text messages, and the text components of Flex bubbles (not buttons)."""
    out: list[str] = []
    for message in messages or ():
        if not isinstance(message, dict):
            continue
        if message.get("type") == "text" and isinstance(message.get("text"), str):
            out.append(message["text"].strip())
            continue
        for node in _walk(message.get("contents")):
            if node.get("type") != "text":
                continue
            value = node.get("text")
            if not isinstance(value, str):  # a text made of spans
                value = "".join(s.get("text", "") for s in node.get("contents") or () if isinstance(s, dict))
            if value.strip():
                out.append(value.strip())
    return out


def _media_ref(messages: Any) -> tuple[int, str] | None:
    """(image id, digest prefix) of the first of our stored photos the messages show (image message or Flex hero)."""
    for node in _walk(messages):
        for key in ("originalContentUrl", "url"):
            value = node.get(key)
            if key == "url" and node.get("type") != "image":
                continue
            if isinstance(value, str):
                match = _MEDIA_PATH.search(urlsplit(value).path)
                if match and int(match.group(1)) < 2**31:
                    return int(match.group(1)), match.group(2)
    return None


_NOT_PAGES = (".jpg", ".jpeg", ".png", ".ics", ".pdf", ".csv", ".xlsx")


def _link_of(messages: Any, base_url: str) -> str:
    """An announcement's own link (the "อ่านต่อ" button of a staff announcement), else the public projects page.
    LINE share links, photos and files are not pages to read, so they are skipped."""
    for node in _walk(messages):
        if node.get("type") == "uri" and isinstance(node.get("uri"), str):
            uri = node["uri"]
            parts = urlsplit(uri)
            if (parts.scheme in ("http", "https") and parts.netloc and not _is_line(parts.hostname or "")
                    and not parts.path.startswith("/media/") and not parts.path.lower().endswith(_NOT_PAGES)):
                return uri
    return f"{base_url}/projects"


def _is_line(host: str) -> bool:
    return host == "line.me" or host.endswith(".line.me")

