"""Project ratings job: asks followers and residents to rate a project once it is finished (idempotent scan)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from scheduler.runner import Job
from services import project_ratings


def send_project_ratings(runtime: Any, now: datetime) -> int:
    """Creates and sends the rating survey of projects that became finished."""
    with runtime.db.transaction() as session:
        return project_ratings.scan(session, now).sent


JOBS = [
    Job("project_rating_invitations", send_project_ratings, 300),
]
