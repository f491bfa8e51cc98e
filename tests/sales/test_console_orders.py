"""Orders in the console: staff only, read-only, filters, timeline, referral code and commission, CSV; never the
buyer's name, phone, address or LINE id."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from tests.conftest import ADMIN_ID
from tests.sales.conftest import fixture_order, fixture_referral
from tests.web.conftest import staff_login


def test_orders_page_filters_and_csv_without_buyers_personal_data(client, rt, shop, chat):
    _, vendor_id, product_id = shop
    for path in ("/console/orders", "/console/orders/orders.csv"):
        assert client.get(path).status_code == 401
    received = fixture_order(rt, vendor_id, product_id, received_at=datetime(2026, 11, 20, 3, tzinfo=UTC))
    october = fixture_order(rt, vendor_id, product_id, received_at=datetime(2026, 10, 20, 3, tzinfo=UTC),
                            status="shipped")
    fixture_referral(rt, received, code="AB12CD34", status="pending", amount_satang=24000)
    staff_login(client, ADMIN_ID)
    html = client.get("/console/orders").get_data(as_text=True)
    assert f'data-order="{received}"' in html and f'data-order="{october}"' in html
    assert "AB12CD34" in html and "รอผู้ซื้อได้รับของ" in html and "240 บาท" in html
    assert "ได้รับสินค้า" in html and "จัดส่ง" in html  # timeline entries
    for personal in ("สมชาย ซื้อดี", "0891234567", "1 หมู่ 2", "U" + "b" * 32):
        assert personal not in html
    month = client.get("/console/orders?month=2026-10").get_data(as_text=True)
    assert f'data-order="{october}"' in month and f'data-order="{received}"' not in month
    status = client.get("/console/orders?status=received").get_data(as_text=True)
    assert f'data-order="{received}"' in status and f'data-order="{october}"' not in status
    other = client.get("/console/orders?district=phon").get_data(as_text=True)
    assert "data-order=" not in other and "ยังไม่มีคำสั่งซื้อ" in other
    assert client.get("/console/orders?status=bogus&month=13-2026&vendor=x").status_code == 200
    assert client.post("/console/orders").status_code == 405  # read-only
    body = client.get(f"/console/orders/orders.csv?vendor={vendor_id}").get_data(as_text=True)
    lines = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert lines[0][0] == "เลขที่" and len(lines) == 3
    by_id = {int(line[0]): line for line in lines[1:]}
    assert by_id[received][14] == "AB12CD34" and by_id[received][11] == "2450"
    assert "สมชาย" not in body and "0891234567" not in body
