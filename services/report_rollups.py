"""The monthly sales rollup behind the reports (models/report_rollups.SalesMonthly) and the source reports read.

The sales ledger only grows (a refund is a new negative row; erasure clears who recorded a sale, never its figures),
so `refresh` adds the sales after the watermark (the last sale id counted) into the rollup in one INSERT ... SELECT
... ON CONFLICT DO UPDATE, and moves the watermark. `sales_source` gives reports one row set: rollup rows for the
whole months the filters cover, plus live sales rows for what the rollup does not hold (past the watermark, or in a
month the period covers only in part). Reports are therefore exact whatever the job's timing; the job only keeps the
live part small. One thing the rollup fixes at counting time is a product's category: a product moved to another
category later keeps its earlier sales under the old one (`rebuild` recounts everything).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Date, case, cast, delete, extract, false, func, literal, or_, select, union_all
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from models.market import Product
from models.report_rollups import RollupState, SalesMonthly
from models.sales import Sale

NAME = "sales_monthly"
ONLINE = "online"
UNPOSTED = "unposted"
BATCH = 2_000_000  # sales counted per refresh at most (a first run on a big ledger takes a few of them)


def _state(session: Session) -> RollupState:
    """The watermark row, locked for this transaction (two refreshes never add the same sales twice)."""
    state = session.get(RollupState, NAME, with_for_update=True)
    if state is None:
        session.add(RollupState(name=NAME, last_id=0, refreshed_at=None))
        session.flush()
        state = session.get(RollupState, NAME, with_for_update=True)
    return state


def watermark(session: Session) -> int:
    """The last sale id the rollup holds (0: none)."""
    return int(session.scalar(select(RollupState.last_id).where(RollupState.name == NAME)) or 0)


def _month_start(session: Session, day: Any) -> ColumnElement:
    if session.get_bind().dialect.name == "postgresql":
        return cast(func.date_trunc("month", day), Date)
    return func.date(day, "start of month")


def refresh(session: Session, now: datetime, batch: int = BATCH) -> int:
    """Adds the sales after the watermark (at most `batch` ids) to the rollup; returns how many sales were added."""
    state = _state(session)
    last = int(state.last_id or 0)
    newest = session.scalar(select(func.max(Sale.id)).where(Sale.id > last))
    if newest is None:
        state.refreshed_at = now
        return 0
    upto = min(int(newest), last + batch)
    category = func.coalesce(Product.category, literal(UNPOSTED))
    month = _month_start(session, Sale.sold_on)
    online = Sale.channel == ONLINE
    source = (select(month, Sale.district, Sale.vendor_id, category, online, func.sum(Sale.amount_satang),
                     func.count())
              .select_from(Sale).outerjoin(Product, Product.id == Sale.product_id)
              .where(Sale.id > last, Sale.id <= upto)
              .group_by(month, Sale.district, Sale.vendor_id, category, online))
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    columns = ["month", "district", "vendor_id", "category", "online", "amount_satang", "sales"]
    stmt = insert(SalesMonthly).from_select(columns, source)
    stmt = stmt.on_conflict_do_update(
        index_elements=["month", "district", "vendor_id", "category", "online"],
        set_={"amount_satang": SalesMonthly.amount_satang + stmt.excluded.amount_satang,
              "sales": SalesMonthly.sales + stmt.excluded.sales})
    session.execute(stmt)
    added = int(session.scalar(select(func.count()).select_from(Sale).where(Sale.id > last, Sale.id <= upto)) or 0)
    state.last_id, state.refreshed_at = upto, now
    session.flush()
    return added


def rebuild(session: Session, now: datetime) -> int:
    """Recounts the rollup from the whole ledger (e.g. after products changed category)."""
    state = _state(session)
    session.execute(delete(SalesMonthly))
    state.last_id = 0
    session.flush()
    total = 0
    while True:
        added = refresh(session, now)
        total += added
        if not added:
            return total


def _full_months(period_from: date | None, period_to: date | None) -> tuple[date | None, date | None]:
    """The first day of the first month wholly inside the period, and the first day after the last such month."""
    start = None
    if period_from is not None:
        start = period_from if period_from.day == 1 else _next_month(period_from)
    end = None
    if period_to is not None:
        after = period_to + timedelta(days=1)
        end = after if after.day == 1 else after.replace(day=1)
    return start, end


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def sales_source(session: Session, *, period_from: date | None, period_to: date | None,
                 districts: list[str] | None, conditions: list[ColumnElement] | None = None) -> Any:
    """A subquery of sales rows (y, m, district, category, vendor_id, online, amount): rollup rows for the whole
    months of the period and live ledger rows for the rest, so every sale in the period is counted exactly once.
    Extra `conditions` on Sale columns cannot be applied to the rollup: then every row is read from the ledger."""
    last = 0 if conditions else watermark(session)
    start, end = _full_months(period_from, period_to)
    empty_range = start is not None and end is not None and start >= end
    rollup_where: list[ColumnElement] = []
    if start is not None:
        rollup_where.append(SalesMonthly.month >= start)
    if end is not None:
        rollup_where.append(SalesMonthly.month < end)
    if districts:
        rollup_where.append(SalesMonthly.district.in_(districts))
    if empty_range or not last:
        rollup_where.append(false())
    rollup = select(extract("year", SalesMonthly.month).label("y"), extract("month", SalesMonthly.month).label("m"),
                    SalesMonthly.district.label("district"), SalesMonthly.category.label("category"),
                    SalesMonthly.vendor_id.label("vendor_id"), SalesMonthly.online.label("online"),
                    SalesMonthly.amount_satang.label("amount")).where(*rollup_where)
    live_where: list[ColumnElement] = []
    if period_from is not None:
        live_where.append(Sale.sold_on >= period_from)
    if period_to is not None:
        live_where.append(Sale.sold_on <= period_to)
    if districts:
        live_where.append(Sale.district.in_(districts))
    live_where += conditions or []
    not_rolled = [Sale.id > last]
    if empty_range:
        not_rolled.append(literal(True))
    else:
        if start is not None:
            not_rolled.append(Sale.sold_on < start)
        if end is not None:
            not_rolled.append(Sale.sold_on >= end)
    live = (select(extract("year", Sale.sold_on).label("y"), extract("month", Sale.sold_on).label("m"),
                   Sale.district.label("district"),
                   func.coalesce(Product.category, literal(UNPOSTED)).label("category"),
                   Sale.vendor_id.label("vendor_id"), (Sale.channel == ONLINE).label("online"),
                   Sale.amount_satang.label("amount"))
            .select_from(Sale).outerjoin(Product, Product.id == Sale.product_id)
            .where(*live_where, or_(*not_rolled)))
    return union_all(rollup, live).subquery("sales_rows")


def cells(session: Session, source: Any, keys: list[str]) -> list[dict[str, Any]]:
    """Online and traditional totals per `keys` of the source, with each side's shop count and largest shop's part
    and the cell's shop count: summed per shop first, then per cell, all in SQL."""
    key_cols = [source.c[k] for k in keys]
    on = func.sum(case((source.c.online, source.c.amount), else_=0)).label("on_")
    tr = func.sum(case((source.c.online, 0), else_=source.c.amount)).label("tr")
    has_on = func.max(case((source.c.online, 1), else_=0)).label("has_on")
    has_tr = func.max(case((source.c.online, 0), else_=1)).label("has_tr")
    per_shop = select(*key_cols, source.c.vendor_id, on, tr, has_on, has_tr) \
        .group_by(*key_cols, source.c.vendor_id).subquery("per_shop")
    outer_keys = [per_shop.c[k] for k in keys]
    rows = session.execute(select(
        *outer_keys, func.sum(per_shop.c.on_), func.sum(per_shop.c.tr), func.sum(per_shop.c.has_on),
        func.sum(per_shop.c.has_tr), func.max(case((per_shop.c.has_on == 1, per_shop.c.on_), else_=0)),
        func.max(case((per_shop.c.has_tr == 1, per_shop.c.tr), else_=0)), func.count())
        .group_by(*outer_keys)).all()
    out = []
    for row in rows:
        n = len(keys)
        online, traditional = int(row[n] or 0), int(row[n + 1] or 0)
        out.append({"key": tuple(row[:n]), "online_satang": online, "traditional_satang": traditional,
                    "online_vendors": int(row[n + 2] or 0), "traditional_vendors": int(row[n + 3] or 0),
                    "online_top_vendor_satang": int(row[n + 4] or 0),
                    "traditional_top_vendor_satang": int(row[n + 5] or 0),
                    "vendors": int(row[n + 6] or 0), "total_satang": online + traditional})
    return out

