"""What the public results show besides the reports' figures: activity photos from the stages of published
projects, and a project's sales by district and month (services/reports' own grouped queries, narrowed to the
project's districts since it was announced).

Figures still go through services/disclosure.public_view before anyone sees them; photos carry no count to protect
(they are what staff chose to publish on the project pages).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.media import MediaImage
from models.projects import Project, ProjectPhoto
from models.sales import Sale
from services import images, reports
from texts.dates import DEFAULT_TZ

MAX_PHOTOS = 12


@dataclass(frozen=True)
class ResultPhoto:
    """One activity photo: absolute URLs (the PDF may swap `url` for a data URI), its project and stage."""

    image_id: int
    url: str
    thumb_url: str
    caption: str
    project_id: int
    project_title: str
    stage: str


def recent_photos(session: Session, base_url: str, *, project_id: int | None = None,
                  limit: int = MAX_PHOTOS, inline: bool = False) -> list[ResultPhoto]:
    """The newest activity photos of published projects (or of one project), newest first. With `inline` the
    display image is a data URI (a PDF is laid out without fetching anything)."""
    stmt = (select(ProjectPhoto, MediaImage, Project.title)
            .join(MediaImage, MediaImage.id == ProjectPhoto.image_id)
            .join(Project, Project.id == ProjectPhoto.project_id)
            .where(Project.published.is_(True)))
    if project_id is not None:
        stmt = stmt.where(ProjectPhoto.project_id == project_id)
    rows = session.execute(stmt.order_by(ProjectPhoto.created_at.desc(), ProjectPhoto.id.desc()).limit(limit)).all()
    return [ResultPhoto(image.id, _data_uri(image.display_jpeg) if inline else images.image_url(base_url, image),
                        images.thumb_url(base_url, image), photo.caption or "", photo.project_id, title, photo.stage)
            for photo, image, title in rows]


def _data_uri(jpeg: bytes) -> str:
    return "data:image/jpeg;base64," + base64.b64encode(jpeg).decode("ascii")


def project_market(session: Session, project_id: int) -> dict[str, Any]:
    """Online and traditional sales in the project's districts since it was announced, by district and month, in
    services/reports' market shape (for disclosure.public_view); empty lists for a project without districts."""
    project = session.get(Project, project_id)
    if project is None or not project.districts:
        return {"sales_by_district_month": [], "sales_by_district": [], "sales_by_month": []}
    since = project.created_at
    if since.tzinfo is None:
        since = since.replace(tzinfo=ZoneInfo("UTC"))
    filters = reports.Filters(period_from=since.astimezone(ZoneInfo(DEFAULT_TZ)).date())
    extra = [Sale.district.in_(list(project.districts))]
    return {"sales_by_district_month": reports.sales_by_district_month(session, filters, extra),
            "sales_by_district": reports.sales_by_district(session, filters, extra),
            "sales_by_month": reports.sales_by_month(session, filters, extra)}

