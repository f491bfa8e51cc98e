"""PDPA for buyer feedback: the export holds the buyer's answers; erasure unlinks the buyer, deletes the comment and
photo, and keeps the ratings as anonymous figures."""

from __future__ import annotations

from models.feedback import BuyerSurvey
from models.media import MediaImage
from services import buyer_feedback, images, privacy
from tests.feedback.conftest import answer
from tests.market.conftest import jpeg, seed_listed


def test_export_and_erase_keep_the_figures_without_the_person(rt):
    pid = seed_listed(rt, 1, name="ปลาร้า")[0]
    uid = "U" + "5" * 32
    survey_id = answer(rt, pid, product=1, comment="กลิ่นแรงเกินไป", buyer_uid=uid)
    for _ in range(4):
        answer(rt, pid, product=2)
    with rt.db.transaction() as session:
        row = session.get(BuyerSurvey, survey_id)
        row.photo_image_id = images.save_image(session, images.accept_image(jpeg()), kind="buyer_survey",
                                               owner_key=f"buyer_survey:{survey_id}", now=rt.clock()).id
        exported = privacy.collect_personal_data(session, uid)
    mine = exported["buyer_feedback"]["buyer_surveys"] if "buyer_feedback" in exported else None
    assert mine and mine[0]["product"] == "ปลาร้า 1" and mine[0]["comment"] == "กลิ่นแรงเกินไป"
    assert mine[0]["product_rating"] == 1 and mine[0]["photo"] is True
    with rt.db.transaction() as session:
        before = buyer_feedback.product_rating(session, pid)
        privacy.erase_personal_data(session, uid, rt.clock())
    with rt.db.transaction() as session:
        row = session.get(BuyerSurvey, survey_id)
        assert (row.citizen_id, row.comment, row.photo_image_id) == (None, None, None)
        assert row.product_rating == 1  # the figure stays
        assert session.query(MediaImage).filter_by(owner_key=f"buyer_survey:{survey_id}").count() == 0
        assert buyer_feedback.product_rating(session, pid) == before
        assert "buyer_feedback" not in privacy.collect_personal_data(session, uid)
