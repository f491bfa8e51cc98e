"""Public results: `/results` (province-wide participation, satisfaction, activity photos, and online against
traditional sales by district and month), the same tables as open data (`/results/<dataset>.csv` and `.xlsx`), and
the results block of a finished project's public page.

Every figure goes through services/disclosure.public_view before it reaches a page or a file, and the page and the
files are built from the same `Dataset`s, so they never disagree. The PDF renders the same template with
`results_context(..., layout=PRINT_LAYOUT)` (see the context documented at the top of
web/templates/reports/results.html).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flask import Blueprint, Flask, Response, abort, render_template
from sqlalchemy.orm import Session

from bot.runtime import runtime
from services import disclosure, public_results, reports
from services.errors import NotFound
from texts import dates
from texts import results as results_texts
from texts.districts import DISTRICTS
from web import csv_export, headers

bp = Blueprint("public_results", __name__)

WEB_LAYOUT = "public/base.html"
PRINT_LAYOUT = "reports/_print_base.html"
MONTHS = 12  # the page covers this month and the 11 before it

# Column kinds: how a value prints on the page and in the files.
TEXT, COUNT, BAHT, PERCENT, MEAN, MONTH = "text", "count", "baht", "percent", "mean", "month"


@dataclass
class Dataset:
    """One public table: Thai headers, column kinds, rows of raw values (None = hidden, satang for BAHT)."""

    slug: str
    header: list[str]
    kinds: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    total: list[Any] | None = None  # the "รวม" row, when the table has one
    page_header: list[str] | None = None  # shorter headers for a phone screen (the files keep the full ones)

    @property
    def title(self) -> str:
        return results_texts.DATASETS[self.slug][0]

    @property
    def description(self) -> str:
        return results_texts.DATASETS[self.slug][1]

    @property
    def method(self) -> str:
        return results_texts.DATASETS[self.slug][2]

    def all_rows(self) -> list[list[Any]]:
        return self.rows + ([self.total] if self.total else [])

    def has_hidden(self) -> bool:
        return any(value is None for row in self.all_rows() for value in row)

    def shown_header(self) -> list[str]:
        return self.page_header or self.header

    def shown(self) -> list[list[str]]:
        """The rows as the page prints them ("–" for a hidden value)."""
        return [[show(value, kind) for value, kind in zip(row, self.kinds, strict=True)] for row in self.rows]

    def shown_total(self) -> list[str] | None:
        return [show(v, k) for v, k in zip(self.total, self.kinds, strict=True)] if self.total else None


# ---- formatting -------------------------------------------------------------------------------------------------
def baht(satang: int) -> str:
    """'1,234' for whole baht, '1,234.50' otherwise."""
    whole, part = divmod(int(satang), 100)
    return f"{whole:,}" if part == 0 else f"{whole:,}.{part:02d}"


def _is_month(key: str) -> bool:
    return len(key) == 7 and key[4] == "-" and key[:4].isdigit() and key[5:].isdigit()


def thai_month(key: str, *, short: bool = False, year: bool = False) -> str:
    """'2026-01' -> 'มกราคม 2569' ('ม.ค. 69' when short, 'ม.ค. 2569' with `year`); anything else (a "รวม" row)
    as it is."""
    if not _is_month(key):
        return key
    year_, month = int(key[:4]), int(key[5:7])
    if year:
        return f"{dates.THAI_MONTHS_SHORT[month - 1]} {year_ + dates.BUDDHIST_ERA_OFFSET}"
    if short:
        return f"{dates.THAI_MONTHS_SHORT[month - 1]} {(year_ + dates.BUDDHIST_ERA_OFFSET) % 100:02d}"
    return f"{dates.THAI_MONTHS[month - 1]} {year_ + dates.BUDDHIST_ERA_OFFSET}"


def be_month(key: str) -> str:
    """'2026-01' -> '2569-01' (sortable, Buddhist era) for the files."""
    if not _is_month(key):
        return key
    return f"{int(key[:4]) + dates.BUDDHIST_ERA_OFFSET}-{key[5:7]}"


_DISTRICT_ORDER = {key: n for n, key in enumerate(DISTRICTS)}


def district_order(key: str | None) -> tuple[int, str]:
    """The province's own order of districts (เมืองขอนแก่น first), unknown ones last."""
    return _DISTRICT_ORDER.get(key or "", len(_DISTRICT_ORDER)), key or ""


