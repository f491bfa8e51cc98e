"""Webhook acknowledgement benchmark: signed LINE events POSTed to /callback; events/s and p50/p99 latency.

Two targets, each started fresh in a subprocess and stopped afterwards:
  embedded  `python app.py` (waitress, SQLite WAL under a temporary INSTANCE_PATH, built-in LINE emulator)
  gunicorn  `gunicorn -w N -k K --threads T "app:create_app()"` on a throwaway PostgreSQL database,
            with LINE_API_BASE_URL pointed at a standalone emulator in this process so workers can answer

The load generator runs in separate processes with keep-alive connections and bodies signed before the clock
starts; it stops at a bounded number of requests or a bounded duration, whichever comes first. Closed loop
(default) measures the most the server sustains; `--rate R` is open loop: requests are due at a fixed rate and
latency counts from when a request was due, so a stalled server cannot hide its queue (coordinated omission).
After the run every acknowledged event is looked up in the database: an acknowledged event must be stored.

    .venv/bin/python bench/webhook_ack.py --target embedded
    .venv/bin/python bench/webhook_ack.py --target embedded --run-workers 0
    .venv/bin/python bench/webhook_ack.py --target gunicorn --gunicorn-workers 2 --gunicorn-threads 8
    .venv/bin/python bench/webhook_ack.py --target embedded --rate 1000
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import multiprocessing as mp
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (  # noqa: E402
    DEFAULT_PG_SERVER,
    PYTHON,
    ROOT,
    emit,
    free_port,
    machine,
    ms,
    percentile,
    process_tree_cpu,
    temporary_postgres,
    wait_http,
)
from line_emulator.events import encode, envelope, new_webhook_event_id, sign, text_event  # noqa: E402

BENCH_SECRET = "bench-channel-secret"
BENCH_TOKEN = "bench-access-token"
TARGETS = ("embedded", "gunicorn")


# --- the server under test ------------------------------------------------------------------------------------

@dataclass
class Server:
    """A running app: where to POST, which secret signs for it, and where its events are stored."""

    host: str
    port: int
    secret: str
    database_url: str
    process: subprocess.Popen
    log_path: Path
    command: str

    def stop(self, timeout: float = 20.0) -> int | None:
        """Asks the server to stop (SIGTERM), then kills it if it does not."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout)
        return self.process.returncode


def _base_env(instance: Path, port: int, run_workers: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("LINE_") and k not in ("DATABASE_URL", "PUBLIC_BASE_URL", "RUN_WORKERS")}
    env.update({
        "INSTANCE_PATH": str(instance), "HOST": "127.0.0.1", "PORT": str(port),
        "RUN_WORKERS": "1" if run_workers else "0", "PYTHONUNBUFFERED": "1",
        # Fixed so gunicorn workers do not each invent one at first start.
        "SECRET_KEY": "bench-secret-key",
    })
    return env


@contextmanager
def embedded_server(workdir: Path, run_workers: bool) -> Iterator[Server]:
    """Runs `python app.py` exactly as a user would, on a fresh SQLite database."""
    from app import EMULATOR_SECRET

    port = free_port()
    instance = workdir / "instance"
    env = _base_env(instance, port, run_workers)
    log_path = workdir / "server.log"
    command = [PYTHON, str(ROOT / "app.py")]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    server = Server("127.0.0.1", port, EMULATOR_SECRET, f"sqlite:///{instance / 'kk.db'}", process, log_path,
                    f"RUN_WORKERS={env['RUN_WORKERS']} python app.py")
    try:
        wait_http(f"http://127.0.0.1:{port}/readyz", timeout=120, process=process)
        yield server
    finally:
        server.stop()


