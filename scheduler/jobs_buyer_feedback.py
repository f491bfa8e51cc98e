"""Buyer satisfaction jobs: invite the buyers drawn at receipt, BUYER_SURVEY_DELAY_DAYS after it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from handlers.buyer_feedback import start_data
from scheduler.runner import Job
from services import buyer_feedback


def invite_buyers(runtime: Any, now: datetime) -> int:
    """Invites sampled buyers whose delay has passed (a scan: each decision is recorded, a second run sends none)."""
    with runtime.db.transaction() as session:
        counts = buyer_feedback.send_due_invitations(session, now, start_data,
                                                     delay_days=runtime.settings.BUYER_SURVEY_DELAY_DAYS)
    return counts.sent


JOBS: list[Job] = [Job("buyer_feedback_invite", invite_buyers, 3600)]
