"""The province's other channels: posting announcements and project stages to its Facebook Page, exactly once.

How the announcement service posts to Facebook (in its own transaction, when staff chose the channel):

    from services import channels
    channels.queue_for_announcement(session, row, now=now)     # text, link, photo from its LINE messages
    # or, for any text: channels.queue_facebook_post(session, text=..., link=..., photo_url=..., now=now)

That writes a `channel_posts` row; scheduler/jobs_channels.py sends it, outside any transaction:

- each row carries a marker ("#kk" and ten hex digits) at the end of its message;
- the answer's post id is recorded, and a posted row is never claimed again;
- after an answer that leaves it unknown whether Facebook made the post (a timeout, a 5xx, a crash while
  sending), the row is `maybe_posted` and every later attempt first searches the page's recent posts for the
  marker, recording the post it finds instead of posting again;
- 429 and transient errors are retried with backoff and jitter; other 4xx make the row dead at once; so does the
  last of FACEBOOK_MAX_ATTEMPTS attempts. Dead rows keep Facebook's error message for staff, who may retry them.

Facebook is on when FACEBOOK_PAGE_ID and FACEBOOK_PAGE_ACCESS_TOKEN are set; in emulator mode without them a
stand-in (facebook_standin.py) takes the posts, and the console says so.
"""

from __future__ import annotations

import random
import secrets
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from models.channels import ChannelPost
from models.projects import Announcement
from services.errors import Conflict, DomainError, NotFound, PermissionDenied
from services.facebook import FATAL, MAYBE, POSTED, FoundPost, GraphClient, GraphUnavailable, Outcome
from services.staff import is_staff
from texts import channels as channels_texts

MARKER_PREFIX = "#kk"
MAX_TEXT = 5000  # Facebook takes far more; an announcement is short, and the marker must stay in the message
# Longer than a whole run of the job (5 claims, each a search of 5 pages and a post, 20 s timeouts): a lease that
# ran out mid-request would let another process search, miss the post still in flight, and post it again.
LEASE = timedelta(minutes=15)
BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_CAP = timedelta(hours=1)
# Facebook lists a post a moment after making it: a search this long after the unanswered request is trusted.
SEARCH_MARGIN = timedelta(hours=1)  # how far before the row's creation the search of the page starts

FACEBOOK, STANDIN = "facebook", "standin"


def facebook_mode(settings: Any) -> str | None:
    """FACEBOOK when the Page is configured, STANDIN in emulator mode without it, else None (Facebook is off)."""
    if settings.FACEBOOK_PAGE_ID and settings.FACEBOOK_PAGE_ACCESS_TOKEN:
        return FACEBOOK
    if settings.emulated:
        return STANDIN
    return None


def facebook_available(settings: Any) -> bool:
    """True when staff may choose Facebook as a channel (configured, or the stand-in in emulator mode)."""
    return facebook_mode(settings) is not None


def new_marker() -> str:
    """A short token that finds this post among the page's posts (and is harmless for readers to see)."""
    return f"{MARKER_PREFIX}{secrets.token_hex(5)}"


def compose_message(text: str, marker: str, *, link: str | None = None, photo: bool = False) -> str:
    """The post's text: the announcement, the link (in the caption when it is a photo: /photos has no link
    field), and the marker on the last line."""
    body = text.strip()[:MAX_TEXT]
    if photo and link and link not in body:
        body = f"{body}\n{link}" if body else link
    return f"{body}\n\n{marker}" if body else marker


def _flex_lines(node: Any) -> list[str]:
    """The text a Flex component shows, line by line (a horizontal or baseline box is one line)."""
    if not isinstance(node, dict):
        return []
    if node.get("type") == "text":
        text = node.get("text")
        if not isinstance(text, str):
            text = "".join(str(span.get("text", "")) for span in node.get("contents") or [] if isinstance(span, dict))
        return [text.strip()] if text.strip() else []
    if node.get("type") == "box":
        lines = [line for child in node.get("contents") or [] for line in _flex_lines(child)]
        return [" ".join(lines)] if lines and node.get("layout") in ("horizontal", "baseline") else lines
    return []


