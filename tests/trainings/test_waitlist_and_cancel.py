"""The waitlist, cancelling with a confirmation step, promotion of the first person waiting, and wrong input."""

from __future__ import annotations

from datetime import timedelta

from handlers.trainings import CancelSignup, ConfirmCancel, SignUp
from tests.trainings.conftest import register, signup_of, tap_on


def test_full_training_puts_user_on_waitlist_with_position(chat, rt, make_training):
    training = make_training("ปลูกผักขาย", capacity=1)
    first = register(chat, "นก", "นก ใจงาม")
    first.says("อบรม")
    assert "สมัครเรียบร้อยแล้ว" in tap_on(first, "สมัคร", "ปลูกผักขาย").text
    second = register(chat, "หนู", "หนู ใจดี")
    reply = second.says("อบรม")
    assert "เต็มแล้ว" in reply.text
    reply = tap_on(second, "สมัคร", "ปลูกผักขาย")
    assert "รายชื่อสำรอง" in reply.texts[0] and "ลำดับที่ 1" in reply.texts[0]
    third = register(chat, "แมว", "แมว ใจเย็น")
    third.says("อบรม")
    assert "ลำดับที่ 2" in tap_on(third, "สมัคร", "ปลูกผักขาย").texts[0]
    assert signup_of(rt, second, training).status == "waitlisted"


def test_signing_up_twice_changes_nothing(chat, rt, make_training):
    training = make_training("ทำสบู่", capacity=5)
    user = register(chat, "ปู", "ปู ทะเล")
    user.says("อบรม")
    tap_on(user, "สมัคร", "ทำสบู่")
    code = signup_of(rt, user, training).checkin_code
    reply = tap_on(user, "สมัคร", "ทำสบู่")
    assert "สมัคร “ทำสบู่” ไว้แล้ว" in reply.texts[0]
    assert signup_of(rt, user, training).checkin_code == code


def test_cancel_asks_to_confirm_and_promotes_the_first_person_waiting(chat, rt, make_training):
    training = make_training("ขายของออนไลน์", capacity=1)
    somsri = register(chat, "สมศรี", "สมศรี ใจดี")
    somsri.says("อบรม")
    tap_on(somsri, "สมัคร", "ขายของออนไลน์")
    waiting = register(chat, "สมหมาย", "สมหมาย รอได้")
    waiting.says("อบรม")
    tap_on(waiting, "สมัคร", "ขายของออนไลน์")

    reply = somsri.says("การสมัครของฉัน")
    assert "ได้ที่นั่งแล้ว" in reply.text
    reply = somsri.taps("ยกเลิก")
    assert "ยืนยันยกเลิกการสมัคร “ขายของออนไลน์”" in reply.texts[0]
    assert reply.quick_replies() == ["ยืนยันยกเลิก", "ไม่ยกเลิก"]
    assert signup_of(rt, somsri, training).status == "confirmed"  # nothing happens before the confirmation

    reply = somsri.taps("ยืนยันยกเลิก")
    assert "ยกเลิกการสมัคร “ขายของออนไลน์” แล้ว" in reply.texts[0]
    assert signup_of(rt, somsri, training).status == "cancelled"
    assert signup_of(rt, waiting, training).status == "confirmed"
    news = waiting.collect()
    assert "มีที่นั่งว่างแล้ว" in news.texts[0]
    assert news.via == ["push"]
    assert "/checkin/qr/" in news.messages[1]["contents"]["hero"]["url"]  # the promoted person gets their QR

    again = somsri.taps("ยืนยันยกเลิก")  # the same button tapped again
    assert "ถูกยกเลิกไปแล้ว" in again.texts[0]


def test_keep_leaves_the_signup_as_it_was(chat, rt, make_training):
    training = make_training("ทอผ้า", capacity=3)
    user = register(chat, "ฝ้าย", "ฝ้าย ทอดี")
    user.says("อบรม")
    tap_on(user, "สมัคร", "ทอผ้า")
    user.says("การสมัครของฉัน")
    user.taps("ยกเลิก")
    assert "ยังอยู่เหมือนเดิม" in user.taps("ไม่ยกเลิก").texts[0]
    assert signup_of(rt, user, training).status == "confirmed"


def test_cancel_after_the_signup_deadline_still_frees_the_seat(chat, rt, clock, make_training):
    training = make_training("จักสาน", capacity=1, starts_in=timedelta(days=3), deadline_before=timedelta(days=2))
    user = register(chat, "ไผ่", "ไผ่ สานดี")
    user.says("อบรม")
    tap_on(user, "สมัคร", "จักสาน")
    waiting = register(chat, "หวาย", "หวาย รอดี")
    waiting.says("อบรม")
    tap_on(waiting, "สมัคร", "จักสาน")
    clock.advance(days=1, hours=12)  # past the sign-up deadline, before the start
    user.says("การสมัครของฉัน")
    user.taps("ยกเลิก")
    assert "แล้วค่ะ" in user.taps("ยืนยันยกเลิก").texts[0]
    assert signup_of(rt, waiting, training).status == "confirmed"