def district_name(key: str | None) -> str:
    return DISTRICTS.get(key or "", results_texts.UNKNOWN_DISTRICT) if key else results_texts.UNKNOWN_DISTRICT


def show(value: Any, kind: str) -> str:
    """A value as the page prints it."""
    if value is None:
        return results_texts.HIDDEN_MARK
    if kind == COUNT:
        return dates.thai_number(value)
    if kind == BAHT:
        return baht(value)
    if kind == PERCENT:
        return f"{value * 100:.1f}%"
    if kind == MEAN:
        return f"{value:.2f}"
    if kind == MONTH:
        return thai_month(value, year=True)
    return str(value)


def file_value(value: Any, kind: str) -> Any:
    """A value as the CSV and XLSX carry it: numbers as numbers (baht with 2 decimals), None stays None."""
    if value is None:
        return None
    if kind == BAHT:
        return round(int(value) / 100, 2)
    if kind == PERCENT:
        return round(value * 100, 1)
    if kind == MONTH:
        return be_month(value)
    return value


# ---- the figures ------------------------------------------------------------------------------------------------
def period(now: datetime, months: int = MONTHS) -> tuple[date, date]:
    """This month (Khon Kaen time) and the months - 1 before it: first and last day."""
    today = dates.to_local(now).date()
    year, month = today.year, today.month - (months - 1)
    while month < 1:
        year, month = year - 1, month + 12
    return date(year, month, 1), today


def _satisfaction_row(label: str, rating: dict[str, Any]) -> list[Any]:
    distribution = rating.get("distribution") or [0] * 5
    if isinstance(distribution, dict):
        distribution = [distribution.get(str(i)) for i in range(1, 6)]
    return [label, rating.get("count"), rating.get("mean"), *distribution[:5]]


def _sales_row(cell: dict[str, Any]) -> list[Any]:
    return [cell.get("online_satang"), cell.get("traditional_satang"), cell.get("total_satang")]


def _sum_or_none(*values: int | None) -> int | None:
    return None if any(v is None for v in values) else sum(v or 0 for v in values)


def build_datasets(report: dict[str, Any]) -> dict[str, Dataset]:
    """The public tables of a province summary that has been through disclosure.public_view."""
    t = results_texts
    part = report.get("participation") or {}
    participation = Dataset("participation", [t.COL_TRAINING, t.COL_DATE, t.SIGNUPS, t.ATTENDED, t.ATTENDANCE_RATE],
                            [TEXT, TEXT, COUNT, COUNT, PERCENT])
    for row in part.get("trainings") or []:
        starts = datetime.fromisoformat(row["starts_at"]) if row.get("starts_at") else None
        participation.rows.append([row.get("title", ""), dates.thai_date(starts), row.get("signups"),
                                   row.get("attended"), row.get("attendance_rate")])
    if participation.rows:
        participation.total = [t.TOTAL, "", part.get("signups"), part.get("attended"), part.get("attendance_rate")]

    satisfaction = Dataset("satisfaction", [t.COL_GROUP, t.ANSWERS, t.MEAN, *(t.COL_STAR.format(n=n)
                                                                              for n in range(1, 6))],
                           [TEXT, COUNT, MEAN, COUNT, COUNT, COUNT, COUNT, COUNT])
    for key, label in t.SATISFACTION_GROUPS.items():
        rating = (report.get("satisfaction") or {}).get(key)
        if rating and rating.get("count") != 0:
            satisfaction.rows.append(_satisfaction_row(label, rating))

    market = report.get("market") or {}
    money = [BAHT, BAHT, BAHT]
    money_header = [t.COL_ONLINE, t.COL_TRADITIONAL, t.COL_TOTAL]
    short = [t.ONLINE, t.TRADITIONAL, t.TOTAL]
    monthly = Dataset("sales-monthly", [t.COL_MONTH, *money_header], [MONTH, *money],
                      page_header=[t.MONTH, *short])
    monthly.rows = [[c["month"], *_sales_row(c)] for c in sorted(market.get("sales_by_month") or [],
                                                                 key=lambda c: c["month"])]
    online, traditional = market.get("sales_online_satang"), market.get("sales_traditional_satang")
    grand = [t.TOTAL, online, traditional, _sum_or_none(online, traditional)]
    if monthly.rows:
        monthly.total = list(grand)
    by_district = Dataset("sales-district", [t.DISTRICT, *money_header], [TEXT, *money],
                          page_header=[t.DISTRICT, *short])
    by_district.rows = [[district_name(c.get("district")), *_sales_row(c)]
                        for c in sorted(market.get("sales_by_district") or [],
                                        key=lambda c: district_order(c.get("district")))]
    if by_district.rows:
        by_district.total = list(grand)
    grid = Dataset("sales", [t.DISTRICT, t.COL_MONTH, *money_header], [TEXT, MONTH, *money],
                   page_header=[t.DISTRICT, t.MONTH, *short])
    grid.rows = [[district_name(c.get("district")), c["month"], *_sales_row(c)]
                 for c in sorted(market.get("sales_by_district_month") or [],
                                 key=lambda c: (district_order(c.get("district")), c["month"]))]
    return {d.slug: d for d in (participation, satisfaction, monthly, by_district, grid)}


