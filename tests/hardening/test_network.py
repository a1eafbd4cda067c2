"""A bad network ends in a typed error with a plain sentence, within the configured time.

Every server here is on 127.0.0.1; the DNS failure is simulated by a transport that fails the
way httpx does when the resolver gives up, so no name is ever looked up.
"""

from __future__ import annotations

import socket
import time

import httpx
import pytest

from attentive_desktop.api import (
    AttentiveClient,
    NetworkError,
    RequestTimeout,
    RetryPolicy,
    ServerError,
    UnexpectedResponse,
)
from attentive_desktop.api.errors import TlsFailure

from .servers import (
    Script,
    ScriptedServer,
    SilentServer,
    TlsServer,
    closed_port,
    make_certificate,
    scripted,
)
from .support import API_KEY, assert_plain

ONE_TRY = RetryPolicy(max_attempts=1)
TWO_TRIES = RetryPolicy(max_attempts=2, base_delay=0.01, max_delay=0.01, max_total=5.0)
ADA = "+14155550100"

NGINX_502 = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    b"</body>\r\n</html>\r\n"
)
PORTAL = (
    b"<!DOCTYPE html><html><head><title>Hotel Wi-Fi</title><script>var x=1;</script></head>"
    b"<body><h1>Welcome to Hotel Wi-Fi</h1><p>Accept the terms to continue.</p></body></html>"
)


def _client(base_url: str, **options) -> AttentiveClient:
    options.setdefault("retry", ONE_TRY)
    return AttentiveClient(base_url, API_KEY, **options)


# --- offline: nothing listening ---------------------------------------------------------


def test_a_closed_port_is_a_refused_connection_in_plain_words() -> None:
    port = closed_port()
    exchanges = []
    with (
        _client(
            f"http://127.0.0.1:{port}/v1", retry=TWO_TRIES, on_exchange=exchanges.append
        ) as client,
        pytest.raises(NetworkError) as caught,
    ):
        client.get_custom_attributes(phone=ADA)
    error = caught.value
    assert type(error) is NetworkError  # not a TLS failure, and retried like any outage
    assert error.attempts == 2
    assert error.status is None
    assert str(error) == (
        f"Could not reach Attentive: nothing answered at 127.0.0.1:{port} (the connection was "
        "refused). Check your internet connection and the account's base URL, then try again."
    )
    assert_plain(str(error))
    assert [e.error for e in exchanges] == [str(error)] * 2


def test_send_can_be_pressed_again_once_the_server_is_back() -> None:
    script = Script(status=200, body=b"")
    server = ScriptedServer(script)
    port = server.port
    server.close()
    client = _client(f"http://127.0.0.1:{port}/v1")
    try:
        with pytest.raises(NetworkError, match="nothing answered"):
            client.set_custom_attributes({"phone": ADA}, {"VIP": "true"})
        try:
            revived = ScriptedServer(script, port=port)
        except OSError:
            pytest.skip("the port was taken by another process meanwhile")
        try:
            client.set_custom_attributes({"phone": ADA}, {"VIP": "true"})  # same client, again
        finally:
            revived.close()
    finally:
        client.close()
    assert script.seen == ["POST /v1/attributes/custom"]


# --- DNS ---------------------------------------------------------------------------------


def _resolver_failure(message: str, cause: BaseException | None):
    def handler(request: httpx.Request) -> httpx.Response:
        if cause is None:
            raise httpx.ConnectError(message, request=request)
        raise httpx.ConnectError(message, request=request) from cause

    return httpx.Client(transport=httpx.MockTransport(handler))


@pytest.mark.parametrize(
    ("message", "cause"),
    [
        ("[Errno -2] Name or service not known", socket.gaierror(-2, "Name or service not known")),
        ("[Errno -3] Temporary failure in name resolution", None),
        ("[Errno 8] nodename nor servname provided, or not known", None),  # macOS
        ("[Errno 11001] getaddrinfo failed", None),  # Windows
        ("connection failed", socket.gaierror(-5, "No address associated with hostname")),
    ],
)
def test_a_name_that_does_not_resolve_says_the_address_was_not_found(message, cause) -> None:
    http = _resolver_failure(message, cause)
    with (
        _client("https://api.attentivemobile.com/v1", http=http) as client,
        pytest.raises(NetworkError) as caught,
    ):
        client.me()
    http.close()
    assert str(caught.value) == (
        "Could not reach Attentive: the address api.attentivemobile.com could not be found. "
        "Check your internet connection and the account's base URL, then try again."
    )
    assert_plain(str(caught.value))


# --- TLS ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    made = make_certificate(tmp_path_factory.mktemp("tls"))
    if made is None:
        pytest.skip("neither the cryptography package nor the openssl command is available")
    return made


def test_a_self_signed_certificate_is_refused_with_a_plain_message(certificate) -> None:
    server = TlsServer(*certificate)
    exchanges = []
    try:
        client = _client(server.base_url, retry=TWO_TRIES, on_exchange=exchanges.append)
        with client, pytest.raises(TlsFailure) as caught:
            client.set_custom_attributes({"phone": ADA}, {"VIP": "true"})
        assert server.done.wait(5)
    finally:
        server.close()
    error = caught.value
    assert isinstance(error, NetworkError)  # the window shows it as a network problem
    assert error.attempts == 1  # a certificate does not fix itself: no retries
    assert str(error) == (
        f"Could not reach Attentive securely: the certificate of 127.0.0.1:{server.port} is "
        "not trusted (it is self-signed). Nothing was sent. Check the account's base URL; on a "
        "company network, ask IT whether it inspects secure connections."
    )
    assert_plain(str(error))
    assert server.handshakes_failed >= 1
    assert server.requests == []  # verification happened before any byte of the request
    assert len(exchanges) == 1 and exchanges[0].status is None


