"""The record of one HTTP attempt, as reported to `on_exchange` and kept in the history."""

from __future__ import annotations

from dataclasses import dataclass

RESPONSE_BODY_LIMIT = 64 * 1024
"""Bytes (UTF-8) of a response body kept in an Exchange."""


@dataclass(frozen=True)
class Exchange:
    """One attempt: what was sent and what came back. Never holds the API key.

    `status` is None when no response arrived; `error` then (or for an error status) holds
    the plain-sentence error text. `attempt` is 1-based; retries of one call share everything
    but `attempt`, timings and outcome.
    """

    started_at: float
    method: str
    url: str
    endpoint: str
    user: str
    status: int | None
    duration_ms: float
    attempt: int
    request_body: str
    response_body: str
    user_agent: str
    error: str | None = None

    @property
    def succeeded(self) -> bool:
        """True when a 2xx response came back."""
        return self.status is not None and 200 <= self.status <= 299
