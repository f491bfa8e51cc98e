"""Commission jobs: pending commissions become approved COMMISSION_HOLD_DAYS after receipt."""

from __future__ import annotations

from scheduler.runner import Job

JOBS: list[Job] = []
