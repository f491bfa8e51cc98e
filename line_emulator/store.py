"""The emulator's state: users, reply tokens, what the bot sent, faults, limits and rich menus.

One `EmulatorStore` is the local stand-in for a LINE channel. The chat simulator and the tests create
users and reply tokens here and read what the bot sent; `server.py` exposes it over LINE's HTTP API.
Everything is in memory behind one `threading.RLock`, bounded so that a benchmark can push hundreds of
thousands of deliveries through it: the oldest requests and deliveries are dropped first.

The methods under "server side" are what `server.py` calls to act as the LINE Platform; tests normally
go through HTTP instead.
"""

from __future__ import annotations

import fnmatch
import re
import secrets
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Delivery", "EmulatorStore", "Fault", "RecordedRequest", "SendResult"]

RETRY_KEY_TTL = 24 * 60 * 60.0
DEFAULT_RATE_LIMITS: dict[str, tuple[int, float]] = {
    "multicast": (200, 1.0),
    "push": (2000, 1.0),
    "reply": (2000, 1.0),
    "broadcast": (60, 3600.0),
    "narrowcast": (60, 3600.0),
    "loading": (100, 1.0),
}
QUOTABLE_TYPES = frozenset({"text", "textV2", "sticker", "image", "video"})
USER_ID_RE = re.compile(r"^U[0-9a-f]{32}$")
CHAT_ID_RE = re.compile(r"^[UCR][0-9a-f]{32}$")


@dataclass(slots=True)
class Delivery:
    """One message batch received by one user. `messages` is shared between the recipients of one
    multicast/broadcast: treat it as read-only."""

    seq: int
    user_id: str
    via: str  # 'reply' | 'push' | 'multicast' | 'broadcast' | 'narrowcast'
    messages: list[dict]
    at: float
    request_id: str


@dataclass
class RecordedRequest:
    """One HTTP request the emulator answered."""

    method: str
    path: str
    headers: dict[str, str]  # lower-cased names
    body: Any  # parsed JSON, or None (binary uploads: see body_size)
    status: int
    response: Any  # parsed JSON answer, or None for binary answers
    at: float
    body_size: int = 0


@dataclass
class Fault:
    """An injected failure (see `EmulatorStore.inject_fault`)."""

    pattern: str
    status: int | None
    times: int
    delay: float
    accept: bool
    body: dict | None
    headers: dict | None


@dataclass
class SendResult:
    """How the LINE Platform answers a sending request."""

    status: int
    body: dict
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class _Accepted:
    request_id: str
    body: dict
    expires_at: float


