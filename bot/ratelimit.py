"""Token buckets so the dispatcher stays under LINE's published rate limits instead of collecting 429s."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

# LINE's limits per endpoint: (requests, per seconds).
LINE_RATE_LIMITS: dict[str, tuple[int, float]] = {
    "reply": (2000, 1.0),
    "push": (2000, 1.0),
    "multicast": (200, 1.0),
    "broadcast": (60, 3600.0),
    "narrowcast": (60, 3600.0),
}


class TokenBucket:
    """Allows `rate` requests per `per` seconds with a burst of `burst`; `acquire` waits for a token."""

    def __init__(self, rate: int, per: float, burst: int | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.capacity = float(burst if burst is not None else max(1, min(rate, int(rate * per) or 1)))
        self.fill_per_second = rate / per
        self.tokens = self.capacity
        self.clock = clock
        self.updated = clock()
        self.lock = threading.Lock()

    def wait_time(self) -> float:
        """Takes a token if one is free (returns 0) or returns how long until one will be."""
        with self.lock:
            now = self.clock()
            self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.fill_per_second)
            self.updated = now
            if self.tokens >= 1:
                self.tokens -= 1
                return 0.0
            return (1 - self.tokens) / self.fill_per_second


class SlidingWindow:
    """At most `rate` requests in any `per`-second window, the way LINE counts (a bucket's burst could exceed it)."""

    def __init__(self, rate: int, per: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate
        self.per = per
        self.clock = clock
        self.sent: deque[float] = deque()
        self.lock = threading.Lock()

    def wait_time(self) -> float:
        """Takes a slot if one is free (returns 0) or returns how long until one frees."""
        with self.lock:
            now = self.clock()
            while self.sent and self.sent[0] <= now - self.per:
                self.sent.popleft()
            if len(self.sent) < self.rate:
                self.sent.append(now)
                return 0.0
            return self.sent[0] + self.per - now


class RateLimits:
    def __init__(self, limits: dict[str, tuple[int, float]] | None = None) -> None:
        limits = LINE_RATE_LIMITS if limits is None else limits
        # Per-second limits: an exact sliding window. Hourly ones: a bucket with a small burst, so one busy minute
        # can't spend the whole hour.
        self.buckets: dict[str, TokenBucket | SlidingWindow] = {
            kind: TokenBucket(rate, per, burst=min(rate, 10)) if per > 60 else SlidingWindow(rate, per)
            for kind, (rate, per) in limits.items()}

    def wait_time(self, kind: str) -> float:
        bucket = self.buckets.get(kind)
        return 0.0 if bucket is None else bucket.wait_time()
