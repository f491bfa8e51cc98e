"""Routing, typed postback data, and what the bot says to what it does not understand."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from bot.postback import MalformedPostback, PostbackData


@dataclass
class SignUp(PostbackData, prefix="t-signup"):
    training_id: int
    seat: str
    waitlist: bool


def test_postback_data_packs_and_unpacks():
    data = SignUp(7, "แถว ก:1", True).pack()
    assert data.startswith("t-signup:7:")
    assert SignUp.unpack(data) == SignUp(7, "แถว ก:1", True)


@pytest.mark.parametrize("bad", ["t-signup:x:a:1", "t-signup:7:a", "t-signup:7:a:2", "other:7:a:1", "t-signup:" + "9" * 400])
def test_malformed_postback_data_is_refused(bad):
    with pytest.raises(MalformedPostback):
        SignUp.unpack(bad)


def test_postback_data_over_lines_limit_cannot_be_packed():
    with pytest.raises(ValueError):
        SignUp(1, "ก" * 120, False).pack()


def test_unknown_text_gets_a_short_thai_answer_with_the_main_choices(chat):
    somsri = chat("สมศรี")
    reply = somsri.says("ขอคุยกับนายก")
    assert "พิมพ์ชื่อสินค้าเพื่อค้นหา" in reply.texts[0] and "ไม่เข้าใจ" not in reply.texts[0]
    assert {"ตั้งค่า", "ช่วยเหลือ", "ติดต่อเจ้าหน้าที่"} <= set(reply.quick_replies())


def test_help_word_lists_the_main_choices(chat):
    reply = chat("สมศรี").says("ช่วยเหลือ")
    assert "ตั้งค่า" in reply.quick_replies()


def test_a_sticker_gets_a_polite_answer(chat):
    reply = chat("สมศรี").sends_sticker()
    assert reply.texts and "ข้อความและปุ่ม" in reply.texts[0]


@pytest.mark.parametrize("data", ["nonsense", "district", "district:a:b:c", "", "x" * 300])
def test_forged_or_stale_postbacks_get_a_polite_answer_never_an_error(chat, data):
    reply = chat("สมศรี").postback(data)
    assert reply.texts == ["ปุ่มนี้ใช้ไม่ได้แล้วค่ะ อาจเป็นข้อความเก่า กรุณาเริ่มใหม่จากเมนูนะคะ"], reply.body
