"""Copy a request as a curl command, with the API key left to the shell: $ATTENTIVE_API_KEY.

The command is for a POSIX shell (bash, zsh, Git Bash). Every part is quoted with
`shlex.quote` except the Authorization header, which is written in double quotes so the
shell expands ``$ATTENTIVE_API_KEY`` when the command runs. The real key is never in it:
the history never has it, and anything that looks like a credential in the URL or body is
blanked again here (`secrets` adds exact strings to blank, e.g. the key itself).
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable
from typing import Protocol

KEY_VARIABLE = "ATTENTIVE_API_KEY"
AUTH_HEADER = f'-H "Authorization: Bearer ${KEY_VARIABLE}"'
_BEARER = re.compile(r"(?i)\b(bearer\s+)(?!\$" + KEY_VARIABLE + r"\b)[A-Za-z0-9._~+/=-]{8,}")
_AUTH_JSON = re.compile(r'(?i)("(?:proxy-)?authorization"\s*:\s*")(?:[^"\\]|\\.)*(")')
REDACTED = "[redacted]"


class RequestLike(Protocol):
    """What `record_as_curl` needs; store.HistoryRecord fits."""

    @property
    def method(self) -> str: ...
    @property
    def url(self) -> str: ...
    @property
    def request_body(self) -> str: ...
    @property
    def user_agent(self) -> str: ...


def _scrub(text: str, secrets: Iterable[str]) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    text = _AUTH_JSON.sub(rf"\g<1>{REDACTED}\g<2>", text)
    return _BEARER.sub(rf"\g<1>{REDACTED}", text)


def as_curl(
    method: str,
    url: str,
    body: str | None = None,
    user_agent: str | None = None,
    *,
    secrets: Iterable[str] = (),
    multiline: bool = False,
) -> str:
    """A curl command repeating the request, e.g.::

        curl -X POST 'https://api.attentivemobile.com/v1/attributes/custom'
          -H "Authorization: Bearer $ATTENTIVE_API_KEY" -H 'Accept: application/json'
          -H 'Content-Type: application/json' -A 'attentive-desktop/…' --data-raw '{…}'

    (on one line unless `multiline`, which puts each option on its own continued line).
    GET is curl's default, so it gets no -X; a body is sent verbatim with --data-raw.
    """
    secrets = tuple(secrets)
    verb = (method or "GET").strip().upper()
    parts = ["curl"]
    if verb != "GET" or body:
        parts += ["-X", shlex.quote(verb)]
    parts.append(shlex.quote(_scrub(url, secrets)))
    parts.append(AUTH_HEADER)
    parts += ["-H", shlex.quote("Accept: application/json")]
    if body:
        parts += ["-H", shlex.quote("Content-Type: application/json")]
    if user_agent:
        parts += ["-A", shlex.quote(_scrub(user_agent, secrets))]
    if body:
        parts += ["--data-raw", shlex.quote(_scrub(body, secrets))]
    if not multiline:
        return " ".join(parts)
    lines = [" ".join(parts[:4]) if parts[1] == "-X" else " ".join(parts[:2])]
    rest = parts[4:] if parts[1] == "-X" else parts[2:]
    while rest:
        option = rest.pop(0)
        if option.startswith("-H ") or not rest:  # AUTH_HEADER is already option and value
            lines.append(option)
        else:
            lines.append(f"{option} {rest.pop(0)}")
    return " \\\n  ".join(lines)


def record_as_curl(record: RequestLike, *, secrets: Iterable[str] = ()) -> str:
    """`as_curl` for a history record (method, url, request body, user agent)."""
    return as_curl(
        record.method, record.url, record.request_body or None, record.user_agent, secrets=secrets
    )
