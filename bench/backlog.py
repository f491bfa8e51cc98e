"""Backlog benchmark (issue 9): the claim query and the drain rate with N events waiting, and a newcomer's wait.

For each size N (1,000, 10,000 and 50,000 by default) and each spread ("many": N/10 users with 10 events each;
"one": every event from one user), on a fresh database:
  1. The product starts with RUN_WORKERS=0 (embedded: `python app.py`; PostgreSQL: `gunicorn -k gthread -w 3
     --threads 1 "app:create_app()"`), which creates the schema and serves the webhook, and N text events are
     stored with no worker running. By default they are stored directly with `EventInbox(db).store(events, now)`,
     100 events per call: exactly what the webhook does once the signature is checked, and much faster for 50,000;
     `--store webhook` posts them as signed webhooks of 100 events instead.
  2. In a separate process, the claim is timed at that backlog: `claim_batch(session, now, lease, limit)` inside
     `db.transaction()` blocks that are rolled back (nothing is claimed for real), 20 times each for limit=1 and
     limit=16. Where `claim_batch` does not exist yet, `claim_next` is timed instead (called `limit` times in one
     transaction) and the figure is labelled so.
  3. The workers start (embedded: the server restarts as `python app.py` with RUN_WORKERS=1 on the same database;
     PostgreSQL: `manage.py run worker` processes) with the LINE stand-in answering after 100 ms. The stand-in's
     records give the drain rate per time bucket and overall. While it drains (at about 10, 25, 50, 75 and 90%
     drained, and every --probe-every seconds) a fresh user sends a message; its answer time is measured.
     A drain stops when everything is answered, or after --drain-seconds (--one-user-drain-seconds for the one-user
     spread, whose events must be handled one after another): the rate is then the rate at that backlog.

Events wait while the backlog is stored and drained: the product answers an event older than about 50 s by push
instead of with its reply token (LINE's tokens expire after about a minute), so a large stored backlog is answered
mostly by push. That is expected; the table shows replies against pushes.

    .venv/bin/python bench/backlog.py                                  # SQLite, all sizes, both spreads
    .venv/bin/python bench/backlog.py --database postgresql --worker-processes 2
    .venv/bin/python bench/backlog.py --sizes 1000 --spreads many     # one scenario
    .venv/bin/python bench/backlog.py --quick                         # tiny sizes: the smoke test's run
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
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
    machine,
    ms,
    ms_or_none,
    percentile,
    temporary_postgres,
)
from bench.e2e import (  # noqa: E402
    UNKNOWN_TEXT,
    Sent,
    Target,
    send_closed_loop,
    send_one,
    start_embedded,
    start_gunicorn_web,
    start_workers,
    stop_target,
)
from bench.line_standin import StandIn, match_answers, mint_reply_token, run_standin  # noqa: E402
from bench.webhook_ack import BENCH_TOKEN, request_bytes, stored_events  # noqa: E402
from line_emulator.events import encode, envelope, new_webhook_event_id, sign, text_event  # noqa: E402

SPREADS = ("many", "one")
EVENTS_PER_REQUEST = 100
PROBE_FRACTIONS = (0.1, 0.25, 0.5, 0.75, 0.9)


# --- storing the backlog --------------------------------------------------------------------------------------------

def backlog_events(size: int, spread: str, events_per_user: int, salt: str) -> list[dict]:
    """N text events with fresh reply tokens: `events_per_user` each from size/events_per_user users, or one user.

    Users take turns (user 0, 1, 2, ..., 0, 1, ...), as messages from many people arrive interleaved."""
    users = 1 if spread == "one" else max(1, size // events_per_user)
    ids = [bench_user(salt, n) for n in range(users)]
    now_ms = int(time.time() * 1000)
    return [text_event(ids[i % users], UNKNOWN_TEXT, mint_reply_token(), timestamp_ms=now_ms,
                       event_id=new_webhook_event_id()) for i in range(size)]


def bench_user(salt: str, n: int) -> str:
    """A well-formed LINE user id, distinct for each (salt, n)."""
    return "U" + hashlib.md5(f"{salt}-{n}".encode()).hexdigest()


def store_direct(database_url: str, events: Sequence[dict]) -> None:
    """What the webhook does after checking the signature: `EventInbox.store`, a webhook's worth at a time."""
    from bot.event_store import EventInbox
    from models.db import Database

    db = Database(database_url, pool_size=1)
    try:
        inbox = EventInbox(db)
        for start in range(0, len(events), EVENTS_PER_REQUEST):
            inbox.store(list(events[start:start + EVENTS_PER_REQUEST]), datetime.now(UTC))
    finally:
        db.dispose()


