"""End-to-end benchmark (issue 9): from LINE's webhook to the answer arriving at LINE, against an inline-reply bot.

A LINE stand-in (bench/line_standin.py, its own process, 100 ms per answer by default) plays LINE's API. Each
target in turn is started fresh, pointed at the stand-in, and measured the same way:
  baseline    bench/echo_baseline.py (line-bot-sdk v3's flask-echo style: replies inside the webhook request)
              under `gunicorn -k gthread -w 2 --threads 16`
  embedded    `python app.py` (waitress, SQLite under a temporary directory, workers and dispatcher in-process)
  postgresql  `gunicorn -k gthread -w 3 --threads 1 "app:create_app()"` with RUN_WORKERS=0 on a throwaway
              PostgreSQL database, plus `manage.py run worker` processes (--worker-processes, default 2)
`--database sqlite` (default) runs baseline and embedded; `--database postgresql` runs baseline and postgresql;
`--targets` picks any of them.

For each target: every user first sends a follow event and the run waits for the answers (so the timed messages
come from known followers, and every process has warmed up). Then, timed: N signed text messages (one event per
request, a fresh replyToken and webhookEventId each) from U users, sent as fast as the server accepts them over
keep-alive connections (closed loop, the lean sender of bench/webhook_ack.py). The text is one the product does not
understand, so it gets the help answer (after a catalog search that finds nothing). Then the same with N postbacks
(the "all projects" filter button of the project news list, which answers with the list; empty here).

Measured per phase: time from the first webhook sent until the last answer reached the stand-in (every event
must get one: a reply with its token, or a push to its user), time until the last webhook was acknowledged,
answers by kind, refused reply tokens, and the CPU seconds of the target's whole process tree (web + workers,
not the stand-in, not the load generator) over the same interval, per event.

    .venv/bin/python bench/e2e.py                                   # baseline and embedded (SQLite)
    .venv/bin/python bench/e2e.py --database postgresql             # baseline and PostgreSQL + workers
    .venv/bin/python bench/e2e.py --quick                           # tiny sizes: the smoke test's run
    .venv/bin/python bench/e2e.py --profile /tmp/e2e                # py-spy on the product: /tmp/e2e.*.raw
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (  # noqa: E402
    DEFAULT_PG_SERVER,
    PYTHON,
    ROOT,
    code_version,
    emit,
    exit_cleanly_on_sigterm,
    free_port,
    machine,
    ms,
    ms_or_none,
    percentile,
    process_tree_cpu,
    spawn,
    stop_process,
    temporary_postgres,
    top_frames,
    wait_http,
)
from bench.line_standin import StandIn, match_answers, mint_reply_token, run_standin  # noqa: E402
from bench.webhook_ack import BENCH_SECRET, BENCH_TOKEN, LeanConnection, request_bytes, user_id_for  # noqa: E402
from line_emulator.events import (  # noqa: E402
    encode,
    envelope,
    follow_event,
    new_webhook_event_id,
    postback_event,
    sign,
    text_event,
)

TARGETS = ("baseline", "embedded", "postgresql")
UNKNOWN_TEXT = "สวัสดีครับ"  # no command, and the catalog search finds nothing: the help answer


def postback_data() -> str:
    """The "all projects" filter button of the project news list (handlers/projects.py): common and cheap."""
    from handlers.projects import ProjectFilter

    return ProjectFilter("", "").pack()


# --- targets --------------------------------------------------------------------------------------------------------

@dataclass
class Target:
    """A running server under test: where to POST webhooks, and every process whose CPU counts."""

    name: str
    command: str
    port: int
    secret: str
    processes: list[Any] = field(default_factory=list)
    logs: list[Path] = field(default_factory=list)
    database_url: str | None = None
    host: str = "127.0.0.1"

    def cpu(self) -> float:
        """CPU seconds so far of every process tree of the target (web and workers)."""
        return sum(process_tree_cpu(p.pid) for p in self.processes)

    def check_alive(self) -> None:
        for process in self.processes:
            if process.poll() is not None:
                raise RuntimeError(f"{self.name}: a process exited with code {process.returncode}\n{self.log_tail()}")

    def log_tail(self, chars: int = 3000) -> str:
        parts = []
        for log in self.logs:
            if log.exists():
                parts.append(f"--- {log.name}\n" + log.read_text(errors="replace")[-chars:])
        return "\n".join(parts)


def _clean_env() -> dict[str, str]:
    drop = ("DATABASE_URL", "PUBLIC_BASE_URL", "RUN_WORKERS", "RUN_SCHEDULER", "HOST", "PORT", "INSTANCE_PATH")
    return {k: v for k, v in os.environ.items() if not k.startswith("LINE_") and k not in drop}


def product_env(workdir: Path, standin: StandIn, *, port: int, database_url: str, run_workers: bool,
                scheduler: bool) -> dict[str, str]:
    """The environment of the product pointed at the stand-in (DESIGN.md section 4 names)."""
    env = _clean_env()
    env.update({
        "LINE_CHANNEL_SECRET": BENCH_SECRET, "LINE_CHANNEL_ACCESS_TOKEN": standin.token,
        "LINE_API_BASE_URL": standin.base_url, "LINE_DATA_API_BASE_URL": standin.base_url,
        "DATABASE_URL": database_url, "INSTANCE_PATH": str(workdir / "instance"),
        "HOST": "127.0.0.1", "PORT": str(port), "RUN_WORKERS": "1" if run_workers else "0",
        "RUN_SCHEDULER": "1" if scheduler else "0", "PYTHONUNBUFFERED": "1",
        "SECRET_KEY": "bench-secret-key",  # fixed, so gunicorn workers do not each invent one
    })
    return env


@contextmanager
def _running(target: Target) -> Iterator[Target]:
    try:
        yield target
    finally:
        for process in reversed(target.processes):
            stop_process(process)


@contextmanager
def baseline_target(workdir: Path, standin: StandIn) -> Iterator[Target]:
    """The flask-echo style bot under `gunicorn -k gthread -w 2 --threads 16`."""
    port = free_port()
    env = _clean_env()
    env.update({"LINE_CHANNEL_SECRET": BENCH_SECRET, "LINE_CHANNEL_ACCESS_TOKEN": standin.token,
                "LINE_API_BASE_URL": standin.base_url, "PYTHONUNBUFFERED": "1"})
    log = workdir / "baseline.log"
    command = [PYTHON, "-m", "gunicorn", "-k", "gthread", "-w", "2", "--threads", "16", "-b", f"127.0.0.1:{port}",
               "--log-level", "warning", "bench.echo_baseline:app"]
    target = Target("baseline", "gunicorn -k gthread -w 2 --threads 16 bench.echo_baseline:app", port,
                    BENCH_SECRET, [spawn(command, env, log)], [log])
    with _running(target):
        wait_http(f"http://127.0.0.1:{port}/healthz", timeout=120, process=target.processes[0])
        yield target


def start_embedded(workdir: Path, standin: StandIn, *, database_url: str, run_workers: bool, scheduler: bool,
                   log_name: str = "embedded.log") -> Target:
    """Starts `python app.py` (waits until /healthz answers); the caller stops it (`stop_target`)."""
    port = free_port()
    env = product_env(workdir, standin, port=port, database_url=database_url, run_workers=run_workers,
                      scheduler=scheduler)
    log = workdir / log_name
    process = spawn([PYTHON, str(ROOT / "app.py")], env, log)
    target = Target("embedded", f"RUN_WORKERS={int(run_workers)} RUN_SCHEDULER={int(scheduler)} python app.py "
                    "(waitress, SQLite)", port, BENCH_SECRET, [process], [log], database_url)
    try:
        wait_http(f"http://127.0.0.1:{port}/healthz", timeout=120, process=process)
    except BaseException:
        stop_target(target)
        raise
    return target


def stop_target(target: Target) -> None:
    for process in reversed(target.processes):
        stop_process(process)


@contextmanager
def embedded_target(workdir: Path, standin: StandIn, *, scheduler: bool = True) -> Iterator[Target]:
    """`python app.py`, the embedded default, on a fresh SQLite file."""
    database_url = f"sqlite:///{workdir / 'instance' / 'kk.db'}"
    target = start_embedded(workdir, standin, database_url=database_url, run_workers=True, scheduler=scheduler)
    with _running(target):
        yield target


def start_gunicorn_web(workdir: Path, standin: StandIn, database_url: str, *, web_processes: int = 3) -> Target:
    """The production web role: `gunicorn -k gthread -w 3 --threads 1 "app:create_app()"` with RUN_WORKERS=0."""
    port = free_port()
    env = product_env(workdir, standin, port=port, database_url=database_url, run_workers=False, scheduler=False)
    log = workdir / "web.log"
    command = [PYTHON, "-m", "gunicorn", "-k", "gthread", "-w", str(web_processes), "--threads", "1",
               "-b", f"127.0.0.1:{port}", "--log-level", "warning", "app:create_app()"]
    target = Target("postgresql", f'RUN_WORKERS=0 gunicorn -k gthread -w {web_processes} --threads 1 '
                    '"app:create_app()"', port, BENCH_SECRET, [spawn(command, env, log)], [log], database_url)
    try:
        wait_http(f"http://127.0.0.1:{port}/healthz", timeout=120, process=target.processes[0])
    except BaseException:
        stop_target(target)
        raise
    return target


def start_workers(target: Target, workdir: Path, standin: StandIn, count: int, *, scheduler: bool) -> None:
    """Adds `count` `manage.py run worker` processes to `target` (their CPU counts as the target's)."""
    env = product_env(workdir, standin, port=target.port, database_url=str(target.database_url), run_workers=True,
                      scheduler=scheduler)
    for i in range(count):
        log = workdir / f"worker-{i}.log"
        target.processes.append(spawn([PYTHON, str(ROOT / "manage.py"), "run", "worker"], env, log))
        target.logs.append(log)
    if count:
        target.command += f" + {count} x `manage.py run worker`" + (" (scheduler on)" if scheduler else "")
    # A worker that cannot start (bad URL, migration error) exits at once: say so now, not after a timeout.
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline:
        target.check_alive()
        time.sleep(0.2)


@contextmanager
def postgresql_target(workdir: Path, standin: StandIn, database_url: str, *, worker_processes: int,
                      scheduler: bool = True) -> Iterator[Target]:
    target = start_gunicorn_web(workdir, standin, database_url)
    with _running(target):
        start_workers(target, workdir, standin, worker_processes, scheduler=scheduler)
        yield target


# --- load -----------------------------------------------------------------------------------------------------------

@dataclass
class Sent:
    """One webhook event the benchmark sent, and what happened to its request."""

    user: str
    token: str | None
    sent_at: float = 0.0
    acked_at: float = 0.0
    status: int | str | None = None


def signed_requests(target: Target, events: Sequence[dict]) -> list[bytes]:
    """One prepared, signed HTTP request per event (built before the clock starts)."""
    requests = []
    for event in events:
        body = encode(envelope([event]))
        requests.append(request_bytes(target.host, target.port, body, sign(body, target.secret)))
    return requests


def send_closed_loop(host: str, port: int, requests: Sequence[bytes], sent: Sequence[Sent], connections: int,
                     timeout: float = 60.0) -> None:
    """Sends every request as fast as the server takes them, over `connections` keep-alive connections (threads)."""
    counter = itertools.count()  # next() is atomic in CPython: threads share it without a lock

    def run() -> None:
        conn = LeanConnection(host, port, timeout)
        while True:
            i = next(counter)
            if i >= len(requests):
                break
            sent[i].sent_at = time.time()
            try:
                status: int | str = conn.post(requests[i])
            except (OSError, ValueError) as exc:
                status = type(exc).__name__
                conn.close()
            sent[i].acked_at = time.time()
            sent[i].status = status
        conn.close()

    threads = [threading.Thread(target=run, daemon=True) for _ in range(max(1, min(connections, len(requests))))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def send_one(target: Target, event: dict) -> Sent:
    """Sends a single event on its own connection (a fresh user's message in the middle of a backlog)."""
    source = event.get("source") or {}
    record = Sent(source.get("userId", ""), event.get("replyToken"))
    send_closed_loop(target.host, target.port, signed_requests(target, [event]), [record], 1)
    return record


def wait_for_answers(standin: StandIn, target: Target | None, sent: Sequence[Sent], *, timeout: float,
                     stall: float, poll: float = 0.05) -> tuple[list[tuple[str, float] | None], dict[str, Any], float]:
    """Waits until every sent event has an answer at the stand-in, or `timeout`, or `stall` seconds without a new one.

    Returns each event's answer (kind, time) or None, the stand-in's statistics, and when waiting stopped.
    """
    deadline = time.monotonic() + timeout
    last_count, last_change = -1, time.monotonic()
    expected = len(sent)
    while True:
        progress = standin.progress()
        now = time.monotonic()
        if progress["answers"] != last_count:
            last_count, last_change = progress["answers"], now
        if progress["answers"] >= expected:
            stats = standin.stats()
            answers = match_answers([(s.user, s.token) for s in sent], stats)
            if all(a is not None for a in answers):
                return answers, stats, time.time()
        if now > deadline or now - last_change > stall:
            stats = standin.stats()
            return match_answers([(s.user, s.token) for s in sent], stats), stats, time.time()
        if target is not None:
            target.check_alive()
        time.sleep(poll)


# --- profiling ------------------------------------------------------------------------------------------------------

class Profiler:
    """py-spy on every process tree of a target, for the duration of one phase; collapsed stacks to one file."""

    def __init__(self, target: Target, out: Path, seconds: float, gil: bool = False) -> None:
        exe = Path(PYTHON).parent / "py-spy"
        if not exe.exists():
            raise SystemExit("--profile needs py-spy in the venv: .venv/bin/pip install py-spy")
        self.out = out
        self.parts = [out.with_name(f"{out.name}.{i}") for i in range(len(target.processes))]
        # --gil: only the thread holding the GIL, i.e. where Python spends CPU rather than where threads wait.
        extra = ["--gil"] if gil else []
        self.spies = [spawn([str(exe), "record", "--format", "raw", "-p", str(p.pid), "--subprocesses",
                             "--nonblocking", "--rate", "250", "--duration", str(int(seconds)), "-o", str(part),
                             *extra], None, None) for p, part in zip(target.processes, self.parts, strict=True)]
        time.sleep(1.0)  # py-spy attaches before the phase starts

    def stop(self) -> dict[str, Any]:
        import signal

        for spy in self.spies:
            if spy.poll() is None:
                spy.send_signal(signal.SIGINT)  # py-spy writes what it has and exits
        for spy in self.spies:
            try:
                spy.wait(30)
            except Exception:  # noqa: BLE001 - a stuck profiler must not hang the benchmark
                stop_process(spy)
        with open(self.out, "w") as merged:
            for part in self.parts:
                if part.exists():
                    merged.write(part.read_text(errors="replace"))
                    part.unlink()
        summary = top_frames(str(self.out), 15)
        return {"file": str(self.out), **summary}


# --- one phase ------------------------------------------------------------------------------------------------------

def run_phase(target: Target, standin: StandIn, phase: str, events: Sequence[dict], *, connections: int,
              timeout: float, stall: float, profile: Path | None = None, profile_gil: bool = False) -> dict[str, Any]:
    """Sends `events` (one per request, closed loop), waits for every answer; returns the figures."""
    standin.reset()
    sent = [Sent((e.get("source") or {}).get("userId", ""), e.get("replyToken")) for e in events]
    requests = signed_requests(target, events)
    profiler = Profiler(target, profile, timeout + 60, profile_gil) if profile else None
    cpu_before = target.cpu()
    start = time.time()
    send_closed_loop(target.host, target.port, requests, sent, connections)
    answers, stats, done = wait_for_answers(standin, target, sent, timeout=timeout, stall=stall)
    cpu = target.cpu() - cpu_before
    profiled = profiler.stop() if profiler else None
    statuses = Counter(str(s.status) for s in sent)
    answered = [a for a in answers if a is not None]
    by_kind = Counter(kind for kind, _ in answered)
    last_answer = max((t for _, t in answered), default=done)
    latencies = sorted(t - s.sent_at for s, a in zip(sent, answers, strict=True) if a is not None
                       for t in [a[1]])
    acks = sorted(s.acked_at - s.sent_at for s in sent if s.status == 200)
    count = len(events)
    result = {
        "phase": phase, "events": count, "webhook_statuses": dict(statuses),
        "time_to_last_answer_s": round(last_answer - start, 3),
        "time_to_last_ack_s": round(max(s.acked_at for s in sent) - start, 3),
        "answered": len(answered), "missing_answers": count - len(answered),
        "answers_by_kind": {"reply": by_kind.get("reply", 0), "push": by_kind.get("push", 0)},
        "refused_reply_tokens": stats.get("failed_replies", 0), "refusals_by_reason": stats.get("reply_failed", {}),
        "standin_requests": stats.get("statuses", {}), "loading_animations": stats.get("loading_requests", 0),
        "answer_latency_ms": {"p50": ms_or_none(percentile(latencies, 50)),
                              "p99": ms_or_none(percentile(latencies, 99)),
                              "max": ms(latencies[-1]) if latencies else None},
        "ack_latency_ms": {"p50": ms_or_none(percentile(acks, 50)), "p99": ms_or_none(percentile(acks, 99))},
        "server_cpu_s": round(cpu, 3), "server_cpu_ms_per_event": round(1000 * cpu / max(1, count), 3),
        "server_cpu_cores_used": round(cpu / max(1e-9, done - start), 2),
    }
    if profiled:
        result["profile"] = profiled
    return result


def follow_phase(target: Target, standin: StandIn, users: Sequence[str], *, timeout: float,
                 connections: int) -> dict[str, Any]:
    """Every user follows first (the timed messages then come from known followers); waits for the welcomes."""
    standin.reset()
    now_ms = int(time.time() * 1000)
    events = [follow_event(u, mint_reply_token(), timestamp_ms=now_ms, event_id=new_webhook_event_id()) for u in users]
    sent = [Sent(u, e["replyToken"]) for u, e in zip(users, events, strict=True)]
    start = time.time()
    send_closed_loop(target.host, target.port, signed_requests(target, events), sent, connections)
    answers, stats, _ = wait_for_answers(standin, target, sent, timeout=timeout, stall=timeout)
    missing = sum(a is None for a in answers)
    if missing:
        raise RuntimeError(f"{target.name}: {missing} of {len(users)} follow events got no answer within "
                           f"{timeout:.0f} s\n{target.log_tail()}")
    return {"users": len(users), "seconds": round(max(t for _, t in answers) - start, 3),  # type: ignore[misc]
            "answers_by_kind": dict(Counter(k for k, _ in answers))}  # type: ignore[misc]


def text_events(users: Sequence[str], count: int) -> list[dict]:
    now_ms = int(time.time() * 1000)
    return [text_event(users[i % len(users)], UNKNOWN_TEXT, mint_reply_token(), timestamp_ms=now_ms,
                       event_id=new_webhook_event_id()) for i in range(count)]


def postback_events(users: Sequence[str], count: int) -> list[dict]:
    now_ms = int(time.time() * 1000)
    data = postback_data()
    return [postback_event(users[i % len(users)], data, mint_reply_token(), timestamp_ms=now_ms,
                           event_id=new_webhook_event_id()) for i in range(count)]


def run_target(name: str, args: argparse.Namespace, standin: StandIn, stack: ExitStack) -> dict[str, Any]:
    """Starts one target, runs the follow, text and postback phases, stops it."""
    workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix=f"kk-e2e-{name}-")))
    with ExitStack() as inner:
        if name == "baseline":
            target = inner.enter_context(baseline_target(workdir, standin))
        elif name == "embedded":
            target = inner.enter_context(embedded_target(workdir, standin, scheduler=args.scheduler == "on"))
        else:
            database_url = inner.enter_context(temporary_postgres(args.database_server))
            target = inner.enter_context(postgresql_target(workdir, standin, database_url,
                                                           worker_processes=args.worker_processes,
                                                           scheduler=args.scheduler == "on"))
        users = [user_id_for(n) for n in range(args.users)]
        print(f"[{name}] {target.command}: {args.users} users follow", flush=True)
        follows = follow_phase(target, standin, users, timeout=args.timeout, connections=args.connections)
        phases = []
        for phase, build in (("text", text_events), ("postback", postback_events)):
            print(f"[{name}] {args.events} {phase} events", flush=True)
            profile = Path(f"{args.profile}.{name}.{phase}.raw") if args.profile and name != "baseline" else None
            phases.append(run_phase(target, standin, phase, build(users, args.events), connections=args.connections,
                                    timeout=args.timeout, stall=args.stall, profile=profile,
                                    profile_gil=args.profile_gil))
        log_tail = target.log_tail() if any(p["missing_answers"] for p in phases) else ""
    return {"target": name, "server": target.command, "follow": follows, "phases": phases, "log_tail": log_tail}


