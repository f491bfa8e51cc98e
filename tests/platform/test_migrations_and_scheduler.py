"""Schema migrations match the models; the scheduler runs in one leader only; jobs are idempotent."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from models import Base
from models.db import Database
from models.platform import Conversation
from scheduler.jobs import expire_conversations
from scheduler.runner import LeaderLock


def test_migrations_produce_exactly_the_models(rt):
    with rt.db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": False}), Base.metadata)
    assert diff == []


def test_only_one_process_holds_the_scheduler_lock(rt, tmp_path):
    first = LeaderLock(rt.db, str(tmp_path))
    other_db = Database(rt.db.url)
    second = LeaderLock(other_db, str(tmp_path))
    try:
        assert first.try_acquire() is True
        assert second.try_acquire() is False
        first.release()
        assert second.try_acquire() is True
        assert second.still_held()
    finally:
        first.release()
        second.release()
        other_db.dispose()


def test_each_database_on_a_server_elects_its_own_leader(rt, tmp_path):
    """PostgreSQL's advisory locks are server-wide: two deployments (or two test workers) on one server must not
    share one scheduler leader."""
    if rt.db.dialect != "postgresql":
        pytest.skip("a PostgreSQL matter (SQLite's lock is a file in the instance folder)")
    import uuid

    from sqlalchemy import create_engine, text

    name = f"kk_leader_{uuid.uuid4().hex[:8]}"
    admin = create_engine(rt.db.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    other_db = Database(rt.db.url.rsplit("/", 1)[0] + "/" + name)
    here, there = LeaderLock(rt.db, str(tmp_path)), LeaderLock(other_db, str(tmp_path / "other"))
    try:
        assert here.try_acquire() is True
        assert there.try_acquire() is True
    finally:
        here.release()
        there.release()
        other_db.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_expire_conversations_is_idempotent(rt, clock):
    with rt.db.transaction() as session:
        session.add(Conversation(line_user_id="U" + "1" * 32, flow="settings", step="district", data={},
                                 started_at=clock(), updated_at=clock(), expires_at=clock() + timedelta(minutes=30)))
    clock.advance(minutes=31)
    assert expire_conversations(rt, clock()) == 1
    assert expire_conversations(rt, clock()) == 0


def test_vendored_schema_matches_the_shared_one():
    shared = Path(__file__).resolve().parents[3] / "shared" / "line-openapi" / "messaging-api.yml"
    vendored = Path(__file__).resolve().parents[2] / "line_emulator" / "spec" / "messaging-api.yml"
    if not shared.exists():
        pytest.skip("../shared is not beside this checkout")
    assert vendored.read_bytes() == shared.read_bytes()


def test_jobs_start_apart_so_they_never_hold_the_database_together(rt, tmp_path):
    import time

    from scheduler.runner import Job, SchedulerRunner

    jobs = [Job(name, lambda runtime, now: None, 30) for name in ("first", "second", "third")]
    runner = SchedulerRunner(rt, rt.db, jobs, rt.clock, str(tmp_path), first_run_delay=60, stagger_seconds=2)
    runner.start()
    try:
        deadline = time.monotonic() + 10
        while not runner.is_leader and time.monotonic() < deadline:
            time.sleep(0.05)
        assert runner.is_leader
        starts = {job.id: job.next_run_time for job in runner.scheduler.get_jobs()}
    finally:
        runner.stop()
    assert (starts["second"] - starts["first"]).total_seconds() == pytest.approx(2)
    assert (starts["third"] - starts["first"]).total_seconds() == pytest.approx(4)


def test_sqlite_checkpoints_happen_in_the_background(tmp_path):
    """Webhook commits never pay for a checkpoint: a background thread moves the WAL into the database file."""
    import time

    from sqlalchemy import text

    db = Database(f"sqlite:///{tmp_path / 'wal.db'}")
    try:
        with db.engine.begin() as conn:
            conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)"))
        size_before = (tmp_path / "wal.db").stat().st_size
        db.start_checkpointer()
        with db.engine.begin() as conn:  # a few hundred pages: far below the 10,000-page backstop
            conn.execute(text("INSERT INTO t (body) VALUES (:body)"), [{"body": "ข" * 1000}] * 500)
        expected = size_before + 500 * 1000  # the rows' text alone; the file grows while a checkpoint copies pages
        deadline = time.monotonic() + 10
        while (tmp_path / "wal.db").stat().st_size <= expected and time.monotonic() < deadline:
            time.sleep(0.1)
        assert (tmp_path / "wal.db").stat().st_size > expected
    finally:
        db.dispose()
    assert db._checkpointer is None  # dispose stops the thread
