"""Commissions in the console: holds to decide, payouts to record, fraud flags, and the list with filters and CSV.

Also the payout QR image (/commissions/payout-qr/<token>.png) the vendor's chat shows: LINE fetches images from a
public address, so the address carries a signed, expiring token naming only ids and the amount.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import Blueprint, Flask, Response, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from bot.runtime import runtime
from models.market import Vendor
from services import commissions, referrals
from services.errors import DomainError
from services.products import format_price
from texts import commissions as commissions_texts
from web.auth import current_staff, staff_required
from web.csv_export import csv_response

bp = Blueprint("console_commissions", __name__, url_prefix="/console/commissions")
public = Blueprint("commission_images", __name__)
CONSOLE_NAV = [(64, commissions_texts.C_TITLE, "console_commissions.index", "console_commissions")]
CONSOLE_WAITING = [(64, commissions_texts.C_WAITING, commissions.holds_waiting, "console_commissions.index")]
LIST_CAP = 500  # rows on the page; the CSV has them all


def _int_arg(source: Any, name: str) -> int | None:
    raw = (source.get(name) or "").strip()
    return int(raw) if raw.isdigit() and len(raw) <= 9 else None


def _filters() -> dict[str, Any]:
    status = request.args.get("status") or None
    return {"status": status if status in commissions_texts.STATUS_NAMES else None,
            "vendor_id": _int_arg(request.args, "vendor"), "sharer_id": _int_arg(request.args, "sharer")}


def _args(filters: dict[str, Any]) -> dict[str, Any]:
    names = {"status": "status", "vendor_id": "vendor", "sharer_id": "sharer"}
    return {names[k]: v for k, v in filters.items() if v}


def _staff_ids() -> tuple[str, tuple[str, ...]]:
    return current_staff().line_user_id, tuple(runtime().settings.ADMIN_LINE_USER_IDS)


@bp.get("", strict_slashes=False)
@staff_required
def index() -> Any:
    filters = _filters()
    with runtime().db.transaction() as session:
        rows = commissions.list_commissions(session, limit=LIST_CAP, **filters)
        holds = commissions.list_commissions(session, status="hold", limit=200)
        owed = commissions.owed_everywhere(session)
        payouts = commissions.recent_payouts(session)
        flags = referrals.open_flags(session)
        shops = list(session.scalars(select(Vendor).where(Vendor.status == "approved")
                                     .order_by(Vendor.shop_name, Vendor.id)))
        return render_template(
            "console/commissions.html", C=commissions_texts, rows=rows, holds=holds, owed=owed, payouts=payouts,
            flags=flags, shops=shops, filters=filters, args=_args(filters), price=format_price, list_cap=LIST_CAP,
            goods=commissions.goods_satang)


@bp.get("/export.csv")
@staff_required
def download() -> Response:
    filters = _filters()
    with runtime().db.transaction() as session:
        data = [[c.id, c.created_at.date().isoformat(), order.id, shop, c.sharer_id, order.product_name,
                 Decimal(commissions.goods_satang(order)) / 100, c.rate_percent, Decimal(c.amount_satang) / 100,
                 commissions_texts.STATUS_NAMES.get(c.status, c.status), c.hold_reason or "",
                 c.approve_after.date().isoformat() if c.approve_after else ""]
                for c, order, shop in commissions.list_commissions(session, limit=None, **filters)]
    return csv_response("commissions.csv", commissions_texts.C_CSV_HEADER, data)


@bp.post("/<int:commission_id>/hold")
@staff_required
def decide_hold(commission_id: int) -> Any:
    approve = request.form.get("decision") == "approve"
    staff, admins = _staff_ids()
    try:
        with runtime().db.transaction() as session:
            commissions.hold_decision(session, staff, commission_id, approve, runtime().clock(), admins)
    except DomainError as exc:
        flash(exc.message, "error")
    else:
        done = commissions_texts.C_HOLD_APPROVED if approve else commissions_texts.C_HOLD_REVERSED
        flash(done.format(id=commission_id), "ok")
    return redirect(url_for("console_commissions.index"))


@bp.post("/payouts")
@staff_required
def record_payout() -> Any:
    vendor_id, sharer_id = _int_arg(request.form, "vendor"), _int_arg(request.form, "sharer")
    amount = request.form.get("amount", "").strip()
    if vendor_id is None or sharer_id is None or not amount.lstrip("-").isdigit():
        flash(commissions_texts.C_BAD_INPUT, "error")
        return redirect(url_for("console_commissions.index"))
    staff, admins = _staff_ids()
    try:
        with runtime().db.transaction() as session:
            payout = commissions.record_payout(session, staff, vendor_id, sharer_id, int(amount), runtime().clock(),
                                               request.form.get("note", "").strip() or None, admins)
            done = commissions_texts.C_PAYOUT_DONE.format(amount=format_price(payout.amount_satang), sharer=sharer_id)
    except DomainError as exc:
        flash(exc.message, "error")
    else:
        flash(done, "ok")
    return redirect(url_for("console_commissions.index"))


@bp.post("/flags/<int:flag_id>")
@staff_required
def decide_flag(flag_id: int) -> Any:
    confirm = request.form.get("decision") == "confirm"
    staff, _ = _staff_ids()
    try:
        with runtime().db.transaction() as session:
            referrals.decide_flag(session, flag_id, staff, confirm, runtime().clock())
    except DomainError as exc:
        flash(exc.message, "error")
    else:
        flash(commissions_texts.C_FLAG_DONE.format(id=flag_id), "ok")
    return redirect(url_for("console_commissions.index"))


@bp.get("/assets/commissions.css")
def stylesheet() -> Response:
    """Styles of the commissions page (inline styles are blocked by the CSP)."""
    response = Response(render_template("console/commissions.css"), mimetype="text/css")
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


@public.get("/commissions/payout-qr/<token>.png")
def payout_qr(token: str) -> Response:
    """The PromptPay QR a vendor scans to pay a sharer (404 once expired, forged, or no longer the amount owed)."""
    rt = runtime()
    found = commissions.read_payout_qr_token(rt.settings.LINE_CHANNEL_SECRET or "", token, rt.clock())
    if found is None:
        abort(404)
    with rt.db.transaction() as session:
        png = commissions.payout_qr_png(session, *found)
    if png is None:
        abort(404)
    response = Response(png, mimetype="image/png")
    response.headers["Cache-Control"] = "private, no-store"  # a payout's QR names a person's PromptPay account
    return response


def register(app: Flask) -> None:
    app.register_blueprint(bp)
    app.register_blueprint(public)
