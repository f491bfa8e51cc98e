"""`/r/<code>`: counting clicks (one per visitor per hour; no bots, previews or HEAD), landing without errors, and the
product page's "สั่งซื้อผ่าน LINE" carrying only a code that earns for that product."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest
from sqlalchemy import func, select

from models.market import Product
from models.referrals import ReferralClick
from services import consent, referrals
from tests.referrals.conftest import make_link, make_member, programme_products

SHARER = "U" + "d" * 32
PHONE = "Mozilla/5.0 (Linux; Android 10; SM-A105F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120 Mobile Safari/537.36"
LINE_APP = PHONE + " Line/13.20.0"


def _clicks(rt) -> int:
    with rt.db.transaction() as session:
        return session.scalar(select(func.count()).select_from(ReferralClick))


def _visit(client, code: str, ua: str = PHONE, address: str = "203.0.113.7", method: str = "get"):
    return getattr(client, method)(f"/r/{code}", headers={"User-Agent": ua}, environ_base={"REMOTE_ADDR": address})


@pytest.fixture
def code(rt) -> str:
    (product_id,) = programme_products(rt, 1)
    make_member(rt, SHARER)
    return make_link(rt, SHARER, product_id)


def test_a_click_is_counted_once_per_visitor_per_hour_and_lands_with_the_code(rt, client, clock, code):
    response = _visit(client, code)
    assert response.status_code == 302
    assert re.fullmatch(rf"/market/p/\d+\?ref={code}", response.headers["Location"])
    assert "no-store" not in response.headers.get("Cache-Control", "")
    assert response.headers["Referrer-Policy"]
    assert _visit(client, code.lower()).status_code == 302  # a retyped code in lower case lands too
    clock.advance(minutes=59)
    _visit(client, code)
    assert _clicks(rt) == 1
    _visit(client, code, address="198.51.100.9")  # another visitor
    _visit(client, code, ua=LINE_APP)  # the same address, another browser: another visitor
    assert _clicks(rt) == 3
    clock.advance(minutes=2)  # over an hour since the first visitor's counted click
    _visit(client, code)
    assert _clicks(rt) == 4
    with rt.db.transaction() as session:
        visitors = session.scalars(select(ReferralClick.visitor)).all()
    assert all(re.fullmatch(r"[0-9a-f]{64}", v) for v in visitors) and "203.0.113.7" not in "".join(visitors)


@pytest.mark.parametrize("ua", [
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Mozilla/5.0 (compatible; Linespider/1.1; +https://lin.ee/4dwXkTH)",
    "Twitterbot/1.0", "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
    "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)", "TelegramBot (like TwitterBot)",
    "WhatsApp/2.23.20.0", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", "SomeCrawler/3.0",
    "my-spider", "LinkPreview/1.0", "",
])
def test_bots_and_link_previews_land_but_are_not_counted(rt, client, code, ua):
    response = _visit(client, code, ua=ua)
    assert response.status_code == 302 and f"ref={code}" in response.headers["Location"]
    assert _clicks(rt) == 0


def test_head_requests_are_not_counted(rt, client, code):
    assert _visit(client, code, method="head").status_code == 302
    assert _clicks(rt) == 0


def test_unknown_disabled_and_unlisted_codes_land_without_error(rt, client, clock, code):
    for unknown in ("ZZZZZZZZ", "not-a-code", "x" * 300, "%E0%B8%81"):
        response = _visit(client, unknown)
        assert response.status_code == 302 and response.headers["Location"] == "/market"
    assert client.get("/r/ZZZZZZZZ/qr.png").status_code == 200
    with rt.db.transaction() as session:
        link = referrals.link_by_code(session, code)
        referrals.disable_link(session, link, "ทดสอบ", clock())
        product_id = link.product_id
    response = _visit(client, code)
    assert response.headers["Location"] == f"/market/p/{product_id}" and _clicks(rt) == 0
    with rt.db.transaction() as session:
        session.get(Product, product_id).hidden = True
    response = _visit(client, code)
    assert response.status_code == 302 and response.headers["Location"] == "/market"
    assert client.get("/market").status_code == 200


def _order_link(client, path: str) -> str:
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'<a class="[^"]*" href="([^"]+)" rel="noopener" data-order>', html)
    assert match, html[-2000:]
    return unquote(match.group(1).replace("&amp;", "&"))


def test_the_product_page_order_button_carries_only_a_code_that_earns_for_this_product(rt, client, code):
    with rt.db.transaction() as session:
        product_id = referrals.link_by_code(session, code).product_id
    plain = _order_link(client, f"/market/p/{product_id}")
    assert plain == f"https://line.me/R/oaMessage/@kkpao/?สั่งซื้อ #{product_id} สินค้า 1"
    assert _order_link(client, f"/market/p/{product_id}?ref={code}").endswith(f"(รหัสแนะนำ {code})")
    (other,) = programme_products(rt, 1, name="ของอื่น")
    assert "รหัสแนะนำ" not in _order_link(client, f"/market/p/{other}?ref={code}")  # another product's code
    assert "รหัสแนะนำ" not in _order_link(client, f"/market/p/{product_id}?ref=ZZZZZZZZ")
    assert "รหัสแนะนำ" not in _order_link(client, f"/market/p/{product_id}?ref=<script>")
    with rt.db.transaction() as session:
        consent.withdraw(session, SHARER, consent.SHARE_EARN, rt.clock())  # the sharer left
    assert "รหัสแนะนำ" not in _order_link(client, f"/market/p/{product_id}?ref={code}")
    html = client.get(f"/market/p/{product_id}").get_data(as_text=True)
    assert "สนใจสินค้า" in unquote(html) and "สอบถามทาง LINE" in html  # asking still works


def test_in_emulator_mode_the_order_button_opens_the_chat_simulator(rt, client, code, monkeypatch):
    with rt.db.transaction() as session:
        product_id = referrals.link_by_code(session, code).product_id
    monkeypatch.setattr(type(rt.settings), "emulated", property(lambda self: True))
    link = _order_link(client, f"/market/p/{product_id}?ref={code}")
    assert link.startswith("http://kk.test/simulator?say=สั่งซื้อ #") and link.endswith(f"(รหัสแนะนำ {code})")
