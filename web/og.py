"""Link previews and share counts for the public pages, with no edit to the pages themselves.

- `og_tags(...)` (a Jinja global set by a context processor) gives the Open Graph and Twitter card tags of the page
  being rendered, worked out from `request.endpoint` and `request.view_args` by one builder per public endpoint
  (`BUILDERS`). web/templates/_og_tags.html prints them; the public layout includes that partial in <head>.
  Nothing is queried unless a template calls it, so console pages pay nothing.
- `/og/<kind>/<key>-<hash>.png` serves the 1200×630 preview images (services/og_images.py). The hash is of the
  image's content: the current URL is immutable and cached for a year; an old hash redirects to the current image.
- An after-request hook counts visits that came through a share button (`?s=line|fb|copy`) on the public pages of
  `SHARE_ENDPOINTS` that answered 200 (services/share_visits.py).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from flask import Blueprint, Flask, Response, abort, current_app, has_request_context, redirect, request
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot.runtime import runtime
from services import certification, og_images, products, projects, share_visits
from services import referrals as referral_rules
from texts import og as og_texts
from texts import projects as projects_texts
from texts import results as results_texts
from texts.districts import district_name

log = logging.getLogger(__name__)

bp = Blueprint("og", __name__)

IMAGE_CACHE = "public, max-age=31536000, immutable"
STALE_CACHE = "public, max-age=300"  # an old hash's redirect: the content may change again
_NAME = re.compile(r"([a-z0-9_]{1,20})-([0-9a-f]{16})")


@dataclass(frozen=True)
class OgPage:
    """What a page's tags say. None fields fall back to the page's own <title>, description and URL."""

    card: og_images.Card
    title: str | None = None
    description: str | None = None
    url: str | None = None
    type: str = "website"


Builder = Callable[[Session, dict[str, Any], datetime, str, str], "OgPage | None"]


def _page(key: str) -> Builder:
    def build(session: Session, args: dict[str, Any], now: datetime, base: str, tz: str) -> OgPage | None:
        card = og_images.page_card(key)
        return OgPage(card) if card else None

    return build


def _project(session: Session, args: dict[str, Any], now: datetime, base: str, tz: str) -> OgPage | None:
    card = og_images.project_card(session, int(args.get("project_id", 0)))
    if card is None:
        return None
    stage, districts = card.lines
    return OgPage(card, title=card.title, url=projects.public_url(base, int(card.key)), type="article",
                  description=og_texts.PROJECT_DESCRIPTION.format(stage=stage, districts=districts))


def _product(session: Session, args: dict[str, Any], now: datetime, base: str, tz: str) -> OgPage | None:
    product = og_images.public_product(session, int(args.get("product_id", 0)), now)
    if product is None:
        return None
    card = og_images.product_card_of(session, product, now)
    vendor = product.vendor
    template = og_texts.PRODUCT_CERTIFIED_DESCRIPTION if card.badge else og_texts.PRODUCT_DESCRIPTION
    description = template.format(price=card.lines[0], shop=vendor.shop_name,
                                  district=district_name(vendor.district))
    return OgPage(card, title=card.title, description=description, url=products.public_url(base, product.id))


def _certificate(session: Session, args: dict[str, Any], now: datetime, base: str, tz: str) -> OgPage | None:
    cert = certification.by_number(session, str(args.get("number", ""))[:40])
    if cert is None:
        return None
    product = cert.product
    shown = og_images.public_product(session, product.id, now)
    card = og_images.product_card_of(session, shown, now) if shown else og_images.page_card("certificate")
    assert card is not None
    return OgPage(card, title=og_texts.CERTIFICATE_TITLE.format(number=cert.number),
                  description=og_texts.CERTIFICATE_DESCRIPTION.format(
                      product=product.name, shop=product.vendor.shop_name,
                      district=district_name(product.vendor.district)),
                  url=certification.certificate_url(base, cert.number or ""))


def _training(session: Session, args: dict[str, Any], now: datetime, base: str, tz: str) -> OgPage | None:
    card = og_images.training_card(session, int(args.get("training_id", 0)), tz)
    if card is None:
        return None
    return OgPage(card, title=card.title, type="article",
                  description=og_texts.TRAINING_DESCRIPTION.format(when=card.lines[0], seats=card.lines[1]))


def _results(session: Session, args: dict[str, Any], now: datetime, base: str, tz: str) -> OgPage | None:
    card = og_images.page_card("results")
    assert card is not None
    return OgPage(card, title=results_texts.TITLE, url=f"{base}/results")


# Public endpoint -> builder. Stage news links to the project's page (services/projects.announce uses
# projects.public_url), so "project" covers it. A training page's endpoint is listed under the name it will have;
# a module adding a public page adds itself with `add_builder`.
BUILDERS: dict[str, Builder] = {
    "public_projects.project_list": _page("projects"),
    "public_projects.project_page": _project,
    "public_market.catalog_page": _page("market"),
    "public_market.product_page": _product,
    "public_market.certificate_lookup": _page("certificate"),
    "public_market.certificate_page": _certificate,
    "public_results.results_page": _results,
    "public_trainings.training_page": _training,
}

# Pages whose visits through a share button are counted (the public pages people share).
SHARE_ENDPOINTS = frozenset(BUILDERS)


def add_builder(endpoint: str, builder: Builder) -> None:
    """Gives a new public endpoint its preview tags (and counts its shared visits)."""
    global SHARE_ENDPOINTS
    BUILDERS[endpoint] = builder
    SHARE_ENDPOINTS = SHARE_ENDPOINTS | {endpoint}


def build(endpoint: str | None, args: dict[str, Any] | None) -> OgPage | None:
    """The page's preview from its endpoint and URL arguments (one short read transaction), or None."""
    builder = BUILDERS.get(endpoint or "")
    if builder is None:
        return None
    rt = runtime()
    base = rt.settings.public_base_url.rstrip("/")
    with rt.db.transaction() as session:
        return builder(session, dict(args or {}), rt.clock(), base, rt.settings.TZ)


