"""Runs scheduled jobs in exactly one process per deployment (the leader).

PostgreSQL: the leader holds a session-level advisory lock on a connection it keeps open; if it dies, the lock
is released and another process takes over within a minute. SQLite (one machine): an exclusive file lock under
instance/. Never started at import; create_app starts it only when RUN_SCHEDULER is on.
"""

from __future__ import annotations

import fcntl
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler

from models.db import Database

log = logging.getLogger(__name__)

LEADER_LOCK_KEY = 4242002


@dataclass(frozen=True)
class Job:
    """A scan for due work. `run(runtime, now)` must be idempotent: running it twice sends nothing twice."""

    name: str
    run: Callable[[Any, datetime], Any]
    seconds: int


class LeaderLock:
    def __init__(self, db: Database, instance_path: str) -> None:
        self.db = db
        self.instance_path = instance_path
        self._conn = None
        self._file = None

    def try_acquire(self) -> bool:
        if self.db.dialect == "postgresql":
            conn = self.db.engine.raw_connection()
            cursor = conn.cursor()
            # Advisory locks are server-wide: the second key is the database's, so two deployments (or test
            # databases) on one PostgreSQL server each elect their own leader.
            cursor.execute("SELECT pg_try_advisory_lock(%s, hashtext(current_database()))", (LEADER_LOCK_KEY,))
            got = bool(cursor.fetchone()[0])
            cursor.close()
            conn.commit()
            if got:
                conn.detach()  # the lock lives as long as this connection: keep it out of the pool
                self._conn = conn
            else:
                conn.close()
            return got
        path = Path(self.instance_path) / "scheduler.lock"
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(path, "a+")  # noqa: SIM115 - held open for the life of the leader
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._file = handle
        return True

    def still_held(self) -> bool:
        if self._conn is not None:
            try:
                cursor = self._conn.cursor()
                cursor.execute("SELECT 1")
                cursor.close()
                self._conn.commit()
                return True
            except Exception:  # noqa: BLE001 - the connection died: so did the lock
                self._conn = None
                return False
        return self._file is not None

    def release(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            finally:
                self._conn = None
        if self._file is not None:
            self._file.close()
            self._file = None


class SchedulerRunner:
    """Tries to become leader every `check_seconds`; the leader runs the jobs with APScheduler."""

    def __init__(self, runtime: Any, db: Database, jobs: list[Job], clock: Callable[[], datetime],
                 instance_path: str, check_seconds: float = 30.0, first_run_delay: float = 10.0,
                 stagger_seconds: float = 2.0) -> None:
        self.runtime = runtime
        self.jobs = jobs
        self.clock = clock
        self.lock = LeaderLock(db, instance_path)
        self.check_seconds = check_seconds
        self.first_run_delay = first_run_delay
        self.stagger_seconds = stagger_seconds
        self.scheduler: BackgroundScheduler | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def is_leader(self) -> bool:
        return self.scheduler is not None

    def run_job(self, job: Job) -> Any:
        """Runs one job now (also what the scheduler calls); errors are logged, never raised into APScheduler."""
        try:
            return job.run(self.runtime, self.clock())
        except Exception:  # noqa: BLE001
            log.exception("job %s failed", job.name)
            return None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._watch, name="scheduler-leader", daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while not self._stop.is_set():
            try:
                if self.scheduler is None and self.lock.try_acquire():
                    self._start_jobs()
                elif self.scheduler is not None and not self.lock.still_held():
                    log.warning("scheduler: lost leadership")
                    self._stop_jobs()
            except Exception:  # noqa: BLE001 - DB briefly away: try again next round
                log.exception("scheduler leader check failed")
            self._stop.wait(self.check_seconds)

    def _start_jobs(self) -> None:
        scheduler = BackgroundScheduler(timezone="UTC", job_defaults={"coalesce": True, "max_instances": 1})
        # First runs wait a little: at start-up the web server (and, in the embedded default, the LINE emulator
        # it serves) may not be listening yet, and a job that calls LINE would fail needlessly. They are also
        # spread out, and so stay apart ever after: started together, the thirteen jobs held SQLite's one writer
        # lock back to back for about 400 ms, and the webhook waited behind them (docs/BENCHMARKS.md).
        start = datetime.now().astimezone() + timedelta(seconds=self.first_run_delay)
        for index, job in enumerate(self.jobs):
            scheduler.add_job(self.run_job, "interval", args=[job], seconds=job.seconds, id=job.name,
                              next_run_time=start + timedelta(seconds=index * self.stagger_seconds))
        scheduler.start()
        self.scheduler = scheduler
        log.info("scheduler: this process is the leader (%d jobs)", len(self.jobs))

    def _stop_jobs(self) -> None:
        if self.scheduler is not None:
            self.scheduler.shutdown(wait=False)
            self.scheduler = None
        self.lock.release()

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(5)
        self._stop_jobs()
