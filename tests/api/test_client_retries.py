"""Error mapping through the client, retries with backoff, exchange reports and cancel."""

from __future__ import annotations

import json
import random
import threading

import httpx
import pytest

from attentive_desktop.api import (
    AccessDenied,
    ApiError,
    AttentiveClient,
    BadRequest,
    Cancelled,
    NetworkError,
    NotFound,
    RateLimited,
    RequestTimeout,
    RetryPolicy,
    ServerError,
    Unauthorized,
    user_agent,
)

from .support import API_KEY, BASE_URL, Recorder, ok_json

USER = {"phone": "+14155550100"}


@pytest.mark.parametrize(
    ("status", "cls"),
    [(400, BadRequest), (401, Unauthorized), (403, AccessDenied), (404, NotFound)],
)
def test_client_errors_are_not_retried(make_client, fake_time, status, cls):
    handler = Recorder(ok_json({"message": "nope"}, status=status))
    with pytest.raises(cls) as caught:
        make_client(handler).set_custom_attributes(USER, {"a": "b"})
    assert len(handler.requests) == 1
    assert fake_time.waits == []
    assert caught.value.server_message == "nope"
    assert caught.value.attempts == 1


def test_403_on_a_write_names_the_missing_scope(make_client):
    handler = Recorder(httpx.Response(403, text="Forbidden"))
    with pytest.raises(AccessDenied) as caught:
        make_client(handler).set_custom_attributes(USER, {"a": "b"})
    assert str(caught.value) == (
        "This API key lacks the attributes:write scope. Ask an admin for a key with that scope."
        " Server said: Forbidden"
    )


@pytest.mark.parametrize(
    "failure",
    [
        httpx.Response(500, text="boom"),
        httpx.Response(503),
        httpx.Response(429, headers={"x-ratelimit-limit": "150", "x-ratelimit-remaining": "0"}),
        httpx.ConnectError("connection refused"),
        httpx.RemoteProtocolError("Server disconnected without sending a response."),
        httpx.ReadTimeout("timed out"),
    ],
)
def test_retryable_failures_are_retried_until_success(make_client, fake_time, failure):
    handler = Recorder(failure, failure, httpx.Response(200))
    exchanges = []
    make_client(handler, exchanges=exchanges).set_custom_attributes(USER, {"a": "b"})
    assert len(handler.requests) == 3
    # Full jitter with MaxRng picks each ceiling: base 0.1 doubling.
    assert fake_time.waits == pytest.approx([0.1, 0.2])
    assert [e.attempt for e in exchanges] == [1, 2, 3]
    assert exchanges[-1].status == 200
    assert exchanges[-1].error is None
    assert all(e.error for e in exchanges[:2])


@pytest.mark.parametrize(
    ("failure", "cls", "phrase"),
    [
        (httpx.Response(500), ServerError, "HTTP 500"),
        (httpx.Response(429), RateLimited, "rate-limiting"),
        (httpx.ConnectError("[Errno 111] refused"), NetworkError, "Could not reach Attentive"),
        (httpx.ReadError("reset by peer"), NetworkError, "Could not reach Attentive"),
        (httpx.ConnectTimeout("connect timed out"), RequestTimeout, "did not answer in time"),
        (httpx.ReadTimeout("read timed out"), RequestTimeout, "did not answer in time"),
    ],
)
def test_retries_are_bounded_by_max_attempts(make_client, fake_time, failure, cls, phrase):
    handler = Recorder(failure)
    with pytest.raises(cls, match=phrase) as caught:
        make_client(handler).get_custom_attributes(phone="+14155550100")
    assert len(handler.requests) == 4
    assert caught.value.attempts == 4
    assert fake_time.waits == pytest.approx([0.1, 0.2, 0.4])


def test_backoff_is_capped_by_max_delay(make_client, fake_time):
    handler = Recorder(httpx.Response(500))
    policy = RetryPolicy(max_attempts=6, base_delay=1.0, max_delay=3.0, max_total=1000)
    with pytest.raises(ServerError):
        make_client(handler, retry=policy).me()
    assert fake_time.waits == pytest.approx([1.0, 2.0, 3.0, 3.0, 3.0])


def test_retries_stop_at_max_total(make_client, fake_time):
    handler = Recorder(httpx.Response(500))
    policy = RetryPolicy(max_attempts=10, base_delay=1.0, max_delay=100.0, max_total=5.0)
    with pytest.raises(ServerError):
        make_client(handler, retry=policy).me()
    # Waits 1 and 2 fit in 5 s; the next (4) would end at 7 s, so it gives up after 3 tries.
    assert fake_time.waits == pytest.approx([1.0, 2.0])
    assert len(handler.requests) == 3


