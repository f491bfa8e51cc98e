"""Helpers for project rating tests: residents and project followers made through the chat and services, a
finished project, and ratings given through the survey engine's services."""

from __future__ import annotations

import io
from datetime import date

import pytest
from PIL import Image

from services import citizens, project_ratings, projects, surveys
from tests.conftest import ADMIN_ID


def jpeg(color: str = "green", size: tuple[int, int] = (400, 300)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def person(rt, chat):
    """`person("สมศรี", district="phon", follows=project_id)`: a LINE friend, optionally living in a district and
    following a project."""

    def make(name: str, *, district: str | None = None, follows: int | None = None):
        user = chat(name)
        user.follow()
        with rt.db.transaction() as session:
            if district:
                citizens.set_district(session, user.user_id, district, rt.clock())
            if follows:
                projects.follow(session, user.user_id, follows, rt.clock())
        user.collect()
        return user

    return make


@pytest.fixture
def project(rt, clock):
    """`project("ถนนบ้านโนน", districts=("phon",))` -> project id, at stage "announced"."""

    def make(title: str = "ถนนลาดยางบ้านโนน", *, districts: tuple[str, ...] = ("phon",), published: bool = True,
             photos: dict[str, list[str]] | None = None) -> int:
        with rt.db.transaction() as session:
            row = projects.create_project(session, ADMIN_ID, projects.ProjectInput(
                kind="infrastructure", title=title, districts=list(districts), published=published,
                start_date=date(2026, 12, 1), end_date=date(2027, 3, 31)), clock())
            for stage, colors in (photos or {}).items():
                for color in colors:
                    projects.add_photo(session, ADMIN_ID, row.id, jpeg(color), clock(), stage=stage)
            return row.id

    return make


def finish(rt, clock, project_id: int, stage: str = "completed", days: int = 30) -> None:
    """Moves the project through "in_progress" to `stage`, `days` apart."""
    with rt.db.transaction() as session:
        row = projects.get(session, project_id)
        later = [s for s in ("in_progress", "completed", "evaluated") if
                 projects.STAGES.index(s) > projects.STAGES.index(row.stage) and
                 projects.STAGES.index(s) <= projects.STAGES.index(stage)]
    for s in later:
        clock.advance(days=days)
        with rt.db.transaction() as session:
            projects.change_stage(session, ADMIN_ID, project_id, s, clock())


def scan(rt, clock) -> project_ratings.ScanCounts:
    with rt.db.transaction() as session:
        return project_ratings.scan(session, clock())


def rate(rt, clock, project_id: int, user_id: str, stars: int, *, comment: str | None = None,
         photo: bytes | None = None) -> None:
    """Answers the project's rating survey for an invited person, through the survey services."""
    with rt.db.transaction() as session:
        survey = project_ratings.rating_survey(session, project_id)
        progress = surveys.start(session, survey.id, user_id, clock())
        rid = progress.response.id
        surveys.answer_rating(session, rid, None, user_id, stars, clock())
        progress = surveys.current(session, rid, user_id)
        if comment:
            surveys.answer_text(session, rid, user_id, comment, clock())
        else:
            surveys.skip(session, rid, progress.question.id, user_id, clock())
        progress = surveys.current(session, rid, user_id)
        if photo:
            surveys.answer_photo(session, rid, user_id, photo, clock())
        else:
            surveys.skip(session, rid, progress.question.id, user_id, clock())
