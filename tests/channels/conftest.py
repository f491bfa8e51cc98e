"""Facebook tests run against the Graph API stand-in served over real HTTP, with a short client timeout so a
stand-in that applies a post and then keeps the caller waiting is a real timeout."""

from __future__ import annotations

from typing import Any

import pytest

from facebook_standin import STANDIN_PAGE_ID, STANDIN_TOKEN, GraphStandIn, serve_standin
from models.channels import ChannelPost
from scheduler.jobs_channels import post_to_facebook
from services import announcements, channels
from services.announcements import Audience

CLIENT_TIMEOUT = 0.3


@pytest.fixture(scope="session")
def standin_server():
    server = serve_standin(GraphStandIn(delay_seconds=CLIENT_TIMEOUT * 3))
    yield server
    server.shutdown()


@pytest.fixture
def facebook(standin_server) -> GraphStandIn:
    """The stand-in's state: posts made, faults to inject, requests seen."""
    standin_server.store.reset()
    yield standin_server.store
    standin_server.store.reset()


@pytest.fixture
def app_config(app_config, standin_server, facebook) -> dict:
    return {**app_config, "FACEBOOK_PAGE_ID": STANDIN_PAGE_ID, "FACEBOOK_PAGE_ACCESS_TOKEN": STANDIN_TOKEN,
            "FACEBOOK_GRAPH_BASE_URL": standin_server.graph_url, "FACEBOOK_TIMEOUT_SECONDS": CLIENT_TIMEOUT,
            "FACEBOOK_MAX_ATTEMPTS": 4}


def announce(rt: Any, text: str = "ประชุมประชาคมหมู่บ้าน วันศุกร์นี้ 9 โมง ศาลากลางบ้าน", *,
             link: str | None = "https://kk.test/projects/1", photo_url: str | None = None) -> int:
    """An announcement sent now with Facebook chosen, as the announcement service will do it; its post's id."""
    with rt.db.transaction() as session:
        row = announcements.create_announcement(session, "system", [{"type": "text", "text": text}], Audience(),
                                                None, rt.clock(), source="console")
        post = channels.queue_facebook_post(session, text=channels.facebook_text(row.messages), link=link,
                                            photo_url=photo_url, announcement_id=row.id, send_at=row.send_at,
                                            now=rt.clock())
        return post.id


def run_job(rt: Any) -> int:
    return post_to_facebook(rt, rt.clock())


def post_row(rt: Any, post_id: int) -> ChannelPost:
    with rt.db.transaction() as session:
        row = session.get(ChannelPost, post_id)
        session.expunge(row)
        return row
