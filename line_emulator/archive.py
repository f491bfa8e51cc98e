"""Keeps the embedded default's simulated LINE users and their chats in a SQLite file, so a restart keeps them.

The emulator stands in for LINE, and LINE remembers its users and what they were sent: this file is that memory
(`instance/simulator.sqlite3`). It is not the app's database on purpose: production has no emulator, the app may
run on PostgreSQL, and the emulator's wire data has no place among the product's tables.

What is kept, each bounded: users (profile, friend or not, blocked), the messages each user received (the newest
`deliveries_per_user`), what each user sent through the simulator (the newest `sent_per_user`), and the photos
they sent (the newest `uploads`, at most `upload_bytes` in all). Rich menus are not kept: the app deploys them at
every start. Writes go straight to the file (WAL, synchronous=NORMAL: no fsync per message), one short
transaction per call, under the archive's own lock; after `close()` every call does nothing.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    user_id TEXT PRIMARY KEY, profile TEXT NOT NULL, following INTEGER NOT NULL, blocked INTEGER NOT NULL DEFAULT 0,
    position INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS deliveries (
    seq INTEGER NOT NULL, user_id TEXT NOT NULL, via TEXT NOT NULL, messages TEXT NOT NULL, at REAL NOT NULL,
    request_id TEXT NOT NULL, PRIMARY KEY (user_id, seq));
CREATE TABLE IF NOT EXISTS sent (
    n INTEGER PRIMARY KEY, user_id TEXT NOT NULL, item TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS ix_sent_user ON sent (user_id, n);
CREATE TABLE IF NOT EXISTS uploads (
    n INTEGER PRIMARY KEY, upload_id TEXT NOT NULL UNIQUE, content_type TEXT NOT NULL, data BLOB NOT NULL);
"""


