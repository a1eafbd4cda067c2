"""The log file: owner-only, rotated, and never holding the key, even at debug level with
httpx and httpcore logging every header they see."""

from __future__ import annotations

import logging
import stat
import threading
from logging.handlers import RotatingFileHandler
from urllib.parse import quote

import httpx
import pytest

from attentive_desktop.api import AttentiveClient, NetworkError, RetryPolicy, Unauthorized
from attentive_desktop.logs import RedactingFilter, configure_logging, log_file
from attentive_desktop.store.paths import AppPaths

from ..privacy import assert_private_tree, find_secret
from .servers import Script, closed_port, scripted
from .support import API_KEY

log = logging.getLogger("attentive_desktop.tests.hardening")


@pytest.fixture
def paths() -> AppPaths:
    return AppPaths.from_environment().ensure()


@pytest.fixture(params=[False, True], ids=["in-thread", "background"])
def debug_log(request, paths):
    setup = configure_logging(paths, "DEBUG", lambda: [API_KEY], background=request.param)
    yield setup
    setup.close()


def _flush(setup) -> str:
    setup.flush()
    return setup.path.read_text(encoding="utf-8")


def test_the_key_is_scrubbed_from_messages_args_exceptions_and_stacks(debug_log) -> None:
    log.debug("plain %s and percent-encoded %s", API_KEY, quote(API_KEY, safe=""))
    log.info("header Authorization: Bearer %s", API_KEY)
    log.warning("dict %r", {"headers": {"authorization": f"Bearer {API_KEY}"}})
    log.debug(f"f-string {API_KEY}", stack_info=True)
    try:
        raise ValueError(f"the server refused {API_KEY}")
    except ValueError:
        log.exception("failed with %s", API_KEY)
    text = _flush(debug_log)
    assert "plain [redacted] and percent-encoded [redacted]" in text
    assert "header Authorization: [redacted]" in text
    assert "ValueError: the server refused [redacted]" in text  # the traceback is kept
    assert "Stack (most recent call last)" in text
    assert find_secret([debug_log.path], API_KEY) == []
    assert API_KEY.split("_")[-1] not in text


