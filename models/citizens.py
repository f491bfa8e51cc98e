"""PDPA records: opt-in consents (current state and their dated history) and the log of data requests."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class Consent(Base):
    """Whether a LINE user has opted in to one purpose now (one row per user and purpose)."""

    __tablename__ = "consents"
    __table_args__ = (UniqueConstraint("line_user_id", "purpose"), Index("ix_consents_purpose_granted", "purpose",
                                                                         "granted"))

    id: Mapped[int] = mapped_column(primary_key=True)
    line_user_id: Mapped[str] = mapped_column(String(64))
    purpose: Mapped[str] = mapped_column(String(32))
    granted: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class ConsentLog(Base):
    """Every grant and withdrawal, with its date (evidence of consent; erased with the person's data)."""

    __tablename__ = "consent_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    line_user_id: Mapped[str] = mapped_column(String(64), index=True)
    purpose: Mapped[str] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(16))  # grant | withdraw
    at: Mapped[datetime] = mapped_column(default=utcnow)


class DataRequest(Base):
    """A "my data" request (view, export, withdraw, erase) and its date. `citizen_id` is cleared on erasure so
    the log keeps only that a request happened, and when."""

    __tablename__ = "data_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # view | export | withdraw | erase
    citizen_id: Mapped[int | None] = mapped_column(Integer, index=True)
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    detail: Mapped[dict] = mapped_column(default=dict)  # anonymous counts only (e.g. rows erased per feature)


class DataExportLink(Base):
    """A short-lived link to a person's data export page; only the token's hash is kept."""

    __tablename__ = "data_export_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    line_user_id: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]


class StaffMenuLink(Base):
    """Which staff member has the staff rich menu linked (so a scan links new staff and unlinks revoked ones)."""

    __tablename__ = "staff_menu_links"

    line_user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    rich_menu_id: Mapped[str] = mapped_column(String(64))
    linked_at: Mapped[datetime] = mapped_column(default=utcnow)
