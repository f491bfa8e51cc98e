"""/results and its open data files: an empty database says "ยังไม่มีข้อมูล", a built history hides small figures,
the CSV and XLSX open and carry the data.go.th-style metadata, downloads have the file headers."""

from __future__ import annotations

import csv
import io
import re
import zipfile

import pytest

from services import reports
from tests.results import results_history
from texts import results as results_texts
from web import public_results

SLUGS = ("participation", "satisfaction", "sales-monthly", "sales-district", "sales")


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_results_on_an_empty_database_say_no_data(client):
    response = client.get("/results")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert results_texts.NO_DATA in html
    assert "<script" not in html
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    for slug in SLUGS:
        csv_file = client.get(f"/results/{slug}.csv")
        assert csv_file.status_code == 200, slug
        assert csv_file.headers["Content-Disposition"] == f'attachment; filename="kk-results-{slug}.csv"'
        assert csv_file.headers["Content-Security-Policy"].startswith("default-src 'none'")
        assert results_texts.DATASETS[slug][0] in csv_file.get_data(as_text=True)
        xlsx = client.get(f"/results/{slug}.xlsx")
        assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    assert client.get("/results/nothing.csv").status_code == 404


def _cell(html: str, grid: str, district: str) -> list[str]:
    table = re.search(rf'<table class="res-grid" data-grid="{grid}">(.*?)</table>', html, re.S).group(1)
    row = re.search(rf"<th scope=\"row\">{district}</th>(.*?)</tr>", table, re.S).group(1)
    return re.findall(r'<td class="num">([^<]*)</td>', row)


def test_results_on_a_built_history_hide_small_figures(app, client):
    rt = app.extensions["kk"]
    results_history.build(rt)
    html = client.get("/results").get_data(as_text=True)
    text = _text(html)
    assert "data-empty" not in html  # the page-wide "no data yet" is gone
    # Columns Sep, Oct, Nov 2026; then the district's total.
    assert "ก.ย. 69" in html and "ต.ค. 69" in html and "พ.ย. 69" in html
    phon = _cell(html, "traditional", "พล")
    assert phon == ["0", "4,000", "4,000", "8,000"]  # Sep, Oct, Nov, the district's total
    assert _cell(html, "traditional", "เมืองขอนแก่น")[0] == "–"  # 1,500 baht by 2 shops
    assert _cell(html, "traditional", "ชนบท")[1] == "–"  # one shop
    chum_phae = _cell(html, "traditional", "ชุมแพ")
    assert chum_phae[1] == "3,000" and chum_phae[-1] == "6,000"
    assert "1,500" not in text and ">500<" not in html
    # Sep's total (Mueang's 2 shops) is hidden, so November's is too: the year's total minus October would tell it.
    totals = re.search(r'data-grid="traditional">.*?res-total">(.*?)</tr>', html, re.S).group(1)
    assert re.findall(r'<td class="num">([^<]*)</td>', totals) == ["–", "7,500", "–", "16,000"]
    # Trainees: 4 answers -> hidden with the footnote; 3 sign-ups -> hidden.
    assert results_texts.HIDDEN_NOTE in text
    assert results_texts.HIDDEN_RULES in text
    trainees = re.search(r'data-group="1">(.*?)</article>', html, re.S).group(1)
    assert "3.75" not in trainees and "–" in trainees
    participation = re.search(r'aria-labelledby="res-participation">(.*?)</section>', html, re.S).group(1)
    assert '<b>–</b><span>ผู้สมัคร</span>' in participation


