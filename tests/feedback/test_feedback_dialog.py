"""A sampled buyer answers in chat: buttons, a typed Thai digit, wrong input, the complaint after a 1, a photo
(and a file that is not one), thanks; forged or foreign buttons answer nothing."""

from __future__ import annotations

from handlers.buyer_feedback import RateFeedback, SkipFeedback, StartFeedback
from models.feedback import BuyerSurvey, Reinspection
from scheduler.jobs_buyer_feedback import invite_buyers
from tests.dialog import dialog, tap
from tests.feedback.conftest import received_order
from tests.market.conftest import jpeg, seed_listed


def _invited(rt, chat, name="สมใจ"):
    pid = seed_listed(rt, 1, name="ผ้าไหม")[0]
    buyer = chat(name)
    buyer.follow()
    survey_id = received_order(rt, pid, buyer.user_id)
    rt.clock.advance(days=rt.settings.BUYER_SURVEY_DELAY_DAYS, minutes=1)
    assert invite_buyers(rt, rt.clock()) == 1
    rt.process_pending()
    buyer.collect()
    return buyer, survey_id, pid


def test_buyer_answers_with_buttons_a_complaint_and_a_photo(rt, chat):
    buyer, survey_id, pid = _invited(rt, chat)
    dialog(buyer, [
        (tap("เริ่มให้คะแนน"), ["ให้คะแนน “ผ้าไหม 1” จากร้านทดสอบ", "(1/5) ความพอใจต่อตัวสินค้า"]),
        ("ดีมาก", ["คะแนน 1–5", "(1/5) ความพอใจต่อตัวสินค้า"]),  # words, not a score: asked again politely
        (tap("1 แย่"), "(2/6) เสียใจด้วยค่ะ"),
        ("   ", ["พิมพ์เล่าสั้นๆ", "(2/6)"]),
        ("ผ้าสีตก ไม่ตรงปก", "(3/6) ความพอใจต่อร้านค้า"),
        ("๔", "(4/6) ความพอใจต่อการจัดส่ง"),  # a typed Thai digit counts
        (tap("3 พอใช้"), "(5/6) ภาพรวม"),
        (tap("2 ควรปรับปรุง"), "(6/6) ส่งรูปสินค้า"),
        ("ไม่มีรูป", ["ขอเป็นรูปภาพ", "(6/6)"]),
    ])
    refused = buyer.sends_image(b"not a picture")  # the image pipeline refuses it: said politely, asked again
    assert "(6/6) ส่งรูปสินค้า" in refused.body and "บันทึกคะแนน" not in refused.body
    done = buyer.sends_image(jpeg())
    assert "บันทึกคะแนนของคุณเรียบร้อยแล้ว" in done.body and "เจ้าหน้าที่ อบจ. จะตรวจสอบ" in done.body
    with rt.db.transaction() as session:
        row = session.get(BuyerSurvey, survey_id)
        assert (row.product_rating, row.shop_rating, row.delivery_rating, row.overall_rating) == (1, 4, 3, 2)
        assert row.comment == "ผ้าสีตก ไม่ตรงปก" and row.photo_image_id is not None and row.completed_at
        flag = session.query(Reinspection).filter_by(product_id=pid).one()
        assert flag.cause == "complaint" and flag.closed_at is None  # a 1 with a comment reaches staff
    again = buyer.postback(RateFeedback(survey_id, "shop", 5).pack())
    assert "ให้คะแนนคำสั่งซื้อนี้ครบแล้ว" in again.body


def test_skip_on_the_photo_and_a_double_tap(rt, chat):
    buyer, survey_id, _ = _invited(rt, chat, "มานะ")
    buyer.postback(StartFeedback(survey_id).pack())
    buyer.postback(RateFeedback(survey_id, "product", 5).pack())
    twice = buyer.postback(RateFeedback(survey_id, "product", 1).pack())  # the same button row tapped again
    assert "ตอบไปแล้ว" in twice.body and "(2/5) ความพอใจต่อร้านค้า" in twice.body
    for step in ("shop", "delivery", "overall"):
        buyer.postback(RateFeedback(survey_id, step, 4).pack())
    assert "ข้าม" in buyer.last.labels()
    with rt.db.transaction() as session:  # every rating is in: it counts even if the buyer stops at the photo
        assert session.get(BuyerSurvey, survey_id).completed_at is not None
    done = buyer.taps("ข้าม")
    assert "บันทึกคะแนนของคุณเรียบร้อยแล้ว" in done.body and "จะตรวจสอบ" not in done.body
    with rt.db.transaction() as session:
        row = session.get(BuyerSurvey, survey_id)
        assert row.product_rating == 5 and row.photo_done and row.photo_image_id is None and row.comment is None


def test_forged_and_foreign_buttons_answer_nothing(rt, chat):
    buyer, survey_id, _ = _invited(rt, chat)
    stranger = chat("คนอื่น")
    stranger.follow()
    for data in (StartFeedback(survey_id).pack(), RateFeedback(survey_id, "product", 5).pack(),
                 SkipFeedback(survey_id, "photo").pack(), StartFeedback(999_999).pack()):
        assert "ไม่พบแบบสอบถามนี้" in stranger.postback(data).body
    assert "ไม่พบแบบสอบถามนี้" in buyer.postback(RateFeedback(survey_id, "bogus", 5).pack()).body
    with rt.db.transaction() as session:
        row = session.get(BuyerSurvey, survey_id)
        assert row.product_rating is None and row.started_at is None
