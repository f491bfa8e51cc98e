"""Rate limits on what a person can cause to be sent: counts per action, subject and time window, and the log of
who hit a limit (shown to staff)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class ActionCount(Base):
    """How many times `subject` did `action` in the window starting at `window_start`."""

    __tablename__ = "action_counts"
    __table_args__ = (UniqueConstraint("action", "subject", "window_start", name="uq_action_counts_window"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    action: Mapped[str] = mapped_column(String(32))
    subject: Mapped[str] = mapped_column(String(160))  # e.g. "U…" or "U…:training:7"
    window_start: Mapped[datetime] = mapped_column(index=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class LimitHit(Base):
    """Someone went over a limit (one row per action, subject and window: the first refusal)."""

    __tablename__ = "limit_hits"

    id: Mapped[int] = mapped_column(primary_key=True)
    action: Mapped[str] = mapped_column(String(32))
    subject: Mapped[str] = mapped_column(String(160))
    line_user_id: Mapped[str | None] = mapped_column(String(64), index=True)  # who caused it, when known
    limit: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
