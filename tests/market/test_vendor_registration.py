"""Vendor registration by chat ("ลงทะเบียนร้านค้า"): opt-in first, every answer checked, staff approve or reject."""

from __future__ import annotations

import pytest

from bot.conversation import current_flow
from handlers.market_review import VendorDecision
from services import consent, vendors
from services.errors import DomainError
from tests.market.conftest import VALID_NATIONAL_ID, pending_shop, register_shop


def _vendor(rt, user):
    with rt.db.transaction() as session:
        return vendors.get_by_line_user(session, user.user_id)


def _flow(rt, user):
    with rt.db.transaction() as session:
        return current_flow(session, user.user_id)


def test_registration_asks_for_the_market_opt_in_first_and_records_it(chat, rt):
    somsri = chat("สมศรี")
    reply = somsri.says("ลงทะเบียนร้านค้า")
    assert "โครงการตลาดชุมชน" in reply.text and reply.labels() == ["ยินยอม", "ไม่ยินยอม"]
    assert "ร้านของคุณชื่ออะไร" in somsri.taps("ยินยอม").text
    with rt.db.transaction() as session:
        assert consent.has_opt_in(session, somsri.user_id, consent.MARKET_VENDOR)


def test_declining_the_opt_in_collects_nothing(chat, rt):
    somchai = chat("สมชาย")
    somchai.says("ลงทะเบียนร้านค้า")
    reply = somchai.taps("ไม่ยินยอม")
    assert "ไม่เป็นไรค่ะ" in reply.text
    assert _flow(rt, somchai) is None and _vendor(rt, somchai) is None
    with rt.db.transaction() as session:
        assert not consent.has_opt_in(session, somchai.user_id, consent.MARKET_VENDOR)


def test_typing_instead_of_tapping_the_opt_in_is_asked_again(chat, rt):
    somying = chat("สมหญิง")
    somying.says("ลงทะเบียนร้านค้า")
    assert "กรุณากดปุ่ม" in somying.says("ได้ค่ะ").text
    assert _flow(rt, somying) == "market_register:consent"


def test_full_registration_creates_a_pending_shop_and_notifies_staff(chat, rt, admin):
    somsri = chat("สมศรี")
    register_shop(somsri, facebook="facebook.com/paasri.silk")
    assert "ส่งใบสมัครร้าน “ร้านป้าศรีผ้าไหม” แล้ว" in somsri.last.text
    vendor = _vendor(rt, somsri)
    assert vendor.status == "pending" and vendor.phone == "0812345678" and vendor.district == "chonnabot"
    assert vendor.promptpay_id == VALID_NATIONAL_ID
    assert vendor.facebook_url == "https://facebook.com/paasri.silk"
    assert vendor.sales_channels == ["line", "facebook"]
    assert vendor.delivery_options == ["thailand_post", "pickup"]
    notice = admin.collect()
    assert "ร้านค้าสมัครใหม่" in notice.text and {"อนุมัติ", "ไม่อนุมัติ"} <= set(notice.labels())


@pytest.mark.parametrize("answer,told", [
    ("12345", "เบอร์โทรไม่ถูกต้อง"), ("abc", "เบอร์โทรไม่ถูกต้อง"), ("0812", "เบอร์โทรไม่ถูกต้อง"),
    ("081-234-567", "ที่พิมพ์มามี 9 หลัก"), ("๐๘๑๒๓๔๕๖๗๘๙๐๐", "ที่พิมพ์มามี 13 หลัก"),
])
def test_a_wrong_phone_number_is_explained_and_asked_again(chat, rt, answer, told):
    somsak = chat("สมศักดิ์")
    somsak.says("ลงทะเบียนร้านค้า")
    somsak.taps("ยินยอม")
    somsak.says("ร้านสมศักดิ์")
    somsak.says("สมศักดิ์ รักดี")
    reply = somsak.says(answer)
    assert told in reply.text and "เช่น 081-234-5678" in reply.text  # why, and a number that would do
    assert _flow(rt, somsak) == "market_register:phone"
    assert "อำเภอไหน" in somsak.says("๐๘๑๒๓๔๕๖๗๘").text  # Thai numerals are fine


