"""Executive summary PDFs: one per finished project, per finished training, and per past month for the province.

    pdf = report_pdf.render("project", 7)            # bytes, starting with %PDF
    pdf = report_pdf.render("training", 3)
    pdf = report_pdf.render("province", "2026-11")

Each holds key figures, charts (services/report_charts, embedded as data URIs), a short rule-based analysis
(`analysis`: the rules are written out there), the project's stages with Buddhist-era dates, and a grid of its
activity photos (embedded, so the file stands alone). WeasyPrint lays it out with Pango, which shapes Thai and breaks
lines at Thai word boundaries; the Sarabun font is loaded from its file (fontpkg-sarabun).

The PDFs carry the figures unsuppressed: they are for staff and executives only (web/report_pdfs.py), while the
public sees the same figures through RESULTS' pages with disclosure control.

A report is only made once it can be complete: a project at a finished stage, a training that has ended, a month
that is over (a Thai DomainError otherwise). Rendering reads the database in one short transaction, then draws the
charts and lays out the PDF outside it.
"""

from __future__ import annotations

import base64
import re
import statistics
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session, undefer

from models.media import MediaImage
from models.platform import Citizen
from models.projects import Project, ProjectPhoto
from models.trainings import Training
from services import report_charts, reports
from services.errors import DomainError, NotFound
from texts import dates
from texts import projects as projects_texts
from texts import report_pdf as report_pdf_texts
from texts import reports as reports_texts
from texts.districts import DISTRICTS, district_name

KINDS = ("project", "training", "province")
# The province PDF is RESULTS' one results template (the public /results page) in the print layout, with the
# executive part added by the layout; projects and trainings use pdf_summary.html on the same layout, and a
# project's adds the public results block of its page (reports/_project_results.html).
SUMMARY_TEMPLATE = "reports/pdf_summary.html"
RESULTS_TEMPLATE = "reports/results.html"
PDF_LAYOUT = "reports/pdf_layout.html"
MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")

# ---- the analysis rules ---------------------------------------------------------------------------------------
MIN_ANSWERS = 5  # fewer answers than this say nothing about satisfaction (the public pages hide them too)
GOOD_MEAN = 4.0  # a group's mean at or above: "satisfied"
LOW_MEAN = 3.0  # below: "unsatisfied, ask why" (the re-inspection threshold of certified products is the same)
ATTENDANCE_TARGET = 0.8  # of confirmed sign-ups who came
LOW_REACH_SHARE = 0.5  # a district below half the median of the compared districts is "low reach"
MAX_PHOTOS = 12  # a 3 x 4 grid: two pages at most


@dataclass
class ReportDocument:
    """Everything the PDF template shows, already in Thai and formatted (the template only lays it out)."""

    kind: str
    title: str
    name: str
    subtitle: str
    generated: str
    figures: list[tuple[str, str]] = field(default_factory=list)
    charts: list[tuple[str, str]] = field(default_factory=list)  # (kind, data URI), filled outside the transaction
    analysis: list[str] = field(default_factory=list)
    stages: list[tuple[str, str]] = field(default_factory=list)
    photos: list[tuple[str, str]] = field(default_factory=list)  # (data URI, caption)
    chart_data: list[tuple[str, Any]] = field(default_factory=list)
    public: dict[str, Any] = field(default_factory=dict)  # RESULTS' template context (disclosure applied)


