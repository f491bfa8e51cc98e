"""Scheduled jobs: idempotent scans for what is due.

Platform jobs live here; a feature adds `scheduler/jobs_<feature>.py` with a module-level `JOBS: list[Job]` and
lists it in `all_jobs()` (tests/platform/test_wiring.py fails for a jobs module that is left out).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete

from models.platform import Conversation, InboundEvent, StaffLoginToken
from scheduler.runner import Job

# Processed events are kept a while for support, then removed: they carry personal data (PDPA).
EVENT_RETENTION = timedelta(days=30)


def expire_conversations(runtime: Any, now: datetime) -> int:
    """Removes flows nobody finished (their timeout passed)."""
    with runtime.db.transaction() as session:
        return session.execute(delete(Conversation).where(Conversation.expires_at <= now)).rowcount


def purge_processed_events(runtime: Any, now: datetime) -> int:
    """Deletes processed webhook events older than the retention period."""
    with runtime.db.transaction() as session:
        return session.execute(delete(InboundEvent).where(
            InboundEvent.status.in_(("done", "invalid")), InboundEvent.processed_at < now - EVENT_RETENTION)).rowcount


def purge_login_tokens(runtime: Any, now: datetime) -> int:
    with runtime.db.transaction() as session:
        return session.execute(delete(StaffLoginToken).where(
            StaffLoginToken.expires_at < now - timedelta(days=1))).rowcount


def wake_senders(runtime: Any, now: datetime) -> None:
    """Nudges in-process workers and senders, in case a commit from another process wrote work for them."""
    if runtime.worker:
        runtime.worker.wake()
    if runtime.dispatcher:
        runtime.dispatcher.wake()


JOBS = [
    Job("expire_conversations", expire_conversations, 300),
    Job("purge_processed_events", purge_processed_events, 3600),
    Job("purge_login_tokens", purge_login_tokens, 3600),
    Job("wake_senders", wake_senders, 30),
]


def all_jobs() -> list[Job]:
    from scheduler import (
        jobs_announcements,
        jobs_buyer_feedback,
        jobs_channels,
        jobs_commissions,
        jobs_limits,
        jobs_market,
        jobs_orders,
        jobs_outcomes,
        jobs_project_ratings,
        jobs_referrals,
        jobs_report_rollups,
        jobs_reports,
        jobs_support,
        jobs_surveys,
        jobs_trainings,
    )

    jobs = list(JOBS)
    for module in (jobs_announcements, jobs_limits, jobs_market, jobs_orders, jobs_commissions, jobs_referrals,
                   jobs_support, jobs_surveys, jobs_trainings, jobs_project_ratings,
                   jobs_outcomes, jobs_buyer_feedback, jobs_reports, jobs_report_rollups, jobs_channels):
        jobs.extend(module.JOBS)
    names = [job.name for job in jobs]
    if len(names) != len(set(names)):
        raise ValueError(f"two scheduled jobs share a name: {names}")
    return jobs
