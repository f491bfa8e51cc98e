"""Rate-limit housekeeping: counts of past windows and old hits are dropped (an idempotent scan)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from scheduler.runner import Job
from services import limits


def purge_limit_counts(runtime: Any, now: datetime) -> int:
    with runtime.db.transaction() as session:
        return limits.purge(session, now)


JOBS = [Job("purge_limit_counts", purge_limit_counts, 3600)]
