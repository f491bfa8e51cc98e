"""The audit log: one row per staff action (who, when, what), append-only."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class AuditEntry(Base):
    """A staff action as it happened. Rows are only ever inserted: services/audit.py refuses updates and deletes in
    the ORM, and on PostgreSQL a trigger (migration 0020) refuses them in SQL too. `detail` holds ids, counts and
    codes, never names, phone numbers, addresses or a citizen's LINE id, so PDPA erasure has nothing to remove."""

    __tablename__ = "audit_entries"
    __table_args__ = (
        Index("ix_audit_entries_action_at", "action", "at"),
        Index("ix_audit_entries_actor_at", "actor", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(64))  # a staff LINE user id, "api", "scheduler", or "citizen"
    actor_role: Mapped[str] = mapped_column(String(16))  # admin | staff | executive | api | scheduler | none
    action: Mapped[str] = mapped_column(String(40))
    subject_type: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[dict] = mapped_column(default=dict)
