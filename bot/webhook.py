"""POST /callback: verify the signature, store the events, answer 200. Nothing else on the request path."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

from flask import Blueprint, Response, request
from linebot.v3 import SignatureValidator

from bot.event_store import store_events
from models.db import Database

log = logging.getLogger(__name__)

MAX_WEBHOOK_BYTES = 1024 * 1024


def create_webhook_blueprint(db: Database, channel_secret: str, clock: Callable, on_stored: Callable[[], None]) -> Blueprint:
    """Builds the webhook route. `on_stored` wakes in-process workers after the events are committed."""
    bp = Blueprint("webhook", __name__)
    validator = SignatureValidator(channel_secret)

    @bp.post("/callback")
    def callback() -> Response:
        signature = request.headers.get("X-Line-Signature")  # Werkzeug headers are case-insensitive
        if not signature:
            return _plain("missing signature", 400)
        if request.content_length is not None and request.content_length > MAX_WEBHOOK_BYTES:
            return _plain("body too large", 413)
        body = request.get_data(as_text=True)
        try:
            valid = validator.validate(body, signature)
        except Exception:  # noqa: BLE001 - malformed base64 etc. is an invalid signature, not a crash
            valid = False
        if not valid:
            log.warning("webhook: invalid signature (%d bytes)", len(body))
            return _plain("invalid signature", 400)
        try:
            payload = json.loads(body)
            events = payload.get("events")
        except (ValueError, AttributeError):
            return _plain("invalid body", 400)
        if not isinstance(events, list):
            return _plain("invalid body", 400)
        if events:  # an empty list is LINE's "verify" request
            # A plain connection, not an ORM session: this is the hot path and needs nothing but one INSERT.
            with db.engine.begin() as conn:
                store_events(conn, events, clock())
            on_stored()
        return _plain("OK", 200)

    return bp


def _plain(text: str, status: int) -> Response:
    return Response(text, status=status, mimetype="text/plain")
