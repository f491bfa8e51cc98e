"""Buyers' orders in chat: "สั่งซื้อ" from a product bubble or the product page's pre-filled text, the order flow,
paying by PromptPay (slip photo), "ได้รับสินค้าแล้ว", cancelling, and "คำสั่งซื้อของฉัน"."""

from __future__ import annotations

from bot.router import Router

router = Router("orders")
