"""SandboxServer: the embedded stand-in for Attentive's Custom Attributes API on 127.0.0.1."""

from __future__ import annotations

import socket
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from http.server import ThreadingHTTPServer
from types import TracebackType
from typing import Any

from .controls import FaultPlan, RateLimiter, RecordedRequest, WindowKind
from .handlers import IDENTITY_PATH, IDENTITY_RATE_LIMIT, Dispatcher, SandboxRequestHandler
from .seed import SANDBOX_API_KEY, SANDBOX_NO_SUBSCRIPTIONS_KEY, SANDBOX_READONLY_KEY
from .state import SandboxState

HOST = "127.0.0.1"


class _HTTPServer(ThreadingHTTPServer):
    """A thread per connection, with the live connections tracked so stop() can end them."""

    daemon_threads = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], dispatcher: Dispatcher) -> None:
        self.dispatcher = dispatcher
        self._conn_lock = threading.Lock()
        self._conns: dict[socket.socket, threading.Thread] = {}
        super().__init__(address, SandboxRequestHandler)

    def process_request(self, request: Any, client_address: Any) -> None:
        thread = threading.Thread(
            target=self.process_request_thread,
            args=(request, client_address),
            name="sandbox-connection",
            daemon=True,
        )
        with self._conn_lock:
            self._conns[request] = thread
        thread.start()

    def shutdown_request(self, request: Any) -> None:
        with self._conn_lock:
            self._conns.pop(request, None)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hangs up mid-answer is normal here; anything else is a sandbox bug.
        error = sys.exc_info()[1]
        if error is not None and not isinstance(error, OSError):
            self.dispatcher.internal_errors.append(error)

    def end_connections(self) -> list[threading.Thread]:
        """Wake every connection thread (they then close their own sockets)."""
        with self._conn_lock:
            live = list(self._conns.items())
        for sock, _ in live:
            with suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        return [thread for _, thread in live]


def _shutdown_promptly(httpd: _HTTPServer) -> None:
    """httpd.shutdown(), without waiting up to a poll interval: poke the listener awake."""
    stopper = threading.Thread(target=httpd.shutdown, name="sandbox-stop", daemon=True)
    stopper.start()
    while stopper.is_alive():
        with suppress(OSError), socket.create_connection(httpd.server_address[:2], timeout=0.2):
            pass
        stopper.join(0.005)


