"""REST API of reports: the province summary, one project and one training as JSON, and their PDFs.

The API has one bearer token (API_TOKEN), which integrators such as the province's website and dashboards hold, so
it is treated as a public reader: every answer goes through the same disclosure control as the public results pages
(services/disclosure.public_view: counts under 5 hidden, sales of fewer than 3 shops or one shop's 85 % hidden, and
the cells that would give those back). Staff read the unsuppressed figures in the console (/console/reports)."""

from __future__ import annotations

import importlib
import re
from datetime import date
from typing import Any, Literal

from flask import Response
from pydantic import ConfigDict, Field

from bot.runtime import runtime
from models.projects import PROJECT_KINDS
from services import reports
from services.errors import DomainError, NotFound
from texts import reports as reports_texts
from texts.districts import DISTRICTS
from web.api import is_staff_caller
from web.openapi import ApiModel, ApiRouter, FieldError, json_error

router = ApiRouter("reports", reports_texts.API_TAG)

DistrictKey = Literal[tuple(DISTRICTS)]  # type: ignore[valid-type]
ProjectKind = Literal[PROJECT_KINDS]  # type: ignore[valid-type]
MONTH_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"
SUPPRESSION = ("Figures pass the public disclosure control: a count under 5 is null, a sales amount covering fewer "
               "than 3 shops or with one shop at 85 % or more is null, and so is any figure that would give a hidden "
               "one back by subtraction. This holds for API_TOKEN (a public reader); with API_STAFF_TOKEN (the province's "
               "own staff systems) the figures are whole.")


