"""PromptPay payloads match the public test vectors of the promptpay-qr library (github.com/dtinth/promptpay-qr,
index.test.js), and PromptPay IDs are checked before anyone is asked to pay into them."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from services import promptpay, qr
from services.errors import DomainError

# (id as typed, amount in satang or None, the library's expected payload)
LIBRARY_VECTORS = [
    ("0801234567", None, "00020101021129370016A000000677010111011300668012345675802TH530376463046197"),
    ("080-123-4567", None, "00020101021129370016A000000677010111011300668012345675802TH530376463046197"),
    ("+66-89-123-4567", None, "00020101021129370016A000000677010111011300668912345675802TH5303764630429C1"),
    ("1111111111111", None, "00020101021129370016A000000677010111021311111111111115802TH530376463047B5A"),
    ("1-1111-11111-11-1", None, "00020101021129370016A000000677010111021311111111111115802TH530376463047B5A"),
    ("0123456789012", None, "00020101021129370016A000000677010111021301234567890125802TH530376463040CBD"),
    ("012345678901234", None, "00020101021129390016A00000067701011103150123456789012345802TH530376463049781"),
    ("000-000-0000", 422, "00020101021229370016A000000677010111011300660000000005802TH530376454044.226304E469"),
]


@pytest.mark.parametrize(("promptpay_id", "amount", "expected"), LIBRARY_VECTORS)
def test_payload_matches_promptpay_qr_library(promptpay_id: str, amount: int | None, expected: str) -> None:
    assert promptpay.payload(promptpay_id, amount) == expected


def test_crc_is_ccitt_false() -> None:
    # The standard check value of CRC-16/CCITT-FALSE.
    assert promptpay.crc16_ccitt(b"123456789") == 0x29B1


def test_amount_has_two_decimals_and_makes_the_code_dynamic() -> None:
    text = promptpay.payload("0812345678", 150_000)
    assert text.startswith("000201010212")
    assert "54071500.00" in text
    assert "5406" not in promptpay.payload("0812345678", None)
    assert promptpay.payload("0812345678", 5).split("5303764")[1].startswith("54040.05")


def test_ending_checksum_covers_the_rest() -> None:
    text = promptpay.payload("0812345678", 12_345)
    assert text[-8:-4] == "6304"
    assert text[-4:] == f"{promptpay.crc16_ccitt(text[:-4].encode()):04X}"


def test_qr_png_is_a_square_png() -> None:
    data = qr.qr_png(promptpay.payload("0812345678", 10_000), box=4)
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    assert image.width == image.height > 100


@pytest.mark.parametrize(("typed", "clean"), [
    ("081-234-5678", "0812345678"),
    ("๐๘๑๒๓๔๕๖๗๘", "0812345678"),
    ("1-1017-00203-45-0", "1101700203450"),
    ("012345678901234", "012345678901234"),
])
def test_clean_promptpay_id_accepts_phone_id_and_ewallet(typed: str, clean: str) -> None:
    assert promptpay.clean_promptpay_id(typed) == clean


@pytest.mark.parametrize("typed", ["1111111111112", "043123456", "12345", "พร้อมเพย์", "", None, "0123456789012345"])
def test_clean_promptpay_id_refuses_in_thai(typed: str | None) -> None:
    with pytest.raises(DomainError) as error:
        promptpay.clean_promptpay_id(typed)
    assert "พร้อมเพย์" in error.value.message
