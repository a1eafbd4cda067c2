"""A full disk or a read-only data folder is a typed StoreWriteError with a clear sentence,
never a raw sqlite3/OS exception, and nothing half-written is left behind.

The tests run as root, where chmod does not stop writes, so they use failures SQLite and the
OS really produce: a page-count cap (SQLite's "database or disk is full"), a query-only
connection ("attempt to write a readonly database"), a file where a folder must be, and, for
the plain-file writer, an injected ENOSPC from fsync.
"""

from __future__ import annotations

import errno
import json
import sqlite3

import pytest

from attentive_desktop.store import settings as settings_module
from attentive_desktop.store.accounts import Account, AccountStore
from attentive_desktop.store.database import Database
from attentive_desktop.store.errors import StoreWriteError, guard_writes
from attentive_desktop.store.history import HistoryStore
from attentive_desktop.store.paths import AppPaths
from attentive_desktop.store.settings import Settings

from .test_database_recovery import FakeExchange


@pytest.fixture
def paths() -> AppPaths:
    return AppPaths.from_environment().ensure()


@pytest.fixture
def db(paths):
    database = Database(paths.database)
    yield database
    database.close()


def _big_exchange() -> FakeExchange:
    exchange = FakeExchange()
    exchange.response_body = "z" * 200_000
    return exchange


def _cap_pages(db: Database) -> None:
    conn = db.connect()
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")


def test_history_append_on_a_full_disk(db, paths) -> None:
    history = HistoryStore(db)
    history.append(FakeExchange())
    _cap_pages(db)
    with pytest.raises(StoreWriteError) as caught:
        history.append(_big_exchange())
    error = caught.value
    assert str(error) == (
        f"Attentive Desktop can't write to {paths.data_dir}: the disk is full. "
        "Your edit is still in the window."
    )
    assert error.reason == "disk-full" and error.directory == paths.data_dir
    assert isinstance(error.__cause__, sqlite3.OperationalError)
    assert history.count() == 1  # the failed append left no half row behind
    db.connect().execute("PRAGMA max_page_count = 1073741823")
    history.append(_big_exchange())  # space is back: writing works again
    assert history.count() == 2


def test_history_append_on_a_read_only_database(db, paths) -> None:
    db.connect().execute("PRAGMA query_only = ON")
    with pytest.raises(StoreWriteError) as caught:
        HistoryStore(db).append(FakeExchange())
    assert str(caught.value) == (
        f"Attentive Desktop can't write to {paths.data_dir}: the folder is read-only. "
        "Your edit is still in the window."
    )
    assert caught.value.reason == "read-only"


def test_every_store_writing_through_transactions_gets_the_same_error(db) -> None:
    _cap_pages(db)
    with pytest.raises(StoreWriteError, match="the disk is full"):
        AccountStore(db).save(Account("Big " * 20_000, "https://api.attentivemobile.com/v1"))


class _FullDiskConnection:
    """Wraps a real connection; every INSERT fails as SQLite does on a full disk (the error
    built by hand has no sqlite_errorcode, so this checks the fallback on its text)."""

    def __init__(self, real: sqlite3.Connection) -> None:
        self._real = real

    def __getattr__(self, name):
        return getattr(self._real, name)

    def execute(self, sql, *args):
        if sql.lstrip().upper().startswith("INSERT"):
            raise sqlite3.OperationalError("database or disk is full")
        return self._real.execute(sql, *args)


def test_a_full_disk_error_without_a_code_is_recognised(db, paths, monkeypatch) -> None:
    real = db.connect()
    monkeypatch.setattr(db, "connect", lambda: _FullDiskConnection(real))
    with pytest.raises(StoreWriteError) as caught:
        HistoryStore(db).append(FakeExchange())
    assert caught.value.reason == "disk-full"
    assert not real.in_transaction  # rolled back, the connection is usable
    monkeypatch.undo()
    assert HistoryStore(db).count() == 0


def test_other_errors_pass_through_unchanged(db) -> None:
    with pytest.raises(sqlite3.IntegrityError), db.transaction() as conn:
        conn.execute("INSERT INTO accounts (name, base_url, created_at) VALUES ('a', 'u', 0)")
        conn.execute("INSERT INTO accounts (name, base_url, created_at) VALUES ('a', 'u', 0)")
    with pytest.raises(ValueError), guard_writes(db.path.parent):
        raise ValueError("a bug, not a disk")
    with pytest.raises(FileNotFoundError), guard_writes(db.path.parent):
        raise FileNotFoundError(errno.ENOENT, "gone")


def test_settings_on_a_full_disk_keep_the_old_file_and_leave_no_temp_file(
    paths, monkeypatch
) -> None:
    settings = Settings(paths.settings_file)
    settings.set("default_region", "GB")
    before = paths.settings_file.read_bytes()

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(settings_module.os, "fsync", full)
    with pytest.raises(StoreWriteError) as caught:
        settings.set("default_region", "FR")
    assert str(caught.value) == (
        f"Attentive Desktop can't write to {paths.config_dir}: the disk is full. "
        "The setting was not saved."
    )
    assert paths.settings_file.read_bytes() == before
    assert settings.get("default_region") == "GB"  # memory and disk agree
    assert sorted(p.name for p in paths.config_dir.iterdir()) == ["settings.json"]


def test_settings_where_the_config_folder_is_a_file(tmp_path) -> None:
    blocker = tmp_path / "config"
    blocker.write_text("not a folder")
    settings = Settings(blocker / "settings.json")  # reading finds nothing: defaults
    assert settings.get("default_region") == "US"
    with pytest.raises(StoreWriteError) as caught:
        settings.set("default_region", "GB")
    assert caught.value.reason == "cannot-open"
    assert str(caught.value).startswith(f"Attentive Desktop can't write to {blocker}: ")


def test_settings_that_cannot_be_read_do_not_stop_the_app(paths) -> None:
    paths.settings_file.mkdir()  # a folder where the file should be
    settings = Settings(paths.settings_file)
    assert settings.get("default_region") == "US"
    assert settings.recovered_from == paths.config_dir / "settings.json.broken"
    settings.set("default_region", "GB")
    assert json.loads(paths.settings_file.read_text())["default_region"] == "GB"
