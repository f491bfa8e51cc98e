"""An accepted order's PromptPay QR image, at an unguessable address, for the LINE image message."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    pass
