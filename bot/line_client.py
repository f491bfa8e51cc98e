"""The LINE Messaging API through line-bot-sdk v3, on configurable base URLs, always with a timeout."""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass, field
from typing import Any

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


class LineClient:
    """Thin, thread-safe wrapper: one urllib3 pool shared by all threads, a timeout on every call."""

    def __init__(self, access_token: str, base_url: str = "https://api.line.me",
                 data_base_url: str = "https://api-data.line.me", timeout: float = 10.0, pool_size: int = 16) -> None:
        self.timeout = (min(5.0, timeout), timeout)
        self._api = MessagingApi(self._client(base_url, access_token, pool_size))
        self._blob = MessagingApiBlob(self._client(data_base_url, access_token, pool_size))
        self._lock = threading.Lock()

    @staticmethod
    def _client(host: str, token: str, pool_size: int) -> ApiClient:
        configuration = Configuration(host=host.rstrip("/"), access_token=token)
        configuration.connection_pool_maxsize = pool_size
        configuration.retries = False  # retries are the dispatcher's job: it keeps the retry key
        return ApiClient(configuration)

    def send(self, kind: str, body: dict, retry_key: str | None = None) -> SendResult:
        """Sends one reply/push/multicast/broadcast/narrowcast request and reports what happened.

        The outbox already holds LINE's JSON, so it goes through the SDK's ApiClient as it is (same auth,
        transport, timeouts and error mapping as MessagingApi) instead of being parsed into pydantic models and
        serialised again — that round trip was over half the dispatcher's CPU in the fan-out benchmark.
        `check_body` (used by tests) still proves every body parses as the SDK's request model.
        """
        headers = {"Accept": "application/json", "Content-Type": "application/json"}
        if kind != "reply" and retry_key:
            headers["X-Line-Retry-Key"] = retry_key
        try:
            response = self._api.api_client.call_api(
                _PATHS[kind], "POST", {}, [], headers, body=body, post_params=[], files={},
                response_types_map={}, auth_settings=["Bearer"], _return_http_data_only=False,
                _preload_content=False, _request_timeout=self.timeout, collection_formats={})
        except ApiException as exc:
            return _from_exception(exc)
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            return SendResult(status=None, error={"message": type(exc).__name__})
        headers_in = {k.lower(): v for k, v in (response.headers or {}).items()}
        return SendResult(status=response.status_code, request_id=headers_in.get("x-line-request-id"))

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


def _from_exception(exc: ApiException) -> SendResult:
    headers = {str(k).lower(): v for k, v in (exc.headers or {}).items()}
    error: dict[str, Any] = {}
    if exc.body:
        try:
            error = json.loads(exc.body)
        except (ValueError, TypeError):
            error = {"message": str(exc.body)[:500]}
    retry_after = None
    if headers.get("retry-after"):
        try:
            retry_after = float(headers["retry-after"])
        except ValueError:
            retry_after = None
    return SendResult(status=exc.status, request_id=headers.get("x-line-request-id"),
                      accepted_request_id=headers.get("x-line-accepted-request-id"), retry_after=retry_after,
                      error=error if isinstance(error, dict) else {"message": str(error)})
