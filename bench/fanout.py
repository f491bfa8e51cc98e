"""Fan-out benchmark: one announcement to N users by multicast, through the real dispatcher and LINE client.

What it does, per trial (a fresh database and a fresh emulator each time):
  1. seeds N following citizens (not timed: that is the province's existing audience);
  2. writes the announcement with services/notify.multicast in one transaction (timed: "write"), which splits
     it into outbox rows of 500 ids, each with its retry key;
  3. wakes the real Dispatcher (bot/dispatcher.py, several threads), which sends the rows through the real
     LineClient (line-bot-sdk over HTTP) to the LINE emulator; the clock stops when every row is final;
  4. asks the emulator what arrived: API calls by status, deliveries per user, duplicates and losses.

The emulator runs in its own process, as LINE would be elsewhere, with LINE's multicast limit of 200 requests/s
(`set_rate_limit("multicast", 200, 1.0)`) and, for the fault trials, a seeded 5% of multicast requests answered
500 through `inject_fault`: "reject" faults are not processed, "accept" faults are delivered but the answer is
lost (the retry must then be recognised by its retry key: 409, not a second delivery); "mixed" alternates.
The floor set by the limit is ceil(N / 500) / 200 s, 1 s for 100,000 users.

    .venv/bin/python bench/fanout.py                        # 100,000 users, no faults then 5% faults, SQLite
    .venv/bin/python bench/fanout.py --database postgresql  # the same on a throwaway PostgreSQL database
    .venv/bin/python bench/fanout.py --tracemalloc          # peak Python allocations (slower: separate figure)
"""

from __future__ import annotations

import argparse
import math
import multiprocessing as mp
import os
import random
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (  # noqa: E402
    DEFAULT_PG_SERVER,
    emit,
    machine,
    max_rss_mib,
    ms,
    percentile,
    temporary_postgres,
)

TOKEN = "bench-access-token"
MULTICAST_PATH = "/v2/bot/message/multicast"
MULTICAST_LIMIT = 200  # requests per second: LINE's published limit
IDS_PER_MULTICAST = 500
SOURCE = "bench:fanout"


# --- the emulator's process -------------------------------------------------------------------------------------

def _emulator_process(conn: Any, fault_rate: float, fault_mode: str, seed: int) -> None:
    """Serves a LINE emulator on a free port and answers the parent's questions over a pipe."""
    from line_emulator.server import serve_emulator
    from line_emulator.store import EmulatorStore

    class FaultyStore(EmulatorStore):
        """Answers a seeded share of multicast requests with 500, the way a flaky LINE would."""

        def __init__(self) -> None:
            super().__init__(TOKEN)
            self.random = random.Random(seed)
            self.injected: Counter[str] = Counter()

        def take_fault(self, path: str):
            if path == MULTICAST_PATH and fault_rate and self.random.random() < fault_rate:
                accept = fault_mode == "accept" or (fault_mode == "mixed" and sum(self.injected.values()) % 2 == 1)
                self.inject_fault(MULTICAST_PATH, 500, times=1, accept=accept)
                self.injected["accepted then 500" if accept else "500"] += 1
            return super().take_fault(path)

    store = FaultyStore()
    store.set_rate_limit("multicast", MULTICAST_LIMIT, 1.0)
    server = serve_emulator(store)
    conn.send(server.base_url)
    while True:
        command, payload = conn.recv()
        if command == "cpu":
            times = os.times()
            conn.send(times.user + times.system)
        elif command == "report":
            conn.send(_delivery_report(store, payload))
        elif command == "stop":
            server.shutdown()
            conn.send({"emulator_max_rss_mib": max_rss_mib()})
            return


