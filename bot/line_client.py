"""The LINE Messaging API through line-bot-sdk v3, on configurable base URLs, always with a timeout."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import urllib3
from linebot.v3.messaging import (
    ApiClient,
    ApiException,
    BroadcastRequest,
    Configuration,
    MessagingApi,
    MessagingApiBlob,
    MulticastRequest,
    NarrowcastRequest,
    PushMessageRequest,
    ReplyMessageRequest,
    RichMenuRequest,
    ShowLoadingAnimationRequest,
)

log = logging.getLogger(__name__)

_PATHS = {
    "reply": "/v2/bot/message/reply",
    "push": "/v2/bot/message/push",
    "multicast": "/v2/bot/message/multicast",
    "broadcast": "/v2/bot/message/broadcast",
    "narrowcast": "/v2/bot/message/narrowcast",
}

_REQUESTS = {
    "reply": ReplyMessageRequest,
    "push": PushMessageRequest,
    "multicast": MulticastRequest,
    "broadcast": BroadcastRequest,
    "narrowcast": NarrowcastRequest,
}


@dataclass
class SendResult:
    """What LINE answered. `status` is None when no answer came (timeout, connection refused)."""

    status: int | None
    request_id: str | None = None
    accepted_request_id: str | None = None
    retry_after: float | None = None
    error: dict[str, Any] = field(default_factory=dict)

    @property
    def delivered(self) -> bool:
        # 409 with x-line-accepted-request-id: an earlier try with this retry key was accepted.
        return self.status is not None and (200 <= self.status < 300 or (self.status == 409 and bool(self.accepted_request_id)))


@dataclass
class OutgoingRequest:
    """A message request to start without waiting: `done(result)` gets LINE's answer; `delay`, if given, is
    polled until it returns 0 (a rate limiter's wait) before the request goes out."""

    kind: str
    body: dict
    retry_key: str | None
    done: Callable[[SendResult], None]
    delay: Callable[[], float] | None = None


class MessageSender:
    """Sends LINE's message requests on aiohttp, from one event-loop thread, many at once.

    A request to LINE mostly waits on the network, so throughput needs many requests in flight. Threads blocking
    in urllib3 cost about 0.7 ms of CPU per request at a hundred in flight (the GIL passed between threads on
    every socket event); here it is about 0.25 ms, one thread keeps any number in flight, and 1,000 requests a
    second at 100 ms each is 100 coroutines. aiohttp is line-bot-sdk's own HTTP client; the SDK's async wrapper
    around it was not used because it looks up proxy settings and .netrc on every request (trust_env) and costs
    about as much as urllib3 (docs/BENCHMARKS.md). The bodies are the JSON the outbox already holds; tests check
    each one against the SDK's request models (`LineClient.check_body`) and the emulator against LINE's OpenAPI.
    """

    def __init__(self, access_token: str, base_url: str, timeout: float, concurrency: int) -> None:
        self.base_url = base_url.rstrip("/")
        self.headers = {"Authorization": f"Bearer {access_token}", "Content-Type": "application/json",
                        "Accept": "application/json"}
        self.timeout = timeout
        self.concurrency = concurrency
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._session: aiohttp.ClientSession | None = None
        self._pid: int | None = None
        self._tasks: set[asyncio.Future] = set()

    def _running_loop(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            # A process forked after the first send (e.g. a gunicorn worker) needs a loop thread of its own.
            if self._loop is None or self._pid != os.getpid():
                loop = asyncio.new_event_loop()

                def run(loop: asyncio.AbstractEventLoop = loop) -> None:
                    loop.run_forever()
                    loop.close()

                thread = threading.Thread(target=run, name="line-sender", daemon=True)
                thread.start()
                self._loop, self._pid, self._session = loop, os.getpid(), None
            return self._loop

    def _client_session(self) -> aiohttp.ClientSession:
        # Made inside the loop thread: aiohttp binds a session to the loop it was made in.
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self.concurrency, limit_per_host=self.concurrency,
                                             ttl_dns_cache=300)
            timeout = aiohttp.ClientTimeout(total=self.timeout, connect=min(5.0, self.timeout))
            self._session = aiohttp.ClientSession(connector=connector, timeout=timeout, headers=self.headers)
        return self._session

    async def _post(self, kind: str, body: dict, retry_key: str | None, delay: Callable[[], float] | None) -> SendResult:
        if delay is not None:
            while (wait := delay()) > 0:  # a rate limit: wait here, not in a thread
                await asyncio.sleep(min(wait, 0.05))
        headers = {"X-Line-Retry-Key": retry_key} if kind != "reply" and retry_key else None
        data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
        try:
            async with self._client_session().post(self.base_url + _PATHS[kind], data=data, headers=headers) as r:
                raw = await r.read()
                return _result(r.status, r.headers, raw)
        except (TimeoutError, aiohttp.ClientError, OSError) as exc:
            return SendResult(status=None, error={"message": type(exc).__name__})

    def close(self) -> None:
        """Closes the connections and stops the loop thread (a later send starts them again)."""
        with self._lock:
            loop, self._loop = self._loop, None
        if loop is None or self._pid != os.getpid():
            return

        async def shut() -> None:
            if self._session is not None:
                await self._session.close()
            self._session = None

        try:
            asyncio.run_coroutine_threadsafe(shut(), loop).result(5)
        except Exception:  # noqa: BLE001 - closing is best effort
            log.debug("closing the sender's session failed", exc_info=True)
        loop.call_soon_threadsafe(loop.stop)

    def send(self, kind: str, body: dict, retry_key: str | None = None) -> SendResult:
        """Sends one request and waits for LINE's answer."""
        future = asyncio.run_coroutine_threadsafe(self._post(kind, body, retry_key, None), self._running_loop())
        return future.result(self.timeout + 5)

    def send_many_async(self, requests: list[OutgoingRequest]) -> None:
        """Starts sending and returns at once; each request's `done(result)` is called in the sender thread with
        LINE's answer. A batch wakes the event loop once."""
        async def one(request: OutgoingRequest) -> None:
            try:
                result = await self._post(request.kind, request.body, request.retry_key, request.delay)
            except Exception as exc:  # noqa: BLE001 - never lose the callback: the row would wait for its lease
                log.exception("sending %s failed", request.kind)
                result = SendResult(status=400, error={"message": f"client refused the request: {type(exc).__name__}"})
            request.done(result)

        async def start() -> None:
            for request in requests:
                task = asyncio.ensure_future(one(request))
                self._tasks.add(task)  # the loop keeps only weak references to tasks
                task.add_done_callback(self._tasks.discard)

        asyncio.run_coroutine_threadsafe(start(), self._running_loop())


def _result(status: int, headers: Any, raw: bytes) -> SendResult:
    error: dict[str, Any] = {}
    if not 200 <= status < 300 and raw:
        try:
            parsed = json.loads(raw)
            error = parsed if isinstance(parsed, dict) else {"message": str(parsed)[:500]}
        except ValueError:
            error = {"message": raw[:500].decode("utf-8", "replace")}
    retry_after = None
    if headers.get("retry-after"):
        try:
            retry_after = float(headers["retry-after"])
        except ValueError:
            retry_after = None
    return SendResult(status=status, request_id=headers.get("x-line-request-id"),
                      accepted_request_id=headers.get("x-line-accepted-request-id"), retry_after=retry_after,
                      error=error)


class LineClient:
    """Thin, thread-safe wrapper: messages go out through MessageSender; everything else through line-bot-sdk v3's
    MessagingApi on one urllib3 pool; a timeout on every call."""

    def __init__(self, access_token: str, base_url: str = "https://api.line.me",
                 data_base_url: str = "https://api-data.line.me", timeout: float = 10.0, pool_size: int = 16) -> None:
        self.timeout = (min(5.0, timeout), timeout)
        self._api = MessagingApi(self._client(base_url, access_token, 16))
        self._blob = MessagingApiBlob(self._client(data_base_url, access_token, 16))
        self.messages = MessageSender(access_token, base_url, timeout, max(1, pool_size))
        self._lock = threading.Lock()

    @staticmethod
    def _client(host: str, token: str, pool_size: int) -> ApiClient:
        configuration = Configuration(host=host.rstrip("/"), access_token=token)
        configuration.connection_pool_maxsize = pool_size
        configuration.retries = False  # retries are the dispatcher's job: it keeps the retry key
        return ApiClient(configuration)

    def close(self) -> None:
        self.messages.close()

    def send(self, kind: str, body: dict, retry_key: str | None = None) -> SendResult:
        """Sends one reply/push/multicast/broadcast/narrowcast request and reports what happened."""
        return self.messages.send(kind, body, retry_key)

    def send_many_async(self, requests: list[OutgoingRequest]) -> None:
        """Like `send`, without waiting (see MessageSender.send_many_async)."""
        self.messages.send_many_async(requests)

    @staticmethod
    def check_body(kind: str, body: dict) -> None:
        """Raises if the SDK's own request model refuses the body (tests call this for every body sent)."""
        _REQUESTS[kind].from_dict(body)

    def get_message_content(self, message_id: str, max_bytes: int | None = None) -> bytes:
        """Downloads what a user sent (photos) from the data API, streamed in chunks.

        With `max_bytes`, reading stops as soon as the body is longer: only its first max_bytes + 1 bytes come
        back, which the caller's own size rule refuses, and no more than that is ever held or read.
        The SDK's get_message_content_with_http_info reads the whole body even with _preload_content=False
        (its ApiResponse.raw_data is urllib3's `.data`), so the request goes one level down through the same
        ApiClient: same transport, pool, auth, timeout, and ApiException for a non-2xx answer.
        """
        from urllib.parse import quote

        client = self._blob.api_client
        path = f"/v2/bot/message/{quote(message_id, safe='')}/content"
        headers = {**client.default_headers, "Accept": "*/*"}
        client.update_params_for_auth(headers, [], ["Bearer"], path, "GET", None)
        response = client.request("GET", client.configuration.host + path, headers=headers,
                                  _preload_content=False, _request_timeout=self.timeout)
        return self._read_capped(response, None if max_bytes is None else max_bytes + 1)

    @staticmethod
    def _read_capped(response: urllib3.BaseHTTPResponse, limit: int | None, chunk: int = 64 * 1024) -> bytes:
        """Reads a streamed body up to `limit` bytes; a connection left mid-body is closed, never pooled."""
        import io

        body = io.BytesIO()  # getvalue() hands over its buffer: no second copy of the photo
        finished = False
        try:
            while limit is None or body.tell() < limit:
                data = response.read(chunk if limit is None else min(chunk, limit - body.tell()))
                if not data:
                    finished = True
                    break
                body.write(data)
        finally:
            if not finished:
                response.close()
            response.release_conn()
        return body.getvalue()

    def get_profile(self, user_id: str) -> dict | None:
        try:
            profile = self._api.get_profile(user_id, _request_timeout=self.timeout)
        except ApiException as exc:
            if exc.status == 404:
                return None
            raise
        return profile.to_dict()

    def show_loading(self, chat_id: str, seconds: int = 5) -> None:
        seconds = max(5, min(60, (seconds + 4) // 5 * 5))
        self._api.show_loading_animation(ShowLoadingAnimationRequest(chatId=chat_id, loadingSeconds=seconds),
                                         _request_timeout=self.timeout)

    def quota(self) -> tuple[int | None, int]:
        """Returns (monthly limit or None for unlimited, used this month)."""
        quota = self._api.get_message_quota(_request_timeout=self.timeout)
        used = self._api.get_message_quota_consumption(_request_timeout=self.timeout)
        limit = quota.value if quota.type == "limited" else None
        return limit, used.total_usage

    # Rich menus (used by the rich menu command)
    def create_rich_menu(self, rich_menu: dict) -> str:
        return self._api.create_rich_menu(RichMenuRequest.from_dict(rich_menu), _request_timeout=self.timeout).rich_menu_id

    def upload_rich_menu_image(self, rich_menu_id: str, data: bytes, content_type: str) -> None:
        self._blob.set_rich_menu_image(rich_menu_id, bytes(data), _headers={"Content-Type": content_type},
                                       _request_timeout=self.timeout)

    def set_default_rich_menu(self, rich_menu_id: str) -> None:
        self._api.set_default_rich_menu(rich_menu_id, _request_timeout=self.timeout)

    def link_rich_menu(self, user_id: str, rich_menu_id: str) -> None:
        self._api.link_rich_menu_id_to_user(user_id, rich_menu_id, _request_timeout=self.timeout)

    def unlink_rich_menu(self, user_id: str) -> None:
        self._api.unlink_rich_menu_id_from_user(user_id, _request_timeout=self.timeout)

    def list_rich_menus(self) -> list[dict]:
        return [m.to_dict() for m in self._api.get_rich_menu_list(_request_timeout=self.timeout).richmenus]

    def delete_rich_menu(self, rich_menu_id: str) -> None:
        self._api.delete_rich_menu(rich_menu_id, _request_timeout=self.timeout)
