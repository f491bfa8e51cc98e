"""The one results template in its print layout (what the province PDF lays out with WeasyPrint: Thai title,
Buddhist-era dates, photos embedded, no script), and the results block of a finished project's public page."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import render_template
from PIL import Image

from services import disclosure, projects
from tests.conftest import ADMIN_ID
from tests.results import results_history
from texts import results as results_texts
from web import public_results


def _jpeg(color: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), color).save(out, "JPEG")
    return out.getvalue()


def _sarabun() -> str:
    """@font-face rules for the installed Sarabun, as the PDF renderer passes them (`font_faces`)."""
    import fontpkg

    return "\n".join(f'@font-face {{ font-family: "Sarabun"; font-weight: {weight}; '
                     f'src: url("{Path(fontpkg.path("Sarabun", weight)).as_uri()}"); }}' for weight in (400, 700))


def _with_photos(rt) -> int:
    history = results_history.build(rt)
    with rt.db.transaction() as session:
        for color in ("#a0522d", "#708090"):
            projects.add_photo(session, ADMIN_ID, history.project_id, _jpeg(color), rt.clock(), caption="ทอผ้า")
    return history.project_id


def test_print_layout_renders_to_a_pdf_with_thai_title_be_year_and_photos(app):
    weasyprint = pytest.importorskip("weasyprint")
    from weasyprint.urls import URLFetcher

    rt = app.extensions["kk"]
    _with_photos(rt)
    with app.test_request_context("/results"), rt.db.transaction() as session:
        context = public_results.results_context(session, rt.clock(), rt.settings.public_base_url,
                                                 layout=public_results.PRINT_LAYOUT)
        html = render_template("reports/results.html", **context, font_faces=_sarabun())
    assert "<script" not in html and "http://" not in html.split("<main>")[1]  # nothing to fetch
    assert all(photo.url.startswith("data:image/jpeg;base64,") for photo in context["photos"])
    assert "res-downloads" not in html.split("</style>")[-1]  # no download links on paper
    pdf = weasyprint.HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=("data", "file"))).write_pdf()
    assert pdf.startswith(b"%PDF")
    assert pdf.count(b"/Subtype /Image") >= 2
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext not installed")
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    # Sarabun draws sara am (ำ) as nikhahit + sara aa and pdftotext gives back only the aa: compare without it.
    assert results_texts.PRINT_TITLE.replace("ำ", "า") in text.replace("ำ", "า")
    assert "2569" in text
    assert "พล" in text and "4,000" in text


def test_a_finished_project_shows_its_results_with_small_figures_hidden(app):
    rt = app.extensions["kk"]
    project_id = _with_photos(rt)
    with app.test_request_context(f"/projects/{project_id}"), rt.db.transaction() as session:
        block = public_results.project_results(session, project_id, rt.clock(), rt.settings.public_base_url)
        html = render_template("reports/_project_results.html", project_results=block)
    assert results_texts.PROJECT_RESULTS in html
    # 3 sign-ups, 2 attended; citizens gave 2 ratings and trainees 4: all under 5.
    assert block["participation"]["signups"] == "–" and block["participation"]["attended"] == "–"
    assert [r["hidden"] for r in block["ratings"]] == [True, True]
    assert "3.75" not in html and "4.00" not in html
    assert results_texts.HIDDEN_NOTE in html
    assert "<script" not in html


def test_an_unfinished_project_has_no_results_block(app):
    rt = app.extensions["kk"]
    with rt.db.transaction() as session:
        project = projects.create_project(session, ADMIN_ID, projects.ProjectInput(
            kind="infrastructure", title="ถนนใหม่", districts=["phon"]), rt.clock())
        project_id = project.id
    with app.test_request_context("/"), rt.db.transaction() as session:
        assert public_results.project_results(session, project_id, rt.clock(), "http://x") is None
        assert public_results.project_results(session, 999_999, rt.clock(), "http://x") is None
        assert render_template("reports/_project_results.html", project_results=None).strip() == ""


def test_participation_columns_are_protected_against_their_totals():
    participation = {"trainings_count": 3, "signups": 27, "attended": 20, "confirmed_at_ended": 25,
                     "attendance_rate": 0.8,
                     "trainings": [{"id": 1, "title": "ก", "signups": 3, "confirmed": 3, "attended": 2,
                                    "attendance_rate": 0.67},
                                   {"id": 2, "title": "ข", "signups": 12, "confirmed": 11, "attended": 9,
                                    "attendance_rate": 0.82},
                                   {"id": 3, "title": "ค", "signups": 12, "confirmed": 11, "attended": 9,
                                    "attendance_rate": 0.82}]}
    view = disclosure.public_view({"participation": participation})["participation"]
    rows = view["trainings"]
    assert rows[0]["signups"] is None and rows[0]["attended"] is None and rows[0]["attendance_rate"] is None
    # 27 - 12 would give the 3 back, so one of the others goes too; the totals stay.
    assert [r["signups"] for r in rows].count(None) == 2
    assert view["signups"] == 27 and view["trainings_count"] == 3 and view["attendance_rate"] == 0.8
    hidden_rows = [r for r in rows if r["attended"] is None]
    assert len(hidden_rows) == 2 and all(r["attendance_rate"] is None for r in hidden_rows)


def test_a_finished_projects_sales_by_district_and_month(app):
    rt = app.extensions["kk"]
    results_history.build(rt)
    with rt.db.transaction() as session:
        project = projects.create_project(session, ADMIN_ID, projects.ProjectInput(
            kind="career_training", title="ข้าวเกรียบพล", districts=["phon", "chonnabot"]),
            datetime(2026, 9, 1, tzinfo=UTC))
        projects.change_stage(session, ADMIN_ID, project.id, "completed", rt.clock())
        project_id = project.id
    with app.test_request_context(f"/projects/{project_id}"), rt.db.transaction() as session:
        block = public_results.project_results(session, project_id, rt.clock(), rt.settings.public_base_url)
        html = render_template("reports/_project_results.html", project_results=block)
    traditional = next(g for g in block["grids"] if g["side"] == "traditional")
    rows = {row["name"]: row for row in traditional["rows"]}
    assert set(rows) == {"พล", "ชนบท"}  # only the project's districts
    # Chonnabot's October is one shop; October's total (5 shops) shows, so Phon's October goes with it, and
    # Chonnabot's total (one shop) is hidden, so Phon's total goes too (the grand total minus it would tell it).
    assert rows["ชนบท"]["cells"] == ["–", "0"] and rows["ชนบท"]["total"] == "–"
    assert rows["พล"]["cells"] == ["–", "4,000"] and rows["พล"]["total"] == "–"
    assert traditional["column_totals"] == ["4,500", "4,000"] and traditional["total"] == "8,500"
    assert traditional["columns"] == ["ต.ค. 69", "พ.ย. 69"]
    assert 'data-grid="traditional"' in html and "4,500" in html and results_texts.HIDDEN_NOTE in html
