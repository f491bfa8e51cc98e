"""Rating a finished project in chat: the invitation, stars, a comment, a photo of the result, "ข้าม", bad input,
a forged button for someone else's answer, and what project_rating() makes of it."""

from __future__ import annotations

from sqlalchemy import select

from handlers.surveys import Rate
from models.surveys import SurveyAnswer, SurveyQuestion
from services import project_ratings
from tests.project_ratings.conftest import finish, jpeg, scan


def test_a_resident_gives_stars_a_comment_and_a_photo_and_another_skips(rt, clock, person, project):
    project_id = project("ถนนลาดยางบ้านโนน")
    somsri = person("สมศรี", district="phon")
    somchai = person("สมชาย", follows=project_id)
    finish(rt, clock, project_id, "completed")
    assert scan(rt, clock).sent == 2
    rt.process_pending()
    invitation = somsri.collect()
    assert "ขอเชิญตอบแบบสอบถาม “ให้คะแนนโครงการ: ถนนลาดยางบ้านโนน”" in invitation.body
    somchai.collect()

    reply = somsri.taps("ตอบแบบสอบถาม")
    assert "มี 3 ข้อ" in reply.texts[0]
    assert reply.texts[1].startswith("(1/3) ให้คะแนนผลงานของโครงการนี้กี่ดาวคะ ⭐ (5 ดาว = ดีมาก")
    assert reply.quick_replies() == ["5 มากที่สุด", "4 มาก", "3 ปานกลาง", "2 น้อย", "1 น้อยที่สุด"]
    assert "ข้าม" not in reply.quick_replies()  # the stars are the one question that must be answered
    reply = somsri.says("ดีมากค่ะ")
    assert "คะแนน 1–5" in reply.texts[0] and reply.texts[1].startswith("(1/3)")
    reply = somsri.says("6")
    assert "คะแนน 1–5" in reply.texts[0]
    reply = somsri.says("ข้าม")
    assert "คะแนน 1–5" in reply.texts[0]  # typing "ข้าม" does not skip a required question

    with rt.db.transaction() as session:  # a forged button for somsri's answer, sent by somchai, does nothing
        question_id = session.scalar(select(SurveyQuestion.id).join(
            project_ratings.Survey, project_ratings.Survey.id == SurveyQuestion.survey_id).where(
            project_ratings.Survey.project_id == project_id, SurveyQuestion.kind == "rating"))
        response_id = session.scalar(select(project_ratings.surveys.SurveyResponse.id))
    reply = somchai.postback(Rate(response_id, question_id, 1).pack())
    assert "ไม่พบแบบสอบถามนี้" in reply.texts[0]

    reply = somsri.taps("4 มาก")
    assert reply.texts[0].startswith("(2/3) อยากบอกอะไรเกี่ยวกับผลงานนี้ไหมคะ")
    assert reply.quick_replies() == ["ข้าม"]
    reply = somsri.says("ถนนเรียบดีค่ะ แต่ไฟทางยังไม่ติด")
    assert reply.texts[0].startswith("(3/3) ส่งรูปผลงานที่เห็นจริงได้ไหมคะ")
    assert reply.quick_replies() == ["ถ่ายรูป", "เลือกรูป", "ข้าม"]
    reply = somsri.says("ไม่มีค่ะ")
    assert "ขอเป็นรูปภาพ" in reply.texts[0] and reply.texts[1].startswith("(3/3)")
    reply = somsri.sends_image(b"not really a picture")
    assert "ไม่ใช่รูปภาพ" in reply.texts[0] and reply.texts[1].startswith("(3/3)")
    reply = somsri.sends_image(jpeg("gray"))
    assert "ขอบคุณมากค่ะ" in reply.texts[0]

    reply = somchai.says("แบบสอบถาม")
    assert reply.texts[1].startswith("(1/3)")
    somchai.taps("5 มากที่สุด")
    reply = somchai.taps("ข้าม")
    assert reply.texts[0].startswith("(3/3)")
    reply = somchai.taps("ข้าม")
    assert "ขอบคุณมากค่ะ" in reply.texts[0]

    with rt.db.transaction() as session:
        answers = session.scalars(select(SurveyAnswer).order_by(SurveyAnswer.id)).all()
        assert [(a.rating, a.text, a.image_id is not None, a.skipped) for a in answers] == [
            (4, None, False, False), (None, "ถนนเรียบดีค่ะ แต่ไฟทางยังไม่ติด", False, False), (None, None, True, False),
            (5, None, False, False), (None, None, False, True), (None, None, False, True)]
        assert project_ratings.rating_count(session, project_id) == 2
        assert project_ratings.project_rating(session, project_id) is None  # fewer than 5 people
        assert project_ratings.result_photos(session, project_id, "https://kk.example") == []
