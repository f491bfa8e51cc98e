"""Market scans: certificate expiry (the product leaves the catalog), reminders 14 days before expiry, and
photos of products that were never posted. Each is idempotent: a second run finds nothing left to do."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from scheduler.runner import Job
from services import certification, products


def expire_certificates(runtime: Any, now: datetime) -> int:
    """Ends certificates past their validity and tells the vendors."""
    with runtime.db.transaction() as session:
        return certification.expire_due(session, now, runtime.settings.public_base_url)


def remind_expiring_certificates(runtime: Any, now: datetime) -> int:
    """Reminds vendors whose certificate ends within 14 days (once per certificate)."""
    with runtime.db.transaction() as session:
        return certification.remind_due(session, now, runtime.settings.public_base_url)


def purge_draft_photos(runtime: Any, now: datetime) -> int:
    """Deletes photos uploaded for a product that was never submitted (cancelled or abandoned)."""
    with runtime.db.transaction() as session:
        return products.purge_stale_drafts(session, now)


JOBS = [
    Job("market_expire_certificates", expire_certificates, 600),
    Job("market_remind_expiring_certificates", remind_expiring_certificates, 3600),
    Job("market_purge_draft_photos", purge_draft_photos, 3600),
]
