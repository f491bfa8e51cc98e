"""Order jobs: a shipped order counts as received ORDER_AUTO_RECEIVE_DAYS after shipping."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from scheduler.runner import Job
from services import orders


def auto_receive(runtime: Any, now: datetime) -> int:
    """Counts orders shipped long enough ago as received (the sale is recorded, the commission's hold starts)."""
    settings = runtime.settings
    with runtime.db.transaction() as session:
        return orders.auto_receive_due(session, now, settings.ORDER_AUTO_RECEIVE_DAYS, settings.COMMISSION_HOLD_DAYS,
                                       survey_rate=settings.BUYER_SURVEY_SAMPLE_RATE)


JOBS: list[Job] = [Job("orders_auto_receive", auto_receive, 3600)]
