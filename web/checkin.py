"""Check-in at a training, on a staff phone: scan the trainee's QR with the camera or type the code.

- /checkin/qr/<code>.png      the trainee's check-in card (QR + code written out), linked from their LINE message;
- /checkin?code=...           what a staff phone's own camera app opens from the QR: who it is, one confirm button;
- /console/trainings/<id>/checkin      the scanner page of one training (camera where the browser can read QR
                                        codes itself, typing always), answering JSON to its script;
Before the training's day a check-in asks staff to confirm ("ยืนยัน" / "ยกเลิก"); the service re-checks on every
POST, so only a POST carrying confirm_early=1 records an early check-in.
- /console/trainings/<id>/attendance   the attendance list, and .csv for a spreadsheet.
Attendance is recorded once however many times a code is scanned (services/training_checkin.check_in).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, Response, abort, jsonify, render_template, request, url_for

from bot.runtime import runtime
from services import audit, qr, training_checkin, trainings
from services.errors import DomainError
from texts import surveys as surveys_texts
from texts import trainings as trainings_texts
from texts.districts import district_name
from web.auth import current_staff, staff_required
from web.csv_export import csv_response

bp = Blueprint("checkin", __name__)

MAX_CODE_INPUT = 300






@bp.get("/console/trainings/assets/trainings.css")
def stylesheet() -> Response:
    """Styles of the training and survey console pages (inline styles are blocked by the CSP)."""
    response = Response(render_template("trainings/trainings.css"), mimetype="text/css")
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


# ---- the trainee's card ---------------------------------------------------------------------------------------------
@bp.get("/checkin/qr/<code>.png")
def qr_card(code: str) -> Response:
    """The check-in card image LINE shows in the confirmation (the code in the URL is the secret itself)."""
    normalised = qr.normalise_code(code[:40])
    if normalised is None:
        abort(404)
    rt = runtime()
    with rt.db.transaction() as session:
        found = training_checkin.find_code(session, normalised)
        if found is None or found[0].status == "cancelled":
            abort(404)
        _signup, training, _citizen = found
        caption = [training.title, trainings_texts.when(training.starts_at, training.ends_at)]
    data = qr.checkin_card_png(qr.checkin_url(rt.settings.public_base_url, normalised), normalised, caption)
    response = Response(data, mimetype="image/png")
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


# ---- scanning with the phone's own camera app --------------------------------------------------------------------------
def _lookup(raw: str) -> dict[str, Any] | None:
    rt = runtime()
    with rt.db.transaction() as session:
        found = training_checkin.find_code(session, raw)
        if found is None:
            return None
        signup, training, citizen = found
        early = training_checkin.before_training_day(training, rt.clock())
        return {"code": qr.format_code(signup.checkin_code), "raw": signup.checkin_code, "status": signup.status,
                "name": (citizen.full_name if citizen else None) or trainings_texts.NO_NAME, "training": training,
                "checked_in_at": signup.checked_in_at,
                "when": trainings_texts.when(training.starts_at, training.ends_at),
                "early": trainings_texts.CHECKIN_EARLY.format(date=trainings_texts.thai_date(training.starts_at))
                if early else None}


def _confirm_early() -> bool:
    """Whether staff answered "ยืนยัน" to checking in before the training's day."""
    value = request.form.get("confirm_early") or (request.get_json(silent=True) or {}).get("confirm_early")
    return value in ("1", 1, True, "true")


def _early_page(result: training_checkin.CheckinResult, raw: str, action: str, back: str) -> tuple[str, int]:
    """The question "ยืนยันเช็กอินก่อนวันจริงไหม" with ยืนยัน (posts again, confirmed) and ยกเลิก (records nothing)."""
    return render_template("trainings/checkin_early.html", TT=trainings_texts, result=result, raw=raw, action=action,
                           back=back), 409


@bp.get("/checkin")
@staff_required
def confirm() -> Any:
    """Shows whose code this is, with one big confirm button (a GET never records anything)."""
    raw = request.args.get("code", "")[:MAX_CODE_INPUT]
    info = _lookup(raw) if qr.normalise_code(raw) else None
    return render_template("trainings/checkin_confirm.html", TT=trainings_texts, info=info, raw=raw,
                           error=None if info else (trainings_texts.CHECKIN_BAD_CODE if not qr.normalise_code(raw)
                                                    else trainings_texts.CHECKIN_NOT_FOUND))


