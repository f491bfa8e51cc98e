"""REST API of orders, referral links, commissions and sales: filters, paging, creating a sale with the same rules as
chat (422 with the Thai reason), no personal data, and the OpenAPI document."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from openapi_spec_validator import validate
from sqlalchemy import func, select

from models.orders import Order
from models.sales import Sale
from services import sales
from tests.conftest import API_TOKEN
from tests.sales.conftest import fixture_order, fixture_referral

AUTH = {"Authorization": f"Bearer {API_TOKEN}"}
PERSONAL = ("สมชาย ซื้อดี", "0891234567", "1 หมู่ 2", "U" + "b" * 32, "U" + "d" * 32, "0812345678",
            "1101700230708")


def _no_personal_data(payload) -> None:
    text = json.dumps(payload, ensure_ascii=False)
    for value in PERSONAL:
        assert value not in text, value


def _post(client, body):
    return client.post("/api/v1/sales", json=body, headers=AUTH)


def test_api_needs_the_token(client):
    for path in ("/api/v1/orders", "/api/v1/referral-links", "/api/v1/commissions", "/api/v1/sales"):
        assert client.get(path).status_code == 401
    assert client.post("/api/v1/sales", json={}).status_code == 401


def test_create_a_sale_and_every_bad_input_is_a_422_in_thai(client, rt, shop):
    _, vendor_id, product_id = shop
    good = {"vendor_id": vendor_id, "product_id": product_id, "quantity": 2, "amount": "2400.50", "channel": "market",
            "sold_on": "2026-11-22"}
    cases = [
        ({**good, "recorded_by": "x"}, "recorded_by", None),
        ({**good, "channel": "wholesale"}, "channel", "ช่องทางขายต้องเป็น"),
        ({**good, "channel": "online"}, "channel", "ยอดขายออนไลน์บันทึกให้อัตโนมัติ"),
        ({**good, "sold_on": "2026-11-24"}, "sold_on", "วันที่ขายต้องไม่เกินวันนี้"),
        ({**good, "sold_on": "2025-01-01"}, "sold_on", "ย้อนหลังได้ไม่เกิน 1 ปี"),
        ({**good, "sold_on": "yesterday"}, "sold_on", None),
        ({**good, "amount": 0}, "amount", "ยอดเงินต้องเป็นตัวเลขมากกว่า 0"),
        ({**good, "amount": "12.345"}, "amount", "ยอดเงินต้องเป็นตัวเลข"),
        ({**good, "quantity": 0}, "quantity", "จำนวนต้องเป็นตัวเลข"),
        ({**good, "quantity": True}, "quantity", None),
        ({**good, "vendor_id": 999}, "vendor_id", "ไม่พบร้านค้านี้"),
        ({k: v for k, v in good.items() if k != "product_id"}, "product_id", "product_name"),
        ({**good, "product_id": None, "product_name": "x"}, "product_name", "ชื่อสินค้าต้องยาว"),
        ({**good, "product_id": product_id + 1000}, "product_id", "ไม่พบสินค้านี้ในร้าน"),
    ]
    for body, field, message in cases:
        response = _post(client, body)
        assert response.status_code == 422, (body, response.get_json())
        error = response.get_json()["error"]
        assert field in [f["field"] for f in error["fields"]], (body, error)
        if message:
            assert message in error["message"], (body, error)
    with rt.db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Sale)) == 0
    created = _post(client, good)
    assert created.status_code == 201, created.get_json()
    sale = created.get_json()
    assert (sale["amount_satang"], sale["channel"], sale["source"], sale["district"], sale["product_name"]) == (
        240050, "market", "api", "chonnabot", "ผ้าไหมมัดหมี่ลายนาค")
    assert "recorded_by" not in sale
    unposted = _post(client, {**good, "product_id": None, "product_name": "ผ้าขาวม้า", "channel": "ฝากขาย"})
    assert unposted.status_code == 201 and unposted.get_json()["channel"] == "consignment"
    assert client.get(f"/api/v1/sales/{sale['id']}", headers=AUTH).get_json()["id"] == sale["id"]
    assert client.get("/api/v1/sales/99999", headers=AUTH).status_code == 404


def test_sales_filters_and_paging(client, rt, shop):
    _, vendor_id, product_id = shop
    order_id = fixture_order(rt, vendor_id, product_id, quantity=1, received_at=datetime(2026, 11, 10, 3, tzinfo=UTC))
    with rt.db.transaction() as session:
        sales.record_order_sale(session, session.get(Order, order_id), rt.clock())
        for day, channel in (("2026-10-20", "market"), ("2026-11-20", "fair"), ("2026-11-21", "storefront")):
            sales.record_staff_sale(session, sales.API_ACTOR, (), vendor=vendor_id, product=product_id, quantity=1,
                                    amount="100", channel=channel, sold_on=day, now=rt.clock())

    def ids(query: str) -> list[str]:
        response = client.get(f"/api/v1/sales?{query}", headers=AUTH)
        assert response.status_code == 200, response.get_json()
        return [row["channel"] for row in response.get_json()["data"]]

    assert ids("") == ["online", "market", "fair", "storefront"]
    assert ids("month=2026-11") == ["online", "fair", "storefront"]
    assert ids("month=2026-11&channel=traditional") == ["fair", "storefront"]
    assert ids("channel=online") == ["online"]
    assert ids(f"vendor_id={vendor_id}&product_id={product_id}&district=chonnabot") == [
        "online", "market", "fair", "storefront"]
    assert ids("district=phon") == []
    first = client.get("/api/v1/sales?limit=3", headers=AUTH).get_json()
    rest = client.get(f"/api/v1/sales?limit=3&cursor={first['next_cursor']}", headers=AUTH).get_json()
    assert len(first["data"]) == 3 and len(rest["data"]) == 1 and rest["next_cursor"] is None
    for bad in ("month=2026-13", "month=november", "channel=wholesale", "district=atlantis", "vendor_id=0"):
        assert client.get(f"/api/v1/sales?{bad}", headers=AUTH).status_code == 422, bad


def test_orders_referral_links_and_commissions_without_personal_data(client, rt, shop):
    _, vendor_id, product_id = shop
    november = fixture_order(rt, vendor_id, product_id, received_at=datetime(2026, 11, 20, 3, tzinfo=UTC))
    october = fixture_order(rt, vendor_id, product_id, received_at=datetime(2026, 10, 20, 3, tzinfo=UTC),
                            status="shipped")
    link_id = fixture_referral(rt, november, code="AB12CD34", status="hold", amount_satang=24000)
    orders = client.get("/api/v1/orders", headers=AUTH).get_json()
    _no_personal_data(orders)
    by_id = {o["id"]: o for o in orders["data"]}
    assert by_id[november]["referral_code"] == "AB12CD34" and by_id[november]["commission_status"] == "hold"
    assert by_id[november]["buyer_district"] == "mueang" and by_id[november]["district"] == "chonnabot"
    assert by_id[october]["referral_code"] is None and by_id[october]["status"] == "shipped"
    for field in ("buyer_name", "buyer_phone", "buyer_address", "buyer_line_user_id", "tracking_number"):
        assert field not in by_id[november]

    def order_ids(query: str) -> list[int]:
        response = client.get(f"/api/v1/orders?{query}", headers=AUTH)
        assert response.status_code == 200, response.get_json()
        return [o["id"] for o in response.get_json()["data"]]

    assert order_ids("month=2026-10") == [october]
    assert order_ids("status=received") == [november]
    assert order_ids(f"vendor_id={vendor_id}&product_id={product_id}&district=chonnabot") == [november, october]
    assert order_ids("district=phon") == []
    assert client.get("/api/v1/orders?status=lost", headers=AUTH).status_code == 422
    one = client.get(f"/api/v1/orders/{november}", headers=AUTH)
    assert one.status_code == 200 and one.get_json()["commission_satang"] == 24000
    assert client.get("/api/v1/orders/424242", headers=AUTH).status_code == 404

    links = client.get(f"/api/v1/referral-links?product_id={product_id}", headers=AUTH).get_json()
    _no_personal_data(links)
    assert [(x["id"], x["code"], x["clicks"], x["orders"], x["enabled"]) for x in links["data"]] == [
        (link_id, "AB12CD34", 3, 1, True)]
    assert links["data"][0]["url"] == "http://kk.test/r/AB12CD34"
    assert isinstance(links["data"][0]["sharer_id"], int)
    assert client.get("/api/v1/referral-links?vendor_id=999", headers=AUTH).get_json()["data"] == []

    commissions = client.get(f"/api/v1/commissions?status=hold&vendor_id={vendor_id}&month=2026-11",
                             headers=AUTH).get_json()
    _no_personal_data(commissions)
    assert [(c["order_id"], c["amount_satang"], c["status"]) for c in commissions["data"]] == [(november, 24000, "hold")]
    assert client.get("/api/v1/commissions?status=paid", headers=AUTH).get_json()["data"] == []
    assert client.get("/api/v1/commissions?month=2026-10", headers=AUTH).get_json()["data"] == []
    assert client.get("/api/v1/commissions?status=fraud", headers=AUTH).status_code == 422


def test_openapi_document_still_validates_and_lists_the_new_operations(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    validate(doc)
    for path, method in (("/orders", "get"), ("/orders/{order_id}", "get"), ("/referral-links", "get"),
                         ("/commissions", "get"), ("/sales", "get"), ("/sales", "post"), ("/sales/{sale_id}", "get")):
        assert method in doc["paths"][path], (path, method)
    assert {"201", "422"} <= set(doc["paths"]["/sales"]["post"]["responses"])
    params = {p["name"] for p in doc["paths"]["/sales"]["get"]["parameters"]}
    assert {"vendor_id", "product_id", "district", "month", "channel", "limit", "cursor"} <= params
    schemas = doc["components"]["schemas"]
    for name in ("OrderOut", "ReferralLinkOut", "CommissionOut", "SaleOut"):
        props = set(schemas[name]["properties"])
        assert not props & {"buyer_name", "buyer_phone", "buyer_address", "buyer_line_user_id", "line_user_id",
                            "promptpay_id", "recorded_by"}, name
