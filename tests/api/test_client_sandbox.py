"""The client over real loopback HTTP against the embedded sandbox."""

from __future__ import annotations

import threading

import httpx
import pytest

from attentive_desktop.api import (
    AccessDenied,
    AttentiveClient,
    CustomAttribute,
    InvalidRequest,
    NetworkError,
    NotFound,
    RetryPolicy,
    Unauthorized,
)
from attentive_desktop.sandbox import SANDBOX_API_KEY, SANDBOX_READONLY_KEY
from attentive_desktop.sandbox.server import running_sandbox

ADA = "+14155550100"
FAST_RETRY = RetryPolicy(max_attempts=4, base_delay=0.01, max_delay=0.05, max_total=5.0)


@pytest.fixture(scope="module")
def server():
    with running_sandbox() as sandbox:
        yield sandbox


@pytest.fixture
def sandbox(server):
    server.reset()
    yield server
    assert server.internal_errors == []


@pytest.fixture
def exchanges():
    return []


@pytest.fixture
def client(sandbox, exchanges):
    with AttentiveClient(
        sandbox.base_url, SANDBOX_API_KEY, on_exchange=exchanges.append, retry=FAST_RETRY
    ) as made:
        yield made


def test_me_identifies_the_sandbox_key(client):
    info = client.me()
    assert info.company_name
    assert info.application_name


def test_lookup_by_phone_arrives_as_percent_2b(client, sandbox):
    attributes = client.get_custom_attributes(phone=ADA)
    assert CustomAttribute("birthday", "1986-11-16") in attributes
    (request,) = sandbox.requests
    assert request.raw_query == "phone=%2B14155550100"
    assert "authorization" not in {k.lower() for k in request.headers}


def test_set_then_lookup_round_trips(client, sandbox, exchanges):
    client.set_custom_attributes({"email": "ada@example.com"}, {"Nickname": "Countess"})
    assert sandbox.user_attributes(email="ada@example.com")["Nickname"] == "Countess"
    assert ("Nickname", "Countess") in client.get_custom_attributes(email="ada@example.com")
    assert [e.status for e in exchanges] == [200, 200]


def test_empty_200_body_is_success(client, sandbox, exchanges):
    client.set_custom_attributes({"phone": ADA}, {"age": 37})
    assert exchanges[-1].status == 200
    assert exchanges[-1].response_body == ""
    assert sandbox.user_attributes(phone=ADA)["age"] == "37"


def test_a_set_with_an_array_value_never_reaches_the_server(client, sandbox):
    with pytest.raises(InvalidRequest, match="cities"):
        client.set_custom_attributes({"phone": ADA}, {"cities": ["chicago", "new york"]})
    assert sandbox.requests == []


def test_unknown_user_is_not_found(client):
    with pytest.raises(NotFound) as caught:
        client.get_custom_attributes(email="nobody@example.com")
    assert caught.value.message == "No user with that phone or email was found."
    assert caught.value.attempts == 1


def test_readonly_key_gets_access_denied_with_a_readable_message(sandbox):
    with AttentiveClient(sandbox.base_url, SANDBOX_READONLY_KEY) as readonly:
        assert readonly.get_custom_attributes(phone=ADA)
        with pytest.raises(AccessDenied) as caught:
            readonly.set_custom_attributes({"phone": ADA}, {"age": 40})
    text = str(caught.value)
    assert text.startswith(
        "This API key lacks the attributes:write scope. Ask an admin for a key with that scope."
    )
    assert SANDBOX_READONLY_KEY not in text
    assert [r.status for r in sandbox.requests] == [200, 403]


def test_unknown_key_is_unauthorized(sandbox):
    key = "not-a-real-key-000"
    with AttentiveClient(sandbox.base_url, key) as stranger, pytest.raises(Unauthorized) as caught:
        stranger.me()
    assert "Enter the account's current key" in str(caught.value)
    assert key not in str(caught.value)


def test_twenty_sends_against_five_per_second_all_succeed(client, sandbox, exchanges):
    sandbox.set_rate_limit(5)
    for n in range(20):
        client.set_custom_attributes({"phone": ADA}, {"visits": n})
    statuses = [r.status for r in sandbox.requests]
    assert len(statuses) == 20
    assert statuses.count(429) == 0
    assert all(e.attempt == 1 for e in exchanges)
    assert sandbox.user_attributes(phone=ADA)["visits"] == "19"


def test_a_429_burst_is_retried(client, sandbox, exchanges):
    sandbox.burst_429(1)
    client.set_custom_attributes({"phone": ADA}, {"age": 38})
    assert [e.status for e in exchanges] == [429, 200]
    assert [e.attempt for e in exchanges] == [1, 2]


def test_server_errors_and_dropped_connections_are_retried(sandbox, exchanges):
    sandbox.set_faults(error_rate=1.0)
    policy = RetryPolicy(max_attempts=3, base_delay=0.0, max_delay=0.0)
    with AttentiveClient(
        sandbox.base_url, SANDBOX_API_KEY, retry=policy, on_exchange=exchanges.append
    ) as client:
        with pytest.raises(Exception, match="HTTP 500"):
            client.me()
        assert [e.status for e in exchanges] == [500, 500, 500]
        sandbox.set_faults(drop_rate=1.0)
        with pytest.raises(NetworkError):
            client.me()
        assert [e.status for e in exchanges[3:]] == [None, None, None]
        assert all(e.error and "Could not reach Attentive" in e.error for e in exchanges[3:])


def test_a_given_http_client_is_used_as_is(sandbox):
    seen = []
    with httpx.Client(event_hooks={"request": [seen.append]}, trust_env=False) as http:
        AttentiveClient(sandbox.base_url, SANDBOX_API_KEY, http=http).me()
    assert len(seen) == 1


def test_concurrent_sends_share_the_pace_without_429s(client, sandbox):
    sandbox.set_rate_limit(20)
    errors: list[BaseException] = []

    def run(worker: int) -> None:
        try:
            for n in range(5):
                client.set_custom_attributes({"phone": ADA}, {f"w{worker}": n})
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(w,)) for w in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    statuses = [r.status for r in sandbox.requests]
    assert len(statuses) == 30
    assert statuses.count(429) == 0
