"""One ledger of sales: online orders (recorded when the buyer receives them) and traditional sales a vendor or staff
recorded (storefront, market stall, fair, consignment, other), so online and traditional can be compared per vendor,
product, district and month: the programme's third evaluation measure."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow

# "online" is written only by orders; the rest are traditional channels (names in texts/sales.py).
SALE_CHANNELS = ("online", "storefront", "market", "fair", "consignment", "other")
SALE_SOURCES = ("order", "refund", "chat", "console", "csv", "api")


class Sale(Base):
    """A sale (or, with a negative amount and source "refund", an online order refunded after receipt)."""

    __tablename__ = "market_sales"
    __table_args__ = (
        Index("ix_market_sales_vendor_sold", "vendor_id", "sold_on"),
        Index("ix_market_sales_district_sold", "district", "sold_on"),
        Index("ix_market_sales_channel_sold", "channel", "sold_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    vendor_id: Mapped[int] = mapped_column(ForeignKey("market_vendors.id"))
    product_id: Mapped[int | None] = mapped_column(ForeignKey("market_products.id"), index=True)
    product_name: Mapped[str] = mapped_column(String(80))  # as sold
    quantity: Mapped[int] = mapped_column(Integer)
    amount_satang: Mapped[int] = mapped_column(Integer)
    channel: Mapped[str] = mapped_column(String(16))
    sold_on: Mapped[date] = mapped_column(Date)  # the day in Asia/Bangkok
    district: Mapped[str] = mapped_column(String(32))  # the shop's district when sold
    order_id: Mapped[int | None] = mapped_column(ForeignKey("market_orders.id"), index=True)
    source: Mapped[str] = mapped_column(String(16))
    recorded_by: Mapped[str | None] = mapped_column(String(64))  # vendor's or staff's LINE id, "api"
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
