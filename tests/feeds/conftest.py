"""Helpers for feed tests: projects through services/projects.py, announcements through services/announcements.py,
photos stored as services/images.py stores them."""

from __future__ import annotations

from datetime import datetime

import pytest

from flex_templates.projects import free_announcement
from services import announcements, images, projects
from services.announcements import Audience
from tests.conftest import ADMIN_ID, PUBLIC_BASE_URL
from tests.projects.conftest import make_project, photo  # noqa: F401


@pytest.fixture
def add_stage_photo(rt, clock):
    """`add_stage_photo(project_id, "in_progress")` stores a photo for that stage; returns its image id."""

    def add(project_id: int, stage: str | None = None, color: str = "blue") -> int:
        with rt.db.transaction() as session:
            return projects.add_photo(session, ADMIN_ID, project_id, photo(color), clock(), stage=stage).image_id

    return add


@pytest.fixture
def announce(rt, clock):
    """`announce("ข่าว ...", districts=("phon",), with_photo=True, send_at=None)` -> announcement id, sent now
    unless `send_at` is later."""

    def make(text: str, *, districts: tuple[str, ...] = (), with_photo: bool = False, link: str | None = None,
             send_at: datetime | None = None, project_id: int | None = None) -> int:
        with rt.db.transaction() as session:
            image_url = None
            if with_photo:
                image = images.save_image(session, images.accept_image(photo("red")), kind="announcement",
                                          owner_key=None, now=clock())
                image_url = images.image_url(PUBLIC_BASE_URL, image)
            audience = Audience(districts=districts, project_id=project_id)
            row = announcements.create_announcement(session, ADMIN_ID, [free_announcement(text, image_url, link)],
                                                    audience, send_at, clock(), source="console")
            return row.id

    return make


@pytest.fixture
def announce_stage(rt, clock):
    """`announce_stage(project_id)` announces the project's current stage to everyone (LINE broadcast)."""

    def make(project_id: int, send_at: datetime | None = None) -> int:
        with rt.db.transaction() as session:
            return projects.announce(session, ADMIN_ID, project_id, PUBLIC_BASE_URL, Audience(), send_at, clock()).id

    return make