def _delivery_report(store: Any, expected_ids: list[str]) -> dict[str, Any]:
    received: Counter[str] = Counter(d.user_id for d in store.deliveries() if d.via == "multicast")
    expected = set(expected_ids)
    requests = store.requests(MULTICAST_PATH)
    return {
        "api_calls": len(requests),
        "api_calls_by_status": {str(k): v for k, v in sorted(Counter(r.status for r in requests).items())},
        "faults_injected": dict(store.injected),
        "deliveries": sum(received.values()),
        "users_reached": len(received),
        "duplicates": sum(n - 1 for n in received.values() if n > 1),
        "lost": len(expected - received.keys()),
        "unexpected_recipients": len(received.keys() - expected),
        "first_request_at": requests[0].at if requests else None,
        "last_request_at": requests[-1].at if requests else None,
    }


# --- one trial --------------------------------------------------------------------------------------------------

def audience_ids(count: int) -> list[str]:
    """Well-formed, distinct LINE user ids for the audience."""
    return [f"U{n:032x}" for n in range(1, count + 1)]


def announcement() -> list[dict]:
    """What a staff announcement looks like: a short text and a card with a link."""
    from flex_templates.basic import text
    from flex_templates.platform import link_card

    return [
        text("อบจ.ขอนแก่น แจ้งข่าว: เปิดรับสมัครอบรมการขายของออนไลน์ ฟรี รับจำนวนจำกัด"),
        link_card("อบรมการขายของออนไลน์", "วันเสาร์ที่ 12 ธันวาคม 2569 เวลา 09:00 น. ณ ศาลากลางจังหวัดขอนแก่น",
                  "ดูรายละเอียด", "https://kk.example/projects/1", "อบรมการขายของออนไลน์"),
    ]


def seed_citizens(db: Any, ids: list[str], now: datetime) -> None:
    """Inserts the audience as following citizens, in chunks (one statement per chunk)."""
    from sqlalchemy import insert

    from models.platform import Citizen

    with db.transaction() as session:
        for start in range(0, len(ids), 5_000):
            session.execute(insert(Citizen), [
                {"line_user_id": uid, "is_following": True, "followed_at": now, "interests": [],
                 "created_at": now, "updated_at": now} for uid in ids[start:start + 5_000]])


def outbox_counts(engine: Any) -> dict[str, int]:
    """Counts the announcement's outbox rows by status."""
    from sqlalchemy import func, select

    from models.platform import OutboxMessage

    with engine.connect() as conn:
        rows = conn.execute(select(OutboxMessage.status, func.count()).where(OutboxMessage.source == SOURCE)
                            .group_by(OutboxMessage.status)).all()
    return {status: count for status, count in rows}


def timed_client(base_url: str, timeout: float, pool_size: int) -> Any:
    """The real LineClient, with each send timed (SDK serialisation + HTTP + the emulator's work)."""
    import threading

    from bot.line_client import LineClient

    class TimedLineClient(LineClient):
        def __init__(self) -> None:
            super().__init__(TOKEN, base_url, base_url, timeout=timeout, pool_size=pool_size)
            self.durations: list[float] = []
            self.in_flight = 0
            self.most_in_flight = 0
            self._count_lock = threading.Lock()

        def send(self, kind: str, body: dict, retry_key: str | None = None) -> Any:
            with self._count_lock:
                self.in_flight += 1
                self.most_in_flight = max(self.most_in_flight, self.in_flight)
            started = time.perf_counter()
            try:
                return super().send(kind, body, retry_key)
            finally:
                self.durations.append(time.perf_counter() - started)
                with self._count_lock:
                    self.in_flight -= 1

    return TimedLineClient()