def _flex_uris(node: Any) -> list[str]:
    """Web addresses of the component's actions, in order."""
    if isinstance(node, list):
        return [uri for child in node for uri in _flex_uris(child)]
    if not isinstance(node, dict):
        return []
    found = []
    action = node.get("action")
    if isinstance(action, dict) and action.get("type") == "uri" and str(action.get("uri", "")).startswith("http"):
        found.append(str(action["uri"]))
    for key in ("contents", "header", "hero", "body", "footer"):
        found.extend(_flex_uris(node.get(key)))
    return found


def facebook_post_of(messages: Sequence[dict]) -> tuple[str, str | None, str | None]:
    """The text, link and photo of an announcement's LINE messages, for its Facebook post: text messages as they
    are; a Flex bubble's header and body text, its photo (hero image) and its first web link (the page it opens)."""
    texts: list[str] = []
    link: str | None = None
    photo: str | None = None
    for message in messages:
        if message.get("type") == "text" and isinstance(message.get("text"), str):
            texts.append(message["text"].strip())
        elif message.get("type") == "image" and not photo:
            photo = message.get("originalContentUrl")
        elif message.get("type") == "flex":
            contents = message.get("contents") or {}
            bubble = (contents.get("contents") or [{}])[0] if contents.get("type") == "carousel" else contents
            lines = [line for part in ("header", "body") for line in _flex_lines(bubble.get(part))]
            texts.append("\n".join(lines) or str(message.get("altText", "")).strip())
            hero = bubble.get("hero") or {}
            if not photo and hero.get("type") == "image" and isinstance(hero.get("url"), str):
                photo = hero["url"]
            link = link or next(iter(_flex_uris(bubble)), None)
    return "\n\n".join(t for t in texts if t), link, photo


def facebook_text(messages: Sequence[dict]) -> str:
    """The text of an announcement's LINE messages, for its Facebook post."""
    return facebook_post_of(messages)[0]


def queue_facebook_post(session: Session, *, text: str, link: str | None = None, photo_url: str | None = None,
                        announcement_id: int | None = None, project_id: int | None = None, stage: str | None = None,
                        send_at: datetime | None = None, now: datetime) -> ChannelPost:
    """Writes the Facebook post of an announcement or stage, to be sent at `send_at` (or now) by the job."""
    text = (text or "").strip()
    if not text and not link and not photo_url:
        raise DomainError(channels_texts.NOTHING_TO_POST, code="nothing_to_post")
    for url in filter(None, (link, photo_url)):
        if not url.startswith(("https://", "http://")) or len(url) > 1000 or any(c.isspace() for c in url):
            raise DomainError(channels_texts.BAD_URL, code="bad_url")
    if send_at is not None and send_at.tzinfo is None:
        raise DomainError(channels_texts.NAIVE_TIME, code="naive_time")
    marker = new_marker()
    row = ChannelPost(channel="facebook", announcement_id=announcement_id, project_id=project_id, stage=stage,
                      message=compose_message(text, marker, link=link, photo=bool(photo_url)), link=link or None,
                      photo_url=photo_url or None, marker=marker, status="pending", attempts=0,
                      next_attempt_at=max(send_at or now, now), maybe_posted=False, created_at=now, updated_at=now)
    session.add(row)
    session.flush()
    return row


def facebook_chosen(form: Any, settings: Any) -> bool:
    """True when the announce form chose Facebook and Facebook may be used (a forged field does nothing)."""
    return form.get("channel_facebook") == "1" and facebook_available(settings)


def preview_post(messages: Sequence[dict]) -> dict[str, str | None]:
    """What the Facebook post of these LINE messages would say (without its marker), for the confirm screen."""
    text, link, photo_url = facebook_post_of(messages)
    return {"text": compose_message(text, "", link=link, photo=bool(photo_url)).strip(), "link": link,
            "photo_url": photo_url}


def queue_for_announcement(session: Session, announcement: Announcement, *, now: datetime,
                           stage: str | None = None) -> ChannelPost:
    """Writes the Facebook post of an announcement staff sent to Facebook too: its text, link and photo taken from
    its LINE messages, posted when it is sent (now or at its time; not if it is cancelled before)."""
    text, link, photo_url = facebook_post_of(announcement.messages)
    if stage is None and announcement.project_id is not None:
        # projects.announce titles a stage announcement "<stage header>: <project title>".
        from texts import projects as projects_texts

        stage = next((key for key, header in projects_texts.ANNOUNCE_HEADER.items()
                      if announcement.title.startswith(f"{header}:")), None)
    return queue_facebook_post(session, text=text, link=link, photo_url=photo_url, announcement_id=announcement.id,
                               project_id=announcement.project_id, stage=stage, send_at=announcement.send_at, now=now)


