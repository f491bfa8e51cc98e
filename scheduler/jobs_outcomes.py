"""Training outcome jobs: the follow-up questions to trainees 3 and 6 months after a training.

The scan is idempotent: the survey of each training and follow-up point is made once (under a lock on the training),
and the survey engine records one invitation per person and survey, sent or skipped for the frequency cap.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from scheduler.runner import Job
from services import training_outcomes


def send_training_followups(runtime: Any, now: datetime) -> int:
    """Sends the follow-up questions of trainings that ended 3 or 6 months ago."""
    with runtime.db.transaction() as session:
        return training_outcomes.send_due_followups(session, now)


JOBS = [
    Job("training_outcome_followups", send_training_followups, 3600),
]
