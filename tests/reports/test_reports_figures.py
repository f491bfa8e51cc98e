"""The report figures on a known history (tests/reports/reports_history.py): reach, participation, satisfaction,
market (online vs traditional by month, district and category, referrals), the filters, and an empty database."""

from __future__ import annotations

import json
from datetime import date

import pytest

from services import reports
from services.errors import DomainError, NotFound
from tests.reports.reports_history import build


@pytest.fixture
def history(rt):
    return build(rt)


def _summary(rt, **filters):
    with rt.db.transaction() as session:
        return reports.province_summary(session, reports.Filters(**filters), rt.clock())


def _by(rows, key):
    return {r[key]: r for r in rows}


def test_province_summary_counts_the_history(rt, history):
    report = _summary(rt)
    json.dumps(report)  # plain JSON-able values only
    reach = report["reach"]
    assert reach["followers_now"] == 7
    assert [(m["month"], m["followers"], m["followed"], m["unfollowed"]) for m in reach["followers_by_month"]] == [
        ("2026-08", 6, 6, 0), ("2026-09", 7, 1, 0), ("2026-10", 7, 1, 1), ("2026-11", 7, 0, 0)]
    assert reach["announcements"]["count"] == 1 and reach["announcements"]["recipients"] == 3
    assert reach["announcements"]["by_channel"] == [
        {"channel": "multicast", "announcements": 1, "recipients": 3, "delivered": 0}]
    clicks = _by(reach["clicks"], "channel")
    assert clicks["referral"] == {"channel": "referral", "tracked": True, "clicks": 3}
    assert clicks["facebook"] == {"channel": "facebook", "tracked": True, "clicks": 0}

    # Visits from shared links, by the share button's ?s= tag; unknown (not zero) by district.
    from services import share_visits

    with rt.db.transaction() as session:
        for visitor in ("a", "b"):
            share_visits.record_visit(session, "/projects/1", "fb", visitor, rt.clock())
        share_visits.record_visit(session, "/projects/1", "line", "a", rt.clock())
    clicks = _by(_summary(rt)["reach"]["clicks"], "channel")
    assert (clicks["facebook"]["clicks"], clicks["line_message"]["clicks"], clicks["web"]["clicks"]) == (2, 1, 0)
    with rt.db.transaction() as session:
        by_district = _by(reports.province_summary(session, reports.Filters(district="mueang"), rt.clock())
                          ["reach"]["clicks"], "channel")
    assert by_district["facebook"] == {"channel": "facebook", "tracked": False, "clicks": None}

    part = report["participation"]
    assert part["trainings_count"] == 2 and part["signups"] == 4 and part["attended"] == 2
    assert part["attendance_rate"] == pytest.approx(2 / 3, abs=1e-4)  # only the ended training counts
    rows = _by(part["trainings"], "id")
    assert rows[history.training_id]["attendance_rate"] == pytest.approx(0.6667, abs=1e-4)
    assert rows[history.future_training_id]["attendance_rate"] is None

    sat = report["satisfaction"]
    assert sat["trainees"] == {"count": 4, "mean": 3.75, "distribution": [0, 1, 0, 2, 1], "respondents": 2}
    assert sat["citizens"] == {"count": 2, "mean": 4.0, "distribution": [0, 0, 1, 0, 1], "respondents": 2}
    assert "count" in sat["buyers"] and "available" in sat["buyers"]


def test_market_splits_online_and_traditional_by_month_district_and_category(rt, history):
    market = _summary(rt)["market"]
    assert market["certified_products"] == 2 and market["certified_shops"] == 2 and market["approved_shops"] == 3
    assert market["orders"]["count"] == 4
    assert market["orders"]["by_status"]["received"] == 2 and market["orders"]["by_status"]["placed"] == 1
    months = _by(market["sales_by_month"], "month")
    assert list(months) == ["2026-09", "2026-10", "2026-11"]
    assert (months["2026-09"]["online_satang"], months["2026-09"]["traditional_satang"]) == (0, 150000)
    assert (months["2026-10"]["online_satang"], months["2026-10"]["traditional_satang"]) == (240000, 50000)
    assert (months["2026-11"]["online_satang"], months["2026-11"]["traditional_satang"]) == (80000, 0)
    # Disclosure control needs how many shops make a cell and the largest one's part.
    assert months["2026-09"]["traditional_vendors"] == 2 and months["2026-09"]["traditional_top_vendor_satang"] == 100000
    assert months["2026-10"]["vendors"] == 2
    districts = _by(market["sales_by_district"], "district")
    assert districts["mueang"]["online_satang"] == 240000 and districts["mueang"]["traditional_satang"] == 150000
    assert districts["chonnabot"]["online_satang"] == 80000 and districts["chonnabot"]["traditional_satang"] == 50000
    assert districts["chonnabot"]["district_name"] == "ชนบท"
    cells = {(c["district"], c["month"]): c for c in market["sales_by_district_month"]}
    assert cells[("chonnabot", "2026-10")]["traditional_satang"] == 50000
    assert cells[("mueang", "2026-10")]["online_satang"] == 240000
    categories = _by(market["sales_by_category"], "category")
    assert categories["textile"]["total_satang"] == 100000 + 30000 + 240000 + 80000
    assert categories["food"]["traditional_satang"] == 50000
    assert categories["unposted"]["traditional_satang"] == 20000
    assert market["sales_online_satang"] == 320000 and market["sales_traditional_satang"] == 200000
    ref = market["referrals"]
    assert ref["clicks"] == 3 and ref["attributed_orders"] == 1 and ref["attributed_received"] == 1
    assert ref["attributed_sales_satang"] == 245000 and ref["commissions_satang"] == 12000
    assert ref["commissions"] == {"pending": {"count": 1, "satang": 12000}}


