"""Reports in the console (/console/reports), for staff, admins and executives: the province dashboard with filters, one report per project and per
training, and each chart as a PNG (shown in the page and downloadable). Figures come from services/reports.py."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, Flask, Response, abort, current_app, flash, render_template, request, url_for
from werkzeug.routing import BuildError

from bot.runtime import runtime
from models.projects import PROJECT_KINDS
from services import report_charts, reports
from services.errors import DomainError
from services.products import format_price
from texts import orders as orders_texts
from texts import outcomes as outcomes_texts
from texts import projects as projects_texts
from texts import reports as reports_texts
from texts.dates import DEFAULT_TZ, thai_date
from texts.districts import DISTRICTS
from texts.market import CATEGORIES
from web.auth import reports_access_required

bp = Blueprint("console_reports", __name__, url_prefix="/console/reports")
CONSOLE_NAV = [(15, reports_texts.C_TITLE, "console_reports.index", "console_reports")]
FILTER_ARGS = ("from", "to", "district", "kind")


def _filters() -> tuple[reports.Filters, dict[str, str]]:
    """The filters in the query string (and the args to repeat them in chart links); bad ones are said and dropped."""
    args = {k: request.args.get(k, "").strip()[:40] for k in FILTER_ARGS}
    try:
        filters = reports.clean_filters(args["from"], args["to"], args["district"], args["kind"])
    except DomainError as exc:
        flash(reports_texts.C_FILTER_ERROR.format(message=exc.message), "error")
        return reports.Filters(), {}
    return filters, {k: v for k, v in args.items() if v}


def _png(image: bytes, name: str) -> Response:
    response = Response(image, mimetype="image/png")
    response.headers["Cache-Control"] = "private, max-age=300"
    if request.args.get("download"):
        response.headers["Content-Disposition"] = f'attachment; filename="{name}.png"'
    return response


def _chart(kind: str, report: dict[str, Any], name: str) -> Response:
    if kind not in report_charts.CHART_KINDS:
        abort(404)
    data = report_charts.chart_data(kind, report)
    if data is None:
        abort(404)
    return _png(report_charts.chart_png(kind, data), name)


def _pdf_url(kind: str, item_id: int) -> str | None:
    """The PDF's console link, when the PDF routes are part of this build (web/report_pdfs.py)."""
    endpoint = f"report_pdfs.{kind}_pdf"
    if endpoint not in current_app.view_functions:
        return None
    try:
        return url_for(endpoint, **{f"{kind}_id": item_id})
    except BuildError:
        return None


def _report(build: Any, item_id: int) -> dict[str, Any]:
    """A project's or training's report (`build` is reports.project_report or training_report), or 404."""
    rt = runtime()
    with rt.db.transaction() as session:
        try:
            return build(session, item_id, rt.clock())
        except DomainError:
            abort(404)


def _context(**extra: Any) -> dict[str, Any]:
    return {"R": reports_texts, "P": projects_texts, "O": orders_texts, "districts": DISTRICTS,
            "kinds": PROJECT_KINDS, "price": format_price, "month_label": report_charts.month_label,
            "month_cell": lambda row: report_charts.month_label(row["month"]),
            "district_cell": lambda row: row.get("district_name") or row.get("district"),
            "category_cell": lambda row: CATEGORIES.get(row["category"], reports_texts.C_UNPOSTED), **extra}


def iso_thai_date(value: str | None) -> str:
    """An ISO date or UTC moment from a report dict as a Thai date ('' for None)."""
    if not value:
        return ""
    return thai_date(datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value))


@bp.get("", strict_slashes=False)
@reports_access_required
def index() -> Any:
    filters, args = _filters()
    rt = runtime()
    with rt.db.transaction() as session:
        report = reports.province_summary(session, filters, rt.clock())
        projects = reports.project_choices(session, filters)
    return render_template("reports/console.html", **_context(report=report, filters=filters, args=args,
                                                              projects=projects, month_pdfs=_month_pdfs(rt.clock())))


def _month_pdfs(now: datetime, count: int = 3) -> list[tuple[str, str]]:
    """(month, link) of the province's monthly PDFs of the last `count` months that are over, newest first."""
    if "report_pdfs.province_pdf" not in current_app.view_functions:
        return []
    local = now.astimezone(ZoneInfo(DEFAULT_TZ))
    year, month, out = local.year, local.month, []
    for _ in range(count):
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        key = f"{year:04d}-{month:02d}"
        out.append((key, url_for("report_pdfs.province_pdf", month=key)))
    return out


@bp.get("/charts/<kind>.png")
@reports_access_required
def chart(kind: str) -> Response:
    if kind not in report_charts.CHART_KINDS:
        abort(404)
    filters, _args = _filters()
    rt = runtime()
    with rt.db.transaction() as session:
        data = reports.province_chart_data(session, kind, filters, rt.clock())
    return _png(report_charts.chart_png(kind, data), f"kk-{reports_texts.CHART_FILENAMES.get(kind, kind)}")


@bp.get("/projects/<int:project_id>")
@reports_access_required
def project(project_id: int) -> Any:
    report = _report(reports.project_report, project_id)
    return render_template("reports/console_project.html",
                           **_context(report=report, pdf_url=_pdf_url("project", project_id)))


@bp.get("/projects/<int:project_id>/charts/<kind>.png")
@reports_access_required
def project_chart(project_id: int, kind: str) -> Response:
    report = _report(reports.project_report, project_id)
    return _chart(kind, report, f"kk-project-{project_id}-{reports_texts.CHART_FILENAMES.get(kind, kind)}")


@bp.get("/trainings/<int:training_id>")
@reports_access_required
def training(training_id: int) -> Any:
    report = _report(reports.training_report, training_id)
    return render_template("reports/console_training.html",
                           **_context(report=report, pdf_url=_pdf_url("training", training_id),
                                      funnel_partial=_has_template("reports/_training_funnel.html"),
                                      OT=outcomes_texts))


@bp.get("/trainings/<int:training_id>/charts/<kind>.png")
@reports_access_required
def training_chart(training_id: int, kind: str) -> Response:
    report = _report(reports.training_report, training_id)
    return _chart(kind, report, f"kk-training-{training_id}-{reports_texts.CHART_FILENAMES.get(kind, kind)}")


def _has_template(name: str) -> bool:
    """Whether OUTCOMES' funnel partial is part of this build (the page says "no data yet" without it)."""
    try:
        current_app.jinja_env.get_template(name)
    except Exception:  # noqa: BLE001 - TemplateNotFound or a partial that does not load: show the plain figures
        return False
    return True


@bp.get("/style.css")
@reports_access_required
def stylesheet() -> Response:
    """Styles of the report pages (inline styles are blocked by the console's CSP)."""
    response = Response(render_template("reports/console.css"), mimetype="text/css")
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


def register(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.filters["iso_thai_date"] = iso_thai_date
