"""Signing up in chat: browse "อบรม", one tap on "สมัคร", name and phone asked once, the QR confirmation."""

from __future__ import annotations

from datetime import timedelta

from bot.conversation import current_flow
from models.trainings import TrainingSignup
from services import citizens
from tests.dialog import dialog, tap
from tests.trainings.conftest import tap_on


def _signup(rt, user, training_id):
    with rt.db.transaction() as session:
        citizen = citizens.get(session, user.user_id)
        return session.query(TrainingSignup).filter_by(training_id=training_id, citizen_id=citizen.id).one_or_none()


def test_citizen_browses_and_signs_up_giving_name_and_phone_once(chat, rt, make_training):
    first = make_training("ขายของออนไลน์ให้ปัง", capacity=30)
    second = make_training("ทำขนมไทยขาย", capacity=10, starts_in=timedelta(days=5))
    somsri = chat("สมศรี")
    somsri.follow()
    trainings, *_, done = dialog(somsri, [
        ("อบรม", ["ขายของออนไลน์ให้ปัง", "ทำขนมไทยขาย", "เหลือ 30 ที่"]),
        (tap("สมัคร"), "ชื่อ-นามสกุล"),
        ("12345", "ตัวอักษร"),
        ("  สมศรี   ใจดี ", "คุณสมศรี ใจดี"),
        ("123", "ไม่ถูกต้อง"),
        ("+66 81 234 5678", ["บันทึกชื่อและเบอร์โทรแล้ว", "สมัครเรียบร้อยแล้ว"]),
    ])
    assert trainings.labels().count("สมัคร") == 2
    assert "บันทึกชื่อและเบอร์โทรแล้ว" in done.texts[0]
    assert done.messages[-1]["type"] == "flex"
    assert "/checkin/qr/" in done.messages[-1]["contents"]["hero"]["url"]
    with rt.db.transaction() as session:
        citizen = citizens.get(session, somsri.user_id)
        assert (citizen.full_name, citizen.phone) == ("สมศรี ใจดี", "0812345678")
        assert current_flow(session, somsri.user_id) is None
    assert _signup(rt, somsri, first).status == "confirmed"  # the first bubble is the soonest training
    assert _signup(rt, somsri, second) is None


def test_second_signup_needs_one_tap_only(chat, rt, make_training):
    make_training("อบรมแรก")
    somchai = chat("สมชาย")
    somchai.says("อบรม")
    somchai.taps("สมัคร")
    somchai.says("สมชาย รักดี")
    somchai.says("0891234567")
    make_training("อบรมที่สอง", starts_in=timedelta(days=2))
    reply = somchai.says("อบรม")
    reply = tap_on(somchai, "สมัคร", "อบรมที่สอง")
    assert "สมัครเรียบร้อยแล้ว" in reply.text and "อบรมที่สอง" in reply.text
