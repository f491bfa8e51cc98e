"""Survey jobs: invitations after trainings and completed projects, and one reminder after 24 hours.

Each scan is idempotent: invitations are unique per person and survey, a project survey is launched once, and a
reminder's marker is written with its outbox row.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from scheduler.runner import Job
from services import surveys


def send_training_surveys(runtime: Any, now: datetime) -> int:
    """Invites attendees of trainings that ended `survey_delay_hours` ago."""
    with runtime.db.transaction() as session:
        return surveys.send_due_training_surveys(session, now)


def send_project_surveys(runtime: Any, now: datetime) -> int:
    """Sends satisfaction surveys of projects that became completed to the residents of their districts."""
    with runtime.db.transaction() as session:
        return surveys.send_due_project_surveys(session, now)


def send_survey_reminders(runtime: Any, now: datetime) -> int:
    """Reminds, once, people invited a day ago who have not answered."""
    with runtime.db.transaction() as session:
        return surveys.send_due_reminders(session, now)


JOBS = [
    Job("survey_training_invitations", send_training_surveys, 300),
    Job("survey_project_invitations", send_project_surveys, 300),
    Job("survey_reminders", send_survey_reminders, 900),
]
