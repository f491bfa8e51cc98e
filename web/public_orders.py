"""An accepted order's PromptPay QR image, at an unguessable address, for the LINE image message."""

from __future__ import annotations

from flask import Blueprint, Flask, Response, abort, current_app

from bot.runtime import runtime
from services import orders

bp = Blueprint("public_orders", __name__)


@bp.get("/orders/<int:order_id>/promptpay-<token>.png")
def promptpay_qr(order_id: int, token: str) -> Response:
    """The QR the buyer scans with a banking app: the shop's PromptPay ID and the exact amount. The token is an
    HMAC of the order id under the app's secret, so ids cannot be walked; the image exists only while the order
    waits for its transfer."""
    if len(token) > 64:
        abort(404)
    rt = runtime()
    with rt.db.transaction() as session:
        png = orders.qr_png(session, order_id, token, current_app.config["SECRET_KEY"])
    if png is None:
        abort(404)
    response = Response(png, mimetype="image/png")
    response.headers["Cache-Control"] = "private, max-age=300"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def register(app: Flask) -> None:
    app.register_blueprint(bp)
