"""Trainings, their speakers, and citizens' sign-ups (confirmed seats, the waitlist, attendance)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow

TRAINING_STATUSES = ("draft", "published", "cancelled")
SIGNUP_STATUSES = ("confirmed", "waitlisted", "cancelled")


class Training(Base):
    """A knowledge or career training. Citizens see it once published; seats are limited by `capacity`."""

    __tablename__ = "trainings"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    topic_tags: Mapped[list] = mapped_column(default=list)  # e.g. ["ขายออนไลน์", "การตลาด"]
    venue_name: Mapped[str] = mapped_column(String(200), default="")
    venue_map_url: Mapped[str | None] = mapped_column(String(1000))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    capacity: Mapped[int] = mapped_column(Integer)
    signup_deadline: Mapped[datetime]
    districts: Mapped[list] = mapped_column(default=list)  # target district keys; empty: the whole province
    what_to_bring: Mapped[str] = mapped_column(Text, default="")
    cover_image_id: Mapped[int | None] = mapped_column(ForeignKey("media_images.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)  # draft|published|cancelled
    survey_delay_hours: Mapped[int] = mapped_column(Integer, default=2)  # survey goes N hours after the end
    announcement_id: Mapped[int | None] = mapped_column(Integer)  # set when staff announced it
    created_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None]


class TrainingSpeaker(Base):
    """Someone who teaches at a training (e.g. a successful online seller), shown with a short bio and photo."""

    __tablename__ = "training_speakers"

    id: Mapped[int] = mapped_column(primary_key=True)
    training_id: Mapped[int] = mapped_column(ForeignKey("trainings.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(120))
    bio: Mapped[str] = mapped_column(String(500), default="")
    photo_image_id: Mapped[int | None] = mapped_column(ForeignKey("media_images.id", ondelete="SET NULL"))


class TrainingSignup(Base):
    """One citizen's place at one training: a confirmed seat or a place in the waitlist.

    `checkin_code` is random and unguessable (it is what the personal QR code carries), never the row id.
    `reminded_*_at` are the sent-markers of the reminders, written in the transaction that queues the message.
    """

    __tablename__ = "training_signups"
    __table_args__ = (
        UniqueConstraint("training_id", "citizen_id", name="uq_training_signups_training_citizen"),
        Index("ix_training_signups_queue", "training_id", "status", "queued_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    training_id: Mapped[int] = mapped_column(ForeignKey("trainings.id", ondelete="CASCADE"))
    # NULL once the citizen's data was erased (PDPA): the row stays only as an anonymous count.
    citizen_id: Mapped[int | None] = mapped_column(ForeignKey("citizens.id", ondelete="SET NULL"), index=True)
    status: Mapped[str] = mapped_column(String(16))  # confirmed | waitlisted | cancelled
    checkin_code: Mapped[str] = mapped_column(String(16), unique=True)
    queued_at: Mapped[datetime]  # order in the waitlist (and of sign-up)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    checked_in_at: Mapped[datetime | None]
    checked_in_by: Mapped[str | None] = mapped_column(String(64))
    reminded_day_before_at: Mapped[datetime | None]
    reminded_hours_before_at: Mapped[datetime | None]
