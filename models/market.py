"""Community market: vendors, their products, product certifications and the certificate number counter."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, utcnow


class Vendor(Base):
    """A shop registered by chat. Owner name, phone, PromptPay ID and address are personal data (PDPA)."""

    __tablename__ = "market_vendors"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Null once the owner's data is erased: the shop row stays so old certificates still verify.
    line_user_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    shop_name: Mapped[str] = mapped_column(String(80))
    owner_name: Mapped[str | None] = mapped_column(String(120))
    phone: Mapped[str | None] = mapped_column(String(20))
    district: Mapped[str] = mapped_column(String(32), index=True)
    promptpay_id: Mapped[str | None] = mapped_column(String(20))
    pickup_address: Mapped[str | None] = mapped_column(String(400))
    facebook_url: Mapped[str | None] = mapped_column(String(300))
    # Where buyers chat with the shop: https://line.me/R/ti/p/… (or a lin.ee short link); see vendors.clean_line_link.
    line_url: Mapped[str | None] = mapped_column(String(300))
    sales_channels: Mapped[list] = mapped_column(default=list)  # "line", "facebook"
    delivery_options: Mapped[list] = mapped_column(default=list)  # keys of texts.market.DELIVERY_OPTIONS
    delivery_fees: Mapped[dict] = mapped_column(default=dict)  # {delivery option: fee in satang}; absent = free
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)  # pending|approved|rejected
    decision_reason: Mapped[str | None] = mapped_column(String(300))
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[datetime | None]
    erased_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    products: Mapped[list[Product]] = relationship(back_populates="vendor")


class Product(Base):
    """A product a vendor posted. `cert_status`/`certified_until` mirror its certifications for fast catalog reads;
    only services/certification.py writes them."""

    __tablename__ = "market_products"
    __table_args__ = (
        # Covers every catalog filter, so listing ids never reads the table (see services/catalog.py).
        Index("ix_market_products_catalog", "cert_status", "hidden", "id", "category", "stock", "certified_until",
              "deleted_at", "vendor_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    vendor_id: Mapped[int] = mapped_column(ForeignKey("market_vendors.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    category: Mapped[str] = mapped_column(String(24))
    price_satang: Mapped[int] = mapped_column(Integer)
    unit: Mapped[str] = mapped_column(String(24))
    description: Mapped[str] = mapped_column(Text)
    selling_points: Mapped[list] = mapped_column(default=list)  # keys of texts.market.SELLING_POINTS
    photos: Mapped[list] = mapped_column(default=list)  # [{"id": media id, "digest": sha256}] in display order
    stock: Mapped[int] = mapped_column(Integer, default=0)
    # Share-and-earn rate, 0-30 %; None = the programme's DEFAULT_COMMISSION_PERCENT; 0 = not in the programme.
    commission_percent: Mapped[int | None] = mapped_column(Integer)
    # Name, description and shop name, lowercased: what catalog search matches (one LIKE per word, no joins).
    search_text: Mapped[str] = mapped_column(Text, default="")
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    cert_status: Mapped[str] = mapped_column(String(16), default="submitted")
    certified_until: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    vendor: Mapped[Vendor] = relationship(back_populates="products")
    certifications: Mapped[list[Certification]] = relationship(back_populates="product",
                                                               order_by="Certification.id")


class Certification(Base):
    """One review of a product: submitted -> certified | rejected; certified -> expired | revoked."""

    __tablename__ = "market_certifications"
    __table_args__ = (
        Index("ix_market_certifications_due", "status", "valid_until"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("market_products.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="submitted", index=True)
    number: Mapped[str | None] = mapped_column(String(24), unique=True)  # e.g. KK-2569-000123
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    decided_by: Mapped[str | None] = mapped_column(String(64))
    valid_from: Mapped[datetime | None]
    valid_until: Mapped[datetime | None]
    reason: Mapped[str | None] = mapped_column(String(300))  # why rejected or revoked; the vendor sees it
    reminder_sent_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]  # when it expired or was revoked
    ended_by: Mapped[str | None] = mapped_column(String(64))

    product: Mapped[Product] = relationship(back_populates="certifications")


class CertificateCounter(Base):
    """The last certificate number issued in a Buddhist-era year (numbers are never reused)."""

    __tablename__ = "market_certificate_counters"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(Integer, default=0)
