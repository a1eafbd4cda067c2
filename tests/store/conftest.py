"""Shared fixtures for the store tests: app paths in the private home, a database, fakes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from attentive_desktop.store.database import Database
from attentive_desktop.store.paths import AppPaths


@dataclass(frozen=True)
class FakeExchange:
    """Stands in for api.Exchange: same attribute names, so store/ never imports api/."""

    started_at: float = 1_700_000_000.0
    method: str = "GET"
    url: str = "https://api.attentivemobile.com/v1/attributes/custom?phone=%2B14155550100"
    endpoint: str = "/attributes/custom"
    user: str = "+14155550100"
    status: int | None = 200
    duration_ms: float = 12.5
    attempt: int = 1
    request_body: str = ""
    response_body: str = '[{"name": "VIP", "value": "true"}]'
    user_agent: str = "attentive-desktop/0.1.0 httpx/0.28 Python/3.11"
    error: str | None = None


class FakeKeyring:
    """An in-memory keyring backend; `fail_with` makes every call raise that exception."""

    def __init__(self) -> None:
        self.passwords: dict[tuple[str, str], str] = {}
        self.fail_with: Exception | None = None

    def _maybe_fail(self) -> None:
        if self.fail_with is not None:
            raise self.fail_with

    def get_password(self, service: str, username: str) -> str | None:
        self._maybe_fail()
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._maybe_fail()
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self._maybe_fail()
        from keyring.errors import PasswordDeleteError

        if self.passwords.pop((service, username), None) is None:
            raise PasswordDeleteError("not found")


@pytest.fixture
def paths() -> AppPaths:
    return AppPaths.from_environment().ensure()


@pytest.fixture
def db(paths: AppPaths) -> Iterator[Database]:
    database = Database(paths.database)
    yield database
    database.close()