def posts_for(session: Session, announcement_id: int) -> list[ChannelPost]:
    """The channel posts of one announcement, oldest first."""
    return list(session.scalars(select(ChannelPost).where(ChannelPost.announcement_id == announcement_id)
                                .order_by(ChannelPost.id)))


def posts_by_announcement(session: Session, announcement_ids: Iterable[int]) -> dict[int, list[ChannelPost]]:
    """The channel posts of many announcements (a console list), by announcement id."""
    ids = list(announcement_ids)
    found: dict[int, list[ChannelPost]] = {i: [] for i in ids}
    if ids:
        for row in session.scalars(select(ChannelPost).where(ChannelPost.announcement_id.in_(ids))
                                   .order_by(ChannelPost.id)):
            found[row.announcement_id].append(row)  # type: ignore[index]
    return found


def posts_for_stage(session: Session, project_id: int, stage: str | None = None) -> list[ChannelPost]:
    """The channel posts of a project (of one stage when given), oldest first."""
    stmt = select(ChannelPost).where(ChannelPost.project_id == project_id)
    if stage is not None:
        stmt = stmt.where(ChannelPost.stage == stage)
    return list(session.scalars(stmt.order_by(ChannelPost.id)))


def recent_posts(session: Session, *, limit: int = 100, status: str | None = None) -> list[ChannelPost]:
    """The newest posts first (dead ones first of all when no status is given: they wait for staff)."""
    stmt = select(ChannelPost)
    if status:
        stmt = stmt.where(ChannelPost.status == status).order_by(ChannelPost.id.desc())
    else:
        stmt = stmt.order_by((ChannelPost.status != "dead"), ChannelPost.id.desc())
    return list(session.scalars(stmt.limit(limit)))


def dead_count(session: Session) -> int:
    """How many posts failed for good and wait for staff (the console overview)."""
    return session.scalar(select(func.count()).select_from(ChannelPost).where(ChannelPost.status == "dead")) or 0


def retry(session: Session, actor: str, post_id: int, now: datetime, admin_ids: tuple[str, ...] = ()) -> ChannelPost:
    """Puts a dead post back in line (a post that may exist is searched for first, as always)."""
    if not is_staff(session, actor, admin_ids):
        raise PermissionDenied(channels_texts.STAFF_ONLY)
    row = session.get(ChannelPost, post_id)
    if row is None:
        raise NotFound(channels_texts.NOT_FOUND, code="channel_post_not_found")
    if row.status != "dead":
        raise Conflict(channels_texts.RETRY_ONLY_DEAD, code="not_dead")
    row.status, row.attempts, row.next_attempt_at, row.updated_at = "pending", 0, now, now
    row.claim_token = row.locked_until = None
    session.flush()
    return row


@dataclass(frozen=True)
class Claim:
    """A row claimed for one attempt, with what the attempt needs (read before the transaction ends)."""

    id: int
    token: str
    message: str
    link: str | None
    photo_url: str | None
    marker: str
    maybe_posted: bool
    created_at: datetime


def claim_due(session: Session, now: datetime, limit: int = 5) -> list[Claim]:
    """Claims due posts (pending and due, or sending with an expired lease: a sender died mid-request)."""
    _cancel_withdrawn(session, now)
    due = session.scalars(select(ChannelPost.id).where(or_(
        (ChannelPost.status == "pending") & (ChannelPost.next_attempt_at <= now),
        (ChannelPost.status == "sending") & (ChannelPost.locked_until < now)))
        .order_by(ChannelPost.next_attempt_at, ChannelPost.id).limit(limit)).all()
    claims = []
    for row_id in due:
        row = session.get(ChannelPost, row_id)
        if row is None:
            continue
        session.refresh(row)
        crashed = row.status == "sending"
        token = str(uuid.uuid4())
        # Compare-and-set: another scheduler process that claimed it first wins.
        claimed = session.execute(update(ChannelPost).where(
            ChannelPost.id == row_id, ChannelPost.status == row.status,
            (ChannelPost.claim_token == row.claim_token) if row.claim_token else ChannelPost.claim_token.is_(None))
            .values(status="sending", claim_token=token, locked_until=now + LEASE, attempts=row.attempts + 1,
                    maybe_posted=row.maybe_posted or crashed, updated_at=now)).rowcount
        if claimed != 1:
            continue
        claims.append(Claim(row.id, token, row.message, row.link, row.photo_url, row.marker,
                            row.maybe_posted or crashed, row.created_at))
    return claims


