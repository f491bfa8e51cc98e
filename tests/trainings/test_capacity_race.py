"""Capacity under concurrency: 200 simultaneous sign-ups for 30 seats give exactly 30 confirmed and 170 waitlisted
(run on SQLite and, with TEST_DATABASE_URL, on PostgreSQL)."""

from __future__ import annotations

import threading
from collections import Counter

from sqlalchemy import func, select

from handlers.trainings import SignUp
from line_emulator import events as ev
from models.platform import Citizen
from models.trainings import TrainingSignup
from services import profile, trainings


def _statuses(rt, training_id):
    with rt.db.transaction() as session:
        return Counter(session.scalars(select(TrainingSignup.status).where(TrainingSignup.training_id == training_id)))


def test_200_simultaneous_signups_for_30_seats_confirm_exactly_30(rt, clock, make_training):
    training_id = make_training("อบรมยอดนิยม", capacity=30)
    users = [f"U{i:032x}" for i in range(200)]
    with rt.db.transaction() as session:
        for uid in users:
            session.add(Citizen(line_user_id=uid, is_following=True, full_name="ผู้ทดสอบ", phone="0812345678",
                                created_at=clock(), updated_at=clock()))
    start = threading.Barrier(len(users))
    errors: list[BaseException] = []

    def sign_up(uid: str) -> None:
        try:
            start.wait()
            with rt.db.transaction() as session:  # each thread: its own session and transaction
                trainings.sign_up(session, training_id, uid, clock())
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=sign_up, args=(uid,)) for uid in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert _statuses(rt, training_id) == {"confirmed": 30, "waitlisted": 170}
    with rt.db.transaction() as session:
        positions = sorted(trainings.waitlist_position(session, s) for s in session.scalars(
            select(TrainingSignup).where(TrainingSignup.status == "waitlisted")))
        assert positions == list(range(1, 171))  # a clean queue: no two people share a place
        codes = session.scalar(select(func.count(func.distinct(TrainingSignup.checkin_code))))
        assert codes == 200


def test_concurrent_taps_in_chat_never_overbook(harness, rt, line, make_training):
    training_id = make_training("อบรมที่นั่งน้อย", capacity=30)
    users = [line.add_user(f"ผู้ใช้ {i}")["userId"] for i in range(40)]
    with rt.db.transaction() as session:
        for uid in users:
            profile.save_contact(session, uid, "ผู้ใช้ ทดสอบ", "0812345678", rt.clock())
    harness.post_events([ev.postback_event(uid, SignUp(training_id).pack(), line.issue_reply_token(uid))
                         for uid in users])
    workers = [threading.Thread(target=rt.worker.run_until_idle) for _ in range(8)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    rt.process_pending()
    assert _statuses(rt, training_id) == {"confirmed": 30, "waitlisted": 10}
    answers = [m["altText"] if m["type"] == "flex" else m["text"]
               for uid in users for d in line.deliveries(uid) for m in d.messages]
    assert sum("สมัครเรียบร้อยแล้ว" in a for a in answers) == 30
    assert sum("รายชื่อสำรอง" in a for a in answers) == 10
