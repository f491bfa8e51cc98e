"""The public catalog page (/market) and the certificate lookup form (/market/c): certified products only, category
chips, the chat's search (leading words, spaces and Thai spelling variants), pages, and a polite page for any query
string — never a 5xx."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import update

from models.market import Product
from services import certification
from tests.market.conftest import seed_listed
from web.public_market import WEB_PAGE_SIZE


def _names(html: str) -> list[str]:
    return re.findall(r'<li><a class="pub-card mk-item" href="/market/p/\d+" data-product="\d+">.*?<h2>(.*?)</h2>',
                      html, re.S)


def _get(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.get_data(as_text=True)


def test_market_lists_certified_products_with_price_shop_and_link(client, rt):
    ids = seed_listed(rt, 3, name="ข้าวหอมมะลิ", category="produce", shop="ร้านนาป้าจันทร์")
    with rt.db.transaction() as session:
        session.execute(update(Product).where(Product.id == ids[0]).values(hidden=True))
        session.execute(update(Product).where(Product.id == ids[1]).values(cert_status="submitted"))
    html = _get(client, "/market")
    assert "ตลาดชุมชน อบจ.ขอนแก่น" in html and "ตรวจรับรองแล้ว" in html
    assert _names(html) == ["ข้าวหอมมะลิ 3"]  # hidden and uncertified products are not public
    assert "35 บาท / ชิ้น" in html and "ร้านนาป้าจันทร์ · อ.พล" in html and f'href="/market/p/{ids[2]}"' in html
    assert 'data-total="1"' in html and "1 รายการ" in html
    assert 'href="/market/c"' in html  # the certificate lookup is one tap away
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html


def test_market_empty_says_so(client):
    html = _get(client, "/market")
    assert "ตอนนี้ยังไม่มีสินค้าที่ผ่านการรับรอง" in html and _names(html) == []


def test_category_chips_count_and_filter(client, rt):
    seed_listed(rt, 2, name="น้ำพริกเผา", category="food")
    seed_listed(rt, 1, name="ผ้าไหมมัดหมี่", category="textile", line_user_id="U" + "3" * 32, shop="ร้านแม่บัว")
    html = _get(client, "/market")
    assert re.search(r'data-category="food">🍯 อาหารแปรรูป <b>2</b>', html)
    assert re.search(r'aria-current="page" data-category="">ทุกหมวด <b>3</b>', html)
    textile = _get(client, "/market?category=textile")
    assert _names(textile) == ["ผ้าไหมมัดหมี่ 1"]
    assert re.search(r'aria-current="page" data-category="textile">', textile)
    assert "ตอนนี้ยังไม่มีสินค้าในหมวดนี้" in _get(client, "/market?category=health")
    assert len(_names(_get(client, "/market?category=weapons"))) == 3  # an unknown category: all products


def test_search_reads_words_like_the_chat(client, rt):
    seed_listed(rt, 1, name="น้ำพริก ปลาร้า", category="food", shop="ร้านป้าแดง", description="สูตรโบราณ")
    seed_listed(rt, 1, name="ผ้าไหมมัดหมี่", category="textile", line_user_id="U" + "3" * 32, shop="ร้านแม่บัว",
                description="ทอมือ")
    for typed in ("น้ำพริกปลาร้า", "อยากได้ น้ำพริก ค่ะ", "นํ้าพริก", "นำ้พริก", "ป้าแดง โบราณ"):
        html = _get(client, "/market?" + _query(q=typed))
        assert _names(html) == ["น้ำพริก ปลาร้า 1"], typed
        assert "ผลการค้นหา “" in html and "”: 1 รายการ" in html
    assert "ผลการค้นหา “น้ำพริก”: 1 รายการ" in _get(client, "/market?" + _query(q="อยากได้น้ำพริกค่ะ"))
    html = _get(client, "/market?" + _query(q="ผ้าไหม", category="food"))  # search within a category
    assert "ไม่พบสินค้า “ผ้าไหม”" in html and _names(html) == []
    html = _get(client, "/market?" + _query(q="รถไถ"))
    assert "ไม่พบสินค้า “รถไถ”" in html and 'value="รถไถ"' in html and "ล้างคำค้น" in html


def _query(**values: str) -> str:
    from urllib.parse import urlencode

    return urlencode(values)


def test_pages_of_twelve_with_previous_and_next(client, rt):
    seed_listed(rt, WEB_PAGE_SIZE * 2 + 1, name="กล้วยตาก", category="food")
    first = _get(client, "/market")
    assert len(_names(first)) == WEB_PAGE_SIZE and _names(first)[0] == "กล้วยตาก 25"
    assert "หน้า 1 จาก 3" in first and 'rel="next" href="/market?page=2"' in first and 'rel="prev"' not in first
    third = _get(client, "/market?page=3")
    assert _names(third) == ["กล้วยตาก 1"] and 'rel="prev" href="/market?page=2"' in third and 'rel="next"' not in third
    searched = _get(client, "/market?" + _query(q="กล้วย", category="food", page="2"))
    assert len(_names(searched)) == WEB_PAGE_SIZE and _names(searched)[0] == "กล้วยตาก 13"
    assert 'href="/market?category=food&amp;q=%E0%B8%81%E0%B8%A5%E0%B9%89%E0%B8%A7%E0%B8%A2&amp;page=3"' in searched
    past = _get(client, "/market?page=9")
    assert "ไม่มีหน้านี้แล้ว" in past and "กลับไปหน้าแรก" in past and _names(past) == []


@pytest.mark.parametrize("query_string", [
    "page=0", "page=-1", "page=abc", "page=99999999999999999999", "page=1e9", "page=%00", "page=",
    "q=%00", "q=%00%00abc", "q=%FF%FE", "q=%ED%A0%80", "q=" + "ก" * 5000, "q=%25%25%25", "q=_", "q=%5C",
    "q='%20OR%201=1--", "q=%3Cscript%3Ealert(1)%3C/script%3E", "q=%E2%80%8B", "q=%F0%9F%99%8F",
    "category=%00", "category=" + "x" * 5000, "category[]=food", "q=a&q=b&page=2&page=3",
    "q=%E0%B8", "q=%0D%0A", "page=%D9%A3",
])
def test_hostile_query_strings_get_a_page(client, rt, query_string):
    seed_listed(rt, 1, name="ข้าวเกรียบ")
    response = client.get(f"/market?{query_string}")
    assert response.status_code == 200, response.status_code
    html = response.get_data(as_text=True)
    assert "<script>alert" not in html and "\x00" not in html


def test_certificate_lookup_form_redirects_to_the_check_page(client, rt):
    pid = seed_listed(rt, 1)[0]
    with rt.db.transaction() as session:
        number = certification.current_certificate(session, session.get(Product, pid), rt.clock()).number
    form = _get(client, "/market/c")
    assert "ตรวจสอบใบรับรองสินค้า" in form and 'name="number"' in form and 'action="/market/c"' in form
    year, serial = number.split("-")[1:]
    for typed in (number, number.lower(), f" kk {year} {serial} ", f"KK{year}{serial}", f"KK–{year}–{serial}",
                  "KK-" + year.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")) + f"-{serial}"):
        response = client.get("/market/c?" + _query(number=typed))
        assert response.status_code == 303 and response.headers["Location"].endswith(f"/market/c/{number}"), typed
    assert 'data-status="valid"' in client.get("/market/c?" + _query(number=number), follow_redirects=True) \
        .get_data(as_text=True)


def test_certificate_lookup_answers_unknown_and_malformed_numbers_politely(client, rt):
    html = _get(client, "/market/c?number=KK-2569-999999", 404)
    assert "ไม่พบใบรับรองเลขที่ “KK-2569-999999”" in html and 'value="KK-2569-999999"' in html
    html = _get(client, "/market/c?" + _query(number="ใบรับรอง 123"), 400)
    assert "ไม่ใช่รูปแบบเลขที่ใบรับรอง" in html and "KK-2569-000123" in html
    assert "กรุณาพิมพ์เลขที่ใบรับรอง" in _get(client, "/market/c?number=%20", 400)
    for hostile in ("%00", "%FF", "x" * 5000, "%3Cscript%3E", "KK-2569-000001%00", "../../etc/passwd"):
        response = client.get(f"/market/c?number={hostile}")
        assert response.status_code in (400, 404), hostile
        assert "<script>" not in response.get_data(as_text=True)
