"""Executives are told once when a report is ready: a chart image (at an unguessable address) and the PDF's link,
through the outbox, by a scheduled scan that does nothing the second time."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import func, select

from models.outbox import OutboxMessage
from models.report_notices import ReportNotice
from scheduler.jobs_reports import tell_executives_reports_ready
from services import projects
from services.projects import ProjectInput
from tests.conftest import ADMIN_ID, PUBLIC_BASE_URL
from tests.web.conftest import make_staff

EXECUTIVE_ID = "U" + "3" * 32
STAFF_ID = "U" + "b" * 32
TITLE = "ขุดลอกหนองน้ำสาธารณะบ้านโคกสี"


def _finished_project(rt) -> int:
    now = rt.clock()
    data = ProjectInput(kind="infrastructure", title=TITLE, districts=["phon"], start_date=date(2026, 6, 1),
                        end_date=date(2026, 11, 1))
    with rt.db.transaction() as session:
        project = projects.create_project(session, ADMIN_ID, data, now)
        projects.change_stage(session, ADMIN_ID, project.id, "completed", now)
        return project.id


def test_scan_tells_executives_once_with_chart_and_pdf_link(app, rt, chat, line, client, clock):
    clock.set(datetime(2026, 12, 2, 3, 0, tzinfo=UTC))  # November is over: its province report is ready too
    boss = chat("ท่านนายก", user_id=EXECUTIVE_ID)
    boss.follow()
    make_staff(rt, EXECUTIVE_ID, role="executive")
    chat("เจ้าหน้าที่", user_id=STAFF_ID).follow()
    make_staff(rt, STAFF_ID)  # staff are not executives: not told
    project_id = _finished_project(rt)
    now = rt.clock()
    since = line.last_seq()  # after the welcome messages

    assert tell_executives_reports_ready(rt, now) == 2
    assert tell_executives_reports_ready(rt, now) == 0  # the second run finds nothing new
    rt.process_pending()

    with rt.db.transaction() as session:
        keys = sorted(session.scalars(select(ReportNotice.report_key)))
        outbox = session.scalar(select(func.count()).select_from(OutboxMessage)
                                .where(OutboxMessage.source.like("report:%")))
    assert keys == [f"project:{project_id}", "province:2026-11"]
    assert outbox == 2
    received = [d.messages for d in line.deliveries(EXECUTIVE_ID, since)]
    assert len(received) == 2 and line.deliveries(STAFF_ID, since) == []
    by_text = {m[1]["text"].split("\n")[1]: m for m in received}
    project_notice = by_text[f"“{TITLE}” พร้อมแล้ว"]
    assert project_notice[0]["type"] == "image"
    assert f"{PUBLIC_BASE_URL}/console/reports/pdf/project/{project_id}.pdf" in project_notice[1]["text"]
    assert "/console/reports/pdf/province/2026-11.pdf" in by_text["“เดือนพฤศจิกายน 2569” พร้อมแล้ว"][1]["text"]
    # LINE fetches the chart without a sign-in: it is served at the token's address, and only there.
    chart_path = project_notice[0]["originalContentUrl"].removeprefix(PUBLIC_BASE_URL)
    answer = client.get(chart_path)
    assert answer.status_code == 200 and answer.data.startswith(b"\x89PNG")
    assert client.get("/reports/chart/guessed.png").status_code == 404


def test_reports_ready_with_no_executive_are_not_sent_later(app, rt, chat):
    _finished_project(rt)
    assert tell_executives_reports_ready(rt, rt.clock()) == 1  # 23 Nov: October ended more than 14 days ago
    chat("ท่านนายก", user_id=EXECUTIVE_ID).follow()
    make_staff(rt, EXECUTIVE_ID, role="executive")
    assert tell_executives_reports_ready(rt, rt.clock()) == 0
    with rt.db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(OutboxMessage)
                              .where(OutboxMessage.source.like("report:%"))) == 0


def test_old_reports_are_not_announced(app, rt, clock):
    _finished_project(rt)
    clock.set(datetime(2026, 12, 20, 3, 0, tzinfo=UTC))  # the project finished 27 days ago; November ended 19 ago
    assert tell_executives_reports_ready(rt, clock()) == 0
