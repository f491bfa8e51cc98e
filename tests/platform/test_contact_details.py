"""The one home of name and phone rules (services/contact_details.py), and the callers' choice of landline or not."""

from __future__ import annotations

import pytest

from services import contact_details, profile, vendors
from services.contact_details import clean_person_name, clean_phone, format_phone
from services.errors import DomainError
from texts import contact as contact_texts


@pytest.mark.parametrize("typed,stored", [
    ("0812345678", "0812345678"),
    ("081-234-5678", "0812345678"),
    ("081 234 5678", "0812345678"),
    ("081.234.5678", "0812345678"),
    ("+66 81 234 5678", "0812345678"),
    ("+66812345678", "0812345678"),
    ("+66 081 234 5678", "0812345678"),  # the 0 kept out of habit after the country code
    ("66812345678", "0812345678"),
    ("๐๘๑-๒๓๔-๕๖๗๘", "0812345678"),  # Thai numerals
    ("061–234–5678", "0612345678"),  # a typographic dash
    ("(091) 234 5678", "0912345678"),
    ("  095-555-0000 ", "0955550000"),
])
def test_mobile_numbers_people_type_are_stored_as_ten_digits(typed, stored):
    assert clean_phone(typed, allow_landline=False) == stored
    assert clean_phone(typed, allow_landline=True) == stored


@pytest.mark.parametrize("typed,stored", [
    ("043-123-456", "043123456"),  # Khon Kaen
    ("(043) 123456", "043123456"),
    ("02-123-4567", "021234567"),  # Bangkok
    ("+66 43 123 456", "043123456"),
    ("053 123 456", "053123456"),
    ("074-123-456", "074123456"),
])
def test_landlines_are_accepted_only_where_the_caller_allows_them(typed, stored):
    assert clean_phone(typed, allow_landline=True) == stored
    with pytest.raises(DomainError) as refused:
        clean_phone(typed, allow_landline=False)
    assert refused.value.message == contact_texts.LANDLINE_NOT_HERE and "081-234-5678" in refused.value.message


@pytest.mark.parametrize("typed,message", [
    # a mobile number with a digit missing is not a landline
    ("081-234-567", contact_texts.MOBILE_LENGTH.format(count=9)),
    ("๐๘๑๒๓๔๕๖๗", contact_texts.MOBILE_LENGTH.format(count=9)),
    ("08123456789", contact_texts.MOBILE_LENGTH.format(count=11)),
    ("061234567", contact_texts.MOBILE_LENGTH.format(count=9)),  # no 06 landlines exist: a short mobile number
    ("0712345678", None),  # a landline prefix with ten digits
    ("0212345678", None),
    ("0112345678", None),  # 01 is no Thai prefix
    ("1812345678", None),
    ("12345", None),
    ("0812", None),
    ("", None),
    ("abc", None),
    ("081-234-567x", None),
    ("+1 415 555 0100", None),
    ("081/2345678", None),
])
def test_wrong_numbers_are_refused_politely_with_a_valid_example(typed, message):
    for allow_landline in (False, True):
        with pytest.raises(DomainError) as refused:
            clean_phone(typed, allow_landline=allow_landline)
        error = refused.value
        assert error.code == "bad_phone"
        assert "ค่ะ" in error.message and "081-234-5678" in error.message
        if message:
            assert error.message == message
        else:
            assert error.message == (contact_texts.PHONE_BAD if allow_landline else contact_texts.MOBILE_BAD)
    assert "043-123-456" in contact_texts.PHONE_BAD  # where a landline is welcome, the example shows one


def test_none_is_refused_not_crashed_on():
    with pytest.raises(DomainError):
        clean_phone(None, allow_landline=True)
    with pytest.raises(DomainError):
        clean_person_name(None)


@pytest.mark.parametrize("typed,stored", [
    ("สมศรี ใจดี", "สมศรี ใจดี"),
    ("  สมศรี   ใจดี ", "สมศรี ใจดี"),
    ("น.ส.สมศรี ใจดี", "น.ส.สมศรี ใจดี"),
    ("ศรีสุดา ณ อยุธยา", "ศรีสุดา ณ อยุธยา"),
    ("Jean-Paul O'Neil", "Jean-Paul O'Neil"),
    ("สมศรี (ป้าศรี)", "สมศรี (ป้าศรี)"),
    ("แม่ๆ", "แม่ๆ"),
    ("กิ่ง", "กิ่ง"),  # one Thai word: vowels and tone marks are not letters, but there are enough letters
])
def test_names_are_trimmed_to_single_spaces(typed, stored):
    assert clean_person_name(typed) == stored


@pytest.mark.parametrize("typed", [
    "ส", "12345", "สมศรี 1", "สมศรี ๑", "0812345678", "😀😀", "สมศรี 😀", "สมศรี@ใจดี", "https://x.example",
    "ก" * 101, "...", "  ",
])
def test_names_with_digits_symbols_or_a_wrong_length_are_refused(typed):
    with pytest.raises(DomainError) as refused:
        clean_person_name(typed)
    assert refused.value.code == "bad_name" and "เช่น สมศรี ใจดี" in refused.value.message


def test_numbers_are_shown_grouped():
    assert format_phone("0812345678") == "081-234-5678"
    assert format_phone("021234567") == "02-123-4567"
    assert format_phone("043123456") == "043-123-456"


def test_each_caller_decides_about_landlines():
    # A shop's phone: buyers may call the shop's landline.
    assert vendors.clean_shop_phone("043-123-456") == "043123456"
    # A trainee's contact number: a mobile only (staff reach people on the day, on the way).
    with pytest.raises(DomainError):
        profile.clean_contact_phone("043-123-456")
    assert profile.clean_contact_phone("+66 81 234 5678") == "0812345678"
    # PromptPay is tied to a mobile number (or a national ID), never a landline or a short number.
    with pytest.raises(DomainError):
        vendors.clean_promptpay("043123456")
    with pytest.raises(DomainError):
        vendors.clean_promptpay("081-234-567")
    assert vendors.clean_promptpay("+66 81 234 5678") == "0812345678"


def test_the_old_nine_digit_mobile_loophole_is_closed_everywhere():
    for clean in (vendors.clean_shop_phone, profile.clean_contact_phone,
                  lambda v: contact_details.clean_phone(v, allow_landline=True)):
        with pytest.raises(DomainError):
            clean("081-234-567")
