"""Report jobs: tell executives when a report is ready (idempotent: one notice row per report)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from scheduler.runner import Job
from services import report_notices


def tell_executives_reports_ready(runtime: Any, now: datetime) -> int:
    """Sends executives a chart and the PDF's link for each newly ready report; returns how many reports."""
    return report_notices.tell_executives(runtime.db, now, runtime.settings.public_base_url)


JOBS = [Job("report_ready_notices", tell_executives_reports_ready, 3600)]
