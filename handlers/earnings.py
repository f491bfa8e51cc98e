"""Commissions in chat: a sharer's "รายได้ของฉัน", and a vendor recording that they paid a sharer."""

from __future__ import annotations

from bot.router import Router

router = Router("earnings")