def store_webhook(target: Target, events: Sequence[dict]) -> None:
    """Posts the events as signed webhooks of EVENTS_PER_REQUEST events each, over 4 keep-alive connections."""
    requests, sent = [], []
    for start in range(0, len(events), EVENTS_PER_REQUEST):
        body = encode(envelope(list(events[start:start + EVENTS_PER_REQUEST])))
        requests.append(request_bytes(target.host, target.port, body, sign(body, target.secret)))
        sent.append(Sent("", None))
    send_closed_loop(target.host, target.port, requests, sent, 4)
    refused = Counter(str(s.status) for s in sent if s.status != 200)
    if refused:
        raise RuntimeError(f"webhook refused part of the backlog: {dict(refused)}\n{target.log_tail()}")


# --- timing the claim (in its own process) --------------------------------------------------------------------------

class _Rollback(Exception):
    """Raised inside the timed transaction so it rolls back: nothing is claimed for real."""


def claim_timings(database_url: str, limits: Sequence[int], repeats: int) -> dict[str, Any]:
    """Times the claim at the current backlog, in rolled-back transactions. Runs in its own process."""
    from bot import event_store
    from models.db import Database

    batch = getattr(event_store, "claim_batch", None)
    lease = timedelta(minutes=2)

    def claim(session: Any, limit: int) -> int:
        now = datetime.now(UTC)
        if batch is not None:
            return len(batch(session, now, lease, limit))
        claimed = 0
        for _ in range(limit):  # the older one-at-a-time claim, as a worker would call it `limit` times
            if event_store.claim_next(session, now, lease) is None:
                break
            claimed += 1
        return claimed

    db = Database(database_url, pool_size=2)
    out: dict[str, Any] = {"function": "claim_batch" if batch else "claim_next (claim_batch not available)"}
    try:
        for limit in limits:
            calls: list[float] = []
            transactions: list[float] = []
            claimed = []
            for _ in range(repeats + 1):  # the first is a warm-up (statement caches, connection), not reported
                began = time.perf_counter()
                try:
                    with db.transaction() as session:
                        t0 = time.perf_counter()
                        n = claim(session, limit)
                        t1 = time.perf_counter()
                        raise _Rollback
                except _Rollback:
                    pass
                transactions.append(time.perf_counter() - began)
                calls.append(t1 - t0)
                claimed.append(n)
            first = calls[0]
            calls, transactions = sorted(calls[1:]), sorted(transactions[1:])
            out[f"limit_{limit}"] = {
                "claim_ms": {"median": ms(statistics.median(calls)), "p99": ms(percentile(calls, 99)),
                             "first": ms(first)},
                "transaction_ms": {"median": ms(statistics.median(transactions)),
                                   "p99": ms(percentile(transactions, 99))},
                "claimed": claimed[-1], "repeats": repeats,
            }
    finally:
        db.dispose()
    return out


def run_claim_probe(database_url: str, limits: Sequence[int], repeats: int, timeout: float = 600) -> dict[str, Any]:
    """Runs `claim_timings` in a fresh process (this script with --claim-probe) and returns what it printed."""
    command = [PYTHON, str(ROOT / "bench" / "backlog.py"), "--claim-probe", database_url,
               "--claim-limits", ",".join(map(str, limits)), "--claim-repeats", str(repeats)]
    completed = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    if completed.returncode != 0:
        raise RuntimeError("claim probe failed:\n" + completed.stderr[-3000:])
    return json.loads(completed.stdout.strip().splitlines()[-1])


# --- draining ---------------------------------------------------------------------------------------------------------

