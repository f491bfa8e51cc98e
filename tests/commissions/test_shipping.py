"""Carriers: tracking numbers checked where the format is known, links where the address format is known."""

from __future__ import annotations

import pytest

from services import shipping
from services.errors import DomainError
from texts import market as market_texts


def test_carrier_keys_match_the_shops_delivery_options() -> None:
    assert set(shipping.CARRIERS) <= set(market_texts.DELIVERY_OPTIONS)
    assert set(shipping.CARRIERS) == {"thailand_post", "kerry", "flash", "jt"}


def test_s10_check_digit_matches_the_upu_example() -> None:
    # RR 47312482 9 GB is the worked example of the UPU S10 standard.
    assert shipping.s10_check_digit("47312482") == 9
    assert shipping.s10_check_digit("12345678") == 5


@pytest.mark.parametrize(("typed", "clean"), [
    ("EF582568151TH", "EF582568151TH"),
    ("ef 5825 6815 1 th", "EF582568151TH"),
    ("EF123456785TH", "EF123456785TH"),
])
def test_thailand_post_accepts_s10_numbers(typed: str, clean: str) -> None:
    assert shipping.clean_tracking("thailand_post", typed) == clean


@pytest.mark.parametrize("typed", ["EF12345678TH", "1234567890123", "EF582568151US", "", None])
def test_thailand_post_refuses_bad_numbers_with_an_example(typed: str | None) -> None:
    with pytest.raises(DomainError) as error:
        shipping.clean_tracking("thailand_post", typed)
    assert "ไปรษณีย์ไทย" in error.value.message and "EF582568151TH" in error.value.message


def test_a_wrong_s10_check_digit_is_a_likely_typo_the_vendor_may_confirm() -> None:
    with pytest.raises(DomainError) as error:
        shipping.clean_tracking("thailand_post", "EF123456789TH")
    assert error.value.code == "check_digit" and "อาจพิมพ์ผิด" in error.value.message
    assert shipping.clean_tracking("thailand_post", "EF123456789TH", check_digit_confirmed=True) == "EF123456789TH"
    with pytest.raises(DomainError):  # confirming never lets a wrong shape through
        shipping.clean_tracking("thailand_post", "EF12345678TH", check_digit_confirmed=True)


@pytest.mark.parametrize("carrier", ["kerry", "flash", "jt"])
def test_other_carriers_take_8_to_20_letters_and_digits(carrier: str) -> None:
    assert shipping.clean_tracking(carrier, "th-0123 4567 89a") == "TH0123456789A"
    for bad in ("1234567", "A" * 21, "เลขพัสดุ", "TH01234/5678"):
        with pytest.raises(DomainError):
            shipping.clean_tracking(carrier, bad)


def test_unknown_carrier_is_refused_in_thai() -> None:
    with pytest.raises(DomainError) as error:
        shipping.clean_tracking("dhl", "1234567890")
    assert error.value.code == "bad_carrier"


def test_tracking_urls_only_where_the_address_format_is_known() -> None:
    assert shipping.tracking_url("thailand_post", "EF582568151TH") == (
        "https://track.thailandpost.co.th/?trackNumber=EF582568151TH")
    assert shipping.tracking_url("flash", "TH0123456789A") == "https://www.flashexpress.co.th/tracking/?se=TH0123456789A"
    assert shipping.tracking_url("kerry", "KEX1234567890") is None
    assert shipping.tracking_url("jt", "820012345678") is None
    assert shipping.tracking_url("pickup", "X") is None
    assert shipping.carrier_page("jt").startswith("https://www.jtexpress.co.th/")
    assert shipping.carrier_name("thailand_post") == "ไปรษณีย์ไทย"
    assert shipping.carrier_name("kerry") == "Kerry Express"
