"""Follow-up questions 3 and 6 months after a training: the scheduled scan (run twice), the per-person frequency cap,
the window, knowledge trainings left out, answering in chat, and the answers summarised in the funnel."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from models.outbox import OutboxMessage
from models.surveys import Survey, SurveyInvitation
from scheduler.jobs_outcomes import send_training_followups
from scheduler.jobs_surveys import send_training_surveys
from services import citizens, surveys, training_outcomes
from tests.conftest import ADMIN_ID
from tests.outcomes.conftest import make_training


def _invitations(rt, survey_key: str) -> dict[str, int]:
    with rt.db.transaction() as session:
        return dict(session.execute(select(SurveyInvitation.status, func.count(SurveyInvitation.id))
                                    .join(Survey, Survey.id == SurveyInvitation.survey_id)
                                    .where(Survey.template_key == survey_key)
                                    .group_by(SurveyInvitation.status)).all())


def _outbox_count(rt) -> int:
    with rt.db.transaction() as session:
        return session.scalar(select(func.count(OutboxMessage.id)))


def _recently_surveyed(rt, uid: str, when) -> None:
    """Someone was sent another survey at `when` (so the per-person cap holds them back for 14 days)."""
    with rt.db.transaction() as session:
        other = surveys.create_survey(session, title="ความเห็นเรื่องตลาดชุมชน", kind="general", actor=ADMIN_ID, now=when,
                                      questions=[surveys.QuestionInput("rating", "ความพึงพอใจโดยรวม")])
        surveys.set_status(session, other.id, "active", when)
        assert surveys.invite(session, other, [citizens.get(session, uid).id], when).sent == 1


def test_follow_ups_go_at_3_and_6_months_once_each_within_the_cap(rt, clock, followers):
    people = followers(["สมศรี", "สมชาย", "มานี", "มานะ", "ปิติ", "ชูใจ"])
    built = make_training(rt, clock(), attendees=[p.user_id for p in people[:5]], no_shows=(people[5].user_id,))
    capped, gone = people[3], people[4]
    three = built.ends_at.replace(year=2027, month=2)  # 26 February 2027, three months after it ended
    six = built.ends_at.replace(year=2027, month=5)
    assert training_outcomes.followup_due(_training(rt, built.training_id), 3) == three
    _recently_surveyed(rt, capped.user_id, three - timedelta(days=10))
    gone.unfollow()
    _drain(rt, people)
    outbox_before = _outbox_count(rt)

    assert send_training_followups(rt, three - timedelta(minutes=1)) == 0  # not yet: no survey is made either
    assert _invitations(rt, "training_followup_3m") == {}

    clock.set(three)
    assert send_training_followups(rt, three) == 3
    assert send_training_followups(rt, three + timedelta(minutes=5)) == 0  # the scan again: nobody asked twice
    assert _invitations(rt, "training_followup_3m") == {"sent": 3, "skipped_cap": 1, "unreachable": 1}
    assert _outbox_count(rt) == outbox_before + 1  # one multicast to the three
    assert send_training_surveys(rt, three) == 0  # the engine's after-training scan leaves follow-ups alone
    rt.process_pending()
    card = people[0].collect()
    body = card.messages[0]["contents"]["body"]["contents"][0]["text"]
    assert "ติดตามผลหลังอบรม 3 เดือน: ขายของออนไลน์ให้ปัง" in body and "มี 3 ข้อ" in body
    # The capped person got only the other survey (queued for ten days before); the no-show gets nothing.
    assert [m["altText"] for m in capped.collect().messages] == ["ตอบแบบสอบถาม: ความเห็นเรื่องตลาดชุมชน"]
    assert not people[5].collect().messages

    assert send_training_followups(rt, three + timedelta(days=31)) == 0  # its window has passed

    clock.set(six)
    assert send_training_followups(rt, six) == 4  # the capped person is asked now; the one who left is not
    assert send_training_followups(rt, six + timedelta(hours=1)) == 0
    assert _invitations(rt, "training_followup_6m") == {"sent": 4, "unreachable": 1}
    with rt.db.transaction() as session:
        result = training_outcomes.funnel(session, built.training_id, six)
        assert session.scalar(select(func.count(Survey.id)).where(Survey.training_id == built.training_id)) == 2
    assert [(f.months, f.invited, f.skipped_cap, f.responses, f.detail) for f in result.followups] == [
        (3, 3, 1, 0, False), (6, 4, 0, 0, False)]


def test_a_training_at_the_end_of_a_month_is_followed_up_on_a_shorter_months_last_day(rt, clock, followers):
    [somsri] = followers(["สมศรี"])
    clock.set(datetime(2026, 11, 27, 3, 0, tzinfo=UTC))
    built = make_training(rt, clock(), attendees=[somsri.user_id])  # ends 30 November 2026
    due = datetime(2027, 2, 28, 9, 0, tzinfo=UTC)
    assert built.ends_at == datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    assert send_training_followups(rt, due - timedelta(seconds=1)) == 0
    assert send_training_followups(rt, due) == 1


def test_knowledge_trainings_and_trainings_nobody_attended_get_no_follow_up(rt, clock, followers):
    [somsri] = followers(["สมศรี"])
    knowledge = make_training(rt, clock(), attendees=[somsri.user_id], project_kind="knowledge_training")
    empty = make_training(rt, clock(), attendees=[], title="อบรมที่ไม่มีใครมา")
    due = knowledge.ends_at.replace(year=2027, month=2)
    assert send_training_followups(rt, due) == 0
    with rt.db.transaction() as session:
        assert session.scalar(select(func.count(Survey.id)).where(
            Survey.training_id.in_([knowledge.training_id, empty.training_id]))) == 0


def test_a_trainee_answers_the_follow_up_in_chat(rt, clock, followers):
    [somsri] = followers(["สมศรี"])
    built = make_training(rt, clock(), attendees=[somsri.user_id])
    _drain(rt, [somsri])
    clock.set(built.ends_at.replace(year=2027, month=2))
    assert send_training_followups(rt, clock()) == 1
    rt.process_pending()
    assert somsri.collect().messages[0]["type"] == "flex"

    reply = somsri.taps("ตอบแบบสอบถาม")
    assert "ติดตามผลหลังอบรม 3 เดือน" in reply.texts[0] and "มี 3 ข้อ" in reply.texts[0]
    assert reply.texts[1].startswith("(1/3) หลังอบรม คุณขายของออนไลน์แล้วหรือยัง")
    assert reply.quick_replies() == ["ขายออนไลน์แล้ว", "ขายที่ตลาด/หน้าร้าน", "กำลังจะเริ่มขาย", "ยังไม่ได้ขาย"]
    reply = somsri.says("ขายนิดหน่อยค่ะ")  # words that are no option: asked again, politely
    assert reply.texts[-1].startswith("(1/3) หลังอบรม") and len(reply.quick_replies()) == 4
    reply = somsri.taps("ขายออนไลน์แล้ว")
    assert reply.texts[0].startswith("(2/3) รายได้จากสิ่งที่เรียนเปลี่ยนไปอย่างไร")
    reply = somsri.taps("4 มาก")
    assert reply.texts[0].startswith("(3/3) อยากเล่าอะไรเพิ่มเติม") and "ข้าม" in reply.quick_replies()
    reply = somsri.says("ตอนนี้มีลูกค้าสั่งทาง LINE ทุกสัปดาห์ค่ะ")
    assert "ขอบคุณมากค่ะ" in reply.texts[0]

    with rt.db.transaction() as session:
        [three, _six] = training_outcomes.funnel(session, built.training_id, clock()).followups
    assert (three.invited, three.responses, three.detail) == (1, 1, False)
    assert three.sells_online == [] and three.income_distribution == [] and three.income_mean is None  # one person


def test_follow_up_answers_are_summarised_with_small_counts_hidden(rt, clock, followers):
    people = followers(["สมศรี", "สมชาย", "มานี", "มานะ", "ปิติ", "ชูใจ", "วีระ"])
    built = make_training(rt, clock(), attendees=[p.user_id for p in people])
    clock.set(built.ends_at.replace(year=2027, month=2))
    assert send_training_followups(rt, clock()) == 7
    answers = [(0, 4, "ขายดีค่ะ"), (0, 4, None), (0, 4, None), (0, 5, None), (0, 5, "ขอบคุณค่ะ"), (1, 3, None),
               (3, 2, None)]
    with rt.db.transaction() as session:
        survey_id = training_outcomes.funnel(session, built.training_id, clock()).followups[0].survey_id
        for person, (choice, rating, comment) in zip(people, answers, strict=True):
            progress = surveys.start(session, survey_id, person.user_id, clock())
            rid = progress.response.id
            progress = surveys.answer_choice(session, rid, progress.question.id, person.user_id, choice, clock())
            progress = surveys.answer_rating(session, rid, progress.question.id, person.user_id, rating, clock())
            if comment:
                surveys.answer_text(session, rid, person.user_id, comment, clock())
            else:
                surveys.skip(session, rid, progress.question.id, person.user_id, clock())
        three = training_outcomes.funnel(session, built.training_id, clock()).followups[0]
    assert (three.responses, three.detail, three.comments) == (7, True, 2)
    assert three.sells_online == [("ขายออนไลน์แล้ว", 5), ("ขายที่ตลาด/หน้าร้าน", None), ("กำลังจะเริ่มขาย", 0),
                                  ("ยังไม่ได้ขาย", None)]
    assert three.income_distribution == [0, None, None, None, None]  # every score under 5 people is hidden
    assert round(three.income_mean, 2) == round(27 / 7, 2)
    # The 1-5 income question is not trainee satisfaction: the reports leave follow-ups out of it.
    from services import reports

    with rt.db.transaction() as session:
        trainees = reports.survey_ratings(session, reports.Filters(), kind="training")
    assert trainees["count"] == 0


def _drain(rt, people) -> None:
    """Sends what is waiting (the check-in notices) and clears each person's chat, so the next message is what counts."""
    rt.process_pending()
    for person in people:
        person.collect()


def _training(rt, training_id: int):
    from models.trainings import Training

    with rt.db.transaction() as session:
        training = session.get(Training, training_id)
        session.expunge(training)
        return training
