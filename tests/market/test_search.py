"""Search in chat never says "I don't understand": a product name finds the product whatever words surround it and
however its Thai is spelt, a name with no match gets "ไม่พบสินค้า" with the categories, and only text that is no
search at all (greetings, thanks, emoji, numbers, sentences) gets the help answer."""

from __future__ import annotations

import importlib.util
import unicodedata
from pathlib import Path

import pytest
from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
from sqlalchemy import select, update

from handlers.market import SearchPage
from models.market import Product
from services import catalog, thai_text
from tests.dialog import dialog, tap
from tests.market.conftest import seed_listed
from texts import platform as platform_texts

SUGAR_VARIANT = "น\u0e4d\u0e49\u0e32ตาลโตนด"  # sara am as ํ + า, the tone between: as some PDFs and keyboards give it


def _carousel_names(reply) -> list[str]:
    carousel = next(m for m in reply.messages if m.get("type") == "flex" and m["contents"]["type"] == "carousel")
    return [b["body"]["contents"][1]["text"] for b in carousel["contents"]["contents"] if "body" in b
            and len(b["body"]["contents"]) > 1]


# ---- dialogs ------------------------------------------------------------------------------------------------------
def test_a_name_with_no_match_gets_not_found_with_the_categories(chat, rt):
    seed_listed(rt, 2, name="ข้าวเกรียบ", category="food")
    buyer = chat("ป้าบุญมี")
    reply, category = dialog(buyer, [
        ("รถไถเดินตามมือสอง", "ไม่พบสินค้า “รถไถเดินตามมือสอง” ค่ะ"),
        (tap("🍯 อาหารแปรรูป (2)"), ["ข้าวเกรียบ 1", "ข้าวเกรียบ 2"]),
    ])
    assert reply.texts[0].startswith("ไม่พบสินค้า “รถไถเดินตามมือสอง” ค่ะ")
    assert "ไม่เข้าใจ" not in reply.text
    assert "🍯 อาหารแปรรูป (2)" in reply.labels() and "ดูทั้งหมด (2)" in reply.labels()
    assert "ช่วยเหลือ" in reply.quick_replies()  # the way out is still one tap away
    assert "อาหารแปรรูป" in category.body


def test_not_found_quotes_the_words_searched_shortened_without_breaking_thai(chat, rt):
    seed_listed(rt, 1)
    buyer = chat("ลุงสม")
    asked = "อยากได้เครื่องจักสานไม้ไผ่ลายขิดแบบโบราณสีธรรมชาติค่ะ"  # under 60 characters: a product name
    text = buyer.says(asked).texts[0]
    quoted = text.split("“")[1].split("”")[0]
    assert quoted.endswith("…") and len(quoted) <= 31
    assert "อยากได้" not in quoted and quoted.startswith("เครื่องจักสาน")
    rest = asked.split(quoted[:-1], 1)[1]
    assert quoted[-2] not in "เแโใไ"  # no vowel left without its consonant
    assert not unicodedata.category(rest[0]).startswith("M")  # no mark cut off its consonant


def test_leading_words_endings_and_particles_are_ignored(chat, rt):
    seed_listed(rt, 1, name="น้ำผึ้งป่า", category="food", shop="ร้านลุงดำ", description="เก็บจากภูเวียง")
    seed_listed(rt, 1, name="ผ้าไหมมัดหมี่", category="textile", line_user_id="U" + "3" * 32, shop="ร้านแม่บัว",
                description="ทอมือ")
    seed_listed(rt, 1, name="ผ้าฝ้ายย้อมคราม", category="textile", line_user_id="U" + "4" * 32, shop="ร้านครามดี",
                description="ย้อมสีธรรมชาติ")
    buyer = chat("ผู้ซื้อ")
    for typed in ("หาน้ำผึ้ง", "ซื้อ น้ำผึ้ง", "อยากได้น้ำผึ้งค่ะ", "อยากซื้อน้ำผึ้งครับ", "ขอน้ำผึ้งหน่อยนะคะ",
                  "มีน้ำผึ้งไหม", "มีน้ำผึ้งขายมั้ยคะ", "ซื้อน้ำผึ้งได้ที่ไหน", "น้ำผึ้ง 🙏"):
        reply = buyer.says(typed)
        assert "พบสินค้า “น้ำผึ้ง” 1 รายการ" in reply.text, typed
        assert _carousel_names(reply) == ["น้ำผึ้งป่า 1"], typed
    # "ไหม" is silk as well as a question: it is dropped only when asked ("มี…ไหม"), never off "ผ้าไหม" itself
    assert _carousel_names(buyer.says("ซื้อผ้าไหม")) == ["ผ้าไหมมัดหมี่ 1"]
    assert _carousel_names(buyer.says("มีผ้าไหมไหมคะ")) == ["ผ้าไหมมัดหมี่ 1"]
    assert "พบสินค้า “ผ้า” 2 รายการ" in buyer.says("มีผ้าไหม").text  # "any cloth?": both cloths
    assert "ไม่พบสินค้า “ข้าวหลาม”" in buyer.says("อยากได้ข้าวหลามค่ะ").text


