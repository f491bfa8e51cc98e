"""A trainee's contact number is a mobile number, checked by services/contact_details.py like everywhere else."""

from __future__ import annotations

from bot.conversation import current_flow
from services import citizens


def test_a_landline_or_a_mobile_number_missing_a_digit_is_explained_and_asked_again(chat, rt, make_training):
    make_training("ขายของออนไลน์ให้ปัง")
    somsri = chat("สมศรี")
    somsri.follow()
    somsri.says("อบรม")
    somsri.taps("สมัคร")
    assert "ตัวอักษร" in somsri.says("สมศรี 123").texts[0]
    somsri.says("สมศรี ใจดี")
    reply = somsri.says("081-234-567")
    assert reply.texts == ["เบอร์มือถือต้องมี 10 หลักค่ะ 🙏 ที่พิมพ์มามี 9 หลัก ลองตรวจอีกครั้งนะคะ เช่น 081-234-5678"]
    reply = somsri.says("043-123-456")
    assert "ตรงนี้ขอเป็นเบอร์มือถือ" in reply.texts[0] and "081-234-5678" in reply.texts[0]
    with rt.db.transaction() as session:
        assert current_flow(session, somsri.user_id) == "training_contact:phone"
    assert "สมัครเรียบร้อยแล้ว" in somsri.says("๐๘๑ ๒๓๔ ๕๖๗๘").text
    with rt.db.transaction() as session:
        assert citizens.get(session, somsri.user_id).phone == "0812345678"