def test_full_jitter_draws_between_zero_and_the_ceiling(make_client, fake_time):
    handler = Recorder(httpx.Response(500))
    policy = RetryPolicy(max_attempts=8, base_delay=0.5, max_delay=2.0, max_total=1000)
    with pytest.raises(ServerError):
        make_client(handler, retry=policy, rng=random.Random(7)).me()
    ceilings = [0.5, 1.0, 2.0, 2.0, 2.0, 2.0, 2.0]
    assert len(fake_time.waits) == len(ceilings)
    assert all(0 <= w <= c for w, c in zip(fake_time.waits, ceilings, strict=True))
    assert len(set(fake_time.waits)) == len(ceilings)  # really random, not fixed steps


def test_retry_policy_rejects_nonsense():
    with pytest.raises(ValueError):
        RetryPolicy(max_attempts=0)
    with pytest.raises(ValueError):
        RetryPolicy(base_delay=-1)
    assert RetryPolicy().ceiling(1000) == 5.0


def test_every_attempt_is_reported_without_the_key(make_client):
    echo = f"Bearer {API_KEY} is not valid"
    handler = Recorder(
        httpx.ConnectError(f"refused while sending {API_KEY}"),
        httpx.Response(500, json={"message": echo}, headers={"x-echo": API_KEY}),
        httpx.Response(200, text=f"stored for {API_KEY}"),
    )
    exchanges = []
    make_client(handler, exchanges=exchanges).set_custom_attributes(USER, {"note": "hello"})
    assert len(exchanges) == 3
    first, second, third = exchanges
    assert first.status is None
    assert first.error.startswith("Could not reach Attentive")
    assert first.response_body == ""
    assert second.status == 500
    assert "HTTP 500" in second.error
    assert third.status == 200 and third.error is None
    for exchange in exchanges:
        assert API_KEY not in repr(exchange)
        assert exchange.method == "POST"
        assert exchange.url == BASE_URL + "/attributes/custom"
        assert exchange.endpoint == "/attributes/custom"
        assert exchange.user == "+14155550100"
        assert exchange.user_agent == user_agent()
        assert exchange.duration_ms >= 0
        assert exchange.started_at > 1_600_000_000
        body = json.loads(exchange.request_body)
        assert body["properties"]["note"] == "hello"
        assert body["user"] == USER
    assert "[redacted]" in second.response_body


def test_the_key_never_appears_in_an_exception(make_client):
    handler = Recorder(httpx.ConnectError(f"proxy said {API_KEY}"))
    with pytest.raises(NetworkError) as caught:
        make_client(handler, retry=RetryPolicy(max_attempts=1)).me()
    assert API_KEY not in str(caught.value)
    assert API_KEY not in repr(caught.value)
    handler = Recorder(httpx.Response(401, text=f"bad key {API_KEY}"))
    with pytest.raises(Unauthorized) as caught:
        make_client(handler).me()
    assert API_KEY not in str(caught.value)
    assert "[redacted]" in caught.value.server_message


def test_get_exchange_has_the_full_url_and_the_user(make_client):
    exchanges = []
    make_client(Recorder(ok_json([])), exchanges=exchanges).get_custom_attributes(
        phone="+14155550100"
    )
    (exchange,) = exchanges
    assert exchange.url == BASE_URL + "/attributes/custom?phone=%2B14155550100"
    assert exchange.user == "+14155550100"
    assert exchange.request_body == ""
    assert exchange.response_body == "[]"


def test_huge_response_bodies_are_trimmed_in_the_exchange(make_client):
    exchanges = []
    huge = "z" * (1024 * 1024)
    with pytest.raises(BadRequest) as caught:
        make_client(Recorder(httpx.Response(400, text=huge)), exchanges=exchanges).me()
    assert len(exchanges[0].response_body.encode()) <= 64 * 1024
    assert exchanges[0].response_body.startswith("zzz")
    assert len(caught.value.server_message) <= 300


def test_cancel_before_a_call_sends_nothing_until_reset(make_client):
    handler = Recorder(ok_json({}))
    client = make_client(handler)
    client.cancel()
    assert client.cancelled
    with pytest.raises(Cancelled):
        client.me()
    assert handler.requests == []
    client.reset_cancel()
    client.me()
    assert len(handler.requests) == 1


