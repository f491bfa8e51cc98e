"""Reports that executives were told about: one row per report, so the scheduled scan tells them once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, deferred, mapped_column

from models.base import Base, utcnow


class ReportNotice(Base):
    """A ready report (a finished project or training, or a past month of the province) and the chart image its
    LINE notice shows. The image is served at /reports/chart/<token>.png: LINE's servers fetch it without a
    sign-in, so the address is a random token; the chart holds only aggregate figures."""

    __tablename__ = "report_notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_key: Mapped[str] = mapped_column(String(40), unique=True)  # "project:7", "training:3", "province:2026-11"
    token: Mapped[str] = mapped_column(String(64), unique=True)
    chart_png: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
    recipients: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
