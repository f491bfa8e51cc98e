"""Referral links: `/r/<code>` counts the click and lands on the product page with the code; `/r/<code>/qr.png` is the
QR image of the link the bot sends a member.

A click is counted at most once per visitor per hour; the visitor is a keyed hash (HMAC-SHA256 with the app's secret
key) of the browser's address and user agent, so no address is stored. HEAD requests, link-preview fetchers and bots
land like anyone else but are not counted. An unknown or disabled code, or a product no longer listed, still lands on
the product page (which explains itself) or on /market: a shared link never shows an error.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, Response, current_app, redirect, request

from bot.runtime import runtime
from models.market import Product
from services import catalog, qr, referrals

bp = Blueprint("public_referrals", __name__, url_prefix="/r")

QR_CACHE_SECONDS = 30 * 86400  # a code always points at the same link: the image never changes


def _land(location: str) -> Response:
    response = redirect(location, code=302)
    # The redirect must reach us each time (that is the click), but a shared proxy must not keep it.
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.route("/<code>", methods=["GET", "HEAD"])
def follow(code: str) -> Any:
    """Counts the click (unless it is a repeat, a bot or HEAD) and redirects to /market/p/<id>?ref=<code>."""
    rt = runtime()
    now = rt.clock()
    user_agent = request.headers.get("User-Agent", "")[:500]
    with rt.db.transaction() as session:
        link = referrals.link_by_code(session, code[:40])
        if link is None:
            return _land("/market")
        product = session.get(Product, link.product_id)
        # Pages the product page would not show (web/public_market.py answers 404 or 410) land on the catalog.
        if product is None or product.deleted_at is not None or product.hidden or product.vendor.status != "approved":
            return _land("/market")
        if not catalog.is_listed(product, now):
            return _land(f"/market/p/{product.id}")  # the page says it is not available now
        if request.method == "GET" and not referrals.is_bot(user_agent):
            visitor = referrals.visitor_key(current_app.secret_key or "", request.remote_addr, user_agent)
            referrals.record_click(session, link, visitor, now)
        earning = link.disabled_at is None
        product_id, stored_code = product.id, link.code
    return _land(f"/market/p/{product_id}?ref={stored_code}" if earning else f"/market/p/{product_id}")


@bp.get("/<code>/qr.png")
def qr_image(code: str) -> Any:
    """The QR code of the personal link (any well-formed code of ours that exists); /market's otherwise."""
    rt = runtime()
    base = rt.settings.public_base_url
    with rt.db.transaction() as session:
        link = referrals.link_by_code(session, code[:40])
        target = referrals.link_url(base, link.code) if link is not None else f"{base}/market"
    response = Response(qr.qr_png(target), mimetype="image/png")
    response.headers["Cache-Control"] = f"public, max-age={QR_CACHE_SECONDS}" if link else "public, max-age=300"
    return response


def register(app: Flask) -> None:
    app.register_blueprint(bp)
