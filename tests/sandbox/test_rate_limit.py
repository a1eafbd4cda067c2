"""x-ratelimit-* headers on every response, 429 past the limit, per key and endpoint."""

from __future__ import annotations

import httpx
import pytest

from attentive_desktop.sandbox import RateLimiter, SandboxServer

from .conftest import ADA_PHONE, post


def _remaining(response: httpx.Response) -> int:
    return int(response.headers["x-ratelimit-remaining"])


def test_every_response_carries_rate_headers(
    client: httpx.Client, anonymous_client: httpx.Client
) -> None:
    responses = [
        client.get("/me"),
        client.get("/attributes/custom", params={"phone": ADA_PHONE}),
        client.get("/attributes/custom", params={"phone": "+14155559999"}),
        post(client, {"phone": ADA_PHONE}, {"VIP": "true"}),
        post(client, {"phone": ADA_PHONE}, {"VIP": ["true"]}),
        anonymous_client.get("/me"),
    ]
    assert [r.status_code for r in responses] == [200, 200, 404, 200, 400, 401]
    for response in responses:
        assert response.headers["x-ratelimit-limit"] == "150"
        assert 0 <= _remaining(response) < 150
        assert "retry-after" not in response.headers


def test_past_the_limit_is_429_with_headers(sandbox: SandboxServer, client: httpx.Client) -> None:
    sandbox.set_rate_limit(5)
    responses = [client.get("/me") for _ in range(10)]
    statuses = [r.status_code for r in responses]
    # A fixed window opens with the first request; ten quick requests fit in one second.
    assert statuses == [200] * 5 + [429] * 5
    assert [_remaining(r) for r in responses] == [4, 3, 2, 1, 0] + [0] * 5
    for response in responses[5:]:
        assert response.headers["x-ratelimit-limit"] == "5"
        assert "retry-after" not in response.headers
        assert response.json()["message"]


def test_limit_is_per_endpoint_and_per_key(
    sandbox: SandboxServer, client: httpx.Client, readonly_client: httpx.Client
) -> None:
    sandbox.set_rate_limit(2)
    assert [client.get("/me").status_code for _ in range(3)] == [200, 200, 429]
    lookup = client.get("/attributes/custom", params={"phone": ADA_PHONE})
    assert lookup.status_code == 200
    assert post(client, {"phone": ADA_PHONE}, {"VIP": "true"}).status_code == 200
    assert readonly_client.get("/me").status_code == 200


def test_rate_limited_writes_change_nothing(sandbox: SandboxServer, client: httpx.Client) -> None:
    sandbox.set_rate_limit(1)
    assert post(client, {"phone": ADA_PHONE}, {"age": "40"}).status_code == 200
    assert post(client, {"phone": ADA_PHONE}, {"age": "41"}).status_code == 429
    assert sandbox.user_attributes(phone=ADA_PHONE)["age"] == "40"


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_fixed_window_reopens_after_a_second() -> None:
    clock = _Clock()
    limiter = RateLimiter(2, clock=clock)
    assert [limiter.check("k").allowed for _ in range(3)] == [True, True, False]
    clock.now += 0.999
    assert not limiter.check("k").allowed
    clock.now += 0.001
    decision = limiter.check("k")
    assert decision.allowed and decision.remaining == 1


def test_sliding_window_counts_the_trailing_second() -> None:
    clock = _Clock()
    limiter = RateLimiter(2, window="sliding", clock=clock)
    assert limiter.check("k").allowed
    clock.now += 0.6
    assert limiter.check("k").allowed
    assert not limiter.check("k").allowed
    clock.now += 0.4  # the first request left the window, the second did not
    decision = limiter.check("k")
    assert decision.allowed and decision.remaining == 0
    assert not limiter.check("k").allowed


@pytest.mark.parametrize("bad", [0, -1, 1.5, True])
def test_rate_limit_must_be_a_positive_integer(sandbox: SandboxServer, bad: object) -> None:
    with pytest.raises(ValueError):
        sandbox.set_rate_limit(bad)  # type: ignore[arg-type]
