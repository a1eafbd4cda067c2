from __future__ import annotations

import os
import stat
from pathlib import Path

import platformdirs
import pytest

from attentive_desktop.store.database import Database
from attentive_desktop.store.paths import AppPaths
from attentive_desktop.store.settings import Settings

posix_only = pytest.mark.skipif(os.name == "nt", reason="POSIX permission bits")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_home_env_overrides_both_directories(private_home: Path) -> None:
    paths = AppPaths.from_environment()
    assert paths.data_dir == private_home / "data"
    assert paths.config_dir == private_home / "config"
    assert paths.database == private_home / "data" / "attentive-desktop.sqlite3"
    assert paths.settings_file == private_home / "config" / "settings.json"


def test_without_override_platformdirs_decides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ATTENTIVE_DESKTOP_HOME")
    paths = AppPaths.from_environment()
    assert paths.data_dir == Path(platformdirs.user_data_dir("attentive-desktop", appauthor=False))
    assert paths.config_dir == Path(
        platformdirs.user_config_dir("attentive-desktop", appauthor=False)
    )


def test_explicit_environ_mapping_is_honoured(tmp_path: Path) -> None:
    paths = AppPaths.from_environment({"ATTENTIVE_DESKTOP_HOME": str(tmp_path / "portable")})
    assert paths.data_dir == tmp_path / "portable" / "data"


@posix_only
def test_ensure_makes_owner_only_directories_even_if_they_existed(private_home: Path) -> None:
    (private_home / "data").mkdir(parents=True, mode=0o755)
    os.chmod(private_home / "data", 0o755)
    paths = AppPaths.from_environment().ensure()
    assert mode(paths.data_dir) == 0o700
    assert mode(paths.config_dir) == 0o700


@posix_only
def test_database_wal_and_settings_files_are_owner_only() -> None:
    old_umask = os.umask(0o022)  # the usual permissive umask: files would be 0644 by default
    try:
        paths = AppPaths.from_environment().ensure()
        db = Database(paths.database)
        try:
            conn = db.connect()
            conn.execute("INSERT INTO accounts VALUES ('a', 'https://x/v1', '', '', '', 0)")
            settings = Settings(paths.settings_file)
            settings.set("last_account", "a")
            wal = paths.database.with_name(paths.database.name + "-wal")
            shm = paths.database.with_name(paths.database.name + "-shm")
            assert wal.exists()
            assert shm.exists()
            for path in (paths.database, wal, shm, paths.settings_file):
                assert mode(path) == 0o600, path
        finally:
            db.close()
    finally:
        os.umask(old_umask)


@posix_only
def test_existing_loose_database_file_is_tightened(paths: AppPaths) -> None:
    paths.database.touch()
    os.chmod(paths.database, 0o644)
    Database(paths.database).close()
    assert mode(paths.database) == 0o600