def test_cancel_from_another_thread_interrupts_the_backoff_wait():
    waiting = threading.Event()

    def wait(event: threading.Event, seconds: float) -> bool:
        waiting.set()
        return event.wait(seconds)

    handler = Recorder(httpx.Response(500))
    http = httpx.Client(transport=httpx.MockTransport(handler))
    policy = RetryPolicy(max_attempts=3, base_delay=600, max_delay=600, max_total=10_000)
    client = AttentiveClient(BASE_URL, API_KEY, http=http, retry=policy, wait=wait)
    outcome: list[BaseException] = []

    def run() -> None:
        try:
            client.me()
        except ApiError as exc:
            outcome.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    assert waiting.wait(5)
    client.cancel()
    worker.join(5)
    assert not worker.is_alive()
    assert len(outcome) == 1 and isinstance(outcome[0], Cancelled)
    assert len(handler.requests) == 1
    http.close()


class HeldRequest:
    """An interruptible client whose server holds each request until ``answer`` is set; its
    exchanges are collected (``reported`` is set by each)."""

    def __init__(self) -> None:
        self.arrived, self.answer, self.reported = (threading.Event() for _ in range(3))
        self.exchanges: list = []
        self.http = httpx.Client(transport=httpx.MockTransport(self._handle))
        self.client = AttentiveClient(
            BASE_URL, API_KEY, http=self.http, on_exchange=self._record, interruptible=True
        )

    def _handle(self, request: httpx.Request) -> httpx.Response:
        self.arrived.set()
        self.answer.wait(10)
        return ok_json({"companyName": "Northwind"})

    def _record(self, exchange) -> None:
        self.exchanges.append(exchange)
        self.reported.set()

    def cancelled_call(self) -> BaseException | None:
        """Call me() on a thread, cancel once the request is on the wire; what it raised."""
        outcome: list[BaseException] = []

        def run() -> None:
            try:
                self.client.me()
            except ApiError as exc:
                outcome.append(exc)

        worker = threading.Thread(target=run)
        worker.start()
        assert self.arrived.wait(5)
        self.client.cancel()
        worker.join(5)
        assert not worker.is_alive()  # free for the next call while the request is held
        return outcome[0] if outcome else None


def test_an_interruptible_client_lets_go_of_a_request_on_the_wire():
    held = HeldRequest()
    assert isinstance(held.cancelled_call(), Cancelled)
    assert held.exchanges == []
    held.answer.set()
    assert held.reported.wait(5)  # the request still ran: it is recorded all the same
    assert held.exchanges[0].status == 200
    held.client.reset_cancel()
    assert not held.client.cancelled
    held.http.close()


def test_closing_waits_for_an_abandoned_attempt_so_its_answer_is_recorded():
    held = HeldRequest()
    held.client._owns_http = True  # as a client that made its own (the window's)
    assert isinstance(held.cancelled_call(), Cancelled)
    held.client.close()  # another account is chosen meanwhile
    assert not held.http.is_closed  # the cancelled request is still on the wire
    held.answer.set()
    assert held.reported.wait(5) and held.exchanges[0].status == 200  # still recorded
    closed = threading.Event()
    held.client._in_flight.when_idle(closed.set)
    assert closed.wait(5) and held.http.is_closed


@pytest.mark.parametrize("interruptible", [False, True])
def test_a_failing_exchange_callback_is_not_swallowed(interruptible):
    def explode(exchange):
        raise RuntimeError("history is full")

    http = httpx.Client(transport=httpx.MockTransport(Recorder(ok_json({}))))
    client = AttentiveClient(
        BASE_URL, API_KEY, http=http, on_exchange=explode, interruptible=interruptible
    )
    with pytest.raises(RuntimeError, match="history is full"):
        client.me()
    http.close()


def test_a_gate_holds_each_calls_first_request_but_not_its_retries(make_client):
    handler = Recorder(httpx.Response(500), ok_json({}), ok_json({}))
    client = make_client(handler)
    seen: list[int] = []
    client.hold_new_requests(lambda: seen.append(len(handler.requests)))
    client.me()  # a 500, then its retry
    assert seen == [0] and len(handler.requests) == 2

    def paused_then_cancelled() -> None:
        raise Cancelled()

    client.hold_new_requests(paused_then_cancelled)
    with pytest.raises(Cancelled):
        client.me()
    assert len(handler.requests) == 2  # it never left