def test_a_shop_may_give_its_landline(chat, rt):
    somsak = chat("สมศักดิ์")
    somsak.says("ลงทะเบียนร้านค้า")
    somsak.taps("ยินยอม")
    somsak.says("ร้านสมศักดิ์")
    somsak.says("สมศักดิ์ รักดี")
    assert "อำเภอไหน" in somsak.says("(043) 123-456").text
    assert _vendor_state_data(rt, somsak)["phone"] == "043123456"


def test_promptpay_must_be_a_mobile_number_or_a_valid_national_id(chat, rt):
    somporn = chat("สมพร")
    somporn.says("ลงทะเบียนร้านค้า")
    somporn.taps("ยินยอม")
    for answer in ("ร้านสมพร", "สมพร ดีใจ", "0898765432"):
        somporn.says(answer)
    somporn.taps("พล")
    bad_checksum = VALID_NATIONAL_ID[:-1] + str((int(VALID_NATIONAL_ID[-1]) + 1) % 10)
    for wrong in (bad_checksum, "021234567", "12345"):
        reply = somporn.says(wrong)
        assert "พร้อมเพย์ไม่ถูกต้อง" in reply.text and "ข้าม" in reply.quick_replies()
    assert "ที่อยู่" in somporn.says("081-111-2222").text
    assert _vendor_state_data(rt, somporn)["promptpay_id"] == "0811112222"


def _vendor_state_data(rt, user) -> dict:
    from models.platform import Conversation

    with rt.db.transaction() as session:
        return dict(session.get(Conversation, user.user_id).data)


def test_a_link_that_is_not_a_facebook_page_is_refused(chat, rt):
    somjit = chat("สมจิต")
    somjit.says("ลงทะเบียนร้านค้า")
    somjit.taps("ยินยอม")
    for answer in ("ร้านสมจิต", "สมจิต ใจงาม", "0812223333"):
        somjit.says(answer)
    somjit.taps("พล")
    somjit.taps("ข้าม")
    somjit.says("12 หมู่ 5 ต.เมืองพล")
    somjit.taps("ข้าม")  # no LINE for the shop
    assert "ไม่ใช่เพจ Facebook" in somjit.says("https://evil.example.com/facebook.com").text
    assert "ส่งสินค้าช่องทางไหน" in somjit.says("https://www.facebook.com/somjitshop").text


def test_delivery_needs_at_least_one_option_and_buttons_toggle(chat, rt):
    somsri = chat("สมศรี")
    somsri.says("ลงทะเบียนร้านค้า")
    somsri.taps("ยินยอม")
    for answer in ("ร้านสมศรี", "สมศรี มีสุข", "0812345678"):
        somsri.says(answer)
    somsri.taps("ชนบท")
    somsri.taps("ข้าม")
    somsri.says("1 หมู่ 1 ต.ชนบท")
    somsri.taps("ข้าม")  # LINE
    somsri.taps("ข้าม")  # Facebook
    assert "อย่างน้อย 1 ช่องทาง" in somsri.taps("เสร็จแล้ว").text
    assert "✅ Kerry Express" in somsri.taps("Kerry Express").labels()
    assert "Kerry Express" in somsri.taps("✅ Kerry Express").labels()  # tapped again: off
    somsri.taps("ส่งในพื้นที่")
    reply = somsri.taps("เสร็จแล้ว")
    assert "ส่งสินค้า: ส่งในพื้นที่" in reply.text


def test_cancel_mid_registration_keeps_nothing_but_the_opt_in(chat, rt):
    somchai = chat("สมชาย")
    somchai.says("ลงทะเบียนร้านค้า")
    somchai.taps("ยินยอม")
    somchai.says("ร้านสมชาย")
    assert somchai.says("ยกเลิก").texts == ["ยกเลิกเรียบร้อยแล้วค่ะ"]
    assert _vendor(rt, somchai) is None and _flow(rt, somchai) is None
    # Starting again skips the opt-in already given.
    assert "ร้านของคุณชื่ออะไร" in somchai.says("ลงทะเบียนร้านค้า").text


