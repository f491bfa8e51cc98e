"""Answering a survey in chat: one question at a time with buttons and progress, wrong input, resume, answering
twice, old buttons, optional questions, photos, thanks."""

from __future__ import annotations

import io

from PIL import Image
from sqlalchemy import select

from handlers.surveys import Rate, StartSurvey
from models.surveys import SurveyAnswer, SurveyResponse
from scheduler.jobs_surveys import send_training_surveys
from services import surveys
from tests.conftest import ADMIN_ID
from tests.surveys.conftest import to_survey_time


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (400, 300), (30, 160, 90)).save(out, "JPEG")
    return out.getvalue()


def test_trainee_answers_the_satisfaction_survey_with_buttons(attended, rt, clock):
    _training, survey_id, [somsri] = attended(["สมศรี"])
    to_survey_time(clock)
    assert send_training_surveys(rt, clock()) == 1
    rt.process_pending()
    invitation = somsri.collect()
    body = invitation.messages[0]["contents"]["body"]["contents"][0]["text"]
    assert body.startswith("📝 ขอเชิญตอบแบบสอบถาม “ความพึงพอใจต่อการอบรม: ขายของออนไลน์”\n"
                           "เรื่องการอบรม “ขายของออนไลน์” ที่คุณเข้าร่วม\n")  # names the training it asks about
    assert "มี 6 ข้อ" in body and "「" not in body
    assert invitation.messages[0]["altText"] == "ตอบแบบสอบถาม: ความพึงพอใจต่อการอบรม: ขายของออนไลน์"  # not twice

    reply = somsri.taps("ตอบแบบสอบถาม")
    assert "มี 6 ข้อ" in reply.texts[0]
    assert reply.texts[1].startswith("(1/6) ความพึงพอใจต่อเนื้อหาการอบรม")
    assert reply.quick_replies() == ["5 มากที่สุด", "4 มาก", "3 ปานกลาง", "2 น้อย", "1 น้อยที่สุด"]

    reply = somsri.taps("5 มากที่สุด")
    assert reply.texts[0].startswith("(2/6) ความพึงพอใจต่อวิทยากร")
    reply = somsri.says("ดีมากค่ะ")  # text where a rating is expected
    assert "คะแนน 1–5" in reply.texts[0]
    assert reply.texts[1].startswith("(2/6)") and len(reply.quick_replies()) == 5
    reply = somsri.says("๔")  # a Thai digit typed is fine
    assert reply.texts[0].startswith("(3/6) ความรู้ที่ได้ นำไปใช้สร้างรายได้")
    for expected in ("(4/6)", "(5/6)", "(6/6) ข้อเสนอแนะ"):
        reply = somsri.taps("4 มาก")
        assert reply.texts[0].startswith(expected)
    assert "ข้าม" in reply.quick_replies()
    reply = somsri.says("อยากให้จัดอีกค่ะ =แนะนำช่องทาง TikTok")
    assert "ขอบคุณมากค่ะ" in reply.texts[0]

    with rt.db.transaction() as session:
        response = session.scalars(select(SurveyResponse).where(SurveyResponse.survey_id == survey_id)).one()
        assert response.completed_at is not None
        answers = session.scalars(select(SurveyAnswer).where(SurveyAnswer.response_id == response.id)
                                  .order_by(SurveyAnswer.id)).all()
        assert [a.rating for a in answers] == [5, 4, 4, 4, 4, None]
        assert answers[-1].text.endswith("TikTok")

    assert "ครบแล้ว" in somsri.taps("5 มากที่สุด").texts[0]  # an old button after the end
    assert "ไม่มีแบบสอบถามที่รอคุณตอบ" in somsri.says("แบบสอบถาม").texts[0]
    assert "ครบแล้ว" in somsri.postback(StartSurvey(survey_id).pack()).texts[0]  # one response per person


def test_a_person_can_leave_and_resume_where_they_stopped(attended, rt, clock):
    _, _, [somchai] = attended(["สมชาย"])
    to_survey_time(clock)
    send_training_surveys(rt, clock())
    rt.process_pending()
    somchai.collect()
    somchai.says("แบบสอบถาม")
    somchai.taps("3 ปานกลาง")
    somchai.taps("4 มาก")
    reply = somchai.says("อบรม")  # a menu word leaves the survey
    assert "ออกจากขั้นตอน “ตอบแบบสอบถาม” แล้ว" in reply.body
    assert "ยังไม่มีการอบรมที่เปิดรับสมัคร" in reply.body  # the word's own answer: the training is over
    assert "ช่วยเหลือ" in somchai.says("ช่วยเหลือ").quick_replies()  # not swallowed as an answer
    reply = somchai.says("แบบสอบถาม")
    assert "ตอบต่อจากข้อที่ค้างไว้" in reply.texts[0]
    assert reply.texts[1].startswith("(3/6)")


