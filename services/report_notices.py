"""Telling executives that a report is ready: a chart image and a link to the PDF (the Messaging API cannot send
files). A scheduled scan (scheduler/jobs_reports.py) finds reports that became ready and have no notice yet:

- a project that reached a finished stage within the last LOOKBACK,
- a training that ended within the last LOOKBACK,
- the province's previous month, once it is over.

The LOOKBACK keeps a first run (or a long outage) from sending a backlog of old reports. Each report gets one
`report_notices` row, unique by report key, written in the same transaction as the outbox row: running the scan
twice, or two schedulers at once, tells executives once. Reports ready while nobody holds the executive role get
their row too (with 0 recipients), so an executive appointed later is not flooded with old news.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from flex_templates.basic import image, text
from models.projects import Project, ProjectStageChange
from models.report_notices import ReportNotice
from models.trainings import Training
from services import notify, report_charts, report_pdf, reports, staff
from texts import dates
from texts import report_pdf as report_pdf_texts

LOOKBACK = timedelta(days=14)
MAX_PER_RUN = 20  # chart drawing costs ~0.2 s each: a run stays short, the rest waits for the next one


@dataclass(frozen=True)
class ReadyReport:
    """A report that can be made now and has no notice yet, with the figures its chart draws."""

    kind: str
    key: str
    name: str
    chart_kind: str
    chart_data: object

    @property
    def report_key(self) -> str:
        return f"{self.kind}:{self.key}"


def pdf_path(kind: str, key: str) -> str:
    """Where the console serves this report's PDF (web/report_pdfs.py)."""
    return f"/console/reports/pdf/{kind}/{key}.pdf"


def chart_path(token: str) -> str:
    return f"/reports/chart/{token}.png"


def _noticed(session: Session, keys: list[str]) -> set[str]:
    if not keys:
        return set()
    return set(session.scalars(select(ReportNotice.report_key).where(ReportNotice.report_key.in_(keys))))


def ready_reports(session: Session, now: datetime) -> list[ReadyReport]:
    """Reports that became ready within LOOKBACK and have no notice yet (read in one short transaction)."""
    since = now - LOOKBACK
    found: list[ReadyReport] = []
    finished = session.execute(
        select(Project.id, Project.title).where(Project.stage.in_(reports.FINISHED_STAGES), exists().where(
            ProjectStageChange.project_id == Project.id, ProjectStageChange.stage.in_(reports.FINISHED_STAGES),
            ProjectStageChange.changed_at >= since)).order_by(Project.id)).all()
    for project_id, title in finished:
        report = reports.project_report(session, project_id, now)
        sat = report["satisfaction"]
        found.append(ReadyReport("project", str(project_id), title, "satisfaction",
                                 {k: sat[k] for k in ("citizens", "trainees")}))
    ended = session.execute(select(Training.id, Training.title).where(
        Training.status == "published", Training.ends_at <= now, Training.ends_at >= since).order_by(Training.id)).all()
    for training_id, title in ended:
        report = reports.training_report(session, training_id, now)
        found.append(ReadyReport("training", str(training_id), title, "satisfaction",
                                 {"trainees": report["satisfaction"]["trainees"]}))
    month = report_pdf.previous_month(now)
    year, number = report_pdf.parse_month(month)
    first, last = report_pdf.month_bounds(year, number)
    if now - report_pdf.local_start(last) <= LOOKBACK + timedelta(days=1):
        found.append(ReadyReport("province", month, report_pdf_texts.MONTH_TITLE.format(
            month=dates.THAI_MONTHS[number - 1], year=year + dates.BUDDHIST_ERA_OFFSET), "sales_by_month",
            reports.sales_by_month(session, reports.Filters(period_from=first, period_to=last))))
    done = _noticed(session, [r.report_key for r in found])
    return [r for r in found if r.report_key not in done][:MAX_PER_RUN]


def notice_messages(ready: ReadyReport, base_url: str, token: str) -> list[dict]:
    """The LINE notice: the chart, then the report's name and the PDF's address."""
    chart_url = base_url + chart_path(token)
    body = report_pdf_texts.NOTICE_READY.format(title=report_pdf_texts.KIND_TITLES[ready.kind], name=ready.name,
                                                url=base_url + pdf_path(ready.kind, ready.key))
    return [image(chart_url), text(body)]


def record(session: Session, ready: ReadyReport, chart: bytes, base_url: str, now: datetime) -> bool:
    """Writes the notice row and the executives' message in one transaction; False if it was already written.
    Of two schedulers racing, the unique report key makes the second one's commit fail (IntegrityError)."""
    if _noticed(session, [ready.report_key]):
        return False
    token = secrets.token_urlsafe(24)
    row = ReportNotice(report_key=ready.report_key, token=token, chart_png=chart, created_at=now)
    session.add(row)
    session.flush()
    recipients = staff.executives(session)
    if recipients:
        sent = notify.multicast(session, recipients, notice_messages(ready, base_url, token), now,
                                source=f"report:{ready.report_key}")
        row.recipients = sum(r.recipient_count for r in sent)
    return True


def tell_executives(db: object, now: datetime, base_url: str) -> int:
    """The scan: finds ready reports, draws each chart outside any transaction, records each notice once."""
    with db.transaction() as session:  # type: ignore[attr-defined]
        ready = ready_reports(session, now)
    told = 0
    for item in ready:
        chart = report_charts.chart_png(item.chart_kind, item.chart_data)
        try:
            with db.transaction() as session:  # type: ignore[attr-defined]
                told += record(session, item, chart, base_url, now)
        except IntegrityError:  # another scheduler process told them about this one a moment ago
            continue
    return told


def chart_image(session: Session, token: str) -> bytes | None:
    """The PNG of a notice by its token (None for an unknown token)."""
    if not token or len(token) > 64:
        return None
    row = session.scalars(select(ReportNotice).where(ReportNotice.token == token)).one_or_none()
    return None if row is None else row.chart_png
