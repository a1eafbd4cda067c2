"""Typed API errors whose text a marketer can act on, never containing the API key."""

from __future__ import annotations

import errno
import re
import socket
import ssl
from collections.abc import Iterable, Sequence
from typing import ClassVar

import httpx

from attentive_desktop.api.bodies import redact, server_message, trim_text, visible_text


class ApiError(Exception):
    """An API call failed. `message` is a plain sentence; `server_message` is what the
    server said (trimmed, redacted) or None; `status` is the HTTP status or None when there
    was no response; `attempts` is how many requests were made before giving up."""

    kind: ClassVar[str] = "error"  # a short machine-readable name, shared by the CLI and the window

    default_message = "The request to Attentive failed."

    def __init__(
        self,
        message: str | None = None,
        *,
        status: int | None = None,
        server_message: str | None = None,
    ) -> None:
        self.message = message or self.default_message
        self.status = status
        self.server_message = server_message or None
        self.attempts = 1
        super().__init__(str(self))

    def __str__(self) -> str:
        if self.server_message:
            return f"{self.message} Server said: {self.server_message}"
        return self.message


class BadRequest(ApiError):
    """400: Attentive refused the request as invalid."""

    kind: ClassVar[str] = "bad-request"

    default_message = (
        "Attentive rejected the request as invalid. Check the identifiers and attribute values."
    )


class Unauthorized(ApiError):
    """401: the API key was not accepted."""

    kind: ClassVar[str] = "unauthorized"

    default_message = (
        "Attentive did not accept this API key: it may have been revoked or replaced. "
        "Enter the account's current key."
    )


class AccessDenied(ApiError):
    """403: the key lacks the scope the call needs (attributes:write for writes)."""

    kind: ClassVar[str] = "access-denied"

    default_message = (
        "This API key is not allowed to make this request. Ask an admin for a key with the "
        "needed scope."
    )
    write_message = (
        "This API key lacks the attributes:write scope. Ask an admin for a key with that scope."
    )


class NotFound(ApiError):
    """404: no such user (or, for /me, no such address)."""

    kind: ClassVar[str] = "not-found"

    default_message = "No user with that phone or email was found."


class RateLimited(ApiError):
    """429: too many requests for this key."""

    kind: ClassVar[str] = "rate-limited"

    default_message = (
        "Attentive is rate-limiting this key: too many requests in a short time. "
        "Wait a moment and try again."
    )


class ServerError(ApiError):
    """5xx: a failure on Attentive's side."""

    kind: ClassVar[str] = "server-error"

    default_message = "Attentive had a problem on its side. Try again in a moment."


class NetworkError(ApiError):
    """No response: the connection failed or was dropped."""

    kind: ClassVar[str] = "network"

    default_message = "Could not reach Attentive. Check your internet connection and try again."


class TlsFailure(NetworkError):
    """The secure connection could not be set up (for example the certificate was not trusted).

    Not retried: a certificate problem does not fix itself in a few seconds. Verification is
    never switched off; nothing was sent."""

    default_message = (
        "Could not reach Attentive securely: the secure connection failed. Nothing was sent."
    )


class RequestTimeout(ApiError):
    """Attentive did not answer in time (or answered 408)."""

    kind: ClassVar[str] = "timeout"

    default_message = (
        "Attentive did not answer in time. Try again; if it keeps happening, check your connection."
    )


class UnexpectedResponse(ApiError):
    """A success status with a body this app cannot read (e.g. a malformed lookup result)."""

    kind: ClassVar[str] = "error"

    default_message = "Attentive sent a reply this app cannot read."


class InvalidRequest(ApiError, ValueError):
    """Refused locally before anything was sent; `findings` lists the validation errors
    (empty when an identifier was at fault; `field` then names it)."""

    kind: ClassVar[str] = "invalid"

    default_message = "The request was not sent because it is not valid."

    def __init__(
        self,
        message: str | None = None,
        *,
        findings: Sequence[object] = (),
        field: str | None = None,
    ) -> None:
        self.findings = tuple(findings)
        self.field = field
        super().__init__(message)


