"""The Graph API calls that post to the province's Facebook Page, each answer sorted by what it means for a retry.

Facebook takes no retry key, so a timeout or a 5xx leaves it unknown whether the post was made: such an answer is
MAYBE, and services/channels.py searches the page for the post's marker before posting again. Only a 429 or an
error Facebook marks transient is a plain RETRY (nothing was made); any other 4xx is FATAL (a bad token, missing
permission) and keeps Facebook's `error.message` for staff. Never called inside a database transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import requests

POSTED, MAYBE, RETRY, FATAL = "posted", "maybe", "retry", "fatal"
# Graph error codes that mean "try later" even when not flagged is_transient: unknown/service errors and the rate
# limits (app, user, page, custom).
TRANSIENT_CODES = {1, 2, 4, 17, 32, 341, 613}
LOOKUP_PAGES = 5  # pages of 100 recent posts searched for a marker


@dataclass(frozen=True)
class Outcome:
    """What a publishing request came to."""

    kind: str  # POSTED | MAYBE | RETRY | FATAL
    post_id: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class FoundPost:
    post_id: str
    permalink: str | None


class GraphUnavailable(Exception):
    """A read (search or permalink) got no usable answer; nothing was changed, try later."""


def _graph_error(response: requests.Response) -> tuple[str, int | None, bool]:
    """Facebook's error message, code and is_transient from an error answer (or the HTTP status as text)."""
    try:
        error = response.json().get("error") or {}
    except ValueError:
        error = {}
    if not isinstance(error, dict):
        error = {}
    message = str(error.get("message") or f"HTTP {response.status_code}")[:1000]
    code = error.get("code") if isinstance(error.get("code"), int) else None
    return message, code, bool(error.get("is_transient"))


def _network_error(exc: requests.RequestException) -> str:
    # Never str(exc): requests puts the URL in it, and the URL may carry the access token.
    return "timeout" if isinstance(exc, requests.Timeout) else f"network error ({type(exc).__name__})"


class GraphClient:
    """Posts to one Page. `base_url` includes the version (FACEBOOK_GRAPH_BASE_URL)."""

    def __init__(self, base_url: str, page_id: str, token: str, *, timeout: float = 20.0,
                 http: requests.Session | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.page_id = page_id
        self.token = token
        self.timeout = timeout
        self.http = http or requests.Session()

    def publish(self, message: str, link: str | None, photo_url: str | None) -> Outcome:
        """Posts a photo with a caption (`/photos`) when there is a photo, else text and link (`/feed`)."""
        if photo_url:
            path, data = "photos", {"url": photo_url, "caption": message}
        else:
            path, data = "feed", {"message": message, **({"link": link} if link else {})}
        try:
            response = self.http.post(f"{self.base_url}/{self.page_id}/{path}",
                                      data={**data, "access_token": self.token}, timeout=self.timeout)
        except requests.ConnectionError as exc:
            if isinstance(exc, requests.ConnectTimeout) or "NewConnectionError" in repr(exc.args):
                # The connection never opened: Facebook cannot have seen the request.
                return Outcome(RETRY, error=_network_error(exc))
            return Outcome(MAYBE, error=_network_error(exc))
        except requests.RequestException as exc:  # read timeouts and the like: it may have been applied
            return Outcome(MAYBE, error=_network_error(exc))
        if response.status_code >= 500:
            return Outcome(MAYBE, error=_graph_error(response)[0])
        if response.status_code >= 400:
            message, code, transient = _graph_error(response)
            if response.status_code == 429 or transient or code in TRANSIENT_CODES:
                return Outcome(RETRY, error=message)
            return Outcome(FATAL, error=message)
        try:
            body = response.json()
        except ValueError:
            return Outcome(MAYBE, error=f"HTTP {response.status_code}: not JSON")
        # /photos answers {"id": <photo>, "post_id": <page post>}; /feed answers {"id": <page post>}.
        post_id = body.get("post_id") or body.get("id") if isinstance(body, dict) else None
        if not post_id:
            return Outcome(MAYBE, error=f"HTTP {response.status_code}: no id")
        return Outcome(POSTED, post_id=str(post_id))

    def _get(self, url: str, params: dict[str, Any] | None) -> dict[str, Any]:
        try:
            response = self.http.get(url, params=params, timeout=self.timeout)
        except requests.RequestException as exc:
            raise GraphUnavailable(_network_error(exc)) from None
        if response.status_code >= 400:
            raise GraphUnavailable(_graph_error(response)[0])
        try:
            body = response.json()
        except ValueError:
            raise GraphUnavailable("not JSON") from None
        if not isinstance(body, dict):
            raise GraphUnavailable("not a JSON object")
        return body

    def find_marker(self, marker: str, since: datetime) -> FoundPost | None:
        """The page's post whose message carries `marker`, among posts since `since` (raises GraphUnavailable)."""
        url: str | None = f"{self.base_url}/{self.page_id}/posts"
        params: dict[str, Any] | None = {"fields": "id,message,permalink_url", "limit": 100,
                                         "since": int(since.timestamp()), "access_token": self.token}
        for _ in range(LOOKUP_PAGES):
            if url is None:
                break
            body = self._get(url, params)
            for post in body.get("data") or []:
                if isinstance(post, dict) and marker in str(post.get("message") or ""):
                    return FoundPost(str(post.get("id")), post.get("permalink_url"))
            # The next page's URL carries every parameter (the token too).
            url, params = (body.get("paging") or {}).get("next"), None
        return None

    def permalink(self, post_id: str) -> str | None:
        """The post's address on Facebook, or None when Facebook does not say now (it is only shown to staff)."""
        try:
            body = self._get(f"{self.base_url}/{post_id}", {"fields": "permalink_url", "access_token": self.token})
        except GraphUnavailable:
            return None
        value = body.get("permalink_url")
        return str(value)[:1000] if value else None