def test_httpx_and_httpcore_debug_output_is_scrubbed(debug_log) -> None:
    """httpcore logs response headers at DEBUG; this server echoes the key back in one."""
    control: list[str] = []

    class Unfiltered(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            control.append(record.getMessage())

    # Installed first, so it sees each record before the redacting file handler rewrites it.
    root = logging.getLogger()
    spy = Unfiltered(logging.DEBUG)
    root.handlers.insert(0, spy)
    try:
        with (
            scripted(Script(status=401, echo_auth=True)) as server,
            AttentiveClient(server.base_url, API_KEY, retry=RetryPolicy(max_attempts=1)) as c,
            pytest.raises(Unauthorized),
        ):
            c.me()
        port = closed_port()
        with (
            AttentiveClient(f"http://127.0.0.1:{port}/v1", API_KEY, retry=RetryPolicy(1)) as c,
            pytest.raises(NetworkError),
        ):
            c.me()
    finally:
        root.removeHandler(spy)
    text = _flush(debug_log)
    # The control proves the key really went through logging: the test could fail.
    assert any(API_KEY in line for line in control if "receive_response_headers" in line)
    assert "httpcore" in text and "receive_response_headers" in text
    assert "HTTP Request: GET" in text  # httpx's own line
    assert "no response from 127.0.0.1" in text  # the client's debug line for a failure
    assert find_secret([debug_log.path], API_KEY) == []


def test_files_and_folder_are_owner_only_also_after_rotation(paths) -> None:
    setup = configure_logging(paths, logging.DEBUG, max_bytes=2_000, backup_count=2)
    try:
        for index in range(200):
            log.info("line %d %s", index, "x" * 50)
        _flush(setup)
    finally:
        setup.close()
    folder = log_file(paths).parent
    names = sorted(p.name for p in folder.iterdir())
    assert names == [
        "attentive-desktop.log",
        "attentive-desktop.log.1",
        "attentive-desktop.log.2",
    ]
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert_private_tree(folder)


@pytest.mark.parametrize("background", [False, True])
def test_levels_are_applied_and_restored(paths, background: bool) -> None:
    root = logging.getLogger()
    before = (root.level, logging.getLogger("httpcore").level, list(root.handlers))
    setup = configure_logging(paths, "info", background=background)
    try:
        assert root.level == logging.INFO
        assert logging.getLogger("httpcore").level == logging.WARNING  # quiet unless DEBUG
        log.debug("hidden")
        log.info("shown")
        text = _flush(setup)
    finally:
        setup.close()
    assert "shown" in text and "hidden" not in text
    assert (root.level, logging.getLogger("httpcore").level, list(root.handlers)) == before
    with pytest.raises(ValueError, match="Unknown log level"):
        configure_logging(paths, "LOUD")


def test_in_the_background_logging_never_waits_for_the_disk(paths, monkeypatch) -> None:
    # A disk that holds writes up (dirty pages throttled, a network home): the window's
    # thread logs and goes on; the records reach the file, scrubbed, in order, once it frees.
    held, release = threading.Event(), threading.Event()
    emit = RotatingFileHandler.emit
    written_by_the_logging_thread: list[bool] = []

    def slow_emit(self, record) -> None:
        written_by_the_logging_thread.append(threading.current_thread() is threading.main_thread())
        held.set()
        assert release.wait(10)
        emit(self, record)

    monkeypatch.setattr(RotatingFileHandler, "emit", slow_emit)
    setup = configure_logging(paths, "INFO", lambda: [API_KEY], background=True)
    try:
        log.info("first %s", API_KEY)
        assert held.wait(10)  # the writer thread is stuck in the first write
        for n in range(50):
            log.warning("then %d", n)  # returns at once: nothing here waits for the write
        release.set()
        text = _flush(setup)
    finally:
        release.set()
        setup.close()
    assert written_by_the_logging_thread and not any(written_by_the_logging_thread)
    lines = text.splitlines()
    assert "first [redacted]" in lines[0] and "MainThread" in lines[0]  # who logged, not who wrote
    assert [line.rsplit(" ", 1)[1] for line in lines[1:]] == [str(n) for n in range(50)]


def test_a_key_registered_mid_session_is_redacted_from_then_on() -> None:
    redactor = RedactingFilter()
    assert redactor.redact(f"key {API_KEY}") == f"key {API_KEY}"  # not known yet
    redactor.register(API_KEY)
    assert redactor.redact(f"key {API_KEY}") == "key [redacted]"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Authorization: Bearer abcdef123456", "Authorization: [redacted]"),
        ("(b'authorization', b'Bearer abcdefghijk')", "(b'authorization', b'[redacted]')"),
        ("{'Authorization': 'Basic dXNlcjpwYXNz'}", "{'Authorization': '[redacted]'}"),
        ("sent Bearer zzzzzzzzzz to", "sent Bearer [redacted] to"),
        ("GET /x?api_key=abc123&y=1", "GET /x?api_key=[redacted]&y=1"),
        ("nothing secret here", "nothing secret here"),
    ],
)
def test_token_shapes_are_redacted_without_knowing_the_key(text, expected) -> None:
    assert RedactingFilter().redact(text) == expected


def test_a_failing_secrets_provider_does_not_stop_logging() -> None:
    def broken():
        raise RuntimeError("keychain locked")

    record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello %s", ("there",), None)
    assert RedactingFilter(broken).filter(record) is True
    assert record.getMessage() == "hello there"


def test_the_client_never_logs_the_request_headers(debug_log) -> None:
    """Even at DEBUG the Authorization header itself is never put in a log record."""
    seen: list[str] = []

    class Spy(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(record.getMessage())

    spy = Spy(logging.DEBUG)
    logging.getLogger().handlers.insert(0, spy)
    try:
        http = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(200)))
        client = AttentiveClient("https://api.example.test/v1", API_KEY, http=http)
        client.set_custom_attributes({"phone": "+14155550100"}, {"VIP": "true"})
        http.close()
    finally:
        logging.getLogger().removeHandler(spy)
    assert seen  # httpx logged the request
    assert not [line for line in seen if API_KEY in line]
