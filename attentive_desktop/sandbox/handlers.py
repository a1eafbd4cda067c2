"""HTTP plumbing: the dispatcher that decides each answer, and the per-connection handler."""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs

from .controls import FaultPlan, RateLimiter, RecordedRequest
from .identity import parse_identify_body
from .seed import APPLICATION_NAMES, COMPANY, KEY_SCOPES
from .state import ApiFailure, SandboxState, is_e164, is_email

MAX_BODY = 1024 * 1024
ME_PATH = "/v1/me"
ATTRIBUTES_PATH = "/v1/attributes/custom"
IDENTITY_PATH = "/v1/identity-resolution/user-identifiers"
SUBSCRIPTIONS_PATH = "/v1/subscriptions"
IDENTITY_RATE_LIMIT = 10
_ROUTES = {
    ME_PATH: ("GET",),
    ATTRIBUTES_PATH: ("GET", "POST"),
    IDENTITY_PATH: ("POST",),
    SUBSCRIPTIONS_PATH: ("GET",),
}
#: (path, method) -> the scope it needs (other calls need only a valid key).
_SCOPES = {
    (ATTRIBUTES_PATH, "POST"): "attributes:write",
    (IDENTITY_PATH, "POST"): "identity:write",
    (SUBSCRIPTIONS_PATH, "GET"): "subscriptions:read",
}


@dataclass(frozen=True)
class Outcome:
    """What to answer: ``status`` None means drop the connection without a response."""

    status: int | None
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()
    latency: float = 0.0


def _json(status: int, payload: object) -> tuple[int, bytes]:
    return status, json.dumps(payload).encode()


def _error(status: int, message: str) -> tuple[int, bytes]:
    return _json(status, {"message": message})


def _bearer(authorization: str | None) -> str | None:
    if not authorization:
        return None
    scheme, _, token = authorization.strip().partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def _reject_constant(name: str) -> object:
    raise ValueError(f"{name} is not valid JSON")


class Dispatcher:
    """Turns one parsed request into an Outcome; shared by every connection thread."""

    def __init__(
        self,
        state: SandboxState,
        limiter: RateLimiter,
        faults: FaultPlan,
        max_recorded: int = 100_000,
        endpoint_limiters: Mapping[str, RateLimiter] | None = None,
    ) -> None:
        self.state = state
        self.limiter = limiter
        #: path -> its own limiter (the Identity API allows 10/s); others use ``limiter``.
        self.endpoint_limiters = dict(endpoint_limiters or {})
        self.faults = faults
        self.stopping = threading.Event()
        self.internal_errors: list[BaseException] = []
        self._log_lock = threading.Condition()
        self._log: deque[RecordedRequest] = deque(maxlen=max_recorded)
        self._received = 0

    # --- request log -----------------------------------------------------------------------

    def recorded(self) -> list[RecordedRequest]:
        """A snapshot of the request log, oldest first."""
        with self._log_lock:
            return list(self._log)

    def clear_log(self) -> None:
        """Forget every recorded request."""
        with self._log_lock:
            self._log.clear()
            self._received = 0

    # --- deciding --------------------------------------------------------------------------

    def handle(
        self,
        method: str,
        path: str,
        raw_query: str,
        authorization: str | None,
        body: bytes,
        headers: dict[str, str],
        body_error: str | None = None,
    ) -> Outcome:
        """Decide the answer to one request and record it."""
        arrived = time.time()
        key = _bearer(authorization)
        bucket = (key, method, path)
        limiter = self.endpoint_limiters.get(path, self.limiter)
        latency = self.faults.latency
        if self.faults.take_burst():
            rate = limiter.peek(bucket)
            status, payload = _error(429, "Too many requests.")
            remaining = 0
        else:
            rate = limiter.check(bucket)
            remaining = rate.remaining
            fault = None if not rate.allowed else self.faults.draw()
            if not rate.allowed:
                status, payload = _error(429, "Too many requests.")
            elif fault == "drop":
                self._record(method, path, raw_query, body, arrived, None, headers)
                return Outcome(None, latency=latency)
            elif fault == "error":
                status, payload = _error(500, "Internal server error (sandbox fault injection).")
            elif body_error is not None:
                status, payload = _error(400, body_error)
            else:
                status, payload = self._route(method, path, raw_query, key, body)
        self._record(method, path, raw_query, body, arrived, status, headers)
        out_headers = [
            ("x-ratelimit-limit", str(rate.limit)),
            ("x-ratelimit-remaining", str(remaining)),
        ]
        if payload:
            out_headers.append(("Content-Type", "application/json"))
        return Outcome(status, payload, tuple(out_headers), latency)

    def _record(
        self,
        method: str,
        path: str,
        raw_query: str,
        body: bytes,
        arrived: float,
        status: int | None,
        headers: dict[str, str],
    ) -> None:
        entry = RecordedRequest(
            method, path, raw_query, body.decode("utf-8", "replace"), arrived, status, headers
        )
        with self._log_lock:
            self._log.append(entry)
            self._received += 1
            self._log_lock.notify_all()

    def wait_for_requests(self, count: int, timeout: float) -> bool:
        """Block until ``count`` requests were received since the log was last cleared."""
        with self._log_lock:
            return self._log_lock.wait_for(lambda: self._received >= count, timeout)

    def _route(
        self, method: str, path: str, raw_query: str, key: str | None, body: bytes
    ) -> tuple[int, bytes]:
        scopes = KEY_SCOPES.get(key) if key else None
        if scopes is None:
            return _error(401, "Unauthorized: missing or invalid API key.")
        allowed = _ROUTES.get(path)
        if allowed is None:
            return _error(404, f"No such endpoint: {path}.")
        if method not in allowed:
            return _error(405, f"Method {method} is not allowed on {path}.")
        needed = _SCOPES.get((path, method))
        if needed is not None and needed not in scopes:
            return _error(403, f"Access denied: this API key lacks the {needed} scope.")
        try:
            if path == ME_PATH:
                return _json(200, {"applicationName": APPLICATION_NAMES[key], **COMPANY})
            if path == IDENTITY_PATH:
                self.state.link_identifiers(parse_identify_body(self._parse_json(body)))
                return 202, b""
            if path == SUBSCRIPTIONS_PATH:
                field, value = self._user_query(raw_query)
                found = self.state.subscriptions(**{field: value})
                return _json(200, {"subscriptionEligibilities": found})
            if method == "GET":
                return _json(200, self._lookup(raw_query))
            self.state.upsert(self._parse_json(body))
            return 200, b""
        except ApiFailure as failure:
            return _error(failure.status, failure.message)

    def _lookup(self, raw_query: str) -> list[dict]:
        field, value = self._user_query(raw_query)
        return self.state.lookup(**{field: value})

    @staticmethod
    def _user_query(raw_query: str) -> tuple[str, str]:
        """The one phone or email a GET names, validated (ApiFailure(400) otherwise)."""
        # parse_qs decodes "%2B" to "+" and a literal "+" to a space, as a real server does.
        query = parse_qs(raw_query, keep_blank_values=True)
        given = [name for name in ("phone", "email") if name in query]
        if len(given) != 1:
            raise ApiFailure(400, "Give exactly one of the 'phone' or 'email' query parameters.")
        (name,) = given
        if len(query[name]) != 1:
            raise ApiFailure(400, f"Give the '{name}' query parameter once.")
        value = query[name][0]
        if name == "phone" and not is_e164(value):
            raise ApiFailure(
                400,
                "'phone' must be in E.164 format, e.g. +14155550100 "
                "(encode '+' as %2B in the query string).",
            )
        if name == "email" and not is_email(value):
            raise ApiFailure(400, "'email' is not a valid email address.")
        return name, value

    @staticmethod
    def _parse_json(body: bytes) -> object:
        try:
            return json.loads(body.decode("utf-8"), parse_constant=_reject_constant)
        except (UnicodeDecodeError, ValueError) as exc:
            raise ApiFailure(400, f"The request body is not valid JSON: {exc}.") from None