def test_every_hidden_figure_on_the_page_is_hidden_in_the_files(app, client):
    rt = app.extensions["kk"]
    results_history.build(rt)
    now = rt.clock()
    with rt.db.transaction() as session:
        datasets = public_results.results_context(session, now, rt.settings.public_base_url)["datasets"]
    sales = datasets["sales"]
    phon_oct = next(r for r in sales.rows if r[0] == "พล" and r[1] == "2026-10")
    assert phon_oct[2:] == [0, 400000, 400000]
    mueang_sep = next(r for r in sales.rows if r[0] == "เมืองขอนแก่น" and r[1] == "2026-09")
    assert mueang_sep[3] is None and mueang_sep[4] is None

    body = client.get("/results/sales.csv").get_data(as_text=True)
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    meta = {row[0]: row[1] for row in rows[:20] if len(row) == 2}
    assert meta["ชื่อชุดข้อมูล"] == results_texts.DATASETS["sales"][0]
    assert "อบจ.ขอนแก่น" in meta["แหล่งที่มา"]
    assert meta["ความถี่ในการปรับปรุง"] and meta["วิธีคำนวณ"] and meta["ขอบเขตเชิงพื้นที่"]
    assert meta["ขอบเขตเชิงเวลา"] == "1 ธันวาคม 2568 – 23 พฤศจิกายน 2569"
    assert meta["วันที่ปรับปรุงล่าสุด"] == "23 พฤศจิกายน 2569"
    assert results_texts.HIDDEN_NOTE in meta["การปกปิดข้อมูล"]
    start = int(meta[results_texts.META_DATA_ROW])
    assert rows[start - 1][:2] == ["อำเภอ", "เดือน (พ.ศ.)"]
    table = rows[start:]
    phon = next(r for r in table if r[0] == "พล" and r[1] == "2569-10")
    assert phon[2:] == ["0.0", "4000.0", "4000.0", ""]
    mueang = next(r for r in table if r[0] == "เมืองขอนแก่น" and r[1] == "2569-09")
    assert mueang[3] == "" and mueang[-1] == results_texts.HIDDEN_NOTE
    assert "1500" not in body


def _xlsx_sheets(data: bytes) -> dict[str, list[list[str]]]:
    """Reads the workbook's sheets as text rows (no openpyxl here: the sheet XML and shared strings)."""
    from xml.etree import ElementTree

    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        assert book.testzip() is None
        strings = [("".join(t.text or "" for t in si.iter(f"{{{ns['m']}}}t")))
                   for si in ElementTree.fromstring(book.read("xl/sharedStrings.xml")).findall("m:si", ns)]
        workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
        names = [s.get("name") for s in workbook.find("m:sheets", ns)]
        sheets = {}
        for index, name in enumerate(names, start=1):
            root = ElementTree.fromstring(book.read(f"xl/worksheets/sheet{index}.xml"))
            rows = []
            for row in root.iter(f"{{{ns['m']}}}row"):
                cells = []
                for c in row.findall("m:c", ns):
                    v = c.find("m:v", ns)
                    value = "" if v is None else v.text
                    cells.append(strings[int(value)] if c.get("t") == "s" else value)
                rows.append(cells)
            sheets[name] = rows
    return sheets


def test_xlsx_has_the_data_sheet_and_the_metadata_sheet(app, client):
    rt = app.extensions["kk"]
    results_history.build(rt)
    response = client.get("/results/sales-district.xlsx")
    assert response.headers["Content-Disposition"] == 'attachment; filename="kk-results-sales-district.xlsx"'
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheets = _xlsx_sheets(response.data)
    assert list(sheets) == [results_texts.DATA_SHEET, results_texts.META_SHEET]
    data = sheets[results_texts.DATA_SHEET]
    assert data[0] == ["อำเภอ", "ยอดขายออนไลน์ (บาท)", "ยอดขายแบบดั้งเดิม (บาท)", "ยอดขายรวม (บาท)", "หมายเหตุ"]
    phon = next(r for r in data if r[0] == "พล")
    assert [float(v) for v in phon[1:4]] == [0, 8000, 8000]  # numbers, not text
    meta = {r[0]: r[1] for r in sheets[results_texts.META_SHEET][1:]}
    assert meta["แหล่งที่มา"] == results_texts.SOURCE
    assert meta["ชื่อชุดข้อมูล"] == results_texts.DATASETS["sales-district"][0]
    assert meta["วันที่ปรับปรุงล่าสุด"].endswith("2569")


def test_the_province_figures_are_the_reports_figures(app):
    """The page prints what services/reports counts (after disclosure), not a count of its own."""
    rt = app.extensions["kk"]
    results_history.build(rt)
    now = rt.clock()
    start, end = public_results.period(now)
    with rt.db.transaction() as session:
        raw = reports.province_summary(session, reports.Filters(period_from=start, period_to=end), now)
        context = public_results.results_context(session, now, rt.settings.public_base_url)
    assert raw["market"]["sales_traditional_satang"] == 2000_00 + 14000_00
    monthly = context["datasets"]["sales-monthly"]
    assert monthly.total[2] == raw["market"]["sales_traditional_satang"]


@pytest.mark.parametrize("slug", ["../etc", "sales%2F..", "SALES"])
def test_unknown_datasets_are_404(client, slug):
    assert client.get(f"/results/{slug}.csv").status_code == 404
