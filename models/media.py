"""Images the app serves (product and project photos): re-encoded, EXIF-free, kept in the DB so every web
process can serve them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, deferred, mapped_column

from models.base import Base, utcnow


class MediaImage(Base):
    __tablename__ = "media_images"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))  # product | project | training | survey | ...
    owner_key: Mapped[str | None] = mapped_column(String(80), index=True)  # e.g. "product:12"
    digest: Mapped[str] = mapped_column(String(64))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    display_jpeg: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    thumb_jpeg: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
