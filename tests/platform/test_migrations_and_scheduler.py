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


def test_expire_conversations_is_idempotent(rt, clock):
    with rt.db.transaction() as session:
        session.add(Conversation(line_user_id="U" + "1" * 32, flow="settings", step="district", data={},
                                 started_at=clock(), updated_at=clock(), expires_at=clock() + timedelta(minutes=30)))
    clock.advance(minutes=31)
    assert expire_conversations(rt, clock()) == 1
    assert expire_conversations(rt, clock()) == 0


def test_vendored_schema_matches_the_shared_one():
    shared = Path(__file__).resolve().parents[3] / "shared" / "line-openapi" / "messaging-api.yml"
    vendored = Path(__file__).resolve().parents[2] / "bot" / "emulator" / "spec" / "messaging-api.yml"
    if not shared.exists():
        pytest.skip("../shared is not beside this checkout")
    assert vendored.read_bytes() == shared.read_bytes()