def test_filters_narrow_period_district_and_kind(rt, history):
    october = _summary(rt, period_from=date(2026, 10, 1), period_to=date(2026, 10, 31))
    assert [m["month"] for m in october["market"]["sales_by_month"]] == ["2026-10"]
    assert [m["month"] for m in october["reach"]["followers_by_month"]] == ["2026-10"]
    assert october["reach"]["followers_by_month"][0]["followers"] == 7  # counted from the start, shown for October
    assert october["participation"]["trainings_count"] == 1
    assert october["satisfaction"]["trainees"]["count"] == 4 and october["satisfaction"]["citizens"]["count"] == 0
    assert october["reach"]["announcements"]["count"] == 0
    assert october["market"]["orders"]["count"] == 1

    chonnabot = _summary(rt, district="chonnabot")
    assert chonnabot["reach"]["followers_now"] == 4
    assert [d["district"] for d in chonnabot["market"]["sales_by_district"]] == ["chonnabot"]
    assert chonnabot["market"]["sales_traditional_satang"] == 50000
    assert chonnabot["market"]["certified_shops"] == 1 and chonnabot["market"]["approved_shops"] == 1
    assert chonnabot["participation"]["signups"] == 1  # only uid 4 (chonnabot) signed up, for December
    assert chonnabot["satisfaction"]["trainees"]["count"] == 0
    assert chonnabot["satisfaction"]["citizens"]["distribution"] == [0, 0, 1, 0, 1]
    assert chonnabot["reach"]["announcements"]["count"] == 0  # the one announcement went to mueang
    assert chonnabot["market"]["referrals"]["clicks"] == 0

    infrastructure = _summary(rt, project_kind="infrastructure")
    assert infrastructure["participation"]["trainings_count"] == 0
    assert infrastructure["satisfaction"]["trainees"]["count"] == 0
    assert infrastructure["satisfaction"]["citizens"]["count"] == 0
    assert infrastructure["reach"]["announcements"]["count"] == 0
    career = _summary(rt, project_kind="career_training")
    assert career["participation"]["trainings_count"] == 1 and career["satisfaction"]["citizens"]["count"] == 2
    assert career["market"]["project_kind_applies"] is False  # sales are not tied to projects


def test_bad_filters_are_refused_in_thai():
    with pytest.raises(DomainError) as bad:
        reports.clean_filters("2026-13-01")
    assert "วันที่" in bad.value.message
    with pytest.raises(DomainError):
        reports.clean_filters("2026-11-02", "2026-11-01")
    with pytest.raises(DomainError):
        reports.clean_filters(district="atlantis")
    with pytest.raises(DomainError):
        reports.clean_filters(project_kind="space")
    assert reports.clean_filters(" ", "", "", "") == reports.Filters()
    assert reports.clean_filters("2026-01-01", "2026-12-31", "phon", "infrastructure") == reports.Filters(
        date(2026, 1, 1), date(2026, 12, 31), "phon", "infrastructure")


def test_project_and_training_reports(rt, history):
    with rt.db.transaction() as session:
        project = reports.project_report(session, history.project_id, rt.clock())
        training = reports.training_report(session, history.training_id, rt.clock())
    json.dumps(project), json.dumps(training)
    assert project["project"]["finished"] is True
    assert [s["stage"] for s in project["project"]["stages"]] == ["announced", "in_progress", "completed"]
    assert project["reach"]["announcements"]["recipients"] == 3
    assert project["participation"]["signups"] == 3 and project["participation"]["attended"] == 2
    assert project["satisfaction"]["citizens"]["mean"] == 4.0
    assert project["satisfaction"]["trainees"]["count"] == 4
    items = project["satisfaction"]["trainees_items"]
    assert [(i["prompt"], i["mean"]) for i in items] == [("สถานที่", 3.0), ("ความรู้ที่ได้รับ", 4.5)]  # lowest first
    assert [m["month"] for m in project["market"]["sales_by_month"]] == ["2026-09", "2026-10"]  # mueang only
    part = training["participation"]
    assert (part["signups"], part["confirmed"], part["attended"]) == (3, 3, 2)
    assert part["attendance_rate"] == pytest.approx(0.6667, abs=1e-4)
    assert part["by_district"] == [{"district": "mueang", "district_name": "เมืองขอนแก่น", "signups": 3,
                                    "attended": 2}]
    assert training["satisfaction"]["trainees"]["mean"] == 3.75
    assert training["training"]["finished"] is True and training["training"]["project_kind"] == "career_training"
    with rt.db.transaction() as session, pytest.raises(NotFound):
        reports.project_report(session, 9999, rt.clock())
    with rt.db.transaction() as session, pytest.raises(NotFound):
        reports.training_report(session, 9999, rt.clock())


def test_empty_database_gives_zeros_and_empty_lists(rt):
    report = _summary(rt, district="mueang", project_kind="career_training")
    assert report["has_data"] is False
    assert report["reach"]["followers_by_month"] == [] and report["reach"]["followers_now"] == 0
    assert report["participation"]["attendance_rate"] is None
    assert report["satisfaction"]["trainees"] == {"count": 0, "mean": None, "distribution": [0] * 5,
                                                  "respondents": 0}
    assert report["market"]["sales_by_month"] == [] and report["market"]["referrals"]["conversion_rate"] is None