def trial(args: argparse.Namespace, fault_rate: float) -> dict[str, Any]:
    """Runs one fan-out against a fresh database and emulator and returns its figures."""
    from sqlalchemy import create_engine, func, select
    from sqlalchemy.pool import NullPool

    from bot.dispatcher import Dispatcher
    from models.db import Database, normalise_url
    from models.migrate import upgrade
    from models.platform import Citizen, OutboxMessage
    from services import notify

    ctx = mp.get_context("spawn")
    with ExitStack() as stack:
        if args.database == "postgresql":
            url = stack.enter_context(temporary_postgres(args.database_server))
        else:
            url = f"sqlite:///{stack.enter_context(tempfile.TemporaryDirectory(prefix='kk-fanout-'))}/kk.db"
        db = Database(url, pool_size=args.threads + 4)
        stack.callback(db.dispose)
        # The progress poll reads through a plain engine: on SQLite the app's sessions begin every transaction
        # with BEGIN IMMEDIATE (the write lock), and the poll must not compete with the dispatcher for it.
        watcher = create_engine(normalise_url(url), poolclass=NullPool)
        stack.callback(watcher.dispose)
        upgrade(db)
        ids = audience_ids(args.users)
        seed_citizens(db, ids, datetime.now(UTC))

        parent_end, child_end = ctx.Pipe()
        emulator = ctx.Process(target=_emulator_process, args=(child_end, fault_rate, args.fault_mode, args.seed),
                               daemon=True)
        emulator.start()
        base_url = parent_end.recv()
        line = timed_client(base_url, args.timeout, max(16, args.threads))
        dispatcher = Dispatcher(db, line, lambda: datetime.now(UTC), threads=args.threads,
                                max_attempts=args.max_attempts, backoff_base=args.backoff_base)
        dispatcher.start()
        stack.callback(dispatcher.stop)

        rss_before = max_rss_mib()
        if args.tracemalloc:
            tracemalloc.start()
        started = time.perf_counter()
        with db.transaction() as session:
            # The audience query an announcement runs: followers only, so notify need not filter again.
            audience = list(session.scalars(select(Citizen.line_user_id).where(Citizen.is_following.is_(True))
                                            .order_by(Citizen.id)))
            rows = notify.multicast(session, audience, announcement(), datetime.now(UTC), source=SOURCE,
                                    already_filtered=not args.unfiltered)
            row_count = len(rows)
        committed = time.perf_counter()
        parent_end.send(("cpu", None))
        emulator_cpu_before = parent_end.recv()
        cpu_before = os.times()
        dispatcher.wake()  # in the app an after_commit listener does this
        deadline = committed + args.timeout_total
        final = {}
        while time.perf_counter() < deadline:
            counts = outbox_counts(watcher)
            final = counts
            if counts.get("sent", 0) + counts.get("dead", 0) >= row_count:
                break
            time.sleep(0.02)
        finished = time.perf_counter()
        cpu_after = os.times()
        parent_end.send(("cpu", None))
        emulator_cpu = parent_end.recv() - emulator_cpu_before
        peak_traced = None
        if args.tracemalloc:
            peak_traced = round(tracemalloc.get_traced_memory()[1] / 1024 / 1024, 1)
            tracemalloc.stop()
        dispatcher.stop()
        with db.sessions() as session:
            attempts = session.scalar(select(func.coalesce(func.sum(OutboxMessage.attempts), 0))
                                      .where(OutboxMessage.source == SOURCE))
        parent_end.send(("report", ids))
        delivered = parent_end.recv()
        parent_end.send(("stop", None))
        emulator_rss = parent_end.recv()
        emulator.join(10)

    floor = math.ceil(args.users / IDS_PER_MULTICAST) / MULTICAST_LIMIT
    durations = sorted(line.durations)
    wall = finished - committed
    return {
        "fault_rate": fault_rate, "fault_mode": args.fault_mode if fault_rate else None,
        "outbox_rows": row_count, "write_s": round(committed - started, 3),
        "wall_s": round(wall, 3), "floor_s": floor, "wall_over_floor": round(wall / floor, 2),
        "completed": final.get("sent", 0) + final.get("dead", 0) >= row_count,
        "outbox_final": final, "failed_attempts_recorded": attempts,
        "send_call_ms": {"p50": ms(percentile(durations, 50)), "p99": ms(percentile(durations, 99)),
                         "total_s": round(sum(durations), 3)},
        "most_calls_in_flight": line.most_in_flight,
        # CPU seconds while sending: the dispatcher's process (includes the 20 ms progress poll) and the emulator's.
        "cpu_s": {"dispatcher_process": round(cpu_after.user + cpu_after.system - cpu_before.user - cpu_before.system, 3),
                  "emulator_process": round(emulator_cpu, 3)},
        **delivered,
        "max_rss_mib": {"bench_process_before_write": rss_before, "bench_process_peak": max_rss_mib(),
                        "emulator_process_peak": emulator_rss["emulator_max_rss_mib"]},
        "tracemalloc_peak_mib": peak_traced,
    }


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--faults", default="0,0.05", help="comma-separated shares of multicasts answered 500")
    parser.add_argument("--fault-mode", choices=("reject", "accept", "mixed"), default="mixed")
    parser.add_argument("--threads", type=int, default=8, help="dispatcher threads (the app's default is 8)")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--database-server", default=DEFAULT_PG_SERVER)
    parser.add_argument("--backoff-base", type=float, default=0.1, help="dispatcher backoff base (app default 0.1 s)")
    parser.add_argument("--max-attempts", type=int, default=12)
    parser.add_argument("--timeout", type=float, default=10.0, help="LINE client timeout, seconds")
    parser.add_argument("--timeout-total", type=float, default=300.0, help="give up waiting after this many seconds")
    parser.add_argument("--unfiltered", action="store_true",
                        help="let notify.multicast re-check every id against unfollowers (one IN query of N ids)")
    parser.add_argument("--tracemalloc", action="store_true", help="trace Python allocations (slows the run)")
    parser.add_argument("--seed", type=int, default=2569)
    parser.add_argument("--json", metavar="FILE", help="also write the result as JSON")
    args = parser.parse_args(argv)
    try:
        args.fault_rates = [float(x) for x in args.faults.split(",") if x.strip()]
    except ValueError:
        parser.error("--faults takes numbers such as 0,0.05")
    if args.users < 1 or args.threads < 1 or not all(0 <= r < 1 for r in args.fault_rates):
        parser.error("users and threads must be positive and fault rates in [0, 1)")
    return args


