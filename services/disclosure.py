"""Disclosure control for every figure shown to the public (the /results pages, the open data files, a finished
project's results and the reports API for non-staff tokens): nothing published may single out a person or a shop.

Rules (issue #13, item 7):
- Primary, counts: a count from 1 to MIN_COUNT - 1 (i.e. under 5) is hidden; 5 is shown. A zero is shown: it
  reveals nobody, and hiding zeros would blank most district-by-month grids.
- Primary, sales: a sales figure made by fewer than MIN_VENDORS (3) shops is hidden, and so is one where a single
  shop makes DOMINANCE_PERCENT (85 %) or more of it (compared in integers: 84 % shown, 85 % hidden). A cell with
  no sales at all is shown as 0.
- Secondary: a table's row and column totals are shown when they pass the primary rules themselves, so a hidden
  cell could be worked out by subtracting the shown cells of its row or column from the total. Whenever a line
  (a row or a column together with its total, or the totals row/column together with the grand total) holds
  exactly one hidden value, the smallest other value in it is hidden too (a cell before a total; a zero counts),
  until no line holds exactly one. Then no hidden value can be recovered by subtraction along any row or column.
  (This is the line rule the issue asks for; it is not a guarantee against solving the whole table as a linear
  system, which nobody publishing tables this small should worry about.)

Hidden values are None in what these functions return (JSON null) and the templates print
results_texts.HIDDEN_MARK ("–") with results_texts.HIDDEN_NOTE as the footnote.

    counts = suppress_counts({("เมือง", "2569-01"): 12, ("เมือง", "2569-02"): 3, ...})
    counts.cell("เมือง", "2569-02")      # None: hidden
    counts.to_dict()                     # {"rows", "columns", "cells", "row_totals", "column_totals", "total", ...}
    sales = suppress_sales({("เมือง", "2569-01"): {shop_id: satang, ...}, ...})

`public_view(report)` applies the rules to the dicts services/reports.py builds (see its docstring for the shapes
it recognises) and returns a new dict without anything that names a shop.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

MIN_COUNT = 5
MIN_VENDORS = 3
DOMINANCE_PERCENT = 85

# Why a value is hidden (kept for tests and the console; the public only sees "–").
REASON_SMALL_COUNT = "small_count"
REASON_FEW_VENDORS = "few_vendors"
REASON_DOMINANCE = "dominance"
REASON_SECONDARY = "secondary"


class _Total:
    """The key of a row's, a column's or the table's total (never equal to a real row or column key)."""

    def __repr__(self) -> str:
        return "TOTAL"


TOTAL: Any = _Total()
Key = tuple[Hashable, Hashable]


def small_count(value: int, min_count: int = MIN_COUNT) -> bool:
    """Whether a count must be hidden: 1 to min_count - 1."""
    return 0 < value < min_count


@dataclass
class Table:
    """A two-way table with its margins after disclosure control. `values` holds every true value (cells and
    totals, keyed (row, column) with TOTAL for a margin); `hidden` maps the hidden keys to their reason."""

    rows: list[Hashable]
    columns: list[Hashable]
    values: dict[Key, int]
    hidden: dict[Key, str] = field(default_factory=dict)

    def cell(self, row: Hashable, column: Hashable) -> int | None:
        """The value to publish at (row, column) (TOTAL for a margin), None when hidden."""
        key = (row, column)
        return None if key in self.hidden else self.values.get(key, 0)

    def is_hidden(self, row: Hashable, column: Hashable) -> bool:
        return (row, column) in self.hidden

    def lines(self) -> list[list[Key]]:
        """Each row and column with its total, and the totals row and column with the grand total."""
        return _lines(self.rows, self.columns)

    def to_dict(self) -> dict[str, Any]:
        """The publishable table: rows, columns, cells (row-major), margins; hidden values are None."""
        return {
            "rows": list(self.rows),
            "columns": list(self.columns),
            "cells": [[self.cell(r, c) for c in self.columns] for r in self.rows],
            "row_totals": [self.cell(r, TOTAL) for r in self.rows],
            "column_totals": [self.cell(TOTAL, c) for c in self.columns],
            "total": self.cell(TOTAL, TOTAL),
            "hidden_count": len(self.hidden),
        }


