"""Start, stop with open connections, quiet logging, and the command line."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading

import httpx
import pytest

from attentive_desktop.sandbox import SANDBOX_API_KEY, SandboxServer, running_sandbox

from .conftest import make_client

HEADERS = {"Authorization": f"Bearer {SANDBOX_API_KEY}"}


def _connection_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "sandbox-connection"]


def test_stop_ends_open_keep_alive_connections() -> None:
    server = SandboxServer().start()
    assert server.base_url.startswith("http://127.0.0.1:")
    with make_client(server.base_url) as http:
        for _ in range(3):
            assert http.get("/me").status_code == 200
        assert _connection_threads()  # the keep-alive connection is still open
        server.stop()
        assert not server.running
        assert _connection_threads() == []
        with pytest.raises(httpx.TransportError):
            http.get("/me")
    server.stop()  # idempotent


def test_stop_interrupts_a_response_waiting_on_latency() -> None:
    errors: list[BaseException] = []
    with running_sandbox(latency=30.0) as server:

        def call() -> None:
            with make_client(server.base_url, timeout=60) as http:
                try:
                    http.get("/me")
                except httpx.TransportError as exc:
                    errors.append(exc)

        caller = threading.Thread(target=call)
        caller.start()
        assert server.wait_for_requests(1)
        server.stop()
        caller.join()
    assert len(errors) == 1
    assert _connection_threads() == []


def test_restart_after_stop() -> None:
    server = SandboxServer()
    with server:
        first = server.base_url
    with server, make_client(server.base_url) as http:
        assert http.get("/me").status_code == 200
    assert first.startswith("http://127.0.0.1:")
    with pytest.raises(RuntimeError):
        _ = server.base_url


def test_requests_log_nothing_to_stderr(capfd: pytest.CaptureFixture[str]) -> None:
    with (
        running_sandbox() as server,
        make_client(server.base_url, key=None) as http,
    ):
        http.get("/me")
        http.get("/nowhere", headers=HEADERS)
        http.post("/attributes/custom", content=b"{", headers=HEADERS)
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")


def test_command_line_runs_until_interrupted() -> None:
    command = [sys.executable, "-m", "attentive_desktop.sandbox", "--rate-limit", "7"]
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as proc:
        assert proc.stdout is not None
        lines = [proc.stdout.readline() for _ in range(2)]
        base_url = lines[0].split()[-1]
        assert base_url.startswith("http://127.0.0.1:") and base_url.endswith("/v1")
        assert SANDBOX_API_KEY in lines[1]
        with make_client(base_url) as http:
            response = http.get("/me")
        assert response.status_code == 200
        assert response.headers["x-ratelimit-limit"] == "7"
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=10)
    assert proc.returncode == 0
    assert "stopped" in out
    assert err == ""
