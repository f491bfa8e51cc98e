"""The invitation scan: sampled buyers only, BUYER_SURVEY_DELAY_DAYS after receipt, once (run twice), within the
survey engine's per-person cap (a capped buyer is recorded as skipped, never retried)."""

from __future__ import annotations

from datetime import timedelta

from models.feedback import BuyerSurvey
from models.surveys import SurveyInvitation
from scheduler.jobs_buyer_feedback import invite_buyers
from services import buyer_feedback, citizens, surveys
from tests.feedback.conftest import received_order
from tests.market.conftest import seed_listed


def _status(rt, survey_id: int) -> str:
    with rt.db.transaction() as session:
        return session.get(BuyerSurvey, survey_id).status


def test_sampled_buyers_are_invited_after_the_delay_once(rt, chat):
    pid = seed_listed(rt, 1, name="ข้าวหอมมะลิ")[0]
    somjai, mana = chat("สมใจ"), chat("มานะ")
    somjai.follow()
    mana.follow()
    asked = received_order(rt, pid, somjai.user_id, rate=1.0)
    not_drawn = received_order(rt, pid, mana.user_id, rate=0.0)
    rt.clock.advance(days=rt.settings.BUYER_SURVEY_DELAY_DAYS, minutes=-1)
    assert invite_buyers(rt, rt.clock()) == 0 and _status(rt, asked) == "waiting"
    rt.clock.advance(minutes=2)
    assert invite_buyers(rt, rt.clock()) == 1
    assert invite_buyers(rt, rt.clock()) == 0  # run twice: nobody is asked twice
    rt.process_pending()
    invitation = somjai.collect()
    assert "ข้าวหอมมะลิ 1" in invitation.body and "ร้านทดสอบ" in invitation.body
    assert "เริ่มให้คะแนน" in invitation.labels()
    assert not mana.collect()
    assert (_status(rt, asked), _status(rt, not_drawn)) == ("sent", "not_sampled")


def test_the_per_person_cap_skips_and_never_retries(rt, chat, clock):
    pid = seed_listed(rt, 1)[0]
    buyer = chat("บุญมี")
    buyer.follow()
    with rt.db.transaction() as session:  # asked by a training survey three days ago
        surveys.set_min_days(session, 14, "admin", clock())
        survey = surveys.create_from_template(session, "training_satisfaction", "admin", clock())
        citizen = citizens.get(session, buyer.user_id)
        session.add(SurveyInvitation(survey_id=survey.id, citizen_id=citizen.id, status="sent",
                                     invited_at=clock() - timedelta(days=3)))
    capped = received_order(rt, pid, buyer.user_id)
    rt.clock.advance(days=rt.settings.BUYER_SURVEY_DELAY_DAYS, minutes=1)
    assert invite_buyers(rt, rt.clock()) == 0
    assert _status(rt, capped) == "skipped_cap"
    rt.clock.advance(days=30)  # the cap has passed: the skipped order is still not retried
    assert invite_buyers(rt, rt.clock()) == 0 and _status(rt, capped) == "skipped_cap"
    # Two orders due together: one question, the other order counts as capped.
    first, second = received_order(rt, pid, buyer.user_id), received_order(rt, pid, buyer.user_id)
    rt.clock.advance(days=rt.settings.BUYER_SURVEY_DELAY_DAYS, minutes=1)
    assert invite_buyers(rt, rt.clock()) == 1
    assert sorted([_status(rt, first), _status(rt, second)]) == ["sent", "skipped_cap"]
    # And the buyer survey counts against the cap of the next buyer survey.
    third = received_order(rt, pid, buyer.user_id)
    rt.clock.advance(days=rt.settings.BUYER_SURVEY_DELAY_DAYS, minutes=1)
    assert invite_buyers(rt, rt.clock()) == 0 and _status(rt, third) == "skipped_cap"


def test_unfollowed_and_long_overdue_buyers_are_recorded_not_asked(rt, chat):
    pid = seed_listed(rt, 1)[0]
    gone = received_order(rt, pid, "U" + "1" * 32, follow=False)
    rt.clock.advance(days=rt.settings.BUYER_SURVEY_DELAY_DAYS, minutes=1)
    assert invite_buyers(rt, rt.clock()) == 0 and _status(rt, gone) == "unreachable"
    late = received_order(rt, pid, "U" + "2" * 32)
    rt.clock.advance(days=rt.settings.BUYER_SURVEY_DELAY_DAYS + 8)  # the scan was down for over a week
    with rt.db.transaction() as session:
        counts = buyer_feedback.send_due_invitations(session, rt.clock(), lambda i: f"fbgo:{i}",
                                                     delay_days=rt.settings.BUYER_SURVEY_DELAY_DAYS)
    assert (counts.sent, counts.late) == (0, 1) and _status(rt, late) == "late"
