"""The certified catalog: which products buyers see, browsing by category, Thai substring search.

Listed = certified now (a valid certificate), in stock, not hidden or deleted, the vendor approved and still
opted in to the market programme. Search matches each word inside `search_text` (name, description and shop
name, kept lowercased on the product by services/products.py). A page
is two queries: the ids of every listed product in catalog order (answered from one covering index, the
certification summary being denormalised onto products; approved shops are a small IN list), which gives the
total and the page's slice at any depth; then the page's 10 rows with their shops. bench/catalog.py measures it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import BindParameter, ColumnElement, Select, String, and_, bindparam, func, select
from sqlalchemy.orm import Session, joinedload, object_session

from models.market import Product, Vendor
from services import consent
from services.errors import NotFound
from texts import market as T

PAGE_SIZE = 10
QUERY_MAX = 60
MAX_TERMS = 5


@dataclass(frozen=True)
class CatalogPage:
    products: list[Product]
    total: int
    page: int  # 0-based

    @property
    def remaining(self) -> int:
        return max(0, self.total - (self.page + 1) * PAGE_SIZE)


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
    """Words of a search ("ผ้าไหม มัดหมี่" -> both must match); LIKE wildcards are taken literally."""
    words = [w for w in " ".join(text.split())[:QUERY_MAX].split(" ") if w]
    return words[:MAX_TERMS]


def _escape(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _page(session: Session, ids_stmt: Select, page: int) -> CatalogPage:
    page = max(0, page)
    # Both walk the covering index in the database (in id order, so the page needs no sort); only the page's
    # 10 ids and one number come back to Python, at any depth.
    wanted = list(session.scalars(ids_stmt.offset(page * PAGE_SIZE).limit(PAGE_SIZE)))
    total = session.scalar(select(func.count()).select_from(ids_stmt.order_by(None).subquery())) or 0
    return CatalogPage(_rows(session, wanted), total, page)


def _rows(session: Session, ids: list[int]) -> list[Product]:
    """The products of `ids` with their shops, in the order of `ids`."""
    if not ids:
        return []
    rows = {p.id: p for p in session.scalars(select(Product).options(joinedload(Product.vendor))
                                             .where(Product.id.in_(ids)))}
    return [rows[i] for i in ids if i in rows]


def browse(session: Session, now: datetime, category: str | None = None, page: int = 0) -> CatalogPage:
    """One page of listed products, newest first, optionally of one category."""
    stmt = _listed_ids(now)
    if category:
        stmt = stmt.where(Product.category == category)
    return _page(session, stmt, page)


def search(session: Session, now: datetime, text: str, page: int = 0) -> CatalogPage:
    """Listed products whose name, description or shop name contain every word of `text` (Thai substrings)."""
    terms = search_terms(text)
    if not terms:
        return CatalogPage([], 0, 0)
    params: dict[str, object] = {"listed_now": now}
    params.update({f"term_{i}": f"%{_escape(term.lower())}%" for i, term in enumerate(terms)})
    # Text matching reads every row once anyway: take all matching ids in that one pass (total = their number).
    ids = list(session.scalars(_search_statement(len(terms)), params))
    page = max(0, page)
    wanted = ids[page * PAGE_SIZE:(page + 1) * PAGE_SIZE]
    return CatalogPage(_rows(session, wanted), len(ids), page)


@functools.cache
def _search_statement(term_count: int) -> Select:
    """The search for `term_count` words, built once: unknown text in chat reaches this search on every message,
    and building the statement cost more than running it (docs/BENCHMARKS.md, end-to-end)."""
    listed_now = bindparam("listed_now", type_=Product.certified_until.type)
    terms = [Product.search_text.like(bindparam(f"term_{i}", type_=String()), escape="\\")
             for i in range(term_count)]
    return _listed_ids(listed_now).where(*terms)


def listed_product(session: Session, product_id: int, now: datetime) -> Product:
    """A product buyers may see now, or NotFound with the Thai 'no longer available' answer."""
    product = session.get(Product, product_id)
    if product is None or not is_listed(product, now):
        raise NotFound(T.PRODUCT_UNAVAILABLE, code="product_unavailable")
    return product


def category_counts(session: Session, now: datetime) -> dict[str, int]:
    """How many listed products each category has (categories with none are left out)."""
    ids = _listed_ids(now).order_by(None).subquery()
    rows = session.execute(select(Product.category, func.count()).where(Product.id.in_(select(ids.c.id)))
                           .group_by(Product.category))
    return {category: count for category, count in rows}
