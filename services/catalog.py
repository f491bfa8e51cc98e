"""The certified catalog: which products buyers see, browsing by category, Thai substring search.

Listed = certified now (a valid certificate), in stock, not hidden or deleted, the vendor approved and still
opted in to the market programme. Search matches each word inside `search_text` (name, description and shop
name, folded by services/thai_text.py and kept on the product by services/products.py; the words typed are folded
the same way, so spaces and Thai mark-order variants do not matter). What a person typed is read first
(`read_query`): leading words such as "อยากได้", question endings and polite particles are not searched for, and in
chat `chat_query` decides whether the text is a search at all. A page
is two queries: the ids of every listed product in catalog order (answered from one covering index, the
certification summary being denormalised onto products; approved shops are a small IN list), which gives the
total and the page's slice at any depth; then the page's 10 rows with their shops. bench/catalog.py measures it.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import BindParameter, ColumnElement, Select, String, and_, bindparam, func, select
from sqlalchemy.orm import Session, joinedload, object_session

from models.market import Product, Vendor
from services import consent, thai_text
from services.errors import NotFound
from texts import market as market_texts

PAGE_SIZE = 10
QUERY_MAX = 60
MAX_TERMS = 5


PAGE_MAX = 10_000  # deeper pages are answered as the last one asked for would be: empty


@dataclass(frozen=True)
class CatalogPage:
    products: list[Product]
    total: int
    page: int  # 0-based
    size: int = PAGE_SIZE

    @property
    def remaining(self) -> int:
        return max(0, self.total - (self.page + 1) * self.size)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))


def listed_condition(now: datetime) -> ColumnElement[bool]:
    """What makes a product visible to buyers (the vendors table must be joined)."""
    return and_(
        Product.cert_status == "certified", Product.certified_until > now, Product.stock > 0,
        Product.hidden.is_(False), Product.deleted_at.is_(None),
        Vendor.status == "approved", Vendor.erased_at.is_(None),
        Vendor.line_user_id.in_(consent.opted_in_ids(consent.MARKET_VENDOR)),
    )


def is_listed(product: Product, now: datetime) -> bool:
    """The same rule for one loaded product (a shop whose owner withdrew the market opt-in is not shown)."""
    vendor = product.vendor
    if not (product.cert_status == "certified" and product.certified_until is not None
            and product.certified_until > now and product.stock > 0 and not product.hidden
            and product.deleted_at is None and vendor.status == "approved" and vendor.erased_at is None
            and vendor.line_user_id):
        return False
    session = object_session(product)
    return session is None or consent.has_opt_in(session, vendor.line_user_id, consent.MARKET_VENDOR)


def _approved_vendor_ids() -> Select:
    # Withdrawing the market opt-in (PDPA) takes the shop off the catalog at once.
    return select(Vendor.id).where(Vendor.status == "approved", Vendor.erased_at.is_(None),
                                   Vendor.line_user_id.in_(consent.opted_in_ids(consent.MARKET_VENDOR)))


def _listed_ids(now: datetime | BindParameter) -> Select:
    """Ids of listed products, newest first; filters on products only so the covering index answers it."""
    return select(Product.id).where(
        Product.cert_status == "certified", Product.certified_until > now, Product.stock > 0,
        Product.hidden.is_(False), Product.deleted_at.is_(None), Product.vendor_id.in_(_approved_vendor_ids()),
    ).order_by(Product.id.desc())


def search_terms(text: str) -> list[str]:
    """Folded words of a search ("ผ้าไหม มัดหมี่" -> both must match); LIKE wildcards are taken literally.

    A space the person typed separates words that must each match somewhere, while the stored text has no spaces
    between Thai words: so "ผ้า ไหม", "ผ้าไหม" and a product spelt "ผ้า ไหม" all find each other."""
    words = [thai_text.fold(w) for w in thai_text.tidy(text)[:QUERY_MAX].split(" ")]
    return [w for w in words if w][:MAX_TERMS]


def _escape(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _page(session: Session, ids_stmt: Select, page: int, size: int = PAGE_SIZE) -> CatalogPage:
    page = max(0, min(page, PAGE_MAX))
    # Both walk the covering index in the database (in id order, so the page needs no sort); only the page's
    # 10 ids and one number come back to Python, at any depth.
    wanted = list(session.scalars(ids_stmt.offset(page * size).limit(size)))
    total = session.scalar(select(func.count()).select_from(ids_stmt.order_by(None).subquery())) or 0
    return CatalogPage(_rows(session, wanted), total, page, size)


def _rows(session: Session, ids: list[int]) -> list[Product]:
    """The products of `ids` with their shops, in the order of `ids`."""
    if not ids:
        return []
    rows = {p.id: p for p in session.scalars(select(Product).options(joinedload(Product.vendor))
                                             .where(Product.id.in_(ids)))}
    return [rows[i] for i in ids if i in rows]


def browse(session: Session, now: datetime, category: str | None = None, page: int = 0,
           size: int = PAGE_SIZE) -> CatalogPage:
    """One page of listed products, newest first, optionally of one category."""
    stmt = _listed_ids(now)
    if category:
        stmt = stmt.where(Product.category == category)
    return _page(session, stmt, page, size)


def search(session: Session, now: datetime, text: str, page: int = 0, *, category: str | None = None,
           size: int = PAGE_SIZE) -> CatalogPage:
    """Listed products whose name, description or shop name contain every word of `text` (Thai substrings,
    compared folded), optionally of one category."""
    terms = search_terms(text)
    page = max(0, min(page, PAGE_MAX))
    if not terms:
        return CatalogPage([], 0, page, size)
    params: dict[str, object] = {"listed_now": now}
    params.update({f"term_{i}": f"%{_escape(term)}%" for i, term in enumerate(terms)})
    if category:
        params["category"] = category
    # Text matching reads every row once anyway: take all matching ids in that one pass (total = their number).
    ids = list(session.scalars(_search_statement(len(terms), bool(category)), params))
    wanted = ids[page * size:(page + 1) * size]
    return CatalogPage(_rows(session, wanted), len(ids), page, size)


@functools.cache
def _search_statement(term_count: int, by_category: bool = False) -> Select:
    """The search for `term_count` words, built once: unknown text in chat reaches this search on every message,
    and building the statement cost more than running it (docs/BENCHMARKS.md, end-to-end)."""
    listed_now = bindparam("listed_now", type_=Product.certified_until.type)
    terms = [Product.search_text.like(bindparam(f"term_{i}", type_=String()), escape="\\")
             for i in range(term_count)]
    stmt = _listed_ids(listed_now).where(*terms)
    if by_category:
        stmt = stmt.where(Product.category == bindparam("category", type_=String()))
    return stmt


# ---- reading what people type --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Query:
    """What to search for in a person's text.

    `words` lacks the words around the product ("อยากได้น้ำผึ้งค่ะ" -> "น้ำผึ้ง"); cutting a leading word off the
    front leaves a substring of the text, so it finds at least what the text would, even when the "leading word"
    was the start of a product ("มีดทำครัว" -> "ดทำครัว" still finds มีดทำครัว). `whole` is the text with only
    polite particles and punctuation trimmed, searched when `words` finds nothing. `shown` is what is said back
    ("ไม่พบสินค้า “…”"): `words` where each cut fell between syllables, else more of the person's own text."""

    words: str
    whole: str
    shown: str
    framed: bool  # a shopping word led the text ("หา…", "ซื้อ…", "มี…ไหม")