@dataclass
class Series:
    """A one-way breakdown (e.g. answers per star) with its total after disclosure control."""

    keys: list[Hashable]
    values: dict[Hashable, int]
    total: int
    hidden: dict[Hashable, str] = field(default_factory=dict)
    total_hidden: bool = False

    def get(self, key: Hashable) -> int | None:
        return None if key in self.hidden else self.values.get(key, 0)

    def to_dict(self) -> dict[str, Any]:
        return {"keys": list(self.keys), "values": [self.get(k) for k in self.keys],
                "total": None if self.total_hidden else self.total, "hidden_count": len(self.hidden)}


def _lines(rows: Sequence[Hashable], columns: Sequence[Hashable]) -> list[list[Key]]:
    lines: list[list[Key]] = []
    for r in rows:
        lines.append([(r, c) for c in columns] + [(r, TOTAL)])
    for c in columns:
        lines.append([(r, c) for r in rows] + [(TOTAL, c)])
    lines.append([(TOTAL, c) for c in columns] + [(TOTAL, TOTAL)])
    lines.append([(r, TOTAL) for r in rows] + [(TOTAL, TOTAL)])
    return lines


def _rank(key: Key) -> int:
    """Which values to give up first as a second hidden one: cells, then a row or column total, then the grand
    total (totals are what readers come for)."""
    return sum(1 for part in key if part is TOTAL)


def protect_lines(values: Mapping[Key, int], hidden: dict[Key, str], lines: Iterable[Sequence[Key]],
                  order: Mapping[Key, int]) -> dict[Key, str]:
    """Secondary suppression: hides more values until no line holds exactly one hidden value (mutates `hidden`)."""
    line_list = [list(line) for line in lines]
    changed = True
    while changed:
        changed = False
        for line in line_list:
            if sum(1 for key in line if key in hidden) != 1:
                continue
            open_keys = [key for key in line if key not in hidden]
            if not open_keys:
                continue
            best_rank = min(_rank(key) for key in open_keys)
            pick = min((key for key in open_keys if _rank(key) == best_rank),
                       key=lambda key: (values.get(key, 0), order[key]))
            hidden[pick] = REASON_SECONDARY
            changed = True
    return hidden


def _axes(keys: Iterable[Key], rows: Sequence[Hashable] | None,
          columns: Sequence[Hashable] | None) -> tuple[list[Hashable], list[Hashable]]:
    seen_rows: list[Hashable] = list(rows) if rows is not None else []
    seen_cols: list[Hashable] = list(columns) if columns is not None else []
    for r, c in keys:
        if rows is None and r not in seen_rows:
            seen_rows.append(r)
        if columns is None and c not in seen_cols:
            seen_cols.append(c)
    return seen_rows, seen_cols


def _order(rows: Sequence[Hashable], columns: Sequence[Hashable]) -> dict[Key, int]:
    keys = [key for line in _lines(rows, columns) for key in line]
    return {key: index for index, key in enumerate(dict.fromkeys(keys))}


def suppress_counts(table: Mapping[Key, int], min_count: int = MIN_COUNT, *,
                    rows: Sequence[Hashable] | None = None, columns: Sequence[Hashable] | None = None) -> Table:
    """Applies the count rules to a (row, column) -> count table: its margins are added, counts under `min_count`
    hidden (cells and margins), then second values hidden so none can be recovered by subtraction."""
    rows_, cols_ = _axes(table.keys(), rows, columns)
    values: dict[Key, int] = {(r, c): int(table.get((r, c), 0)) for r in rows_ for c in cols_}
    for r in rows_:
        values[(r, TOTAL)] = sum(values[(r, c)] for c in cols_)
    for c in cols_:
        values[(TOTAL, c)] = sum(values[(r, c)] for r in rows_)
    values[(TOTAL, TOTAL)] = sum(values[(r, c)] for r in rows_ for c in cols_)
    hidden = {key: REASON_SMALL_COUNT for key, value in values.items() if small_count(value, min_count)}
    protect_lines(values, hidden, _lines(rows_, cols_), _order(rows_, cols_))
    return Table(rows_, cols_, values, hidden)


@dataclass(frozen=True)
class SalesFigure:
    """A sales figure as disclosure control needs it: its sum, how many shops make it, the largest shop's part."""

    satang: int
    vendors: int
    top_satang: int

    @classmethod
    def of(cls, by_vendor: Mapping[Hashable, int]) -> SalesFigure:
        amounts = [int(a) for a in by_vendor.values() if a > 0]
        return cls(sum(amounts), len(amounts), max(amounts, default=0))


