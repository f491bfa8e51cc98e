"""Executive summary PDFs for staff and executives, and the chart images of the executives' LINE notices.

- /console/reports/pdf/project/<id>.pdf, /console/reports/pdf/training/<id>.pdf and
  /console/reports/pdf/province/<YYYY-MM>.pdf: signed-in staff, admins and executives (checked every request).
  The PDFs show figures without disclosure control, so they are not public: the public sees a finished project's
  results on its page and /results, where counts under 5 and dominated sales are hidden.
- /reports/chart/<token>.png: the chart of a notice, fetched by LINE's servers without a sign-in, so the address
  is a random token (aggregate figures only).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, Response, abort, render_template

from bot.runtime import runtime
from services import report_notices, report_pdf
from services.errors import DomainError, NotFound
from texts import report_pdf as report_pdf_texts
from web.auth import reports_access_required

bp = Blueprint("report_pdfs", __name__)


def _pdf(kind: str, key: int | str) -> Any:
    try:
        data = report_pdf.render(kind, key)
    except NotFound:
        abort(404)
    except DomainError as exc:
        return render_template("console/message.html", title=report_pdf_texts.KIND_TITLES[kind],
                               message=exc.message), 409
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="report-{kind}-{key}.pdf"'
    response.headers["Cache-Control"] = "private, no-store"  # unsuppressed figures: never in a shared cache
    return response


@bp.get("/console/reports/pdf/project/<int(max=2147483647):project_id>.pdf")
@reports_access_required
def project_pdf(project_id: int) -> Any:
    return _pdf("project", project_id)


@bp.get("/console/reports/pdf/training/<int(max=2147483647):training_id>.pdf")
@reports_access_required
def training_pdf(training_id: int) -> Any:
    return _pdf("training", training_id)


@bp.get("/console/reports/pdf/province/<month>.pdf")
@reports_access_required
def province_pdf(month: str) -> Any:
    if not report_pdf.MONTH_RE.match(month):
        abort(404)
    return _pdf("province", month)


@bp.get("/reports/chart/<token>.png")
def notice_chart(token: str) -> Response:
    with runtime().db.transaction() as session:
        data = report_notices.chart_image(session, token)
    if data is None:
        abort(404)
    response = Response(data, mimetype="image/png")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


def register(app: Flask) -> None:
    app.register_blueprint(bp)