def report(result: dict[str, Any]) -> str:
    lines = [f"fan-out to {result['settings']['users']:,} users, {result['settings']['threads']} dispatcher threads, "
             f"{result['settings']['database']}"]
    for t in result["trials"]:
        lines.append(
            f"  faults {t['fault_rate']:.0%}{' (' + t['fault_mode'] + ')' if t['fault_mode'] else ''}: "
            f"write {t['write_s']} s, send {t['wall_s']} s = {t['wall_over_floor']}x the {t['floor_s']} s floor; "
            f"{t['api_calls']} API calls {t['api_calls_by_status']}; {t['deliveries']:,} deliveries, "
            f"{t['duplicates']} duplicates, {t['lost']} lost; outbox {t['outbox_final']}; "
            f"send call p50 {t['send_call_ms']['p50']} ms, p99 {t['send_call_ms']['p99']} ms, "
            f"at most {t['most_calls_in_flight']} in flight; CPU while sending: dispatcher "
            f"{t['cpu_s']['dispatcher_process']} s, emulator {t['cpu_s']['emulator_process']} s; "
            f"peak RSS {t['max_rss_mib']['bench_process_peak']} MiB (emulator "
            f"{t['max_rss_mib']['emulator_process_peak']} MiB)"
            + (f"; tracemalloc peak {t['tracemalloc_peak_mib']} MiB" if t["tracemalloc_peak_mib"] is not None else ""))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    trials = [trial(args, rate) for rate in args.fault_rates]
    result = {
        "benchmark": "fanout",
        "settings": {"users": args.users, "threads": args.threads, "database": args.database,
                     "fault_mode": args.fault_mode, "backoff_base_s": args.backoff_base, "unfiltered": args.unfiltered,
                     "multicast_limit_per_s": MULTICAST_LIMIT},
        "trials": trials, "machine": machine(),
    }
    print(report(result), flush=True)
    emit(result, args.json)
    correct = all(t["completed"] and t["duplicates"] == 0 and t["lost"] == 0 for t in trials)
    return 0 if correct else 1


if __name__ == "__main__":
    sys.exit(main())
