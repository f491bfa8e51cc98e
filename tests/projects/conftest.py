"""Helpers for project tests: photos made with Pillow, projects made through the service as a staff admin."""

from __future__ import annotations

import io
from datetime import date

import pytest
from PIL import Image

from services import projects
from services.projects import ProjectInput
from tests.conftest import ADMIN_ID


def photo(color: str = "green", size: tuple[int, int] = (400, 300)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def make_project(rt, clock):
    """`make_project("ถนนบ้านไผ่", districts=["ban_phai"])` -> project id."""

    def make(title: str = "ซ่อมถนนสายบ้านไผ่–บ้านแฮด", *, kind: str = "infrastructure",
             districts: tuple[str, ...] = ("ban_phai",), stage: str | None = None, cover: bool = False,
             **fields) -> int:
        data = ProjectInput(kind=kind, title=title, districts=list(districts),
                            description=fields.pop("description", "ซ่อมผิวถนนลาดยาง ระยะทาง 5 กม."),
                            location=fields.pop("location", "ต.หินตั้ง อ.บ้านไผ่"),
                            budget=fields.pop("budget", "2500000"),
                            start_date=fields.pop("start_date", date(2026, 12, 1)),
                            end_date=fields.pop("end_date", date(2027, 3, 31)), **fields)
        with rt.db.transaction() as session:
            project = projects.create_project(session, ADMIN_ID, data, clock())
            if cover:
                projects.set_cover(session, ADMIN_ID, project.id, photo("orange"), clock())
            if stage and stage != "announced":
                projects.change_stage(session, ADMIN_ID, project.id, stage, clock())
            return project.id

    return make


from tests.web.conftest import admin_client, csrf_from, staff_client, staff_login  # noqa: E402, F401
