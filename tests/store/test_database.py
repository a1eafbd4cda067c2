from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from attentive_desktop.store.database import Database
from attentive_desktop.store.errors import DatabaseClosedError, DatabaseVersionError
from attentive_desktop.store.migrations import MIGRATIONS, SCHEMA_VERSION
from attentive_desktop.store.paths import AppPaths


def user_version(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()


def tables(db: Database) -> set[str]:
    rows = db.connect().execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    return {name for (name,) in rows}


def test_new_database_is_migrated_to_the_current_version(db: Database, paths: AppPaths) -> None:
    assert SCHEMA_VERSION == len(MIGRATIONS) >= 1
    assert user_version(paths.database) == SCHEMA_VERSION
    assert {"history", "history_detail", "accounts", "schema_types", "schema_catalog"} <= tables(db)


def test_connection_pragmas(db: Database) -> None:
    conn = db.connect()
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_reopening_is_idempotent_and_keeps_data(paths: AppPaths) -> None:
    first = Database(paths.database)
    first.connect().execute("INSERT INTO accounts VALUES ('kept', 'https://x/v1', '', '', '', 1)")
    first.close()
    second = Database(paths.database)
    try:
        assert user_version(paths.database) == SCHEMA_VERSION
        rows = second.connect().execute("SELECT name FROM accounts").fetchall()
        assert rows == [("kept",)]
    finally:
        second.close()


def test_a_database_from_a_newer_version_is_refused_untouched(paths: AppPaths) -> None:
    Database(paths.database).close()
    conn = sqlite3.connect(paths.database)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 3}")
    conn.close()
    with pytest.raises(DatabaseVersionError, match="newer version") as info:
        Database(paths.database)
    assert str(paths.database) in str(info.value)
    assert user_version(paths.database) == SCHEMA_VERSION + 3


def test_appending_a_migration_upgrades_an_existing_database(paths: AppPaths) -> None:
    Database(paths.database).close()

    def add_journal(conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE journal (id INTEGER PRIMARY KEY, state TEXT NOT NULL)")

    upgraded = Database(paths.database, migrations=[*MIGRATIONS, add_journal])
    try:
        assert upgraded.schema_version == SCHEMA_VERSION + 1
        assert user_version(paths.database) == SCHEMA_VERSION + 1
        assert "journal" in tables(upgraded)
    finally:
        upgraded.close()


def test_a_failing_migration_rolls_back_entirely(paths: AppPaths) -> None:
    Database(paths.database).close()

    def half_done(conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE partial (id INTEGER PRIMARY KEY)")
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        Database(paths.database, migrations=[*MIGRATIONS, half_done])
    reopened = Database(paths.database)
    try:
        assert user_version(paths.database) == SCHEMA_VERSION
        assert "partial" not in tables(reopened)
    finally:
        reopened.close()


def test_each_thread_gets_its_own_connection_and_sees_the_others_writes(db: Database) -> None:
    main_conn = db.connect()
    assert db.connect() is main_conn
    seen: dict[str, object] = {}
    written = threading.Event()

    def worker() -> None:
        conn = db.connect()
        seen["conn"] = conn
        seen["same_again"] = db.connect() is conn
        with db.transaction() as tx:
            tx.execute("INSERT INTO accounts VALUES ('from-worker', 'https://x/v1', '', '', '', 1)")
        written.set()

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    assert written.is_set()
    assert seen["conn"] is not main_conn
    assert seen["same_again"] is True
    rows = main_conn.execute("SELECT name FROM accounts").fetchall()
    assert rows == [("from-worker",)]


def test_transaction_rolls_back_on_error_and_nests_with_savepoints(db: Database) -> None:
    insert = "INSERT INTO accounts VALUES (?, 'https://x/v1', '', '', '', 1)"
    with pytest.raises(ValueError), db.transaction() as conn:
        conn.execute(insert, ("lost",))
        raise ValueError
    with db.transaction() as conn:
        conn.execute(insert, ("outer",))
        with pytest.raises(ValueError), db.transaction() as inner:
            inner.execute(insert, ("inner",))
            raise ValueError
    names = [name for (name,) in db.connect().execute("SELECT name FROM accounts")]
    assert names == ["outer"]


def test_close_closes_connections_and_refuses_new_ones(paths: AppPaths) -> None:
    database = Database(paths.database)
    conn = database.connect()
    database.close()
    with pytest.raises(sqlite3.ProgrammingError):
        conn.execute("SELECT 1")
    with pytest.raises(DatabaseClosedError):
        database.connect()


def test_close_waits_for_a_transaction_on_another_thread(tmp_path):
    """Closing a connection another thread is using inside SQLite crashes the process (seen
    when the window closed while a request's history row was being written)."""

    db = Database(tmp_path / "app.db")
    entered, release, order = threading.Event(), threading.Event(), []

    def writer() -> None:
        with db.transaction() as conn:
            entered.set()
            release.wait(10)
            conn.execute("SELECT 1")
        order.append("committed")

    thread = threading.Thread(target=writer)
    thread.start()
    assert entered.wait(10)
    closer = threading.Thread(target=lambda: (db.close(), order.append("closed")))
    closer.start()
    closer.join(0.3)  # not a sync: gives close() the chance to (wrongly) go first
    assert closer.is_alive() and order == []
    release.set()
    thread.join(10)
    closer.join(10)
    assert order == ["committed", "closed"]