def test_cancelling_after_the_training_started_is_refused_politely(chat, rt, clock, make_training):
    training = make_training("นวดแผนไทย", capacity=3, starts_in=timedelta(days=1), deadline_before=timedelta(hours=12))
    user = register(chat, "มะลิ", "มะลิ หอมดี")
    user.says("อบรม")
    tap_on(user, "สมัคร", "นวดแผนไทย")
    user.says("การสมัครของฉัน")
    clock.advance(days=1, minutes=5)
    reply = user.taps("ยกเลิก")  # the old card's button
    assert "เริ่มไปแล้ว" in reply.texts[0]
    reply = user.postback(ConfirmCancel(signup_of(rt, user, training).id).pack())
    assert "เริ่มไปแล้ว" in reply.texts[0]
    assert signup_of(rt, user, training).status == "confirmed"


def test_signing_up_after_the_deadline_is_refused(chat, rt, clock, make_training):
    training = make_training("แปรรูปอาหาร", capacity=10)
    user = register(chat, "ส้ม", "ส้ม หวาน")
    reply = user.says("อบรม")
    clock.advance(days=2, hours=1)  # the deadline is a day before the start
    reply = tap_on(user, "สมัคร", "แปรรูปอาหาร")
    assert "ปิดรับสมัครแล้ว" in reply.texts[0]
    assert signup_of(rt, user, training) is None
    assert "ยังไม่มีการอบรมที่เปิดรับสมัคร" in user.says("อบรม").texts[0]


def test_forged_buttons_are_answered_politely(chat, rt, make_training):
    training = make_training("ตัดผม", capacity=2)
    owner = register(chat, "เอ", "เอ หนึ่ง")
    owner.says("อบรม")
    tap_on(owner, "สมัคร", "ตัดผม")
    mallory = register(chat, "บี", "บี สอง")
    reply = mallory.postback(CancelSignup(signup_of(rt, owner, training).id).pack())  # someone else's sign-up
    assert "ไม่พบการสมัครนี้" in reply.texts[0]
    reply = mallory.postback(ConfirmCancel(signup_of(rt, owner, training).id).pack())
    assert "ไม่พบการสมัครนี้" in reply.texts[0]
    assert signup_of(rt, owner, training).status == "confirmed"
    assert "ไม่พบการอบรมนี้" in mallory.postback(SignUp(99999).pack()).texts[0]
    assert "ใช้ไม่ได้แล้ว" in mallory.postback("trn_s:abc").texts[0]  # malformed data


def test_draft_training_cannot_be_signed_up_for(chat, rt, make_training):
    draft = make_training("ร่าง", publish=False)
    user = register(chat, "ซี", "ซี สาม")
    assert "ยังไม่มีการอบรม" in user.says("อบรม").texts[0]
    assert "ไม่พบการอบรมนี้" in user.postback(SignUp(draft).pack()).texts[0]
    assert signup_of(rt, user, draft) is None


def test_cancel_word_in_the_contact_flow_loses_nothing_and_asks_again_later(chat, rt, make_training):
    training = make_training("ถ่ายรูปสินค้า")
    user = chat("ดี")
    user.follow()
    user.says("อบรม")
    tap_on(user, "สมัคร", "ถ่ายรูปสินค้า")
    user.says("ดี มีสุข")
    assert user.says("ยกเลิก").texts == ["ยกเลิกเรียบร้อยแล้วค่ะ"]
    assert signup_of(rt, user, training) is None
    assert "ชื่อ-นามสกุล" in tap_on(user, "สมัคร", "ถ่ายรูปสินค้า").texts[0]


def test_detail_card_shows_speakers_venue_map_and_what_to_bring(chat, rt, make_training):
    make_training("ขายของออนไลน์ให้ปัง")
    user = chat("อี")
    user.says("อบรม")
    reply = tap_on(user, "รายละเอียด", "ขายของออนไลน์ให้ปัง")
    assert "คุณมะลิ ขายดี" in reply.text and "แม่ค้าออนไลน์" in reply.text
    assert "บัตรประชาชน" in reply.text and "หอประชุม" in reply.text
    assert reply.action("ดูแผนที่")["uri"].startswith("https://maps.google.com")
    assert "สมัคร" in reply.labels()


def test_qr_button_shows_the_card_again_and_waitlisted_get_their_position(chat, rt, make_training):
    make_training("เลี้ยงไก่", capacity=1)
    first = register(chat, "ไก่", "ไก่ ขันดี")
    first.says("อบรม")
    tap_on(first, "สมัคร", "เลี้ยงไก่")
    first.says("การสมัครของฉัน")
    reply = first.taps("ดู QR เช็กอิน")
    assert reply.messages[0]["type"] == "flex" and "รหัสเช็กอิน" in reply.text
    second = register(chat, "เป็ด", "เป็ด ว่ายดี")
    second.says("อบรม")
    tap_on(second, "สมัคร", "เลี้ยงไก่")
    reply = second.says("การสมัครของฉัน")
    assert "รายชื่อสำรอง ลำดับที่ 1" in reply.text
    assert "ดู QR เช็กอิน" not in reply.labels()