def drain(target: Target, standin: StandIn, events: Sequence[dict], *, started: float, limit_s: float,
          stall_s: float, probe_every: float) -> dict[str, Any]:
    """Watches the stand-in while workers drain `events`; sends fresh users' messages mid-drain. Returns figures."""
    size = len(events)
    probes: list[Sent] = []
    probe_drained: list[float] = []  # share of the backlog answered when each probe was sent
    fractions = list(PROBE_FRACTIONS)
    last_probe = None
    first_answer = None
    cpu_at_first = None
    answers_at_first = 0
    last_count, last_change = -1, time.monotonic()
    deadline = time.monotonic() + limit_s
    probe_n = 0
    while True:
        progress = standin.progress()
        now = time.monotonic()
        answers = progress["answers"]
        if answers != last_count:
            last_count, last_change = answers, now
        if first_answer is None and answers > 0:
            first_answer, cpu_at_first, answers_at_first = time.time(), target.cpu(), answers
        backlog_answers = max(0, answers - len(probes))
        # At least one fresh user is measured, even when the backlog drained before the first look.
        if backlog_answers >= size and probes and all_probes_answered(standin, probes):
            break
        if now > deadline or now - last_change > stall_s:
            break
        target.check_alive()
        due = fractions and backlog_answers >= fractions[0] * size
        periodic = first_answer is not None and (last_probe is None or now - last_probe >= probe_every)
        if first_answer is not None and (due or periodic or not probes):
            while fractions and backlog_answers >= fractions[0] * size:
                fractions.pop(0)
            probe_n += 1
            user = bench_user(f"probe-{started}", probe_n)
            probe = send_one(target, text_event(user, UNKNOWN_TEXT, mint_reply_token(),
                                                event_id=new_webhook_event_id()))
            probes.append(probe)
            probe_drained.append(round(backlog_answers / size, 3))
            last_probe = now
        time.sleep(0.1)
    ended = time.time()
    # CPU from the first answer seen (not from the start: that would count the workers' imports and migrations),
    # per event answered since.
    cpu = target.cpu() - cpu_at_first if cpu_at_first is not None else 0.0
    cpu_events = max(0, last_count - answers_at_first)
    stats = standin.stats()
    sent = [((e.get("source") or {}).get("userId", ""), e.get("replyToken")) for e in events]
    answers_list = match_answers(sent, stats)
    probe_answers = match_answers([(p.user, p.token) for p in probes], stats)
    figures = summarise(answers_list, probes, probe_answers, stats, started=started, ended=ended, cpu=cpu,
                        cpu_events=cpu_events)
    figures["fresh_user"]["each"] = [
        {"sent_when_drained": share, "answer_ms": ms(answer[1] - probe.sent_at) if answer else None}
        for probe, answer, share in zip(probes, probe_answers, probe_drained, strict=True)]
    return figures


def all_probes_answered(standin: StandIn, probes: Sequence[Sent]) -> bool:
    if not probes:
        return True
    answers = match_answers([(p.user, p.token) for p in probes], standin.stats())
    return all(a is not None for a in answers)