@dataclass(frozen=True)
class Found:
    query: str  # the words that were searched for, as shown back to the person
    page: CatalogPage
    text: str  # what to search again for the next page (read again, it finds the same)


_ADDRESS_OR_PHONE = re.compile(r"\d+\s*/\s*\d+|\d[\d\s-]{7,}\d")  # 99/1, 081-234-5678, 0812345678
_LINK = re.compile(r"https?://|www\.|line\.me/|\.(com|net|org|th)\b", re.IGNORECASE)
_BREAKS_SYLLABLE = "\u0e30\u0e32\u0e33\u0e45\u0e46"  # a word never starts with ะ า ำ ๅ ๆ
_THAI_CONSONANTS = "\u0e01-\u0e2e"
# After a cut, the rest plainly starts a syllable: a vowel written first (เ แ โ ใ ไ), or a consonant followed by
# a mark, a vowel, or the second letter of a cluster (กร, ปล, ขว, หม, อย…). Otherwise the consonant may well have
# closed the cut word's syllable ("ขอ|นแก่น", "มี|ดทำครัว", "ขอ|งขวัญ").
_SYLLABLE_START = re.compile(
    f"[\u0e40-\u0e44]|[{_THAI_CONSONANTS}][\u0e30-\u0e3a\u0e47-\u0e4e\u0e23\u0e25\u0e27]"
    f"|\u0e2b[\u0e07\u0e0d\u0e19\u0e21\u0e22]|\u0e2d\u0e22|[^\u0e00-\u0e7f]")


