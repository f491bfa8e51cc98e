"""Share-and-earn in chat ("แชร์รับรายได้", "ลิงก์ของฉัน"): joining with a PromptPay ID for payouts, and a
personal link, message and QR code per product."""

from __future__ import annotations

from bot.router import Router

router = Router("referrals")
