"""Fixtures for the api tests: fake time and clients over httpx.MockTransport."""

from __future__ import annotations

import random
from collections.abc import Callable

import httpx
import pytest

from attentive_desktop.api import AttentiveClient, Exchange, RateLimitPacer, RetryPolicy

from .support import API_KEY, BASE_URL, FakeTime, MaxRng


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def make_client(fake_time: FakeTime):
    """Build a client over MockTransport(handler) with fake time; collects exchanges."""
    made: list[AttentiveClient] = []

    def make(
        handler: Callable[[httpx.Request], httpx.Response],
        *,
        retry: RetryPolicy | None = None,
        rng: random.Random | None = None,
        exchanges: list[Exchange] | None = None,
        key: str = API_KEY,
    ) -> AttentiveClient:
        http = httpx.Client(transport=httpx.MockTransport(handler))
        pacer = RateLimitPacer(clock=fake_time.clock, wait=fake_time.pacer_wait)
        client = AttentiveClient(
            BASE_URL,
            key,
            http=http,
            on_exchange=exchanges.append if exchanges is not None else None,
            retry=retry or RetryPolicy(max_attempts=4, base_delay=0.1, max_delay=1.0),
            pacer=pacer,
            rng=rng or MaxRng(),
            wait=fake_time.wait,
            clock=fake_time.clock,
        )
        made.append(client)
        return client

    yield make
    for client in made:
        client._http.close()
