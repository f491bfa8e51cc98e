"""Orders in the console: every order with its status, filters and CSV."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    pass