def ratios(results: list[dict[str, Any]]) -> dict[str, Any]:
    """Product / baseline, per phase: time to last answer, CPU per event; and the product's pushes."""
    by_name = {r["target"]: {p["phase"]: p for p in r["phases"]} for r in results}
    base = by_name.get("baseline")
    out: dict[str, Any] = {}
    if not base:
        return out
    goals = {"embedded": 1.0, "postgresql": 0.5}
    for name, phases in by_name.items():
        if name == "baseline":
            continue
        for phase, figures in phases.items():
            b = base.get(phase)
            if not b:
                continue
            time_ratio = figures["time_to_last_answer_s"] / max(1e-9, b["time_to_last_answer_s"])
            cpu_ratio = figures["server_cpu_ms_per_event"] / max(1e-9, b["server_cpu_ms_per_event"])
            out[f"{name}/{phase}"] = {
                "time_to_last_answer_x": round(time_ratio, 2), "time_target_x": goals[name],
                "time_met": time_ratio <= goals[name],
                "cpu_per_event_x": round(cpu_ratio, 2), "cpu_target_x": 1.0, "cpu_met": cpu_ratio <= 1.0,
                "pushes": figures["answers_by_kind"]["push"], "pushes_met": figures["answers_by_kind"]["push"] == 0,
                "missing_answers": figures["missing_answers"],
            }
    return out