def _grids(market: dict[str, Any]) -> list[dict[str, Any]]:
    """The two district-by-month tables as the page prints them (rows, month headers, cells, totals)."""
    out = []
    for side, title in results_texts.SALES_GRID.items():
        table = (market.get("sales_tables") or {}).get(side)
        if not table or not table["rows"]:
            continue
        out.append({
            "side": side, "title": title,
            "columns": [thai_month(c, short=True) for c in table["columns"]],
            "rows": [{"name": district_name(r), "cells": [show(v, BAHT) for v in cells], "total": show(total, BAHT)}
                     for r, cells, total in sorted(zip(table["rows"], table["cells"], table["row_totals"],
                                                       strict=True), key=lambda row: district_order(row[0]))],
            "column_totals": [show(v, BAHT) for v in table["column_totals"]],
            "total": show(table["total"], BAHT),
            "has_hidden": bool(table["hidden_count"]),
        })
    return out


def _rating_view(label: str, rating: dict[str, Any] | None) -> dict[str, Any]:
    rating = rating or {"count": 0, "mean": None, "distribution": [0] * 5}
    count = rating.get("count")
    distribution = rating.get("distribution") or [0] * 5
    if isinstance(distribution, dict):
        distribution = [distribution.get(str(i)) for i in range(1, 6)]
    known = [v for v in distribution if v is not None]
    biggest = max(known, default=0) or 1
    bars = [{"stars": i + 1, "label": results_texts.STARS.format(n=i + 1), "value": show(v, COUNT),
             "width": 0 if v is None else round(100 * v / biggest)} for i, v in enumerate(distribution[:5])]
    return {"label": label, "empty": count == 0, "hidden": count is None,
            "count": show(count, COUNT), "mean": show(rating.get("mean"), MEAN) if count else "",
            "bars": bars, "bars_hidden": any(v is None for v in distribution)}


def _shown_rate(part: dict[str, Any]) -> str:
    """The attendance rate, "–" when hidden, "" when no training has ended yet (nothing to rate)."""
    rate = part.get("attendance_rate")
    hidden = rate is None and (part.get("attended") is None or part.get("confirmed_at_ended") is None)
    return show(rate, PERCENT) if rate is not None or hidden else ""


