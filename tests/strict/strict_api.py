"""An independent, strict stand-in for Attentive's Custom Attributes API, for journey tests.

Written from ../shared/DESIGN.md only (nothing from attentive_desktop.sandbox): the three
calls, strict wherever the real API may be strict, so the window is checked against what the
documentation allows rather than against our own sandbox's habits.

- ``Authorization: Bearer <key>`` exactly, else 401. ``read_key`` is valid but lacks
  ``attributes:write``: 403 on POST.
- ``GET /me``: the documented fields plus an undocumented one (clients must tolerate it).
- ``GET /attributes/custom``: exactly one of ``phone``/``email``, nothing else; the phone in
  E.164 with its ``+`` percent-encoded in the raw query (a literal ``+`` decodes to a space).
- ``POST /attributes/custom``: ``application/json``; exactly ``properties`` and ``user``;
  strict ``user`` keys; names of at most 200 characters; arrays, objects and nulls refused;
  the first value of a name fixes its type, a later value of another type is refused (400).
  Success is 200 with an empty body and no content type.
- Every response carries ``x-ratelimit-limit: 150`` and ``x-ratelimit-remaining``; more than
  150 requests in one second on one endpoint with one key get 429. Unknown paths are 404.
- Every request is recorded as it arrives (method, path, raw query, headers, body, arrival
  time); its status is filled in once it is answered (0 until then, and for a dropped one).

Scripted trouble, for the failure journeys (test_strict_failures.py); every one is keyed by
method and path (without /v1), and ``clear_faults()`` ends them all:

- ``fail_next(method, path, count, status, headers=..., message=...)``: the next ``count``
  requests get ``status`` with ``{"message": ...}`` and exactly the given headers (plus
  Content-Type and Content-Length: a 429 scripted without x-ratelimit headers has none), and
  are not otherwise handled (nothing is stored).
- ``drop_next(method, path, count)``: the next ``count`` requests are read, then the
  connection is closed without an answer.
- ``slow_down(method, path, seconds)``: every request waits ``seconds`` after it arrived
  before it is handled (the server being slow; ``stop()`` ends the wait, unanswered).
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from email.message import Message
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

RATE_LIMIT = 150
PREFIX = "/v1"
MAX_NAME_LENGTH = 200
USER_KEYS = frozenset({"phone", "email", "externalIdentifiers"})
EXTERNAL_KEYS = frozenset({"clientUserId", "customIdentifiers"})

E164 = re.compile(r"^\+[1-9]\d{6,14}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
NUMBER = re.compile(r"^[+-]?(\d+(\.\d+)?|\.\d+)$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
TIMESTAMP = re.compile(
    r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$", re.IGNORECASE
)

ME = {
    "applicationName": "Strict journey check",
    "attentiveDomainName": "strict-outdoor",
    "companyName": "Strict Outdoor Supply",
    "contactEmail": "it@strict-outdoor.example",
    "companyId": "MDc6Q29tcGFueTQyNDI",
    "region": "US",  # not documented: a client must ignore it
}


def type_of(value: str) -> str:
    """The type the first value of an attribute fixes (DESIGN.md: Number, Boolean, Date, Text)."""
    text = value.strip()
    if NUMBER.match(text):
        return "Number"
    if text.lower() in ("true", "false"):
        return "Boolean"
    if DATE.match(text) or TIMESTAMP.match(text):
        return "Date"
    return "Text"


@dataclass
class StrictUser:
    """A stored user: phone and/or email, and custom attributes (all values strings)."""

    phone: str | None = None
    email: str | None = None
    attributes: dict[str, str] = field(default_factory=dict)


@dataclass
class Recorded:
    """One request as it arrived, and the status it got."""

    method: str
    path: str
    raw_query: str
    headers: list[tuple[str, str]]
    body: bytes
    status: int = 0
    arrived: float = 0.0  # time.monotonic() when the request had been read
    dropped: bool = False  # the connection was closed without an answer

    def header(self, name: str) -> str | None:
        """The first value of header ``name`` (case-insensitive), or None."""
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None

    def json(self) -> Any:
        """The body parsed as JSON."""
        return json.loads(self.body.decode("utf-8"))


@dataclass(frozen=True)
class Fault:
    """A scripted answer: ``status`` with ``headers`` and ``{"message": message}``, or no
    answer at all (``status`` None: the connection is closed)."""

    status: int | None
    headers: tuple[tuple[str, str], ...] = ()
    message: str = ""


class Refused(Exception):
    """An error response: status and the message for the JSON body."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def seeded_users() -> list[StrictUser]:
    """A phone user and an email user with a few attributes."""
    return [
        StrictUser(
            phone="+14155550100",
            attributes={"Favorite color": "blue", "age": "36", "VIP": "true"},
        ),
        StrictUser(
            email="lin@example.org",
            attributes={
                "Favorite color": "green",
                "Member since": "2021-04-23",
                "Gift card balance": "50.89",
            },
        ),
    ]