def summarise(answers: Sequence[tuple[str, float] | None], probes: Sequence[Sent],
              probe_answers: Sequence[tuple[str, float] | None], stats: dict[str, Any], *, started: float,
              ended: float, cpu: float, cpu_events: int, bucket: float = 1.0) -> dict[str, Any]:
    """Drain figures from each event's answer time."""
    times = sorted(t for a in answers if a is not None for t in [a[1]])
    kinds = Counter(a[0] for a in answers if a is not None)
    answered = len(times)
    out: dict[str, Any] = {
        "answered": answered, "unanswered": len(answers) - answered, "fully_drained": answered == len(answers),
        "answers_by_kind": {"reply": kinds.get("reply", 0), "push": kinds.get("push", 0)},
        "refused_reply_tokens": stats.get("failed_replies", 0), "refusals_by_reason": stats.get("reply_failed", {}),
        "loading_animations": stats.get("loading_requests", 0),
    }
    if times:
        span = times[-1] - times[0]
        out.update({
            "first_answer_after_start_s": round(times[0] - started, 2),
            "drain_span_s": round(span, 2),
            "drain_rate_per_s": round((answered - 1) / span, 1) if span > 0 and answered > 1 else None,
            "drain_cpu_ms_per_event": round(1000 * cpu / cpu_events, 2) if cpu_events >= 10 else None,
        })
        buckets = Counter(int((t - times[0]) // bucket) for t in times)
        series = [buckets.get(i, 0) / bucket for i in range(int(span // bucket) + 1)]
        out["rate_per_second_series"] = series
        full = series[:-1] if len(series) > 1 else series  # the last bucket is partial
        out["bucket_rate_per_s"] = {"median": statistics.median(full), "min": min(full), "max": max(full)}
    latencies = []
    unanswered_probes = []
    for probe, answer in zip(probes, probe_answers, strict=True):
        if answer is None:
            unanswered_probes.append(round(ended - probe.sent_at, 2))
        else:
            latencies.append(answer[1] - probe.sent_at)
    latencies.sort()
    out["fresh_user"] = {
        "probes": len(probes), "answered": len(latencies),
        "answer_ms": {"p50": ms_or_none(percentile(latencies, 50)), "p99": ms_or_none(percentile(latencies, 99)),
                      "max": ms_or_none(latencies[-1]) if latencies else None},
        "each_ms": [ms(x) for x in latencies],  # sorted; "each" (added by drain) lists them in sending order
        # Unanswered when the drain stopped: they had waited at least this long (seconds).
        "unanswered_waited_at_least_s": unanswered_probes,
        "under_2s_p99": bool(latencies) and not unanswered_probes and percentile(latencies, 99) < 2.0,
    }
    return out


# --- one scenario ------------------------------------------------------------------------------------------------------

def run_scenario(args: argparse.Namespace, standin: StandIn, size: int, spread: str) -> dict[str, Any]:
    """Fresh database; store N events with no worker; time the claim; start workers and watch the drain."""
    scheduler = args.scheduler == "on"
    with ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix=f"kk-backlog-{size}-{spread}-")))
        if args.database == "postgresql":
            database_url = stack.enter_context(temporary_postgres(args.database_server))
            target = start_gunicorn_web(workdir, standin, database_url)
        else:
            database_url = f"sqlite:///{workdir / 'instance' / 'kk.db'}"
            target = start_embedded(workdir, standin, database_url=database_url, run_workers=False,
                                    scheduler=scheduler, log_name="store.log")
        stack.callback(lambda: stop_target(target))
        print(f"[{size} {spread}] storing {size} events ({args.store}) with no worker: {target.command}", flush=True)
        events = backlog_events(size, spread, args.events_per_user, salt=f"{time.time()}-{spread}")
        began = time.perf_counter()
        if args.store == "direct":
            store_direct(database_url, events)
        else:
            store_webhook(target, events)
        store_s = time.perf_counter() - began
        stored = stored_events(database_url)
        if stored.get("pending", 0) != size:
            raise RuntimeError(f"expected {size} pending events, found {stored}")
        print(f"[{size} {spread}] timing the claim", flush=True)
        claim = run_claim_probe(database_url, args.claim_limits, args.claim_repeats)
        standin.reset()
        if args.database == "postgresql":
            started = time.time()
            start_workers(target, workdir, standin, args.worker_processes, scheduler=scheduler)
        else:
            stop_target(target)
            started = time.time()
            target = start_embedded(workdir, standin, database_url=database_url, run_workers=True,
                                    scheduler=scheduler, log_name="drain.log")
        limit = args.one_user_drain_seconds if spread == "one" else args.drain_seconds
        print(f"[{size} {spread}] draining with {target.command} (at most {limit:.0f} s)", flush=True)
        figures = drain(target, standin, events, started=started, limit_s=limit, stall_s=args.stall,
                        probe_every=args.probe_every)
        final = stored_events(database_url)
        log_tail = target.log_tail() if not figures["fully_drained"] and figures["answered"] == 0 else ""
    users = 1 if spread == "one" else max(1, size // args.events_per_user)
    return {"size": size, "spread": spread, "users": users, "store": args.store, "store_s": round(store_s, 2),
            "server": target.command, "claim": claim, "drain": figures, "events_after": final,
            "drain_limit_s": limit, "log_tail": log_tail}


def drain_ratios(scenarios: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Per spread: drain rate at each size / the rate at the smallest size (target >= 0.9 at 50,000)."""
    out: dict[str, Any] = {}
    for spread in SPREADS:
        mine = sorted((s for s in scenarios if s["spread"] == spread), key=lambda s: s["size"])
        if len(mine) < 2 or not mine[0]["drain"].get("drain_rate_per_s"):
            continue
        base = mine[0]["drain"]["drain_rate_per_s"]
        for s in mine[1:]:
            rate = s["drain"].get("drain_rate_per_s")
            if rate:
                ratio = rate / base
                out[f"{spread}/{s['size']}_vs_{mine[0]['size']}"] = {"ratio": round(ratio, 2), "met": ratio >= 0.9}
    return out


def run(args: argparse.Namespace) -> dict[str, Any]:
    started = time.time()
    scenarios = []
    with ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="kk-backlog-")))
        standin = stack.enter_context(run_standin(BENCH_TOKEN, args.latency, log_path=workdir / "standin.log"))
        for spread in args.spreads:
            for size in args.sizes:
                scenarios.append(run_scenario(args, standin, size, spread))
    probes = [x for s in scenarios for x in s["drain"]["fresh_user"]["each_ms"]]
    unanswered = sum(len(s["drain"]["fresh_user"]["unanswered_waited_at_least_s"]) for s in scenarios)
    probes.sort()
    return {
        "benchmark": "backlog", "database": args.database,
        "settings": {"sizes": args.sizes, "spreads": args.spreads, "events_per_user": args.events_per_user,
                     "store": args.store, "latency_ms": args.latency * 1000, "worker_processes": args.worker_processes,
                     "scheduler": args.scheduler, "drain_seconds": args.drain_seconds,
                     "one_user_drain_seconds": args.one_user_drain_seconds, "probe_every_s": args.probe_every,
                     "claim_limits": args.claim_limits, "claim_repeats": args.claim_repeats},
        "scenarios": scenarios, "drain_rate_ratios": drain_ratios(scenarios),
        "fresh_user_overall": {"answered": len(probes), "unanswered": unanswered,
                               "p50_ms": ms_or_none(percentile(probes, 50) / 1000), "p99_ms": ms_or_none(percentile(probes, 99) / 1000),
                               "max_ms": probes[-1] if probes else None,
                               "under_2s_p99": bool(probes) and not unanswered and percentile(probes, 99) < 2000},
        "wall_s": round(time.time() - started, 1), "machine": machine(),
        "code": code_version(),
    }


def report(result: dict[str, Any]) -> str:
    settings = result["settings"]
    lines = [f"backlog ({result['database']}): stored {settings['store']}, LINE stand-in {settings['latency_ms']:.0f} ms, "
             f"{settings['events_per_user']} events per user in the 'many' spread"]
    if result["scenarios"]:
        lines.append(f"  claim timed: {result['scenarios'][0]['claim']['function']}; drain by "
                     f"{result['scenarios'][0]['server']}")
    header = (f"{'N':>7} {'spread':<6} {'claim1 med/p99 ms':>18} {'claim16 med/p99 ms':>19} {'answered':>9} "
              f"{'drain/s':>8} {'bucket med':>10} {'reply':>6} {'push':>6} {'CPU ms/ev':>9} {'fresh p50/p99/max ms':>24}")
    lines += ["", header, "-" * len(header)]
    for s in result["scenarios"]:
        d = s["drain"]
        c1 = s["claim"].get(f"limit_{settings['claim_limits'][0]}", {}).get("claim_ms", {})
        c16 = s["claim"].get(f"limit_{settings['claim_limits'][-1]}", {}).get("claim_ms", {})
        fresh = d["fresh_user"]
        fa = fresh["answer_ms"]
        unanswered = len(fresh["unanswered_waited_at_least_s"])
        fresh_text = f"{fa['p50']}/{fa['p99']}/{fa['max']}" + (f" +{unanswered} unans." if unanswered else "")
        lines.append(
            f"{s['size']:>7} {s['spread']:<6} {c1.get('median')!s:>8}/{c1.get('p99')!s:<9} "
            f"{c16.get('median')!s:>9}/{c16.get('p99')!s:<9} {d['answered']:>9} {d.get('drain_rate_per_s')!s:>8} "
            f"{(d.get('bucket_rate_per_s') or {}).get('median')!s:>10} {d['answers_by_kind']['reply']:>6} "
            f"{d['answers_by_kind']['push']:>6} {d.get('drain_cpu_ms_per_event')!s:>9} {fresh_text:>24}")
        if len(fresh.get("each", [])) > 1:
            lines.append(f"{'':>15}fresh users (share drained when sent: answer ms): " + ", ".join(
                f"{e['sent_when_drained']:.0%}: {e['answer_ms'] if e['answer_ms'] is not None else 'none'}"
                for e in fresh["each"]))
        if not d["fully_drained"]:
            lines.append(f"{'':>15}(partial drain: stopped after {s['drain_limit_s']:.0f} s with {d['unanswered']} "
                         "events left; the rate is the rate at that backlog)")
    if result["drain_rate_ratios"]:
        lines.append("")
        for key, value in result["drain_rate_ratios"].items():
            lines.append(f"drain rate {key}: {value['ratio']:.2f} (target >= 0.9: {'met' if value['met'] else 'MISSED'})")
    overall = result["fresh_user_overall"]
    lines.append(f"fresh user's answer: p50 {overall['p50_ms']} ms, p99 {overall['p99_ms']} ms, max {overall['max_ms']} ms "
                 f"over {overall['answered']} answered, {overall['unanswered']} unanswered when the drain stopped "
                 f"(target p99 < 2 s: {'met' if overall['under_2s_p99'] else 'MISSED'})")
    lines.append("Events older than about 50 s are answered by push (reply tokens expire): expected for a stored backlog.")
    for s in result["scenarios"]:
        if s["log_tail"]:
            lines.append(f"\n{s['size']} {s['spread']} log tail:\n{s['log_tail']}")
    return "\n".join(lines)


def _ints(text: str) -> list[int]:
    return [int(x) for x in text.split(",") if x.strip()]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--sizes", type=_ints, default=[1000, 10000, 50000], help="backlog sizes (default "
                        "1000,10000,50000)")
    parser.add_argument("--spreads", type=lambda t: t.split(","), default=list(SPREADS),
                        help="many (N/10 users), one (a single user), or both: many,one")
    parser.add_argument("--events-per-user", type=int, default=10, help="events per user in the 'many' spread")
    parser.add_argument("--store", choices=("direct", "webhook"), default="direct",
                        help="direct: EventInbox.store (what the webhook does); webhook: signed POSTs of 100 events")
    parser.add_argument("--latency", type=float, default=0.1, help="stand-in answer latency, s (default 0.1)")
    parser.add_argument("--worker-processes", type=int, default=2,
                        help="`manage.py run worker` processes on PostgreSQL (default 2)")
    parser.add_argument("--scheduler", choices=("on", "off"), default="on",
                        help="RUN_SCHEDULER for the embedded app and the worker processes (default on)")
    parser.add_argument("--drain-seconds", type=float, default=300.0,
                        help="longest drain watched for the 'many' spread (default 300)")
    parser.add_argument("--one-user-drain-seconds", type=float, default=30.0,
                        help="longest drain watched for the one-user spread (default 30)")
    parser.add_argument("--probe-every", type=float, default=10.0, help="a fresh user's message at least this often")
    parser.add_argument("--stall", type=float, default=60.0, help="stop a drain after this many s without progress")
    parser.add_argument("--claim-limits", type=_ints, default=[1, 16])
    parser.add_argument("--claim-repeats", type=int, default=20)
    parser.add_argument("--database-server", default=DEFAULT_PG_SERVER)
    parser.add_argument("--quick", action="store_true",
                        help="tiny sizes: 30 events, 5 users, 10 ms latency, 3 claim repeats")
    parser.add_argument("--json", metavar="FILE", help="also write the result as JSON")
    parser.add_argument("--claim-probe", metavar="DATABASE_URL", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.events_per_user, args.latency, args.claim_repeats = [30], 6, 0.01, 3
        args.drain_seconds, args.one_user_drain_seconds, args.probe_every = 60.0, 60.0, 1.0
    if any(s not in SPREADS for s in args.spreads):
        parser.error(f"--spreads: choose from {', '.join(SPREADS)}")
    if min([*args.sizes, *args.claim_limits, args.events_per_user, args.claim_repeats]) < 1:
        parser.error("counts must be positive")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.claim_probe:
        print(json.dumps(claim_timings(args.claim_probe, args.claim_limits, args.claim_repeats)), flush=True)
        return 0
    exit_cleanly_on_sigterm()
    result = run(args)
    print(report(result), flush=True)
    emit(result, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
