"""Fixtures: a fake clock, a fresh database per test (SQLite, or PostgreSQL when TEST_DATABASE_URL is set),
the LINE emulator served over real HTTP, the app, and dialog helpers."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, inspect, text

from models import Base
from models.db import Database, normalise_url
from models.migrate import upgrade
from tests.browser.support import (  # noqa: F401  (the browser fixtures, defined once for every test directory)
    browser,
    embedded_site,
    page_errors,
    served_test_app,
    simulator_site,
)
from tests.dialog import ChatHarness

SECRET = "test-channel-secret"
TOKEN = "test-access-token"
ADMIN_ID = "U" + "a" * 32
API_TOKEN = "test-api-token"
PUBLIC_BASE_URL = "http://kk.test"


class FakeClock:
    """The app's clock in tests: starts at a fixed time and moves only when told to."""

    def __init__(self, now: datetime | None = None) -> None:
        self.now = now or datetime(2026, 11, 23, 3, 0, tzinfo=UTC)  # 10:00 in Khon Kaen

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta | None = None, **kwargs: float) -> datetime:
        self.now = self.now + (delta or timedelta(**kwargs))
        return self.now

    def set(self, when: datetime) -> None:
        self.now = when


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> Iterator[str]:
    """One migrated database for the session: a dedicated PostgreSQL database, or a SQLite file."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        upgrade(Database(url))
        yield url
        return
    base = normalise_url(base)
    name = f"kk_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = base.rsplit("/", 1)[0] + "/" + name
    db = Database(url)
    upgrade(db)
    db.dispose()
    yield url
    if url in _WIPERS:
        _WIPERS.pop(url)[0].dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


_WIPERS: dict[str, tuple[Any, list[str]]] = {}


def _wiper(url: str) -> tuple[Any, list[str]]:
    """The session's engine for wiping `url` and its tables (children first), made once per database."""
    if url not in _WIPERS:
        engine = create_engine(url, pool_pre_ping=True)  # some tests end every connection to the database
        # Only tables that exist: a model without its migration is reported by the migration-drift test instead.
        existing = set(inspect(engine).get_table_names())
        _WIPERS[url] = (engine, [t.name for t in reversed(Base.metadata.sorted_tables) if t.name in existing])
    return _WIPERS[url]


def _wipe(url: str) -> None:
    engine, tables = _wiper(url)
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            # TRUNCATE costs a new file per table (about 160 ms for all of them); a test writes to a few, so one
            # query finds those, only they are truncated, and every sequence starts again at 1.
            probe = " UNION ALL ".join(f"SELECT '{t}' WHERE EXISTS (SELECT 1 FROM \"{t}\")" for t in tables)
            used = [row[0] for row in conn.exec_driver_sql(probe)]
            if used:
                conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in used) + " RESTART IDENTITY CASCADE"))
            conn.exec_driver_sql("SELECT setval(c.oid, 1, false) FROM pg_class c JOIN pg_namespace n "
                                 "ON n.oid = c.relnamespace WHERE c.relkind = 'S' AND n.nspname = current_schema()")
        else:
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            for table in tables:
                conn.exec_driver_sql(f'DELETE FROM "{table}"')
            conn.exec_driver_sql("DELETE FROM sqlite_sequence") if conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE name='sqlite_sequence'").first() else None


@pytest.fixture(scope="session")
def emulator_server():
    from line_emulator.server import serve_emulator
    from line_emulator.store import EmulatorStore

    store = EmulatorStore(TOKEN)
    server = serve_emulator(store)
    yield server, store
    server.shutdown()


@pytest.fixture
def line(emulator_server):
    """The LINE emulator's state: users, what each received, injected faults."""
    _, store = emulator_server
    store.reset()
    yield store
    store.reset()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def app_config(database_url, emulator_server, clock, tmp_path) -> dict:
    server, _ = emulator_server
    return {
        "DATABASE_URL": database_url, "LINE_CHANNEL_SECRET": SECRET, "LINE_CHANNEL_ACCESS_TOKEN": TOKEN,
        "LINE_API_BASE_URL": server.base_url, "LINE_DATA_API_BASE_URL": server.base_url,
        "RUN_WORKERS": False, "RUN_SCHEDULER": False, "MIGRATE": False, "clock": clock,
        "INSTANCE_PATH": str(tmp_path / "instance"), "ADMIN_LINE_USER_IDS": (ADMIN_ID,), "API_TOKEN": API_TOKEN,
        "PUBLIC_BASE_URL": PUBLIC_BASE_URL, "TESTING": True, "SECRET_KEY": "test-secret-key",
        "LINE_TIMEOUT_SECONDS": 2.0, "BACKOFF_BASE": 0.001,
    }


@pytest.fixture
def app(app_config, database_url, line):
    from app import create_app

    _wipe(database_url)
    application = create_app(app_config)
    yield application
    rt = application.extensions["kk"]
    rt.stop()
    rt.db.dispose()


@pytest.fixture
def rt(app):
    return app.extensions["kk"]


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def harness(app, line) -> ChatHarness:
    return ChatHarness(app, line, SECRET)


@pytest.fixture
def chat(harness):
    """`alice = chat("สมศรี")` makes a LINE user who can follow, say things and tap buttons."""
    return harness.user


@pytest.fixture(autouse=True)
def _every_message_was_valid(request, emulator_server):
    """Fails a test in which the bot sent LINE a body the official schema (or LINE's limits) rejects."""
    _, store = emulator_server
    yield
    if request.node.get_closest_marker("line_errors_expected"):
        return
    bad = [r for r in store.requests() if r.status == 400 and r.path.startswith("/v2/bot/message/")
           and not (isinstance(r.response, dict) and r.response.get("message") == "Invalid reply token")]
    assert not bad, f"LINE emulator rejected: {[(r.path, r.response) for r in bad][:3]}"
    # The dispatcher sends the outbox's JSON as it is; the SDK's own request models must accept every body too.
    from bot.line_client import LineClient

    for r in store.requests("/v2/bot/message/*"):
        kind = r.path.rsplit("/", 1)[-1]
        if kind in ("reply", "push", "multicast", "broadcast", "narrowcast") and r.status < 300:
            LineClient.check_body(kind, r.body)


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "line_errors_expected: the test sends LINE bad bodies on purpose")
    config.addinivalue_line("markers", "browser: needs Chromium")


ROOT = Path(__file__).resolve().parent.parent


def pytest_collection_modifyitems(config, items) -> None:
    """On PostgreSQL, runs only the tests that use the test database (they ask for `database_url`, directly or
    through `app`, `rt`, `client`...). The others (pure functions, Flex builders, benchmarks and browser tests that
    start their own SQLite app) would run exactly as they did on SQLite, so CI runs them once."""
    if not os.environ.get("TEST_DATABASE_URL"):
        return
    skip = pytest.mark.skip(reason="does not use the test database: run once, on SQLite")
    for item in items:
        if "database_url" not in getattr(item, "fixturenames", ()):
            item.add_marker(skip)
