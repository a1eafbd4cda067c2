"""Latency, seeded 500s and dropped connections, 429 bursts, reset."""

from __future__ import annotations

import threading
import time

import httpx
import pytest

from attentive_desktop.sandbox import SandboxServer, running_sandbox

from .conftest import ADA_PHONE, make_client, post


def _outcomes(seed: int, count: int) -> list[int | str]:
    outcomes: list[int | str] = []
    with (
        running_sandbox(seed=seed, rate_limit=1000) as server,
        make_client(server.base_url) as http,
    ):
        server.set_faults(error_rate=0.25, drop_rate=0.25)
        for _ in range(count):
            try:
                outcomes.append(http.get("/me").status_code)
            except httpx.TransportError:
                outcomes.append("dropped")
        recorded = [r.status for r in server.requests]
    assert recorded == [None if o == "dropped" else o for o in outcomes]
    return outcomes


def test_faults_are_deterministic_under_a_seed() -> None:
    first = _outcomes(seed=7, count=40)
    assert set(first) == {200, 500, "dropped"}
    assert _outcomes(seed=7, count=40) == first


def test_injected_500_has_json_message_and_rate_headers(
    sandbox: SandboxServer, client: httpx.Client
) -> None:
    sandbox.set_faults(error_rate=1.0)
    response = post(client, {"phone": ADA_PHONE}, {"age": "99"})
    assert response.status_code == 500
    assert response.json()["message"]
    assert "x-ratelimit-remaining" in response.headers
    assert sandbox.user_attributes(phone=ADA_PHONE)["age"] == "36"


def test_dropped_write_is_not_applied_and_connection_recovers(
    sandbox: SandboxServer, client: httpx.Client
) -> None:
    sandbox.set_faults(drop_rate=1.0)
    with pytest.raises(httpx.TransportError):
        post(client, {"phone": ADA_PHONE}, {"age": "99"})
    assert sandbox.user_attributes(phone=ADA_PHONE)["age"] == "36"
    sandbox.set_faults()
    assert post(client, {"phone": ADA_PHONE}, {"age": "99"}).status_code == 200


def test_burst_429_then_normal(sandbox: SandboxServer, client: httpx.Client) -> None:
    sandbox.burst_429(3)
    responses = [client.get("/me") for _ in range(4)]
    assert [r.status_code for r in responses] == [429, 429, 429, 200]
    for response in responses[:3]:
        assert response.headers["x-ratelimit-limit"] == "150"
        assert response.headers["x-ratelimit-remaining"] == "0"
        assert "retry-after" not in response.headers
    # Forced 429s don't use up the window: the one success is the first counted request.
    assert responses[3].headers["x-ratelimit-remaining"] == "149"


def test_latency_delays_responses(sandbox: SandboxServer, client: httpx.Client) -> None:
    sandbox.set_latency(0.15)
    started = time.perf_counter()
    assert client.get("/me").status_code == 200
    assert time.perf_counter() - started >= 0.15


def test_latency_does_not_serialise_connections(sandbox: SandboxServer) -> None:
    sandbox.set_latency(0.5)
    barrier = threading.Barrier(3)
    finished: list[float] = []

    def call() -> None:
        with make_client(sandbox.base_url) as http:
            barrier.wait()
            assert http.get("/me").status_code == 200
            finished.append(time.time())

    threads = [threading.Thread(target=call) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Every request was accepted and decided before any answer went out.
    assert len(finished) == 3
    assert max(r.time for r in sandbox.requests) < min(finished)


@pytest.mark.parametrize(
    ("control", "args"),
    [("set_latency", (-1,)), ("set_faults", (1.5, 0.0)), ("set_faults", (0.0, -0.1))],
)
def test_controls_refuse_nonsense(sandbox: SandboxServer, control: str, args: tuple) -> None:
    with pytest.raises(ValueError):
        getattr(sandbox, control)(*args)


def test_reset_restores_seed_and_controls(sandbox: SandboxServer, client: httpx.Client) -> None:
    assert post(client, {"phone": "+14155557777"}, {"Mood": "happy"}).status_code == 200
    sandbox.set_rate_limit(1)
    sandbox.set_faults(error_rate=1.0)
    sandbox.burst_429(5)
    sandbox.set_latency(10)
    sandbox.reset()
    assert sandbox.requests == []
    assert not sandbox.has_user(phone="+14155557777")
    assert "Mood" not in sandbox.attribute_types()
    responses = [client.get("/me") for _ in range(3)]
    assert [r.status_code for r in responses] == [200, 200, 200]
    assert responses[0].headers["x-ratelimit-limit"] == "150"
