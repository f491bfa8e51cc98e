"""Carriers: one table of names, tracking number formats and tracking page addresses.

What is known for sure is enforced; what is not is said so here, and the UI then shows the number (with a copy
button) next to the carrier's own tracking page instead of a deep link that might break:
- Thailand Post numbers are UPU S10: 2 letters, 8 digits, a check digit, "TH" (e.g. EF582568151TH); the check digit
  (weights 8 6 4 2 3 5 9 7, 11 - sum mod 11, 10 -> 0, 11 -> 5) is part of the S10 standard, so a mistyped digit is
  caught before the buyer is sent a dead link. Its tracking page takes the number in the address.
- Flash Express takes the number in the address (`?se=`). Its numbers look like "TH" followed by letters and digits,
  but no published format was found, so any 8-20 letters and digits are accepted.
- Kerry Express (now KEX) and J&T Express: formats not published (Kerry numbers are seen as 10-15 letters and
  digits, J&T Thailand's mostly as 12 digits) and their tracking pages' address parameters changed with redesigns,
  so numbers are 8-20 letters and digits and `tracking_url` gives None: the UI shows the carrier's page instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

from services.contact_details import thai_digits_to_arabic
from services.errors import DomainError
from texts import commissions as commissions_texts
from texts import market as market_texts


@dataclass(frozen=True)
class Carrier:
    key: str
    name: str  # as shown in chat (the brand as Thai people write it)
    pattern: re.Pattern[str]
    example: str
    page: str  # the carrier's own tracking page
    url_template: str | None  # a deep link with the number, where the format of the address is known


_ALNUM_8_20 = re.compile(r"[A-Z0-9]{8,20}")

CARRIERS: dict[str, Carrier] = {
    "thailand_post": Carrier(
        "thailand_post", market_texts.DELIVERY_OPTIONS["thailand_post"], re.compile(r"[A-Z]{2}\d{9}TH"),
        "EF582568151TH", "https://track.thailandpost.co.th/", "https://track.thailandpost.co.th/?trackNumber={n}",
    ),
    "kerry": Carrier(
        "kerry", market_texts.DELIVERY_OPTIONS["kerry"], _ALNUM_8_20, "KEX1234567890",
        "https://th.kex-express.com/th/track/", None,
    ),
    "flash": Carrier(
        "flash", market_texts.DELIVERY_OPTIONS["flash"], _ALNUM_8_20, "TH0123456789A",
        "https://www.flashexpress.co.th/tracking/", "https://www.flashexpress.co.th/tracking/?se={n}",
    ),
    "jt": Carrier(
        "jt", market_texts.DELIVERY_OPTIONS["jt"], _ALNUM_8_20, "820012345678",
        "https://www.jtexpress.co.th/service/track", None,
    ),
}

_S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)
_SEPARATORS = re.compile(r"[\s\-.]")


def s10_check_digit(serial: str) -> int:
    """The UPU S10 check digit of an 8-digit serial number."""
    remainder = 11 - sum(int(d) * w for d, w in zip(serial, _S10_WEIGHTS, strict=True)) % 11
    return {10: 0, 11: 5}.get(remainder, remainder)


def _carrier(carrier: str | None) -> Carrier:
    try:
        return CARRIERS[carrier or ""]
    except KeyError:
        raise DomainError(commissions_texts.CARRIER_UNKNOWN, code="bad_carrier") from None


def clean_tracking(carrier: str, value: str | None, *, check_digit_confirmed: bool = False) -> str:
    """A tracking number for the carrier, upper-cased without spaces or dashes, or a Thai DomainError showing an
    example of the right shape.

    A Thailand Post number of the right shape whose S10 check digit does not match raises code "check_digit":
    most likely a typo, but a vendor holding the receipt knows better, so the caller may ask once and accept it with
    `check_digit_confirmed` (a made-up number of the right shape should not strand a parcel's tracking)."""
    known = _carrier(carrier)
    number = _SEPARATORS.sub("", thai_digits_to_arabic(value or "")).upper()
    if not known.pattern.fullmatch(number):
        raise DomainError(
            commissions_texts.TRACKING_BAD.format(carrier=known.name, example=known.example), code="bad_tracking"
        )
    if known.key == "thailand_post" and not check_digit_confirmed and s10_check_digit(number[2:10]) != int(number[10]):
        raise DomainError(commissions_texts.TRACKING_CHECK_DIGIT.format(number=number), code="check_digit")
    return number


def tracking_url(carrier: str, number: str) -> str | None:
    """A link that opens the carrier's page on this parcel, or None where the carrier's address format is unsure."""
    known = CARRIERS.get(carrier)
    if known is None or known.url_template is None:
        return None
    return known.url_template.format(n=quote(number, safe=""))


def carrier_page(carrier: str) -> str:
    """The carrier's own tracking page (where the buyer pastes the number)."""
    return _carrier(carrier).page


def carrier_name(carrier: str) -> str:
    """The carrier's name as shown in chat ('ไปรษณีย์ไทย', 'Flash Express')."""
    known = CARRIERS.get(carrier)
    return known.name if known else (carrier or "")