def run(args: argparse.Namespace) -> dict[str, Any]:
    started = time.time()
    results = []
    with ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="kk-e2e-")))
        standin = stack.enter_context(run_standin(BENCH_TOKEN, args.latency, log_path=workdir / "standin.log"))
        for name in args.targets:
            results.append(run_target(name, args, standin, stack))
    return {
        "benchmark": "e2e",
        "settings": {"events": args.events, "users": args.users, "connections": args.connections,
                     "latency_ms": args.latency * 1000, "worker_processes": args.worker_processes,
                     "scheduler": args.scheduler, "targets": list(args.targets), "text": UNKNOWN_TEXT,
                     "postback_data": postback_data()},
        "results": results, "ratios": ratios(results), "wall_s": round(time.time() - started, 1),
        "machine": machine(), "code": code_version(),
    }


def report(result: dict[str, Any]) -> str:
    """A readable table: targets side by side per phase, then the ratios."""
    lines = [f"e2e: {result['settings']['events']} events per phase from {result['settings']['users']} users, "
             f"{result['settings']['connections']} connections, LINE stand-in {result['settings']['latency_ms']:.0f} ms"]
    for r in result["results"]:
        lines.append(f"  {r['target']}: {r['server']} (follows answered in {r['follow']['seconds']} s)")
    header = (f"{'target':<11} {'phase':<9} {'last answer s':>13} {'last ack s':>10} {'replies':>7} {'pushes':>6} "
              f"{'refused':>7} {'missing':>7} {'CPU ms/ev':>9} {'answer p50/p99 ms':>19}")
    lines += ["", header, "-" * len(header)]
    for r in result["results"]:
        for p in r["phases"]:
            lat = p["answer_latency_ms"]
            lines.append(
                f"{r['target']:<11} {p['phase']:<9} {p['time_to_last_answer_s']:>13.2f} {p['time_to_last_ack_s']:>10.2f} "
                f"{p['answers_by_kind']['reply']:>7} {p['answers_by_kind']['push']:>6} {p['refused_reply_tokens']:>7} "
                f"{p['missing_answers']:>7} {p['server_cpu_ms_per_event']:>9.2f} "
                f"{lat['p50']!s:>9}/{lat['p99']!s:<9}")
    if result["ratios"]:
        lines += ["", "product / baseline:"]
        for key, q in result["ratios"].items():
            lines.append(f"  {key:<20} time to last answer {q['time_to_last_answer_x']:.2f}x (target <= "
                         f"{q['time_target_x']}x: {'met' if q['time_met'] else 'MISSED'}), CPU per event "
                         f"{q['cpu_per_event_x']:.2f}x (<= 1.0x: {'met' if q['cpu_met'] else 'MISSED'}), pushes "
                         f"{q['pushes']} (target 0: {'met' if q['pushes_met'] else 'MISSED'})")
    for r in result["results"]:
        for p in r["phases"]:
            if "profile" in p:
                lines.append(f"\nprofile {r['target']}/{p['phase']}: {p['profile']['file']} "
                             f"({p['profile']['samples'][0][1]} samples); top self time:")
                lines += [f"  {share:5.1f}%  {frame}" for frame, share in p["profile"]["self_percent"][:10]]
        if r["log_tail"]:
            lines.append(f"\n{r['target']} log tail:\n{r['log_tail']}")
    return "\n".join(lines)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite",
                        help="sqlite: baseline + embedded; postgresql: baseline + gunicorn/workers on PostgreSQL")
    parser.add_argument("--targets", help=f"comma-separated, any of {', '.join(TARGETS)} (overrides --database)")
    parser.add_argument("--events", type=int, default=3000, help="events per phase (default 3000)")
    parser.add_argument("--users", type=int, default=100, help="distinct users (default 100)")
    parser.add_argument("--connections", type=int, default=16, help="keep-alive connections (default 16)")
    parser.add_argument("--latency", type=float, default=0.1, help="stand-in answer latency, s (default 0.1)")
    parser.add_argument("--worker-processes", type=int, default=2,
                        help="`manage.py run worker` processes for the PostgreSQL target (default 2)")
    parser.add_argument("--scheduler", choices=("on", "off"), default="on",
                        help="RUN_SCHEDULER of the embedded app and the worker processes (default on, as deployed)")
    parser.add_argument("--timeout", type=float, default=600.0, help="longest wait for a phase's answers, s")
    parser.add_argument("--stall", type=float, default=60.0, help="give up after this many s without a new answer")
    parser.add_argument("--database-server", default=DEFAULT_PG_SERVER,
                        help="PostgreSQL server: a throwaway database is created on it and dropped")
    parser.add_argument("--profile", metavar="PREFIX",
                        help="py-spy the product in each timed phase: PREFIX.<target>.<phase>.raw (see stacks.py)")
    parser.add_argument("--profile-gil", action="store_true", help="with --profile: py-spy --gil (CPU only)")
    parser.add_argument("--quick", action="store_true", help="tiny sizes: 30 events, 5 users, 10 ms latency")
    parser.add_argument("--json", metavar="FILE", help="also write the result as JSON")
    args = parser.parse_args(argv)
    if args.quick:
        args.events, args.users, args.latency, args.connections = 30, 5, 0.01, 4
        args.timeout, args.stall = min(args.timeout, 90.0), min(args.stall, 60.0)
    names = args.targets.split(",") if args.targets else (
        ["baseline", "embedded"] if args.database == "sqlite" else ["baseline", "postgresql"])
    if any(n not in TARGETS for n in names):
        parser.error(f"--targets: choose from {', '.join(TARGETS)}")
    args.targets = names
    if min(args.events, args.users, args.connections) < 1 or args.worker_processes < 0:
        parser.error("counts must be positive")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    exit_cleanly_on_sigterm()
    result = run(args)
    print(report(result), flush=True)
    emit(result, args.json)
    missing = sum(p["missing_answers"] for r in result["results"] for p in r["phases"])
    return 0 if missing == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
