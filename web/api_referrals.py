"""REST API of referral links and commissions (read)."""

from __future__ import annotations

from web.openapi import ApiRouter

router = ApiRouter("referrals", "ลิงก์แนะนำและค่าแนะนำ (แชร์รับรายได้)")