def _cancel_withdrawn(session: Session, now: datetime) -> None:
    """Posts of announcements cancelled before their time are not made."""
    cancelled = select(Announcement.id).where(Announcement.status == "cancelled")
    session.execute(update(ChannelPost).where(ChannelPost.status == "pending",
                                              ChannelPost.announcement_id.in_(cancelled))
                    .values(status="cancelled", updated_at=now))


@dataclass(frozen=True)
class Attempt:
    """What one attempt found out (network only; recorded by `record`)."""

    outcome: Outcome
    permalink: str | None = None
    found: bool = False  # the post was found by its marker (an earlier attempt made it)


def attempt(client: GraphClient, claim: Claim) -> Attempt:
    """Searches for the post when an earlier request may have made it, else (or if not found) posts it."""
    if claim.maybe_posted:
        try:
            found: FoundPost | None = client.find_marker(claim.marker, claim.created_at - SEARCH_MARGIN)
        except GraphUnavailable as exc:
            # Not knowing whether it exists, posting could make a second one: wait and search again.
            return Attempt(Outcome(MAYBE, error=channels_texts.SEARCH_FAILED.format(error=str(exc)[:300])))
        if found is not None:
            return Attempt(Outcome(POSTED, post_id=found.post_id), permalink=found.permalink, found=True)
    outcome = client.publish(claim.message, claim.link, claim.photo_url)
    permalink = client.permalink(outcome.post_id) if outcome.kind == POSTED and outcome.post_id else None
    return Attempt(outcome, permalink=permalink)


def backoff(attempts: int) -> timedelta:
    """Exponential backoff with jitter: a random wait in [half, all] of 30 s doubled per attempt, capped at 1 h."""
    ceiling = min(BACKOFF_CAP.total_seconds(), BACKOFF_BASE.total_seconds() * 2 ** max(0, attempts - 1))
    return timedelta(seconds=random.uniform(ceiling / 2, ceiling))


def record(session: Session, claim: Claim, result: Attempt, now: datetime, max_attempts: int) -> str | None:
    """Writes an attempt's outcome to its row (if the claim still holds); returns the row's new status."""
    row = session.get(ChannelPost, claim.id)
    if row is None or row.status != "sending" or row.claim_token != claim.token:
        return None
    outcome = result.outcome
    row.claim_token, row.locked_until, row.updated_at = None, None, now
    if outcome.kind == POSTED:
        row.status, row.post_id, row.posted_at, row.last_error = "posted", outcome.post_id, now, None
        row.permalink = _web_address(result.permalink)
        row.maybe_posted = False
    elif outcome.kind == FATAL:
        row.status, row.last_error = "dead", outcome.error
    else:
        # Once a request may have made the post, every later attempt searches first (never cleared before a find).
        row.maybe_posted = row.maybe_posted or outcome.kind == MAYBE
        row.last_error = outcome.error
        if row.attempts >= max_attempts:
            row.status = "dead"
        else:
            row.status, row.next_attempt_at = "pending", now + backoff(row.attempts)
    session.flush()
    return row.status


def missing_permalinks(session: Session, now: datetime, limit: int = 20) -> list[tuple[int, str]]:
    """Rows posted in the last day whose permalink Facebook did not give at the time: (id, post id)."""
    return list(session.execute(select(ChannelPost.id, ChannelPost.post_id).where(
        ChannelPost.status == "posted", ChannelPost.permalink.is_(None), ChannelPost.post_id.is_not(None),
        ChannelPost.posted_at >= now - timedelta(days=1))
        .order_by(ChannelPost.id).limit(limit)).tuples())


def set_permalink(session: Session, post_id: int, permalink: str) -> None:
    row = session.get(ChannelPost, post_id)
    if row is not None and row.status == "posted" and not row.permalink:
        row.permalink = _web_address(permalink)


def _web_address(value: str | None) -> str | None:
    """A permalink to keep: a web address only (staff click it), never `javascript:` or the like."""
    value = (value or "").strip()
    return value[:1000] if value.startswith(("https://", "http://")) and len(value) <= 1000 else None
