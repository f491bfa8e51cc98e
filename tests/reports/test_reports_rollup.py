"""The monthly sales rollup: reports give the same figures before, during and after it catches up, for whole and
part months, and the refresh job adds each sale once however often it runs."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from models.report_rollups import SalesMonthly
from models.sales import Sale
from scheduler.jobs_report_rollups import refresh_sales_rollup
from services import report_rollups, reports, sales
from tests.conftest import ADMIN_ID
from tests.reports.reports_history import build

PERIODS = [reports.Filters(), reports.Filters(date(2026, 9, 16), date(2026, 10, 5)),
           reports.Filters(date(2026, 10, 1), date(2026, 10, 31)), reports.Filters(district="chonnabot"),
           reports.Filters(date(2026, 9, 20), None, "mueang"), reports.Filters(date(2026, 9, 2), date(2026, 9, 20))]


def _market(rt):
    with rt.db.transaction() as session:
        return [{k: reports.market(session, f, rt.clock())[k] for k in (
            "sales_by_month", "sales_by_district", "sales_by_district_month", "sales_by_category")}
                for f in PERIODS]


def test_figures_are_the_same_live_partly_rolled_and_rolled(rt):
    history = build(rt)
    live = _market(rt)
    assert live[1]["sales_by_month"][0]["traditional_satang"] == 50000  # 20 Sep: 500 baht (16 Sep - 5 Oct)
    with rt.db.transaction() as session:
        assert report_rollups.refresh(session, rt.clock(), batch=3) == 3  # part of the ledger only
    assert _market(rt) == live
    assert refresh_sales_rollup(rt, rt.clock()) == 3  # the rest (6 sales in all)
    assert refresh_sales_rollup(rt, rt.clock()) == 0  # nothing twice
    with rt.db.transaction() as session:
        assert session.scalar(select(func.sum(SalesMonthly.sales))) == session.scalar(
            select(func.count()).select_from(Sale))
    assert _market(rt) == live
    # A sale recorded after the refresh (backdated into a rolled-up month) is counted live, then rolled up.
    with rt.db.transaction() as session:
        sales.record_staff_sale(session, ADMIN_ID, (ADMIN_ID,), vendor=history.vendor_ids[0], product="ผ้าขาวม้า",
                                quantity=1, amount=700, channel="market", sold_on=date(2026, 9, 17), now=rt.clock())
    after = _market(rt)
    september = next(m for m in after[0]["sales_by_month"] if m["month"] == "2026-09")
    assert september["traditional_satang"] == 150000 + 70000
    assert refresh_sales_rollup(rt, rt.clock()) == 1
    assert _market(rt) == after
    with rt.db.transaction() as session:
        assert report_rollups.rebuild(session, rt.clock()) == 7
    assert _market(rt) == after


def test_sql_conditions_read_the_ledger_and_agree_with_district_keys(rt):
    build(rt)
    assert refresh_sales_rollup(rt, rt.clock()) == 6
    with rt.db.transaction() as session:
        by_key = reports.sales_by_month(session, reports.Filters(), ["mueang"])
        by_condition = reports.sales_by_month(session, reports.Filters(), [Sale.district.in_(["mueang"])])
        district_months = reports.sales_by_district_month(session, reports.Filters(), ["chonnabot"])
    assert by_key == by_condition and [m["month"] for m in by_key] == ["2026-09", "2026-10"]
    assert {c["district"] for c in district_months} == {"chonnabot"}