class EmulatorStore:
    """In-memory LINE channel: users, reply tokens, deliveries, requests, faults, limits, quota and rich menus."""

    MAX_REQUESTS = 20_000
    MAX_REQUEST_BYTES = 64 * 1024 * 1024
    MAX_DELIVERIES = 300_000
    MAX_DELIVERIES_PER_USER = 500
    MAX_CONTENTS = 1_000
    MAX_RETRY_KEYS = 200_000
    MAX_RICH_MENUS = 1_000

    def __init__(self, channel_access_token: str = "emulator-token", *, bot_user_id: str = "U" + "b" * 32,
                 basic_id: str = "@kkpao", display_name: str = "อบจ.ขอนแก่น", reply_token_ttl: float = 60.0,
                 clock: Callable[[], float] = time.time, rate_limits: bool = True,
                 quota_limit: int | None = None, archive: Any = None) -> None:
        self.channel_access_token = channel_access_token
        self.bot_user_id = bot_user_id
        self.basic_id = basic_id
        self.display_name = display_name
        self.reply_token_ttl = reply_token_ttl
        self.clock = clock
        self.quota_limit = quota_limit
        self._plan_quota_limit = quota_limit  # what reset() goes back to: a test may change the plan
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._users: dict[str, dict] = {}
        self._following: dict[str, bool] = {}
        self._reply_tokens: dict[str, list] = {}  # token -> [user_id, expires_at, used]
        self._contents: OrderedDict[str, tuple[bytes, str]] = OrderedDict()
        self._rate_limits: dict[str, tuple[int, float]] = dict(DEFAULT_RATE_LIMITS) if rate_limits else {}
        self._message_ids = int(time.time() * 1000) * 100_000
        self._seq = 0
        self._reset_state()
        # line_emulator.archive.ChatArchive (the embedded default): users and what they received survive a restart.
        self._archive = archive
        if archive is not None:
            self._restore(archive)

    def _restore(self, archive: Any) -> None:
        for profile, following, _blocked in archive.users():
            self._users[profile["userId"]] = profile
            self._following[profile["userId"]] = following
        for seq, user_id, via, messages, at, request_id in archive.deliveries():
            delivery = Delivery(seq, user_id, via, messages, at, request_id)
            self._deliveries.append(delivery)
            self._by_user.setdefault(user_id, []).append(delivery)
            self._seq = max(self._seq, seq)

    def close(self) -> None:
        """Closes the archive, if any (the store itself keeps working, in memory only)."""
        if self._archive is not None:
            self._archive.close()

    def _reset_state(self) -> None:
        self._deliveries: deque[Delivery] = deque()
        self._by_user: dict[str, list[Delivery]] = {}
        self._requests: deque[RecordedRequest] = deque()
        self._request_bytes = 0
        self._faults: list[Fault] = []
        self._retry_keys: dict[tuple[str, str], _Accepted] = {}
        self._rate_hits: dict[str, deque[float]] = {}
        self._consumption = 0
        self._narrowcasts: OrderedDict[str, dict] = OrderedDict()
        self._loading: dict[str, float] = {}
        self._rich_menus: dict[str, dict] = {}
        self._rich_menu_images: dict[str, tuple[bytes, str]] = {}
        self._user_rich_menus: dict[str, str] = {}
        self._aliases: dict[str, str] = {}
        self.default_rich_menu_id: str | None = None

    # --- users --------------------------------------------------------------------------------------------------

    def add_user(self, display_name: str, user_id: str | None = None, picture_url: str | None = None,
                 language: str = "th", *, following: bool = True) -> dict:
        """Adds (or updates) a LINE user and returns their profile in LINE's shape."""
        user_id = user_id or "U" + secrets.token_hex(16)
        profile: dict[str, Any] = {"userId": user_id, "displayName": display_name}
        if picture_url:
            profile["pictureUrl"] = picture_url
        profile["language"] = language
        with self._lock:
            self._users[user_id] = profile
            self._following[user_id] = following
            if self._archive is not None:
                self._archive.save_user(profile, following)
        return dict(profile)

    def get_user(self, user_id: str) -> dict | None:
        """Returns the user's profile, or None for an unknown user."""
        with self._lock:
            profile = self._users.get(user_id)
            return dict(profile) if profile else None

    def list_users(self) -> list[dict]:
        """Returns every user's profile plus `"following"`."""
        with self._lock:
            return [dict(profile, following=self._following.get(uid, False)) for uid, profile in self._users.items()]

    def set_following(self, user_id: str, following: bool) -> None:
        """Marks a user as a friend (follow) or as having blocked the account (unfollow)."""
        with self._lock:
            if user_id not in self._users:
                raise KeyError(f"unknown user {user_id}")
            self._following[user_id] = following
            if self._archive is not None:
                self._archive.set_following(user_id, following)

    def is_following(self, user_id: str) -> bool:
        """True if the user is known and currently a friend of the account."""
        with self._lock:
            return self._following.get(user_id, False)

    def followers(self) -> list[str]:
        """Returns the ids of users who are currently friends, in the order they were added."""
        with self._lock:
            return [uid for uid, following in self._following.items() if following]

    def _receives(self, user_id: str) -> bool:
        # Ids unknown to the store receive (benchmarks multicast to made-up ids); blocked users don't.
        return self._following.get(user_id, True)

    # --- inbound helpers ----------------------------------------------------------------------------------------

    def issue_reply_token(self, user_id: str) -> str:
        """Returns a reply token for an event from `user_id`: single use, valid `reply_token_ttl` seconds."""
        token = secrets.token_hex(16)
        with self._lock:
            now = self.clock()
            if len(self._reply_tokens) > 10_000:
                self._reply_tokens = {t: v for t, v in self._reply_tokens.items() if not v[2] and v[1] > now}
            self._reply_tokens[token] = [user_id, now + self.reply_token_ttl, False]
        return token

    def add_content(self, data: bytes, content_type: str) -> str:
        """Stores bytes a user sent (image, audio, ...) and returns the message id to fetch them with."""
        with self._lock:
            message_id = self._next_message_id()
            self._contents[message_id] = (bytes(data), content_type)
            while len(self._contents) > self.MAX_CONTENTS:
                self._contents.popitem(last=False)
        return message_id

    def content(self, message_id: str) -> tuple[bytes, str] | None:
        """Returns (bytes, content type) of a message's content, or None."""
        with self._lock:
            return self._contents.get(message_id)

    # --- what the bot sent --------------------------------------------------------------------------------------

    def deliveries(self, user_id: str | None = None, since: int = 0) -> list[Delivery]:
        """Returns deliveries with seq > `since`, oldest first, for one user or everyone."""
        with self._lock:
            if user_id is not None:
                return [d for d in self._by_user.get(user_id, ()) if d.seq > since]
            found = []
            for delivery in reversed(self._deliveries):
                if delivery.seq <= since:
                    break
                found.append(delivery)
            found.reverse()
            return found

    def wait_for_deliveries(self, user_id: str, count: int, since: int = 0, timeout: float = 5.0) -> list[Delivery]:
        """Blocks until `user_id` has at least `count` deliveries with seq > `since` (or `timeout`); returns them."""
        def ready() -> bool:
            return sum(1 for d in self._by_user.get(user_id, ()) if d.seq > since) >= count

        with self._changed:
            self._changed.wait_for(ready, timeout=timeout)
            return self.deliveries(user_id, since)

    def last_seq(self) -> int:
        """Returns the seq of the newest delivery (0 before any); pass it as `since` to see only what follows."""
        with self._lock:
            return self._seq

    def requests(self, path: str | None = None) -> list[RecordedRequest]:
        """Returns the recorded requests, oldest first; `path` is an fnmatch pattern ("/v2/bot/message/*")."""
        with self._lock:
            if path is None:
                return list(self._requests)
            return [r for r in self._requests if fnmatch.fnmatchcase(r.path, path)]

    def consumption(self) -> int:
        """Returns the messages counted against the monthly quota so far."""
        with self._lock:
            return self._consumption

    def loading_until(self, user_id: str) -> float | None:
        """Returns when the loading animation shown to `user_id` ends (clock time), or None if none is shown."""
        with self._lock:
            until = self._loading.get(user_id)
            if until is not None and until <= self.clock():
                del self._loading[user_id]
                return None
            return until

    # --- faults and limits --------------------------------------------------------------------------------------

    def inject_fault(self, path: str, status: int | None = 500, times: int = 1, delay: float = 0.0,
                     accept: bool = False, body: dict | None = None, headers: dict | None = None) -> None:
        """Makes the next `times` requests whose path fnmatches `path` fail.

        accept=False: nothing is processed; after `delay` seconds `status` is answered (with `body`, by default
        LINE's error body for that status: 429 -> {"message": "Too Many Requests"}). status=None with
        accept=False only adds latency before normal processing.
        accept=True: the request is processed normally (validated, delivered, retry key remembered), then the
        answer is held for `delay` seconds and replaced by `status` (None keeps the real answer). With a delay
        longer than the client's timeout this is "LINE accepted it but the client never heard".
        """
        with self._lock:
            self._faults.append(Fault(path, status, times, delay, accept, body, headers))

    def set_rate_limit(self, endpoint: str, limit: int, per_seconds: float) -> None:
        """Allows `limit` requests per `per_seconds` to an endpoint (reply, push, multicast, broadcast,
        narrowcast, loading); more are answered 429."""
        with self._lock:
            self._rate_limits[endpoint] = (limit, per_seconds)
            self._rate_hits.pop(endpoint, None)

    def reset(self) -> None:
        """Forgets deliveries, requests, faults, retry keys, rate windows, quota use and limit, loading, rich menus.

        Users, reply tokens and user content stay; `seq` keeps counting so `since` values stay meaningful.
        """
        with self._lock:
            self._reset_state()
            self.quota_limit = self._plan_quota_limit
            if self._archive is not None:
                self._archive.clear_deliveries()
            self._changed.notify_all()

    # --- rich menus (read side) ---------------------------------------------------------------------------------

    def rich_menus(self) -> dict[str, dict]:
        """Returns the rich menus by id (LINE's rich menu response objects)."""
        with self._lock:
            return {menu_id: dict(menu) for menu_id, menu in self._rich_menus.items()}

    def user_rich_menu(self, user_id: str) -> str | None:
        """Returns the id of the rich menu linked to this user individually (not the default), or None."""
        with self._lock:
            return self._user_rich_menus.get(user_id)

    def effective_rich_menu(self, user_id: str) -> str | None:
        """Returns the rich menu the user sees: their linked menu, else the default, else None."""
        with self._lock:
            return self._user_rich_menus.get(user_id) or self.default_rich_menu_id

    def rich_menu_image(self, rich_menu_id: str) -> tuple[bytes, str] | None:
        """Returns (bytes, content type) of the menu's image, or None."""
        with self._lock:
            return self._rich_menu_images.get(rich_menu_id)

    def rich_menu_aliases(self) -> dict[str, str]:
        """Returns rich menu alias id -> rich menu id."""
        with self._lock:
            return dict(self._aliases)

    # === server side ============================================================================================

    def record_request(self, record: RecordedRequest) -> None:
        """Keeps a request for `requests()`, dropping the oldest beyond MAX_REQUESTS / MAX_REQUEST_BYTES."""
        with self._lock:
            self._requests.append(record)
            self._request_bytes += record.body_size
            while self._requests and (len(self._requests) > self.MAX_REQUESTS
                                      or self._request_bytes > self.MAX_REQUEST_BYTES):
                self._request_bytes -= self._requests.popleft().body_size

    def take_fault(self, path: str) -> Fault | None:
        """Consumes one use of the first fault matching `path` and returns it."""
        with self._lock:
            for fault in self._faults:
                if fnmatch.fnmatchcase(path, fault.pattern):
                    fault.times -= 1
                    if fault.times <= 0:
                        self._faults.remove(fault)
                    return fault
            return None

    def allow(self, endpoint: str) -> bool:
        """Counts a request against the endpoint's rate limit; False means answer 429."""
        with self._lock:
            rule = self._rate_limits.get(endpoint)
            if rule is None:
                return True
            limit, per_seconds = rule
            now = self.clock()
            hits = self._rate_hits.setdefault(endpoint, deque())
            while hits and hits[0] <= now - per_seconds:
                hits.popleft()
            if len(hits) >= limit:
                return False
            hits.append(now)
            return True

    def knows_chat(self, chat_id: str) -> bool:
        """True if `chat_id` is a user of this store or at least shaped like a LINE user/group/room id."""
        with self._lock:
            return chat_id in self._users or bool(CHAT_ID_RE.match(chat_id))

    def knows_user(self, user_id: str) -> bool:
        """True if `user_id` is a user of this store or at least shaped like a LINE user id."""
        return not self.unknown_users([user_id])

    def unknown_users(self, user_ids: list[str]) -> list[int]:
        """Positions in `user_ids` of ids that are neither users of this store nor shaped like a LINE user id.

        One lock for a whole multicast: checking its 500 ids one call at a time was a fifth of the emulator's work.
        """
        match = USER_ID_RE.match
        with self._lock:
            users = self._users
            return [i for i, uid in enumerate(user_ids) if uid not in users and not match(uid)]

    def send(self, via: str, messages: list[dict], *, request_id: str, to: list[str] | None = None,
             reply_token: str | None = None, retry_key: str | None = None) -> SendResult:
        """Accepts a validated sending request: retry key, reply token, quota, deliveries, the answer."""
        with self._lock:
            now = self.clock()
            if retry_key is not None:
                accepted = self._retry_keys.get((via, retry_key))
                if accepted is not None and accepted.expires_at > now:
                    body = {"message": "The retry key is already accepted"}
                    if "sentMessages" in accepted.body:
                        body["sentMessages"] = accepted.body["sentMessages"]
                    return SendResult(409, body, {"x-line-accepted-request-id": accepted.request_id})
            if via == "reply":
                entry = self._reply_tokens.get(reply_token or "")
                if entry is None or entry[2] or entry[1] <= now:
                    return SendResult(400, {"message": "Invalid reply token"})
                entry[2] = True
                targets = [entry[0]]
            elif via in ("broadcast", "narrowcast"):
                targets = [uid for uid, following in self._following.items() if following]
            else:
                targets = list(dict.fromkeys(to or ()))
            receivers = [uid for uid in targets if self._receives(uid)]
            cost = 0 if via == "reply" else len(receivers)
            if self.quota_limit is not None and self._consumption + cost > self.quota_limit:
                return SendResult(429, {"message": "You have reached your monthly limit."})
            self._consumption += cost
            self._deliver(receivers, via, messages, now, request_id)
            if via in ("push", "reply"):
                sent = []
                for message in messages:
                    item = {"id": self._next_message_id()}
                    if isinstance(message, dict) and message.get("type") in QUOTABLE_TYPES:
                        item["quoteToken"] = secrets.token_urlsafe(48)
                    sent.append(item)
                result = SendResult(200, {"sentMessages": sent})
            elif via == "narrowcast":
                self._narrowcasts[request_id] = {
                    "phase": "succeeded", "successCount": len(receivers), "failureCount": 0,
                    "targetCount": len(receivers), "acceptedTime": _iso(now), "completedTime": _iso(now),
                }
                while len(self._narrowcasts) > 1_000:
                    self._narrowcasts.popitem(last=False)
                result = SendResult(202, {})
            else:
                result = SendResult(200, {})
            if retry_key is not None:
                self._remember_retry_key(via, retry_key, request_id, result.body, now)
            return result

    def _deliver(self, receivers: list[str], via: str, messages: list[dict], now: float, request_id: str) -> None:
        if not receivers:
            return
        per_user = self.MAX_DELIVERIES_PER_USER
        by_user = self._by_user
        append = self._deliveries.append
        loading = self._loading
        for user_id in receivers:
            self._seq += 1
            delivery = Delivery(self._seq, user_id, via, messages, now, request_id)
            append(delivery)
            mine = by_user.get(user_id)
            if mine is None:
                by_user[user_id] = [delivery]
            else:
                mine.append(delivery)
                if len(mine) > per_user:
                    del mine[0]
            if loading:
                loading.pop(user_id, None)  # a message ends the loading animation
        if self._archive is not None:  # only simulated users: benchmarks send to made-up ids by the thousand
            users = self._users
            first = self._seq - len(receivers) + 1
            self._archive.add_deliveries([(first + i, uid, via, messages, now, request_id)
                                          for i, uid in enumerate(receivers) if uid in users])
        while len(self._deliveries) > self.MAX_DELIVERIES:
            oldest = self._deliveries.popleft()
            mine = by_user.get(oldest.user_id)
            if mine and mine[0] is oldest:
                del mine[0]
                if not mine:
                    del by_user[oldest.user_id]
        self._changed.notify_all()

    def _remember_retry_key(self, via: str, key: str, request_id: str, body: dict, now: float) -> None:
        if len(self._retry_keys) >= self.MAX_RETRY_KEYS:
            self._retry_keys = {k: v for k, v in self._retry_keys.items() if v.expires_at > now}
            while len(self._retry_keys) >= self.MAX_RETRY_KEYS:
                del self._retry_keys[next(iter(self._retry_keys))]
        self._retry_keys[(via, key)] = _Accepted(request_id, body, now + RETRY_KEY_TTL)

    def _next_message_id(self) -> str:
        self._message_ids += 1
        return str(self._message_ids)

    def narrowcast_progress(self, request_id: str) -> dict | None:
        """Returns the progress object of an accepted narrowcast (always "succeeded": delivery is immediate)."""
        with self._lock:
            progress = self._narrowcasts.get(request_id)
            return dict(progress) if progress else None

    def start_loading(self, user_id: str, seconds: int) -> None:
        """Shows the loading animation to a user until `seconds` pass or a message arrives."""
        with self._lock:
            self._loading[user_id] = self.clock() + seconds

    # --- rich menus (server side) -------------------------------------------------------------------------------

    def create_rich_menu(self, menu: dict) -> str | None:
        """Stores a validated rich menu object and returns its new id (None if the channel has too many)."""
        with self._lock:
            if len(self._rich_menus) >= self.MAX_RICH_MENUS:
                return None
            menu_id = "richmenu-" + secrets.token_hex(16)
            self._rich_menus[menu_id] = {
                "richMenuId": menu_id,
                "size": menu["size"],
                "selected": menu["selected"],
                "name": menu["name"],
                "chatBarText": menu["chatBarText"],
                "areas": menu["areas"],
            }
            return menu_id

    def get_rich_menu(self, rich_menu_id: str) -> dict | None:
        """Returns one rich menu, or None."""
        with self._lock:
            menu = self._rich_menus.get(rich_menu_id)
            return dict(menu) if menu else None

    def delete_rich_menu(self, rich_menu_id: str) -> bool:
        """Deletes a rich menu with its image, links, default status and aliases; False if unknown."""
        with self._lock:
            if self._rich_menus.pop(rich_menu_id, None) is None:
                return False
            self._rich_menu_images.pop(rich_menu_id, None)
            if self.default_rich_menu_id == rich_menu_id:
                self.default_rich_menu_id = None
            for user_id in [u for u, m in self._user_rich_menus.items() if m == rich_menu_id]:
                del self._user_rich_menus[user_id]
            for alias in [a for a, m in self._aliases.items() if m == rich_menu_id]:
                del self._aliases[alias]
            return True

    def set_rich_menu_image(self, rich_menu_id: str, data: bytes, content_type: str) -> None:
        """Attaches an already checked image to a rich menu."""
        with self._lock:
            self._rich_menu_images[rich_menu_id] = (data, content_type)

    def set_default_rich_menu(self, rich_menu_id: str | None) -> None:
        """Sets (or with None cancels) the default rich menu."""
        with self._lock:
            self.default_rich_menu_id = rich_menu_id

    def link_rich_menu(self, user_id: str, rich_menu_id: str | None) -> None:
        """Links a rich menu to a user (None unlinks)."""
        with self._lock:
            if rich_menu_id is None:
                self._user_rich_menus.pop(user_id, None)
            else:
                self._user_rich_menus[user_id] = rich_menu_id

    def set_rich_menu_alias(self, alias_id: str, rich_menu_id: str | None) -> None:
        """Points an alias at a rich menu (None deletes the alias)."""
        with self._lock:
            if rich_menu_id is None:
                self._aliases.pop(alias_id, None)
            else:
                self._aliases[alias_id] = rich_menu_id


def _iso(timestamp: float) -> str:
    """Formats a clock time the way LINE does: 2020-12-03T10:15:30.121Z."""
    seconds = int(timestamp)
    millis = int(round((timestamp - seconds) * 1000)) % 1000
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + f".{millis:03d}Z"