def test_a_leading_word_that_begins_the_product_still_finds_it(chat, rt):
    seed_listed(rt, 1, name="มีดทำครัว", category="other", description="ตีมือจากบ้านหนองเม็ก")
    seed_listed(rt, 1, name="ของฝากขอนแก่น", category="food", line_user_id="U" + "3" * 32, shop="ร้านของฝาก")
    buyer = chat("ผู้ซื้อ")
    assert _carousel_names(buyer.says("มีดทำครัว")) == ["มีดทำครัว 1"]
    assert _carousel_names(buyer.says("ขอนแก่น")) == ["ของฝากขอนแก่น 1"]
    assert _carousel_names(buyer.says("ของฝาก")) == ["ของฝากขอนแก่น 1"]
    assert "ไม่พบสินค้า “ขอนตำ”" in buyer.says("ขอนตำ").text  # quoted whole: "ขอ" + "นตำ" is no cut to show


def test_spaces_and_thai_spelling_variants_match(chat, rt):
    seed_listed(rt, 1, name="น้ำพริก ปลาร้า", category="food", description="สูตรแม่ เผ็ดน้อย")
    seed_listed(rt, 1, name="แกงไตปลา", category="food", line_user_id="U" + "3" * 32, shop="ร้านปักษ์ใต้")
    # stored with the variants: sara am as ํ + า, a tone mark before the vowel mark above
    seed_listed(rt, 1, name=SUGAR_VARIANT, category="food", line_user_id="U" + "4" * 32,
                shop="ร้านก\u0e48\u0e35ตาล", description="สินค้า OTOP ห้าดาว")
    buyer = chat("ผู้ซื้อ")
    for typed in ("น้ำพริกปลาร้า", "น้ำพริก ปลา ร้า", "น\u0e4d\u0e49\u0e32พริก", "นำ\u0e49พริก",
                  "น้ำ\u200bพริก", "น้ำพริก\u00adปลาร้า", "น้ำพริกปลาร้้า"):
        assert _carousel_names(buyer.says(typed)) == ["น้ำพริก ปลาร้า 1"], repr(typed)
    assert _carousel_names(buyer.says("เเกงไตปลา")) == ["แกงไตปลา 1"]  # sara e typed twice
    assert _carousel_names(buyer.says("น้ำตาลโตนด")) == [f"{SUGAR_VARIANT} 1"]
    assert _carousel_names(buyer.says("ร้านกี่ตาล")) == [f"{SUGAR_VARIANT} 1"]
    assert _carousel_names(buyer.says("ｏｔｏｐ")) == [f"{SUGAR_VARIANT} 1"]  # full-width Latin, any case
    assert "ไม่พบสินค้า" in buyer.says("แกง ปลาร้า").text  # every word must still match one product


@pytest.mark.parametrize("typed", [
    "สวัสดีค่ะ", "สวัสดีครับ 🙏", "ขอบคุณมากค่ะ", "ขอบใจจ้า", "ครับ", "ค่ะ", "โอเคค่ะ", "OK", "ได้ค่ะ",
    "🙏🙏", "👍", "???", "...", "555", "0812345678", "๑๒๓",
    "https://www.facebook.com/somepage", "หา", "อยากได้ค่ะ", "ทำไมไม่มีใครตอบเลยคะ", "มีอะไรขายบ้าง",
    "ขอคุยกับเจ้าหน้าที่ค่ะ", "สมัครอบรมทำขนม", "มีคำถามค่ะ", "ช่วยด้วยค่ะ", "บ้านเลขที่ 99/1", "โทร 081-234-5678",
    "วันนี้ไปตลาดมาแล้วเจอผู้ใหญ่บ้านบอกว่าจะมีการอบรมเรื่องการขายของออนไลน์อีกไหมคะ",
])
def test_text_that_is_no_search_gets_the_help_answer(chat, rt, typed):
    seed_listed(rt, 1, name="ดีปลีแห้ง", description="สวัสดีปีใหม่ ขอบคุณลูกค้า 555")  # would match if searched
    reply = chat("ยายทองใบ").says(typed)
    assert platform_texts.HELP_UNKNOWN in reply.texts[0]
    assert "ไม่พบสินค้า" not in reply.text and "พบสินค้า" not in reply.text
    assert "ตลาดชุมชน" in reply.quick_replies()


def test_the_catalog_says_that_typing_a_name_searches(chat, rt):
    reply = chat("ผู้ซื้อ").says("ตลาดชุมชน")
    assert "พิมพ์ชื่อสินค้า" in reply.texts[0] and "ค้นหา" in reply.texts[0]


def test_search_pages_continue_with_the_same_words(chat, rt):
    seed_listed(rt, 13, name="น้ำผึ้งดอกลำไย", category="food")
    buyer = chat("ผู้ซื้อ")
    first = buyer.says("อยากได้ น้ำผึ้ง ค่ะ")
    assert "พบสินค้า “น้ำผึ้ง” 13 รายการ" in first.text and "ยังมีอีก 3 รายการ" in first.text
    second = buyer.taps("ดูเพิ่มเติม")
    assert _carousel_names(second) == ["น้ำผึ้งดอกลำไย 3", "น้ำผึ้งดอกลำไย 2", "น้ำผึ้งดอกลำไย 1"]
    assert second.texts == []  # the count was said with the first page


