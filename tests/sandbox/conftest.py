"""Sandbox fixtures: a fresh server per test and httpx clients for each kind of key."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from attentive_desktop.sandbox import (
    SANDBOX_API_KEY,
    SANDBOX_READONLY_KEY,
    SandboxServer,
    running_sandbox,
)

ADA_PHONE = "+14155550100"
ADA_EMAIL = "ada@example.com"


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    with running_sandbox(seed=1234) as server:
        yield server
        assert server.internal_errors == []


# Building httpx's default TLS context costs ~50 ms a client; the sandbox is plain HTTP on
# loopback, so every test client shares this one (verification stays on).
_TLS = ssl.create_default_context()


def make_client(base_url: str, key: str | None = SANDBOX_API_KEY, **options: Any) -> httpx.Client:
    """An httpx client for the sandbox at ``base_url``, authenticated with ``key``."""
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    headers.update(options.pop("headers", {}))
    options.setdefault("timeout", 5.0)
    return httpx.Client(base_url=base_url, headers=headers, verify=_TLS, **options)


def _client(server: SandboxServer, key: str | None) -> httpx.Client:
    return make_client(server.base_url, key)


@pytest.fixture
def client(sandbox: SandboxServer) -> Iterator[httpx.Client]:
    with _client(sandbox, SANDBOX_API_KEY) as http:
        yield http


@pytest.fixture
def readonly_client(sandbox: SandboxServer) -> Iterator[httpx.Client]:
    with _client(sandbox, SANDBOX_READONLY_KEY) as http:
        yield http


@pytest.fixture
def anonymous_client(sandbox: SandboxServer) -> Iterator[httpx.Client]:
    with _client(sandbox, None) as http:
        yield http


def post(http: httpx.Client, user: object, properties: object) -> httpx.Response:
    """POST /attributes/custom with the given user and properties."""
    return http.post("/attributes/custom", json={"user": user, "properties": properties})
