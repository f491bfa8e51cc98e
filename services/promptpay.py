"""PromptPay QR payloads (EMVCo merchant-presented, Thai QR Payment) and their images.

The payload matches the widely used promptpay-qr library (github.com/dtinth/promptpay-qr) field for field, including
its order (58 country before 53 currency), so any Thai banking app reads it the way it reads that library's codes.
"""

from __future__ import annotations

import re

from services import contact_details
from services.errors import DomainError
from services.vendors import national_id_valid
from texts import commissions as commissions_texts

AID_PROMPTPAY = "A000000677010111"
_PHONE, _TAX_ID, _EWALLET = "01", "02", "03"
_NOT_DIGIT = re.compile(r"[^0-9]")


def _field(tag: str, value: str) -> str:
    return f"{tag}{len(value):02d}{value}"


def crc16_ccitt(data: bytes) -> int:
    """CRC-16/CCITT-FALSE (init 0xFFFF, polynomial 0x1021), the checksum EMVCo QR codes end with."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
            crc &= 0xFFFF
    return crc


def _target(promptpay_id: str) -> tuple[str, str]:
    digits = _NOT_DIGIT.sub("", contact_details.thai_digits_to_arabic(promptpay_id))
    if len(digits) >= 15:
        return _EWALLET, digits
    if len(digits) >= 13:
        return _TAX_ID, digits
    # A phone number: the leading 0 becomes the country code 66, left-padded with zeros to 13 characters
    # ('0801234567' -> '0066801234567'); '+66 89…' arrives as '6689…' and pads the same way.
    national = "66" + digits[1:] if digits.startswith("0") else digits
    return _PHONE, national.rjust(13, "0")


def payload(promptpay_id: str, amount_satang: int | None = None) -> str:
    """The text a PromptPay QR carries: static without an amount, dynamic (the app fills the amount) with one."""
    kind, value = _target(promptpay_id)
    parts = [
        _field("00", "01"),
        _field("01", "12" if amount_satang else "11"),
        _field("29", _field("00", AID_PROMPTPAY) + _field(kind, value)),
        _field("58", "TH"),
        _field("53", "764"),
    ]
    if amount_satang:
        baht, satang = divmod(int(amount_satang), 100)
        parts.append(_field("54", f"{baht}.{satang:02d}"))
    body = "".join(parts) + "6304"
    return body + f"{crc16_ccitt(body.encode('ascii')):04X}"


def clean_promptpay_id(value: str | None) -> str:
    """A PromptPay ID to pay into: a Thai mobile number, a 13-digit national or tax ID with a valid check digit, or
    a 15-digit e-wallet ID; returned as digits, or a Thai DomainError."""
    digits = contact_details.phone_digits(value)
    if contact_details.is_mobile(digits):
        return digits
    plain = _NOT_DIGIT.sub("", contact_details.thai_digits_to_arabic(value or ""))
    if len(plain) == 13 and national_id_valid(plain):
        return plain
    if len(plain) == 15:
        return plain
    raise DomainError(commissions_texts.PROMPTPAY_ID_BAD, code="bad_promptpay")
