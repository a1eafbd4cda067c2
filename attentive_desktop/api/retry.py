"""Retry policy: exponential backoff with full jitter, bounded by attempts and total time."""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from dataclasses import dataclass

Wait = Callable[[threading.Event, float], bool]
"""Waits up to `seconds` or until the event is set; returns True if the event was set."""


def event_wait(event: threading.Event, seconds: float) -> bool:
    """The real `Wait`: `threading.Event.wait`, so a cancel interrupts it at once."""
    return event.wait(max(0.0, seconds))


@dataclass(frozen=True)
class RetryPolicy:
    """How a failed attempt (429, 5xx, dropped connection, timeout) is retried.

    Before retry n (n = 1 for the first retry) the client waits a random time in
    [0, min(max_delay, base_delay * 2**(n-1))]. It gives up after `max_attempts` attempts in
    all, or when the next wait would end more than `max_total` seconds after the call began.
    `RetryPolicy(max_attempts=1)` disables retries.
    """

    max_attempts: int = 5
    base_delay: float = 0.2
    max_delay: float = 5.0
    max_total: float = 30.0

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if self.base_delay < 0 or self.max_delay < 0 or self.max_total < 0:
            raise ValueError("delays must not be negative")

    def ceiling(self, retry: int) -> float:
        """The upper bound of the wait before retry number `retry` (1-based)."""
        exponent = min(retry - 1, 60)  # keeps 2**n finite for absurd attempt counts
        return min(self.max_delay, self.base_delay * 2**exponent)

    def delay(self, retry: int, rng: random.Random) -> float:
        """A full-jitter wait before retry number `retry` (1-based)."""
        return rng.uniform(0.0, self.ceiling(retry))
