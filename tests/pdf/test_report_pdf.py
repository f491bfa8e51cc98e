"""Executive summary PDFs: they open, carry the Thai title and the Buddhist-era year (pdftotext), embed the
activity photos, exist only once finished, and are served to staff and executives only."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date, timedelta

import pytest
from PIL import Image

from services import projects, report_pdf, trainings
from services.errors import DomainError
from services.projects import ProjectInput
from tests.conftest import ADMIN_ID
from tests.web.conftest import make_staff, staff_login

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("pdfimages") is None,
                                reason="needs poppler-utils (.ci/run installs it)")

TITLE = "ซ่อมถนนสายบ้านไผ่–บ้านแฮด"
EXECUTIVE_ID = "U" + "3" * 32
STAFF_ID = "U" + "b" * 32
COLOURS = ("red", "green", "blue")


def _jpeg(colour: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (400, 300), colour).save(out, "JPEG")
    return out.getvalue()


def _project(rt, *, finished: bool = True, photos: int = 3) -> int:
    now = rt.clock()
    data = ProjectInput(kind="infrastructure", title=TITLE, districts=["ban_phai"], description="ซ่อมผิวถนน",
                        location="อ.บ้านไผ่", budget="2500000", start_date=date(2026, 6, 1),
                        end_date=date(2026, 11, 1))
    with rt.db.transaction() as session:
        project = projects.create_project(session, ADMIN_ID, data, now)
        for i in range(photos):
            projects.add_photo(session, ADMIN_ID, project.id, _jpeg(COLOURS[i % 3]), now,
                               stage="announced" if i == 0 else "in_progress", caption=f"ภาพที่ {i + 1}")
        projects.change_stage(session, ADMIN_ID, project.id, "in_progress", now)
        if finished:
            projects.change_stage(session, ADMIN_ID, project.id, "completed", now)
        return project.id


def _text(pdf: bytes) -> str:
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    return out.stdout.decode()


def _photos(pdf: bytes) -> list[tuple[int, int]]:
    """(width, height) of the JPEG images the PDF embeds (pdfimages -list): the activity photos; charts are PNG."""
    out = subprocess.run(["pdfimages", "-list", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    rows = [line.split() for line in out.splitlines()[2:]]
    return [(int(r[3]), int(r[4])) for r in rows if r[8] == "jpeg"]


def _charts(pdf: bytes) -> int:
    out = subprocess.run(["pdfimages", "-list", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return sum(1 for line in out.splitlines()[2:] if line.split()[2] == "image" and line.split()[8] == "image")


def test_project_pdf_has_title_be_year_and_photos(app, rt):
    project_id = _project(rt)
    with app.app_context():
        pdf = report_pdf.render("project", project_id)
    assert pdf.startswith(b"%PDF")
    text = _text(pdf)
    assert TITLE in text
    assert "23 พฤศจิกายน 2569" in text and "2026" not in text  # Buddhist-era dates only (clock: 23 Nov 2026)
    assert "รายงานสรุปผลโครงการ" in text and "ภาพที่ 3" in text
    assert "ผลของโครงการ" in text  # the public results block of the project's page (reports/_project_results.html)
    # The three activity photos are embedded (as the JPEGs stored for display), beside three PNG charts.
    assert _photos(pdf) == [(400, 300)] * 3
    assert _charts(pdf) == 3


def test_more_photos_more_images(app, rt):
    with app.app_context():
        none = report_pdf.render("project", _project(rt, photos=0))
        one = report_pdf.render("project", _project(rt, photos=1))
    assert (len(_photos(none)), len(_photos(one))) == (0, 1)
    assert "ยังไม่มีภาพกิจกรรม" in _text(none)


def test_not_available_before_finished(app, rt, clock):
    project_id = _project(rt, finished=False)
    now = clock()
    data = trainings.TrainingInput(
        title="ขายของออนไลน์ให้ปัง", starts_at=now + timedelta(days=1), ends_at=now + timedelta(days=1, hours=6),
        capacity=10, signup_deadline=now + timedelta(hours=12), venue_name="หอประชุม อบจ.ขอนแก่น",
        venue_map_url="https://maps.google.com/?q=1,1", what_to_bring="-", topic_tags=[], speakers=[])
    with rt.db.transaction() as session:
        training = trainings.create_training(session, data, ADMIN_ID, now)
        trainings.publish(session, training.id, ADMIN_ID, now)
    with app.app_context():
        for kind, key in (("project", project_id), ("training", training.id), ("province", "2026-11")):
            with pytest.raises(DomainError) as refused:
                report_pdf.render(kind, key)
            assert refused.value.code == "report_not_ready", kind
        clock.advance(days=2)
        text = _text(report_pdf.render("training", training.id))
    assert "ขายของออนไลน์ให้ปัง" in text and "2569" in text


def test_province_month_pdf(app, rt, clock):
    _project(rt, photos=2)
    with app.app_context():
        pdf = report_pdf.render("province", "2026-10")
    text = _text(pdf)
    assert _photos(pdf) == [(400, 300)] * 2  # RESULTS' photo grid, embedded instead of linked
    assert "เดือนตุลาคม 2569" in text and "1 ตุลาคม 2569" in text and "0 บาท" in text
    # RESULTS' results template (the public /results page) as at the month's end: the same figures as the public.
    assert "ข้อมูล ณ 31 ตุลาคม 2569" in text


def test_analysis_rules():
    report = {"satisfaction": {
        "citizens": {"count": 12, "mean": 4.3, "distribution": [0, 0, 1, 5, 6]},
        "trainees": {"count": 8, "mean": 2.5, "distribution": [2, 3, 1, 1, 1]},
        "trainees_items": [{"question_id": 1, "prompt": "วิทยากร", "count": 8, "mean": 4.5},
                           {"question_id": 2, "prompt": "สถานที่", "count": 8, "mean": 2.1},
                           {"question_id": 3, "prompt": "อาหาร", "count": 2, "mean": 1.0}]},
        "participation": {"attendance_rate": 0.5}}
    lines = report_pdf.analysis(report, {"ban_phai": 40, "phon": 38, "chonnabot": 3, "mueang": 50})
    joined = "\n".join(lines)
    assert "ประชาชนพึงพอใจดี" in joined and "ผู้เข้าอบรมพึงพอใจต่ำ" in joined
    assert "“สถานที่”" in joined.split("ต่ำสุด")[1].split("\n")[0]  # "อาหาร" has too few answers to count
    assert "50%" in joined and "ชนบท" in joined and "บ้านไผ่" not in joined
    assert report_pdf.analysis({}, {}) == ["ยังมีข้อมูลไม่พอสำหรับการวิเคราะห์"]
    assert report_pdf.low_reach_districts({"a": 0, "b": 0, "c": 0}) == []


def test_pdf_route_for_staff_and_executives_only(app, rt, client):
    project_id = _project(rt)
    path = f"/console/reports/pdf/project/{project_id}.pdf"
    assert client.get(path).status_code == 401
    make_staff(rt, EXECUTIVE_ID, role="executive")
    staff_login(client, EXECUTIVE_ID)
    answer = client.get(path)
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    assert answer.headers["Cache-Control"] == "private, no-store"
    assert client.get("/console/reports/pdf/province/2099-01.pdf").status_code == 409
    assert client.get("/console/reports/pdf/project/999999.pdf").status_code == 404
    unfinished = _project(rt, finished=False)
    other = app.test_client()
    make_staff(rt, STAFF_ID)
    staff_login(other, STAFF_ID)
    refused = other.get(f"/console/reports/pdf/project/{unfinished}.pdf")
    assert refused.status_code == 409 and "เสร็จสิ้น" in refused.get_data(as_text=True)
