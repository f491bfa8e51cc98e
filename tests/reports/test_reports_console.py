"""Console report pages: staff (and executives) only, the dashboard with filters, project and training reports,
"ยังไม่มีข้อมูล" on an empty database, and the charts as PNGs with a download link."""

from __future__ import annotations

import io
import struct

import pytest

from tests.conftest import ADMIN_ID
from tests.reports.reports_history import build
from tests.web.conftest import make_staff, staff_login

EXECUTIVE_ID = "U" + "e" * 32
CITIZEN_ID = "U" + "f" * 32


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR (after checking the signature)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_report_pages_are_for_staff_and_executives_only(app, client, rt):
    history = build(rt)
    paths = ["/console/reports", "/console/reports/charts/followers.png",
             f"/console/reports/projects/{history.project_id}",
             f"/console/reports/projects/{history.project_id}/charts/satisfaction.png",
             f"/console/reports/trainings/{history.training_id}",
             f"/console/reports/trainings/{history.training_id}/charts/satisfaction.png"]
    for path in paths:
        assert client.get(path).status_code == 401, path
    # A citizen who is not staff cannot sign in at all; an executive (reads reports only) can read every report.
    make_staff(rt, EXECUTIVE_ID, role="executive")
    executive = app.test_client()
    staff_login(executive, EXECUTIVE_ID)
    for path in paths:
        assert executive.get(path).status_code == 200, path
    assert executive.get("/console/sales").status_code == 403
    staff_login(client, ADMIN_ID)
    for path in paths:
        assert client.get(path).status_code == 200, path


def test_empty_database_says_no_data_yet(admin_client):
    page = admin_client.get("/console/reports")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'id="rp-no-data"' in html and "ยังไม่มีข้อมูล" in html
    for kind in ("followers", "satisfaction", "sales_by_month", "sales_by_district"):
        image = admin_client.get(f"/console/reports/charts/{kind}.png")
        assert image.status_code == 200 and image.mimetype == "image/png"
        assert png_size(image.data) == (960, 540)


def test_dashboard_shows_the_figures_and_filters(admin_client, rt):
    build(rt)
    html = admin_client.get("/console/reports").get_data(as_text=True)
    assert 'id="rp-no-data"' not in html
    assert 'data-figure="followers_now">7<' in html
    assert 'data-figure="signups">4<' in html and 'data-figure="attendance_rate">67%<' in html
    assert 'data-figure="certified_products">2<' in html and 'data-figure="orders">4<' in html
    assert "ทอผ้าไหมและขายออนไลน์" in html and "ฝึกอาชีพทอผ้าไหม" in html
    assert "ต.ค. 69" in html and "2,400 บาท" in html  # October's online sales, in baht, Buddhist-era month
    assert "ลิงก์แชร์รับรายได้" in html and "Facebook" in html
    assert "3.75" in html and "4.00" in html
    assert 'href="/console/reports/charts/sales_by_month.png?download=1"' in html
    assert 'href="/console/reports/pdf/province/2026-10.pdf"' in html  # the monthly PDFs of months that are over

    filtered = admin_client.get("/console/reports?from=2026-09-01&to=2026-09-30&district=chonnabot")
    fhtml = filtered.get_data(as_text=True)
    assert filtered.status_code == 200
    assert 'data-figure="followers_now">4<' in fhtml
    assert "/console/reports/charts/followers.png?from=2026-09-01&amp;to=2026-09-30&amp;district=chonnabot" in fhtml
    assert 'data-figure="orders">0<' in fhtml
    assert "2,400 บาท" not in fhtml

    bad = admin_client.get("/console/reports?from=31-12-2026&district=nowhere")
    assert bad.status_code == 200 and "ตัวกรองไม่ถูกต้อง" in bad.get_data(as_text=True)


def test_charts_are_pngs_with_downloads(admin_client, rt):
    history = build(rt)
    seen = set()
    for kind in ("followers", "satisfaction", "sales_by_month", "sales_by_district"):
        image = admin_client.get(f"/console/reports/charts/{kind}.png?district=mueang")
        assert image.status_code == 200 and image.mimetype == "image/png"
        width, height = png_size(image.data)
        assert width == 960 and height >= 540
        assert len(image.data) > 10_000  # drawn bars, lines and Thai labels, not a blank image
        seen.add(image.data)
        from PIL import Image

        assert Image.open(io.BytesIO(image.data)).size == (width, height)
    assert len(seen) == 4
    download = admin_client.get("/console/reports/charts/sales_by_month.png?download=1")
    assert download.headers["Content-Disposition"] == 'attachment; filename="kk-sales-by-month.png"'
    assert admin_client.get("/console/reports/charts/pie.png").status_code == 404
    project = admin_client.get(f"/console/reports/projects/{history.project_id}/charts/sales_by_month.png?download=1")
    assert project.status_code == 200 and "kk-project-" in project.headers["Content-Disposition"]


def test_project_and_training_pages(admin_client, rt):
    history = build(rt)
    page = admin_client.get(f"/console/reports/projects/{history.project_id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "รายงานโครงการ: ฝึกอาชีพทอผ้าไหม" in html
    assert "แล้วเสร็จ" in html and "10 พ.ย. 2569" in html  # stage with its Buddhist-era date
    assert "สถานที่" in html and "3.00" in html  # the lowest-rated question is listed
    assert f'/console/reports/trainings/{history.training_id}' in html
    training = admin_client.get(f"/console/reports/trainings/{history.training_id}").get_data(as_text=True)
    assert "รายงานการอบรม: ทอผ้าไหมและขายออนไลน์" in training
    assert 'data-figure="attended">2<' in training and 'data-figure="attendance_rate">67%<' in training
    assert "เมืองขอนแก่น" in training
    assert 'id="rp-funnel"' in training
    from texts import outcomes as outcomes_texts

    assert outcomes_texts.FOLLOWUPS_TITLE in training  # OUTCOMES' funnel partial, with its texts
    future = admin_client.get(f"/console/reports/trainings/{history.future_training_id}").get_data(as_text=True)
    assert "ยังไม่จบ" in future and "ยังไม่มีข้อมูล" in future
    assert admin_client.get("/console/reports/projects/999").status_code == 404
    assert admin_client.get("/console/reports/trainings/999").status_code == 404


@pytest.mark.parametrize("path", ["/console/reports/projects/1", "/console/reports/trainings/1"])
def test_missing_reports_are_404_not_errors_on_an_empty_database(admin_client, path):
    assert admin_client.get(path).status_code == 404
