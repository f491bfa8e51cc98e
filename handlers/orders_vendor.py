"""A shop's side of orders in chat: รับออเดอร์ / ปฏิเสธ, ได้รับเงินแล้ว, shipping with a tracking number, cancelling,
refunds, delivery fees, and "คำสั่งซื้อของร้าน"."""

from __future__ import annotations

from bot.router import Router

router = Router("orders_vendor")