def _text(value: Any) -> str:
    return " ".join(str(value or "").split())


def tags(page_title: Any = "", page_description: Any = "", share_url: Any = None) -> list[tuple[str, str, str]]:
    """(attribute, name, content) of every preview tag for the current request: og:* as property, twitter:* as
    name. The page's own title and description are used where the builder has none (list pages)."""
    if not has_request_context():  # a layout rendered for a file (e.g. a PDF) has no page to preview
        return []
    base = runtime().settings.public_base_url.rstrip("/")
    try:
        page = build(request.endpoint, request.view_args)
    except (SQLAlchemyError, ValueError, TypeError):
        # A preview is never worth a broken page: the tags fall back to the page's own words.
        log.exception("og tags for %s", request.endpoint)
        page = None
    card = page.card if page else og_images.page_card("site")
    assert card is not None
    title = _text(page.title if page and page.title else page_title) or projects_texts.PUBLIC["SITE_NAME"]
    description = _text(page.description if page and page.description else page_description) \
        or projects_texts.PUBLIC["TAGLINE"]
    shared = str(share_url) if share_url and str(share_url).startswith(("http://", "https://")) else None
    url = (page.url if page and page.url else None) or shared or f"{base}{request.path}"
    image = f"{base}{card.path}"
    og = [("og:type", page.type if page else "website"), ("og:site_name", projects_texts.PUBLIC["SITE_NAME"]),
          ("og:locale", og_texts.LOCALE), ("og:title", title), ("og:description", description), ("og:url", url),
          ("og:image", image), ("og:image:secure_url", image) if image.startswith("https://") else None,
          ("og:image:type", "image/png"), ("og:image:width", str(og_images.WIDTH)),
          ("og:image:height", str(og_images.HEIGHT)), ("og:image:alt", title)]
    twitter = [("twitter:card", "summary_large_image"), ("twitter:title", title),
               ("twitter:description", description), ("twitter:image", image), ("twitter:image:alt", title)]
    return [("property", name, value) for name, value in (t for t in og if t)] + \
        [("name", name, value) for name, value in twitter]


# ---- the images ------------------------------------------------------------------------------------------------------
@bp.get("/og/<kind>/<name>.png")
def image(kind: str, name: str) -> Any:
    """A preview image by content hash: the PNG (cached for good), a redirect from an old hash, 404 for no page."""
    match = _NAME.fullmatch(name)
    if kind not in og_images.KINDS or match is None:
        abort(404)
    key, wanted = match.groups()
    rt = runtime()
    with rt.db.transaction() as session:
        card = og_images.card_for(session, kind, key, rt.clock(), rt.settings.TZ)
        if card is None:
            abort(404)
        if card.hash != wanted:
            response = redirect(card.path, code=302)
            response.headers["Cache-Control"] = STALE_CACHE
            return response
        data = og_images.cached_png(card)
        photo = og_images.photo_bytes(session, card) if data is None else None
    if data is None:
        data = og_images.draw_and_keep(card, photo)  # drawn outside the transaction: it takes tens of ms
    response = Response(data, mimetype="image/png")
    response.headers["Cache-Control"] = IMAGE_CACHE
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


# ---- share counts ----------------------------------------------------------------------------------------------------
def count_share_visit(response: Response) -> Response:
    """Counts a visit that came through a tagged share button to a public page that answered 200."""
    if request.endpoint not in SHARE_ENDPOINTS or response.status_code != 200 or "s" not in request.args:
        return response
    user_agent = request.headers.get("User-Agent", "")[:500]
    source = share_visits.source_of(request.args.get("s", "")[:10])
    if not share_visits.should_count(request.method, user_agent, source):
        return response
    rt = runtime()
    visitor = referral_rules.visitor_key(current_app.secret_key or "", request.remote_addr, user_agent)
    try:
        with rt.db.transaction() as session:
            share_visits.record_visit(session, request.path, source or "", visitor, rt.clock())
    except SQLAlchemyError:
        log.exception("share visit not counted for %s", request.path)  # a count is never worth a failed page
    return response


def register(app: Flask) -> None:
    """Serves /og images, gives templates `og_tags` and the `share_tag` filter, and counts tagged share visits."""
    app.register_blueprint(bp)
    app.after_request(count_share_visit)
    # `{{ link | share_tag('line') }}`: a share button's link carries the channel it shares to.
    app.add_template_filter(share_visits.tagged, "share_tag")

    copy_texts = SimpleNamespace(COPY_LINK=og_texts.COPY_LINK)

    @app.context_processor
    def og_context() -> dict[str, Any]:
        return {"og_tags": tags, "OG_TEXTS": copy_texts}
