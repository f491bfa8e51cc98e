"""Product and shop ratings (hidden under 5 answers, shown at 5 on the bubble and the page), the re-inspection flag
rising and falling with the rolling rating, complaints, and the satisfaction summary for reports."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from types import SimpleNamespace

from flex_templates.market import postback, product_carousel
from handlers.market import buyer_card
from line_emulator import validate_message
from line_emulator.limits import FLEX_CAROUSEL_MAX_BYTES, json_size
from models.feedback import Reinspection
from models.market import Product
from services import buyer_feedback, certification
from tests.feedback.conftest import answer
from tests.market.conftest import seed_listed
from texts.dates import to_local


def _flag(rt, pid):
    with rt.db.transaction() as session:
        row = buyer_feedback.open_reinspection(session, pid)
        return (row.cause if row else None)


def test_ratings_are_hidden_under_five_answers_and_shown_at_five(rt, client):
    pid = seed_listed(rt, 1, name="น้ำพริก")[0]
    for value in (5, 4, 5, 4):
        answer(rt, pid, product=value, shop=3)
    with rt.db.transaction() as session:
        vendor_id = session.get(Product, pid).vendor_id
        assert buyer_feedback.product_rating(session, pid) is None
        assert buyer_feedback.shop_rating(session, vendor_id) is None
        assert buyer_card(session.get(Product, pid), "https://kk.example").rating is None
    page = client.get(f"/market/p/{pid}").get_data(as_text=True)
    assert "คะแนนจากผู้ซื้อ" not in page and "คะแนนร้าน" not in page
    answer(rt, pid, product=5, shop=4)
    with rt.db.transaction() as session:
        rating = buyer_feedback.product_rating(session, pid)
        assert (rating.count, rating.shown) == (5, "4.6")
        assert buyer_feedback.shop_rating(session, vendor_id) == buyer_feedback.Rating(3.2, 5)
        rating_on_card = buyer_card(session.get(Product, pid), "https://kk.example", rating=rating).rating
    assert rating_on_card == "★ 4.6 (5)"
    page = client.get(f"/market/p/{pid}").get_data(as_text=True)
    assert "คะแนนจากผู้ซื้อ ★ 4.6 จาก 5 (5 คน)" in page and "คะแนนร้าน ★ 3.2 (5)" in page


def test_catalog_bubble_shows_the_rating_within_line_limits(rt, chat):
    pids = seed_listed(rt, 12, name="ผ้าไหมมัดหมี่ลายนาคสีครามย้อมธรรมชาติจากบ้านโนนสะอาด")
    for pid in pids[2:]:  # the ten newest, the first page: every bubble carries a rating at once
        for _ in range(5):
            answer(rt, pid, product=5)
    buyer = chat("สมใจ")
    buyer.follow()
    reply = buyer.says("ตลาดชุมชน")
    reply = buyer.taps(reply.labels()[0])  # every category
    assert "★ 5.0 (5)" in reply.body  # the emulator validated the carousel against LINE's schema and limits
    assert reply.body.count("★ 5.0 (5)") == 10


def test_the_flag_rises_below_three_and_falls_back_at_three(rt, client):
    pid = seed_listed(rt, 1)[0]
    for value in (2, 2, 3, 2):
        answer(rt, pid, product=value)
    assert _flag(rt, pid) is None  # 2.25 but only 4 answers
    answer(rt, pid, product=3)
    assert _flag(rt, pid) == "rating"  # 2.4 over 5
    assert "อยู่ระหว่างตรวจสอบซ้ำ" in client.get(f"/market/p/{pid}").get_data(as_text=True)
    with rt.db.transaction() as session:
        number = session.get(Product, pid).certifications[-1].number
    assert "อยู่ระหว่างตรวจสอบซ้ำ" in client.get(f"/market/c/{number}").get_data(as_text=True)
    answer(rt, pid, product=5)
    assert _flag(rt, pid) == "rating"  # 17/6 = 2.83
    answer(rt, pid, product=4)
    assert _flag(rt, pid) is None  # 21/7 = 3.0: at the threshold clears
    assert "อยู่ระหว่างตรวจสอบซ้ำ" not in client.get(f"/market/p/{pid}").get_data(as_text=True)
    answer(rt, pid, product=1)
    answer(rt, pid, product=1)
    assert _flag(rt, pid) == "rating"  # it rises again
    with rt.db.transaction() as session:
        kinds = [e.kind for e in buyer_feedback.events(session, pid)]
        assert kinds == ["flagged", "cleared", "flagged"]
        assert session.query(Reinspection).filter_by(product_id=pid).count() == 2


def test_a_complaint_flag_needs_staff_even_when_ratings_are_good(rt):
    pid = seed_listed(rt, 1)[0]
    answer(rt, pid, product=1, comment="ขึ้นรา")
    assert _flag(rt, pid) == "complaint"
    for _ in range(6):
        answer(rt, pid, product=5)
    assert _flag(rt, pid) == "complaint"
    with rt.db.transaction() as session:
        kinds = [e.kind for e in buyer_feedback.events(session, pid)]
        assert kinds == ["complaint", "flagged"]
        assert [c.comment for c in buyer_feedback.complaints(session, pid)] == ["ขึ้นรา"]


def test_a_one_without_a_comment_is_a_rating_not_a_complaint_and_uncertified_products_are_not_flagged(rt):
    pid = seed_listed(rt, 1)[0]
    answer(rt, pid, product=1)
    assert _flag(rt, pid) is None
    other = seed_listed(rt, 1, name="อื่น")[0]
    with rt.db.transaction() as session:
        cert = session.get(Product, other).certifications[-1]
        certification.revoke(session, cert.id, "api", "ทดสอบการเพิกถอน", rt.clock())
    answer(rt, other, product=1, comment="เสีย")
    for _ in range(5):
        answer(rt, other, product=1)
    assert _flag(rt, other) is None
    with rt.db.transaction() as session:
        assert [e.kind for e in buyer_feedback.events(session, other)] == ["complaint"]


def test_satisfaction_summary_counts_means_and_distributions(rt):
    pid = seed_listed(rt, 1)[0]
    with rt.db.transaction() as session:
        empty = buyer_feedback.satisfaction_summary(session, None)
    assert empty["responses"] == 0 and empty["questions"]["product"]["mean"] is None
    answer(rt, pid, product=5, shop=4, delivery=3, overall=5, district="phon")
    answer(rt, pid, product=3, shop=4, delivery=1, overall=4, district="mueang")
    with rt.db.transaction() as session:
        summary = buyer_feedback.satisfaction_summary(session, None, by="district")
        only_phon = buyer_feedback.satisfaction_summary(
            session, buyer_feedback.SummaryFilters(district="phon"), by="month")
    assert summary["responses"] == 2 and summary["invited"] == 2
    assert summary["questions"]["product"] == {"count": 2, "mean": 4.0,
                                               "distribution": {"1": 0, "2": 0, "3": 1, "4": 0, "5": 1}}
    assert summary["questions"]["delivery"]["mean"] == 2.0
    assert set(summary["by_district"]) == {"phon", "mueang"}
    assert only_phon["responses"] == 1 and list(only_phon["by_month"].values())[0]["responses"] == 1
    today = to_local(rt.clock()).date()  # REPORTS passes Khon Kaen days, the end inclusive
    with rt.db.transaction() as session:
        same_day = buyer_feedback.satisfaction_summary(session, SimpleNamespace(
            period_from=today, period_to=today, district=None))
        next_day = buyer_feedback.satisfaction_summary(session, SimpleNamespace(
            period_from=today + timedelta(days=1), period_to=None, district=None))
    assert (same_day["responses"], next_day["responses"]) == (2, 0)


def test_worst_case_carousel_with_ratings_fits_lines_limits_and_schema():
    from handlers.market import SearchPage
    from tests.market.test_catalog import THAI_WIDE, _worst_case_card

    rating = buyer_feedback.rating_text(buyer_feedback.Rating(4.649, 999_999))
    assert rating == "★ 4.6 (999,999)"
    cards = [dataclasses.replace(_worst_case_card(i), rating=rating) for i in range(12)]
    more = ("ยังมีอีก 9,999 รายการ", "ดูเพิ่มเติม", postback(SearchPage("ผ้าไหม" * 4, 99).pack(), "ดูเพิ่มเติม"))
    message = product_carousel("ตลาดชุมชน: " + THAI_WIDE * 40, cards, more)
    assert validate_message(message) == []
    assert json_size(message["contents"]) < FLEX_CAROUSEL_MAX_BYTES
    assert sum("★ 4.6 (999,999)" in str(b) for b in message["contents"]["contents"]) == 10