class StrictApi:
    """The strict API on 127.0.0.1 (an ephemeral port) in a background thread.

    Use as a context manager, or ``start()``/``stop()``. ``base_url`` ends in ``/v1`` as the
    real one does. ``write_key`` may do everything; ``read_key`` is refused writes (403).
    """

    def __init__(
        self,
        *,
        write_key: str = "strict-write-key-7f3a9c",
        read_key: str = "strict-read-only-key-2b8e",
        users: list[StrictUser] | None = None,
    ) -> None:
        self.write_key = write_key
        self.read_key = read_key
        self.users = seeded_users() if users is None else users
        self.types: dict[str, str] = {}
        for user in self.users:
            for name, value in user.attributes.items():
                self.types.setdefault(name, type_of(value))
        self.requests: list[Recorded] = []
        self.lock = threading.RLock()
        self._windows: dict[tuple[str, str], tuple[int, int]] = {}
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._connections: set[socket.socket] = set()
        self._faults: dict[tuple[str, str], deque[Fault]] = {}
        self._delays: dict[tuple[str, str], float] = {}
        self._stopping = threading.Event()

    # lifecycle ----------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        assert self._server is not None, "start the server first"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}{PREFIX}"

    def start(self) -> StrictApi:
        api = self

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            block_on_close = False

            def get_request(self) -> tuple[socket.socket, Any]:
                conn, address = super().get_request()
                with api.lock:
                    api._connections.add(conn)
                return conn, address

            def shutdown_request(self, request: Any) -> None:
                with api.lock:
                    api._connections.discard(request)
                super().shutdown_request(request)

        class Handler(StrictHandler):
            strict = api

        self._server = Server(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="strict-api",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._stopping.set()  # slowed-down requests stop waiting (and get no answer)
        self._server.shutdown()
        with self.lock:
            connections = list(self._connections)
        for conn in connections:  # keep-alive connections the client left open
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(5)
        self._server = None

    def __enter__(self) -> StrictApi:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # queries for assertions ---------------------------------------------------------------
    def received(self, method: str | None = None, path: str | None = None) -> list[Recorded]:
        """Recorded requests, filtered by method and path (without the /v1 prefix)."""
        with self.lock:
            found = list(self.requests)
        return [
            r
            for r in found
            if (method is None or r.method == method) and (path is None or r.path == PREFIX + path)
        ]

    def attributes_of(self, *, phone: str | None = None, email: str | None = None) -> dict:
        with self.lock:
            user = self._find(phone, email)
            return dict(user.attributes) if user else {}

    def in_flight(self, method: str | None = None, path: str | None = None) -> list[Recorded]:
        """Requests that arrived and are not answered (nor dropped) yet."""
        return [r for r in self.received(method, path) if not r.status and not r.dropped]

    # scripted trouble ---------------------------------------------------------------------
    def fail_next(
        self,
        method: str,
        path: str,
        count: int,
        status: int,
        *,
        headers: dict[str, str] | None = None,
        message: str | None = None,
    ) -> None:
        """Answer the next ``count`` ``method`` requests to ``path`` (without /v1) with
        ``status``, exactly ``headers`` and ``{"message": message}`` (default: the reason
        phrase)."""
        fault = Fault(
            status,
            tuple((headers or {}).items()),
            message if message is not None else HTTPStatus(status).phrase,
        )
        self._script(method, path, [fault] * count)

    def drop_next(self, method: str, path: str, count: int) -> None:
        """Close the connection of the next ``count`` ``method`` requests to ``path`` without
        answering them."""
        self._script(method, path, [Fault(None)] * count)

    def slow_down(self, method: str, path: str, seconds: float) -> None:
        """Make every ``method`` request to ``path`` wait ``seconds`` before it is handled
        (0: no more waiting)."""
        with self.lock:
            self._delays[(method, PREFIX + path)] = seconds

    def clear_faults(self) -> None:
        """No more scripted answers, drops or delays."""
        with self.lock:
            self._faults.clear()
            self._delays.clear()

    def _script(self, method: str, path: str, faults: list[Fault]) -> None:
        with self.lock:
            self._faults.setdefault((method, PREFIX + path), deque()).extend(faults)

    def delay_for(self, record: Recorded) -> float:
        with self.lock:
            return self._delays.get((record.method, record.path), 0.0)

    def scripted(self, record: Recorded) -> Fault | None:
        """The scripted fault for this request, if one is queued (taken off the queue)."""
        with self.lock:
            queue = self._faults.get((record.method, record.path))
            return queue.popleft() if queue else None

    # the API ------------------------------------------------------------------------------
    def _find(self, phone: str | None, email: str | None) -> StrictUser | None:
        for user in self.users:
            if phone is not None and user.phone == phone:
                return user
            if email is not None and user.email and user.email.lower() == email.lower():
                return user
        return None

    def _rate(self, endpoint: str, key: str) -> int:
        """Count this request; returns how many remain in the current second (<0: over)."""
        second = int(time.monotonic())
        start, count = self._windows.get((endpoint, key), (second, 0))
        if start != second:
            start, count = second, 0
        count += 1
        self._windows[(endpoint, key)] = (start, count)
        return RATE_LIMIT - count

    def handle(self, record: Recorded, auth: list[str]) -> tuple[int, bytes, str | None, int]:
        """(status, body, content type, remaining) for one request."""
        with self.lock:
            path = record.path
            endpoint = path[len(PREFIX) :] if path.startswith(PREFIX + "/") else None
            key = None
            remaining = RATE_LIMIT
            try:
                if endpoint not in ("/me", "/attributes/custom"):
                    raise Refused(404, f"No such resource: {path}")
                if (endpoint, record.method) not in {
                    ("/me", "GET"),
                    ("/attributes/custom", "GET"),
                    ("/attributes/custom", "POST"),
                }:
                    raise Refused(404, f"No such resource: {record.method} {path}")
                key = self._authorize(auth)
                remaining = self._rate(endpoint, key)
                if remaining < 0:
                    raise Refused(429, "Too many requests")
                if endpoint == "/me":
                    self._no_query(record)
                    return 200, json.dumps(ME).encode(), "application/json", remaining
                if record.method == "GET":
                    attributes = self._lookup(record)
                    body = json.dumps([{"name": n, "value": v} for n, v in attributes.items()])
                    return 200, body.encode(), "application/json", remaining
                if key != self.write_key:
                    raise Refused(403, "This API key does not have the attributes:write scope.")
                self._upsert(record)
                return 200, b"", None, remaining
            except Refused as refused:
                body = json.dumps({"message": refused.message}).encode()
                return refused.status, body, "application/json", max(remaining, 0)

    def _authorize(self, auth: list[str]) -> str:
        if len(auth) != 1:
            raise Refused(401, "Missing or repeated Authorization header.")
        for key in (self.write_key, self.read_key):
            if auth[0] == f"Bearer {key}":
                return key
        raise Refused(401, "Unauthorized: the API key is not valid.")

    @staticmethod
    def _no_query(record: Recorded) -> None:
        if record.raw_query:
            raise Refused(400, "This endpoint takes no query parameters.")

    def _lookup(self, record: Recorded) -> dict[str, str]:
        try:
            pairs = parse_qsl(record.raw_query, keep_blank_values=True, strict_parsing=True)
        except ValueError:
            raise Refused(400, "The query string is malformed.") from None
        names = [name for name, _value in pairs]
        unknown = sorted(set(names) - {"phone", "email"})
        if unknown:
            raise Refused(400, f"Unknown query parameter: {unknown[0]}.")
        if len(names) != 1:
            raise Refused(400, "Give exactly one of phone or email.")
        name, value = pairs[0]
        if name == "phone":
            if not E164.match(value):
                raise Refused(400, "phone must be in E.164 format, e.g. +14155550100.")
            if "%2B" not in record.raw_query.upper():
                raise Refused(400, "phone must be in E.164 format, e.g. +14155550100.")
            user = self._find(value, None)
        else:
            if not EMAIL.match(value):
                raise Refused(400, "email is not a valid email address.")
            user = self._find(None, value)
        if user is None:
            raise Refused(404, "User not found.")
        return dict(user.attributes)

    def _upsert(self, record: Recorded) -> None:
        content_type = (record.header("Content-Type") or "").split(";")[0].strip().lower()
        if content_type != "application/json":
            raise Refused(400, "Content-Type must be application/json.")
        try:
            body = json.loads(record.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise Refused(400, "The request body is not valid JSON.") from None
        if not isinstance(body, dict) or set(body) != {"properties", "user"}:
            raise Refused(400, "The body must be an object with exactly properties and user.")
        properties = self._properties(body["properties"])
        user = self._user(body["user"])
        for name, value in properties.items():
            fixed = self.types.get(name)
            kind = type_of(value)
            if fixed is not None and fixed != kind:
                raise Refused(
                    400, f"Property '{name}' has type {fixed}; the value '{value}' is {kind}."
                )
        for name, value in properties.items():
            self.types.setdefault(name, type_of(value))
            user.attributes[name] = value

    @staticmethod
    def _properties(properties: Any) -> dict[str, str]:
        if not isinstance(properties, dict) or not properties:
            raise Refused(400, "properties must be a non-empty object.")
        result = {}
        for name, value in properties.items():
            if not name.strip():
                raise Refused(400, "A property name is empty.")
            if len(name) > MAX_NAME_LENGTH:
                raise Refused(400, f"Property names are at most {MAX_NAME_LENGTH} characters.")
            if isinstance(value, list):
                raise Refused(400, f"Property '{name}': arrays are not supported.")
            if isinstance(value, dict):
                raise Refused(400, f"Property '{name}': objects are not supported.")
            if value is None:
                raise Refused(400, f"Property '{name}' has no value.")
            if isinstance(value, bool):
                value = "true" if value else "false"
            result[name] = value if isinstance(value, str) else json.dumps(value)
        return result

    def _user(self, user: Any) -> StrictUser:
        if not isinstance(user, dict) or not user:
            raise Refused(400, "user must be a non-empty object.")
        extra = sorted(set(user) - USER_KEYS)
        if extra:
            raise Refused(400, f"Unknown user field: {extra[0]}.")
        phone, email = user.get("phone"), user.get("email")
        if "phone" in user and not (isinstance(phone, str) and E164.match(phone)):
            raise Refused(400, "user.phone must be in E.164 format.")
        if "email" in user and not (isinstance(email, str) and EMAIL.match(email)):
            raise Refused(400, "user.email is not a valid email address.")
        if "externalIdentifiers" in user:
            self._external(user["externalIdentifiers"])
        if phone is None and email is None:
            raise Refused(404, "No user is linked to these external identifiers.")
        by_phone = self._find(phone, None) if phone else None
        by_email = self._find(None, email) if email else None
        if by_phone and by_email and by_phone is not by_email:
            raise Refused(400, "The phone and the email belong to different users.")
        found = by_phone or by_email
        if found is None:
            found = StrictUser(phone=phone, email=email)
            self.users.append(found)
        return found

    @staticmethod
    def _external(external: Any) -> None:
        if not isinstance(external, dict) or not external:
            raise Refused(400, "user.externalIdentifiers must be a non-empty object.")
        extra = sorted(set(external) - EXTERNAL_KEYS)
        if extra:
            raise Refused(400, f"Unknown externalIdentifiers field: {extra[0]}.")
        if "clientUserId" in external and not isinstance(external["clientUserId"], str):
            raise Refused(400, "clientUserId must be a string.")
        customs = external.get("customIdentifiers", [])
        if not isinstance(customs, list):
            raise Refused(400, "customIdentifiers must be a list.")
        for item in customs:
            if (
                not isinstance(item, dict)
                or set(item) != {"name", "value"}
                or not all(isinstance(v, str) for v in item.values())
            ):
                raise Refused(400, "Each custom identifier is {name, value} with strings.")


class StrictHandler(BaseHTTPRequestHandler):
    """Reads one request, records it, answers what StrictApi.handle decides."""

    strict: StrictApi
    protocol_version = "HTTP/1.1"
    timeout = 10

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the test output is for the tests."""

    def _serve(self) -> None:
        strict = self.strict
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        parts = urlsplit(self.path)
        record = Recorded(
            method=self.command,
            path=parts.path,
            raw_query=parts.query,
            headers=list(self.headers.items()),
            body=body,
            arrived=time.monotonic(),
        )
        with strict.lock:
            strict.requests.append(record)
        delay = strict.delay_for(record)
        if delay > 0 and strict._stopping.wait(delay):
            self._drop(record)  # shutting down: no answer
            return
        fault = strict.scripted(record)
        if fault is not None:
            self._answer_fault(record, fault)
            return
        headers: Message = self.headers
        auth = headers.get_all("Authorization") or []
        status, payload, content_type, remaining = strict.handle(record, auth)
        record.status = status  # before the answer leaves: whoever sees it sees the status
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("x-ratelimit-limit", str(RATE_LIMIT))
        self.send_header("x-ratelimit-remaining", str(max(remaining, 0)))
        self.end_headers()
        if payload:
            self.wfile.write(payload)

    def _answer_fault(self, record: Recorded, fault: Fault) -> None:
        if fault.status is None:
            self._drop(record)
            return
        payload = json.dumps({"message": fault.message}).encode()
        record.status = fault.status
        self.send_response(fault.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in fault.headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def _drop(self, record: Recorded) -> None:
        """Close the connection without a byte of answer."""
        record.dropped = True
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    do_GET = _serve
    do_POST = _serve
    do_PUT = _serve
    do_PATCH = _serve
    do_DELETE = _serve
