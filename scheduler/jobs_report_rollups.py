"""Report rollup job: adds new sales to the monthly sales rollup the reports read (services/report_rollups.py).

Reports add the sales past the rollup's watermark live, so they are exact whenever this runs; running it keeps that
live part small (the dashboard stays under its 2-second budget). Idempotent: a run adds only sales after the
watermark, under a lock on it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from scheduler.runner import Job
from services import report_rollups

REFRESH_SECONDS = 300


def refresh_sales_rollup(runtime: Any, now: datetime) -> int:
    """Adds the sales recorded since the last run to the monthly rollup."""
    with runtime.db.transaction() as session:
        return report_rollups.refresh(session, now)


JOBS = [
    Job("report_sales_rollup", refresh_sales_rollup, REFRESH_SECONDS),
]