class SandboxRequestHandler(BaseHTTPRequestHandler):
    """One keep-alive connection: read a request, ask the dispatcher, answer after latency."""

    protocol_version = "HTTP/1.1"
    server_version = "AttentiveSandbox/1.0"
    sys_version = ""
    disable_nagle_algorithm = True
    timeout = 120  # an idle keep-alive connection is closed after this many seconds

    def log_message(self, format: str, *args: object) -> None:
        """Silent: the test suite and the terminal stay quiet."""

    def do_GET(self) -> None:
        self._serve()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_GET

    def _read_body(self) -> tuple[bytes, str | None]:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            return self._read_chunked()
        length_text = self.headers.get("Content-Length", "0")
        try:
            length = int(length_text)
        except ValueError:
            self.close_connection = True
            return b"", "Invalid Content-Length header."
        if length < 0 or length > MAX_BODY:
            self.close_connection = True
            return b"", f"The request body must be between 0 and {MAX_BODY} bytes."
        return self.rfile.read(length), None

    def _read_chunked(self) -> tuple[bytes, str | None]:
        chunks: list[bytes] = []
        total = 0
        while True:
            line = self.rfile.readline(1024)
            try:
                size = int(line.split(b";")[0].strip(), 16)
            except ValueError:
                self.close_connection = True
                return b"", "Malformed chunked body."
            total += size
            if total > MAX_BODY:
                self.close_connection = True
                return b"", f"The request body must be at most {MAX_BODY} bytes."
            if size == 0:
                while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                    pass
                return b"".join(chunks), None
            chunks.append(self.rfile.read(size))
            self.rfile.readline(1024)

    def _serve(self) -> None:
        dispatcher: Dispatcher = self.server.dispatcher  # type: ignore[attr-defined]
        body, body_error = self._read_body()
        path, _, raw_query = self.path.partition("?")
        headers = {k.lower(): v for k, v in self.headers.items() if k.lower() != "authorization"}
        try:
            outcome = dispatcher.handle(
                self.command,
                path,
                raw_query,
                self.headers.get("Authorization"),
                body,
                headers,
                body_error,
            )
        except Exception as exc:  # a sandbox bug: answer 500 and keep it for tests to see
            dispatcher.internal_errors.append(exc)
            outcome = Outcome(
                500,
                b'{"message": "Sandbox internal error."}',
                (("Content-Type", "application/json"),),
            )
        if outcome.latency and dispatcher.stopping.wait(outcome.latency):
            outcome = Outcome(None)
        if outcome.status is None or dispatcher.stopping.is_set():
            self.close_connection = True
            return
        self.send_response(outcome.status)
        for name, value in outcome.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(outcome.body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if outcome.body:
            self.wfile.write(outcome.body)