class ChatArchive:
    """A SQLite file holding simulated users, their deliveries, what they sent and their photos."""

    def __init__(self, path: str | Path, *, deliveries_per_user: int = 500, sent_per_user: int = 500,
                 uploads: int = 64, upload_bytes: int = 64 * 1024 * 1024) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.deliveries_per_user = deliveries_per_user
        self.sent_per_user = sent_per_user
        self.upload_limit = uploads
        self.upload_bytes = upload_bytes
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = sqlite3.connect(str(self.path), check_same_thread=False,
                                                              isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        # Rows per user, so trimming to the bound costs a DELETE only now and then, not one per message.
        self._delivery_counts = dict(self._db.execute("SELECT user_id, count(*) FROM deliveries GROUP BY user_id"))
        self._sent_counts = dict(self._db.execute("SELECT user_id, count(*) FROM sent GROUP BY user_id"))

    # --- plumbing -----------------------------------------------------------------------------------------------

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    def _write(self, statements: Iterable[tuple[str, Any]]) -> None:
        """Runs (sql, params) pairs in one transaction; a failure is logged, never raised (it is a simulation)."""
        with self._lock:
            if self._db is None:
                return
            try:
                self._db.execute("BEGIN")
                for sql, params in statements:
                    if isinstance(params, list):
                        self._db.executemany(sql, params)
                    else:
                        self._db.execute(sql, params)
                self._db.execute("COMMIT")
            except sqlite3.Error:
                log.exception("simulator archive: write failed")
                try:
                    self._db.execute("ROLLBACK")
                except sqlite3.Error:
                    pass

    def _read(self, sql: str, params: tuple = ()) -> list[tuple]:
        with self._lock:
            if self._db is None:
                return []
            return self._db.execute(sql, params).fetchall()

    # --- users --------------------------------------------------------------------------------------------------

    def save_user(self, profile: dict, following: bool) -> None:
        self._write([(
            "INSERT INTO users (user_id, profile, following, position) VALUES (?, ?, ?, "
            "(SELECT coalesce(max(position), 0) + 1 FROM users)) "
            "ON CONFLICT (user_id) DO UPDATE SET profile = excluded.profile, following = excluded.following",
            (profile["userId"], json.dumps(profile, ensure_ascii=False), int(following)))])

    def set_following(self, user_id: str, following: bool) -> None:
        self._write([("UPDATE users SET following = ? WHERE user_id = ?", (int(following), user_id))])

    def set_blocked(self, user_id: str, blocked: bool) -> None:
        self._write([("UPDATE users SET blocked = ? WHERE user_id = ?", (int(blocked), user_id))])

    def users(self) -> list[tuple[dict, bool, bool]]:
        """(profile, following, blocked) of every user, in the order they were made."""
        rows = self._read("SELECT profile, following, blocked FROM users ORDER BY position")
        return [(json.loads(profile), bool(following), bool(blocked)) for profile, following, blocked in rows]

    # --- what users received ------------------------------------------------------------------------------------

    def add_deliveries(self, rows: list[tuple[int, str, str, list, float, str]]) -> None:
        """(seq, user_id, via, messages, at, request_id) rows: one message batch per recipient."""
        if not rows:
            return
        statements: list[tuple[str, Any]] = [(
            "INSERT OR REPLACE INTO deliveries (seq, user_id, via, messages, at, request_id) VALUES (?, ?, ?, ?, ?, ?)",
            [(seq, uid, via, json.dumps(messages, ensure_ascii=False), at, rid)
             for seq, uid, via, messages, at, rid in rows])]
        limit = self.deliveries_per_user
        for _, uid, *_rest in rows:
            count = self._delivery_counts.get(uid, 0) + 1
            if count > limit + max(10, limit // 10):
                statements.append(("DELETE FROM deliveries WHERE user_id = ? AND seq <= "
                                   "(SELECT seq FROM deliveries WHERE user_id = ? ORDER BY seq DESC LIMIT 1 OFFSET ?)",
                                   (uid, uid, limit)))
                count = limit
            self._delivery_counts[uid] = count
        self._write(statements)

    def deliveries(self) -> list[tuple[int, str, str, list, float, str]]:
        """Every kept delivery, oldest first, each user's newest `deliveries_per_user` only."""
        rows = self._read(
            "SELECT seq, user_id, via, messages, at, request_id FROM (SELECT *, row_number() OVER "
            "(PARTITION BY user_id ORDER BY seq DESC) AS k FROM deliveries) WHERE k <= ? ORDER BY seq",
            (self.deliveries_per_user,))
        return [(seq, uid, via, json.loads(messages), at, rid) for seq, uid, via, messages, at, rid in rows]

    def clear_deliveries(self) -> None:
        self._delivery_counts.clear()
        self._write([("DELETE FROM deliveries", ())])

    # --- what users sent (the simulator's side) -----------------------------------------------------------------

    def save_sent(self, user_id: str, item: dict) -> None:
        """Adds or updates one message a user sent (`item["n"]` identifies it)."""
        statements: list[tuple[str, Any]] = [(
            "INSERT INTO sent (n, user_id, item) VALUES (?, ?, ?) ON CONFLICT (n) DO UPDATE SET item = excluded.item",
            (item["n"], user_id, json.dumps(item, ensure_ascii=False)))]
        with self._lock:
            known = self._db is not None and self._db.execute("SELECT 1 FROM sent WHERE n = ?", (item["n"],)).fetchone()
        if not known:
            count = self._sent_counts.get(user_id, 0) + 1
            limit = self.sent_per_user
            if count > limit + max(10, limit // 10):
                statements.append(("DELETE FROM sent WHERE user_id = ? AND n <= "
                                   "(SELECT n FROM sent WHERE user_id = ? ORDER BY n DESC LIMIT 1 OFFSET ?)",
                                   (user_id, user_id, limit)))
                count = limit
            self._sent_counts[user_id] = count
        self._write(statements)

    def sent(self) -> dict[str, list[dict]]:
        """Each user's kept messages, oldest first."""
        found: dict[str, list[dict]] = {}
        rows = self._read(
            "SELECT user_id, item FROM (SELECT *, row_number() OVER (PARTITION BY user_id ORDER BY n DESC) AS k "
            "FROM sent) WHERE k <= ? ORDER BY n", (self.sent_per_user,))
        for user_id, item in rows:
            found.setdefault(user_id, []).append(json.loads(item))
        return found

    def last_number(self) -> int:
        """The highest number given to a sent message or an upload so far (0 for a new archive)."""
        rows = self._read("SELECT max(n) FROM (SELECT max(n) AS n FROM sent UNION ALL SELECT max(n) FROM uploads)")
        return int(rows[0][0] or 0) if rows else 0

    def save_upload(self, n: int, upload_id: str, data: bytes, content_type: str) -> None:
        """Keeps a photo a user sent; the oldest go once there are more than `uploads` or `upload_bytes`."""
        self._write([
            ("INSERT OR REPLACE INTO uploads (n, upload_id, content_type, data) VALUES (?, ?, ?, ?)",
             (n, upload_id, content_type, data)),
            ("DELETE FROM uploads WHERE n <= (SELECT n FROM uploads ORDER BY n DESC LIMIT 1 OFFSET ?)",
             (self.upload_limit,)),
            ("DELETE FROM uploads WHERE n < (SELECT min(n) FROM (SELECT n, sum(length(data)) OVER "
             "(ORDER BY n DESC) AS total FROM uploads) WHERE total <= ?)", (self.upload_bytes,)),
        ])

    def upload(self, upload_id: str) -> tuple[bytes, str] | None:
        rows = self._read("SELECT data, content_type FROM uploads WHERE upload_id = ?", (upload_id,))
        return (bytes(rows[0][0]), rows[0][1]) if rows else None