def test_tapping_an_answered_questions_button_again_is_ignored_politely(attended, rt, clock):
    _, survey_id, [user] = attended(["สมหญิง"])
    to_survey_time(clock)
    send_training_surveys(rt, clock())
    rt.process_pending()
    user.collect()
    user.says("แบบสอบถาม")
    first_question = user.last
    user.taps("2 น้อย")
    reply = user.performs(first_question.action("5 มากที่สุด"))  # the first question's button, tapped again
    assert "ตอบไปแล้ว" in reply.texts[0]
    assert reply.texts[1].startswith("(2/6)")
    with rt.db.transaction() as session:
        ratings = session.scalars(select(SurveyAnswer.rating)).all()
    assert ratings == [2]


def test_buttons_of_a_closed_survey_are_answered_politely(attended, rt, clock):
    _, survey_id, [user] = attended(["สมพร"])
    to_survey_time(clock)
    send_training_surveys(rt, clock())
    rt.process_pending()
    user.collect()
    user.says("แบบสอบถาม")
    with rt.db.transaction() as session:
        surveys.set_status(session, survey_id, "closed", clock())
    reply = user.taps("5 มากที่สุด")
    assert "ปิดรับคำตอบแล้ว" in reply.texts[0]
    assert "เลือกเมนูด้านล่าง" in user.says("5").texts[0]  # the survey flow ended with it: "5" is not taken as an answer
    assert "ไม่มีแบบสอบถามที่รอคุณตอบ" in user.says("แบบสอบถาม").texts[0]


def test_forged_and_foreign_buttons_answer_nothing(attended, rt, clock, chat):
    _, survey_id, [owner] = attended(["เจ้าของ"])
    to_survey_time(clock)
    send_training_surveys(rt, clock())
    rt.process_pending()
    owner.collect()
    owner.says("แบบสอบถาม")
    with rt.db.transaction() as session:
        response = session.scalars(select(SurveyResponse)).one()
        question = surveys.questions(session, survey_id)[0]
    stranger = chat("คนอื่น")
    stranger.follow()
    assert "ไม่พบแบบสอบถามนี้" in stranger.postback(Rate(response.id, question.id, 1).pack()).texts[0]
    assert "ผู้ที่ได้รับเชิญ" in stranger.postback(StartSurvey(survey_id).pack()).texts[0]
    assert "ใช้ไม่ได้แล้ว" in owner.postback("srv_r:1:2:x").texts[0]
    reply = owner.postback(Rate(response.id, question.id, 9).pack())  # a value no button carries
    assert "คะแนน 1–5" in reply.texts[0]
    with rt.db.transaction() as session:
        assert session.scalars(select(SurveyAnswer)).all() == []