def results_context(session: Session, now: datetime, base_url: str, *, layout: str = WEB_LAYOUT,
                    months: int = MONTHS, start: date | None = None, end: date | None = None) -> dict[str, Any]:
    """Everything /results (and the province PDF) prints, already through disclosure control: the last `months`
    months, or the days `start`..`end` (e.g. one month for the monthly PDF). With the print layout the photos are
    data URIs, since the PDF fetches nothing."""
    if start is None or end is None:
        start, end = period(now, months)
    raw = reports.province_summary(session, reports.Filters(period_from=start, period_to=end), now)
    report = disclosure.public_view(raw)
    datasets = build_datasets(report)
    part = report.get("participation") or {}
    photos = public_results.recent_photos(session, base_url, inline=layout != WEB_LAYOUT)
    satisfaction = [_rating_view(label, (report.get("satisfaction") or {}).get(key))
                    for key, label in results_texts.SATISFACTION_GROUPS.items()]
    grids = _grids(report.get("market") or {})
    return {
        "layout": layout, "R": results_texts, "for_print": layout != WEB_LAYOUT,
        "title": results_texts.TITLE,
        "scope": results_texts.SCOPE.format(start=dates.thai_date(start, long=True),
                                            end=dates.thai_date(end, long=True)),
        "updated": results_texts.UPDATED.format(when=dates.thai_datetime(now, long=True)),
        "has_data": bool(raw.get("has_data")) or bool(photos),
        "participation": {"trainings": dates.thai_number(part.get("trainings_count") or 0),
                          "signups": show(part.get("signups"), COUNT), "attended": show(part.get("attended"), COUNT),
                          "rate": _shown_rate(part),
                          "empty": not part.get("trainings_count")},
        "satisfaction": satisfaction,
        "photos": photos,
        "datasets": datasets,
        "grids": grids,
        "has_hidden": any(d.has_hidden() for d in datasets.values()) or any(g["has_hidden"] for g in grids)
        or any(s["hidden"] or s["bars_hidden"] for s in satisfaction),
        "downloads": [(d.slug, d.title) for d in datasets.values()],
    }


def project_results(session: Session, project_id: int, now: datetime, base_url: str) -> dict[str, Any] | None:
    """The results block of a finished project's public page (templates/reports/_project_results.html), or None
    while the project is not finished: participation, satisfaction, sales in its districts by month (`months`) and
    by district and month (`grids`, as on /results). Its photos are on the page already (stages), so the block
    has none."""
    try:
        raw = reports.project_report(session, project_id, now)
    except NotFound:
        return None
    if not raw["project"].get("finished"):
        return None
    report = disclosure.public_view(raw)
    part = report.get("participation") or {}
    sat = report.get("satisfaction") or {}
    market = report.get("market") or {}
    months = [{"month": thai_month(c["month"]), "online": show(c.get("online_satang"), BAHT),
               "traditional": show(c.get("traditional_satang"), BAHT)}
              for c in sorted(market.get("sales_by_month") or [], key=lambda c: c["month"])]
    grids = _grids(disclosure.public_view({"market": public_results.project_market(session, project_id)})["market"])
    ratings = [_rating_view(label, sat.get(key)) for key, label in results_texts.PROJECT_SATISFACTION.items()]
    hidden = any(r["hidden"] or r["bars_hidden"] for r in ratings) or any(g["has_hidden"] for g in grids) or \
        any(results_texts.HIDDEN_MARK in (m["online"], m["traditional"]) for m in months)
    return {"R": results_texts, "ratings": ratings, "months": months, "grids": grids,
            "participation": {"trainings": dates.thai_number(part.get("trainings_count") or 0),
                              "signups": show(part.get("signups"), COUNT),
                              "attended": show(part.get("attended"), COUNT),
                              "empty": not part.get("trainings_count")},
            "has_hidden": hidden}


# ---- pages and files --------------------------------------------------------------------------------------------
@bp.get("/results")
def results_page() -> Any:
    """Province-wide results for everyone, phone-first and printable."""
    rt = runtime()
    with rt.db.transaction() as session:
        context = results_context(session, rt.clock(), rt.settings.public_base_url)
    return render_template("reports/results.html", **context,
                           share_url=f"{rt.settings.public_base_url}/results", share_text=results_texts.TITLE)


def metadata(dataset: Dataset, now: datetime, months: int = MONTHS) -> list[tuple[str, str]]:
    """The dataset's description in the style of the government data catalogue (data.go.th)."""
    t = results_texts
    start, end = period(now, months)
    return [(t.META_TITLE, dataset.title), (t.META_DESCRIPTION, dataset.description), (t.META_SOURCE, t.SOURCE),
            (t.META_FREQUENCY, t.FREQUENCY), (t.META_SPATIAL, t.SPATIAL),
            (t.META_TEMPORAL, f"{dates.thai_date(start, long=True)} – {dates.thai_date(end, long=True)}"),
            (t.META_METHOD, dataset.method), (t.META_SUPPRESSION, f"{t.HIDDEN_NOTE}: {t.HIDDEN_RULES}"),
            (t.META_BLANK, t.BLANK), (t.META_LICENSE, t.LICENSE),
            (t.META_UPDATED, dates.thai_date(now, long=True))]


