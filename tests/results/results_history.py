"""The reports' known history (tests/reports/reports_history.py: small numbers everywhere) plus enough shops in
two districts that some sales figures can be shown: four shops in Phon and three in Chum Phae selling at markets
in October and November 2026 (each 1,000 baht a month, Chum Phae's also 1,000), so that the small cells of Mueang
and Chonnabot are hidden beside cells that are shown.

Shops are inserted as rows (FIXTURE ONLY, as the reports' history does); sales go through services/sales."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from models.market import Product, Vendor
from services import sales
from tests.conftest import ADMIN_ID
from tests.reports import reports_history

BIG_DISTRICTS = {"phon": 4, "chum_phae": 3}


def _shop(session: Any, name: str, district: str, now: datetime) -> int:
    """FIXTURE ONLY: an approved shop with one product."""
    vendor = Vendor(line_user_id=None, shop_name=name, district=district, status="approved", created_at=now,
                    updated_at=now, decided_at=now)
    session.add(vendor)
    session.flush()
    session.add(Product(vendor_id=vendor.id, name="ข้าวเกรียบ", category="food", price_satang=5000, unit="ห่อ",
                        description="ทำมือ", stock=10, cert_status="submitted", created_at=now, updated_at=now))
    session.flush()
    return vendor.id


def build(rt: Any) -> reports_history.History:
    history = reports_history.build(rt)
    with rt.db.transaction() as session:
        for district, shops in BIG_DISTRICTS.items():
            for n in range(shops):
                vendor_id = _shop(session, f"ร้าน {district} {n + 1}", district, datetime(2026, 8, 1, tzinfo=UTC))
                for day in (date(2026, 10, 12), date(2026, 11, 12)):
                    now = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=5)
                    cleaned = sales.clean_sale(session, vendor=vendor_id, product="ข้าวเกรียบ", quantity=1,
                                               amount=1000, channel="market", sold_on=day, now=now)
                    sales.record_sale(session, cleaned, source="console", recorded_by=ADMIN_ID, now=now)
    return history
