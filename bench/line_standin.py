"""A LINE Messaging API stand-in for end-to-end benchmarks: answers after a fixed latency and records what arrived.

It runs in its own process on asyncio (aiohttp), so waiting costs nothing and answering costs little CPU: the
figures of the bot under test are not diluted by LINE's side on a small shared machine. It is not the product's
emulator (line_emulator/, which validates every body against LINE's schema and keeps users): it only knows what a
benchmark needs to check that every event got an answer, and how.

    .venv/bin/python bench/line_standin.py --port 8123 --token TOKEN --latency 0.1

Endpoints (bearer auth with TOKEN; every answer carries `x-line-request-id`):
  POST /v2/bot/message/reply      200 {"sentMessages": [...]}; a reply token is accepted once, and only within
                                   60 s of its issue time (carried in the token: see `mint_reply_token`); else
                                   400 {"message": "Invalid reply token"}
  POST /v2/bot/message/push       200 {"sentMessages": [...]}; a repeated X-Line-Retry-Key answers 409 with
  POST /v2/bot/message/multicast  x-line-accepted-request-id (the first request's id), as LINE does
  POST /v2/bot/chat/loading/start 202 {}
  GET  /v2/bot/message/quota      {"type": "none"};  GET /v2/bot/message/quota/consumption  {"totalUsage": 0}
  GET  /v2/bot/profile/{userId}   a minimal profile (or 404 with --no-profiles)
Control (no auth): GET /_control/health, GET /_control/progress (counts only: cheap to poll),
GET /_control/stats (counts by kind and status, each reply token's first accepted time, accepted push times per
user), POST /_control/reset. Times are `time.time()` seconds, comparable with the benchmark's own clock.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPLY_TOKEN_TTL = 60.0
_TOKEN_TIME_DIGITS = 12


def mint_reply_token(issued: float | None = None) -> str:
    """A reply token (32 hex digits, like LINE's) that carries its issue time: `time.time()` in ms, 12 digits."""
    millis = int((time.time() if issued is None else issued) * 1000)
    return f"{millis:0{_TOKEN_TIME_DIGITS}x}{os.urandom(10).hex()}"


def token_issued_at(token: str) -> float | None:
    """The issue time `mint_reply_token` put in a token, or None for a token it did not make."""
    if len(token) != 32:
        return None
    try:
        return int(token[:_TOKEN_TIME_DIGITS], 16) / 1000
    except ValueError:
        return None


class Recorder:
    """What arrived, in the shape the benchmarks ask about."""

    def __init__(self, ttl: float) -> None:
        self.ttl = ttl
        self.reset()

    def reset(self) -> None:
        self.started = time.time()
        self.counts: Counter[str] = Counter()  # kind -> requests
        self.statuses: Counter[str] = Counter()  # "kind status" -> requests
        self.reply_ok: dict[str, float] = {}  # token -> when it was accepted
        self.reply_failed: Counter[str] = Counter()  # reason -> requests
        self.failed_tokens: dict[str, float] = {}  # token -> first refusal
        self.push_ok: defaultdict[str, list[float]] = defaultdict(list)  # user -> accepted pushes
        self.multicast_recipients = 0
        self.retry_keys: dict[str, str] = {}  # X-Line-Retry-Key -> request id that accepted it
        self.loading: Counter[str] = Counter()  # chatId -> loading animations
        self.other: Counter[str] = Counter()  # anything else, by path
        self.first_request: float | None = None
        self.last_answer: float | None = None
        self.answers = 0  # accepted replies + accepted pushes

    def answered(self, when: float) -> None:
        self.answers += 1
        self.last_answer = when if self.last_answer is None else max(self.last_answer, when)

    def progress(self) -> dict[str, Any]:
        return {"answers": self.answers, "replies": len(self.reply_ok),
                "pushes": sum(len(v) for v in self.push_ok.values()),
                "failed_replies": sum(self.reply_failed.values()), "last_answer": self.last_answer,
                "counts": dict(self.counts), "now": time.time()}

    def stats(self) -> dict[str, Any]:
        return {**self.progress(), "statuses": dict(self.statuses), "reply_failed": dict(self.reply_failed),
                "reply_ok": self.reply_ok, "failed_tokens": self.failed_tokens, "push_ok": self.push_ok,
                "push_users": len(self.push_ok), "multicast_recipients": self.multicast_recipients,
                "loading_requests": sum(self.loading.values()), "other": dict(self.other),
                "first_request": self.first_request, "started": self.started}


def create_app(token: str, latency: float, ttl: float = REPLY_TOKEN_TTL, profiles: bool = True) -> Any:
    """The aiohttp application: LINE's endpoints the bot uses, plus the control endpoints."""
    from aiohttp import web

    rec = Recorder(ttl)
    counter = iter(range(1, 1 << 62))
    expected_auth = f"Bearer {token}"

    def request_id() -> str:
        return f"standin-{os.getpid()}-{next(counter)}"

    def answer(status: int, body: Any, **headers: str) -> web.Response:
        return web.Response(status=status, text=json.dumps(body), content_type="application/json",
                            headers={"x-line-request-id": request_id(), **headers})

    def sent(messages: Any) -> dict[str, Any]:
        count = len(messages) if isinstance(messages, list) else 0
        return {"sentMessages": [{"id": str(time.time_ns() + i), "quoteToken": "q"} for i in range(count)]}

    @web.middleware
    async def line_api(request: web.Request, handler: Any) -> web.StreamResponse:
        if request.path.startswith("/_control/"):
            return await handler(request)
        arrived = time.time()
        if rec.first_request is None:
            rec.first_request = arrived
        if request.headers.get("Authorization") != expected_auth:
            rec.statuses["auth 401"] += 1
            return answer(401, {"message": "Authentication failed. Confirm that the access token in the "
                                           "authorization header is valid."})
        request["arrived"] = arrived
        body = None
        if request.method == "POST" and request.can_read_body:
            try:
                body = await request.json()
            except ValueError:
                return answer(400, {"message": "The request body has 1 error(s)"})
        request["body"] = body if isinstance(body, dict) else {}
        if latency > 0:
            await asyncio.sleep(latency)
        response = await handler(request)
        return response

    def record(kind: str, status: int) -> None:
        rec.counts[kind] += 1
        rec.statuses[f"{kind} {status}"] += 1

    async def reply(request: web.Request) -> web.Response:
        body, arrived = request["body"], request["arrived"]
        reply_token = str(body.get("replyToken") or "")
        issued = token_issued_at(reply_token)
        reason = None
        if issued is None:
            reason = "unknown token"
        elif reply_token in rec.reply_ok:
            reason = "used twice"
        elif arrived - issued > rec.ttl:
            reason = "expired"
        if reason is not None:
            record("reply", 400)
            rec.reply_failed[reason] += 1
            rec.failed_tokens.setdefault(reply_token, arrived)
            return answer(400, {"message": "Invalid reply token"})
        rec.reply_ok[reply_token] = arrived
        rec.answered(arrived)
        record("reply", 200)
        return answer(200, sent(body.get("messages")))

    def repeated(request: web.Request, kind: str) -> web.Response | None:
        key = request.headers.get("X-Line-Retry-Key")
        if not key:
            return None
        accepted = rec.retry_keys.get(key)
        if accepted is None:
            return None
        record(kind, 409)
        return answer(409, {"message": "The retry key is already accepted", "sentMessages": []},
                      **{"x-line-accepted-request-id": accepted})

    async def push(request: web.Request) -> web.Response:
        body = request["body"]
        again = repeated(request, "push")
        if again is not None:
            return again
        to = body.get("to")
        if not isinstance(to, str) or not to:
            record("push", 400)
            return answer(400, {"message": "The request body has 1 error(s)"})
        response = answer(200, sent(body.get("messages")))
        if request.headers.get("X-Line-Retry-Key"):
            rec.retry_keys[request.headers["X-Line-Retry-Key"]] = response.headers["x-line-request-id"]
        rec.push_ok[to].append(request["arrived"])
        rec.answered(request["arrived"])
        record("push", 200)
        return response

    async def multicast(request: web.Request) -> web.Response:
        again = repeated(request, "multicast")
        if again is not None:
            return again
        to = request["body"].get("to")
        response = answer(200, {})
        if request.headers.get("X-Line-Retry-Key"):
            rec.retry_keys[request.headers["X-Line-Retry-Key"]] = response.headers["x-line-request-id"]
        rec.multicast_recipients += len(to) if isinstance(to, list) else 0
        record("multicast", 200)
        return response

    async def loading(request: web.Request) -> web.Response:
        rec.loading[str(request["body"].get("chatId"))] += 1
        record("loading", 202)
        return answer(202, {})

    async def quota(request: web.Request) -> web.Response:
        record("quota", 200)
        return answer(200, {"type": "none"})

    async def consumption(request: web.Request) -> web.Response:
        record("quota", 200)
        return answer(200, {"totalUsage": 0})

    async def profile(request: web.Request) -> web.Response:
        user_id = request.match_info["user_id"]
        if not profiles:
            record("profile", 404)
            return answer(404, {"message": "Not found"})
        record("profile", 200)
        return answer(200, {"userId": user_id, "displayName": "ผู้ใช้ทดสอบ", "language": "th"})

    async def other(request: web.Request) -> web.Response:
        rec.other[f"{request.method} {request.path}"] += 1
        record("other", 404)
        return answer(404, {"message": "Not found"})

    async def health(request: web.Request) -> web.Response:
        return web.json_response({"status": "ok", "pid": os.getpid()})

    async def progress(request: web.Request) -> web.Response:
        return web.json_response(rec.progress())

    async def stats(request: web.Request) -> web.Response:
        return web.json_response(rec.stats())

    async def reset(request: web.Request) -> web.Response:
        rec.reset()
        return web.json_response({"status": "reset"})

    app = web.Application(middlewares=[line_api], client_max_size=8 * 1024 * 1024)
    app.router.add_post("/v2/bot/message/reply", reply)
    app.router.add_post("/v2/bot/message/push", push)
    app.router.add_post("/v2/bot/message/multicast", multicast)
    app.router.add_post("/v2/bot/chat/loading/start", loading)
    app.router.add_get("/v2/bot/message/quota", quota)
    app.router.add_get("/v2/bot/message/quota/consumption", consumption)
    app.router.add_get("/v2/bot/profile/{user_id}", profile)
    app.router.add_get("/_control/health", health)
    app.router.add_get("/_control/progress", progress)
    app.router.add_get("/_control/stats", stats)
    app.router.add_post("/_control/reset", reset)
    app.router.add_route("*", "/{tail:.*}", other)
    return app


def serve(host: str, port: int, token: str, latency: float, ttl: float, profiles: bool) -> None:
    """Serves until SIGTERM or SIGINT."""
    from aiohttp import web

    async def main() -> None:
        runner = web.AppRunner(create_app(token, latency, ttl, profiles), access_log=None, handle_signals=False)
        await runner.setup()
        site = web.TCPSite(runner, host, port, backlog=1024, reuse_address=True)
        await site.start()
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)
        print(f"LINE stand-in listening on http://{host}:{port} (latency {latency * 1000:.0f} ms)", flush=True)
        await stop.wait()
        await runner.cleanup()

    asyncio.run(main())


