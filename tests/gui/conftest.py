"""GUI test fixtures: a live sandbox, a private database with its history store, a registry."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from attentive_desktop.core.schema import MemorySchemaStorage, SchemaRegistry
from attentive_desktop.sandbox.server import SandboxServer, running_sandbox
from attentive_desktop.store.database import Database
from attentive_desktop.store.history import HistoryStore


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    """A fresh embedded API server on 127.0.0.1 with the seeded users."""
    with running_sandbox() as server:
        yield server


@pytest.fixture
def database(tmp_path) -> Iterator[Database]:
    """A private SQLite database for the test."""
    db = Database(tmp_path / "gui-test.sqlite3")
    yield db
    db.close()


@pytest.fixture
def history_store(database: Database) -> HistoryStore:
    """The request history over the test database."""
    return HistoryStore(database)


@pytest.fixture
def registry() -> SchemaRegistry:
    """An in-memory schema registry with the sandbox's UI-created "Shirt size" catalog."""
    storage = MemorySchemaStorage(catalog={"Shirt size": ("S", "M", "L", "XL")})
    return SchemaRegistry(storage)
