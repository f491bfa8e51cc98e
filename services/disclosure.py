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
  exactly one hidden value, the smallest other value in it is hidden too (non-zero first, a cell before a total),
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


def sales_reason(by_vendor: Mapping[Hashable, int], min_vendors: int = MIN_VENDORS,
                 dominance_percent: int = DOMINANCE_PERCENT) -> str | None:
    """Why a sales figure made of these shops' amounts (satang) must be hidden, or None when it may be shown."""
    amounts = [amount for amount in by_vendor.values() if amount > 0]
    total = sum(amounts)
    if total <= 0:
        return None
    if len(amounts) < min_vendors:
        return REASON_FEW_VENDORS
    # Integers only: 0.85 as a float would make a share of exactly 85 % fall either side.
    if max(amounts) * 100 >= dominance_percent * total:
        return REASON_DOMINANCE
    return None


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
            # Non-zero first: a hidden zero is easy to guess, so it protects little.
            pick = min((key for key in open_keys if _rank(key) == best_rank),
                       key=lambda key: (values.get(key, 0) == 0, values.get(key, 0), order[key]))
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
    values = {key: sum(by_vendor.values()) for key, by_vendor in parts.items()}
    hidden: dict[Key, str] = {}
    for key, by_vendor in parts.items():
        reason = sales_reason(by_vendor, min_vendors, dominance_percent)
        if reason:
            hidden[key] = reason
    protect_lines(values, hidden, _lines(rows_, cols_), _order(rows_, cols_))
    return Table(rows_, cols_, values, hidden)


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

def public_view(report: Mapping[str, Any], min_count: int = MIN_COUNT) -> dict[str, Any]:
    """The report with every figure the public may not see hidden (None) and no shop named, ready for /results,
    the open data files and the API for non-staff tokens. Shapes recognised anywhere in the dict:

    - a count table  {"table": "counts", "rows": [...], "columns": [...], "cells": [[int]]}
      -> Table.to_dict() plus "table": "counts";
    - a sales table  {"table": "sales", "rows": [...], "columns": [...], "cells": [[{shop_id: satang}]]}
      -> Table.to_dict() plus "table": "sales" (cells are satang sums; shop ids dropped);
    - a rating       {"count": n, "mean": x, "distribution": {"1": a, ..., "5": e}} (either of mean/distribution)
      -> count, mean and distribution hidden when n < min_count; otherwise the distribution is shown only when
         none of its bars is under min_count (with the mean and the count, two hidden bars could be solved for,
         so a distribution with a small bar is hidden whole and the mean and count stay);
    - a plain count under a key ending "_count" or in COUNT_KEYS -> None when 1 to min_count - 1;
    - "vendor_ids", "shop_ids", "by_vendor", "top_vendor": dropped (they name shops).
    Anything else is copied as it is.
    """
    return _public(report, min_count)


COUNT_KEYS = frozenset({"count", "signups", "attended", "participants", "responses", "followers", "orders",
                        "vendors", "shops", "products"})
PRIVATE_KEYS = frozenset({"vendor_ids", "by_vendor", "shop_ids", "top_vendor"})


def _public(value: Any, min_count: int) -> Any:
    if isinstance(value, Mapping):
        kind = value.get("table")
        if kind == "counts":
            return _count_table(value, min_count)
        if kind == "sales":
            return _sales_table(value)
        if isinstance(value.get("count"), int) and ("mean" in value or "distribution" in value):
            return _rating(value, min_count)
        out: dict[str, Any] = {}
        for key, item in value.items():
            if key in PRIVATE_KEYS:
                continue
            if _is_count_key(key) and isinstance(item, int) and not isinstance(item, bool):
                out[key] = None if small_count(item, min_count) else item
            else:
                out[key] = _public(item, min_count)
        return out
    if isinstance(value, list | tuple):
        return [_public(item, min_count) for item in value]
    return value


def _is_count_key(key: object) -> bool:
    return isinstance(key, str) and (key in COUNT_KEYS or key.endswith("_count"))


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


def _rating(spec: Mapping[str, Any], min_count: int) -> dict[str, Any]:
    out = {key: _public(item, min_count) for key, item in spec.items()
           if key not in ("count", "mean", "distribution") and key not in PRIVATE_KEYS}
    count = int(spec["count"])
    if count < min_count:
        # Under 5 answers even the mean tells too much about each answer.
        out.update({"count": None if count else 0, "mean": None})
        if "distribution" in spec:
            out["distribution"] = {str(k): None for k in spec["distribution"]} if count else \
                {str(k): 0 for k in spec["distribution"]}
        return out
    out.update({"count": count, "mean": spec.get("mean")})
    if "distribution" in spec:
        distribution = {str(k): int(v) for k, v in spec["distribution"].items()}
        small = any(small_count(v, min_count) for v in distribution.values())
        out["distribution"] = {k: None if small else v for k, v in distribution.items()}
    return out
