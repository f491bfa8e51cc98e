"""Posts to the province's other channels (the Facebook Page): a durable outbox of their own.

The Graph API has no retry key, so exactly-once rests on this row: the marker placed in the message lets a retry
find a post an earlier, unanswered request made; `maybe_posted` says whether such a request may have reached
Facebook (then the page is searched before anything is posted again).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow

CHANNELS = ("facebook",)
# pending: due at next_attempt_at; sending: claimed until locked_until; posted: post_id known; dead: staff decide;
# cancelled: its announcement was cancelled before its time.
POST_STATUSES = ("pending", "sending", "posted", "dead", "cancelled")


class ChannelPost(Base):
    """One announcement or project stage to post to one channel."""

    __tablename__ = "channel_posts"

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16), default="facebook")  # one of CHANNELS
    announcement_id: Mapped[int | None] = mapped_column(ForeignKey("announcements.id", ondelete="SET NULL"),
                                                        index=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id", ondelete="SET NULL"), index=True)
    stage: Mapped[str | None] = mapped_column(String(16))  # the project stage announced, if any
    message: Mapped[str] = mapped_column(Text)  # as posted, marker included
    link: Mapped[str | None] = mapped_column(String(1000))
    photo_url: Mapped[str | None] = mapped_column(String(1000))
    marker: Mapped[str] = mapped_column(String(32), unique=True)  # e.g. "#kk3f9a1c2b7d", also inside `message`
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)  # one of POST_STATUSES
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(index=True)
    claim_token: Mapped[str | None] = mapped_column(String(36))
    locked_until: Mapped[datetime | None]
    # True once a request that may have created the post has gone out without a clear answer.
    maybe_posted: Mapped[bool] = mapped_column(Boolean, default=False)
    post_id: Mapped[str | None] = mapped_column(String(100))
    permalink: Mapped[str | None] = mapped_column(String(1000))
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    posted_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