@bp.post("/checkin")
@staff_required
def confirm_submit() -> Any:
    rt = runtime()
    raw = request.form.get("code", "")[:MAX_CODE_INPUT]
    with rt.db.transaction() as session:
        result = training_checkin.check_in(session, raw, current_staff().line_user_id, rt.clock(),
                                    confirm_early=_confirm_early())
    if result.outcome == "early":
        return _early_page(result, raw, url_for("checkin.confirm_submit"),
                           url_for("checkin.scanner", training_id=result.training_id))
    if result.ok:
        rt.dispatcher.wake()
    return render_template("trainings/checkin_done.html", TT=trainings_texts, result=result), 200 if result.ok or \
        result.outcome == "already" else 422


# ---- the scanner page of one training ------------------------------------------------------------------------------------
def _training_or_404(session: Any, training_id: int) -> Any:
    try:
        return trainings.get_training(session, training_id)
    except DomainError:
        abort(404)


def _counts(session: Any, training_id: int) -> dict[str, int]:
    return trainings.seat_counts(session, [training_id])[training_id]


@bp.get("/console/trainings/<int:training_id>/checkin")
@staff_required
def scanner(training_id: int) -> Any:
    with runtime().db.transaction() as session:
        training = _training_or_404(session, training_id)
        counts = _counts(session, training_id)
    return render_template("trainings/checkin.html", TT=trainings_texts, training=training, counts=counts, result=None,
                           when=trainings_texts.when(training.starts_at, training.ends_at))


@bp.post("/console/trainings/<int:training_id>/checkin")
@staff_required
def scanner_submit(training_id: int) -> Any:
    """Records one check-in; answers JSON to the page's script, or the page itself without script."""
    rt = runtime()
    raw = (request.form.get("code") or (request.get_json(silent=True) or {}).get("code") or "")
    raw = str(raw)[:MAX_CODE_INPUT]
    with rt.db.transaction() as session:
        training = _training_or_404(session, training_id)
        result = training_checkin.check_in(session, raw, current_staff().line_user_id, rt.clock(), training_id=training_id,
                                    confirm_early=_confirm_early())
        counts = _counts(session, training_id)
    if result.ok:
        rt.dispatcher.wake()
    status = 200 if result.ok or result.outcome == "already" else 409 if result.outcome == "early" else 422
    if request.accept_mimetypes.best == "application/json" or request.is_json:
        return jsonify(outcome=result.outcome, ok=result.ok, message=result.message, name=result.name,
                       checked_in=counts["checked_in"], confirmed=counts["confirmed"]), status
    if result.outcome == "early":
        back = url_for("checkin.scanner", training_id=training_id)
        return _early_page(result, raw, url_for("checkin.scanner_submit", training_id=training_id), back)
    return render_template("trainings/checkin.html", TT=trainings_texts, training=training, counts=counts,
                           result=result, when=trainings_texts.when(training.starts_at, training.ends_at)), status


# ---- attendance -------------------------------------------------------------------------------------------------------
@bp.get("/console/trainings/<int:training_id>/attendance")
@staff_required
def attendance(training_id: int) -> Any:
    with runtime().db.transaction() as session:
        training = _training_or_404(session, training_id)
        rows = trainings.roster(session, training_id, ("confirmed",))
    present = [r for r in rows if r.checked_in_at]
    return render_template("trainings/attendance.html", TT=trainings_texts, training=training, rows=rows,
                           present=len(present), district_name=district_name,
                           when=trainings_texts.when(training.starts_at, training.ends_at))


@bp.get("/console/trainings/<int:training_id>/attendance.csv")
@staff_required
def attendance_csv(training_id: int) -> Response:
    """The confirmed trainees with check-in times (names and phones: staff only, never cached)."""
    with runtime().db.transaction() as session:
        training = _training_or_404(session, training_id)
        rows = trainings.roster(session, training_id, ("confirmed",))
        # Names and phones leave the system here: a staff export of personal data (services/audit.py).
        audit.record(session, current_staff().line_user_id, "export_personal_data", ("training", training.id),
                     {"file": "attendance.csv", "rows": len(rows)}, runtime().clock())
    header = ["ลำดับ", "ชื่อ-นามสกุล", "เบอร์โทร", "อำเภอ", "สมัครเมื่อ", "เช็กอิน", "เวลาเช็กอิน"]
    table = [[number, row.name, row.phone, district_name(row.district) if row.district else "",
              trainings_texts.thai_datetime(row.queued_at), "มา" if row.checked_in_at else "ไม่มา",
              trainings_texts.thai_datetime(row.checked_in_at) if row.checked_in_at else ""]
             for number, row in enumerate(rows, 1)]
    return csv_response(f"attendance-training-{training.id}.csv", header, table)  # BOM, formulas neutralised


def register(app: Flask) -> None:
    app.register_blueprint(bp)
    # The console navigation of the training and survey pages (their templates include trainings/_nav.html).
    app.jinja_env.globals["TRAINING_NAV"] = {"trainings": trainings_texts.C_TRAININGS,
                                             "surveys": surveys_texts.C_SURVEYS}