@contextmanager
def gunicorn_server(workdir: Path, database_url: str, line_base_url: str, workers: int, threads: int,
                    run_workers: bool, worker_class: str = "gthread") -> Iterator[Server]:
    """Runs the production entry point under gunicorn against PostgreSQL and a standalone LINE emulator."""
    port = free_port()
    env = _base_env(workdir / "instance", port, run_workers)
    env.update({
        "DATABASE_URL": database_url, "LINE_CHANNEL_SECRET": BENCH_SECRET, "LINE_CHANNEL_ACCESS_TOKEN": BENCH_TOKEN,
        "LINE_API_BASE_URL": line_base_url, "LINE_DATA_API_BASE_URL": line_base_url,
    })
    log_path = workdir / "server.log"
    command = [PYTHON, "-m", "gunicorn", "-w", str(workers), "-k", worker_class, "--threads", str(threads),
               "-b", f"127.0.0.1:{port}", "--log-level", "warning", "app:create_app()"]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    server = Server("127.0.0.1", port, BENCH_SECRET, database_url, process, log_path,
                    f"RUN_WORKERS={env['RUN_WORKERS']} gunicorn -w {workers} -k {worker_class} --threads {threads}")
    try:
        wait_http(f"http://127.0.0.1:{port}/readyz", timeout=120, process=process)
        # Each worker builds the app on its first request; warm-up requests reach them all before the clock starts.
        yield server
    finally:
        server.stop()


# --- the load generator -----------------------------------------------------------------------------------------

def user_id_for(n: int) -> str:
    """A stable, well-formed LINE user id for the n-th simulated user."""
    return "U" + hashlib.md5(f"bench-user-{n}".encode()).hexdigest()


def signed_bodies(count: int, secret: str, users: int, events_per_request: int, salt: int) -> list[tuple[bytes, str]]:
    """Builds `count` webhook bodies, each with fresh webhookEventIds, and signs them."""
    bodies = []
    now_ms = int(time.time() * 1000)
    for i in range(count):
        events = []
        for j in range(events_per_request):
            n = (i * events_per_request + j) * 7919 + salt
            # No replyToken: the bot answers by push, which the emulator accepts for well-formed ids.
            events.append(text_event(user_id_for(n % users), "สวัสดี", timestamp_ms=now_ms,
                                     event_id=new_webhook_event_id()))
        body = encode(envelope(events))
        bodies.append((body, sign(body, secret)))
    return bodies


def request_bytes(host: str, port: int, body: bytes, signature: str) -> bytes:
    """The whole HTTP request as LINE sends it, built once before the clock starts."""
    head = (f"POST /callback HTTP/1.1\r\nHost: {host}:{port}\r\nUser-Agent: LineBotWebhook/2.0\r\n"
            f"Content-Type: application/json; charset=UTF-8\r\nX-Line-Signature: {signature}\r\n"
            f"Content-Length: {len(body)}\r\n\r\n")
    return head.encode("ascii") + body


class LeanConnection:
    """A keep-alive HTTP/1.1 client that sends prepared bytes and reads just enough of the answer.

    The load generator shares the machine's two cores with the server; http.client spent about 0.4 ms of CPU per
    request, enough to take a quarter of the machine from the server at 1,000 requests/s. This costs a fraction of
    that, so the figures describe the server rather than the client. It understands exactly what it needs:
    a status line, Content-Length and Connection: close (the servers measured never send chunked answers).
    """

    def __init__(self, host: str, port: int, timeout: float = 30.0) -> None:
        self.address = (host, port)
        self.timeout = timeout
        self.sock: socket.socket | None = None

    def post(self, request: bytes) -> int:
        if self.sock is None:
            self.sock = socket.create_connection(self.address, self.timeout)
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock = self.sock
        sock.sendall(request)
        data = sock.recv(65536)
        while b"\r\n\r\n" not in data:
            more = sock.recv(65536)
            if not more:
                raise ConnectionError("connection closed mid-answer")
            data += more
        head, _, rest = data.partition(b"\r\n\r\n")
        lower = head.lower()
        length = 0
        for line in lower.split(b"\r\n")[1:]:
            if line.startswith(b"content-length:"):
                length = int(line[15:])
        while len(rest) < length:
            more = sock.recv(65536)
            if not more:
                raise ConnectionError("connection closed mid-body")
            rest += more
        if b"connection: close" in lower:
            self.close()
        return int(head[9:12])

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None


