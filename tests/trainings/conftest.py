"""Helpers for training tests: staff create and publish trainings through the service, as the console does."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services import trainings
from tests.conftest import ADMIN_ID


@pytest.fixture
def make_training(rt, clock):
    """`make_training(capacity=2, starts_in=timedelta(days=3))` -> the id of a published training."""

    def make(title: str = "ขายของออนไลน์ให้ปัง", *, capacity: int = 30, starts_in: timedelta = timedelta(days=3),
             hours: int = 6, deadline_before: timedelta = timedelta(days=1), publish: bool = True,
             **extra) -> int:
        starts = clock() + starts_in
        data = trainings.TrainingInput(
            title=title, starts_at=starts, ends_at=starts + timedelta(hours=hours), capacity=capacity,
            signup_deadline=starts - deadline_before, venue_name="หอประชุม อบจ.ขอนแก่น",
            venue_map_url="https://maps.google.com/?q=16.43,102.83", what_to_bring="บัตรประชาชน, โทรศัพท์มือถือ",
            topic_tags=["ขายออนไลน์"], speakers=[trainings.SpeakerInput("คุณมะลิ ขายดี", "แม่ค้าออนไลน์ยอดขายหลักล้าน")],
            **extra)
        with rt.db.transaction() as session:
            training = trainings.create_training(session, data, ADMIN_ID, clock())
            if publish:
                trainings.publish(session, training.id, ADMIN_ID, clock())
            return training.id

    return make




def tap_on(user, label: str, title: str):
    """Taps the button `label` on the card of the training `title` (cards show several trainings)."""
    for reply in reversed(user.history):
        for action in reply.actions():
            if action.get("label") == label and action.get("displayText") == f"{label}: {title}":
                return user.performs(action)
    raise AssertionError(f"no {label!r} button for {title!r}")


def register(chat, name: str, full_name: str, phone: str = "0812345678"):
    """A follower who has already given name and phone (so sign-ups are one tap)."""
    from services import profile

    user = chat(name)
    user.follow()
    rt = user.h.rt
    with rt.db.transaction() as session:
        profile.save_contact(session, user.user_id, full_name, phone, rt.clock())
    return user


def signup_of(rt, user, training_id: int):
    """The user's sign-up row for a training (detached), or None."""
    from models.trainings import TrainingSignup
    from services import citizens

    with rt.db.transaction() as session:
        citizen = citizens.get(session, user.user_id)
        if citizen is None:
            return None
        return session.query(TrainingSignup).filter_by(training_id=training_id, citizen_id=citizen.id).one_or_none()
