"""Disclosure control: the count threshold (4 hidden, 5 shown), the sales rules (fewer than 3 shops, one shop
with 85 % or more), and secondary suppression that subtraction along a row or column cannot undo."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from services import disclosure
from services.disclosure import TOTAL, public_view, suppress_counts, suppress_sales, suppress_series


def recover_by_subtraction(table: disclosure.Table) -> set:
    """An attacker: repeatedly solves any row or column (with its total) that has one unknown left."""
    known = {key: table.values[key] for line in table.lines() for key in line if key not in table.hidden}
    solved: set = set()
    progress = True
    while progress:
        progress = False
        for line in table.lines():
            unknown = [key for key in line if key not in known]
            if len(unknown) != 1:
                continue
            key = unknown[0]
            total_key = line[-1]
            if key == total_key:
                known[key] = sum(known[k] for k in line[:-1])
            else:
                known[key] = known[total_key] - sum(known[k] for k in line[:-1] if k != key)
            solved.add(key)
            progress = True
    return solved


def test_a_count_of_4_is_hidden_and_5_is_shown():
    table = suppress_counts({("a", "x"): 4, ("a", "y"): 5, ("b", "x"): 20, ("b", "y"): 30})
    assert table.cell("a", "x") is None
    assert table.hidden[("a", "x")] == disclosure.REASON_SMALL_COUNT
    # 5 would give the 4 away (row total 9 is shown), so it is hidden as the second cell; shown on its own:
    alone = suppress_counts({("a", "x"): 5, ("a", "y"): 5, ("b", "x"): 20, ("b", "y"): 30})
    assert alone.cell("a", "x") == 5
    assert alone.hidden == {}
    assert disclosure.small_count(4) and not disclosure.small_count(5) and not disclosure.small_count(0)


def test_zero_is_shown_and_totals_stay_true():
    assert suppress_counts({("a", "x"): 0, ("a", "y"): 7, ("b", "x"): 9, ("b", "y"): 8}).cell("a", "x") == 0
    table = suppress_counts({("a", "x"): 0, ("a", "y"): 7, ("b", "x"): 9, ("b", "y"): 3})
    assert table.cell("b", "y") is None
    assert table.cell(TOTAL, TOTAL) == 19
    assert table.cell("b", TOTAL) == 12


def test_secondary_hides_the_next_smallest_in_the_row_and_column():
    table = suppress_counts({("a", "x"): 2, ("a", "y"): 50, ("a", "z"): 8,
                             ("b", "x"): 10, ("b", "y"): 60, ("b", "z"): 40})
    assert table.hidden[("a", "x")] == disclosure.REASON_SMALL_COUNT
    assert table.hidden[("a", "z")] == disclosure.REASON_SECONDARY  # 8 is the row's next smallest
    assert table.hidden[("b", "x")] == disclosure.REASON_SECONDARY  # column x
    assert table.hidden[("b", "z")] == disclosure.REASON_SECONDARY  # now column z, then row b balance
    assert table.cell("a", TOTAL) == 60 and table.cell(TOTAL, "x") == 12
    assert recover_by_subtraction(table) == set()


def test_a_single_column_hides_the_row_total_with_its_cell():
    table = suppress_counts({("a", "x"): 3, ("b", "x"): 20, ("c", "x"): 30})
    assert table.cell("a", "x") is None
    assert recover_by_subtraction(table) == set()
    assert table.cell(TOTAL, TOTAL) == 53


def test_sales_of_fewer_than_three_shops_are_hidden():
    two = suppress_sales({("d", "m"): {1: 50_00, 2: 60_00}})
    assert two.cell("d", "m") is None and two.hidden[("d", "m")] == disclosure.REASON_FEW_VENDORS
    three = suppress_sales({("d", "m"): {1: 50_00, 2: 60_00, 3: 70_00}})
    assert three.cell("d", "m") == 180_00
    # A shop with nothing sold does not count as a shop in the figure.
    assert disclosure.sales_reason({1: 50_00, 2: 60_00, 3: 0}) == disclosure.REASON_FEW_VENDORS


def test_dominance_84_percent_shown_85_hidden():
    assert disclosure.sales_reason({1: 84_00, 2: 8_00, 3: 8_00}) is None
    assert disclosure.sales_reason({1: 85_00, 2: 7_50, 3: 7_50}) == disclosure.REASON_DOMINANCE
    # Exactly 85 % with amounts a float would put just below the line.
    assert disclosure.sales_reason({1: 17, 2: 2, 3: 1}) == disclosure.REASON_DOMINANCE
    assert disclosure.sales_reason({1: 8_499, 2: 1_000, 3: 501}) is None
    table = suppress_sales({("d", "m"): {1: 85_00, 2: 7_50, 3: 7_50}, ("d", "n"): {4: 10_00, 5: 10_00, 6: 10_00}})
    assert table.cell("d", "m") is None


def test_sales_margins_use_the_union_of_shops():
    # Each month by itself is too few shops; the district's year has three, but one dominates at 90 %.
    cells = {("d", "m1"): {1: 90_00}, ("d", "m2"): {2: 5_00, 3: 5_00}}
    table = suppress_sales(cells)
    assert table.cell("d", "m1") is None and table.cell("d", "m2") is None
    assert table.hidden[("d", TOTAL)] == disclosure.REASON_DOMINANCE
    shared = suppress_sales({("d", "m1"): {1: 30_00}, ("d", "m2"): {2: 30_00, 3: 40_00}})
    assert shared.cell("d", TOTAL) == 100_00
    assert recover_by_subtraction(shared) == set()


def test_series_hides_two_bars_or_none():
    series = suppress_series({"1": 0, "2": 3, "3": 10, "4": 20, "5": 40})
    # The next smallest goes with it, a zero included: 3 can no longer be told from the total.
    assert series.get("2") is None and series.get("1") is None
    assert series.get("3") == 10 and series.total == 73 and not series.total_hidden


def test_public_view_hides_small_ratings_and_names_no_shop():
    report = {
        "title": "โครงการ",
        "satisfaction": {"trainees": {"count": 4, "mean": 4.5, "distribution": {"4": 2, "5": 2}},
                         "buyers": {"count": 12, "mean": 4.2, "distribution": {"1": 0, "2": 0, "3": 2, "4": 4,
                                                                                 "5": 6}},
                         "citizens": {"count": 30, "mean": 3.9, "distribution": {"1": 5, "2": 5, "3": 5, "4": 5,
                                                                                   "5": 10}}},
        "participation": {"signups": 3, "attended": 12, "attendance_count": 2, "year": 2569},
        "sales": {"table": "sales", "title": "ยอดขาย", "rows": ["เมือง"], "columns": ["2569-01", "2569-02"],
                  "cells": [[{7: 100_00, 8: 100_00, 9: 100_00}, {7: 90_00}]], "vendor_ids": [7, 8, 9]},
        "signups": {"table": "counts", "rows": ["เมือง", "พล"], "columns": ["อบรม"], "cells": [[3], [12]]},
    }
    view = public_view(report)
    assert view["title"] == "โครงการ"
    assert view["satisfaction"]["trainees"] == {"count": None, "mean": None, "distribution": {"4": None, "5": None}}
    assert view["satisfaction"]["buyers"]["mean"] == 4.2 and view["satisfaction"]["buyers"]["count"] == 12
    assert view["satisfaction"]["buyers"]["distribution"] == {k: None for k in "12345"}
    assert view["satisfaction"]["citizens"]["distribution"]["5"] == 10
    assert view["participation"] == {"signups": None, "attended": 12, "attendance_count": None, "year": 2569}
    sales = view["sales"]
    assert "vendor_ids" not in sales and sales["title"] == "ยอดขาย"
    assert sales["cells"][0][1] is None and sales["cells"][0][0] is None  # second hidden: the row total shows
    assert sales["row_totals"] == [390_00]  # three shops, the biggest has 190 of 390
    signups = view["signups"]
    # One column: 12 = total - 3, so it goes too; the total stays.
    assert signups["cells"] == [[None], [None]] and signups["total"] == 15
    assert "7" not in repr(sales["cells"])


def _lines_with_one_hidden(table: disclosure.Table) -> list:
    return [line for line in table.lines() if sum(1 for key in line if key in table.hidden) == 1]


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 4).flatmap(lambda n_rows: st.integers(1, 4).flatmap(
    lambda n_cols: st.lists(st.lists(st.integers(0, 25), min_size=n_cols, max_size=n_cols),
                            min_size=n_rows, max_size=n_rows))))
def test_no_hidden_count_can_be_recovered_by_subtraction(grid):
    table = suppress_counts({(i, j): v for i, row in enumerate(grid) for j, v in enumerate(row)})
    assert recover_by_subtraction(table) == set()
    assert _lines_with_one_hidden(table) == []
    for key, value in table.values.items():
        if disclosure.small_count(value):
            assert key in table.hidden
        if key not in table.hidden:
            assert table.cell(*key) == value


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.dictionaries(st.integers(1, 6), st.integers(0, 1000), max_size=4),
                         min_size=2, max_size=3), min_size=1, max_size=3))
def test_no_hidden_sales_cell_can_be_recovered_by_subtraction(grid):
    table = suppress_sales({(i, j): cell for i, row in enumerate(grid) for j, cell in enumerate(row)})
    assert recover_by_subtraction(table) == set()
    for key in table.values:
        if key not in table.hidden:
            assert disclosure.sales_reason(_parts(grid, key)) is None


def _parts(grid, key):
    r, c = key
    out: dict = {}
    for i, row in enumerate(grid):
        for j, cell in enumerate(row):
            if (r is TOTAL or r == i) and (c is TOTAL or c == j):
                for vendor, amount in cell.items():
                    out[vendor] = out.get(vendor, 0) + amount
    return out


def _sales_cell(online: dict, traditional: dict, **keys) -> dict:
    """A cell shaped like services/reports.py's, from each side's {shop: satang}."""
    cell = dict(keys)
    for side, parts in (("online", online), ("traditional", traditional)):
        figure = disclosure.SalesFigure.of(parts)
        cell.update({f"{side}_satang": figure.satang, f"{side}_vendors": figure.vendors,
                     f"{side}_top_vendor_satang": figure.top_satang})
    cell["vendors"] = len(set(online) | set(traditional))
    cell["total_satang"] = cell["online_satang"] + cell["traditional_satang"]
    return cell


def test_public_view_of_a_reports_market_hides_thin_sales_and_drops_shop_figures():
    many = {1: 100_00, 2: 100_00, 3: 100_00, 4: 100_00}
    cells = {("a", "2026-01"): (many, many), ("a", "2026-02"): ({1: 500_00}, many),
             ("b", "2026-01"): (many, many), ("b", "2026-02"): (many, many)}
    by_dm = [_sales_cell(o, t, district=d, district_name=d, month=m) for (d, m), (o, t) in cells.items()]

    def merged(keys):
        online: dict = {}
        traditional: dict = {}
        for key in keys:
            for side, into in ((0, online), (1, traditional)):
                for shop, amount in cells[key][side].items():
                    into[shop] = into.get(shop, 0) + amount
        return online, traditional

    by_district = [_sales_cell(*merged([k for k in cells if k[0] == d]), district=d) for d in ("a", "b")]
    by_month = [_sales_cell(*merged([k for k in cells if k[1] == m]), month=m) for m in ("2026-01", "2026-02")]
    market = {"sales_by_district_month": by_dm, "sales_by_district": by_district, "sales_by_month": by_month,
              "sales_online_satang": sum(c["online_satang"] for c in by_month),
              "sales_traditional_satang": sum(c["traditional_satang"] for c in by_month),
              "approved_shops": 4, "orders": {"count": 7, "by_status": {"received": 3, "paid": 4},
                                              "satang_by_status": {"received": 300, "paid": 400}}}
    view = public_view({"market": market})["market"]
    dm = {(c["district"], c["month"]): c for c in view["sales_by_district_month"]}
    assert dm[("a", "2026-02")]["online_satang"] is None          # one shop
    assert dm[("a", "2026-02")]["traditional_satang"] == 400_00
    assert dm[("a", "2026-02")]["total_satang"] is None           # would give the online figure back
    assert dm[("a", "2026-01")]["online_satang"] is None          # second cell in row a
    assert dm[("b", "2026-01")]["online_satang"] is None          # and so the other row in both columns
    assert dm[("b", "2026-01")]["traditional_satang"] == 400_00 and dm[("b", "2026-01")]["total_satang"] is None
    assert all("vendors" not in k for c in view["sales_by_district_month"] for k in c)
    assert view["sales_online_satang"] == sum(c["online_satang"] for c in by_month)
    online = view["sales_tables"]["online"]
    assert online["rows"] == ["a", "b"] and online["columns"] == ["2026-01", "2026-02"]
    assert recover_by_subtraction(disclosure.suppress_sales(
        {k: v[0] for k, v in cells.items()})) == set()
    assert view["approved_shops"] is None                         # a count under 5
    assert view["orders"]["by_status"] == {"received": None, "paid": None}
    assert view["orders"]["satang_by_status"] == {"received": None, "paid": None}


def test_public_view_hides_a_rating_given_by_few_people():
    rating = {"count": 12, "mean": 4.0, "distribution": [0, 0, 0, 12, 0], "respondents": 3}
    assert public_view({"r": rating})["r"] == {"count": None, "mean": None, "distribution": [None] * 5,
                                               "respondents": None}
    rating = {"count": 12, "mean": 4.0, "distribution": [0, 0, 0, 12, 0], "respondents": 6, "available": True}
    assert public_view({"r": rating})["r"] == {"count": 12, "mean": 4.0, "distribution": [0, 0, 0, 12, 0],
                                               "respondents": 6, "available": True}


def test_a_trainings_people_by_district_cannot_be_worked_out_from_its_total():
    participation = {"signups": 15, "attended": 11, "attendance_rate": 0.73,
                     "by_district": [{"district": "mueang", "signups": 12, "attended": 9},
                                     {"district": "phon", "signups": 3, "attended": 2}]}
    view = public_view({"participation": participation})["participation"]
    assert [d["signups"] for d in view["by_district"]] == [None, None]
    assert view["signups"] == 15


def test_sales_of_few_shops_in_a_funnel_window_are_hidden():
    window = {"key": "after_3m", "online_satang": 90_000, "traditional_satang": 10_000, "total_satang": 100_000,
              "online_shops": 2, "traditional_shops": 6, "selling_shops": 6}
    view = public_view({"funnel": {"windows": [window]}})["funnel"]["windows"][0]
    assert view["online_shops"] is None and view["online_satang"] is None and view["total_satang"] is None
    assert view["key"] == "after_3m"


def test_sales_by_category_add_up_to_the_same_hidden_grand_total():
    few = {1: 100_00, 2: 100_00}
    many = {3: 100_00, 4: 100_00, 5: 100_00}
    cell = _sales_cell(many, many, district="a", month="2026-01")
    categories = [_sales_cell(few, many, category="food"), _sales_cell({}, {}, category="textile"),
                  _sales_cell({6: 10_00, 7: 10_00, 8: 10_00}, {}, category="herb")]
    market = {"sales_by_district_month": [cell], "sales_by_district": [dict(cell)], "sales_by_month": [dict(cell)],
              "sales_by_category": categories, "sales_online_satang": 300_00, "sales_traditional_satang": 300_00}
    view = public_view({"market": market})["market"]
    by_category = {c["category"]: c for c in view["sales_by_category"]}
    assert by_category["food"]["online_satang"] is None            # two shops
    assert by_category["textile"]["online_satang"] is None         # the next smallest (a zero) goes with it
    assert by_category["herb"]["online_satang"] == 30_00
    assert by_category["food"]["traditional_satang"] == 300_00 and by_category["food"]["total_satang"] is None


def test_followers_by_month_cannot_be_worked_out_from_the_running_total():
    months = [{"month": "2026-08", "followers": 20, "followed": 20, "unfollowed": 0},
              {"month": "2026-09", "followers": 23, "followed": 3, "unfollowed": 0},
              {"month": "2026-10", "followers": 30, "followed": 8, "unfollowed": 1}]
    view = public_view({"reach": {"followers_by_month": months}})["reach"]["followers_by_month"]
    assert view[1]["followed"] is None and view[1]["month"] == "2026-09"
    for i, month in enumerate(view):  # no month's step has exactly one unknown
        step = [month["followed"], month["unfollowed"], month["followers"]] + ([view[i - 1]["followers"]] if i else [])
        assert step.count(None) != 1
