"""Orders placed by chat, and the commissions they earn sharers.

An order's life: placed -> accepted (stock reserved) -> paid (the vendor confirmed the transfer; skipped for cash on
delivery and pickup) -> shipped -> received; placed -> rejected (by the vendor); placed|accepted -> cancelled (the buyer
before paying, the vendor before shipping; stock returned); received -> refunded (recorded by the vendor).

Commissions: one per attributed order (`Commission`, its current state for scans), and an append-only ledger of
movements between states (`CommissionEntry`); balances are sums over the ledger, never a stored total.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow

ORDER_STATUSES = ("placed", "accepted", "paid", "shipped", "received", "rejected", "cancelled", "refunded")
PAYMENT_METHODS = ("promptpay", "cod", "pickup")  # PromptPay transfer, cash on delivery, pay at pickup
COMMISSION_STATUSES = ("pending", "hold", "approved", "paid", "reversed")


class Order(Base):
    """One buyer's order of one product from one shop. Name, phone and address are personal data (PDPA): erasure
    clears them and the buyer's LINE id and keeps the figures."""

    __tablename__ = "market_orders"
    __table_args__ = (
        Index("ix_market_orders_status_shipped", "status", "shipped_at"),  # the auto-receive scan
        Index("ix_market_orders_buyer_placed", "buyer_line_user_id", "placed_at"),
        Index("ix_market_orders_vendor_placed", "vendor_id", "placed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The draft the buyer confirmed: confirming twice (or sending the same order text twice) makes one order.
    request_key: Mapped[str] = mapped_column(String(64), unique=True)
    buyer_line_user_id: Mapped[str | None] = mapped_column(String(64))
    vendor_id: Mapped[int] = mapped_column(ForeignKey("market_vendors.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("market_products.id"), index=True)
    product_name: Mapped[str] = mapped_column(String(80))  # as ordered, whatever the product is renamed to later
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price_satang: Mapped[int] = mapped_column(Integer)
    delivery_option: Mapped[str] = mapped_column(String(24))  # a key of texts.market.DELIVERY_OPTIONS
    delivery_fee_satang: Mapped[int] = mapped_column(Integer, default=0)
    total_satang: Mapped[int] = mapped_column(Integer)
    payment_method: Mapped[str] = mapped_column(String(16))  # promptpay|cod|pickup
    buyer_name: Mapped[str | None] = mapped_column(String(120))
    buyer_phone: Mapped[str | None] = mapped_column(String(20))
    buyer_address: Mapped[str | None] = mapped_column(String(400))  # null for pickup
    buyer_district: Mapped[str | None] = mapped_column(String(32))  # kept after erasure: reports count by district
    status: Mapped[str] = mapped_column(String(16), default="placed", index=True)
    referral_link_id: Mapped[int | None] = mapped_column(ForeignKey("referral_links.id"), index=True)
    slip_image_id: Mapped[int | None] = mapped_column(ForeignKey("media_images.id", ondelete="SET NULL"))
    carrier: Mapped[str | None] = mapped_column(String(24))  # a key of services/shipping.CARRIERS
    tracking_number: Mapped[str | None] = mapped_column(String(40))
    reason: Mapped[str | None] = mapped_column(String(300))  # why rejected, cancelled or refunded
    refund_satang: Mapped[int | None] = mapped_column(Integer)
    placed_at: Mapped[datetime] = mapped_column(default=utcnow)
    accepted_at: Mapped[datetime | None]
    slip_at: Mapped[datetime | None]
    paid_at: Mapped[datetime | None]
    shipped_at: Mapped[datetime | None]
    received_at: Mapped[datetime | None]
    received_by: Mapped[str | None] = mapped_column(String(16))  # buyer|auto
    cancelled_at: Mapped[datetime | None]
    cancelled_by: Mapped[str | None] = mapped_column(String(16))  # buyer|vendor
    rejected_at: Mapped[datetime | None]
    refunded_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    erased_at: Mapped[datetime | None]


class Commission(Base):
    """What one attributed order earns its sharer, and where it stands now (a projection of its ledger entries kept
    for the scans; the money is in CommissionEntry)."""

    __tablename__ = "referral_commissions"
    __table_args__ = (Index("ix_referral_commissions_status_due", "status", "approve_after"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("market_orders.id"), unique=True)
    sharer_id: Mapped[int] = mapped_column(ForeignKey("referral_sharers.id"), index=True)
    vendor_id: Mapped[int] = mapped_column(ForeignKey("market_vendors.id"), index=True)
    link_id: Mapped[int] = mapped_column(ForeignKey("referral_links.id"))
    rate_percent: Mapped[int] = mapped_column(Integer)
    amount_satang: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), index=True)  # pending|hold|approved|paid|reversed
    hold_reason: Mapped[str | None] = mapped_column(String(200))
    approve_after: Mapped[datetime | None]  # received_at + COMMISSION_HOLD_DAYS
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class CommissionPayout(Base):
    """A vendor paid a sharer what they had earned (recorded by the vendor in chat or by staff in the console)."""

    __tablename__ = "referral_payouts"

    id: Mapped[int] = mapped_column(primary_key=True)
    vendor_id: Mapped[int] = mapped_column(ForeignKey("market_vendors.id"), index=True)
    sharer_id: Mapped[int] = mapped_column(ForeignKey("referral_sharers.id"), index=True)
    amount_satang: Mapped[int] = mapped_column(Integer)
    recorded_by: Mapped[str | None] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(String(200))
    paid_at: Mapped[datetime] = mapped_column(default=utcnow)


class CommissionEntry(Base):
    """Append-only: `amount_satang` moved from `from_status` (null: new money) to `status`. A bucket's balance is
    what came in minus what went out. A refund after payout is a negative entry into `approved` (a clawback),
    so it comes off the next payout."""

    __tablename__ = "referral_commission_entries"
    __table_args__ = (Index("ix_referral_commission_entries_sharer_status", "sharer_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    commission_id: Mapped[int] = mapped_column(ForeignKey("referral_commissions.id"), index=True)
    sharer_id: Mapped[int] = mapped_column(ForeignKey("referral_sharers.id"))
    vendor_id: Mapped[int] = mapped_column(ForeignKey("market_vendors.id"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    amount_satang: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16), default="move")  # move|clawback
    payout_id: Mapped[int | None] = mapped_column(ForeignKey("referral_payouts.id"))
    note: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str | None] = mapped_column(String(64))  # a LINE user id, "scheduler", "api"
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
