"""Helpers for survey tests: a training someone attended, with the trainee-satisfaction survey attached."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services import profile, surveys, training_checkin, trainings
from tests.conftest import ADMIN_ID


@pytest.fixture
def attended(rt, clock, chat):
    """`training_id, survey_id, users = attended(["สมศรี", ...])`: each user signed up and checked in; the survey
    (from the template) is open; the training ends 6 hours after the clock's start + 3 days."""

    def make(names, *, capacity: int = 50, delay_hours: int = 2, template: str = "training_satisfaction"):
        starts = clock() + timedelta(days=3)
        with rt.db.transaction() as session:
            training = trainings.create_training(session, trainings.TrainingInput(
                title="ขายของออนไลน์", starts_at=starts, ends_at=starts + timedelta(hours=6), capacity=capacity,
                signup_deadline=starts - timedelta(days=1), venue_name="หอประชุม", survey_delay_hours=delay_hours),
                ADMIN_ID, clock())
            trainings.publish(session, training.id, ADMIN_ID, clock())
            survey = surveys.create_from_template(session, template, ADMIN_ID, clock(), training_id=training.id)
            surveys.set_status(session, survey.id, "active", clock())
            training_id, survey_id = training.id, survey.id
        users = []
        for name in names:
            user = chat(name)
            user.follow()
            with rt.db.transaction() as session:
                profile.save_contact(session, user.user_id, f"{name} ทดสอบ", "0812345678", clock())
                signup = trainings.sign_up(session, training_id, user.user_id, clock()).signup
                training_checkin.check_in(session, signup.checkin_code, ADMIN_ID, clock(), confirm_early=True)
            user.collect()
            users.append(user)
        return training_id, survey_id, users

    return make


def to_survey_time(clock, hours_after_end: float = 2):
    """Moves the clock to `hours_after_end` after the attended training ends (3 days + 6 hours from the start)."""
    clock.advance(days=3, hours=6 + hours_after_end)
