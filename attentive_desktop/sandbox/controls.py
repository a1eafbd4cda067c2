"""Rate limiting, fault injection and the request log: the sandbox's switchable behaviour."""

from __future__ import annotations

import json
import random
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

WINDOW_SECONDS = 1.0
WindowKind = Literal["fixed", "sliding"]


@dataclass(frozen=True)
class RateDecision:
    """The outcome of one rate-limit check: whether it passed and the header values."""

    allowed: bool
    limit: int
    remaining: int


class RateLimiter:
    """Per-bucket request counting over one-second windows, thread-safe.

    "fixed" (default): a window opens with the first request after the previous one expired
    and lasts one second; every request in it counts, refused ones included. "sliding": at most
    ``limit`` accepted requests in any trailing second.
    """

    def __init__(
        self,
        limit: int,
        *,
        window: WindowKind = "fixed",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if window not in ("fixed", "sliding"):
            raise ValueError("window must be 'fixed' or 'sliding'")
        self._window = window
        self._clock = clock
        self._lock = threading.Lock()
        self._limit = _check_limit(limit)
        self._fixed: dict[object, list[float]] = {}  # bucket -> [window start, count]
        self._sliding: dict[object, deque[float]] = {}

    @property
    def limit(self) -> int:
        """Requests allowed per bucket per second."""
        return self._limit

    def set_limit(self, limit: int) -> None:
        """Change the limit; it applies from the next request on."""
        with self._lock:
            self._limit = _check_limit(limit)

    def clear(self) -> None:
        """Forget every window."""
        with self._lock:
            self._fixed.clear()
            self._sliding.clear()

    def peek(self, bucket: object) -> RateDecision:
        """Header values for ``bucket`` without counting a request."""
        with self._lock:
            now = self._clock()
            if self._window == "fixed":
                start, count = self._fixed.get(bucket, (now - WINDOW_SECONDS, 0))
                used = count if now - start < WINDOW_SECONDS else 0
            else:
                used = sum(1 for t in self._sliding.get(bucket, ()) if now - t < WINDOW_SECONDS)
            return RateDecision(used < self._limit, self._limit, max(0, self._limit - used))

    def check(self, bucket: object) -> RateDecision:
        """Count one request for ``bucket`` and say whether it is within the limit."""
        with self._lock:
            now = self._clock()
            limit = self._limit
            if self._window == "fixed":
                entry = self._fixed.get(bucket)
                if entry is None or now - entry[0] >= WINDOW_SECONDS:
                    if len(self._fixed) > 1000:
                        self._prune(now)
                    entry = self._fixed[bucket] = [now, 0]
                entry[1] += 1
                return RateDecision(entry[1] <= limit, limit, max(0, limit - int(entry[1])))
            times = self._sliding.setdefault(bucket, deque())
            while times and now - times[0] >= WINDOW_SECONDS:
                times.popleft()
            if len(times) >= limit:
                return RateDecision(False, limit, 0)
            times.append(now)
            return RateDecision(True, limit, limit - len(times))

    def _prune(self, now: float) -> None:
        for key in [k for k, (start, _) in self._fixed.items() if now - start >= WINDOW_SECONDS]:
            del self._fixed[key]


def _check_limit(limit: int) -> int:
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise ValueError("the rate limit must be a positive whole number of requests per second")
    return limit


@dataclass(frozen=True)
class RecordedRequest:
    """One request the sandbox received. The Authorization header is never recorded.

    ``raw_query`` is the query string exactly as sent (e.g. "phone=%2B14155550100");
    ``status`` is the status answered, None when the connection was dropped on purpose.
    """

    method: str
    path: str
    raw_query: str
    body: str
    time: float
    status: int | None
    headers: dict[str, str] = field(default_factory=dict)

    def json(self) -> object:
        """The body parsed as JSON."""
        return json.loads(self.body)


class FaultPlan:
    """Latency, random 500s and drops, and 429 bursts; thread-safe and seedable."""

    def __init__(self, *, latency: float = 0.0, seed: int | None = None) -> None:
        self._lock = threading.Lock()
        self._seed = seed
        self._rng = random.Random(seed)
        self._latency = _check_latency(latency)
        self._error_rate = 0.0
        self._drop_rate = 0.0
        self._burst = 0

    @property
    def latency(self) -> float:
        """Seconds every response is delayed by."""
        return self._latency

    def set_latency(self, seconds: float) -> None:
        """Delay every response by ``seconds``."""
        self._latency = _check_latency(seconds)

    def set_faults(self, error_rate: float = 0.0, drop_rate: float = 0.0) -> None:
        """Answer a share of requests with 500 and drop another share without a response."""
        for rate in (error_rate, drop_rate):
            if not 0.0 <= rate <= 1.0:
                raise ValueError("fault rates are fractions between 0 and 1")
        with self._lock:
            self._error_rate = float(error_rate)
            self._drop_rate = float(drop_rate)

    def burst_429(self, count: int) -> None:
        """Answer the next ``count`` requests with 429, whatever the rate limit says."""
        if count < 0:
            raise ValueError("count must not be negative")
        with self._lock:
            self._burst = count

    def take_burst(self) -> bool:
        """Consume one forced 429, if any is left."""
        with self._lock:
            if self._burst > 0:
                self._burst -= 1
                return True
            return False

    def draw(self) -> Literal["drop", "error"] | None:
        """Decide whether this request is dropped, fails with 500, or goes through.

        Exactly one random draw per request, so a seeded sequence of requests always gets the
        same faults.
        """
        with self._lock:
            if not (self._drop_rate or self._error_rate):
                return None
            roll = self._rng.random()
            if roll < self._drop_rate:
                return "drop"
            if roll < self._drop_rate + self._error_rate:
                return "error"
            return None

    def reset(self, latency: float) -> None:
        """No faults, no burst, the given latency, and the random sequence restarted."""
        with self._lock:
            self._rng = random.Random(self._seed)
            self._latency = _check_latency(latency)
            self._error_rate = self._drop_rate = 0.0
            self._burst = 0


def _check_latency(seconds: float) -> float:
    if not seconds >= 0:
        raise ValueError("latency must be zero or more seconds")
    return float(seconds)
