"""Fixtures for the profile tools: a sandbox, a client that records history, the stores."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from attentive_desktop.api import AttentiveClient, RetryPolicy
from attentive_desktop.sandbox import SANDBOX_API_KEY, SandboxServer, running_sandbox
from attentive_desktop.store.database import Database
from attentive_desktop.store.history import HistoryStore
from attentive_desktop.store.paths import AppPaths
from attentive_desktop.store.revisions import RevisionStore

ACCOUNT = "Sandbox"


@pytest.fixture
def db() -> Iterator[Database]:
    database = Database(AppPaths.from_environment().ensure().database)
    yield database
    database.close()


@pytest.fixture
def history(db: Database) -> HistoryStore:
    return HistoryStore(db, os_user="tester")


@pytest.fixture
def revisions(db: Database) -> RevisionStore:
    return RevisionStore(db, os_user="tester")


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    with running_sandbox(seed=7) as server:
        yield server
        assert server.internal_errors == []


@pytest.fixture
def client(sandbox: SandboxServer, history: HistoryStore) -> Iterator[AttentiveClient]:
    """A client whose every attempt lands in the history, tagged with ACCOUNT."""
    with AttentiveClient(
        sandbox.base_url,
        SANDBOX_API_KEY,
        on_exchange=lambda exchange: history.append(exchange, account=ACCOUNT),
        retry=RetryPolicy(max_attempts=3, base_delay=0.01, max_delay=0.05),
    ) as api:
        yield api
