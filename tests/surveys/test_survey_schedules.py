"""Survey schedules: a training's survey to those who attended N hours after the end, one reminder after 24 hours,
a project's survey to its districts' residents when completed, the per-person cap; every scan run twice."""

from __future__ import annotations

from sqlalchemy import select

from models.surveys import SurveyInvitation
from scheduler.jobs_surveys import send_project_surveys, send_survey_reminders, send_training_surveys
from services import citizens, profile, projects, surveys, training_checkin, trainings
from tests.conftest import ADMIN_ID
from tests.surveys.conftest import to_survey_time


def test_training_survey_goes_to_attendees_only_after_the_delay(attended, rt, clock, chat):
    training_id, survey_id, [came] = attended(["มา"], delay_hours=5)
    no_show = chat("ไม่มา")
    no_show.follow()
    with rt.db.transaction() as session:
        profile.save_contact(session, no_show.user_id, "ไม่มา ทดสอบ", "0812345678", clock())
        trainings.sign_up(session, training_id, no_show.user_id, clock())
    no_show.collect()
    to_survey_time(clock, hours_after_end=4.9)
    assert send_training_surveys(rt, clock()) == 0  # the training's own delay (5 h) has not passed
    clock.advance(minutes=10)
    assert send_training_surveys(rt, clock()) == 1
    assert send_training_surveys(rt, clock()) == 0  # run twice: sent once
    rt.process_pending()
    assert "ขอเชิญตอบแบบสอบถาม" in came.collect().text
    assert not no_show.collect()


def test_one_reminder_after_24_hours_to_those_who_have_not_answered(attended, rt, clock):
    _, _, [answers, forgets] = attended(["ตอบเลย", "ลืม"])
    to_survey_time(clock)
    send_training_surveys(rt, clock())
    rt.process_pending()
    answers.collect()
    forgets.collect()
    answers.says("แบบสอบถาม")
    for _ in range(5):
        answers.taps("5 มากที่สุด")
    assert "ขอบคุณ" in answers.taps("ข้าม").texts[0]
    clock.advance(hours=23)
    assert send_survey_reminders(rt, clock()) == 0
    clock.advance(hours=1, minutes=1)
    assert send_survey_reminders(rt, clock()) == 1
    assert send_survey_reminders(rt, clock()) == 0
    clock.advance(days=2)
    assert send_survey_reminders(rt, clock()) == 0  # one reminder only
    rt.process_pending()
    reminder = forgets.collect().text
    assert "ยังรอความคิดเห็นของคุณ" in reminder and "เรื่องการอบรม “ขายของออนไลน์” ที่คุณเข้าร่วม" in reminder
    assert not answers.collect()


def test_nobody_is_surveyed_twice_within_the_cap_and_the_cap_is_configurable(attended, rt, clock):
    _, first_survey, [user] = attended(["ขยัน"])
    second_training, second_survey, _ = attended([])
    with rt.db.transaction() as session:
        signup = trainings.sign_up(session, second_training, user.user_id, clock()).signup
        training_checkin.check_in(session, signup.checkin_code, ADMIN_ID, clock(), confirm_early=True)
    to_survey_time(clock)
    assert send_training_surveys(rt, clock()) == 1  # one invitation, not two, for the same person
    with rt.db.transaction() as session:
        statuses = dict(session.execute(select(SurveyInvitation.survey_id, SurveyInvitation.status)).all())
    assert sorted(statuses.values()) == ["sent", "skipped_cap"]
    assert send_training_surveys(rt, clock()) == 0

    # With the cap set to 0 days, a third survey for the same person goes out.
    third_training, _, _ = attended([])
    with rt.db.transaction() as session:
        surveys.set_min_days(session, 0, ADMIN_ID, clock())
        signup = trainings.sign_up(session, third_training, user.user_id, clock()).signup
        training_checkin.check_in(session, signup.checkin_code, ADMIN_ID, clock(), confirm_early=True)
    to_survey_time(clock)
    assert send_training_surveys(rt, clock()) == 1


def test_cap_counts_days_across_all_surveys(attended, rt, clock):
    _, _, [user] = attended(["นาน ๆ ครั้ง"])
    to_survey_time(clock)
    assert send_training_surveys(rt, clock()) == 1
    clock.advance(days=11)
    later_training, later_survey, _ = attended([])  # its survey is due 14 days and 8 hours after the first one
    with rt.db.transaction() as session:
        signup = trainings.sign_up(session, later_training, user.user_id, clock()).signup
        training_checkin.check_in(session, signup.checkin_code, ADMIN_ID, clock(), confirm_early=True)
    to_survey_time(clock, hours_after_end=1.5)  # its survey is not due yet
    assert send_training_surveys(rt, clock()) == 0
    clock.advance(minutes=30)
    assert send_training_surveys(rt, clock()) == 1


def _resident(chat, rt, name, district):
    user = chat(name)
    user.follow()
    with rt.db.transaction() as session:
        citizens.set_district(session, user.user_id, district, rt.clock())
    user.collect()
    return user


def test_project_survey_goes_to_residents_when_the_project_is_completed(rt, clock, chat):
    phon = _resident(chat, rt, "คนพล", "phon")
    mueang = _resident(chat, rt, "คนเมือง", "mueang")
    with rt.db.transaction() as session:
        project = projects.create_project(session, ADMIN_ID, projects.ProjectInput(
            kind="infrastructure", title="ถนนลาดยางบ้านโนน", districts=["phon"]), clock())
        survey = surveys.create_from_template(session, "project_satisfaction", ADMIN_ID, clock(),
                                              project_id=project.id)
        surveys.set_status(session, survey.id, "active", clock())
        project_id, survey_id = project.id, survey.id
    assert send_project_surveys(rt, clock()) == 0  # not completed yet
    with rt.db.transaction() as session:
        projects.change_stage(session, ADMIN_ID, project_id, "in_progress", clock())
    assert send_project_surveys(rt, clock()) == 0
    clock.advance(days=30)
    with rt.db.transaction() as session:
        projects.change_stage(session, ADMIN_ID, project_id, "completed", clock())
    assert send_project_surveys(rt, clock()) == 1
    assert send_project_surveys(rt, clock()) == 0
    with rt.db.transaction() as session:
        projects.change_stage(session, ADMIN_ID, project_id, "evaluated", clock())
    assert send_project_surveys(rt, clock()) == 0  # a later stage does not send it again
    rt.process_pending()
    assert "ถนนลาดยาง" not in mueang.collect().text
    invitation = phon.collect()
    assert "ความพึงพอใจต่อโครงการ" in invitation.text
    assert "เรื่องโครงการ “ถนนลาดยางบ้านโนน” ในพื้นที่ของคุณ" in invitation.text  # names its project
    reply = phon.says("แบบสอบถาม")
    assert reply.texts[1].startswith("(1/7)")
    with rt.db.transaction() as session:
        assert surveys.get_survey(session, survey_id).launched_at is not None
