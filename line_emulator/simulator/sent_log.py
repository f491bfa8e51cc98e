"""What each simulated user sent (the other half of the chat; the emulator store holds what the bot delivered), kept
bounded in memory and, with an archive, across restarts."""

from __future__ import annotations

import itertools
import threading
import time
from collections import OrderedDict, deque
from typing import Any

USER_LOG_LIMIT = 500  # messages a user "sent", kept per user
UPLOAD_LIMIT = 64  # user photos kept in memory for display, oldest dropped first


class SentLog:
    """What each simulated user sent, in memory and bounded, so the chat can show both sides in order.

    Each entry remembers the store's delivery sequence number at the time it was sent (`after_seq`): the
    timeline sorts it after every delivery up to that number and before any later one.
    """

    def __init__(self, per_user: int = USER_LOG_LIMIT, uploads: int = UPLOAD_LIMIT, archive: Any = None) -> None:
        self._lock = threading.Lock()
        self._archive = archive  # line_emulator.archive.ChatArchive, or None: in memory only
        self._counter = itertools.count((archive.last_number() if archive is not None else 0) + 1)
        self._entries: dict[str, deque[dict]] = {}
        self._per_user = per_user
        self._uploads: OrderedDict[str, tuple[bytes, str]] = OrderedDict()
        self._upload_limit = uploads
        self._blocked: set[str] = set()
        self._switched: dict[str, tuple[str, str | None]] = {}
        if archive is not None:
            for user_id, items in archive.sent().items():
                self._entries[user_id] = deque(items, maxlen=per_user)
            self._blocked = {profile["userId"] for profile, _following, blocked in archive.users() if blocked}

    def add(self, user_id: str, message: dict, after_seq: int) -> dict:
        """Records one message the user sent and returns it as a timeline item."""
        with self._lock:
            n = next(self._counter)
            item = {
                "id": f"u{n}",
                "n": n,
                "from": "user",
                "key": [after_seq, 1, n],
                "at": time.time(),
                "message": message,
                "status": "sending",
            }
            self._entries.setdefault(user_id, deque(maxlen=self._per_user)).append(item)
            if self._archive is not None:
                self._archive.save_sent(user_id, item)
            return item

    def set_status(self, item: dict, status: str, error: str | None = None, user_id: str | None = None) -> None:
        """Marks an entry as delivered to the webhook ("sent") or not ("failed")."""
        with self._lock:
            item["status"] = status
            if error:
                item["error"] = error
            if self._archive is not None and user_id is not None:
                self._archive.save_sent(user_id, item)

    def since(self, user_id: str, n: int) -> list[dict]:
        """Entries of one user numbered above `n` (copies, safe to serialise)."""
        with self._lock:
            return [dict(e) for e in self._entries.get(user_id, ()) if e["n"] > n]

    def add_upload(self, data: bytes, content_type: str) -> str:
        """Keeps a photo the user sent so the page can show it; returns its id."""
        with self._lock:
            n = next(self._counter)
            upload_id = f"p{n}"
            if self._archive is not None:
                self._archive.save_upload(n, upload_id, data, content_type)
                return upload_id
            self._uploads[upload_id] = (data, content_type)
            while len(self._uploads) > self._upload_limit:
                self._uploads.popitem(last=False)
            return upload_id

    def upload(self, upload_id: str) -> tuple[bytes, str] | None:
        if self._archive is not None:
            return self._archive.upload(upload_id)
        with self._lock:
            return self._uploads.get(upload_id)

    def switch_menu(self, user_id: str, rich_menu_id: str, base: str | None) -> None:
        """Remembers a richmenuswitch tap; it holds until the bot links another menu (`base` changes)."""
        with self._lock:
            self._switched[user_id] = (rich_menu_id, base)

    def switched_menu(self, user_id: str, base: str | None) -> str | None:
        with self._lock:
            found = self._switched.get(user_id)
            if found is None or found[1] != base:
                self._switched.pop(user_id, None)
                return None
            return found[0]

    def blocked(self, user_id: str) -> bool:
        with self._lock:
            return user_id in self._blocked

    def set_blocked(self, user_id: str, blocked: bool) -> None:
        with self._lock:
            (self._blocked.add if blocked else self._blocked.discard)(user_id)
            if self._archive is not None:
                self._archive.set_blocked(user_id, blocked)
