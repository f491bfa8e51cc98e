"""Thai text as catalog search compares it: one fold for the stored product text and for what people type.

The same Thai word reaches us spelt in ways that look alike on a phone's screen: a tone mark typed before the vowel
mark above the consonant (ก่ี for กี่), sara am typed as nikhahit + sara aa (นํ้า) or with the tone after it (นำ้),
a mark typed twice, sara e twice instead of sara ae (เเ for แ), zero-width spaces from copy and paste, full-width
Latin letters, Thai digits, and spaces between Thai words that the vendor typed and the buyer did not (or the other
way round). `fold` maps all of them to one form, so a LIKE on the folded text finds the product.

Pure functions; migrations/versions/0012_catalog_search.py folds the stored text with them too.
"""

from __future__ import annotations

import re
import unicodedata

# Invisible characters that copy and paste brings along; they would split a word for LIKE.
_INVISIBLE = dict.fromkeys((0x00AD, 0x034F, 0x180E, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0xFEFF), None)
_WHITESPACE = re.compile(r"\s+")
# Control characters (NUL included, which PostgreSQL refuses), lone surrogates and private-use characters.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff]")

_THAI = "\u0e00-\u0e7f"
_VOWEL_MARKS = "\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e47\u0e4d"  # above or below the consonant
_TONE_MARKS = "\u0e48\u0e49\u0e4a\u0e4b"
_LAST_MARKS = "\u0e4c\u0e4e"  # thanthakhat, yamakkan
# The order Thai spelling writes them in: vowel mark, then tone mark, then thanthakhat.
_MARK_RANK = {**dict.fromkeys(_VOWEL_MARKS, 0), **dict.fromkeys(_TONE_MARKS, 1), **dict.fromkeys(_LAST_MARKS, 2)}
_MARK_RUN = re.compile(f"[{_VOWEL_MARKS}{_TONE_MARKS}{_LAST_MARKS}]{{2,}}")
_NIKHAHIT_AA = re.compile(f"\u0e4d([{_TONE_MARKS}]?)\u0e32")  # ํ(่)า -> (่)ำ
_TONE_AFTER_AM = re.compile(f"\u0e33([{_TONE_MARKS}])")  # ำ่ -> ่ำ
_SPACE_IN_THAI = re.compile(f"(?<=[{_THAI}])\\s+(?=[{_THAI}])")
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")

# A cut just before one of these would break a Thai syllable or an emoji sequence.
_FOLLOWING_VOWELS = "\u0e30\u0e32\u0e33\u0e45\u0e46"  # ะ า ำ ๅ ๆ
_LEADING_VOWELS = "\u0e40\u0e41\u0e42\u0e43\u0e44"  # เ แ โ ใ ไ (written before their consonant)
_JOINERS = "\u200d\ufe0e\ufe0f"


def tidy(text: str) -> str:
    """What a person typed, fit to show back and to read words from: NFC, no invisible or control characters
    (NUL included, which PostgreSQL refuses), one space between words, no space at the ends."""
    text = _UNPRINTABLE.sub(" ", unicodedata.normalize("NFC", text).translate(_INVISIBLE))
    return _WHITESPACE.sub(" ", text).strip()


def _order_marks(match: re.Match[str]) -> str:
    ordered: list[str] = []
    for mark in sorted(match.group(0), key=_MARK_RANK.__getitem__):  # stable: keeps two vowel marks as typed
        if mark not in ordered:  # a mark typed twice counts once
            ordered.append(mark)
    return "".join(ordered)


def fold(text: str) -> str:
    """One form for every spelling of the same words (see the module docstring): what search compares.

    NFKC (full-width Latin and digits become plain; it also splits sara am, which is joined again below), case
    folded, Thai digits as 0-9, no spaces between two Thai characters, marks above and below a consonant in
    spelling order and each once, sara am whole with its tone mark before it, เเ as แ.
    """
    text = unicodedata.normalize("NFKC", tidy(text)).casefold().translate(_THAI_DIGITS)
    text = _SPACE_IN_THAI.sub("", text)
    text = _MARK_RUN.sub(_order_marks, text)
    text = _NIKHAHIT_AA.sub("\\1\u0e33", text)
    text = _TONE_AFTER_AM.sub("\\1\u0e33", text)
    return text.replace("\u0e40\u0e40", "\u0e41")


def searchable(*fields: str) -> str:
    """The stored search text of a product: each field folded, one per line (so no word spans two fields)."""
    return "\n".join(fold(field) for field in fields)


def shorten(text: str, limit: int = 30) -> str:
    """`text` cut to at most `limit` characters plus "…", never inside a Thai syllable's marks or an emoji
    sequence (a cut there would show a broken word back to the person who typed it)."""
    if len(text) <= limit:
        return text
    cut = limit
    while cut > 0 and (unicodedata.category(text[cut]).startswith("M") or text[cut] in _FOLLOWING_VOWELS
                       or text[cut] in _JOINERS or text[cut - 1] in _JOINERS
                       or text[cut - 1] in _LEADING_VOWELS):
        cut -= 1
    return text[:cut].rstrip() + "…"
