"""One API call: pacing, the attempt loop with retries, exchange reports and cancellation."""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from attentive_desktop.api.bodies import (
    decode_body,
    looks_like_html,
    redact,
    server_message,
    trim_text,
    trim_utf8,
)
from attentive_desktop.api.errors import (
    ApiError,
    Cancelled,
    UnexpectedResponse,
    error_for_response,
    error_for_transport,
    is_retryable,
)
from attentive_desktop.api.exchange import RESPONSE_BODY_LIMIT, Exchange
from attentive_desktop.api.pacing import RateLimitPacer
from attentive_desktop.api.retry import RetryPolicy, Wait

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Call:
    """What one API call sends; `query` is already encoded (e.g. "phone=%2B1415…")."""

    method: str
    endpoint: str
    query: str = ""
    body: str | None = None
    user: str = ""
    write: bool = False


@dataclass(frozen=True)
class Reply:
    """A successful response: status, headers and the body's text (with the API key
    redacted)."""

    status: int
    headers: httpx.Headers
    text: str


# How often a caller waiting on an interruptible attempt looks at its cancel event.
CANCEL_POLL_SECONDS = 0.05


class InFlight:
    """Counts the attempts running on threads of their own (interruptible senders), so the
    HTTP client they share is closed only once the last one has ended (`when_idle`)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._count = 0
        self._waiting: list[Callable[[], None]] = []

    def enter(self) -> None:
        with self._lock:
            self._count += 1

    def leave(self) -> None:
        with self._lock:
            self._count -= 1
            ready: list[Callable[[], None]] = []
            if not self._count:
                ready, self._waiting = self._waiting, []
        for callback in ready:
            callback()

    def when_idle(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` now if no attempt runs, else when the last one ends."""
        with self._lock:
            if self._count:
                self._waiting.append(callback)
                return
        callback()


