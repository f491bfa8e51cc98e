"""Share-and-earn ("แชร์รับรายได้"): members who share products, their personal links, the clicks those links get, the
codes buyers bring into chat, and what looks like click fraud.

Attribution works on exact LINE identities: a click on `/r/<code>` comes from an anonymous browser (LINE's in-app
browser tells us nothing), but the order text the product page pre-fills carries the code into chat, where the buyer's
LINE user id is known. That arrival is a ReferralTouch; an order is attributed to the buyer's last unused touch for
the product within REFERRAL_WINDOW_DAYS (services/referrals.py).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow

FLAG_STATUSES = ("open", "dismissed", "confirmed")


class Sharer(Base):
    """A member of share-and-earn. The PromptPay ID for payouts is personal data (PDPA): erased with the person."""

    __tablename__ = "referral_sharers"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Null once the person's data is erased: the row stays so commission figures still add up, anonymously.
    line_user_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    promptpay_id: Mapped[str | None] = mapped_column(String(20))  # 10-digit phone, 13-digit ID or 15-digit e-wallet
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)
    left_at: Mapped[datetime | None]  # left the programme (the opt-in withdrawn); links stop earning
    erased_at: Mapped[datetime | None]


class ReferralLink(Base):
    """One sharer's personal link to one product: PUBLIC_BASE_URL/r/<code>."""

    __tablename__ = "referral_links"
    __table_args__ = (UniqueConstraint("sharer_id", "product_id", name="uq_referral_links_sharer_product"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    sharer_id: Mapped[int] = mapped_column(ForeignKey("referral_sharers.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("market_products.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    disabled_at: Mapped[datetime | None]  # staff disabled it (fraud) or the sharer left: lands, but earns nothing
    disabled_reason: Mapped[str | None] = mapped_column(String(200))


class ReferralClick(Base):
    """A counted click on a referral link: at most one per visitor per hour; bots, link previews and HEAD excluded.
    `visitor` is a keyed hash of the browser's address and user agent, never the address itself (PDPA)."""

    __tablename__ = "referral_clicks"
    __table_args__ = (Index("ix_referral_clicks_link_visitor_at", "link_id", "visitor", "clicked_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    link_id: Mapped[int] = mapped_column(ForeignKey("referral_links.id"))
    visitor: Mapped[str] = mapped_column(String(64))
    clicked_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class ReferralTouch(Base):
    """A buyer brought a referral code into chat (the product page's pre-filled order text, or its postback).
    `order_id` is set by the one order it is attributed to: only the first order per click counts."""

    __tablename__ = "referral_touches"
    __table_args__ = (Index("ix_referral_touches_buyer_product_at", "buyer_line_user_id", "product_id", "touched_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    link_id: Mapped[int] = mapped_column(ForeignKey("referral_links.id"), index=True)
    buyer_line_user_id: Mapped[str | None] = mapped_column(String(64))  # null once the buyer's data is erased
    product_id: Mapped[int] = mapped_column(Integer)
    touched_at: Mapped[datetime] = mapped_column(default=utcnow)
    order_id: Mapped[int | None] = mapped_column(Integer, unique=True)


class ReferralFlag(Base):
    """Something about a sharer for staff to look at: clicks far above what their orders explain."""

    __tablename__ = "referral_flags"

    id: Mapped[int] = mapped_column(primary_key=True)
    sharer_id: Mapped[int] = mapped_column(ForeignKey("referral_sharers.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24), default="clicks")
    detail: Mapped[dict] = mapped_column(default=dict)  # e.g. {"clicks": 900, "orders": 1, "since": "..."}
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)  # open|dismissed|confirmed
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[datetime | None]
