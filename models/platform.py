"""Tables the platform itself needs: citizens, staff, inbound events, the outbox and conversations."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class Citizen(Base):
    """A LINE user who has talked to the account. Personal fields stay empty until consent (PDPA)."""

    __tablename__ = "citizens"

    id: Mapped[int] = mapped_column(primary_key=True)
    line_user_id: Mapped[str] = mapped_column(String(64), unique=True)
    is_following: Mapped[bool] = mapped_column(Boolean, default=False)
    followed_at: Mapped[datetime | None]
    unfollowed_at: Mapped[datetime | None]
    district: Mapped[str | None] = mapped_column(String(32), index=True)
    age_group: Mapped[str | None] = mapped_column(String(16))
    interests: Mapped[list] = mapped_column(default=list)  # e.g. ["infrastructure", "training", "market"]
    # Personal data: asked only when a feature needs it (e.g. a training sign-up), erased on request.
    full_name: Mapped[str | None] = mapped_column(String(120))
    phone: Mapped[str | None] = mapped_column(String(20))
    privacy_notice_version: Mapped[str | None] = mapped_column(String(16))
    privacy_notice_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class StaffMember(Base):
    """A LINE user allowed into staff flows and the web console. Admins may grant and revoke staff."""

    __tablename__ = "staff_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    line_user_id: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16), default="staff")  # staff | admin
    label: Mapped[str | None] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    granted_by: Mapped[str | None] = mapped_column(String(64))
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]


class StaffLoginToken(Base):
    """A one-time console sign-in link: only its hash is kept, it expires, and it binds to one LINE user."""

    __tablename__ = "staff_login_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    line_user_id: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


OPEN_EVENTS_SQL = "status IN ('pending', 'processing')"
OPEN_EVENTS = text(OPEN_EVENTS_SQL)


class InboundEvent(Base):
    """A webhook event, stored before the webhook answers 200 and processed later by a worker."""

    __tablename__ = "inbound_events"
    __table_args__ = (
        Index("ix_inbound_events_source_order", "source_key", "id"),
        # Only unfinished events: a lane's head is one index seek however many finished events its user has.
        Index("ix_inbound_events_open", "source_key", "id", sqlite_where=OPEN_EVENTS, postgresql_where=OPEN_EVENTS),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    webhook_event_id: Mapped[str] = mapped_column(String(64), unique=True)
    source_key: Mapped[str] = mapped_column(String(80))
    event_type: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict]
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending|processing|done|failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    available_at: Mapped[datetime] = mapped_column(default=utcnow)
    locked_until: Mapped[datetime | None]
    claim_token: Mapped[str | None] = mapped_column(String(36))
    last_error: Mapped[str | None] = mapped_column(Text)
    processed_at: Mapped[datetime | None]


class EventLane(Base):
    """A source (user, group, room) with unfinished events. Workers serve lanes, not events.

    A lane exists exactly while its source has an unfinished event (a database trigger adds it with the event; the
    worker that finishes the last one deletes it). Claiming takes the lanes that are ready longest, one event each,
    so claiming costs the same at ten waiting events or a hundred thousand, a flood from one person waits its turn
    behind everyone else's single message, and one person's events still run one at a time, in order. See
    docs/ARCHITECTURE.md, "The event pipeline".
    """

    __tablename__ = "event_lanes"
    __table_args__ = (Index("ix_event_lanes_ready", "ready_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)  # first come, first served when lanes are ready together
    source_key: Mapped[str] = mapped_column(String(80), unique=True)
    ready_at: Mapped[datetime]  # when its next event is due; the longest-waiting lane is served first
    locked_until: Mapped[datetime | None]  # a worker's lease: after it, a crashed worker's lane is served again
    claim_token: Mapped[str | None] = mapped_column(String(36))


class OutboxMessage(Base):
    """One request to LINE waiting to be sent. The retry key is fixed here so a resend is never a duplicate."""

    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_messages_due", "status", "available_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # reply|push|multicast|broadcast|narrowcast
    retry_key: Mapped[str] = mapped_column(String(36), unique=True)
    reply_token: Mapped[str | None] = mapped_column(String(255))
    recipients: Mapped[list] = mapped_column(default=list)
    recipient_count: Mapped[int] = mapped_column(Integer, default=0)
    messages: Mapped[list]
    options: Mapped[dict] = mapped_column(default=dict)  # notificationDisabled, narrowcast recipient/filter
    source: Mapped[str | None] = mapped_column(String(80), index=True)  # what caused it, e.g. "announcement:12"
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending|sending|sent|dead
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    available_at: Mapped[datetime] = mapped_column(default=utcnow)
    locked_until: Mapped[datetime | None]
    claim_token: Mapped[str | None] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    line_request_id: Mapped[str | None] = mapped_column(String(64))
    last_status: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[dict | None]
    # A reply that could not use its token is re-sent as a push: this points at that push.
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("outbox_messages.id"))


class Conversation(Base):
    """Where a user is in a multi-step chat flow. Lives in the DB so any worker can continue it."""

    __tablename__ = "conversations"

    line_user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    flow: Mapped[str] = mapped_column(String(64))
    step: Mapped[str] = mapped_column(String(64))
    data: Mapped[dict] = mapped_column(default=dict)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]


# The console overview counts what was sent per day: an index range on the sent rows' times, never a full scan.
Index("ix_outbox_messages_sent", OutboxMessage.status, OutboxMessage.sent_at)


class StaffConsoleSession(Base):
    """A signed-in console browser. The cookie carries a random id whose hash is kept here, so signing out (or
    losing staff rights) ends the session on the server and a copied cookie stops working."""

    __tablename__ = "staff_console_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    line_user_id: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
