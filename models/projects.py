"""Public projects of the province, their stages and photos, who follows them, and announcements.

Money: `Project.budget` is a Numeric(14, 2) amount in Thai baht (Decimal in Python; null = not published).
Stages move forward through STAGES; every change is a `ProjectStageChange` row with its time, so other features
can scan for "projects that became completed since ..." (e.g. the public satisfaction survey).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow

PROJECT_KINDS = ("infrastructure", "knowledge_training", "career_training")
STAGES = ("announced", "in_progress", "completed", "evaluated")
ANNOUNCEMENT_STATUSES = ("scheduled", "sent", "cancelled")


class Project(Base):
    """A project the province announces before it starts and reports on after it ends."""

    __tablename__ = "projects"
    __table_args__ = (Index("ix_projects_stage_updated", "stage", "updated_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))  # one of PROJECT_KINDS
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    districts: Mapped[list] = mapped_column(default=list)  # district keys of texts/districts.py; [] = province-wide
    location: Mapped[str] = mapped_column(String(300), default="")
    budget: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))  # baht
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    cover_image_id: Mapped[int | None] = mapped_column(ForeignKey("media_images.id", ondelete="SET NULL"))
    stage: Mapped[str] = mapped_column(String(16), default="announced")  # one of STAGES
    published: Mapped[bool] = mapped_column(Boolean, default=True)  # False: hidden from citizens and public pages
    created_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class ProjectStageChange(Base):
    """One stage a project reached, and when (the first row is "announced", written when it is created)."""

    __tablename__ = "project_stage_changes"
    __table_args__ = (Index("ix_project_stage_changes_stage_changed_at", "stage", "changed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    stage: Mapped[str] = mapped_column(String(16))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    note: Mapped[str | None] = mapped_column(Text)
    changed_by: Mapped[str | None] = mapped_column(String(64))


class ProjectPhoto(Base):
    """An activity photo of one stage of a project (the image itself lives in media_images)."""

    __tablename__ = "project_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    stage: Mapped[str] = mapped_column(String(16))
    image_id: Mapped[int] = mapped_column(ForeignKey("media_images.id", ondelete="CASCADE"))
    caption: Mapped[str] = mapped_column(String(200), default="")
    uploaded_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ProjectFollower(Base):
    """A citizen who asked for this project's updates ("ติดตามโครงการนี้"). Personal data: erased on request."""

    __tablename__ = "project_followers"
    __table_args__ = (UniqueConstraint("project_id", "line_user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    line_user_id: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Announcement(Base):
    """Messages to citizens, sent now or at `send_at`; delivery is tracked by outbox rows with
    `source = "announcement:<id>"`. `audience` is services.announcements.Audience as a dict."""

    __tablename__ = "announcements"
    __table_args__ = (Index("ix_announcements_status_send_at", "status", "send_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200), default="")  # for staff lists; citizens see `messages`
    messages: Mapped[list]
    audience: Mapped[dict] = mapped_column(default=dict)
    source: Mapped[str] = mapped_column(String(80))  # "console", "chat", "api", "project:12", "training:7", ...
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id", ondelete="SET NULL"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="scheduled")  # one of ANNOUNCEMENT_STATUSES
    send_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    recipient_count: Mapped[int] = mapped_column(Integer, default=0)  # counted when sent (broadcast: estimate)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    cancelled_at: Mapped[datetime | None]
