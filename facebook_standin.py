"""A stand-in for the few Graph API calls the app makes to the province's Facebook Page.

It runs only in emulator mode (no LINE channel and no Facebook settings) and in tests: it records posts, answers
like the Graph API (ids, `error.message` on faults, a newest-first `/{page-id}/posts` with paging) and can be told
to misbehave the way a network does: apply a post and then not answer in time, fail with 500 before or after
applying it, refuse it. It never claims to be Facebook: its permalinks point at itself.

Served three ways: `serve_standin(store)` on a local port (tests, real HTTP with real timeouts);
`create_standin_app(store)` mounted under /facebook-standin of the app in emulator mode (people can look at what
was posted); and `InProcessAdapter`, so the app's own scheduled job reaches it without a listening port.
"""

from __future__ import annotations

import io
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html import escape
from typing import Any
from urllib.parse import urlsplit

import requests
from flask import Flask, jsonify, request
from requests.adapters import BaseAdapter
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server
from werkzeug.test import Client

STANDIN_PAGE_ID = "100000000000001"
STANDIN_TOKEN = "kk-facebook-standin-token"
STANDIN_VERSION = "v26.0"
# Faults a test can queue; each is used by the next publishing request (feed or photos).
FAULTS = ("timeout_after", "timeout_before", "500_before", "500_after", "429", "400_token", "400_permission")


@dataclass
class StandInPost:
    id: str
    kind: str  # "feed" or "photos"
    message: str
    link: str | None
    photo_url: str | None
    created_time: datetime


@dataclass
class GraphStandIn:
    """The stand-in's state: one page, its posts, queued faults and a log of requests."""

    page_id: str = STANDIN_PAGE_ID
    token: str = STANDIN_TOKEN
    delay_seconds: float = 1.0  # how long a "timeout" fault keeps the caller waiting
    public_url: str | None = None  # where people reach it (permalinks); default: where the request came in
    posts: list[StandInPost] = field(default_factory=list)
    faults: list[str] = field(default_factory=list)
    lookup_faults: list[str] = field(default_factory=list)  # for GET /{page-id}/posts: "500"
    requests: list[tuple[str, str]] = field(default_factory=list)  # (method, path)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _next: int = 1

    def reset(self) -> None:
        with self._lock:
            self.posts.clear()
            self.faults.clear()
            self.lookup_faults.clear()
            self.requests.clear()
            self._next = 1

    def fail_next(self, *faults: str) -> None:
        """Queues faults for the next publishing requests, in order."""
        unknown = [f for f in faults if f not in FAULTS]
        if unknown:
            raise ValueError(f"unknown faults {unknown}")
        with self._lock:
            self.faults.extend(faults)

    def publish_requests(self) -> int:
        return sum(1 for method, path in self.requests if method == "POST")

    def _take_fault(self) -> str | None:
        with self._lock:
            return self.faults.pop(0) if self.faults else None

    def _add(self, kind: str, message: str, link: str | None, photo_url: str | None) -> StandInPost:
        with self._lock:
            post = StandInPost(f"{self.page_id}_{self._next}", kind, message, link, photo_url, datetime.now(UTC))
            self._next += 1
            self.posts.append(post)
            return post


def _error(status: int, message: str, kind: str, code: int, transient: bool = False) -> Any:
    return jsonify(error={"message": message, "type": kind, "code": code, "is_transient": transient,
                          "fbtrace_id": "standin"}), status


