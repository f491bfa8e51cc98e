"""Console: posts to the province's Facebook Page (/console/channels): what was posted, with its link, what waits,
and what failed, with Facebook's own error and a retry button. In emulator mode without Facebook settings, a
stand-in takes the posts and the page says so; the stand-in is served under /facebook-standin for a look."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, abort, flash, redirect, render_template, url_for

from bot.runtime import runtime
from services import channels
from services.errors import DomainError, NotFound
from texts import channels as channels_texts
from web.auth import current_staff, staff_required

STANDIN_PREFIX = "/facebook-standin"
PAGE_SIZE = 100

bp = Blueprint("console_channels", __name__, url_prefix="/console/channels")
CONSOLE_NAV = [(25, channels_texts.PAGE_TITLE, "console_channels.index", "console_channels")]
CONSOLE_WAITING = [(25, channels_texts.WAITING_LABEL, channels.dead_count, "console_channels.index")]


@bp.get("", strict_slashes=False)
@staff_required
def index() -> Any:
    rt = runtime()
    with rt.db.transaction() as session:
        posts = channels.recent_posts(session, limit=PAGE_SIZE)
        rows = [{"id": p.id, "status": p.status, "message": p.message, "link": p.link, "photo_url": p.photo_url,
                 "announcement_id": p.announcement_id, "project_id": p.project_id, "stage": p.stage,
                 "attempts": p.attempts, "due": p.next_attempt_at, "posted_at": p.posted_at,
                 "permalink": p.permalink, "error": p.last_error, "maybe_posted": p.maybe_posted} for p in posts]
    return render_template("console/channels.html", L=channels_texts, rows=rows,
                           mode=channels.facebook_mode(rt.settings), page_id=rt.settings.FACEBOOK_PAGE_ID)


@bp.post("/<int:post_id>/retry")
@staff_required
def retry(post_id: int) -> Any:
    rt = runtime()
    try:
        with rt.db.transaction() as session:
            channels.retry(session, current_staff().line_user_id, post_id, rt.clock(),
                           rt.settings.ADMIN_LINE_USER_IDS)
    except NotFound:
        abort(404)
    except DomainError as exc:
        flash(exc.message, "error")
    else:
        flash(channels_texts.RETRIED.format(id=post_id), "ok")
    return redirect(url_for("console_channels.index"))


def register(app: Flask) -> None:
    app.register_blueprint(bp)
    rt = app.extensions["kk"]
    # For the announce form's includes (console/_facebook_choice.html, console/_facebook_preview.html).
    app.jinja_env.globals.update(CHANNELS_TEXTS=channels_texts,
                                 facebook_channel_mode=lambda: channels.facebook_mode(runtime().settings))
    if channels.facebook_mode(rt.settings) == channels.STANDIN:
        # Emulator mode without a Page: the stand-in records the posts (scheduler/jobs_channels.py reaches it in
        # process) and shows them under /facebook-standin; it never answers for Facebook in production.
        from werkzeug.middleware.dispatcher import DispatcherMiddleware

        from facebook_standin import GraphStandIn, create_standin_app

        store = GraphStandIn(public_url=f"{rt.settings.public_base_url}{STANDIN_PREFIX}")
        rt.facebook_standin = store
        app.wsgi_app = DispatcherMiddleware(app.wsgi_app, {STANDIN_PREFIX: create_standin_app(store)})  # type: ignore[method-assign]
