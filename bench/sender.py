"""Sender benchmark: how many pushes a second the real Dispatcher gets through when LINE takes 100 ms to answer.

Issue 9 asks for at least 1,000 replies/pushes a second at 100 ms per LINE call, bounded by LINE's limits rather
than by a thread count. This writes N pushes to a fresh SQLite outbox, starts the real Dispatcher and LineClient
against bench/line_standin.py (its own process, answering after `--latency`), and times until every row is
recorded as sent. It runs two senders side by side:

  aiohttp   bot/line_client.py MessageSender: one event-loop thread, up to DISPATCHER_THREADS requests in flight
  threads   the previous design, for comparison: line-bot-sdk's ApiClient.call_api on urllib3, one blocking
            thread per request in flight (the Dispatcher's thread pool for senders without `send_many_async`)

CPU is this process's (dispatcher, sender, recorder, SQLite); the stand-in's is not counted.

    .venv/bin/python bench/sender.py                      # 5,000 pushes, 100 ms, 256 in flight
    .venv/bin/python bench/sender.py --pushes 500 --latency 0.01 --quick
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import code_version, emit, machine  # noqa: E402
from bench.line_standin import run_standin  # noqa: E402

TOKEN = "bench-sender-token"


class BlockingSdkSender:
    """The sender as it was before issue 9: the SDK's ApiClient.call_api on urllib3, blocking its thread."""

    def __init__(self, base_url: str, pool_size: int) -> None:
        from linebot.v3.messaging import ApiClient, Configuration

        configuration = Configuration(host=base_url, access_token=TOKEN)
        configuration.connection_pool_maxsize = pool_size
        configuration.retries = False
        self.client = ApiClient(configuration)

    def send(self, kind: str, body: dict, retry_key: str | None = None) -> Any:
        from linebot.v3.messaging import ApiException

        from bot.line_client import SendResult

        headers = {"Accept": "application/json", "Content-Type": "application/json"}
        if kind != "reply" and retry_key:
            headers["X-Line-Retry-Key"] = retry_key
        try:
            response = self.client.call_api(
                f"/v2/bot/message/{kind}", "POST", {}, [], headers, body=body, post_params=[], files={},
                response_types_map={}, auth_settings=["Bearer"], _return_http_data_only=False,
                _preload_content=False, _request_timeout=(5.0, 10.0), collection_formats={})
        except ApiException as exc:
            return SendResult(status=exc.status)
        return SendResult(status=response.status_code)


def run_one(mode: str, base_url: str, pushes: int, in_flight: int) -> dict[str, Any]:
    from sqlalchemy import func, select

    from bot.dispatcher import Dispatcher
    from bot.line_client import LineClient
    from models.db import Database
    from models.migrate import upgrade
    from models.outbox import enqueue
    from models.platform import OutboxMessage

    with tempfile.TemporaryDirectory() as folder:
        db = Database(f"sqlite:///{folder}/sender.db")
        upgrade(db)
        now = datetime.now(UTC)
        with db.transaction() as session:
            for n in range(pushes):
                enqueue(session, "push", [{"type": "text", "text": f"ข่าวโครงการ {n} " * 8}], now=now,
                        recipients=[f"U{n:032x}"])
        line = LineClient(TOKEN, base_url, base_url, pool_size=in_flight)
        sender = line if mode == "aiohttp" else BlockingSdkSender(base_url, in_flight)
        dispatcher = Dispatcher(db, sender, lambda: datetime.now(UTC), threads=in_flight, batch=100)
        cpu0, wall0 = time.process_time(), time.perf_counter()
        dispatcher.start()
        sent = 0
        try:
            deadline = wall0 + 600
            while time.perf_counter() < deadline:
                with db.sessions() as session:
                    sent = session.scalar(select(func.count()).select_from(OutboxMessage)
                                          .where(OutboxMessage.status == "sent")) or 0
                if sent >= pushes:
                    break
                time.sleep(0.02)
            wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
        finally:
            dispatcher.stop()
            line.close()
            db.dispose()
    return {"mode": mode, "pushes": pushes, "sent": sent, "seconds": round(wall, 2),
            "per_second": round(sent / wall) if wall else None, "cpu_ms_per_push": round(1000 * cpu / max(1, sent), 3)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pushes", type=int, default=5000)
    parser.add_argument("--latency", type=float, default=0.1, help="the stand-in's answer latency, s")
    parser.add_argument("--in-flight", type=int, default=256, help="requests in flight (DISPATCHER_THREADS)")
    parser.add_argument("--modes", default="aiohttp,threads")
    parser.add_argument("--quick", action="store_true", help="300 pushes at 10 ms (smoke test)")
    parser.add_argument("--json", metavar="FILE")
    args = parser.parse_args(argv)
    if args.quick:
        args.pushes, args.latency = 300, 0.01
    results = []
    with run_standin(TOKEN, args.latency) as standin:
        for mode in args.modes.split(","):
            standin.reset()
            results.append(run_one(mode, standin.base_url, args.pushes, args.in_flight))
            print(f"{mode:8} {results[-1]['sent']:6} sent in {results[-1]['seconds']:6.2f} s: "
                  f"{results[-1]['per_second']} pushes/s, {results[-1]['cpu_ms_per_push']} ms of CPU each", flush=True)
    emit({"machine": machine(), "code": code_version(), "latency_s": args.latency, "in_flight": args.in_flight,
          "results": results}, args.json)
    return 0 if all(r["sent"] == r["pushes"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