def create_standin_app(store: GraphStandIn) -> Flask:
    """The Graph API calls the app makes, against `store`."""
    app = Flask("facebook_standin")
    app.json.ensure_ascii = False

    def token_ok() -> bool:
        given = request.values.get("access_token") or ""
        auth = request.headers.get("Authorization", "")
        if auth.startswith("Bearer "):
            given = auth[7:]
        return given == store.token

    def permalink(post: StandInPost) -> str:
        base = store.public_url or f"{request.host_url.rstrip('/')}{request.script_root}"
        return f"{base.rstrip('/')}/_posts/{post.id}"

    def publish(page_id: str, kind: str) -> Any:
        store.requests.append(("POST", request.path))
        if not token_ok():
            return _error(400, "Invalid OAuth access token - Cannot parse access token", "OAuthException", 190)
        if page_id != store.page_id:
            return _error(400, "(#100) Unsupported post request.", "GraphMethodException", 100)
        fault = store._take_fault()
        if fault == "400_token":
            return _error(400, "Error validating access token: Session has expired.", "OAuthException", 190)
        if fault == "400_permission":
            return _error(403, "(#200) The user hasn't authorized the application to perform this action",
                          "OAuthException", 200)
        if fault == "429":
            return _error(429, "(#32) Page request limit reached", "OAuthException", 32, transient=True)
        if fault == "500_before":
            return _error(500, "An unknown error has occurred.", "OAuthException", 1, transient=True)
        if fault == "timeout_before":
            time.sleep(store.delay_seconds)
            return _error(500, "An unknown error has occurred.", "OAuthException", 1, transient=True)
        message = request.values.get("message" if kind == "feed" else "caption", "")
        link = request.values.get("link") if kind == "feed" else None
        photo_url = request.values.get("url") if kind == "photos" else None
        if kind == "feed" and not (message or link):
            return _error(400, "(#100) Missing message or attachment", "OAuthException", 100)
        if kind == "photos" and not photo_url:
            return _error(400, "(#324) Requires upload file", "OAuthException", 324)
        post = store._add(kind, message, link, photo_url)
        if fault == "500_after":
            return _error(500, "An unknown error has occurred.", "OAuthException", 1, transient=True)
        if fault == "timeout_after":
            time.sleep(store.delay_seconds)
        if kind == "photos":
            return jsonify(id=f"photo{post.id.split('_')[1]}", post_id=post.id)
        return jsonify(id=post.id)

    @app.post("/<version>/<page_id>/feed")
    def feed(version: str, page_id: str) -> Any:
        return publish(page_id, "feed")

    @app.post("/<version>/<page_id>/photos")
    def photos(version: str, page_id: str) -> Any:
        return publish(page_id, "photos")

    @app.get("/<version>/<page_id>/posts")
    def posts(version: str, page_id: str) -> Any:
        store.requests.append(("GET", request.path))
        if not token_ok():
            return _error(400, "Invalid OAuth access token - Cannot parse access token", "OAuthException", 190)
        if store.lookup_faults:
            store.lookup_faults.pop(0)
            return _error(500, "An unknown error has occurred.", "OAuthException", 2, transient=True)
        since = int(request.args.get("since", "0") or 0)
        limit = min(100, int(request.args.get("limit", "25") or 25))
        offset = int(request.args.get("offset", "0") or 0)
        newest_first = [p for p in reversed(store.posts) if p.created_time.timestamp() >= since]
        page = newest_first[offset:offset + limit]
        data = [{"id": p.id, "message": p.message, "permalink_url": permalink(p),
                 "created_time": p.created_time.strftime("%Y-%m-%dT%H:%M:%S+0000")} for p in page]
        body: dict[str, Any] = {"data": data}
        if offset + limit < len(newest_first):
            args = {**request.args.to_dict(), "offset": str(offset + limit)}
            query = "&".join(f"{k}={v}" for k, v in args.items())
            body["paging"] = {"next": f"{request.base_url}?{query}"}
        return jsonify(body)

    @app.get("/<version>/<object_id>")
    def node(version: str, object_id: str) -> Any:
        store.requests.append(("GET", request.path))
        if not token_ok():
            return _error(400, "Invalid OAuth access token - Cannot parse access token", "OAuthException", 190)
        for post in store.posts:
            if post.id == object_id:
                return jsonify(id=post.id, permalink_url=permalink(post), message=post.message)
        return _error(400, f"(#100) Object with ID '{object_id}' does not exist", "GraphMethodException", 100)

    @app.get("/_posts/<post_id>")
    def show(post_id: str) -> Any:
        # What a person following a stand-in permalink sees: the post as recorded, marked as a stand-in.
        for post in store.posts:
            if post.id == post_id:
                photo = f'<p><img src="{escape(post.photo_url)}" alt="" width="300"></p>' if post.photo_url else ""
                link = f'<p><a href="{escape(post.link)}">{escape(post.link)}</a></p>' if post.link else ""
                return (f"<!doctype html><meta charset=utf-8><title>Facebook stand-in</title>"
                        f"<p><b>Facebook stand-in (emulator mode): not posted to Facebook.</b></p>"
                        f"<pre>{escape(post.message)}</pre>{link}{photo}")
        return "not found", 404

    return app


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


class StandInServer:
    """The stand-in listening on a local port in a daemon thread (tests)."""

    def __init__(self, server: BaseWSGIServer, store: GraphStandIn) -> None:
        self._server = server
        self.store = store
        self.base_url = f"http://{server.server_address[0]}:{server.server_port}"
        self.graph_url = f"{self.base_url}/{STANDIN_VERSION}"
        self._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=f"facebook-standin:{server.server_port}", daemon=True)
        self._thread.start()

    def shutdown(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def serve_standin(store: GraphStandIn, host: str = "127.0.0.1", port: int = 0) -> StandInServer:
    """Serves `create_standin_app(store)` on host:port (0 = any free port)."""
    return StandInServer(make_server(host, port, create_standin_app(store), threaded=True,
                                     request_handler=_QuietHandler), store)


class InProcessAdapter(BaseAdapter):
    """A requests transport that hands requests to the stand-in's WSGI app in this process.

    In emulator mode the scheduled job must reach the stand-in whether or not this app's port is listening yet
    (and from a command); timeouts cannot happen in process, so fault injection is for the served stand-in."""

    def __init__(self, store: GraphStandIn, base_url: str) -> None:
        super().__init__()
        self.client = Client(create_standin_app(store))
        self.prefix = urlsplit(base_url).path.rsplit("/", 1)[0]  # what is mounted before "/<version>"

    def send(self, prepared: requests.PreparedRequest, stream: bool = False, timeout: Any = None,
             verify: Any = True, cert: Any = None, proxies: Any = None) -> requests.Response:
        parts = urlsplit(prepared.url or "")
        path = parts.path[len(self.prefix):] if parts.path.startswith(self.prefix) else parts.path
        body = prepared.body.encode() if isinstance(prepared.body, str) else prepared.body
        answer = self.client.open(path, method=prepared.method or "GET", query_string=parts.query, data=body,
                                  headers=dict(prepared.headers), base_url=f"{parts.scheme}://{parts.netloc}"
                                  f"{self.prefix}")
        response = requests.Response()
        response.status_code = answer.status_code
        response.headers.update(dict(answer.headers))
        response.raw = io.BytesIO(answer.get_data())
        response.url = prepared.url or ""
        response.request = prepared
        response.encoding = "utf-8"
        return response

    def close(self) -> None:
        pass