# ---- availability -----------------------------------------------------------------------------------------------
def parse_month(value: str) -> tuple[int, int]:
    """'2026-11' -> (2026, 11); a Thai DomainError for anything else."""
    match = MONTH_RE.match(str(value).strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise DomainError(report_pdf_texts.BAD_MONTH, code="bad_month")
    return int(match.group(1)), int(match.group(2))


def month_bounds(year: int, month: int) -> tuple[date, date]:
    """The first and last day of a month."""
    first = date(year, month, 1)
    following = date(year + month // 12, month % 12 + 1, 1)
    return first, date.fromordinal(following.toordinal() - 1)


def local_today(now: datetime) -> date:
    return now.astimezone(ZoneInfo(dates.DEFAULT_TZ)).date()


def local_start(day: date) -> datetime:
    """The first moment of a Khon Kaen day, in UTC."""
    return datetime.combine(day, time(), ZoneInfo(dates.DEFAULT_TZ)).astimezone(UTC)


def previous_month(now: datetime) -> str:
    """The last month that is over in Khon Kaen, as 'YYYY-MM'."""
    today = local_today(now)
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    return f"{year:04d}-{month:02d}"


def is_finished_project(project: Project) -> bool:
    return project.stage in reports.FINISHED_STAGES


def is_finished_training(training: Training, now: datetime) -> bool:
    return training.status == "published" and training.ends_at <= now


def check_available(session: Session, kind: str, key: int | str, now: datetime) -> None:
    """Raises NotFound or a Thai DomainError unless this report can be made now."""
    if kind == "project":
        project = session.get(Project, int(key))
        if project is None:
            raise NotFound(projects_texts.ERR_NOT_FOUND, code="project_not_found")
        if not is_finished_project(project):
            raise DomainError(report_pdf_texts.NOT_FINISHED_PROJECT, code="report_not_ready")
    elif kind == "training":
        training = session.get(Training, int(key))
        if training is None or training.status == "draft":
            raise NotFound(reports_texts.TRAINING_NOT_FOUND, code="training_not_found")
        if not is_finished_training(training, now):
            raise DomainError(report_pdf_texts.NOT_FINISHED_TRAINING, code="report_not_ready")
    elif kind == "province":
        year, month = parse_month(str(key))
        if month_bounds(year, month)[1] >= local_today(now):
            raise DomainError(report_pdf_texts.MONTH_NOT_OVER, code="report_not_ready")
    else:
        raise NotFound(report_pdf_texts.BAD_KIND)


# ---- figures ----------------------------------------------------------------------------------------------------
def _rating(summary: dict[str, Any] | None) -> str:
    if not summary or not summary.get("count") or summary.get("mean") is None:
        return report_pdf_texts.NO_DATA
    return report_pdf_texts.RATING_VALUE.format(mean=summary["mean"], count=summary["count"])


def _percent(rate: float | None) -> str:
    return report_pdf_texts.NO_DATA if rate is None else report_pdf_texts.PERCENT.format(p=rate * 100)


def _baht(satang: int | None) -> str:
    return report_pdf_texts.BAHT.format(baht=(satang or 0) / 100)


def _people(n: int | None) -> str:
    return report_pdf_texts.PEOPLE.format(n=int(n or 0))


def _be_date(value: str | datetime | date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return dates.thai_date(value, long=True)


# ---- the analysis (rules over the figures) ----------------------------------------------------------------------
def analysis(report: dict[str, Any], reach_by_district: dict[str, int] | None = None) -> list[str]:
    """A few Thai sentences on what worked and what to improve, by these rules, in this order:

    1. Each satisfaction group (citizens, trainees, buyers) with at least MIN_ANSWERS answers: mean >= GOOD_MEAN
       is "satisfied", mean < LOW_MEAN is "unsatisfied"; fewer answers say "too few to tell".
    2. Of the rating questions with at least MIN_ANSWERS answers, the lowest mean is the first thing to improve and
       (when another scored higher) the highest is what worked.
    3. Attendance rate of ended trainings against ATTENDANCE_TARGET.
    4. Districts whose reach (followers of the account; sign-ups for a training) is below LOW_REACH_SHARE of the
       median of the districts compared (the project's or training's districts, else all of Khon Kaen's) are named
       as low reach. A median of 0 names none: then there is no reach to compare with.
    5. The online share of all sales, when there were sales.
    """
    lines: list[str] = []
    satisfaction = report.get("satisfaction") or {}
    for group in ("citizens", "trainees", "buyers"):
        summary = satisfaction.get(group)
        if not summary or not summary.get("count"):
            continue
        if summary["count"] < MIN_ANSWERS:
            lines.append(report_pdf_texts.A_TOO_FEW.format(count=summary["count"]))
        elif summary["mean"] >= GOOD_MEAN:
            lines.append(report_pdf_texts.A_SATISFIED.format(group=report_pdf_texts.GROUPS[group],
                                                             mean=summary["mean"]))
        elif summary["mean"] < LOW_MEAN:
            lines.append(report_pdf_texts.A_UNSATISFIED.format(group=report_pdf_texts.GROUPS[group],
                                                               mean=summary["mean"]))
    items = [i for key in ("citizens_items", "trainees_items") for i in satisfaction.get(key) or []
             if i.get("count", 0) >= MIN_ANSWERS and i.get("mean") is not None]
    if items:
        lowest = min(items, key=lambda i: (i["mean"], i.get("question_id", 0)))
        highest = max(items, key=lambda i: (i["mean"], -i.get("question_id", 0)))
        lines.append(report_pdf_texts.A_LOWEST_ITEM.format(prompt=lowest["prompt"], mean=lowest["mean"],
                                                           count=lowest["count"]))
        if highest["mean"] > lowest["mean"]:
            lines.append(report_pdf_texts.A_HIGHEST_ITEM.format(prompt=highest["prompt"], mean=highest["mean"]))
    rate = (report.get("participation") or {}).get("attendance_rate")
    if rate is not None:
        good = rate >= ATTENDANCE_TARGET
        template = report_pdf_texts.A_GOOD_ATTENDANCE if good else report_pdf_texts.A_LOW_ATTENDANCE
        lines.append(template.format(p=rate * 100, target=ATTENDANCE_TARGET * 100))
    low = low_reach_districts(reach_by_district or {})
    if low:
        lines.append(report_pdf_texts.A_LOW_REACH.format(districts=", ".join(district_name(d) for d in low)))
    market = report.get("market") or {}
    months = market.get("sales_by_month") or []
    online = sum(m.get("online_satang", 0) for m in months)
    total = online + sum(m.get("traditional_satang", 0) for m in months)
    if total > 0:
        lines.append(report_pdf_texts.A_ONLINE_SHARE.format(p=online * 100 / total))
    return lines or [report_pdf_texts.A_NOTHING]


def low_reach_districts(reach: dict[str, int]) -> list[str]:
    """Districts below LOW_REACH_SHARE of the median reach of those compared (rule 4 of `analysis`)."""
    if len(reach) < 2:
        return []
    median = statistics.median(reach.values())
    if median <= 0:
        return []
    return sorted((d for d, n in reach.items() if n < LOW_REACH_SHARE * median), key=lambda d: (reach[d], d))


def _followers_by_district(session: Session, districts: list[str] | None) -> dict[str, int]:
    keys = list(districts or DISTRICTS)
    counts = dict(session.execute(select(Citizen.district, func.count()).where(
        Citizen.is_following.is_(True), Citizen.district.in_(keys)).group_by(Citizen.district)).all())
    return {key: int(counts.get(key, 0)) for key in keys}


# ---- photos ---------------------------------------------------------------------------------------------------
def _data_uri(mime: str, data: bytes) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def _embedded(session: Session, photos: list[Any]) -> list[Any]:
    """RESULTS' photos with their display URL swapped for the image itself (the PDF fetches nothing)."""
    ids = [p.image_id for p in photos]
    data = dict(session.execute(select(MediaImage.id, MediaImage.display_jpeg).where(MediaImage.id.in_(ids)))
                .all()) if ids else {}
    return [replace(p, url=_data_uri("image/jpeg", data[p.image_id])) for p in photos if p.image_id in data]


def _photos(session: Session, project_id: int) -> list[tuple[str, str]]:
    """The project's activity photos, by stage then upload order (display-size JPEGs, embedded)."""
    order = {stage: i for i, stage in enumerate(("announced", "in_progress", "completed", "evaluated"))}
    rows = session.execute(select(ProjectPhoto, MediaImage).join(MediaImage, MediaImage.id == ProjectPhoto.image_id)
                           .where(ProjectPhoto.project_id == project_id)
                           .options(undefer(MediaImage.display_jpeg))).all()
    rows = sorted(rows, key=lambda r: (order.get(r[0].stage, 9), r[0].id))[:MAX_PHOTOS]
    return [(_data_uri("image/jpeg", image.display_jpeg),
             " · ".join(filter(None, (projects_texts.STAGE_NAMES.get(photo.stage, photo.stage), photo.caption))))
            for photo, image in rows]


# ---- the three documents --------------------------------------------------------------------------------------
def _project(session: Session, project_id: int, now: datetime, base_url: str) -> ReportDocument:
    report = reports.project_report(session, project_id, now)
    info = report["project"]
    part, sat = report["participation"], report["satisfaction"]
    doc = ReportDocument(
        "project", report_pdf_texts.KIND_TITLES["project"], info["title"],
        projects_texts.KIND_NAMES.get(info["kind"], info["kind"]) + (
            " · " + ", ".join(district_name(d) for d in info["districts"]) if info["districts"] else ""),
        report_pdf_texts.GENERATED.format(date=dates.thai_date(now, long=True)))
    doc.figures = [
        (report_pdf_texts.F_FOLLOWERS, _people(report["reach"]["followers_now"])),
        (report_pdf_texts.F_ANNOUNCEMENTS, report_pdf_texts.TIMES.format(n=report["reach"]["announcements"]["count"])),
        (report_pdf_texts.F_TRAININGS, report_pdf_texts.COUNT.format(n=part["trainings_count"])),
        (report_pdf_texts.F_SIGNUPS, _people(part["signups"])),
        (report_pdf_texts.F_ATTENDANCE, _percent(part["attendance_rate"])),
        (report_pdf_texts.F_CITIZENS, _rating(sat["citizens"])),
        (report_pdf_texts.F_TRAINEES, _rating(sat["trainees"])),
        (report_pdf_texts.F_PHOTOS, report_pdf_texts.COUNT.format(n=report["photos"]["count"])),
    ]
    doc.chart_data = [("satisfaction", {k: sat[k] for k in ("citizens", "trainees")}),
                      ("followers", report["reach"]["followers_by_month"]),
                      ("sales_by_month", report["market"]["sales_by_month"])]
    doc.analysis = analysis(report, _followers_by_district(session, info["districts"] or None))
    doc.stages = [(projects_texts.STAGE_NAMES.get(s["stage"], s["stage"]), _be_date(s["changed_at"]))
                  for s in info["stages"]]
    doc.photos = _photos(session, project_id)
    from web import public_results  # RESULTS' context builder of the public block (disclosure applied)

    doc.public = {"project_results": public_results.project_results(session, project_id, now, base_url)}
    return doc


def _training(session: Session, training_id: int, now: datetime) -> ReportDocument:
    report = reports.training_report(session, training_id, now)
    info, part = report["training"], report["participation"]
    subtitle = " · ".join(filter(None, (_be_date(info["starts_at"]), info["venue_name"], info["project_title"])))
    doc = ReportDocument("training", report_pdf_texts.KIND_TITLES["training"], info["title"], subtitle,
                         report_pdf_texts.GENERATED.format(date=dates.thai_date(now, long=True)))
    doc.figures = [
        (report_pdf_texts.F_SIGNUPS, _people(part["signups"])),
        (report_pdf_texts.F_ATTENDED, _people(part["attended"])),
        (report_pdf_texts.F_ATTENDANCE, _percent(part["attendance_rate"])),
        (report_pdf_texts.F_TRAINEES, _rating(report["satisfaction"]["trainees"])),
    ]
    funnel = report.get("funnel") or {}
    if isinstance(funnel.get("registered_shop"), int):
        doc.figures.append((report_pdf_texts.F_FUNNEL_SHOP, _people(funnel["registered_shop"])))
    doc.chart_data = [("satisfaction", {"trainees": report["satisfaction"]["trainees"]})]
    signups = {row["district"]: row["signups"] for row in part["by_district"] if row["district"]}
    for district in info["districts"]:
        signups.setdefault(district, 0)
    doc.analysis = analysis(report, signups)
    training = session.get(Training, training_id)
    if training is not None and training.project_id:
        doc.photos = _photos(session, training.project_id)
    doc.public = {"project_results": None}
    return doc


def _province(session: Session, month: str, now: datetime, base_url: str) -> ReportDocument:
    year, number = parse_month(month)
    first, last = month_bounds(year, number)
    report = reports.province_summary(session, reports.Filters(period_from=first, period_to=last), now)
    reach, part, sat, market = (report[k] for k in ("reach", "participation", "satisfaction", "market"))
    name = report_pdf_texts.MONTH_TITLE.format(month=dates.THAI_MONTHS[number - 1],
                                               year=year + dates.BUDDHIST_ERA_OFFSET)
    doc = ReportDocument("province", report_pdf_texts.KIND_TITLES["province"], name,
                         report_pdf_texts.PERIOD.format(start=_be_date(first), end=_be_date(last)),
                         report_pdf_texts.GENERATED.format(date=dates.thai_date(now, long=True)))
    doc.figures = [
        (report_pdf_texts.F_FOLLOWERS, _people(reach["followers_now"])),
        (report_pdf_texts.F_ANNOUNCEMENTS, report_pdf_texts.TIMES.format(n=reach["announcements"]["count"])),
        (report_pdf_texts.F_TRAININGS, report_pdf_texts.COUNT.format(n=part["trainings_count"])),
        (report_pdf_texts.F_SIGNUPS, _people(part["signups"])),
        (report_pdf_texts.F_ATTENDANCE, _percent(part["attendance_rate"])),
        (report_pdf_texts.F_CITIZENS, _rating(sat["citizens"])),
        (report_pdf_texts.F_TRAINEES, _rating(sat["trainees"])),
        (report_pdf_texts.F_BUYERS, _rating(sat["buyers"])),
        (report_pdf_texts.F_ONLINE, _baht(market["sales_online_satang"])),
        (report_pdf_texts.F_TRADITIONAL, _baht(market["sales_traditional_satang"])),
        (report_pdf_texts.F_SHOPS, report_pdf_texts.COUNT.format(n=market["approved_shops"])),
        (report_pdf_texts.F_CERTIFIED, report_pdf_texts.COUNT.format(n=market["certified_products"])),
    ]
    doc.chart_data = [(kind, report_charts.chart_data(kind, report)) for kind in report_charts.CHART_KINDS]
    doc.analysis = analysis(report, _followers_by_district(session, None))
    from web import public_results  # RESULTS' context of /results, the same template and the same suppression

    # As at the month's last moment: RESULTS' page covers "this month" up to `now`, so that is exactly the month.
    as_at = local_start(last) + timedelta(days=1, microseconds=-1)
    doc.public = public_results.results_context(session, as_at, base_url, layout=PDF_LAYOUT, months=1)
    doc.public["photos"] = _embedded(session, doc.public.get("photos") or [])
    return doc


def document(session: Session, kind: str, key: int | str, now: datetime, base_url: str = "") -> ReportDocument:
    """Gathers one report's figures, analysis and photos (charts are drawn later, outside the transaction)."""
    check_available(session, kind, key, now)
    if kind == "project":
        return _project(session, int(key), now, base_url)
    if kind == "training":
        return _training(session, int(key), now)
    return _province(session, str(key), now, base_url)


def chart_uris(doc: ReportDocument) -> None:
    """Draws the document's charts as PNG data URIs (matplotlib, Sarabun)."""
    doc.charts = [(kind, _data_uri("image/png", report_charts.chart_png(kind, data if data is not None else [])))
                  for kind, data in doc.chart_data]


# ---- layout ---------------------------------------------------------------------------------------------------
def _font_faces() -> str:
    """@font-face rules for Sarabun from its installed files."""
    import fontpkg

    return "\n".join(
        f'@font-face {{ font-family: "Sarabun"; font-weight: {weight}; '
        f'src: url("{Path(fontpkg.path("Sarabun", weight)).as_uri()}"); }}' for weight in (400, 700))


def render_html(doc: ReportDocument) -> str:
    """The document as HTML, through the reports template (needs a Flask app context)."""
    from flask import render_template

    template = RESULTS_TEMPLATE if doc.kind == "province" else SUMMARY_TEMPLATE
    return render_template(template, **doc.public, doc=doc, font_faces=_font_faces(), T=report_pdf_texts)


def to_pdf(html: str) -> bytes:
    """Lays HTML out as PDF with WeasyPrint (Pango shapes Thai and breaks its lines at word boundaries)."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # Everything the PDF shows is embedded or a local font file: no other scheme, so a stray link in the HTML can
    # never become a network call while a report is made.
    fetcher = URLFetcher(allowed_protocols=("data", "file"))
    return HTML(string=html, url_fetcher=fetcher, base_url=str(Path(__file__).parent)).write_pdf()


def render(kind: str, id_or_month: int | str, *, session: Session | None = None,
           now: datetime | None = None, base_url: str = "") -> bytes:
    """The PDF of a finished project or training, or of a past month of the province.

    Without a session it opens its own short transaction on the app's database (inside a Flask app context);
    raises NotFound or a Thai DomainError when the report is not available."""
    if session is None:
        from bot.runtime import runtime

        rt = runtime()
        now = now or rt.clock()
        with rt.db.transaction() as own:
            doc = document(own, kind, id_or_month, now, rt.settings.public_base_url)
    else:
        doc = document(session, kind, id_or_month, now or datetime.now(UTC), base_url)
    chart_uris(doc)
    return to_pdf(render_html(doc))

