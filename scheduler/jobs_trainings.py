"""Training jobs: reminders the day before and 2 hours before (idempotent: a marker per sign-up and kind)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from scheduler.runner import Job
from services import trainings


def send_training_reminders(runtime: Any, now: datetime) -> int:
    """Reminds confirmed trainees of trainings starting within a day; returns how many were reminded."""
    with runtime.db.transaction() as session:
        return trainings.send_due_reminders(session, now)


JOBS = [Job("training_reminders", send_training_reminders, 300)]