def figure_reason(figure: SalesFigure, min_vendors: int = MIN_VENDORS,
                  dominance_percent: int = DOMINANCE_PERCENT) -> str | None:
    """Why this sales figure must be hidden, or None when it may be shown."""
    if figure.satang <= 0:
        return None
    if figure.vendors < min_vendors:
        return REASON_FEW_VENDORS
    # Integers only: 0.85 as a float would make a share of exactly 85 % fall either side.
    if figure.top_satang * 100 >= dominance_percent * figure.satang:
        return REASON_DOMINANCE
    return None


def sales_reason(by_vendor: Mapping[Hashable, int], min_vendors: int = MIN_VENDORS,
                 dominance_percent: int = DOMINANCE_PERCENT) -> str | None:
    """Why a sales figure made of these shops' amounts (satang) must be hidden, or None when it may be shown."""
    return figure_reason(SalesFigure.of(by_vendor), min_vendors, dominance_percent)


def _bound(parts: Sequence[SalesFigure]) -> SalesFigure:
    """A figure for the sum of `parts` when its shops are not known: at least as many shops as the largest part
    has, and a largest shop no bigger than all the parts' largest shops together (so the check errs on hiding)."""
    return SalesFigure(sum(p.satang for p in parts), max((p.vendors for p in parts), default=0),
                       min(sum(p.top_satang for p in parts), sum(p.satang for p in parts)))


def suppress_sales_figures(cells: Mapping[Key, SalesFigure], *, row_totals: Mapping[Hashable, SalesFigure] | None = None,
                           column_totals: Mapping[Hashable, SalesFigure] | None = None,
                           total: SalesFigure | None = None, rows: Sequence[Hashable] | None = None,
                           columns: Sequence[Hashable] | None = None, min_vendors: int = MIN_VENDORS,
                           dominance_percent: int = DOMINANCE_PERCENT) -> Table:
    """The sales rules on a table of figures (e.g. services/reports cells with `vendors` and `top_vendor_satang`).
    A margin not given is judged from its cells by _bound (never shown where it might be dominated)."""
    rows_, cols_ = _axes(cells.keys(), rows, columns)
    empty = SalesFigure(0, 0, 0)
    grid = {(r, c): cells.get((r, c), empty) for r in rows_ for c in cols_}
    figures: dict[Key, SalesFigure] = dict(grid)
    for r in rows_:
        parts = [grid[(r, c)] for c in cols_]
        given = (row_totals or {}).get(r)
        figures[(r, TOTAL)] = given if given is not None else _bound(parts)
    for c in cols_:
        parts = [grid[(r, c)] for r in rows_]
        given = (column_totals or {}).get(c)
        figures[(TOTAL, c)] = given if given is not None else _bound(parts)
    if total is None:
        by_rows = _bound([figures[(r, TOTAL)] for r in rows_])
        by_cols = _bound([figures[(TOTAL, c)] for c in cols_])
        total = SalesFigure(by_rows.satang, max(by_rows.vendors, by_cols.vendors),
                            min(by_rows.top_satang, by_cols.top_satang))
    figures[(TOTAL, TOTAL)] = total
    values = {key: figure.satang for key, figure in figures.items()}
    hidden: dict[Key, str] = {}
    for key, figure in figures.items():
        reason = figure_reason(figure, min_vendors, dominance_percent)
        if reason:
            hidden[key] = reason
    protect_lines(values, hidden, _lines(rows_, cols_), _order(rows_, cols_))
    return Table(rows_, cols_, values, hidden)


