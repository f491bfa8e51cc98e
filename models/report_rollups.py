"""Pre-aggregated sales for the reports: the sales ledger summed per month, district, shop, category and online or
not. The ledger is append-only (a refund is a new negative row), so the rollup is kept up to date by adding the rows
after a watermark (the last sale id counted); reports add the few rows past the watermark live, so they are never
stale (see services/report_rollups.py)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, Date, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class SalesMonthly(Base):
    """Sales of one shop in one month, district, product category and side (online or traditional)."""

    __tablename__ = "report_sales_monthly"
    __table_args__ = (
        UniqueConstraint("month", "district", "vendor_id", "category", "online",
                         name="uq_report_sales_monthly_cell"),
        Index("ix_report_sales_monthly_district_month", "district", "month"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[date] = mapped_column(Date)  # the first day of the month (Khon Kaen days, as Sale.sold_on)
    district: Mapped[str] = mapped_column(String(32))
    vendor_id: Mapped[int] = mapped_column(Integer)
    category: Mapped[str] = mapped_column(String(24))  # the product's category when counted; "unposted" without one
    online: Mapped[bool] = mapped_column(Boolean)
    amount_satang: Mapped[int] = mapped_column(BigInteger, default=0)
    sales: Mapped[int] = mapped_column(Integer, default=0)


class RollupState(Base):
    """How far a rollup has counted: the last source row id included, and when."""

    __tablename__ = "report_rollup_state"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    last_id: Mapped[int] = mapped_column(BigInteger, default=0)
    refreshed_at: Mapped[datetime | None] = mapped_column(default=utcnow)
