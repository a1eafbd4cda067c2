"""Client-side pacing from Attentive's x-ratelimit-* headers, shared by all threads."""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping

from attentive_desktop.api.errors import Cancelled
from attentive_desktop.api.retry import Wait, event_wait


def _int_header(headers: Mapping[str, str], name: str) -> int | None:
    value = headers.get(name)
    if value is None:
        lowered = {str(k).lower(): v for k, v in headers.items()}
        value = lowered.get(name)
    try:
        return int(str(value).strip()) if value is not None else None
    except ValueError:
        return None


class RateLimitPacer:
    """Spaces requests so a burst slows down before Attentive refuses it.

    Rules, applied under one lock so any number of threads share them:

    - Requests leave at least 1 / (limit x `safety`) seconds apart (slots are reserved in
      order, so concurrent callers queue up evenly rather than stampeding).
    - Never more than `limit` requests in any window of `window` seconds (own send log).
    - When a response says x-ratelimit-remaining: 0, or a 429 arrives, everyone waits until
      the window that began with the oldest request sent in the last second has passed.
    - With `share_with(sharers)`, `sharers()` runs (other processes, store/rate_share.py)
      split the limit: spacing and the per-window cap are for limit / sharers().
    - The limit is learned from x-ratelimit-limit (default `default_limit`). Until the first
      response has been observed only one request goes out (a probe), so a burst cannot
      overrun a limit lower than the default; after `probe_timeout` seconds without any
      observation the others go anyway.

    `clock` and `wait` are injectable for deterministic tests; `wait(event, seconds)` must
    return True when `event` (the caller's cancel event) is set, which raises Cancelled.
    """

    def __init__(
        self,
        default_limit: int = 150,
        *,
        clock: Callable[[], float] = time.monotonic,
        wait: Wait = event_wait,
        safety: float = 0.97,
        window: float = 1.0,
        probe_timeout: float = 2.0,
    ) -> None:
        if default_limit < 1:
            raise ValueError("default_limit must be at least 1")
        self._clock = clock
        self._wait = wait
        self._safety = safety
        self._window = window
        # Margin on the window so requests 1 s apart on our side are not <1 s apart on arrival.
        self._window_margin = 0.02 * window
        self._probe_timeout = probe_timeout
        self._lock = threading.Lock()
        self._limit = default_limit
        self._last_slot = -math.inf
        self._blocked_until = -math.inf
        self._slots: deque[float] = deque()
        self._observed = False
        self._probe_at: float | None = None
        self._sharers: Callable[[], int] = lambda: 1

    @property
    def limit(self) -> int:
        """Requests per window currently assumed (learned from x-ratelimit-limit)."""
        with self._lock:
            return self._limit

    @property
    def interval(self) -> float:
        """The minimum spacing between requests, in seconds."""
        with self._lock:
            return self._interval()

    def share_with(self, sharers: Callable[[], int]) -> None:
        """Split the limit with other senders from now on: `sharers()` (called under the
        pacer's lock, so it must be cheap) is how many share it, this one included."""
        with self._lock:
            self._sharers = sharers

    def _share(self) -> int:
        return max(1, self._sharers())

    def _interval(self) -> float:
        return self._window * self._share() / (self._limit * self._safety)

    def _prune(self, now: float) -> None:
        horizon = now - self._window - self._window_margin
        while self._slots and self._slots[0] <= horizon:
            self._slots.popleft()

    def _reserve(self, now: float) -> float | None:
        """Reserve the next slot (None while a probe is outstanding)."""
        self._prune(now)
        if not self._observed:
            if self._probe_at is not None and now < self._probe_at + self._probe_timeout:
                return None
            if self._probe_at is None:
                self._probe_at = now
        # Spaced from the last slot at the interval of now: a lower limit learned, or a run
        # joining, slows the very next request, not the one after it.
        slot = max(now, self._last_slot + self._interval(), self._blocked_until)
        cap = max(1, self._limit // self._share())
        if len(self._slots) >= cap:
            slot = max(slot, self._slots[-cap] + self._window + self._window_margin)
        self._last_slot = slot
        self._slots.append(slot)
        return slot

    def acquire(self, cancel: threading.Event | None = None) -> None:
        """Block until a request may go. Raises Cancelled if `cancel` is set meanwhile."""
        cancel = cancel if cancel is not None else threading.Event()
        while True:
            if cancel.is_set():
                raise Cancelled()
            with self._lock:
                now = self._clock()
                slot = self._reserve(now)
                if slot is not None and slot <= now:
                    return
            if slot is None:
                # Waiting for the probe's answer: poll briefly so a cancel still wins at once.
                if self._wait(cancel, 0.02):
                    raise Cancelled()
                continue
            if self._wait(cancel, slot - now):
                raise Cancelled()
            with self._lock:
                # A 429 or an exhausted budget seen while we waited moves everyone back.
                if self._blocked_until <= slot:
                    return

    def observe(self, status: int | None, headers: Mapping[str, str] | None = None) -> None:
        """Learn from a response (status None: no response, e.g. a dropped connection)."""
        headers = headers or {}
        limit = _int_header(headers, "x-ratelimit-limit")
        remaining = _int_header(headers, "x-ratelimit-remaining")
        with self._lock:
            now = self._clock()
            self._observed = True
            if limit is not None and 1 <= limit <= 1_000_000:
                self._limit = limit
            if status == 429 or (remaining is not None and remaining <= 0):
                self._prune(now)
                recent = [s for s in self._slots if now - self._window < s <= now]
                if recent:
                    until = recent[0] + self._window + self._window_margin
                else:
                    until = now + self._interval()
                if status == 429:
                    until = max(until, now + self._interval())
                self._blocked_until = max(self._blocked_until, until)


ENDPOINT_LIMITS: dict[str, int] = {
    "/identity-resolution/user-identifiers": 10,
    "/subscriptions": 150,
}
"""Endpoints paced on their own, with the limit documented for each (requests per second).
Every other endpoint shares the client's default pacer (150/s)."""


class EndpointPacers:
    """One pacer per endpoint with its own documented limit, the default pacer for the rest.

    Attentive limits each endpoint separately, and the Identity API allows only 10 requests
    per second: pacing identity links with the 150/s pacer would run into 429s, and pacing
    everything at 10/s would slow lookups down. The endpoints in `limits` each get a pacer
    made by `make(limit)` on first use (it still learns the real limit from the headers);
    the others share `default`, which is conservative (never faster than separate pacers).
    Thread-safe.
    """

    def __init__(
        self,
        default: RateLimitPacer,
        make: Callable[[int], RateLimitPacer],
        limits: Mapping[str, int] = ENDPOINT_LIMITS,
    ) -> None:
        self.default = default
        self._make = make
        self._limits = dict(limits)
        self._lock = threading.Lock()
        self._pacers: dict[str, RateLimitPacer] = {}

    def for_endpoint(self, endpoint: str) -> RateLimitPacer:
        """The pacer for `endpoint` (a path after the base URL, e.g. "/subscriptions")."""
        limit = self._limits.get(endpoint)
        if limit is None:
            return self.default
        with self._lock:
            pacer = self._pacers.get(endpoint)
            if pacer is None:
                pacer = self._pacers[endpoint] = self._make(limit)
            return pacer
