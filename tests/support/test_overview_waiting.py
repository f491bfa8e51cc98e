"""The console overview shows what waits for staff: shops to approve, products to certify, open cases, failed sends."""

from __future__ import annotations

import re

from models.outbox import enqueue
from models.platform import OutboxMessage
from tests.market.conftest import approved_shop, pending_shop, posted_product


def _waiting(html: str) -> dict[str, str]:
    """The waiting counts that are not zero (every feature adds its own; the rest must stay at zero)."""
    section = html.split('id="waiting"', 1)[1].split("</section>", 1)[0]
    counts = dict(re.findall(r'<span class="stat-label">([^<]+)</span>\s*<span class="stat-value" '
                             r'data-waiting="\d+">([^<]+)</span>', section))
    assert {"เรื่องรอเจ้าหน้าที่ตอบ", "ร้านค้ารออนุมัติ", "สินค้ารอตรวจรับรอง", "ส่งไม่สำเร็จ / ประมวลผลไม่สำเร็จ"} <= set(counts)
    return {label: count for label, count in counts.items() if count != "0"}


def test_overview_counts_what_waits_for_staff(admin_client, rt, chat, clock):
    assert _waiting(admin_client.get("/console").get_data(as_text=True)) == {}

    pending_shop(chat("ลุงมา"), rt, "ร้านลุงมาข้าวหอมมะลิ")
    seller = chat("ป้าศรี")
    approved_shop(seller, rt, "ร้านป้าศรีผ้าไหม")
    posted_product(seller, rt)
    for name in ("สมศรี", "สมชาย"):
        user = chat(name)
        user.follow()
        user.says("ติดต่อเจ้าหน้าที่")
        user.says("สอบถามค่ะ")
    with rt.db.transaction() as session:
        row = enqueue(session, "push", [{"type": "text", "text": "x"}], now=clock(), recipients=["U" + "9" * 32])[0]
        session.flush()
        session.get(OutboxMessage, row.id).status = "dead"

    html = admin_client.get("/console").get_data(as_text=True)
    assert _waiting(html) == {"เรื่องรอเจ้าหน้าที่ตอบ": "2", "ร้านค้ารออนุมัติ": "1", "สินค้ารอตรวจรับรอง": "1",
                              "ส่งไม่สำเร็จ / ประมวลผลไม่สำเร็จ": "1"}
    assert 'href="/console/inbox"' in html and 'href="/console/market"' in html