def _load_process(index: int, procs: int, host: str, port: int, secret: str, count: int, connections: int,
                  rate: float | None, users: int, events_per_request: int, duration: float,
                  ready: Any, go: Any, start_at: Any, results: Any) -> None:
    """One load process: signs its bodies, waits for the go signal, then sends them over keep-alive connections."""
    requests = [request_bytes(host, port, body, signature)
                for body, signature in signed_bodies(count, secret, users, events_per_request, salt=index)]
    ready.put(index)
    go.wait()
    cpu_at_start = os.times()
    start = start_at.value
    deadline = start + duration
    hard_stop = start + 2 * duration
    # Everyone starts at the agreed moment (closed loop too): elapsed time is measured from it.
    pause = start - time.monotonic()
    if pause > 0:
        time.sleep(pause)
    counter = itertools.count()  # next() on it is atomic in CPython: threads share it without a lock
    latencies: list[list[float]] = []
    statuses: list[Counter] = []
    ends: list[float] = []

    def run() -> None:
        mine: list[float] = []
        codes: Counter = Counter()
        conn = LeanConnection(host, port)
        while True:
            i = next(counter)
            if i >= count:
                break
            if rate:
                due = start + (i * procs + index) / rate
                pause = due - time.monotonic()
                if pause > 0:
                    time.sleep(pause)
            else:
                due = time.monotonic()
            # Bounded duration: nothing due after the window, and an overloaded server cannot stretch an open
            # loop run past twice the window (requests left unsent then are reported, not hidden).
            if due > deadline or time.monotonic() > hard_stop:
                break
            try:
                status: int | str = conn.post(requests[i])
            except (OSError, ValueError) as exc:
                status = type(exc).__name__
                conn.close()
            done = time.monotonic()
            codes[status] += 1
            if status == 200:
                mine.append(done - due)
        conn.close()
        latencies.append(mine)
        statuses.append(codes)
        ends.append(time.monotonic())

    threads = [threading.Thread(target=run, daemon=True) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    total: Counter = Counter()
    for codes in statuses:
        total.update(codes)
    cpu = os.times()
    results.put({"latencies": [x for part in latencies for x in part], "statuses": dict(total),
                 "end": max(ends) if ends else start, "cpu_s": cpu.user + cpu.system - cpu_at_start.user - cpu_at_start.system})


def run_load(server: Server, *, requests: int, duration: float, connections: int, procs: int,
             rate: float | None, users: int, events_per_request: int, py_spy: str | None = None,
             py_spy_gil: bool = False) -> dict[str, Any]:
    """Sends the load from `procs` processes and returns throughput and latency figures."""
    ctx = mp.get_context("spawn")
    ready, results = ctx.Queue(), ctx.Queue()
    go = ctx.Event()
    start_at = ctx.Value("d", 0.0)
    per_proc = [requests // procs + (1 if i < requests % procs else 0) for i in range(procs)]
    conns = [max(1, connections // procs + (1 if i < connections % procs else 0)) for i in range(procs)]
    workers = [ctx.Process(target=_load_process, daemon=True, args=(
        i, procs, server.host, server.port, server.secret, per_proc[i], conns[i], rate, users, events_per_request,
        duration, ready, go, start_at, results)) for i in range(procs)]
    for worker in workers:
        worker.start()
    for _ in workers:
        ready.get(timeout=300)
    profiler = _start_py_spy(server, py_spy, duration, py_spy_gil)
    server_cpu_before = process_tree_cpu(server.process.pid)
    start_at.value = time.monotonic() + 0.05
    go.set()
    parts = [results.get(timeout=duration + 120) for _ in workers]
    server_cpu = process_tree_cpu(server.process.pid) - server_cpu_before
    for worker in workers:
        worker.join(30)
    if profiler is not None:
        profiler.wait(duration + 60)
    latencies = sorted(x for part in parts for x in part["latencies"])
    statuses: Counter = Counter()
    for part in parts:
        statuses.update(part["statuses"])
    elapsed = max(part["end"] for part in parts) - start_at.value
    ok = statuses.get(200, 0)
    events = max(1, ok * events_per_request)
    return {
        "requests_sent": sum(statuses.values()), "requests_planned": requests,
        "statuses": {str(k): v for k, v in sorted(statuses.items(), key=str)},
        "acknowledged_events": ok * events_per_request, "elapsed_s": round(elapsed, 3),
        "requests_per_s": round(ok / elapsed, 1) if elapsed > 0 else 0.0,
        "events_per_s": round(ok * events_per_request / elapsed, 1) if elapsed > 0 else 0.0,
        "latency_ms": {"p50": ms(percentile(latencies, 50)), "p90": ms(percentile(latencies, 90)),
                       "p99": ms(percentile(latencies, 99)), "max": ms(latencies[-1]) if latencies else None},
        # CPU per event barely depends on what else the shared machine is doing, unlike events/s.
        "server_cpu_ms_per_event": round(1000 * server_cpu / events, 3),
        "load_generator_cpu_ms_per_event": round(1000 * sum(part["cpu_s"] for part in parts) / events, 3),
        "server_cpu_cores_used": round(server_cpu / elapsed, 2) if elapsed > 0 else 0.0,
    }


def _start_py_spy(server: Server, out: str | None, duration: float, gil: bool = False) -> subprocess.Popen | None:
    if not out:
        return None
    exe = shutil.which("py-spy") or str(Path(PYTHON).parent / "py-spy")
    if not Path(exe).exists():
        raise SystemExit("--py-spy needs py-spy: .venv/bin/pip install py-spy (not a project requirement)")
    command = [exe, "record", "--pid", str(server.process.pid), "--subprocesses", "--nonblocking",
               "--duration", str(max(1, int(duration))), "--rate", "250", "--format", "raw", "-o", out]
    if gil:  # only the thread holding the GIL: where Python spends CPU, not where threads wait
        command.append("--gil")
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def warm_up(server: Server, count: int, users: int, events_per_request: int) -> int:
    """Sends a few requests one by one (first-request setup, connection pools) before the clock starts."""
    conn = LeanConnection(server.host, server.port)
    ok = 0
    for body, signature in signed_bodies(count, server.secret, users, events_per_request, salt=10_000):
        if conn.post(request_bytes(server.host, server.port, body, signature)) == 200:
            ok += 1
        else:
            raise RuntimeError("warm-up request was not acknowledged: see " + str(server.log_path))
        # Fresh connections now and then, so every gunicorn worker gets some warm-up too.
        if ok % 10 == 0:
            conn.close()
    conn.close()
    return ok * events_per_request


def stored_events(database_url: str) -> dict[str, int]:
    """Counts stored webhook events by status (the check that an acknowledged event was really stored)."""
    from sqlalchemy import func, select

    from models.db import Database
    from models.platform import InboundEvent

    db = Database(database_url, pool_size=1)
    try:
        with db.sessions() as session:
            rows = session.execute(select(InboundEvent.status, func.count()).group_by(InboundEvent.status)).all()
    finally:
        db.dispose()
    return {status: count for status, count in rows}


# --- one run ----------------------------------------------------------------------------------------------------

def run(args: argparse.Namespace) -> dict[str, Any]:
    """Starts the target, warms it up, loads it, checks storage, stops it; returns the figures."""
    run_workers = bool(args.run_workers)
    with ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="kk-bench-")))
        emulator = None
        if args.target == "embedded":
            server = stack.enter_context(embedded_server(workdir, run_workers))
        else:
            from line_emulator.server import serve_emulator
            from line_emulator.store import EmulatorStore

            database_url = stack.enter_context(temporary_postgres(args.database_server))
            store = EmulatorStore(BENCH_TOKEN)
            emulator = stack.enter_context(serve_emulator(store))
            server = stack.enter_context(gunicorn_server(workdir, database_url, emulator.base_url,
                                                         args.gunicorn_workers, args.gunicorn_threads, run_workers,
                                                         args.gunicorn_worker_class))
        warm = warm_up(server, args.warmup, args.users, args.events_per_request)
        load = run_load(server, requests=args.requests, duration=args.duration, connections=args.connections,
                        procs=args.procs, rate=args.rate, users=args.users,
                        events_per_request=args.events_per_request, py_spy=args.py_spy, py_spy_gil=args.py_spy_gil)
        stored = stored_events(server.database_url)
        pushes = None
        if emulator is not None:
            pushes = len(emulator.store.requests("/v2/bot/message/push"))
        server_exit = server.stop()
        log_tail = server.log_path.read_text(errors="replace")[-2000:]
    total_stored = sum(stored.values())
    expected = warm + load["acknowledged_events"]
    return {
        "benchmark": "webhook_ack", "target": args.target, "server": server.command,
        "settings": {"requests": args.requests, "duration_s": args.duration, "connections": args.connections,
                     "load_processes": args.procs, "rate": args.rate, "users": args.users,
                     "events_per_request": args.events_per_request, "warmup_requests": args.warmup},
        **load,
        "stored_events": total_stored, "stored_by_status": stored, "expected_stored": expected,
        "acknowledged_but_not_stored": max(0, expected - total_stored),
        "pushes_received_by_standalone_emulator": pushes,
        "server_exit_code": server_exit, "server_log_tail": log_tail if server_exit not in (0, -15) else "",
        "machine": machine(),
    }


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--target", choices=TARGETS, default="embedded")
    parser.add_argument("--requests", type=int, default=20_000, help="upper bound on requests (default 20000)")
    parser.add_argument("--duration", type=float, default=30.0, help="upper bound on seconds of load (default 30)")
    parser.add_argument("--connections", type=int, default=16, help="keep-alive connections in all (default 16)")
    parser.add_argument("--procs", type=int, default=2, help="load generator processes (default 2)")
    parser.add_argument("--rate", type=float, default=None, help="open loop: requests per second (default closed)")
    parser.add_argument("--users", type=int, default=2_000, help="distinct LINE users sending events")
    parser.add_argument("--events-per-request", type=int, default=1)
    parser.add_argument("--warmup", type=int, default=200, help="requests sent before the clock starts")
    parser.add_argument("--run-workers", type=int, choices=(0, 1), default=1,
                        help="RUN_WORKERS for the server: 0 measures the acknowledgement path alone")
    parser.add_argument("--gunicorn-workers", type=int, default=2)
    parser.add_argument("--gunicorn-threads", type=int, default=8)
    parser.add_argument("--gunicorn-worker-class", choices=("gthread", "sync"), default="gthread",
                        help="sync: one request per connection (gunicorn closes it after the answer)")
    parser.add_argument("--database-server", default=DEFAULT_PG_SERVER,
                        help="PostgreSQL server for --target gunicorn: a throwaway database is created and dropped")
    parser.add_argument("--py-spy", metavar="FILE", help="profile the server with py-spy (collapsed stacks to FILE)")
    parser.add_argument("--py-spy-gil", action="store_true", help="profile only the thread holding the GIL (CPU)")
    parser.add_argument("--json", metavar="FILE", help="also write the result as JSON")
    args = parser.parse_args(argv)
    if min(args.requests, args.connections, args.procs, args.users, args.events_per_request) < 1 or args.warmup < 0:
        parser.error("counts must be positive")
    return args


def report(result: dict[str, Any]) -> str:
    """One readable paragraph of the figures."""
    lat = result["latency_ms"]
    lines = [
        f"{result['server']} ({result['target']})",
        f"  {result['events_per_s']:.0f} events/s ({result['requests_per_s']:.0f} requests/s) over "
        f"{result['elapsed_s']} s; latency p50 {lat['p50']} ms, p90 {lat['p90']} ms, p99 {lat['p99']} ms, "
        f"max {lat['max']} ms",
        f"  CPU per event: server {result['server_cpu_ms_per_event']} ms "
        f"({result['server_cpu_cores_used']} cores busy), load generator {result['load_generator_cpu_ms_per_event']} ms",
        f"  statuses {result['statuses']}; stored {result['stored_events']} of {result['expected_stored']} "
        f"acknowledged (by status {result['stored_by_status']})",
    ]
    if result["settings"]["rate"]:
        lines.append(f"  open loop at {result['settings']['rate']:.0f} requests/s")
    if result["server_log_tail"]:
        lines.append("  server log tail:\n" + result["server_log_tail"])
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    result = run(args)
    print(report(result), flush=True)
    emit(result, args.json)
    return 0 if result["acknowledged_but_not_stored"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
