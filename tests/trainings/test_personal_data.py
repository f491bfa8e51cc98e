"""PDPA: a person's sign-ups and survey answers are exported and erased with "ข้อมูลของฉัน" (services.privacy);
what remains is anonymous counts, and a freed seat goes to the next person waiting."""

from __future__ import annotations

from sqlalchemy import select

from models.surveys import SurveyAnswer, SurveyInvitation, SurveyResponse
from models.trainings import TrainingSignup
from scheduler.jobs_surveys import send_training_surveys
from services import privacy, surveys, trainings
from tests.surveys.conftest import attended, to_survey_time  # noqa: F401 - fixture
from tests.trainings.conftest import register, signup_of, tap_on


def test_export_and_erase_cover_signups_and_survey_answers(attended, rt, clock, chat):  # noqa: F811
    _, survey_id, [user] = attended(["ลบข้อมูล"])
    to_survey_time(clock)
    send_training_surveys(rt, clock())
    with rt.db.transaction() as session:
        progress = surveys.start(session, survey_id, user.user_id, clock())
        for _ in range(5):
            progress = surveys.answer_rating(session, progress.response.id, progress.question.id, user.user_id, 4,
                                             clock())
        surveys.answer_text(session, progress.response.id, user.user_id, "เบอร์ฉัน 0812345678 ติดต่อได้", clock())

    with rt.db.transaction() as session:
        data = privacy.collect_personal_data(session, user.user_id)
    assert data["trainings"]["training_signups"][0]["training"] == "ขายของออนไลน์"
    assert data["trainings"]["training_signups"][0]["checked_in_at"]
    answers = data["surveys"]["survey_responses"][0]["answers"]
    assert answers[0]["rating"] == 4 and "0812345678" in answers[-1]["text"]

    with rt.db.transaction() as session:
        privacy.erase_personal_data(session, user.user_id, clock())
    with rt.db.transaction() as session:
        assert privacy.collect_personal_data(session, user.user_id) == {}
        signup = session.scalars(select(TrainingSignup)).one()
        assert signup.citizen_id is None and signup.checked_in_at is not None  # an anonymous attendance count
        response = session.scalars(select(SurveyResponse)).one()
        assert response.citizen_id is None
        texts = session.scalars(select(SurveyAnswer.text)).all()
        assert all(t is None for t in texts)  # free text may identify someone: gone
        assert session.scalars(select(SurveyAnswer.rating)).all()[:5] == [4] * 5  # anonymous ratings stay
        assert session.scalars(select(SurveyInvitation.citizen_id)).all() == [None]


def test_erasing_frees_the_seat_for_the_next_person_waiting(chat, rt, make_training):
    training = make_training("ที่นั่งเดียว", capacity=1)
    leaving = register(chat, "ลาก่อน", "ลาก่อน ทดสอบ")
    leaving.says("อบรม")
    tap_on(leaving, "สมัคร", "ที่นั่งเดียว")
    waiting = register(chat, "รอ", "รอ ทดสอบ")
    waiting.says("อบรม")
    tap_on(waiting, "สมัคร", "ที่นั่งเดียว")
    with rt.db.transaction() as session:
        privacy.erase_personal_data(session, leaving.user_id, rt.clock())
    rt.process_pending()
    assert signup_of(rt, waiting, training).status == "confirmed"
    assert "มีที่นั่งว่างแล้ว" in waiting.collect().texts[0]
    with rt.db.transaction() as session:
        assert trainings.seat_counts(session, [training])[training]["confirmed"] == 1