def suppress_sales(cells: Mapping[Key, Mapping[Hashable, int]], *, min_vendors: int = MIN_VENDORS,
                   dominance_percent: int = DOMINANCE_PERCENT, rows: Sequence[Hashable] | None = None,
                   columns: Sequence[Hashable] | None = None) -> Table:
    """Applies the sales rules to a (row, column) -> {shop: satang} table: each cell and each margin (whose shops
    are the union of its cells') is hidden when made by fewer than `min_vendors` shops or when one shop makes
    `dominance_percent` or more of it; then the secondary rule. The result holds sums only, no shop."""
    rows_, cols_ = _axes(cells.keys(), rows, columns)
    parts: dict[Key, dict[Hashable, int]] = {}

    def add(key: Key, by_vendor: Mapping[Hashable, int]) -> None:
        into = parts.setdefault(key, {})
        for vendor, amount in by_vendor.items():
            into[vendor] = into.get(vendor, 0) + int(amount)

    for r in rows_:
        for c in cols_:
            by_vendor = cells.get((r, c), {})
            for key in ((r, c), (r, TOTAL), (TOTAL, c), (TOTAL, TOTAL)):
                add(key, by_vendor)
    figures = {key: SalesFigure.of(by_vendor) for key, by_vendor in parts.items()}
    return suppress_sales_figures({(r, c): figures[(r, c)] for r in rows_ for c in cols_},
                                  row_totals={r: figures[(r, TOTAL)] for r in rows_},
                                  column_totals={c: figures[(TOTAL, c)] for c in cols_},
                                  total=figures.get((TOTAL, TOTAL), SalesFigure(0, 0, 0)), rows=rows_, columns=cols_,
                                  min_vendors=min_vendors, dominance_percent=dominance_percent)


def suppress_series(values: Mapping[Hashable, int], min_count: int = MIN_COUNT, *,
                    keys: Sequence[Hashable] | None = None) -> Series:
    """Applies the count rules to a breakdown whose parts add up to its total (e.g. answers per star)."""
    keys_ = list(keys) if keys is not None else list(values.keys())
    numbers = {k: int(values.get(k, 0)) for k in keys_}
    total = sum(numbers.values())
    as_keys: dict[Key, int] = {(k, 0): v for k, v in numbers.items()}
    as_keys[(TOTAL, 0)] = total
    hidden = {key: REASON_SMALL_COUNT for key, value in as_keys.items() if small_count(value, min_count)}
    line = list(as_keys.keys())
    protect_lines(as_keys, hidden, [line], {key: i for i, key in enumerate(line)})
    return Series(keys_, numbers, total, {k: hidden[(k, 0)] for k in keys_ if (k, 0) in hidden},
                  total_hidden=(TOTAL, 0) in hidden)


# --- Report dicts -------------------------------------------------------------------------------------------------

# Plain integers under these keys (or ending "_count") count people, answers, orders or shops.
COUNT_KEYS = frozenset({"count", "signups", "attended", "confirmed", "waitlisted", "cancelled", "participants",
                        "respondents", "responses", "followers", "followed", "unfollowed", "followers_now",
                        "recipients", "delivered", "queued", "clicks", "orders", "attributed_orders",
                        "attributed_received", "vendors", "shops", "certified_products", "certified_shops",
                        "approved_shops"})
# Counts of the programme's own doings, not of people: shown whatever their size.
NOT_PEOPLE = frozenset({"trainings_count", "capacity", "question_id", "id", "project_id"})
# Keys that name shops or give one shop's figure away: never public.
PRIVATE_KEYS = frozenset({"vendor_ids", "shop_ids", "by_vendor", "top_vendor", "vendor_id"})
SALES_LISTS = ("sales_by_district_month", "sales_by_district", "sales_by_month", "sales_by_category")
SIDES = ("online", "traditional")


def public_view(report: Mapping[str, Any], min_count: int = MIN_COUNT) -> dict[str, Any]:
    """The report with every figure the public may not see hidden (None) and no shop named, ready for /results,
    the open data files and the API for non-staff tokens. It reads the shapes of services/reports.py:

    - a rating {"count", "mean", "distribution": [n1..n5] or {"1": n1, ...}, "respondents"?}: all hidden when the
      answers or the people who gave them number under min_count; otherwise the distribution is shown only when
      none of its bars is under min_count (with the mean and the count two hidden bars could be solved for, so
      a distribution with a small bar is hidden whole while the mean and count stay);
    - a market dict (any of SALES_LISTS, cells with online_/traditional_satang, _vendors, _top_vendor_satang):
      online and traditional sales by district and month become two suppressed tables, added as
      "sales_tables": {"online": Table.to_dict(), "traditional": ...}; the lists keep their keys with hidden
      amounts None, a total only where both sides are shown, and no shop counts or largest-shop parts;
      "sales_online_satang"/"sales_traditional_satang" follow the tables' grand totals;
    - {"count", "by_status": {...}}: the statuses as a series of counts with that total;
    - participation {"signups", "attended", ..., "trainings" or "by_district": [{"signups", "attended", ...}]}:
      each count column of the rows as a series whose total is the top-level figure, rates hidden with what they
      divide;
    - a count (COUNT_KEYS or a key ending "_count", "_shops", "_vendors") of 1 to min_count - 1 -> None, and then
      in the same dict every rate ("_rate"), mean and amount ("satang", "_satang") too, since they would give it
      back (so sums of fewer than 5 shops, e.g. a training funnel's sales windows, are hidden as well);
    - {"table": "counts"|"sales", "rows", "columns", "cells"}: a generic table (sales cells {shop: satang});
    - followers by month [{"month", "followers", "followed", "unfollowed"}]: each month's followers are last
      month's plus the follows less the unfollows, so each such step is a line of its own;
    - PRIVATE_KEYS are dropped. Anything else is copied as it is.
    """
    return _public(report, min_count)


