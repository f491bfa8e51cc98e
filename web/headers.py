"""One response-header policy for everything the app serves: console, public pages, the API, /media and assets.

Each response gets the policy of the first path prefix that matches; this is the only place that sets these
headers (a view may still set its own Cache-Control, e.g. a public calendar file: `setdefault`). Everything gets nosniff, a Referrer-Policy and frame protection, and HSTS when
PUBLIC_BASE_URL is https (browsers ignore HSTS over plain http, and a local `python app.py` must stay reachable).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, Response, current_app, request

_BASE = ("default-src 'self'; img-src 'self' data:; font-src 'self'; form-action 'self'; base-uri 'none'; "
         "object-src 'none'")


@dataclass(frozen=True)
class Policy:
    csp: str
    frame_options: str | None = "DENY"
    referrer: str = "no-referrer"
    no_store: bool = False  # personal data or one-time links: never kept by a browser or a proxy
    permissions: str = "camera=(), microphone=(), geolocation=()"


# Staff pages and sign-in links: nothing inline, nothing from elsewhere, never framed, never leak the URL.
CONSOLE = Policy(f"{_BASE}; style-src 'self'; script-src 'self'; frame-ancestors 'none'", no_store=True)
# Check-in scans with the camera (media from blob:).
CHECKIN = Policy(f"{_BASE}; style-src 'self'; script-src 'self'; media-src 'self' blob:; frame-ancestors 'none'",
                 no_store=True, permissions="camera=(self), microphone=(), geolocation=()")
# Public pages carry small page-specific <style> blocks and style attributes (stage colours); no script runs
# inline. Referrer is kept to the origin so the province can see where its visitors came from.
PUBLIC = Policy(f"{_BASE}; style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'",
                referrer="strict-origin-when-cross-origin")
# A person's own data, opened by a token in the URL: public page styling, but the URL must never leak.
MY_DATA = Policy(PUBLIC.csp, no_store=True)
# The news widget (/embed/news) is made to sit in an <iframe> on the province's website (or any other): any site
# may frame it, and no X-Frame-Options, which cannot say "anyone". Everything else stays as PUBLIC.
EMBED = Policy(PUBLIC.csp.replace("frame-ancestors 'none'", "frame-ancestors *"), frame_options=None,
               referrer=PUBLIC.referrer)
# The chat simulator shows whatever images a bot message points at (any https host, like LINE does).
SIMULATOR = Policy("default-src 'self'; img-src 'self' data: blob: https: http:; font-src 'self'; "
                   "style-src 'self' 'unsafe-inline'; script-src 'self'; form-action 'self'; base-uri 'none'; "
                   "object-src 'none'; frame-ancestors 'none'")
# JSON, images, CSV, PDF: nothing in them may run or load anything.
DATA = Policy("default-src 'none'; frame-ancestors 'none'; base-uri 'none'")

# First matching prefix wins; the default is PUBLIC.
PREFIXES: tuple[tuple[str, Policy], ...] = (
    ("/console/trainings/", CHECKIN), ("/checkin", CHECKIN), ("/console", CONSOLE), ("/simulator", SIMULATOR),
    ("/api/", DATA), ("/media/", DATA), ("/healthz", DATA), ("/readyz", DATA), ("/_line/", DATA),
    ("/my-data/", MY_DATA), ("/embed/", EMBED),
)
HSTS = "max-age=31536000"


def policy_for(path: str) -> Policy:
    for prefix, policy in PREFIXES:
        if path.startswith(prefix):
            return policy
    return PUBLIC


def apply(response: Response) -> Response:
    """Adds the path's headers to a response (keeping any a blueprint set more precisely)."""
    policy = policy_for(request.path)
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", policy.referrer)
    headers.setdefault("Content-Security-Policy", policy.csp)
    headers.setdefault("Permissions-Policy", policy.permissions)
    if policy.frame_options:
        headers.setdefault("X-Frame-Options", policy.frame_options)
    if policy.no_store:
        headers.setdefault("Cache-Control", "no-store")
    if _https():
        headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def _https() -> bool:
    kk = current_app.extensions.get("kk")
    base = getattr(getattr(kk, "settings", None), "public_base_url", "") or ""
    return base.startswith("https://")


def register(app: Flask) -> None:
    app.after_request(apply)
