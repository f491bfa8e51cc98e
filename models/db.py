"""Engine and session factory. SQLite gets WAL and BEGIN IMMEDIATE so concurrent writers queue instead of failing."""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)


def normalise_url(url: str) -> str:
    """Uses psycopg 3 for plain postgres:// URLs (psycopg2 is not a dependency)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


WRITE_LOCK_TIMEOUT_SECONDS = 30  # like SQLite's busy_timeout below
WAL_BACKSTOP_PAGES = 10_000
CHECKPOINT_SECONDS = 1.0


def acquire_write_lock(lock: threading.Lock) -> None:
    """Waits for this process's SQLite writer lock, as long as SQLite itself would wait for another process."""
    if not lock.acquire(timeout=WRITE_LOCK_TIMEOUT_SECONDS):
        raise sqlite3.OperationalError(f"database is locked (waited {WRITE_LOCK_TIMEOUT_SECONDS} s for the write lock)")


def make_engine(url: str, *, pool_size: int = 10, write_lock: threading.Lock | None = None) -> Engine:
    """Creates the engine for `url` with the per-dialect settings this app relies on.

    On SQLite `write_lock` is the process's lock for the one writer SQLite allows (made here if not given).
    """
    url = normalise_url(url)
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30},
                               pool_size=pool_size, max_overflow=20)

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection, _record) -> None:
            # Take over transaction control from pysqlite so BEGIN IMMEDIATE can be issued: a writer then waits
            # for the lock up front instead of failing when it upgrades a read lock (capacity races need this).
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.execute("PRAGMA foreign_keys=ON")
            # A commit that pushes the WAL past this many pages checkpoints it, fsync included, while the writer
            # lock is held. Database.start_checkpointer() keeps the WAL far below it off the request path; this is
            # the backstop for processes that don't run one (tests, manage.py). SQLite's default is 1,000 pages.
            cursor.execute(f"PRAGMA wal_autocheckpoint={WAL_BACKSTOP_PAGES}")
            cursor.close()

        # SQLite has one writer at a time. Threads of this process queue on a Python lock for it, instead of each
        # spinning in SQLite's busy handler, which sleeps in growing steps (up to 100 ms) and ruins tail latency.
        # A plain Lock (not RLock) so any thread may release it; waiting is bounded like SQLite's busy_timeout.
        if write_lock is None:
            write_lock = threading.Lock()

        @event.listens_for(engine, "begin")
        def _on_begin(conn) -> None:
            acquire_write_lock(write_lock)
            conn.info["kk_write_lock"] = True
            try:
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            except BaseException:
                conn.info.pop("kk_write_lock", None)
                write_lock.release()
                raise

        def _end(info: dict, dbapi, statement: str) -> None:
            # Ends the transaction ourselves so the lock is released only after COMMIT/ROLLBACK has happened;
            # pysqlite's own commit()/rollback() that follow are then no-ops (no transaction is open).
            if not info.pop("kk_write_lock", False):
                return
            try:
                if dbapi is not None and dbapi.in_transaction:
                    dbapi.execute(statement)
            finally:
                write_lock.release()

        event.listen(engine, "commit", lambda conn: _end(conn.info, conn.connection.dbapi_connection, "COMMIT"))
        event.listen(engine, "rollback", lambda conn: _end(conn.info, conn.connection.dbapi_connection, "ROLLBACK"))
        # Safety net: a connection that goes back to the pool (or is thrown away) still holding the lock frees it.
        def _release_on_reset(dbapi_connection, connection_record, reset_state) -> None:
            if connection_record is not None:
                _end(connection_record.info, dbapi_connection, "ROLLBACK")

        def _release_on_drop(dbapi_connection, connection_record, exception=None) -> None:
            if connection_record is not None:
                _end(connection_record.info, dbapi_connection, "ROLLBACK")

        event.listen(engine.pool, "reset", _release_on_reset)
        for pool_event in ("invalidate", "soft_invalidate"):
            event.listen(engine.pool, pool_event, _release_on_drop)
        return engine
    return create_engine(url, pool_size=pool_size, max_overflow=20, pool_pre_ping=True)