def test_a_pending_shop_cannot_register_twice(chat, rt):
    somsri = chat("สมศรี")
    pending_shop(somsri, rt)
    assert "รอเจ้าหน้าที่อนุมัติ" in somsri.says("ลงทะเบียนร้านค้า").text
    assert _flow(rt, somsri) is None


def test_staff_approve_from_the_chat_notice_and_the_vendor_is_told(chat, rt, admin):
    somsri = chat("สมศรี")
    pending_shop(somsri, rt, tell_reviewers=True)
    admin.collect()
    assert "อนุมัติร้าน “ร้านป้าศรีผ้าไหม” แล้ว" in admin.taps("อนุมัติ").text
    assert "ได้รับการอนุมัติแล้ว" in somsri.collect().text
    assert _vendor(rt, somsri).status == "approved"
    assert "ดำเนินการไปแล้ว" in admin.taps("อนุมัติ").text  # the old notice: no double decision


def test_staff_reject_asks_a_reason_the_vendor_sees_and_they_may_apply_again(chat, rt, admin):
    somsri = chat("สมศรี")
    pending_shop(somsri, rt, tell_reviewers=True)
    admin.collect()
    reply = admin.taps("ไม่อนุมัติ")
    assert "เหตุผล" in reply.text and "ข้อมูลติดต่อไม่ครบ" in reply.quick_replies()
    assert "3–200" in admin.says("no").text  # too short: asked again
    assert "ไม่อนุมัติร้าน" in admin.taps("ข้อมูลติดต่อไม่ครบ").text
    told = somsri.collect()
    assert "ไม่ผ่านการอนุมัติ" in told.text and "ข้อมูลติดต่อไม่ครบ" in told.text
    assert _vendor(rt, somsri).status == "rejected"
    register_shop(somsri, shop="ร้านป้าศรี (ใหม่)")
    assert _vendor(rt, somsri).status == "pending" and _vendor(rt, somsri).shop_name == "ร้านป้าศรี (ใหม่)"


def test_a_citizen_cannot_approve_a_shop_with_forged_button_data(chat, rt):
    somsri = chat("สมศรี")
    pending_shop(somsri, rt)
    mallory = chat("มัลลอรี")
    vendor_id = _vendor(rt, somsri).id
    reply = mallory.postback(VendorDecision(vendor_id, True).pack())
    assert "สำหรับเจ้าหน้าที่เท่านั้น" in reply.text
    reply = mallory.postback(VendorDecision(vendor_id, False).pack())
    assert "สำหรับเจ้าหน้าที่เท่านั้น" in reply.text and _flow(rt, mallory) is None
    assert _vendor(rt, somsri).status == "pending"


def test_the_service_refuses_a_non_staff_reviewer(chat, rt):
    somsri = chat("สมศรี")
    pending_shop(somsri, rt)
    with pytest.raises(DomainError) as caught, rt.db.transaction() as session:
        vendors.approve(session, _vendor(rt, somsri).id, "U" + "f" * 32, rt.clock())
    assert caught.value.code == "staff_only"


def test_registration_without_the_opt_in_is_refused_by_the_service(rt):
    application = vendors.Application("ร้านใหม่", "นาย ทดสอบ", "0812345678", "phon", "1 หมู่ 1 ต.พล", ["pickup"])
    with pytest.raises(DomainError) as caught, rt.db.transaction() as session:
        vendors.register(session, "U" + "e" * 32, application, rt.clock())
    assert caught.value.code == "no_consent"


@pytest.mark.parametrize("value,ok", [
    ("1101700230708", True), ("1-1017-00230-70-8", True), ("1101700230709", False), ("0812345678", True),
    ("0212345678", False), ("+66812345678", True), ("081234567", False),
])
def test_promptpay_rule(value, ok):
    if ok:
        assert vendors.clean_promptpay(value)
    else:
        with pytest.raises(DomainError):
            vendors.clean_promptpay(value)
