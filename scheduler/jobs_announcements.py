"""Scheduled announcements and staff rich menus: idempotent scans (running twice sends or links nothing twice)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from scheduler.runner import Job
from services import announcements, richmenu


def send_due_announcements(runtime: Any, now: datetime) -> int:
    """Writes the outbox rows of every announcement due by `now` (each is claimed once); returns how many."""
    with runtime.db.transaction() as session:
        sent = announcements.send_due(session, now)
    if sent and runtime.dispatcher:
        runtime.dispatcher.wake()
    return len(sent)


def sync_staff_rich_menus(runtime: Any, now: datetime) -> dict[str, int]:
    """Gives new staff the staff rich menu and takes it from revoked staff (calls LINE only when needed)."""
    return richmenu.sync_staff_links(runtime.db, runtime.line, now, runtime.settings.ADMIN_LINE_USER_IDS)


JOBS = [
    Job("send_due_announcements", send_due_announcements, 30),
    Job("sync_staff_rich_menus", sync_staff_rich_menus, 300),
]
