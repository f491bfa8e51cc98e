"""Commissions in the console: holds to decide, payouts to record, fraud flags."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    pass