class InsecureBaseUrl(ApiError, ValueError):
    """The base URL was refused (not HTTPS on a non-loopback host, or malformed)."""

    kind: ClassVar[str] = "invalid"

    default_message = "This base URL cannot be used."


class Cancelled(ApiError):
    """The call was cancelled before it finished; a request already answered is not undone."""

    kind: ClassVar[str] = "cancelled"

    default_message = "Cancelled."


def error_kind(exc: BaseException) -> str:
    """The short kind of a failure ("not-found", "network", ...; "error" for anything else)."""
    return exc.kind if isinstance(exc, ApiError) else "error"


RETRYABLE = (RateLimited, ServerError, NetworkError, RequestTimeout)


def is_retryable(error: ApiError) -> bool:
    """True when trying the same request again may succeed (429, 5xx, network, timeouts)."""
    return isinstance(error, RETRYABLE) and not isinstance(error, TlsFailure)


def error_for_response(
    status: int,
    body: str | bytes | None,
    *,
    write: bool = False,
    endpoint: str = "",
    secrets: Iterable[str] = (),
) -> ApiError:
    """The typed error for an unsuccessful HTTP response.

    `write` selects the attributes:write wording for 403; `endpoint` "/me" gives a 404 about
    the base URL instead of users; `secrets` are redacted from the server's message.
    """
    said = server_message(body, secrets=secrets)
    if status == 400:
        return BadRequest(status=status, server_message=said)
    if status == 401:
        return Unauthorized(status=status, server_message=said)
    if status == 403:
        message = AccessDenied.write_message if write else None
        return AccessDenied(message, status=status, server_message=said)
    if status == 404:
        message = None
        if endpoint == "/me":
            message = "Attentive has nothing at this address. Check the account's base URL."
        return NotFound(message, status=status, server_message=said)
    if status == 408:
        return RequestTimeout(status=status, server_message=said)
    if status == 429:
        return RateLimited(status=status, server_message=said)
    if 500 <= status <= 599:
        return ServerError(
            f"Attentive had a problem on its side (HTTP {status}). Try again in a moment.",
            status=status,
            server_message=said,
        )
    return ApiError(
        f"Attentive answered with an unexpected status (HTTP {status}).",
        status=status,
        server_message=said,
    )


# -- failures without a response ---------------------------------------------------------

_DNS_HINTS = (
    "name or service not known",
    "nodename nor servname",
    "getaddrinfo failed",
    "temporary failure in name resolution",
    "no address associated with hostname",
    "name resolution",
    "[errno -2]",
    "[errno -3]",
    "[errno -5]",
    "[errno 8]",
    "[errno 11001]",
    "[errno 11002]",
)
_REFUSED_ERRNOS = frozenset({errno.ECONNREFUSED, 10061})
_UNREACHABLE_ERRNOS = frozenset({errno.ENETUNREACH, errno.EHOSTUNREACH, errno.ENETDOWN, 10051})
_NOISE = re.compile(r"\[(?:Errno|WinError) -?\d+\]|\[SSL(?:: [A-Z_]+)?\]|\(_ssl\.c:\d+\)")
_AFTER = "Check your internet connection and the account's base URL, then try again."
_SLOW = "Try again; if it keeps happening, check your connection."


