"""Helpers shared by the api tests (imported relatively; fixtures live in conftest.py)."""

from __future__ import annotations

import json
import random
import threading
from collections.abc import Callable

import httpx

API_KEY = "sk_live_TOPSECRET_0123456789abcdef"
BASE_URL = "https://api.example.test/v1"


class FakeTime:
    """A monotonic clock that only moves when something waits; records every wait."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self.waits: list[float] = []
        self.pacer_waits: list[float] = []

    def clock(self) -> float:
        return self.now

    def _advance(self, event: threading.Event, seconds: float) -> bool:
        if event.is_set():
            return True
        self.now += max(0.0, seconds)
        return False

    def wait(self, event: threading.Event, seconds: float) -> bool:
        self.waits.append(seconds)
        return self._advance(event, seconds)

    def pacer_wait(self, event: threading.Event, seconds: float) -> bool:
        self.pacer_waits.append(seconds)
        return self._advance(event, seconds)


class MaxRng(random.Random):
    """Full jitter always picking the ceiling, so backoff waits are predictable."""

    def uniform(self, a: float, b: float) -> float:
        return b


def ok_json(data: object, status: int = 200, **headers: str) -> httpx.Response:
    return httpx.Response(status, content=json.dumps(data).encode(), headers=headers)


class Recorder:
    """A MockTransport handler answering from a script and keeping the requests it saw."""

    def __init__(self, *responses: httpx.Response | Exception | Callable) -> None:
        self.script = list(responses)
        self.requests: list[httpx.Request] = []
        self.lock = threading.Lock()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        with self.lock:
            self.requests.append(request)
            item = self.script.pop(0) if len(self.script) > 1 else self.script[0]
        if isinstance(item, Exception):
            raise item
        if callable(item) and not isinstance(item, httpx.Response):
            return item(request)
        return item
