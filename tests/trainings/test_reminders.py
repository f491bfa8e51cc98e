"""Reminders the day before and 2 hours before, to confirmed trainees only; the scan is idempotent."""

from __future__ import annotations

from datetime import timedelta

from scheduler.jobs_trainings import send_training_reminders
from tests.trainings.conftest import register, tap_on


def _signed_up(chat, make_training):
    training = make_training("ทำน้ำพริกขาย", capacity=1, starts_in=timedelta(days=3), deadline_before=timedelta(days=1))
    seat = register(chat, "พริก", "พริก เผ็ดดี")
    seat.says("อบรม")
    tap_on(seat, "สมัคร", "ทำน้ำพริกขาย")
    waiting = register(chat, "กระเทียม", "กระเทียม หอมดี")
    waiting.says("อบรม")
    tap_on(waiting, "สมัคร", "ทำน้ำพริกขาย")
    seat.collect()
    waiting.collect()
    return training, seat, waiting


def test_day_before_and_two_hours_before_reach_confirmed_trainees_only(chat, rt, clock, make_training):
    _training, seat, waiting = _signed_up(chat, make_training)
    assert send_training_reminders(rt, clock()) == 0  # three days ahead: nothing due
    clock.advance(days=2, minutes=1)  # 23 h 59 min before the start
    assert send_training_reminders(rt, clock()) == 1
    rt.process_pending()
    reply = seat.collect()
    assert "พรุ่งนี้มีอบรม “ทำน้ำพริกขาย”" in reply.texts[0]
    assert "บัตรประชาชน" in reply.texts[0]
    assert reply.quick_replies() == ["ดู QR เช็กอิน"]
    assert not waiting.collect()

    assert send_training_reminders(rt, clock()) == 0  # running the scan twice sends nothing twice
    clock.advance(hours=22)  # 1 h 59 min before
    assert send_training_reminders(rt, clock()) == 1
    assert send_training_reminders(rt, clock()) == 0
    rt.process_pending()
    assert "อีกประมาณ 2 ชั่วโมง" in seat.collect().texts[0]
    assert not waiting.collect()
    clock.advance(hours=3)  # started: nothing more
    assert send_training_reminders(rt, clock()) == 0


def test_a_late_scan_sends_only_the_two_hour_reminder(chat, rt, clock, make_training):
    _training, seat, _ = _signed_up(chat, make_training)
    clock.advance(days=2, hours=23)  # the scheduler was down through the day-before window
    assert send_training_reminders(rt, clock()) == 1
    rt.process_pending()
    texts = seat.collect().texts
    assert len(texts) == 1 and "อีกประมาณ 2 ชั่วโมง" in texts[0]


def test_someone_promoted_after_a_reminder_was_due_is_not_reminded_of_it(chat, rt, clock, make_training):
    _training, seat, waiting = _signed_up(chat, make_training)
    clock.advance(days=2, hours=12)  # 12 hours before: the day-before reminder went out
    send_training_reminders(rt, clock())
    seat.says("การสมัครของฉัน")
    seat.taps("ยกเลิก")
    seat.taps("ยืนยันยกเลิก")
    assert "มีที่นั่งว่างแล้ว" in waiting.collect().texts[0]
    assert send_training_reminders(rt, clock()) == 0  # the promotion message is their reminder
    clock.advance(hours=10, minutes=30)
    assert send_training_reminders(rt, clock()) == 1  # but they do get the 2-hour one
    rt.process_pending()
    assert "อีกประมาณ 2 ชั่วโมง" in waiting.collect().texts[0]
    assert not seat.collect()


def test_unfollowed_trainees_are_skipped(chat, rt, clock, make_training):
    _training, seat, _ = _signed_up(chat, make_training)
    seat.unfollow()
    clock.advance(days=2, minutes=1)
    send_training_reminders(rt, clock())
    rt.process_pending()
    assert not seat.collect()
