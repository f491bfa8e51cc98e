"""What the public results show besides figures: activity photos from the stages of published projects.

The figures themselves come from services/reports.py through services/disclosure.public_view; this module only
adds the photos, which carry no count to protect (they are what staff chose to publish on the project pages).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.media import MediaImage
from models.projects import Project, ProjectPhoto
from services import images

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
