"""A damaged or unusable database never stops the app: it is set aside (or left alone) and
the session carries on with a fresh or temporary database, with a notice for the window."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from attentive_desktop.store import recovery
from attentive_desktop.store.database import Database
from attentive_desktop.store.errors import DatabaseCorruptError
from attentive_desktop.store.history import HistoryStore
from attentive_desktop.store.paths import AppPaths
from attentive_desktop.store.recovery import (
    DamageCheck,
    RecoveryNotice,
    check_for_damage,
    damage_mark,
    open_database_with_recovery,
)

from .damage import FakeExchange, fill, wreck_middle

STAMP = "20250102T030405Z"


@pytest.fixture
def paths() -> AppPaths:
    return AppPaths.from_environment().ensure()


@pytest.fixture
def opened():
    """Open with recovery (fixed stamp, temp databases under the test's tmp) and clean up."""
    made: list[tuple[Database, RecoveryNotice | None]] = []

    def run(paths: AppPaths, **options) -> tuple[Database, RecoveryNotice | None]:
        options.setdefault("stamp", lambda: STAMP)
        options.setdefault("temporary_root", paths.data_dir.parent / "tmp")
        result = open_database_with_recovery(paths, **options)
        made.append(result)
        return result

    yield run
    for database, notice in made:
        database.close()
        if notice is not None:
            notice.discard()


def _works(database: Database) -> None:
    history = HistoryStore(database)
    history.append(FakeExchange())
    assert history.count() == 1


def test_a_file_that_is_not_a_database_is_moved_aside_with_its_sidecars(paths, opened) -> None:
    garbage = b"this is not SQLite at all\x00" * 200
    paths.database.write_bytes(garbage)
    wal = paths.database.with_name(paths.database.name + "-wal")
    shm = paths.database.with_name(paths.database.name + "-shm")
    wal.write_bytes(b"old wal")
    shm.write_bytes(b"old shm")

    database, notice = opened(paths)

    aside = paths.data_dir / f"attentive-desktop.sqlite3.corrupt-{STAMP}"
    assert notice is not None and notice.kind == "moved-aside"
    assert notice.moved_to[0] == aside
    # SQLite itself discards a -wal/-shm it cannot use when it closes the file; whatever
    # sidecars were left are moved with the database, never left to pair with the new one.
    assert set(notice.moved_to) <= {aside, Path(f"{aside}-wal"), Path(f"{aside}-shm")}
    assert aside.read_bytes() == garbage  # kept byte for byte, never deleted
    assert str(aside) in notice.message and "moved aside" in notice.message
    assert "not a database" in notice.detail
    assert database.path == paths.database
    _works(database)
    assert stat.S_IMODE(paths.database.stat().st_mode) == 0o600


def test_move_aside_takes_every_sidecar_along(tmp_path) -> None:
    database = tmp_path / "attentive-desktop.sqlite3"
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{database}{suffix}").write_text(suffix or "db")
    moved = recovery.move_aside(database, STAMP)
    aside = tmp_path / f"attentive-desktop.sqlite3.corrupt-{STAMP}"
    assert moved == (aside, *(Path(f"{aside}{s}") for s in ("-wal", "-shm", "-journal")))
    assert [p.read_text() for p in moved] == ["db", "-wal", "-shm", "-journal"]
    assert sorted(tmp_path.iterdir()) == sorted(moved)


def test_damage_deep_inside_a_real_database_is_found_by_the_check_on_open(paths, opened) -> None:
    fill(paths.database)
    size = paths.database.stat().st_size
    wreck_middle(paths.database)
    # Without the check the file opens fine and would fail later, mid-session:
    with (
        Database(paths.database) as unchecked,
        pytest.raises(sqlite3.DatabaseError, match="malformed"),
    ):
        unchecked.connect().execute("SELECT sum(length(response_body)) FROM history_detail")
    with pytest.raises(DatabaseCorruptError, match="damaged"):
        Database(paths.database, verify=True)

    database, notice = opened(paths)
    assert notice is not None and notice.kind == "moved-aside"
    assert notice.moved_to[0].stat().st_size == size
    _works(database)


def test_the_window_opens_unchecked_and_a_later_check_has_the_next_start_set_it_aside(
    paths, opened
) -> None:
    fill(paths.database)
    wreck_middle(paths.database)
    database, notice = opened(paths, verify=False)  # what the window does: no whole-file read
    assert notice is None

    damage = check_for_damage(database)  # the window runs this in the background

    assert damage is not None and "damaged" in damage
    mark = damage_mark(paths.database)
    assert mark.read_text(encoding="utf-8") == damage
    assert stat.S_IMODE(mark.stat().st_mode) == 0o600
    database.close()
    database, notice = opened(paths, verify=False)
    assert notice is not None and notice.kind == "moved-aside"
    assert notice.detail == damage
    assert not mark.exists()
    _works(database)


def test_a_sound_database_passes_the_check_and_leaves_no_mark(paths, opened) -> None:
    fill(paths.database, rows=20)
    database, _notice = opened(paths, verify=False)
    assert check_for_damage(database) is None
    assert not damage_mark(paths.database).exists()
    database.close()
    assert check_for_damage(database) is None  # closed meanwhile (the window quit): no verdict
    assert DamageCheck(database)() is None


def test_an_interrupted_check_finds_nothing_and_marks_nothing(paths, opened) -> None:
    fill(paths.database)
    wreck_middle(paths.database)
    database, _notice = opened(paths, verify=False)
    check = DamageCheck(database)
    # Interrupt from inside the check's own steps, as the window's quit would from its thread:
    database.connect().set_progress_handler(lambda: check.interrupt() or 0, 100)
    assert check() is None
    assert not damage_mark(paths.database).exists()
    database.connect().set_progress_handler(None, 0)
    check.interrupt()  # no check running: nothing happens
    assert check() is not None  # the damage is still there for the next check


def test_a_damage_mark_without_its_database_is_dropped(paths, opened) -> None:
    damage_mark(paths.database).write_text("old news", encoding="utf-8")
    database, notice = opened(paths, verify=False)
    assert notice is None
    assert not damage_mark(paths.database).exists()
    _works(database)


def test_a_truncated_database_is_moved_aside(paths, opened) -> None:
    fill(paths.database)
    with open(paths.database, "r+b") as handle:
        handle.truncate(paths.database.stat().st_size // 3)
    database, notice = opened(paths)
    assert notice is not None and notice.kind == "moved-aside"
    _works(database)


def test_a_healthy_database_opens_without_a_notice_and_keeps_its_rows(paths, opened) -> None:
    fill(paths.database, rows=3)
    database, notice = opened(paths)
    assert notice is None
    assert HistoryStore(database).count() == 3
    assert not list(paths.data_dir.glob("*.corrupt-*"))


def test_a_second_damaged_file_in_the_same_second_gets_its_own_name(paths, opened) -> None:
    first = paths.data_dir / f"attentive-desktop.sqlite3.corrupt-{STAMP}"
    first.write_bytes(b"earlier")
    paths.database.write_bytes(b"garbage" * 100)
    database, notice = opened(paths)
    assert notice.moved_to[0] == Path(f"{first}-2")
    assert first.read_bytes() == b"earlier"
    database.close()


def test_a_database_from_a_newer_app_is_left_alone(paths, opened) -> None:
    fill(paths.database, rows=2)
    with sqlite3.connect(paths.database) as conn:
        conn.execute("PRAGMA user_version = 999")
    conn.close()
    before = paths.database.read_bytes()

    database, notice = opened(paths)

    assert notice is not None and notice.kind == "temporary"
    assert "newer version" in notice.message
    assert paths.database.read_bytes() == before
    assert database.path.parent == notice.temporary_dir
    assert stat.S_IMODE(notice.temporary_dir.stat().st_mode) == 0o700
    _works(database)
    database.close()
    notice.discard()
    assert not notice.temporary_dir.exists()


def test_a_data_folder_that_cannot_be_created_gives_a_temporary_session(opened, tmp_path) -> None:
    blocker = tmp_path / "blocked"
    blocker.write_text("a file where the data folder should be")
    paths = AppPaths(data_dir=blocker / "data", config_dir=tmp_path / "config")

    database, notice = opened(paths, temporary_root=tmp_path / "tmp")

    assert notice is not None and notice.kind == "temporary"
    assert notice.title == "History is not being saved"
    assert notice.message == (
        f"Attentive Desktop can't write to {paths.data_dir}: the file or folder cannot be "
        "opened. Until this is fixed, this session's history and accounts are kept only until "
        "you quit. Free some disk space or check the folder's permissions, then restart."
    )
    _works(database)
    assert blocker.read_text().startswith("a file")


def test_a_folder_in_place_of_the_database_file_is_not_moved(paths, opened) -> None:
    paths.database.mkdir()
    (paths.database / "keep.txt").write_text("mine")
    database, notice = opened(paths)
    assert notice is not None and notice.kind == "temporary"
    assert "can't write to" in notice.message and "cannot be opened" in notice.message
    assert (paths.database / "keep.txt").read_text() == "mine"
    _works(database)


def test_when_the_damaged_file_cannot_be_moved_the_session_is_temporary(
    paths, opened, monkeypatch
) -> None:
    paths.database.write_bytes(b"garbage" * 100)

    def refuse(src, dst):
        raise PermissionError(13, "Permission denied", str(src))

    monkeypatch.setattr(recovery.os, "replace", refuse)
    database, notice = opened(paths)
    assert notice is not None and notice.kind == "temporary"
    assert notice.message.startswith("The database was damaged, and it could not be set aside")
    assert paths.database.read_bytes() == b"garbage" * 100
    _works(database)


def test_a_moved_aside_database_keeps_its_owner_only_mode(paths, opened) -> None:
    paths.database.write_bytes(b"garbage" * 100)
    os.chmod(paths.database, 0o600)
    _database, notice = opened(paths)
    assert stat.S_IMODE(notice.moved_to[0].stat().st_mode) == 0o600