def test_the_same_server_is_reachable_when_its_certificate_is_trusted(certificate) -> None:
    """Control: the failure above is the certificate, not a broken test server."""
    import ssl

    server = TlsServer(*certificate)
    try:
        context = ssl.create_default_context(cafile=str(certificate[0]))
        with httpx.Client(verify=context) as http, pytest.raises(httpx.TransportError):
            http.get(server.base_url + "/me", timeout=2)  # the toy server never answers
        assert server.done.wait(5)
    finally:
        server.close()
    assert server.handshakes_failed == 0
    assert server.requests and server.requests[0].startswith(b"GET /v1/me HTTP/1.1")


def test_tls_to_a_plain_http_port_is_a_tls_failure() -> None:
    with scripted(Script(status=200)) as server:
        base = f"https://127.0.0.1:{server.port}/v1"
        with _client(base, retry=TWO_TRIES) as client, pytest.raises(TlsFailure) as caught:
            client.me()
    assert caught.value.attempts == 1
    assert str(caught.value) == (
        f"Could not reach Attentive securely: the secure connection to 127.0.0.1:{server.port} "
        "failed. Nothing was sent. Check that the account's base URL is right."
    )
    assert_plain(str(caught.value))


# --- a server that never answers ---------------------------------------------------------


def test_a_silent_server_times_out_within_the_configured_timeout() -> None:
    server = SilentServer()
    try:
        client = _client(f"http://127.0.0.1:{server.port}/v1", timeout=0.3, retry=TWO_TRIES)
        began = time.monotonic()
        with client, pytest.raises(RequestTimeout) as caught:
            client.get_custom_attributes(email="ada@example.com")
        elapsed = time.monotonic() - began
    finally:
        server.close()
    assert server.accepted.is_set()
    assert caught.value.attempts == 2
    # Two attempts of 0.3 s plus a 0.01 s backoff; generous slack for a loaded machine.
    assert 0.55 <= elapsed < 3.0
    assert str(caught.value) == (
        f"Attentive did not answer in time: 127.0.0.1:{server.port} sent no reply within 0.3 "
        "seconds. Try again; if it keeps happening, check your connection."
    )
    assert_plain(str(caught.value))


# --- HTML instead of the API -------------------------------------------------------------


def test_a_502_page_from_a_proxy_is_a_server_error_with_its_text() -> None:
    script = Script(status=502, body=NGINX_502)
    with (
        scripted(script) as server,
        _client(server.base_url, retry=TWO_TRIES) as client,
        pytest.raises(ServerError) as caught,
    ):
        client.set_custom_attributes({"email": "ada@example.com"}, {"VIP": "true"})
    assert caught.value.attempts == 2 and len(script.seen) == 2  # 5xx are retried
    assert caught.value.status == 502
    assert str(caught.value) == (
        "Attentive had a problem on its side (HTTP 502). Try again in a moment. "
        "Server said: 502 Bad Gateway nginx"
    )
    assert_plain(str(caught.value))


def test_a_200_web_page_to_a_lookup_is_not_taken_for_data() -> None:
    script = Script(status=200, body=PORTAL)
    with (
        scripted(script) as server,
        _client(server.base_url, retry=TWO_TRIES) as client,
        pytest.raises(UnexpectedResponse) as caught,
    ):
        client.get_custom_attributes(phone=ADA)
    assert caught.value.attempts == 1 and len(script.seen) == 1  # not retried
    assert str(caught.value) == (
        "Attentive's reply could not be read: it is a web page, not JSON data. A proxy or a "
        "Wi-Fi sign-in page may be answering in Attentive's place; check your connection and "
        "the account's base URL. Server said: Welcome to Hotel Wi-Fi Accept the terms to "
        "continue."
    )
    assert_plain(str(caught.value))


def test_a_200_web_page_to_me_is_not_taken_for_an_account() -> None:
    with (
        scripted(Script(status=200, body=PORTAL)) as server,
        _client(server.base_url) as client,
        pytest.raises(UnexpectedResponse, match="web page"),
    ):
        client.me()


def test_the_transport_detail_never_leaks_the_key_or_a_class_name() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError(f"proxy rejected Authorization: Bearer {API_KEY}")

    http = httpx.Client(transport=httpx.MockTransport(handler))
    with (
        _client("https://api.attentivemobile.com/v1", http=http) as client,
        pytest.raises(NetworkError) as caught,
    ):
        client.me()
    http.close()
    assert API_KEY not in str(caught.value)
    assert "[redacted]" in str(caught.value)
    assert_plain(str(caught.value))


@pytest.mark.parametrize(
    "failure",
    [
        httpx.RemoteProtocolError("Server disconnected without sending a response."),
        httpx.ReadError(""),
        httpx.WriteError("[Errno 32] Broken pipe"),
    ],
)
def test_a_dropped_connection_says_so(failure) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise failure

    http = httpx.Client(transport=httpx.MockTransport(handler))
    with (
        _client("https://api.attentivemobile.com/v1", http=http) as client,
        pytest.raises(NetworkError) as caught,
    ):
        client.me()
    http.close()
    assert str(caught.value) == (
        "Could not reach Attentive: the connection to api.attentivemobile.com was dropped "
        "before an answer came. Try again."
    )
    assert_plain(str(caught.value))