class Database:
    """Holds the engine and a sessionmaker that web requests, workers and jobs all share."""

    def __init__(self, url: str, *, pool_size: int = 10) -> None:
        self.url = normalise_url(url)
        # SQLite's writer lock for this process; code that writes through the driver directly takes it too.
        self.write_lock = threading.Lock()
        self.engine = make_engine(self.url, pool_size=pool_size, write_lock=self.write_lock)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._local = threading.local()
        self._own_lock = threading.Lock()
        self._own_connections: set[Any] = set()
        self._checkpointer: threading.Thread | None = None
        self._checkpoint_stop = threading.Event()

    @contextlib.contextmanager
    def sqlite_writer(self) -> Iterator[Any]:
        """SQLite: a pooled driver connection (in autocommit) holding this process's writer lock.

        For one-statement writes that skip SQLAlchemy: each statement is its own transaction, and the lock keeps it
        from waiting in SQLite's busy handler behind another thread of this process.
        """
        connection = self.engine.raw_connection()
        try:
            acquire_write_lock(self.write_lock)
            try:
                yield connection.driver_connection
            finally:
                self.write_lock.release()
        finally:
            connection.close()

    def start_checkpointer(self) -> None:
        """SQLite: checkpoints the WAL in a background thread, so no request waits for it (a no-op elsewhere).

        Left to SQLite, the commit that fills the WAL (1,000 pages: a few hundred webhook events) copies it into the
        database file and fsyncs, holding the writer lock, and every webhook behind it waits. A PASSIVE checkpoint
        needs no writer lock, so here it runs beside the writers, every second, with the GIL released.
        """
        if self.dialect != "sqlite" or self._checkpointer is not None or ":memory:" in self.url:
            return
        self._checkpoint_stop.clear()
        self._checkpointer = threading.Thread(target=self._checkpoint_loop, name="sqlite-checkpoint", daemon=True)
        self._checkpointer.start()

    def _checkpoint_loop(self) -> None:
        path = make_url(self.url).database
        connection = sqlite3.connect(path, timeout=30, check_same_thread=False, isolation_level=None)
        try:
            while not self._checkpoint_stop.wait(CHECKPOINT_SECONDS):
                try:
                    connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
                except sqlite3.Error:  # busy or briefly unavailable: the next round (or the backstop) catches up
                    log.warning("sqlite checkpoint skipped", exc_info=True)
        finally:
            connection.close()

    def stop_checkpointer(self) -> None:
        thread, self._checkpointer = self._checkpointer, None
        if thread is not None:
            self._checkpoint_stop.set()
            thread.join(10)

    def autocommit_cursor(self) -> Any:
        """PostgreSQL only: this thread's own autocommit psycopg cursor, for one-statement writes on a hot path.

        The webhook stores events with it: each statement commits by itself, so storing is one round trip instead
        of four through the pool (pre-ping, BEGIN, INSERT, COMMIT), and holding one connection per thread skips
        the pool's checkout and reset. There is no pre-ping: a connection the server dropped fails its statement,
        and the caller then calls `discard_autocommit_cursor()` and tries once more.
        """
        cursor = getattr(self._local, "autocommit_cursor", None)
        if cursor is None or cursor.closed or cursor.connection.closed:
            import psycopg

            url = make_url(self.url)
            conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
            # LINE waits about 2 s for the answer: an unreachable database should fail fast, not after TCP's minutes.
            timeout = {} if "connect_timeout" in url.query else {"connect_timeout": 5}
            connection = psycopg.connect(conninfo, autocommit=True, **timeout)
            cursor = connection.cursor()
            self._local.autocommit_cursor = cursor
            with self._own_lock:
                self._own_connections.add(connection)
        return cursor

    def discard_autocommit_cursor(self) -> None:
        """Closes this thread's autocommit connection (after a failure); the next call opens a fresh one."""
        cursor = getattr(self._local, "autocommit_cursor", None)
        self._local.autocommit_cursor = None
        if cursor is not None:
            with self._own_lock:
                self._own_connections.discard(cursor.connection)
            cursor.connection.close()

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        """Yields a session inside one transaction: committed on success, rolled back on error."""
        with self.sessions() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.stop_checkpointer()
        self.engine.dispose()
        with self._own_lock:
            connections, self._own_connections = self._own_connections, set()
        for connection in connections:
            connection.close()
