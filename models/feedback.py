"""Buyer satisfaction: the per-order sample decision and answers, and the re-inspection of certified products.

Why not the survey engine (models/surveys.py): it keeps one response per person per survey, while a buyer who
orders ten times may be sampled for ten orders, each about a different product and shop; and its kinds do not tie a
response to an order. So each received order has one `BuyerSurvey` row here: the sample drawn at receipt (never
re-drawn), the invitation, and the answers. The engine's per-person cap (SurveySettings) is still respected.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow

# waiting: sampled, not yet due; sent: invited; skipped_cap: asked elsewhere too recently (never retried);
# unreachable: unfollowed or erased; late: the scan was down too long to invite; not_sampled: not drawn.
BUYER_SURVEY_STATUSES = ("not_sampled", "waiting", "sent", "skipped_cap", "unreachable", "late")
REINSPECTION_CAUSES = ("rating", "complaint")
REINSPECTION_OUTCOMES = ("rating_recovered", "kept", "revoked", "not_certified")


class BuyerSurvey(Base):
    """One received order: whether its buyer was drawn for the survey, the invitation, and the answers.

    `citizen_id` is NULL after the buyer's data was erased; the ratings stay as anonymous figures."""

    __tablename__ = "buyer_surveys"
    __table_args__ = (
        Index("ix_buyer_surveys_status_received", "status", "received_at"),  # the invitation scan
        Index("ix_buyer_surveys_product_completed", "product_id", "completed_at"),
        Index("ix_buyer_surveys_vendor_completed", "vendor_id", "completed_at"),
        Index("ix_buyer_surveys_citizen_invited", "citizen_id", "invited_at"),  # the per-person cap
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("market_orders.id"), unique=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("market_products.id"))
    vendor_id: Mapped[int] = mapped_column(ForeignKey("market_vendors.id"))
    citizen_id: Mapped[int | None] = mapped_column(ForeignKey("citizens.id", ondelete="SET NULL"))
    district: Mapped[str | None] = mapped_column(String(32))  # the buyer's district on the order (reports)
    sampled: Mapped[bool] = mapped_column(Boolean)
    sample_rate: Mapped[float] = mapped_column()  # the rate in force when drawn (the draw is never redone)
    status: Mapped[str] = mapped_column(String(16))
    received_at: Mapped[datetime]
    invited_at: Mapped[datetime | None]
    started_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]  # every rating given: the answer counts (the photo may follow)
    product_rating: Mapped[int | None] = mapped_column(Integer)
    shop_rating: Mapped[int | None] = mapped_column(Integer)
    delivery_rating: Mapped[int | None] = mapped_column(Integer)
    overall_rating: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)  # asked when the product got 1: a complaint for staff
    comment_done: Mapped[bool] = mapped_column(Boolean, default=False)
    photo_image_id: Mapped[int | None] = mapped_column(ForeignKey("media_images.id", ondelete="SET NULL"))
    photo_done: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Reinspection(Base):
    """A certified product flagged for re-inspection (open while `closed_at` is NULL; at most one open per
    product), raised by a low rolling buyer rating or a complaint, closed by the rating recovering or by staff."""

    __tablename__ = "market_reinspections"
    __table_args__ = (Index("ix_market_reinspections_product_closed", "product_id", "closed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("market_products.id"))
    certification_id: Mapped[int | None] = mapped_column(ForeignKey("market_certifications.id"))
    cause: Mapped[str] = mapped_column(String(16))  # rating | complaint
    opened_at: Mapped[datetime]
    opened_by: Mapped[str | None] = mapped_column(String(64))  # "rating", a buyer survey, or a staff LINE id
    closed_at: Mapped[datetime | None]
    closed_by: Mapped[str | None] = mapped_column(String(64))
    outcome: Mapped[str | None] = mapped_column(String(24))
    reason: Mapped[str | None] = mapped_column(String(300))


class CertificationEvent(Base):
    """Append-only history of what happened to a product's certification beyond the reviews themselves:
    complaints, re-inspection raised and cleared, staff keep or revoke. The console's product page lists it."""

    __tablename__ = "market_certification_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("market_products.id"), index=True)
    certification_id: Mapped[int | None] = mapped_column(ForeignKey("market_certifications.id"))
    kind: Mapped[str] = mapped_column(String(24))  # complaint|flagged|cleared|kept|revoked
    actor: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[str | None] = mapped_column(String(500))
    at: Mapped[datetime] = mapped_column(default=utcnow)
