"""Fixtures for the bulk engine tests: a journal in a private database, CSV files, a sandbox."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from attentive_desktop.api import AttentiveClient
from attentive_desktop.sandbox import SANDBOX_API_KEY, SandboxServer, running_sandbox
from attentive_desktop.store.database import Database
from attentive_desktop.store.journal import Journal


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    db = Database(tmp_path / "data" / "app.sqlite3")
    yield db
    db.close()


@pytest.fixture
def journal(database: Database) -> Journal:
    return Journal(database)


@pytest.fixture
def write_csv(tmp_path: Path) -> Callable[..., Path]:
    """Write text (or bytes) to a CSV file in the test's directory and return its path."""

    def write(content: str | bytes, name: str = "rows.csv") -> Path:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")
        return path

    return write


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    with running_sandbox(seed=7) as server:
        yield server
        assert server.internal_errors == []


@pytest.fixture
def client_factory(sandbox: SandboxServer) -> Callable[..., AttentiveClient]:
    def make(on_exchange, key: str = SANDBOX_API_KEY) -> AttentiveClient:
        return AttentiveClient(sandbox.base_url, key, on_exchange=on_exchange)

    return make
