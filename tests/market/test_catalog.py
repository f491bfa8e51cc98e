"""The catalog in chat: categories, carousels with a "more" bubble, search as a fallback, contacting a shop;
and the Flex bodies within LINE's schema and size limits with Thai text at maximum lengths."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from sqlalchemy import update

from flex_templates.market import ProductCard, product_carousel
from handlers.market import BrowseCategory, ContactShop
from line_emulator import validate_message
from line_emulator.limits import FLEX_CAROUSEL_MAX_BYTES, json_size
from models.market import Product, Vendor
from services import products, vendors
from tests.market.conftest import seed_listed
from texts import market as market_texts

THAI_WIDE = "ผ้าไหมมัดหมี่ลายพญานาคขอนแก่นแท้ๆ"  # Thai: 3 bytes a character in UTF-8


def _carousel(reply) -> dict:
    return next(m for m in reply.messages if m.get("type") == "flex" and m["contents"]["type"] == "carousel")


def test_catalog_shows_categories_with_counts(chat, rt):
    seed_listed(rt, 2, category="food")
    buyer = chat("ผู้ซื้อ")
    reply = buyer.says("ตลาดชุมชน")
    assert "ตลาดชุมชน 🛍️" in reply.body
    assert "🍯 อาหารแปรรูป (2)" in reply.labels() and "ดูทั้งหมด (2)" in reply.labels()
    assert "ลงทะเบียนร้านค้า" in reply.quick_replies()


def test_catalog_is_in_the_main_menu(chat):
    assert "ตลาดชุมชน" in chat("ใครก็ได้").says("ช่วยเหลือ").quick_replies()


def test_a_category_shows_a_carousel_of_ten_and_a_more_bubble(chat, rt):
    seed_listed(rt, 23, category="food")
    buyer = chat("ผู้ซื้อ")
    buyer.says("ตลาดชุมชน")
    reply = buyer.taps("🍯 อาหารแปรรูป (23)")
    bubbles = _carousel(reply)["contents"]["contents"]
    assert len(bubbles) == 11 and "ยังมีอีก 13 รายการ" in reply.body
    first = bubbles[0]
    assert first["hero"]["url"].startswith("http://kk.test/media/")
    assert "✔ รับรองโดย อบจ.ขอนแก่น" in reply.body and "35 บาท / ชิ้น" in reply.body and "📍 อ.พล" in reply.body
    labels = [b["action"]["label"] for b in first["footer"]["contents"]]
    assert labels == ["สั่งซื้อ", "ติดต่อร้าน", "แชร์", "ดูรายละเอียด"]
    order = first["footer"]["contents"][0]["action"]
    assert order["type"] == "message" and order["text"].startswith("สั่งซื้อ #")
    share = first["footer"]["contents"][2]["action"]["uri"]
    assert share.startswith("https://line.me/R/share?text=") and "kk.test%2Fmarket%2Fp%2F" in share
    assert first["footer"]["contents"][3]["action"]["uri"].startswith("http://kk.test/market/p/")
    page2 = buyer.taps("ดูเพิ่มเติม")
    assert len(_carousel(page2)["contents"]["contents"]) == 11 and "ยังมีอีก 3 รายการ" in page2.text
    page3 = buyer.taps("ดูเพิ่มเติม")
    assert len(_carousel(page3)["contents"]["contents"]) == 3  # the last page: no "more"


def test_an_empty_category_says_so(chat, rt):
    buyer = chat("ผู้ซื้อ")
    buyer.says("ตลาดชุมชน")
    assert "ยังไม่มีสินค้าในหมวดนี้" in buyer.taps("🌿 ผลิตภัณฑ์สุขภาพ (0)").body


def test_only_certified_in_stock_products_of_approved_shops_are_listed(chat, rt, clock):
    ids = seed_listed(rt, 5, category="food")
    with rt.db.transaction() as session:
        session.execute(update(Product).where(Product.id == ids[0]).values(stock=0))
        session.execute(update(Product).where(Product.id == ids[1]).values(hidden=True))
        session.execute(update(Product).where(Product.id == ids[2]).values(cert_status="submitted"))
    other = seed_listed(rt, 1, category="food", line_user_id="U" + "4" * 32, shop="ร้านรออนุมัติ")
    with rt.db.transaction() as session:
        session.execute(update(Vendor).where(Vendor.line_user_id == "U" + "4" * 32).values(status="pending"))
    buyer = chat("ผู้ซื้อ")
    reply = buyer.postback(BrowseCategory("food", 0).pack())
    names = [b["body"]["contents"][1]["text"] for b in _carousel(reply)["contents"]["contents"]]
    assert names == ["สินค้า 5", "สินค้า 4"]
    assert other
    clock.advance(days=366)
    assert "ยังไม่มีสินค้า" in buyer.postback(BrowseCategory("food", 0).pack()).body


def test_free_text_searches_name_description_and_shop(chat, rt):
    seed_listed(rt, 1, name="ผ้าไหมมัดหมี่", category="textile", shop="ร้านแม่บัว")
    seed_listed(rt, 1, name="น้ำพริกปลาร้า", category="food", line_user_id="U" + "3" * 32, shop="ร้านป้าแดง",
                description="สูตรโบราณ เผ็ดกลาง")
    buyer = chat("ผู้ซื้อ")
    assert "พบสินค้า “มัดหมี่” 1 รายการ" in buyer.says("มัดหมี่").body  # inside the name
    assert "น้ำพริกปลาร้า" in buyer.says("โบราณ").body  # in the description
    assert "ผ้าไหมมัดหมี่" in buyer.says("แม่บัว").body  # the shop
    assert "พบสินค้า “ร้าน” 2 รายการ" in buyer.says("ร้าน").body
    assert "น้ำพริกปลาร้า" in buyer.says("ป้าแดง เผ็ด").body  # every word must match somewhere


def test_text_that_matches_nothing_says_so_with_the_categories(chat, rt):
    seed_listed(rt, 1)
    buyer = chat("ผู้ซื้อ")
    reply = buyer.says("รถไถมือสอง")
    assert "ไม่พบสินค้า “รถไถมือสอง”" in reply.body and "ไม่เข้าใจ" not in reply.text
    assert "🍯 อาหารแปรรูป (1)" in reply.labels() and "ตลาดชุมชน" in reply.quick_replies()
    assert "ไม่พบสินค้า “สิน_้า”" in buyer.says("สิน_้า").body  # LIKE wildcards are taken literally
    assert "ไม่พบสินค้า “สิน%1”" in buyer.says("สิน%1").body


def test_search_does_not_swallow_answers_to_an_open_flow(chat, rt):
    seed_listed(rt, 1, name="ชุมแพ ข้าวเกรียบ")
    buyer = chat("ผู้ซื้อ")
    buyer.says("ตั้งค่า")
    assert "อำเภอของคุณคือ ชุมแพ" in buyer.says("ชุมแพ").body


def test_contact_button_gives_the_shops_phone_and_delivery(chat, rt):
    pid = seed_listed(rt, 1)[0]
    buyer = chat("ผู้ซื้อ")
    reply = buyer.postback(ContactShop(pid).pack())
    assert "ร้านทดสอบ" in reply.body and "รับเองที่ร้าน" in reply.body
    assert reply.action("โทรหาร้าน")["uri"] == "tel:0812345678"
    assert "สนใจสินค้า" not in reply.text


def test_ask_in_line_link_from_the_public_page_answers_with_the_contact(chat, rt):
    pid = seed_listed(rt, 1)[0]
    buyer = chat("ผู้ซื้อ")
    assert "โทรหาร้าน" in buyer.says(f"สนใจสินค้า #{pid}").labels()
    assert "ไม่มีในตลาดแล้ว" in buyer.says("สนใจสินค้า #99999").body


def test_a_forged_category_or_unlisted_contact_is_answered_politely(chat, rt):
    buyer = chat("ผู้ซื้อ")
    assert "ใช้ไม่ได้แล้ว" in buyer.postback(BrowseCategory("weapons", 0).pack()).body
    assert "ไม่มีในตลาดแล้ว" in buyer.postback(ContactShop(424242).pack()).body
    assert "ใช้ไม่ได้แล้ว" in buyer.postback("mkcat:food").body  # wrong shape


def _worst_case_card(index: int) -> ProductCard:
    from handlers.market import ContactShop, postback, share_uri, uri

    name = (THAI_WIDE * 3)[: products.NAME_MAX - 2] + f"{index:02d}"
    shop = (THAI_WIDE * 3)[: vendors.SHOP_MAX]
    page = f"https://kkpao-market.example.go.th/market/p/{999_999_900 + index}"
    return ProductCard(
        name=name, price_text=products.price_per_unit(products.PRICE_MAX_SATANG - 1, "ก" * products.UNIT_MAX),
        district_text="📍 อ.หนองสองห้อง",
        image_url=f"https://kkpao-market.example.go.th/media/{999_999_999}-{'f' * 16}.jpg",
        points=list(["สะอาด", "สดใหม่", "อินทรีย์ ปลอดสารเคมี", "วัตถุดิบในท้องถิ่น", "ทำมือ"]),
        badge="✔ รับรองโดย อบจ.ขอนแก่น", shop=shop,
        buttons=(("ติดต่อร้าน", postback(ContactShop(999_999_999).pack(), "ติดต่อร้าน")),
                 ("แชร์", uri(share_uri(name, "999,999.99 บาท", page))), ("ดูรายละเอียด", uri(page))),
    )


def test_worst_case_carousel_fits_lines_limits_and_schema():
    from handlers.market import SearchPage, postback

    more = ("ยังมีอีก 9,999 รายการ", "ดูเพิ่มเติม", postback(SearchPage("ผ้าไหม" * 4, 99).pack(), "ดูเพิ่มเติม"))
    message = product_carousel("ตลาดชุมชน: " + THAI_WIDE * 40, [_worst_case_card(i) for i in range(12)], more)
    assert len(message["contents"]["contents"]) == 11  # 10 products + "more", under LINE's 12
    assert validate_message(message) == []
    size = json_size(message["contents"])
    assert size < FLEX_CAROUSEL_MAX_BYTES, size


def test_vendor_carousel_with_every_button_fits_too(chat, rt):
    from handlers.market_vendor import owner_card
    from tests.market.conftest import approved_shop

    somsri = chat("สมศรี")
    approved_shop(somsri, rt, shop=(THAI_WIDE * 2)[: vendors.SHOP_MAX])
    now = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
    with rt.db.transaction() as session:
        vendor = vendors.get_by_line_user(session, somsri.user_id)
        cards = []
        for _ in range(10):
            product = Product(vendor_id=vendor.id, name=(THAI_WIDE * 2)[: products.NAME_MAX], category="food",
                              price_satang=products.PRICE_MAX_SATANG, unit="ก" * products.UNIT_MAX,
                              description="ก" * products.DESCRIPTION_MAX, selling_points=list(market_texts.SELLING_POINTS),
                              photos=[{"id": 999_999_999, "digest": "f" * 64}], stock=99_999, hidden=True,
                              cert_status="certified", certified_until=now + timedelta(days=10),
                              created_at=now, updated_at=now)
            session.add(product)
            session.flush()

            ctx = SimpleNamespace(settings=rt.settings, session=session, now=now)  # what owner_card reads
            cards.append(owner_card(ctx, product, vendor))
        message = product_carousel("สินค้าของฉัน", cards, ("ยังมีอีก 9,999 รายการ", "ดูเพิ่มเติม",
                                                            {"type": "postback", "data": "mkmine:99"}))
    assert validate_message(message) == []
    assert json_size(message["contents"]) < FLEX_CAROUSEL_MAX_BYTES


def test_withdrawing_the_market_opt_in_delists_the_shop_until_given_again(chat, rt):
    from services import consent

    buyer = chat("ผู้ซื้อ")
    owner = chat("เจ้าของร้าน", user_id="U" + "9" * 32)
    pid = seed_listed(rt, 1, name="กล้วยตาก")[0]
    with rt.db.transaction() as session:
        consent.withdraw(session, owner.user_id, consent.MARKET_VENDOR, rt.clock())
    assert "ไม่พบสินค้า “กล้วยตาก”" in buyer.says("กล้วยตาก").body
    assert "ไม่มีในตลาดแล้ว" in buyer.postback(ContactShop(pid).pack()).body
    assert "ถอนความยินยอม" in owner.says("ลงขายสินค้า").body
    owner.says("ลงทะเบียนร้านค้า")
    assert "เป็นร้านค้าของตลาดชุมชนแล้ว" in owner.taps("ยินยอม").body
    assert "กล้วยตาก" in buyer.says("กล้วยตาก").body
