"""Posts due Facebook posts (services/channels.py): claim in one transaction, call the Graph API outside any, record
each outcome in its own. Running twice posts nothing twice: a posted row is never claimed again, and a row whose
earlier request may have made the post is searched for before it is posted."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

import requests

from scheduler.runner import Job
from services import channels
from services.facebook import GraphClient

log = logging.getLogger(__name__)


def graph_client(runtime: Any) -> GraphClient | None:
    """The Page's Graph client: Facebook when configured, the in-process stand-in in emulator mode, else None."""
    settings = runtime.settings
    mode = channels.facebook_mode(settings)
    if mode == channels.FACEBOOK:
        return GraphClient(settings.FACEBOOK_GRAPH_BASE_URL, settings.FACEBOOK_PAGE_ID,
                           settings.FACEBOOK_PAGE_ACCESS_TOKEN, timeout=settings.FACEBOOK_TIMEOUT_SECONDS)
    store = getattr(runtime, "facebook_standin", None)
    if mode == channels.STANDIN and store is not None:
        from facebook_standin import STANDIN_VERSION, InProcessAdapter

        base = f"http://graph-standin.invalid/{STANDIN_VERSION}"  # never resolved: the adapter answers
        http = requests.Session()
        http.mount("http://graph-standin.invalid/", InProcessAdapter(store, base))
        return GraphClient(base, store.page_id, store.token, timeout=settings.FACEBOOK_TIMEOUT_SECONDS, http=http)
    return None


def post_to_facebook(runtime: Any, now: datetime) -> int:
    """Sends the due posts; returns how many were posted (or found already posted) in this run."""
    client = graph_client(runtime)
    if client is None:
        return 0  # Facebook is off: rows wait, and the console says why
    posted = 0
    try:
        with runtime.db.transaction() as session:
            claims = channels.claim_due(session, now)
        for claim in claims:
            result = channels.attempt(client, claim)
            with runtime.db.transaction() as session:
                status = channels.record(session, claim, result, runtime.clock(),
                                         runtime.settings.FACEBOOK_MAX_ATTEMPTS)
            posted += status == "posted"
            if status == "dead":
                log.warning("facebook post %s is dead: %s", claim.id, result.outcome.error)
        with runtime.db.transaction() as session:
            missing = channels.missing_permalinks(session, now)
        for row_id, post_id in missing:
            link = client.permalink(post_id)
            if link:
                with runtime.db.transaction() as session:
                    channels.set_permalink(session, row_id, link)
    finally:
        client.http.close()
    return posted


JOBS = [Job("post_to_facebook", post_to_facebook, 15)]
