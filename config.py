"""Reads the deployment's settings from the environment (names are a contract: DESIGN.md §4)."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent

_TRUE = {"1", "true", "yes", "on"}


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in _TRUE


@dataclass(frozen=True)
class Config:
    """Everything the app needs to know about where it runs. All optional in the embedded default."""

    LINE_CHANNEL_SECRET: str | None = None
    LINE_CHANNEL_ACCESS_TOKEN: str | None = None
    LINE_API_BASE_URL: str = "https://api.line.me"
    LINE_DATA_API_BASE_URL: str = "https://api-data.line.me"
    DATABASE_URL: str | None = None
    PUBLIC_BASE_URL: str | None = None
    LINE_OA_ID: str = "@kkpao"
    ADMIN_LINE_USER_IDS: tuple[str, ...] = ()
    API_TOKEN: str | None = None
    # A second bearer token for the province's own staff systems: reports without disclosure control and the
    # executive PDFs. API_TOKEN is a public reader (the province's website, open-data users).
    API_STAFF_TOKEN: str | None = None
    SECRET_KEY: str | None = None
    TZ: str = "Asia/Bangkok"
    RUN_SCHEDULER: bool = True
    RUN_WORKERS: bool = True
    # Sales sharing and orders (DESIGN.md §4).
    DEFAULT_COMMISSION_PERCENT: int = 0
    COMMISSION_HOLD_DAYS: int = 7
    ORDER_AUTO_RECEIVE_DAYS: int = 7
    REFERRAL_WINDOW_DAYS: int = 7
    # Evaluation (DESIGN.md §4): the share of received orders whose buyer is asked, and how long after receipt.
    BUYER_SURVEY_SAMPLE_RATE: float = 0.3
    BUYER_SURVEY_DELAY_DAYS: int = 2
    # The province's Facebook Page (DESIGN.md §4): off unless both id and token are set. The Graph API version is
    # part of the base URL, so moving to a newer version is this one setting (v26.0: the newest, July 2026).
    FACEBOOK_PAGE_ID: str | None = None
    FACEBOOK_PAGE_ACCESS_TOKEN: str | None = None
    FACEBOOK_GRAPH_BASE_URL: str = "https://graph.facebook.com/v26.0"
    HOST: str = "127.0.0.1"
    PORT: int = 5000
    INSTANCE_PATH: str = str(ROOT / "instance")
    # Not part of the environment contract: knobs for tests and benchmarks.
    # Event workers claim batches of up to EVENT_BATCH sources each; more threads than cores only queue on the GIL
    # (and on SQLite's one writer). Senders wait on the network, so there are many (see bot/dispatcher.py).
    WORKER_THREADS: int = 2
    EVENT_BATCH: int = 16
    DISPATCHER_THREADS: int = 256  # LINE requests in flight at once (not threads: see bot/dispatcher.py)
    LINE_TIMEOUT_SECONDS: float = 10.0
    EVENT_MAX_ATTEMPTS: int = 5
    # With a 0.1 s first backoff doubling each time and half-to-full jitter: 1.7-3.4 minutes of retrying.
    OUTBOX_MAX_ATTEMPTS: int = 12
    FACEBOOK_TIMEOUT_SECONDS: float = 20.0
    # With a 30 s first backoff doubling each time (capped at an hour), half-to-full jitter: 1.5-3 hours of retrying.
    FACEBOOK_MAX_ATTEMPTS: int = 10
    TESTING: bool = False
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def emulated(self) -> bool:
        """True when no LINE channel is configured: the built-in emulator stands in for LINE."""
        return not (self.LINE_CHANNEL_SECRET and self.LINE_CHANNEL_ACCESS_TOKEN)

    @property
    def database_url(self) -> str:
        return self.DATABASE_URL or f"sqlite:///{Path(self.INSTANCE_PATH) / 'kk.db'}"

    @property
    def public_base_url(self) -> str:
        return (self.PUBLIC_BASE_URL or f"http://{self.HOST}:{self.PORT}").rstrip("/")

    @classmethod
    def load(cls, overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None) -> "Config":
        """Builds a Config from the environment, then applies `overrides` (tests pass a dict)."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        names = {f.name: f for f in fields(cls) if f.name != "extra"}
        for name, _spec in names.items():
            if name in env and env[name] != "":
                values[name] = env[name]
        values.update({k: v for k, v in (overrides or {}).items() if k in names})
        extra = {k: v for k, v in (overrides or {}).items() if k not in names}
        for name, raw in list(values.items()):
            kind = names[name].type
            if kind in ("bool",):
                values[name] = _bool(raw)
            elif kind == "int":
                values[name] = int(raw)
            elif kind == "float":
                values[name] = float(raw)
            elif name == "ADMIN_LINE_USER_IDS" and isinstance(raw, str):
                values[name] = tuple(x.strip() for x in raw.split(",") if x.strip())
            elif name == "ADMIN_LINE_USER_IDS":
                values[name] = tuple(raw)
        return cls(**values, extra=extra)

    def with_(self, **changes: Any) -> "Config":
        return replace(self, **changes)


def ensure_secret_key(config: Config) -> str:
    """Returns SECRET_KEY, or a random one kept under instance/ so sign-in sessions survive restarts."""
    if config.SECRET_KEY:
        return config.SECRET_KEY
    path = Path(config.INSTANCE_PATH) / "secret_key"
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key