@functools.cache
def _by_length(words: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted(words, key=len, reverse=True))


@functools.cache
def _folded(words: tuple[str, ...]) -> tuple[str, ...]:
    """The catalogue's words folded once (chat_query runs on every free-text message)."""
    return tuple(thai_text.fold(word) for word in words)


def _is_word_char(char: str) -> bool:
    return unicodedata.category(char)[0] in "LNM"


def _trim(text: str) -> str:
    """Drops spaces, punctuation and emoji at both ends ("น้ำผึ้ง?? 🙏" -> "น้ำผึ้ง")."""
    start, end = 0, len(text)
    while start < end and not _is_word_char(text[start]):
        start += 1
    while end > start and not _is_word_char(text[end - 1]):
        end -= 1
    return text[start:end]


def _cuttable(rest: str) -> bool:
    """Whether what is left after a leading word can start a word (cutting "มี" off "มีด" would leave "ด")."""
    return len(rest) >= 2 and not unicodedata.category(rest[0]).startswith("M") and rest[0] not in _BREAKS_SYLLABLE


def _drop_particles(text: str) -> str:
    particles = _by_length(market_texts.SEARCH_PARTICLES)
    changed = True
    while changed:
        changed = False
        text = _trim(text)
        for particle in particles:
            if text.endswith(particle):
                text, changed = text[:-len(particle)], True
                break
    return text


def _read(text: str) -> Query:
    whole = _drop_particles(thai_text.tidy(text))
    words, framed, clear, asked = whole, False, True, False
    leading, endings = _by_length(market_texts.SEARCH_LEADING_WORDS), _by_length(market_texts.SEARCH_ENDINGS)
    used: set[str] = set()  # each word once: "มีผ้าไหมไหม" is "ผ้าไหม", not "ผ้า"
    shown = whole
    changed = True
    while changed:
        changed = False
        for word in leading:
            if word in used or not words.startswith(word):
                continue
            rest = words[len(word):]
            if not rest.strip() or _cuttable(rest.lstrip()):
                clear = clear and (rest[:1] == " " or not rest or bool(_SYLLABLE_START.match(rest)))
                words, framed, changed = rest.lstrip(), True, True
                asked = asked or word in market_texts.SEARCH_ASKING_WORDS
                used.add(word)
                break
        for ending in endings:
            if ending in used or not words.endswith(ending):
                continue
            rest = words[:-len(ending)]
            # "ไหม" is also silk: "ซื้อผ้าไหม" buys silk, "มีผ้าไหมไหม" asks for it.
            frame = asked if ending in market_texts.SEARCH_SILK_ENDINGS else framed
            if (frame or rest.endswith(" ")) and _cuttable(rest.strip()):
                words, changed = rest, True
                used.add(ending)
                break
        words = _drop_particles(words)
        if clear:
            shown = words
    return Query(words=words, whole=whole, shown=shown if len(shown) >= 2 else whole, framed=framed)


def read_query(text: str) -> Query | None:
    """The product words in a search box's or a chat message's text (see Query), or None when no word is left.

    Leading words ("หา", "ซื้อ", "อยากได้", "ขอ", "มี", … texts/market.py SEARCH_LEADING_WORDS) are dropped, then
    question endings ("…ไหม", "…บ้าง") when a leading word came first or a space stands before them (so "ผ้าไหม"
    keeps its "ไหม"), and polite particles ("ครับ", "ค่ะ", "นะคะ") always."""
    query = _read(text[:QUERY_MAX * 4])
    # Under two characters: a single letter, or only shopping words were typed ("หา", "อยากได้ค่ะ").
    return query if len(query.words) >= 2 else None


