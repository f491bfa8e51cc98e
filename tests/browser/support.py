"""Real-browser test support: Debian's Chromium through Playwright, and live servers on 127.0.0.1
(ephemeral ports, werkzeug's threaded server in a daemon thread).

Its fixtures are registered once, by tests/conftest.py: a session-scoped browser defined again in another module
would start a second Playwright in the same worker, which Playwright refuses."""

from __future__ import annotations

import contextlib
import os
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import BaseWSGIServer, make_server

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ADMIN = "U" + "d" * 32  # the configured admin of embedded_site
SCREENSHOT_DIR = Path(os.environ.get("SIMULATOR_SCREENSHOT_DIR", tempfile.gettempdir()))


@dataclass
class LiveServer:
    """A WSGI app served on a free local port."""

    server: BaseWSGIServer
    thread: threading.Thread

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def _not_ready(environ: dict, start_response: Any) -> list[bytes]:
    start_response("503 Service Unavailable", [("Content-Type", "text/plain; charset=utf-8")])
    return [b"starting"]


def serve(app: Any = None) -> LiveServer:
    """Binds a free port first (the app may need to know it), serves `app` (or set `server.app` later)."""
    server = make_server("127.0.0.1", 0, app or _not_ready, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    return LiveServer(server, thread)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the session."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page_errors() -> list[str]:
    """JavaScript errors seen by a page (tests assert there are none)."""
    return []


def new_page(browser: Any, errors: list[str], width: int, height: int) -> Any:
    """A fresh context and page that records uncaught JavaScript errors into `errors`."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale="th-TH",
                                  timezone_id="Asia/Bangkok", device_scale_factor=1)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return page

@contextlib.contextmanager
def running_app(**settings: Any) -> Iterator[tuple[str, Any]]:
    """The real app as `python app.py` runs it (built-in LINE emulator, worker threads) on a free port, with a fresh
    SQLite database; yields (base URL, app). The port is bound first: the app's LINE client must know it."""
    from app import create_app

    server = serve()
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({
            "DATABASE_URL": f"sqlite:///{Path(tmp) / 't.db'}", "HOST": "127.0.0.1", "PORT": server.server.server_port,
            "INSTANCE_PATH": tmp, "RUN_SCHEDULER": False, "SECRET_KEY": "browser-test", "TESTING": True, **settings,
        })
        server.server.app = app
        try:
            yield server.base_url, app
        finally:
            server.stop()
            rt = app.extensions["kk"]
            rt.stop()
            rt.db.dispose()


@pytest.fixture
def embedded_site() -> Iterator[tuple[str, Any]]:
    """`running_app` with one configured admin (ADMIN); its public address is its own (HOST:PORT)."""
    with running_app(ADMIN_LINE_USER_IDS=(ADMIN,)) as site:
        yield site


@pytest.fixture
def simulator_site() -> Iterator[tuple[str, Any]]:
    """`running_app` as a newcomer starts it: no admin configured."""
    with running_app() as site:
        yield site


@pytest.fixture
def served_test_app(app) -> Iterator[str]:
    """The test app (fresh DB, fake clock, LINE emulator) served on a free local port; yields its base URL."""
    server = serve(app)
    try:
        yield server.base_url
    finally:
        server.stop()


def start_chatting(page: Any, base_url: str, name: str) -> None:
    """Opens the simulator, creates a user and adds the account as a friend."""
    page.goto(f"{base_url}/simulator")
    page.get_by_placeholder("ชื่อที่แสดง").fill(name)
    page.get_by_role("button", name="สร้าง", exact=True).click()
    page.locator("#gate-follow").click()