def test_a_forged_search_page_button_is_answered_politely(chat, rt):
    seed_listed(rt, 1, name="น้ำผึ้ง")
    buyer = chat("ผู้ซื้อ")
    assert platform_texts.STALE_BUTTON in buyer.postback(SearchPage("???", 0).pack()).text
    assert "พบสินค้า “น้ำผึ้ง” 1 รายการ" in buyer.postback(SearchPage("น้ำผึ้ง", 9_999).pack()).text  # page 1 again
    assert "ใช้ไม่ได้แล้ว" in buyer.postback("mksrch:x").text


# ---- the rule and the fold, directly ------------------------------------------------------------------------------
@pytest.mark.parametrize("typed, words", [
    ("น้ำผึ้ง", "น้ำผึ้ง"), ("หาน้ำผึ้ง", "น้ำผึ้ง"), ("อยากได้ผ้าไหมค่ะ", "ผ้าไหม"), ("ผ้าไหม", "ผ้าไหม"),
    ("มีผ้าไหมไหมคะ", "ผ้าไหม"), ("ผ้าไหม ไหมคะ", "ผ้าไหม"), ("มีน้ำผึ้งขายไหม", "น้ำผึ้ง"), ("มีด", "มีด"),
    ("ซื้อ OTOP ครับ", "OTOP"), ("ขอดู กระติ๊บข้าว", "กระติ๊บข้าว"), ("สวัสดีค่ะ", None), ("555", None),
    ("ก", None), ("  ", None), ("\u200b", None), ("ขอบคุณ", None), ("ใครดูแลเพจคะ", None),
])
def test_chat_query_reads_the_product_words(typed, words):
    query = catalog.chat_query(typed)
    assert (query.words if query else None) == words


def test_chat_query_is_none_for_text_longer_than_a_name_and_for_no_text():
    assert catalog.chat_query("ก" * (catalog.QUERY_MAX + 1)) is None
    assert catalog.chat_query(None) is None
    assert catalog.read_query("ผ้าไหม" * 500) is not None  # the search box cuts it, never fails


@pytest.mark.parametrize("variant, proper", [
    ("น\u0e4d\u0e49\u0e32", "น้ำ"), ("น\u0e49\u0e4d\u0e32", "น้ำ"), ("น\u0e33\u0e49", "น้ำ"), ("ก\u0e48\u0e35", "กี่"),
    ("กี่\u0e48", "กี่"), ("เเม่", "แม่"), ("ผ้า ไหม", "ผ้าไหม"), ("ผ้า\u200bไหม", "ผ้าไหม"), ("ＯＴＯＰ", "otop"),
    ("๒๕๖๙", "2569"), ("กา\u0000แฟ", "กาแฟ"),
])
def test_fold_maps_spelling_variants_to_one_form(variant, proper):
    assert thai_text.fold(variant) == thai_text.fold(proper)


def test_shorten_never_cuts_inside_a_syllable_or_an_emoji():
    assert thai_text.shorten("น้ำผึ้ง", 2) == "…"  # "น" alone would lose its marks: nothing rather than a wrong word
    assert thai_text.shorten("กาแฟสด", 3) == "กา…"  # not "กาแ": แ belongs to the next consonant
    assert thai_text.shorten("ผ้าไหม👨\u200d👩\u200d👧", 7) == "ผ้าไหม…"
    assert thai_text.shorten("สั้น", 30) == "สั้น"


# ---- the stored text and migration 0012 ---------------------------------------------------------------------------
def test_migration_0012_refolds_text_stored_the_old_way(rt):
    path = Path(__file__).resolve().parents[2] / "migrations" / "versions" / "0012_catalog_search.py"
    spec = importlib.util.spec_from_file_location("migration_0012", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    pid = seed_listed(rt, 1, name="น้ำพริก ปลาร้า", shop="ร้าน แม่ ดำ")[0]
    old = "น้ำพริก ปลาร้า 1\nของดีขอนแก่น\nร้าน แม่ ดำ"  # what the earlier code stored (lowercased only)
    with rt.db.transaction() as session:
        session.execute(update(Product).where(Product.id == pid).values(search_text=old))
    with rt.db.transaction() as session:
        assert not catalog.search(session, rt.clock(), "พริกปลาร้า").products
    with rt.db.engine.begin() as connection, Operations.context(MigrationContext.configure(connection)):
        migration.upgrade()
    with rt.db.transaction() as session:
        stored = session.scalar(select(Product.search_text).where(Product.id == pid))
        assert stored == "น้ำพริกปลาร้า 1\nของดีขอนแก่น\nร้านแม่ดำ"
        assert [p.id for p in catalog.search(session, rt.clock(), "พริกปลาร้า แม่ดำ").products] == [pid]