def _causes(exc: BaseException) -> list[BaseException]:
    """`exc` and the exceptions it was raised from (httpx wraps httpcore wraps the OS error)."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and all(current is not seen for seen in chain):
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def _seconds(value: float | None) -> str:
    if value is None:
        return ""
    amount = f"{value:g}"
    return f" within {amount} second" + ("" if amount == "1" else "s")


def _certificate_reason(chain: list[BaseException], text: str) -> str:
    details = (
        " ".join(str(getattr(exc, "verify_message", "") or "") for exc in chain).lower()
        + text.lower()
    )
    if "self-signed" in details or "self signed" in details:
        return "it is self-signed"
    if "expired" in details:
        return "it has expired"
    if "hostname mismatch" in details or "not valid for" in details:
        return "it was issued for a different address"
    if "issuer" in details:
        return "it was issued by an authority this computer does not trust"
    return "it could not be verified"


def _plain_detail(text: str, secrets: Iterable[str]) -> str:
    detail = visible_text(redact(_NOISE.sub(" ", text), secrets))
    return trim_text(" ".join(detail.split()).strip(" .:;"), 120)


def error_for_transport(
    exc: Exception,
    *,
    host: str,
    connect_timeout: float | None = None,
    read_timeout: float | None = None,
    secrets: Iterable[str] = (),
) -> NetworkError | RequestTimeout:
    """The typed error, in plain words, for a request that got no response at all.

    Tells apart a refused connection (offline, nothing listening), a name that does not
    resolve, a certificate or other TLS failure (TlsFailure, not retried), a dropped
    connection and timeouts (naming the configured limit). `host` is shown as the place the
    app tried to reach; the raw error text is never shown, only a cleaned hint when the
    failure is none of the known kinds.
    """
    secrets = [s for s in secrets if s]
    chain = _causes(exc)
    text = " ".join(str(e) for e in chain)
    lowered = text.lower()
    errnos = {getattr(e, "errno", None) for e in chain}
    if isinstance(exc, httpx.TimeoutException):
        if isinstance(exc, httpx.ConnectTimeout):
            return RequestTimeout(
                "Attentive did not answer in time: no connection to "
                f"{host}{_seconds(connect_timeout)}. {_SLOW}"
            )
        if isinstance(exc, httpx.ReadTimeout):
            return RequestTimeout(
                f"Attentive did not answer in time: {host} sent no reply"
                f"{_seconds(read_timeout)}. {_SLOW}"
            )
        return RequestTimeout()
    if any(isinstance(e, ssl.SSLCertVerificationError) for e in chain) or (
        "certificate_verify_failed" in lowered
    ):
        return TlsFailure(
            f"Could not reach Attentive securely: the certificate of {host} is not trusted "
            f"({_certificate_reason(chain, text)}). Nothing was sent. Check the account's base "
            "URL; on a company network, ask IT whether it inspects secure connections."
        )
    if any(isinstance(e, ssl.SSLError) for e in chain) or "[ssl" in lowered:
        return TlsFailure(
            f"Could not reach Attentive securely: the secure connection to {host} failed. "
            "Nothing was sent. Check that the account's base URL is right."
        )
    if any(isinstance(e, socket.gaierror) for e in chain) or any(h in lowered for h in _DNS_HINTS):
        return NetworkError(
            f"Could not reach Attentive: the address {host} could not be found. {_AFTER}"
        )
    if (
        any(isinstance(e, ConnectionRefusedError) for e in chain)
        or errnos & _REFUSED_ERRNOS
        or "refused" in lowered
    ):
        return NetworkError(
            f"Could not reach Attentive: nothing answered at {host} (the connection was "
            f"refused). {_AFTER}"
        )
    if errnos & _UNREACHABLE_ERRNOS or "unreachable" in lowered:
        return NetworkError(
            f"Could not reach Attentive: this computer has no network route to {host}. "
            "Check your internet connection, then try again."
        )
    if isinstance(exc, httpx.ProxyError):
        return NetworkError(
            "Could not reach Attentive through the network proxy. Check the proxy settings, "
            "then try again."
        )
    if isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError | httpx.WriteError) or any(
        isinstance(e, ConnectionError) for e in chain
    ):
        return NetworkError(
            f"Could not reach Attentive: the connection to {host} was dropped before an "
            "answer came. Try again."
        )
    detail = _plain_detail(str(exc), secrets)
    if detail:
        return NetworkError(
            f"Could not reach Attentive at {host} ({detail}). Check your internet connection "
            "and try again."
        )
    return NetworkError()
