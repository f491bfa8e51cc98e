"""Sales in the console: online and traditional sales with filters and CSV; enter one or import a CSV."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    pass
