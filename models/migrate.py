"""Applies Alembic migrations. Feature migrations branch from the platform one; `heads` applies them all."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig

from models.db import Database

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(url: str | None = None) -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if url:
        cfg.set_main_option("sqlalchemy.url", url)
    return cfg


def upgrade(db: Database) -> None:
    """Brings the database to the newest schema. Safe to call at every start and from several processes."""
    cfg = alembic_config(db.url)
    with db.engine.begin() as connection:
        if db.dialect == "postgresql":
            # Two processes starting together must not both run the same migration.
            connection.exec_driver_sql("SELECT pg_advisory_xact_lock(4242001, hashtext(current_database()))")
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "heads")
