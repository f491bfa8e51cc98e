"""Visits to public pages that came through a share button (`?s=line|fb|copy`), for the reports' share counts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class ShareVisit(Base):
    """One counted visit: at most one per visitor, page and source per hour; bots, link previews and HEAD excluded.
    `visitor` is a keyed hash of the browser's address and user agent, never the address itself (PDPA)."""

    __tablename__ = "share_visits"
    __table_args__ = (Index("ix_share_visits_visitor_page_at", "visitor", "page", "source", "visited_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    page: Mapped[str] = mapped_column(String(200))  # the page's path, e.g. /market/p/12 (no query string)
    source: Mapped[str] = mapped_column(String(8))  # one of services.share_visits.SOURCES
    visitor: Mapped[str] = mapped_column(String(64))
    visited_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
