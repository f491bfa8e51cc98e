"""Referral jobs: flag sharers whose clicks are far above what their orders explain."""

from __future__ import annotations

from scheduler.runner import Job

JOBS: list[Job] = []
