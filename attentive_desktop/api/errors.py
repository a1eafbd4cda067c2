"""Typed API errors whose text a marketer can act on, never containing the API key."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from attentive_desktop.api.bodies import server_message


class ApiError(Exception):
    """An API call failed. `message` is a plain sentence; `server_message` is what the
    server said (trimmed, redacted) or None; `status` is the HTTP status or None when there
    was no response; `attempts` is how many requests were made before giving up."""

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

    default_message = (
        "Attentive rejected the request as invalid. Check the identifiers and attribute values."
    )


class Unauthorized(ApiError):
    """401: the API key was not accepted."""

    default_message = "Attentive did not accept this API key. Check it in Accounts."


class AccessDenied(ApiError):
    """403: the key lacks the scope the call needs (attributes:write for writes)."""

    default_message = (
        "This API key is not allowed to make this request. Ask an admin for a key with the "
        "needed scope."
    )
    write_message = (
        "This API key lacks the attributes:write scope. Ask an admin for a key with that scope."
    )


class NotFound(ApiError):
    """404: no such user (or, for /me, no such address)."""

    default_message = "No user with that phone or email was found."


class RateLimited(ApiError):
    """429: too many requests for this key."""

    default_message = (
        "Attentive is rate-limiting this key: too many requests in a short time. "
        "Wait a moment and try again."
    )


class ServerError(ApiError):
    """5xx: a failure on Attentive's side."""

    default_message = "Attentive had a problem on its side. Try again in a moment."


class NetworkError(ApiError):
    """No response: the connection failed or was dropped."""

    default_message = "Could not reach Attentive. Check your internet connection and try again."


class RequestTimeout(ApiError):
    """Attentive did not answer in time (or answered 408)."""

    default_message = (
        "Attentive did not answer in time. Try again; if it keeps happening, check your connection."
    )


class UnexpectedResponse(ApiError):
    """A success status with a body this app cannot read (e.g. a malformed lookup result)."""

    default_message = "Attentive sent a reply this app cannot read."


class InvalidRequest(ApiError, ValueError):
    """Refused locally before anything was sent; `findings` lists the validation errors
    (empty when an identifier was at fault; `field` then names it)."""

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

    default_message = "This base URL cannot be used."


class Cancelled(ApiError):
    """The call was cancelled before it finished; a request already answered is not undone."""

    default_message = "Cancelled."


RETRYABLE = (RateLimited, ServerError, NetworkError, RequestTimeout)


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
