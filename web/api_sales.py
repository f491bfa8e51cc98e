"""REST API of sales: online and traditional, read with filters; create traditional sales."""

from __future__ import annotations

from web.openapi import ApiRouter

router = ApiRouter("sales", "ยอดขายออนไลน์และช่องทางดั้งเดิม")
