"""Sales in the console: staff only, filters, the online vs traditional totals, the form, and CSV import that is all or
nothing with a Thai error per bad line."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

from sqlalchemy import func, select

from models.orders import Order
from models.sales import Sale
from services import sales
from tests.conftest import ADMIN_ID
from tests.sales.conftest import fixture_order
from tests.web.conftest import csrf_from, make_staff, staff_login


def _count(rt) -> int:
    with rt.db.transaction() as session:
        return int(session.scalar(select(func.count()).select_from(Sale)))


def _upload(client, text: str, token: str, name: str = "sales.csv"):
    return client.post("/console/sales/import", data={"csrf_token": token,
                                                      "file": (io.BytesIO(text.encode("utf-8")), name)},
                       content_type="multipart/form-data")


def test_console_sales_pages_are_staff_only(client, rt, chat, shop):
    for path in ("/console/sales", "/console/sales/new", "/console/sales/sales.csv", "/console/sales/compare.csv"):
        assert client.get(path).status_code == 401
    assert client.post("/console/sales/new", data={"vendor": "1"}).status_code == 401
    staff_login(client, ADMIN_ID)
    token = csrf_from(client.get("/console/sales/new").get_data(as_text=True))
    assert client.post("/console/sales/new", data={"vendor": "1", "product": "x"}).status_code == 400  # no CSRF
    # A member whose rights were revoked after signing in is refused on the next request.
    from services.staff import revoke
    make_staff(rt, "U" + "c" * 32)
    other = client.application.test_client()
    staff_login(other, "U" + "c" * 32)
    with rt.db.transaction() as session:
        revoke(session, ADMIN_ID, "U" + "c" * 32, rt.clock(), admin_ids=rt.settings.ADMIN_LINE_USER_IDS)
    assert other.get("/console/sales").status_code == 401
    assert token and _count(rt) == 0


def test_staff_enter_a_sale_with_the_same_rules_as_chat(client, rt, shop):
    _, vendor_id, product_id = shop
    staff_login(client, ADMIN_ID)
    page = client.get("/console/sales/new")
    token = csrf_from(page.get_data(as_text=True))
    assert "ร้านป้าศรีผ้าไหม" in page.get_data(as_text=True)
    bad = client.post("/console/sales/new", data={"csrf_token": token, "vendor": str(vendor_id), "product": "ผ้าขาวม้า",
                                                  "quantity": "2", "amount": "0", "channel": "market",
                                                  "date": "2026-11-23"})
    assert bad.status_code == 422 and "ยอดเงินต้องเป็นตัวเลขมากกว่า 0" in bad.get_data(as_text=True)
    assert 'value="ผ้าขาวม้า"' in bad.get_data(as_text=True)  # what was typed is kept
    future = client.post("/console/sales/new", data={"csrf_token": token, "vendor": str(vendor_id),
                                                     "product": str(product_id), "quantity": "1", "amount": "1200",
                                                     "channel": "fair", "date": "2026-11-24"})
    assert "ต้องไม่เกินวันนี้" in future.get_data(as_text=True)
    online = client.post("/console/sales/new", data={"csrf_token": token, "vendor": str(vendor_id),
                                                     "product": str(product_id), "quantity": "1", "amount": "1200",
                                                     "channel": "online", "date": "2026-11-23"})
    assert online.status_code == 422 and _count(rt) == 0
    ok = client.post("/console/sales/new", data={"csrf_token": token, "vendor": str(vendor_id),
                                                 "product": str(product_id), "quantity": "๒", "amount": "2,350.50",
                                                 "channel": "fair", "date": "2026-11-20"}, follow_redirects=True)
    assert "บันทึกยอดขายแล้ว" in ok.get_data(as_text=True)
    with rt.db.transaction() as session:
        sale = session.scalars(select(Sale)).one()
        assert (sale.product_id, sale.quantity, sale.amount_satang, sale.channel, sale.sold_on, sale.source,
                sale.recorded_by, sale.district) == (product_id, 2, 235050, "fair", date(2026, 11, 20), "console",
                                                     ADMIN_ID, "chonnabot")


GOOD = """vendor_id,product,quantity,amount,channel,date
{vendor},ผ้าไหมมัดหมี่ลายนาค,2,2400,ตลาดนัด,23/11/2569
ร้านป้าศรีผ้าไหม,ผ้าขาวม้า,10,1500.50,storefront,2026-11-22
{vendor},{product},๑,1200,อื่นๆ,2026-11-01
"""


def test_csv_import_is_all_or_nothing_with_a_thai_error_per_bad_line(client, rt, shop):
    _, vendor_id, product_id = shop
    staff_login(client, ADMIN_ID)
    token = csrf_from(client.get("/console/sales/new").get_data(as_text=True))
    bad = (GOOD.format(vendor=vendor_id, product=product_id)
           + f"{vendor_id},ผ้าไหม,0,100,ตลาดนัด,2026-11-20\n"
           + "ร้านที่ไม่มี,ผ้าไหม,1,100,ตลาดนัด,2026-11-20\n"
           + f"{vendor_id},ผ้าไหม,1,100,ออนไลน์,2026-11-20\n"
           + f"{vendor_id},ผ้าไหม,1,100,ขายส่ง,2026-11-20\n"
           + f"{vendor_id},ผ้าไหม,1,100,ตลาดนัด,24/11/2569\n"
           + f"{vendor_id},ผ้าไหม,1,0,ตลาดนัด,2026-11-20\n")
    answer = _upload(client, bad, token)
    html = answer.get_data(as_text=True)
    assert answer.status_code == 422
    for line, message in ((5, "จำนวนต้องเป็นตัวเลข"), (6, "ไม่พบร้านค้านี้"), (7, "ยอดขายออนไลน์บันทึกให้อัตโนมัติ"),
                          (8, "ช่องทางขายต้องเป็น"), (9, "วันที่ขายต้องไม่เกินวันนี้"), (10, "ยอดเงินต้องเป็นตัวเลข")):
        assert f"บรรทัด {line}: {message}" in html
    assert "บรรทัด 2:" not in html and "ยังไม่ได้นำเข้า" in html
    assert _count(rt) == 0  # the three good lines were not imported either
    missing = _upload(client, "vendor,product,quantity\n1,x,1\n", token)
    assert "หัวตารางไม่ครบ" in missing.get_data(as_text=True)
    big = _upload(client, "vendor_id,product,quantity,amount,channel,date\n" + "1,x,1,1,market,2026-11-20\n" * 5001,
                  token)
    assert "ไฟล์ใหญ่เกินไป" in big.get_data(as_text=True) and _count(rt) == 0
    done = _upload(client, "\ufeff" + GOOD.format(vendor=vendor_id, product=product_id), token)
    assert done.status_code == 302
    assert "นำเข้ายอดขาย 3 รายการแล้ว" in client.get("/console/sales").get_data(as_text=True)
    with rt.db.transaction() as session:
        rows = [(s.product_id, s.product_name, s.quantity, s.amount_satang, s.channel, s.sold_on, s.source)
                for s in session.scalars(select(Sale).order_by(Sale.id))]
    assert rows == [(product_id, "ผ้าไหมมัดหมี่ลายนาค", 2, 240000, "market", date(2026, 11, 23), "csv"),
                    (None, "ผ้าขาวม้า", 10, 150050, "storefront", date(2026, 11, 22), "csv"),
                    (product_id, "ผ้าไหมมัดหมี่ลายนาค", 1, 120000, "other", date(2026, 11, 1), "csv")]


def test_filters_totals_compare_and_csv(client, rt, shop, chat):
    somsri, vendor_id, product_id = shop
    now = rt.clock()
    order_id = fixture_order(rt, vendor_id, product_id, quantity=1, received_at=datetime(2026, 11, 10, 3, tzinfo=UTC))
    old = fixture_order(rt, vendor_id, product_id, quantity=3, received_at=datetime(2026, 10, 5, 3, tzinfo=UTC))
    from tests.market.conftest import approved_shop
    dang = chat("ป้าแดง")
    dang.follow()
    other = approved_shop(dang, rt, shop="ร้านป้าแดง")
    with rt.db.transaction() as session:
        for oid in (order_id, old):
            sales.record_order_sale(session, session.get(Order, oid), now)
        for vendor, product, amount, channel, day in (
                (vendor_id, product_id, "2400", "market", "2026-11-20"),
                (vendor_id, "ผ้าขาวม้า", "300", "storefront", "2026-11-21"),
                (other.id, "ข้าวเหนียว", "50", "market", "2026-11-21")):
            sales.record_staff_sale(session, ADMIN_ID, rt.settings.ADMIN_LINE_USER_IDS, vendor=vendor,
                                    product=product, quantity="1", amount=amount, channel=channel, sold_on=day, now=now)
        rows = sales.compare(session, sales.SalesFilter(vendor_id=vendor_id))
        assert [(r.month, r.product_name, r.online_satang, r.traditional_satang, r.online_quantity,
                 r.traditional_quantity) for r in rows] == [
            ("2026-11", "ผ้าขาวม้า", 0, 30000, 0, 1),
            ("2026-11", "ผ้าไหมมัดหมี่ลายนาค", 120000, 240000, 1, 1),
            ("2026-10", "ผ้าไหมมัดหมี่ลายนาค", 360000, 0, 3, 0)]
        assert rows[1].online_share == 1 / 3
        district = sales.compare(session, sales.SalesFilter(district="chonnabot", month="2026-11",
                                                            channel="traditional"))
        assert sum(r.traditional_satang for r in district) == 240000 + 30000 + 5000  # both shops are in ชนบท
        assert sum(r.online_satang for r in district) == 0
        totals = sales.monthly_totals(session, sales.SalesFilter(product_id=product_id))
        assert [(t.month, t.online_satang, t.traditional_satang) for t in totals] == [
            ("2026-11", 120000, 240000), ("2026-10", 360000, 0)]
    staff_login(client, ADMIN_ID)
    page = client.get(f"/console/sales?vendor={vendor_id}&month=2026-11&channel=traditional")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "ผ้าขาวม้า" in html and "ข้าวเหนียว" not in html
    assert client.get("/console/sales?month=garbage&district=nowhere&vendor=x").status_code == 200
    download = client.get(f"/console/sales/sales.csv?vendor={vendor_id}")
    lines = list(csv.reader(io.StringIO(download.get_data(as_text=True).lstrip("\ufeff"))))
    assert lines[0][0] == "วันที่ขาย" and len(lines) == 1 + 4
    assert {line[8] for line in lines[1:]} == {"ออนไลน์ (สั่งผ่าน LINE)", "ตลาดนัด", "หน้าร้าน"}
    compare_csv = client.get(f"/console/sales/compare.csv?vendor={vendor_id}").get_data(as_text=True)
    assert "33.3" in compare_csv