def chat_query(text: str | None) -> Query | None:
    """Whether free text in chat is a product search, and what to search for; None means "no search at all", and
    the help answer is given instead. The rule, in order:

    1. Not text, or nothing left after tidying (spaces, zero-width characters): no search.
    2. Longer than QUERY_MAX (60) characters: a sentence or a pasted message, not a product name.
    3. A link (http…, www…, line.me/…, ….com): no search.
    4. No letter at all: numbers only ("555", a phone number), emoji only ("🙏👍"), punctuation only ("???");
       or an address or phone number among the words ("บ้านเลขที่ 99/1", "โทร 081-234-5678"), which is also
       personal data that is better not quoted back.
    5. Greetings and thanks at the start ("สวัสดีค่ะ", "ขอบคุณมากครับ", "hello"), or a whole message of small talk
       ("โอเค", "ได้ค่ะ", "ok", "ครับ") once polite particles are dropped: no search (texts/market.py SEARCH_*).
    6. A question for a person ("ทำไม…", "…ยังไง", "…ได้ไหม", "ใคร…") unless a shopping word leads it
       ("ซื้อน้ำผึ้งได้ที่ไหน" searches "น้ำผึ้ง"); or only a question word is left ("มีอะไรขายบ้าง").
    7. Words for people or the bot's other services anywhere ("ขอคุยกับนายก", "ติดต่อเจ้าหน้าที่", "สมัครอบรม",
       "ข่าวโครงการ"): the help answer lists where to go.
    8. Fewer than two characters left once leading words, endings and particles are dropped ("หา", "ก").

    Everything else is a search: a product the catalog lacks is answered "ไม่พบสินค้า “…”" with the categories,
    never "I don't understand"."""
    if text is None:
        return None
    tidied = thai_text.tidy(text)
    if not tidied or len(tidied) > QUERY_MAX or _LINK.search(tidied):
        return None
    if not any(unicodedata.category(c).startswith("L") for c in tidied) or _ADDRESS_OR_PHONE.search(tidied):
        return None
    core = thai_text.fold(_drop_particles(tidied))
    if (not core or core.startswith(_folded(market_texts.SEARCH_GREETINGS))
            or core in _folded(market_texts.SEARCH_SMALL_TALK)):
        return None
    query, folded, questions = _read(tidied), thai_text.fold(tidied), _folded(market_texts.SEARCH_QUESTION_WORDS)
    if thai_text.fold(query.words) in questions or (not query.framed and any(q in folded for q in questions)):
        return None
    if any(word in folded for word in _folded(market_texts.SEARCH_NOT_PRODUCT_WORDS)):
        return None
    return query if len(query.words) >= 2 else None


def find(session: Session, now: datetime, query: Query, page: int = 0, *, category: str | None = None,
         size: int = PAGE_SIZE) -> Found:
    """Searches `query.words`, and when that finds nothing, `query.whole`; the page of whichever found products."""
    result = search(session, now, query.words, page, category=category, size=size)
    if result.total or query.whole == query.words:
        return Found(query.shown, result, query.whole)
    second = search(session, now, query.whole, page, category=category, size=size)
    return Found(query.whole, second, query.whole) if second.total else Found(query.shown, result, query.whole)


def listed_product(session: Session, product_id: int, now: datetime) -> Product:
    """A product buyers may see now, or NotFound with the Thai 'no longer available' answer."""
    product = session.get(Product, product_id)
    if product is None or not is_listed(product, now):
        raise NotFound(market_texts.PRODUCT_UNAVAILABLE, code="product_unavailable")
    return product


def category_counts(session: Session, now: datetime) -> dict[str, int]:
    """How many listed products each category has (categories with none are left out)."""
    ids = _listed_ids(now).order_by(None).subquery()
    rows = session.execute(select(Product.category, func.count()).where(Product.id.in_(select(ids.c.id)))
                           .group_by(Product.category))
    return {category: count for category, count in rows}