# --- for the benchmarks: run it as a child process --------------------------------------------------------------

def match_answers(events: Sequence[tuple[str, str | None]], stats: dict[str, Any]) -> list[tuple[str, float] | None]:
    """Each event's answer as ("reply" | "push", when it reached the stand-in), or None if it has none.

    `events` are (user id, reply token) in the order they were sent. An event is answered by an accepted reply with
    its token; otherwise by a push to its user: a user's pushes answer that user's remaining events in order (the
    bot handles one user's events in order). Pushes beyond that are not counted as answers.
    """
    reply_ok: dict[str, float] = stats.get("reply_ok", {})
    pushes = {user: sorted(times) for user, times in stats.get("push_ok", {}).items()}
    used: Counter[str] = Counter()
    answers: list[tuple[str, float] | None] = []
    for user, token in events:
        if token and token in reply_ok:
            answers.append(("reply", reply_ok[token]))
            continue
        mine = pushes.get(user, [])
        if used[user] < len(mine):
            answers.append(("push", mine[used[user]]))
            used[user] += 1
        else:
            answers.append(None)
    return answers


@dataclass
class StandIn:
    """A running stand-in process and how to read what it recorded."""

    base_url: str
    token: str
    latency: float
    process: subprocess.Popen

    def _get(self, path: str, method: str = "GET", timeout: float = 30.0) -> dict[str, Any]:
        request = urllib.request.Request(self.base_url + path, method=method, data=b"" if method == "POST" else None)
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read())

    def progress(self) -> dict[str, Any]:
        """Counts only (cheap enough to poll several times a second)."""
        return self._get("/_control/progress")

    def stats(self) -> dict[str, Any]:
        """Everything recorded: per-token first accepted reply times, accepted push times per user."""
        return self._get("/_control/stats", timeout=120)

    def reset(self) -> None:
        self._get("/_control/reset", method="POST")