def _public(value: Any, min_count: int) -> Any:
    if isinstance(value, Mapping):
        kind = value.get("table")
        if kind == "counts":
            return _count_table(value, min_count)
        if kind == "sales":
            return _sales_table(value)
        if any(key in value for key in SALES_LISTS):
            return _market(value, min_count)
        if isinstance(value.get("count"), int) and "distribution" in value:
            return _rating(value, min_count)
        if isinstance(value.get("by_status"), Mapping) and isinstance(value.get("count"), int):
            return _by_status(value, min_count)
        for rows_key in ROW_LISTS:
            if isinstance(value.get(rows_key), list):
                return _participation(value, min_count, rows_key)
        return _plain_dict(value, min_count)
    if isinstance(value, list | tuple):
        if value and all(isinstance(item, Mapping) and item.keys() >= FOLLOWER_KEYS for item in value):
            return _followers(value, min_count)
        return [_public(item, min_count) for item in value]
    return value


def _is_count_key(key: object) -> bool:
    return isinstance(key, str) and key not in NOT_PEOPLE and (
        key in COUNT_KEYS or key.endswith(("_count", "_shops", "_vendors")))


def _gives_back(key: str) -> bool:
    """Figures that, next to the other shown figures, would give a hidden count back."""
    return key.endswith("_rate") or key == "mean" or key == "satang" or key.endswith("_satang")


