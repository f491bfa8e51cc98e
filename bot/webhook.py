"""POST /callback: verify the signature, store the events, answer 200. Nothing else on the request path.

Any validly signed body gets a 2xx or a 4xx: 400 when it is not well-formed (bot.event_shape.parse_events says
what that means), 200 once its events are stored, whatever their fields hold (the worker marks an unusable one
invalid). A 500 means only that the database could not store them, so LINE delivers them again.

It is a plain WSGI layer in front of the Flask app rather than a Flask view: it needs no routing, session,
templates or request context, and skipping them is a third of the CPU of an acknowledgement (see
docs/BENCHMARKS.md). Every other path goes on to Flask untouched.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from linebot.v3 import SignatureValidator

from bot.event_shape import MalformedBody, parse_events
from bot.event_store import EventInbox
from models.db import Database

log = logging.getLogger(__name__)

PATH = "/callback"
MAX_WEBHOOK_BYTES = 1024 * 1024

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict, StartResponse], Iterable[bytes]]


class WebhookMiddleware:
    """Answers POST /callback itself and passes every other request to `app`."""

    def __init__(self, app: WSGIApp, db: Database, channel_secret: str, clock: Callable,
                 on_stored: Callable[[], None]) -> None:
        self.app = app
        self.inbox = EventInbox(db)
        self.validator = SignatureValidator(channel_secret)
        self.clock = clock
        self.on_stored = on_stored

    def __call__(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") != PATH:
            return self.app(environ, start_response)
        if environ.get("REQUEST_METHOD") != "POST":
            return _plain(start_response, 405, "method not allowed", [("Allow", "POST")])
        status, text = self.handle(environ)
        return _plain(start_response, status, text)

    def handle(self, environ: dict) -> tuple[int, str]:
        # WSGI upper-cases header names, so "x-line-signature" in any case arrives as HTTP_X_LINE_SIGNATURE.
        signature = environ.get("HTTP_X_LINE_SIGNATURE")
        if not signature:
            return 400, "missing signature"
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return 400, "bad content length"
        if length > MAX_WEBHOOK_BYTES:
            return 413, "body too large"
        raw = environ["wsgi.input"].read(length) if length > 0 else b""
        if not self.signed(raw, signature):
            log.warning("webhook: invalid signature (%d bytes)", len(raw))
            return 400, "invalid signature"
        try:
            events = parse_events(raw)
        except MalformedBody as exc:
            log.warning("webhook: signed body is not well-formed: %s (%d bytes)", exc, len(raw))
            return 400, "invalid body"
        if events:  # an empty list is LINE's "verify" request
            try:
                self.inbox.store(events, self.clock())
            except Exception:  # noqa: BLE001 - not stored: answer 500 so LINE delivers it again
                log.exception("webhook: could not store %d event(s)", len(events))
                return 500, "not stored; please redeliver"
            self.on_stored()
        return 200, "OK"

    def signed(self, raw: bytes, signature: str) -> bool:
        """LINE's signature over the body, checked by line-bot-sdk (in constant time)."""
        try:
            return self.validator.validate(raw.decode("utf-8"), signature)
        except Exception:  # noqa: BLE001 - an undecodable body or malformed base64 is an invalid signature
            return False


def _plain(start_response: StartResponse, status: int, text: str,
           headers: list[tuple[str, str]] | None = None) -> list[bytes]:
    data = text.encode()
    reason = {200: "OK", 400: "Bad Request", 405: "Method Not Allowed", 413: "Payload Too Large",
              500: "Internal Server Error"}[status]
    start_response(f"{status} {reason}", [("Content-Type", "text/plain; charset=utf-8"),
                                          ("Content-Length", str(len(data))), *(headers or [])])
    return [data]
