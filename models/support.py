"""Support cases: a citizen asks for a person ("ติดต่อเจ้าหน้าที่") and staff answer from the console inbox."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow

# open: the citizen wrote last and waits for staff; waiting: staff answered and wait for the citizen; closed.
CASE_STATUSES = ("open", "waiting", "closed")
CLOSED_BY = ("staff", "citizen", "timeout")
MESSAGE_KINDS = ("text", "image", "location", "sticker", "other")


class SupportCase(Base):
    """One conversation between a citizen and staff, from "ติดต่อเจ้าหน้าที่" until it is closed."""

    __tablename__ = "support_cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    line_user_id: Mapped[str] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    assignee: Mapped[str | None] = mapped_column(String(64))  # the staff member's LINE user id
    display_name: Mapped[str | None] = mapped_column(String(100))  # LINE's name for the person when the case opened
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    first_answer_at: Mapped[datetime | None]  # time to first answer = first_answer_at - opened_at
    last_message_at: Mapped[datetime] = mapped_column(default=utcnow)  # either side; 24 h of silence closes it
    closed_at: Mapped[datetime | None]
    closed_by: Mapped[str | None] = mapped_column(String(16))
    # The citizen's latest unused reply token: staff answering within LINE's minute reply for free (no push quota).
    reply_token: Mapped[str | None] = mapped_column(String(255))
    reply_token_at: Mapped[datetime | None]


# One open (or waiting) case per person is enforced by the service; this index finds it and the 24 h scan.
Index("ix_support_cases_user_status", SupportCase.line_user_id, SupportCase.status)
Index("ix_support_cases_status_last", SupportCase.status, SupportCase.last_message_at)


class SupportMessage(Base):
    """A message in a case: from the citizen (`from_staff` false) or a staff reply sent through the outbox."""

    __tablename__ = "support_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("support_cases.id", ondelete="CASCADE"), index=True)
    from_staff: Mapped[bool] = mapped_column(Boolean, default=False)
    staff_line_user_id: Mapped[str | None] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16), default="text")  # text|image|location|sticker|other
    body: Mapped[str] = mapped_column(Text, default="")  # text, or a location's title and address
    image_id: Mapped[int | None] = mapped_column(ForeignKey("media_images.id", ondelete="SET NULL"))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    webhook_event_id: Mapped[str | None] = mapped_column(String(64), unique=True)  # a redelivery adds nothing
    sent_as: Mapped[str | None] = mapped_column(String(16))  # reply|push, for staff messages
    outbox_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CaseNoticeSubscription(Base):
    """A staff member who wants a LINE notice of each new case."""

    __tablename__ = "support_case_notices"

    line_user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
