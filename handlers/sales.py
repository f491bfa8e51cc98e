""""บันทึกยอดขาย": a vendor records a traditional (offline) sale by buttons."""

from __future__ import annotations

from bot.router import Router

router = Router("sales")
