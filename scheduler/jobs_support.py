"""Support jobs: a case with no message for 24 h closes itself (an idempotent scan)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from scheduler.runner import Job
from services import support


def close_idle_cases(runtime: Any, now: datetime) -> int:
    """Closes cases idle for 24 h; returns how many."""
    with runtime.db.transaction() as session:
        return support.close_idle(session, now)


JOBS = [Job("support_close_idle", close_idle_cases, 600)]
