"""REST API of orders (read)."""

from __future__ import annotations

from web.openapi import ApiRouter

router = ApiRouter("orders", "คำสั่งซื้อสินค้าในตลาดชุมชน")