class SandboxServer:
    """An in-process fake of the Attentive API (see DESIGN.md), for offline use and tests.

    Serves HTTP/1.1 with keep-alive on 127.0.0.1, a thread per connection. Every control and
    inspection method is thread-safe. ``seed`` makes injected faults reproducible.
    """

    api_key = SANDBOX_API_KEY
    readonly_key = SANDBOX_READONLY_KEY
    no_subscriptions_key = SANDBOX_NO_SUBSCRIPTIONS_KEY

    def __init__(
        self,
        *,
        port: int = 0,
        rate_limit: int = 150,
        latency: float = 0.0,
        seed: int | None = None,
        rate_window: WindowKind = "fixed",
    ) -> None:
        self._port = port
        self._initial_rate_limit = rate_limit
        self._initial_latency = latency
        self._state = SandboxState()
        self._limiter = RateLimiter(rate_limit, window=rate_window)
        self._identity_limiter = RateLimiter(IDENTITY_RATE_LIMIT, window=rate_window)
        self._faults = FaultPlan(latency=latency, seed=seed)
        self._dispatcher = Dispatcher(
            self._state,
            self._limiter,
            self._faults,
            endpoint_limiters={IDENTITY_PATH: self._identity_limiter},
        )
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._lifecycle = threading.Lock()

    # --- lifecycle -------------------------------------------------------------------------

    def start(self) -> SandboxServer:
        """Bind and serve in a daemon thread; returns self."""
        with self._lifecycle:
            if self._httpd is not None:
                raise RuntimeError("the sandbox is already running")
            self._dispatcher.stopping.clear()
            httpd = _HTTPServer((HOST, self._port), self._dispatcher)
            self._thread = threading.Thread(
                target=httpd.serve_forever,
                kwargs={"poll_interval": 0.05},
                name="sandbox-server",
                daemon=True,
            )
            self._httpd = httpd
            self._thread.start()
        return self

    def stop(self, timeout: float = 2.0) -> None:
        """Stop serving, end open keep-alive connections and close every socket. Idempotent."""
        with self._lifecycle:
            httpd, thread = self._httpd, self._thread
            if httpd is None or thread is None:
                return
            self._dispatcher.stopping.set()
            _shutdown_promptly(httpd)
            httpd.server_close()
            thread.join(timeout)
            deadline = time.monotonic() + timeout
            for conn in httpd.end_connections():
                conn.join(max(0.0, deadline - time.monotonic()))
            self._httpd = self._thread = None

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        """Whether the server is serving."""
        return self._httpd is not None

    @property
    def port(self) -> int:
        """The bound port (only while running)."""
        if self._httpd is None:
            raise RuntimeError("the sandbox is not running")
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        """E.g. "http://127.0.0.1:54321/v1"."""
        return f"http://{HOST}:{self.port}/v1"

    # --- controls --------------------------------------------------------------------------

    def set_latency(self, seconds: float) -> None:
        """Delay every response by ``seconds`` (no lock is held while waiting)."""
        self._faults.set_latency(seconds)

    def set_rate_limit(self, per_second: int) -> None:
        """Requests per second allowed per key per endpoint (method + path)."""
        self._limiter.set_limit(per_second)

    def set_identity_rate_limit(self, per_second: int) -> None:
        """Requests per second allowed on the Identity API (10 by default, as documented)."""
        self._identity_limiter.set_limit(per_second)

    def set_faults(self, error_rate: float = 0.0, drop_rate: float = 0.0) -> None:
        """Answer a share of requests with 500 and drop another share without any response."""
        self._faults.set_faults(error_rate, drop_rate)

    def burst_429(self, count: int) -> None:
        """Answer the next ``count`` requests with 429."""
        self._faults.burst_429(count)

    def reset(self) -> None:
        """Back to the start: seeded data, no faults, initial latency and rate limit, empty log."""
        self._faults.reset(self._initial_latency)
        self._limiter.set_limit(self._initial_rate_limit)
        self._limiter.clear()
        self._identity_limiter.set_limit(IDENTITY_RATE_LIMIT)
        self._identity_limiter.clear()
        self._state.reset()
        self._dispatcher.clear_log()

    # --- inspection ------------------------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received so far (a snapshot), oldest first."""
        return self._dispatcher.recorded()

    def wait_for_requests(self, count: int, timeout: float = 5.0) -> bool:
        """Wait until ``count`` requests were received (since the last clear); False on timeout.

        Recorded when the answer is decided, before any latency delay and before it is sent.
        """
        return self._dispatcher.wait_for_requests(count, timeout)

    def clear_requests(self) -> None:
        """Forget the recorded requests."""
        self._dispatcher.clear_log()

    @property
    def internal_errors(self) -> list[BaseException]:
        """Unexpected exceptions inside the sandbox (answered as 500); empty unless it has a bug."""
        return list(self._dispatcher.internal_errors)

    def user_attributes(self, phone: str | None = None, email: str | None = None) -> dict[str, str]:
        """A subscriber's attributes by phone (E.164) or email; {} when there is no such user."""
        return self._state.user_attributes(phone, email)

    def has_user(self, phone: str | None = None, email: str | None = None) -> bool:
        """Whether a subscriber with that phone or email exists."""
        return self._state.has_user(phone, email)

    def attribute_types(self) -> dict[str, str]:
        """Attribute name -> locked type: "Number", "Boolean", "Date" or "Text"."""
        return self._state.attribute_types()

    def ui_properties(self) -> dict[str, tuple[str, ...] | None]:
        """UI-created properties: name -> allowed values, None for "Custom input"."""
        return self._state.ui_properties()

    def linked_phone(
        self, client_user_id: str | None = None, custom: tuple[str, str] | None = None
    ) -> str | None:
        """The phone (else email) of the subscriber an external identifier is linked to."""
        return self._state.linked_phone(client_user_id, custom)


@contextmanager
def running_sandbox(**options: Any) -> Iterator[SandboxServer]:
    """Start a SandboxServer with ``options``, yield it, and stop it on exit."""
    server = SandboxServer(**options).start()
    try:
        yield server
    finally:
        server.stop()
