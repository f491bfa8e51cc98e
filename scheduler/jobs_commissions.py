"""Commission jobs: pending commissions become approved COMMISSION_HOLD_DAYS after receipt."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from scheduler.runner import Job
from services import commissions


def approve_due_commissions(runtime: Any, now: datetime) -> int:
    """Approves the commissions whose hold period is over (idempotent: a second run finds none)."""
    with runtime.db.transaction() as session:
        return commissions.approve_due(session, now)


JOBS: list[Job] = [Job("approve_due_commissions", approve_due_commissions, 3600)]
