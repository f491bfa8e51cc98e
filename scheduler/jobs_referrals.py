"""Referral jobs: flag sharers whose clicks are far above what their orders explain (thresholds and why: see
services/referrals.py FLAG_*). Idempotent: a sharer with an open flag is not flagged again."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from scheduler.runner import Job
from services import referrals


def flag_click_fraud(runtime: Any, now: datetime) -> int:
    """Opens a "clicks" flag for staff on each sharer whose last 7 days of clicks their orders do not explain."""
    with runtime.db.transaction() as session:
        return referrals.scan_click_fraud(session, now)


JOBS: list[Job] = [
    Job("referrals_flag_click_fraud", flag_click_fraud, 3600),
]