class Sender:
    """Runs calls against `base_url` with the key, pacing, retries and exchange reports.

    With `interruptible`, each attempt runs on a short-lived daemon thread and the caller waits
    for it or for `cancel_event`: cancelling frees the caller within CANCEL_POLL_SECONDS even
    while a request is on the wire. That request cannot be recalled: it runs to its end, is
    still reported, and its answer is dropped.
    """

    def __init__(
        self,
        *,
        base_url: str,
        api_key: str,
        http: httpx.Client,
        user_agent: str,
        retry: RetryPolicy,
        pacer: RateLimitPacer,
        on_exchange: Callable[[Exchange], None] | None,
        rng: random.Random,
        wait: Wait,
        clock: Callable[[], float],
        interruptible: bool = False,
        in_flight: InFlight | None = None,
    ) -> None:
        self._interruptible = interruptible
        self.gate: Callable[[], None] | None = None  # AttentiveClient.hold_new_requests
        self._in_flight = in_flight if in_flight is not None else InFlight()
        self._base_url = base_url
        self._host = urlsplit(base_url).netloc
        self._key = api_key
        self._http = http
        self._user_agent = user_agent
        self._retry = retry
        self._pacer = pacer
        self._on_exchange = on_exchange
        self._rng = rng
        self._rng_lock = threading.Lock()
        self._wait = wait
        self._clock = clock
        self.cancel_event = threading.Event()

    def _safe(self, text: str) -> str:
        return redact(text, (self._key,))

    def run(self, call: Call) -> Reply:
        """Send `call`, retrying retryable failures; raise the last ApiError or Cancelled."""
        url = self._base_url + call.endpoint + (f"?{call.query}" if call.query else "")
        content = call.body.encode("utf-8") if call.body is not None else None
        headers = {
            "Authorization": f"Bearer {self._key}",
            "Accept": "application/json",
            "User-Agent": self._user_agent,
        }
        if content is not None:
            headers["Content-Type"] = "application/json"
        began = self._clock()
        attempt = 0
        while True:
            attempt += 1
            if self.cancel_event.is_set():
                raise Cancelled()
            self._pacer.acquire(self.cancel_event)
            if attempt == 1 and self.gate is not None:
                self.gate()  # e.g. a paused bulk run: this one has not left yet
            args = (call, url, headers, content, attempt)
            result = self._attempt_or_cancel(*args) if self._interruptible else self._attempt(*args)
            if isinstance(result, Reply):
                return result
            error = result
            error.attempts = attempt
            if not is_retryable(error) or attempt >= self._retry.max_attempts:
                raise error
            with self._rng_lock:
                delay = self._retry.delay(attempt, self._rng)
            if self._clock() - began + delay > self._retry.max_total:
                raise error
            if self._wait(self.cancel_event, delay):
                raise Cancelled()

    def _attempt_or_cancel(
        self, call: Call, url: str, headers: dict[str, str], content: bytes | None, attempt: int
    ) -> Reply | ApiError:
        """One attempt on its own thread; raises Cancelled as soon as `cancel_event` is set,
        else returns (or raises) what the attempt did."""
        outcome: list[Reply | ApiError | Exception] = []
        done, abandoned = threading.Event(), threading.Event()

        def run_attempt() -> None:
            try:
                outcome.append(self._attempt(call, url, headers, content, attempt))
            except Exception as exc:  # raised in the caller, unless nobody waits any more
                outcome.append(exc)
                if abandoned.is_set():  # e.g. the window closed under it
                    log.debug("an abandoned attempt failed", exc_info=True)
            finally:
                done.set()
                self._in_flight.leave()

        self._in_flight.enter()
        threading.Thread(target=run_attempt, name="attentive-request", daemon=True).start()
        while not done.wait(CANCEL_POLL_SECONDS):
            if self.cancel_event.is_set():
                abandoned.set()
                raise Cancelled()
        if isinstance(outcome[0], Exception) and not isinstance(outcome[0], ApiError):
            raise outcome[0]
        return outcome[0]

    def _attempt(
        self,
        call: Call,
        url: str,
        headers: dict[str, str],
        content: bytes | None,
        attempt: int,
    ) -> Reply | ApiError:
        started_at = time.time()
        t0 = time.perf_counter()
        status: int | None = None
        response_headers: httpx.Headers | None = None
        body_text = ""
        error: ApiError | None = None
        reply: Reply | None = None
        try:
            response = self._http.request(call.method, url, content=content, headers=headers)
        except httpx.TransportError as exc:  # timeouts included
            error = self._transport_error(exc)
        else:
            status = response.status_code
            response_headers = response.headers
            body_text = decode_body(response.content, response.charset_encoding)
            if 200 <= status <= 299 and call.method == "GET" and looks_like_html(body_text):
                error = self._web_page_error(status, body_text)
            elif 200 <= status <= 299:
                # What callers parse (a lookup's values, /me) never holds the key, even when a
                # server or proxy echoes the request back into a success.
                reply = Reply(status, response.headers, self._safe(body_text))
            else:
                error = error_for_response(
                    status,
                    body_text,
                    write=call.write,
                    endpoint=call.endpoint,
                    secrets=(self._key,),
                )
        finally:
            # Always tell the pacer, so an outstanding probe never blocks other callers.
            self._pacer.observe(status, response_headers)
        duration_ms = (time.perf_counter() - t0) * 1000.0
        self._report(
            Exchange(
                started_at=started_at,
                method=call.method,
                url=self._safe(url),
                endpoint=call.endpoint,
                user=self._safe(call.user),
                status=status,
                duration_ms=duration_ms,
                attempt=attempt,
                request_body=self._safe(call.body or ""),
                response_body=trim_utf8(self._safe(body_text), RESPONSE_BODY_LIMIT),
                user_agent=self._user_agent,
                error=str(error) if error is not None else None,
            )
        )
        if reply is not None:
            return reply
        return error if error is not None else ApiError()

    def _transport_error(self, exc: httpx.TransportError) -> ApiError:
        timeout = getattr(self._http, "timeout", None)
        # The raw error goes to the (redacting) debug log for support; the user gets words.
        log.debug("no response from %s: %s", self._host, trim_text(self._safe(repr(exc)), 500))
        return error_for_transport(
            exc,
            host=self._host,
            connect_timeout=getattr(timeout, "connect", None),
            read_timeout=getattr(timeout, "read", None),
            secrets=(self._key,),
        )

    def _web_page_error(self, status: int, body_text: str) -> ApiError:
        """A 2xx web page where data was expected: a proxy or a Wi-Fi sign-in page answered."""
        return UnexpectedResponse(
            "Attentive's reply could not be read: it is a web page, not JSON data. A proxy or "
            "a Wi-Fi sign-in page may be answering in Attentive's place; check your connection "
            "and the account's base URL.",
            status=status,
            server_message=server_message(body_text, secrets=(self._key,)),
        )

    def _report(self, exchange: Exchange) -> None:
        if self._on_exchange is not None:
            self._on_exchange(exchange)
