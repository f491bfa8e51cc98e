"""Order jobs: a shipped order counts as received ORDER_AUTO_RECEIVE_DAYS after shipping."""

from __future__ import annotations

from scheduler.runner import Job

JOBS: list[Job] = []
