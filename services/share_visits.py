"""Share counts: visits to public pages that arrived through a share button tagged `?s=line|fb|copy`.

A visit counts once per visitor, page and source per hour (the rule referral clicks use); bots, link-preview
fetchers and HEAD requests do not count (services/referrals.is_bot); the visitor is a keyed hash of address and user
agent (services/referrals.visitor_key), never the address. The reports read `visit_counts` and `page_counts`.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import urlsplit, urlunsplit

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.share_visits import ShareVisit
from services import referrals

SOURCES = ("line", "fb", "copy")
VISIT_GAP = timedelta(hours=1)
PAGE_MAX = 200  # the column's length; longer paths are not public pages of ours


def source_of(value: str | None) -> str | None:
    """The share source named by `?s=`, or None for anything else (an unknown source is not counted)."""
    value = (value or "").strip().lower()
    return value if value in SOURCES else None


def tagged(url: str, source: str) -> str:
    """`url` with the share tag `s=<source>` added to its query (replacing any earlier tag), fragment kept."""
    if source not in SOURCES:
        raise ValueError(f"unknown share source {source!r}")
    parts = urlsplit(url)
    kept = [pair for pair in parts.query.split("&") if pair and not pair.startswith("s=")]
    return urlunsplit(parts._replace(query="&".join([*kept, f"s={source}"])))


def should_count(method: str, user_agent: str | None, source: str | None) -> bool:
    """Whether a request may count at all: a GET from a browser with a known source."""
    return method == "GET" and source is not None and not referrals.is_bot(user_agent)


def record_visit(session: Session, page: str, source: str, visitor: str, now: datetime) -> bool:
    """Counts the visit unless this visitor's last counted one to the page from the source is under an hour old."""
    if source not in SOURCES or not page or len(page) > PAGE_MAX:
        return False
    recent = session.scalar(select(ShareVisit.id).where(
        ShareVisit.visitor == visitor, ShareVisit.page == page, ShareVisit.source == source,
        ShareVisit.visited_at > now - VISIT_GAP).limit(1))
    if recent is not None:
        return False
    session.add(ShareVisit(page=page, source=source, visitor=visitor, visited_at=now))
    session.flush()
    return True


def visit_counts(session: Session, since: datetime | None = None, until: datetime | None = None,
                 page: str | None = None) -> dict[str, int]:
    """Counted visits per source in [since, until) (optionally for one page): every source present, zero or not."""
    query = select(ShareVisit.source, func.count(ShareVisit.id)).group_by(ShareVisit.source)
    if since is not None:
        query = query.where(ShareVisit.visited_at >= since)
    if until is not None:
        query = query.where(ShareVisit.visited_at < until)
    if page is not None:
        query = query.where(ShareVisit.page == page)
    counts = dict.fromkeys(SOURCES, 0)
    counts.update({source: int(n) for source, n in session.execute(query)})
    return counts


def page_counts(session: Session, since: datetime | None = None, until: datetime | None = None,
                prefix: str | None = None) -> dict[str, dict[str, int]]:
    """Counted visits per page and source in [since, until), e.g. {"/projects/3": {"line": 4, "fb": 1, "copy": 0}};
    `prefix` keeps pages under one path (e.g. "/projects/")."""
    query = select(ShareVisit.page, ShareVisit.source, func.count(ShareVisit.id)) \
        .group_by(ShareVisit.page, ShareVisit.source).order_by(ShareVisit.page)
    if since is not None:
        query = query.where(ShareVisit.visited_at >= since)
    if until is not None:
        query = query.where(ShareVisit.visited_at < until)
    if prefix:
        query = query.where(ShareVisit.page.startswith(prefix, autoescape=True))
    result: dict[str, dict[str, int]] = {}
    for page, source, n in session.execute(query):
        result.setdefault(page, dict.fromkeys(SOURCES, 0))[source] = int(n)
    return result