def _plain_dict(value: Mapping[str, Any], min_count: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    hid = False
    for key, item in value.items():
        if key in PRIVATE_KEYS:
            continue
        if _is_count_key(key) and isinstance(item, int) and not isinstance(item, bool):
            small = small_count(item, min_count)
            hid = hid or small
            out[key] = None if small else item
        else:
            out[key] = _public(item, min_count)
    if hid:
        for key in out:
            if isinstance(key, str) and _gives_back(key) and not isinstance(out[key], Mapping | list):
                out[key] = None
    return out


def _grid(spec: Mapping[str, Any]) -> tuple[list[Any], list[Any], dict[Key, Any]]:
    rows, columns = list(spec.get("rows", [])), list(spec.get("columns", []))
    cells = spec.get("cells", [])
    grid = {(r, c): cells[i][j] for i, r in enumerate(rows) for j, c in enumerate(columns)
            if i < len(cells) and j < len(cells[i])}
    return rows, columns, grid


def _extras(spec: Mapping[str, Any]) -> dict[str, Any]:
    skip = {"rows", "columns", "cells", "row_totals", "column_totals", "total"} | PRIVATE_KEYS
    return {key: item for key, item in spec.items() if key not in skip}


def _count_table(spec: Mapping[str, Any], min_count: int) -> dict[str, Any]:
    rows, columns, grid = _grid(spec)
    table = suppress_counts({key: int(v or 0) for key, v in grid.items()}, min_count, rows=rows, columns=columns)
    return {**_extras(spec), **table.to_dict()}


def _sales_table(spec: Mapping[str, Any]) -> dict[str, Any]:
    rows, columns, grid = _grid(spec)
    table = suppress_sales({key: dict(v or {}) for key, v in grid.items()}, rows=rows, columns=columns)
    return {**_extras(spec), **table.to_dict()}


def _distribution(value: Any) -> dict[str, int]:
    if isinstance(value, Mapping):
        return {str(k): int(v or 0) for k, v in value.items()}
    return {str(i + 1): int(v or 0) for i, v in enumerate(value or [])}


def _rating(spec: Mapping[str, Any], min_count: int) -> dict[str, Any]:
    out = {key: _public(item, min_count) for key, item in spec.items()
           if key not in ("count", "mean", "distribution", "respondents") and key not in PRIVATE_KEYS}
    count = int(spec["count"])
    respondents = spec.get("respondents")
    as_list = not isinstance(spec.get("distribution"), Mapping)
    distribution = _distribution(spec.get("distribution"))
    people = int(respondents) if isinstance(respondents, int) else count
    if small_count(count, min_count) or small_count(people, min_count):
        # Under 5 answers (or people) even the mean tells too much about each of them.
        shown: dict[str, Any] = {"count": None, "mean": None, "distribution": {k: None for k in distribution}}
        if respondents is not None:
            shown["respondents"] = None
    else:
        small = any(small_count(v, min_count) for v in distribution.values())
        shown = {"count": count, "mean": spec.get("mean"),
                 "distribution": {k: None if small else v for k, v in distribution.items()}}
        if respondents is not None:
            shown["respondents"] = respondents
    if as_list:
        shown["distribution"] = list(shown["distribution"].values())
    out.update(shown)
    return out


def _by_status(spec: Mapping[str, Any], min_count: int) -> dict[str, Any]:
    out = _plain_dict({k: v for k, v in spec.items() if k not in ("by_status", "satang_by_status")}, min_count)
    series = suppress_series({k: int(v or 0) for k, v in spec["by_status"].items()}, min_count)
    out["by_status"] = {k: series.get(k) for k in series.keys}
    if "satang_by_status" in spec:
        out["satang_by_status"] = {k: None if series.get(k) is None else v
                                   for k, v in spec["satang_by_status"].items()}
    return out


def _figure(cell: Mapping[str, Any], side: str) -> SalesFigure:
    return SalesFigure(int(cell.get(f"{side}_satang") or 0), int(cell.get(f"{side}_vendors") or 0),
                       int(cell.get(f"{side}_top_vendor_satang") or 0))


def _public_cell(cell: Mapping[str, Any], amounts: Mapping[str, int | None]) -> dict[str, Any]:
    out = {k: v for k, v in cell.items() if not (k.endswith("_satang") or k.endswith("vendors") or k in PRIVATE_KEYS
                                                 or k.endswith("_top_vendor_satang"))}
    out.update({f"{side}_satang": amounts[side] for side in SIDES})
    both = [amounts[side] for side in SIDES]
    # A total next to one shown side would give the hidden side back.
    out["total_satang"] = None if None in both else sum(v or 0 for v in both)
    return out


def _market(market: Mapping[str, Any], min_count: int) -> dict[str, Any]:
    out = _plain_dict({k: v for k, v in market.items()
                       if k not in SALES_LISTS and k not in ("sales_online_satang", "sales_traditional_satang")},
                      min_count)
    by_dm = list(market.get("sales_by_district_month") or [])
    by_district = list(market.get("sales_by_district") or [])
    by_month = list(market.get("sales_by_month") or [])
    tables: dict[str, Table] = {}
    for side in SIDES:
        if by_dm or not by_month:
            rows = sorted({c["district"] for c in by_dm} | {c["district"] for c in by_district})
            columns = sorted({c["month"] for c in by_dm} | {c["month"] for c in by_month})
            tables[side] = suppress_sales_figures(
                {(c["district"], c["month"]): _figure(c, side) for c in by_dm},
                row_totals={c["district"]: _figure(c, side) for c in by_district},
                column_totals={c["month"]: _figure(c, side) for c in by_month}, rows=rows, columns=columns)
        else:  # a project's market: months only, one row
            columns = sorted(c["month"] for c in by_month)
            tables[side] = suppress_sales_figures({("", c["month"]): _figure(c, side) for c in by_month},
                                                  rows=[""], columns=columns)
    if "sales_by_district_month" in market:
        out["sales_by_district_month"] = [
            _public_cell(c, {s: tables[s].cell(c["district"], c["month"]) for s in SIDES}) for c in by_dm]
    if "sales_by_district" in market:
        out["sales_by_district"] = [_public_cell(c, {s: tables[s].cell(c["district"], TOTAL) for s in SIDES})
                                    for c in by_district]
    if "sales_by_month" in market:
        out["sales_by_month"] = [_public_cell(c, {s: tables[s].cell(TOTAL, c["month"]) for s in SIDES})
                                 for c in by_month]
    if "sales_by_category" in market:
        out["sales_by_category"] = _categories(list(market["sales_by_category"]), tables)
    for side in SIDES:
        if f"sales_{side}_satang" in market:
            out[f"sales_{side}_satang"] = tables[side].cell(TOTAL, TOTAL)
    if by_dm or by_district:
        out["sales_tables"] = {side: tables[side].to_dict() for side in SIDES}
    return out


def _categories(cells: list[Mapping[str, Any]], tables: Mapping[str, Table]) -> list[dict[str, Any]]:
    """Sales by category: a line that adds up to the same grand total as the district tables."""
    amounts: dict[str, dict[Any, int | None]] = {}
    for side in SIDES:
        line: list[Key] = [(c["category"], 0) for c in cells] + [(TOTAL, 0)]
        figures = {(c["category"], 0): _figure(c, side) for c in cells}
        values = {key: f.satang for key, f in figures.items()}
        values[(TOTAL, 0)] = sum(values.values())
        hidden = {key: reason for key, f in figures.items() if (reason := figure_reason(f))}
        if tables[side].is_hidden(TOTAL, TOTAL):
            hidden[(TOTAL, 0)] = REASON_SECONDARY
        protect_lines(values, hidden, [line], {key: i for i, key in enumerate(line)})
        amounts[side] = {key[0]: None if key in hidden else values[key] for key in figures}
    return [_public_cell(c, {s: amounts[s][c["category"]] for s in SIDES}) for c in cells]


PARTICIPATION_COUNTS = ("signups", "confirmed", "waitlisted", "cancelled", "attended")
ROW_LISTS = ("trainings", "by_district")
RATE_PARTS = {"attendance_rate": ("attended", "confirmed", "confirmed_at_ended")}


def _participation(spec: Mapping[str, Any], min_count: int, rows_key: str) -> dict[str, Any]:
    """Per-training (or per-district) counts that add up to the shown totals: each column suppressed as one line
    with its total."""
    rows = [dict(row) for row in spec[rows_key] if isinstance(row, Mapping)]
    top = _plain_dict({k: v for k, v in spec.items() if k != rows_key}, min_count)
    for column in PARTICIPATION_COUNTS:
        if not any(column in row for row in rows):
            continue
        values = {i: int(row.get(column) or 0) for i, row in enumerate(rows)}
        line: list[Key] = [(i, 0) for i in values] + [(TOTAL, 0)]
        numbers = {(i, 0): v for i, v in values.items()}
        total = spec.get(column) if isinstance(spec.get(column), int) else sum(values.values())
        numbers[(TOTAL, 0)] = int(total)
        hidden = {key: REASON_SMALL_COUNT for key, v in numbers.items() if small_count(v, min_count)}
        protect_lines(numbers, hidden, [line], {key: i for i, key in enumerate(line)})
        for i, row in enumerate(rows):
            row[column] = None if (i, 0) in hidden else values[i]
        if column in spec:
            top[column] = None if (TOTAL, 0) in hidden else spec[column]
    out_rows = []
    for row in rows:
        clean = {k: v for k, v in row.items() if k not in PRIVATE_KEYS}
        for rate, parts in RATE_PARTS.items():
            if rate in clean and any(part in clean and clean[part] is None for part in parts):
                clean[rate] = None
        out_rows.append(clean)
    for rate, parts in RATE_PARTS.items():
        if rate in top and any(part in top and top[part] is None for part in parts):
            top[rate] = None
    top[rows_key] = out_rows
    return top


FOLLOWER_KEYS = frozenset({"month", "followers", "followed", "unfollowed"})


def _followers(months: Sequence[Mapping[str, Any]], min_count: int) -> list[dict[str, Any]]:
    """A running count: followers(m) = followers(m - 1) + followed(m) - unfollowed(m), a line per month."""
    keys = ("followers", "followed", "unfollowed")
    values: dict[Key, int] = {(i, k): int(m.get(k) or 0) for i, m in enumerate(months) for k in keys}
    lines = [[(i, "followed"), (i, "unfollowed"), (i, "followers")] + ([(i - 1, "followers")] if i else [])
             for i in range(len(months))]
    hidden = {key: REASON_SMALL_COUNT for key, v in values.items() if small_count(v, min_count)}
    protect_lines(values, hidden, lines, {key: n for n, key in enumerate(values)})
    return [{**{k: v for k, v in m.items() if k not in PRIVATE_KEYS},
             **{k: None if (i, k) in hidden else values[(i, k)] for k in keys}} for i, m in enumerate(months)]
