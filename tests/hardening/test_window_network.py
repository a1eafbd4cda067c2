"""A bad network, seen from the window: each Send ends in a plain sentence within the client's
timeout, the rows stay in the table, and Send can be pressed again.

The window is built by the composition root with a client factory that sets a short timeout
and two attempts; every server is on 127.0.0.1 (tests/hardening/servers.py).
"""

from __future__ import annotations

import contextlib
import time

import pytest

from attentive_desktop.api import AttentiveClient, RetryPolicy

from .servers import Script, SilentServer, TlsServer, closed_port, make_certificate, scripted
from .support import assert_plain

TIMEOUT = 0.4
RETRY = RetryPolicy(max_attempts=2, base_delay=0.01, max_delay=0.01, max_total=5.0)
KEY = "sk_window_network_0123456789"
PHONE = "+14155550100"
ROWS = [("Favourite colour", "teal"), ("Newsletter", "weekly")]
NGINX_502 = b"<html><head><title>502 Bad Gateway</title></head><body><h1>502</h1></body></html>"


def short_client(base_url: str, api_key: str, on_exchange) -> AttentiveClient:
    """What the composition root builds, with a short timeout and two attempts."""
    return AttentiveClient(base_url, api_key, on_exchange=on_exchange, timeout=TIMEOUT, retry=RETRY)


@contextlib.contextmanager
def offline():
    yield f"http://127.0.0.1:{closed_port()}/v1"


@contextlib.contextmanager
def silent():
    server = SilentServer()
    try:
        yield f"http://127.0.0.1:{server.port}/v1"
    finally:
        server.close()


@contextlib.contextmanager
def self_signed(directory):
    made = make_certificate(directory)
    if made is None:
        pytest.skip("neither the cryptography package nor the openssl command is available")
    server = TlsServer(*made)
    try:
        yield server.base_url
    finally:
        server.close()


@contextlib.contextmanager
def html_proxy():
    with scripted(Script(status=502, body=NGINX_502)) as server:
        yield server.base_url


CASES = {
    "offline": (offline, "Could not reach Attentive"),
    "silent": (silent, "did not answer in time"),
    "tls": (self_signed, "not trusted"),
    "html": (html_proxy, "502"),
}


def _send_and_wait(qtbot, window) -> float:
    began = time.monotonic()
    window.flow.send()
    assert window.editor.sending
    qtbot.waitUntil(lambda: not window.editor.sending, timeout=15000)
    return time.monotonic() - began


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_send_ends_in_a_plain_message_and_keeps_the_edit(
    qtbot, open_window, tmp_path, case
) -> None:
    make_server, words = CASES[case]
    factory = make_server(tmp_path) if case == "tls" else make_server()
    with factory as base_url:
        session = open_window(sandbox_url=base_url, sandbox_key=KEY, client_factory=short_client)
        window = session.window
        qtbot.waitUntil(lambda: not session.api.is_busy(), timeout=15000)  # start-up GET /me
        window.form.phone_edit.setText(PHONE)
        for name, value in ROWS:
            window.editor.model.add_row(name, value)
        for _attempt in range(2):  # and Send can be pressed again, with the same outcome
            elapsed = _send_and_wait(qtbot, window)
            # Two attempts of TIMEOUT each at most (TLS: one), plus slack for a loaded machine.
            assert elapsed < 2 * TIMEOUT + 3.0, elapsed
            result = window.editor.result_label.text()
            assert result.startswith("Not sent. "), result
            assert words in result, result
            assert_plain(result.removeprefix("Not sent. "), key=KEY)
            assert window.statusBar().currentMessage() == result
            model = window.editor.model
            assert [(model.row(i).name, model.row(i).value) for i in range(2)] == ROWS
            assert model.rowCount() == 2
            assert window.editor.send_button.isEnabled()
            assert window.form.phone_edit.text() == PHONE