@contextlib.contextmanager
def run_standin(token: str, latency: float, *, ttl: float = REPLY_TOKEN_TTL, profiles: bool = True,
                log_path: Path | None = None) -> Iterator[StandIn]:
    """Starts the stand-in in its own process (own session, so the whole group is stopped), yields it, stops it."""
    from bench.common import PYTHON, ROOT, free_port, stop_process, wait_http

    port = free_port()
    command = [PYTHON, str(ROOT / "bench" / "line_standin.py"), "--port", str(port), "--token", token,
               "--latency", str(latency), "--ttl", str(ttl)]
    if not profiles:
        command.append("--no-profiles")
    log = open(log_path, "wb") if log_path else subprocess.DEVNULL  # noqa: SIM115 - closed below
    try:
        process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    finally:
        if log_path:
            log.close()  # type: ignore[union-attr]
    try:
        base = f"http://127.0.0.1:{port}"
        wait_http(base + "/_control/health", timeout=60, process=process)
        yield StandIn(base, token, latency, process)
    finally:
        stop_process(process)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8123)
    parser.add_argument("--token", default="bench-access-token", help="the channel access token it accepts")
    parser.add_argument("--latency", type=float, default=0.1, help="seconds before each answer (default 0.1)")
    parser.add_argument("--ttl", type=float, default=REPLY_TOKEN_TTL, help="reply token lifetime in seconds")
    parser.add_argument("--no-profiles", action="store_true", help="GET /v2/bot/profile answers 404")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    serve(args.host, args.port, args.token, args.latency, args.ttl, not args.no_profiles)
    return 0


if __name__ == "__main__":
    if __package__ in (None, ""):  # run as a script: make the project importable
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    sys.exit(main())
