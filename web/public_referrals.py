"""Referral links: `/r/<code>` counts the click and lands on the product page with the code."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    pass