def file_rows(dataset: Dataset) -> tuple[list[str], list[list[Any]]]:
    """Header and rows as the files carry them: numbers as numbers, hidden values blank with a note."""
    header = [*dataset.header, results_texts.NOTE_COLUMN]
    rows = []
    for row in dataset.all_rows():
        values = [file_value(v, k) for v, k in zip(row, dataset.kinds, strict=True)]
        note = results_texts.HIDDEN_NOTE if any(v is None for v in row) else ""
        rows.append([*values, note])
    return header, rows


def csv_document(dataset: Dataset, now: datetime) -> str:
    """The CSV: the metadata block first (two columns: หัวข้อ, รายละเอียด) so a person opening it in a spreadsheet
    reads what the numbers are before the numbers, one empty row, then the table with its own header. The row the
    table starts on is written in the block (META_DATA_ROW) for programs that skip to it."""
    meta = metadata(dataset, now)
    header, rows = file_rows(dataset)
    data_row = len(meta) + 4  # header row of the block, its rows, this row, the blank row, then the table
    block = [list(results_texts.META_HEADER), *[list(pair) for pair in meta],
             [results_texts.META_DATA_ROW, str(data_row)], []]
    return csv_export.csv_text(block[0], [*block[1:], header, *[["" if v is None else v for v in r] for r in rows]])


def xlsx_document(dataset: Dataset, now: datetime) -> bytes:
    """The XLSX: the table on the first sheet (header in row 1, ready for filters and pivot tables), the metadata on
    a sheet of its own."""
    import xlsxwriter  # only the downloads need it

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    money = book.add_format({"num_format": "#,##0.00"})
    count = book.add_format({"num_format": "#,##0"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    header, rows = file_rows(dataset)
    data = book.add_worksheet(results_texts.DATA_SHEET)
    data.write_row(0, 0, header, bold)
    formats = {BAHT: money, COUNT: count}
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            kind = dataset.kinds[c] if c < len(dataset.kinds) else TEXT
            if value is None:
                data.write_blank(r, c, None)
            elif isinstance(value, int | float) and not isinstance(value, bool):
                data.write_number(r, c, value, formats.get(kind))
            else:
                data.write_string(r, c, str(value))  # a string cell is never run as a formula
    data.set_column(0, 0, 28)
    data.set_column(1, len(header) - 1, 18)
    data.freeze_panes(1, 0)
    meta = book.add_worksheet(results_texts.META_SHEET)
    meta.write_row(0, 0, results_texts.META_HEADER, bold)
    for r, (key, value) in enumerate(metadata(dataset, now), start=1):
        meta.write_string(r, 0, key, bold)
        meta.write_string(r, 1, value, wrap)
    meta.set_column(0, 0, 26)
    meta.set_column(1, 1, 90)
    book.close()
    return out.getvalue()


def _dataset(slug: str) -> tuple[Dataset, datetime]:
    if slug not in results_texts.DATASETS:
        abort(404)
    rt = runtime()
    now = rt.clock()
    with rt.db.transaction() as session:
        context = results_context(session, now, rt.settings.public_base_url)
    return context["datasets"][slug], now


def _download(body: bytes, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    # A file, not a page: nothing in it may run or load anything (the site's DATA policy).
    response.headers["Content-Security-Policy"] = headers.DATA.csp
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.get("/results/<slug>.csv")
def dataset_csv(slug: str) -> Any:
    """A public table as CSV (UTF-8 with BOM, metadata block first)."""
    dataset, now = _dataset(slug)
    response = _download(csv_document(dataset, now).encode("utf-8"), "text/csv", f"kk-results-{slug}.csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    return response


@bp.get("/results/<slug>.xlsx")
def dataset_xlsx(slug: str) -> Any:
    """A public table as an Excel workbook (data sheet and metadata sheet)."""
    dataset, now = _dataset(slug)
    return _download(xlsx_document(dataset, now),
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", f"kk-results-{slug}.xlsx")


def register(app: Flask) -> None:
    app.register_blueprint(bp)