class SummaryQuery(ApiModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    period_from: date | None = Field(None, alias="from", description="First day (Khon Kaen), `YYYY-MM-DD`.")
    period_to: date | None = Field(None, alias="to", description="Last day (Khon Kaen), `YYYY-MM-DD`, inclusive.")
    district: DistrictKey | None = Field(None, description="Only this district, e.g. `mueang`.")  # type: ignore
    kind: ProjectKind | None = Field(None, description="Only projects (and their trainings, surveys and "  # type: ignore
                                                       "announcements) of this kind. Sales are not tied to projects.")


class ReportOut(ApiModel):
    """A report: sections of figures (see the operation's description). Amounts are in satang, months `YYYY-MM`."""

    model_config = ConfigDict(extra="allow")

    kind: Literal["province", "project", "training"]
    generated_at: str = Field(description="When it was counted, ISO 8601 UTC.")


class ProvinceReportOut(ReportOut):
    """The province: reach, participation, satisfaction (trainees, buyers, citizens) and market."""

    filters: dict[str, Any]
    reach: dict[str, Any] = Field(description="`followers_now`, `followers_by_month` [{month, followers, followed, "
                                              "unfollowed}], `announcements` {count, recipients, by_channel}, `clicks` "
                                              "per channel (`tracked: false`, `clicks: null` where not counted yet).")
    participation: dict[str, Any] = Field(description="`signups`, `attended`, `attendance_rate` (trainings that "
                                                      "ended), `trainings` [...].")
    satisfaction: dict[str, Any] = Field(description="`trainees`, `buyers`, `citizens`: each a rating "
                                                     "{count, mean, distribution [1..5]}.")
    market: dict[str, Any] = Field(description="`certified_products`, `certified_shops`, `orders`, `sales_by_month`, "
                                               "`sales_by_district`, `sales_by_district_month`, `sales_by_category` "
                                               "(online and traditional satang), `sales_tables`, `referrals`.")


class ProjectReportOut(ReportOut):
    """One project: stages with dates, reach, its trainings, citizens' and trainees' ratings, photos, sales."""

    project: dict[str, Any]
    reach: dict[str, Any]
    participation: dict[str, Any]
    satisfaction: dict[str, Any]
    photos: dict[str, Any]
    market: dict[str, Any]


class TrainingReportOut(ReportOut):
    """One training: sign-ups and attendance, trainees' ratings, and the trainee-to-income funnel."""

    training: dict[str, Any]
    participation: dict[str, Any]
    satisfaction: dict[str, Any]
    funnel: dict[str, Any] | None = Field(description="Attended -> shop -> certified -> sales before and after "
                                                      "(null while follow-up is not part of this server).")


def public(report: dict[str, Any]) -> dict[str, Any]:
    """The report as the caller may see it: whole for the staff token (API_STAFF_TOKEN), else as the public may
    (RESULTS' disclosure control, and OUTCOMES' for a training's funnel of shops and sales)."""
    from services import disclosure, training_outcomes

    if is_staff_caller():
        return report
    view = disclosure.public_view(report)
    if report.get("funnel"):
        view["funnel"] = training_outcomes.public_funnel(report["funnel"])
    return view


def _bad_filters(exc: DomainError) -> Response:
    field = {"bad_date": "from", "bad_period": "to", "bad_district": "district", "bad_kind": "kind"}.get(exc.code,
                                                                                                   "query")
    return json_error(422, exc.message, code=exc.code, fields=[FieldError(field=field, message=exc.message,
                                                                         type=exc.code)])


@router.get("/reports/summary", summary="Province report", query=SummaryQuery, response=ProvinceReportOut,
            description="Reach, participation, satisfaction and market of the province, filtered by period, "
                        "district and project kind. " + SUPPRESSION)
def report_summary(query: SummaryQuery) -> Any:
    try:
        filters = reports.clean_filters(query.period_from, query.period_to, query.district, query.kind)
    except DomainError as exc:
        return _bad_filters(exc)
    rt = runtime()
    with rt.db.transaction() as session:
        return public(reports.province_summary(session, filters, rt.clock()))


@router.get("/reports/projects/<int:project_id>", summary="Project report", response=ProjectReportOut,
            description="One project's report (any stage). " + SUPPRESSION)
def report_project(project_id: int) -> Any:
    rt = runtime()
    with rt.db.transaction() as session:
        return public(reports.project_report(session, project_id, rt.clock()))


@router.get("/reports/trainings/<int:training_id>", summary="Training report", response=TrainingReportOut,
            description="One training's report. " + SUPPRESSION)
def report_training(training_id: int) -> Any:
    rt = runtime()
    with rt.db.transaction() as session:
        return public(reports.training_report(session, training_id, rt.clock()))


def _pdf(kind: str, key: int | str, filename: str) -> Response:
    """The executive summary PDF (services/report_pdf.render); 404 until it is available. Its figures are not
    suppressed (it is for executives), so only the staff token gets it."""
    if not is_staff_caller():
        return json_error(403, reports_texts.API_PDF_STAFF_ONLY, code="staff_token_required")
    try:
        report_pdf = importlib.import_module("services.report_pdf")
    except ImportError:
        return json_error(503, reports_texts.API_PDF_UNAVAILABLE, code="pdf_unavailable")
    try:
        data = report_pdf.render(kind, key)
    except NotFound:
        raise
    except DomainError as exc:  # not finished yet (or a month not over): there is no such report yet
        raise NotFound(exc.message, code=exc.code or "report_not_ready") from None
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@router.get("/reports/projects/<int:project_id>.pdf", summary="Project report as PDF", content_type="application/pdf",
            errors=(403,), description="The executive summary of a finished project (key figures, charts, a short analysis, "
                        "activity photos; Buddhist-era dates). 404 while the project has not reached its last "
                        "stages (completed or evaluated).")
def report_project_pdf(project_id: int) -> Any:
    return _pdf("project", project_id, f"kk-project-{project_id}.pdf")


@router.get("/reports/trainings/<int:training_id>.pdf", summary="Training report as PDF",
            content_type="application/pdf", errors=(403,),
            description="The executive summary of a training that has ended. 404 before it ends.")
def report_training_pdf(training_id: int) -> Any:
    return _pdf("training", training_id, f"kk-training-{training_id}.pdf")


@router.get("/reports/province/<month>.pdf", summary="Monthly province report as PDF",
            content_type="application/pdf", errors=(403,), description="The province's report of one month, `YYYY-MM`. 404 until the month is over.")
def report_month_pdf(month: str) -> Any:
    if not re.fullmatch(MONTH_PATTERN, month):
        raise NotFound(reports_texts.BAD_MONTH, code="bad_month")
    return _pdf("province", month, f"kk-province-{month}.pdf")
