"""People's names and Thai phone numbers: the one home of these input rules for the whole product.

Trainings, the market (vendor registration, PromptPay) and anything else that asks for a name or a phone number
call `clean_person_name` and `clean_phone`, so a number accepted in one place is accepted everywhere and stored
the same way (digits only, national format: '0812345678').

Thai numbering: a mobile number is 10 digits starting 06, 08 or 09; a landline is 9 digits starting with a
two-digit area prefix (02 Bangkok, 03x, 04x (Khon Kaen 043), 05x, 07x). The brief that introduced this module said
"02–07"; 06 is left out on purpose: there are no 06 landlines, so a 9-digit 06… number is always a mobile number
with a digit missing, which is exactly the mistake ("081-234-567") these rules exist to catch.
"""

from __future__ import annotations

import re
import unicodedata

from services.errors import DomainError
from texts import contact as contact_texts

NAME_MIN = 2
NAME_MAX = 100  # Citizen.full_name and Vendor.owner_name hold 120
MOBILE_PREFIXES = ("06", "08", "09")
LANDLINE_PREFIXES = ("02", "03", "04", "05", "07")

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
# What people put between digits: spaces, dashes (ASCII and typographic), dots and brackets around an area code.
_PHONE_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015.()]")
# Besides letters and the marks Thai vowels and tones are made of: initials and titles ("น.ส.", "ดร."), double-barrelled
# and foreign names ("Jean-Paul", "O'Neil"), and a nickname in brackets.
_NAME_PUNCTUATION = set(" .-'()")


def thai_digits_to_arabic(value: str) -> str:
    """'๐๘๑' -> '081': older users often type Thai numerals."""
    return value.translate(_THAI_DIGITS)


def clean_person_name(value: str | None) -> str:
    """A person's name, trimmed to single spaces; raises DomainError unless it is 2-100 characters of letters."""
    name = " ".join(unicodedata.normalize("NFC", value or "").split())
    letters = sum(1 for ch in name if unicodedata.category(ch).startswith("L"))
    allowed = all(unicodedata.category(ch)[0] in "LM" or ch in _NAME_PUNCTUATION for ch in name)
    if not NAME_MIN <= len(name) <= NAME_MAX or not allowed or letters < NAME_MIN:
        raise DomainError(contact_texts.NAME_BAD.format(min=NAME_MIN, max=NAME_MAX), code="bad_name")
    return name


def phone_digits(value: str | None) -> str:
    """What was typed, reduced to the national format's characters: '+66 81-234 5678' -> '0812345678'.

    Not a check: the result may still be no phone number at all (see `clean_phone`)."""
    digits = _PHONE_SEPARATORS.sub("", thai_digits_to_arabic(value or ""))
    if digits.startswith("+66"):
        rest = digits[3:]
        digits = "0" + (rest[1:] if rest.startswith("0") else rest)  # '+66 081…': the 0 kept by habit
    elif digits.startswith("66") and len(digits) in (10, 11) and digits[2:3] != "0":
        digits = "0" + digits[2:]  # '66812345678': the country code without the plus
    return digits


def is_mobile(digits: str) -> bool:
    return len(digits) == 10 and digits.isdigit() and digits[:2] in MOBILE_PREFIXES


def is_landline(digits: str) -> bool:
    return len(digits) == 9 and digits.isdigit() and digits[:2] in LANDLINE_PREFIXES


def clean_phone(value: str | None, *, allow_landline: bool) -> str:
    """A Thai phone number as digits ('0812345678', '043123456'), or a DomainError whose Thai message shows a valid
    example. Landlines only where the caller allows them (a shop's phone, not a person's contact number)."""
    digits = phone_digits(value)
    if is_mobile(digits):
        return digits
    if is_landline(digits):
        if allow_landline:
            return digits
        raise DomainError(contact_texts.LANDLINE_NOT_HERE, code="landline_not_allowed")
    if digits.isdigit() and digits[:2] in MOBILE_PREFIXES and 7 <= len(digits) <= 13:
        # '081-234-567': a mobile number with a digit missing (or one too many); say so rather than "invalid".
        raise DomainError(contact_texts.MOBILE_LENGTH.format(count=len(digits)), code="bad_phone")
    raise DomainError(contact_texts.PHONE_BAD if allow_landline else contact_texts.MOBILE_BAD, code="bad_phone")


def format_phone(digits: str) -> str:
    """'0812345678' -> '081-234-5678', '021234567' -> '02-123-4567', '043123456' -> '043-123-456'."""
    if len(digits) == 10:
        return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"
    if len(digits) == 9 and digits.startswith("02"):
        return f"{digits[:2]}-{digits[2:5]}-{digits[5:]}"
    if len(digits) == 9:
        return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"
    return digits