def test_optional_photo_and_choice_questions(rt, clock, chat):
    with rt.db.transaction() as session:
        survey = surveys.create_survey(session, title="ทดลองทุกแบบ", kind="general", actor=ADMIN_ID, now=clock(),
                                       questions=[
                                           surveys.QuestionInput("single", "ใช้บ่อยไหม", ["ทุกวัน", "บางวัน"]),
                                           surveys.QuestionInput("multi", "ช่องทางขาย", ["Facebook", "LINE", "TikTok"]),
                                           surveys.QuestionInput("photo", "ส่งรูป", [], False),
                                           surveys.QuestionInput("photo", "ส่งรูปอีกรูป", [], False),
                                       ])
        surveys.set_status(session, survey.id, "active", clock())
        survey_id = survey.id
    user = chat("ทดลอง")
    user.follow()
    with rt.db.transaction() as session:
        from services import citizens

        citizen = citizens.get(session, user.user_id)
        surveys.invite(session, surveys.get_survey(session, survey_id), [citizen.id], clock())
    rt.process_pending()
    user.collect()
    reply = user.says("แบบสอบถาม")
    assert "1. ทุกวัน" in reply.texts[1] and reply.quick_replies() == ["ทุกวัน", "บางวัน"]
    reply = user.says("3")  # no option 3
    assert "ไม่พบตัวเลือกนี้" in reply.texts[0]
    reply = user.says("บางวัน")
    assert reply.texts[0].startswith("(2/4) ช่องทางขาย")
    reply = user.taps("เสร็จแล้ว ✔")
    assert "อย่างน้อย 1 ข้อ" in reply.texts[0]
    reply = user.taps("Facebook")
    assert "✅ Facebook" in reply.quick_replies()
    user.says("2")  # typing an option's number toggles it too
    reply = user.taps("✅ Facebook")
    assert "✅ LINE" in reply.quick_replies() and "Facebook" in reply.quick_replies()
    reply = user.taps("เสร็จแล้ว ✔")
    assert reply.texts[0].startswith("(3/4) ส่งรูป")
    assert reply.quick_replies() == ["ถ่ายรูป", "เลือกรูป", "ข้าม"]
    reply = user.says("ไม่มีรูปค่ะ")
    assert "ขอเป็นรูปภาพ" in reply.texts[0]
    reply = user.sends_image(b"not really a picture")
    assert "ไม่ใช่รูปภาพ" in reply.texts[0] and reply.texts[1].startswith("(3/4)")
    reply = user.sends_image(_jpeg())
    assert reply.texts[0].startswith("(4/4)")
    reply = user.taps("ข้าม")
    assert "ขอบคุณมากค่ะ" in reply.texts[0]
    with rt.db.transaction() as session:
        answers = session.scalars(select(SurveyAnswer).order_by(SurveyAnswer.id)).all()
        assert [a.choices for a in answers[:2]] == [[1], [1]]
        assert answers[2].image_id is not None and answers[3].skipped


def test_a_typed_answer_after_the_survey_closed_is_answered_politely(attended, rt, clock):
    _, survey_id, [user] = attended(["พิมพ์ตอบ"])
    to_survey_time(clock)
    send_training_surveys(rt, clock())
    rt.process_pending()
    user.collect()
    user.says("แบบสอบถาม")
    with rt.db.transaction() as session:
        surveys.set_status(session, survey_id, "closed", clock())
    assert "ปิดรับคำตอบแล้ว" in user.says("5").texts[0]
    assert "เลือกเมนูด้านล่าง" in user.says("4").texts[0]  # the survey flow is over: nothing is taken as an answer
    with rt.db.transaction() as session:
        assert session.scalars(select(SurveyAnswer)).all() == []


def test_invitation_and_the_waiting_list_name_the_training_whatever_the_title(attended, rt, clock):
    training_id, survey_id, [somsri] = attended(["สมศรี"])
    with rt.db.transaction() as session:
        surveys.get_survey(session, survey_id).title = "แบบประเมินหลังอบรม"
        other = surveys.create_survey(session, title="ความเห็นทั่วไป", kind="general", actor=ADMIN_ID, now=clock(),
                                      questions=[surveys.QuestionInput("rating", "พอใจไหม", [])])
        surveys.set_status(session, other.id, "active", clock())
        surveys.settings(session).min_days_between_surveys = 0
        from services import citizens

        surveys.invite(session, other, [citizens.get(session, somsri.user_id).id], clock())
    to_survey_time(clock)
    assert send_training_surveys(rt, clock()) == 1
    rt.process_pending()
    invitations = somsri.collect()
    card = next(m for m in invitations.messages if "แบบประเมินหลังอบรม" in m["altText"])
    assert card["altText"] == "ตอบแบบสอบถาม: แบบประเมินหลังอบรม: ขายของออนไลน์"
    body = card["contents"]["body"]["contents"][0]["text"]
    assert body.startswith("📝 ขอเชิญตอบแบบสอบถาม “แบบประเมินหลังอบรม”\nเรื่องการอบรม “ขายของออนไลน์” ที่คุณเข้าร่วม")
    general = next(m for m in invitations.messages if "ความเห็นทั่วไป" in m["altText"])
    assert "เรื่อง" not in general["contents"]["body"]["contents"][0]["text"]  # a general survey is about nothing
    reply = somsri.says("แบบสอบถาม")  # two wait: the list says which one is about the training
    assert "มีแบบสอบถามรอคุณตอบ 2 ชุด" in reply.messages[0]["altText"]
    assert "เรื่องการอบรม “ขายของออนไลน์” ที่คุณเข้าร่วม" in reply.body
