from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from attentive_desktop.store.paths import AppPaths
from attentive_desktop.store.settings import Settings


@pytest.fixture
def settings_file() -> Path:
    return AppPaths.from_environment().ensure().settings_file


def _fail_replacing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the rename that ends every write fail, as a full disk would."""

    def broken_replace(src: object, dst: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)


def test_defaults_before_anything_is_written(settings_file: Path) -> None:
    settings = Settings(settings_file)
    assert settings.get("default_region") == "US"
    assert settings.get("last_account") is None
    assert settings.get("unknown") is None
    assert settings.get("unknown", 5) == 5
    assert settings.get("default_region", "GB") == "GB"
    assert not settings_file.exists()
    assert settings.recovered_from is None


def test_set_persists_atomically_and_owner_only(settings_file: Path) -> None:
    settings = Settings(settings_file)
    settings.set("default_region", "GB")
    settings.set("window_geometry", {"x": 1, "y": 2})
    assert json.loads(settings_file.read_text()) == {
        "default_region": "GB",
        "window_geometry": {"x": 1, "y": 2},
    }
    if os.name != "nt":
        assert stat.S_IMODE(settings_file.stat().st_mode) == 0o600
    assert [p.name for p in settings_file.parent.iterdir()] == ["settings.json"]  # no temp left
    reloaded = Settings(settings_file)
    assert reloaded.get("default_region") == "GB"
    assert reloaded.get("window_geometry") == {"x": 1, "y": 2}
    reloaded.remove("default_region")
    assert Settings(settings_file).get("default_region") == "US"


def test_values_returned_are_copies(settings_file: Path) -> None:
    settings = Settings(settings_file)
    settings.set("window_geometry", {"x": 1})
    settings.get("window_geometry")["x"] = 99
    assert settings.get("window_geometry") == {"x": 1}


def test_an_unserialisable_value_changes_nothing(settings_file: Path) -> None:
    settings = Settings(settings_file)
    settings.set("last_account", "Main")
    before = settings_file.read_bytes()
    with pytest.raises(TypeError):
        settings.set("window_geometry", b"\x01\x02")
    assert settings_file.read_bytes() == before
    assert settings.get("window_geometry") is None
    assert [p.name for p in settings_file.parent.iterdir()] == ["settings.json"]


def test_a_failed_replace_keeps_the_old_file(
    settings_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(settings_file)
    settings.set("last_account", "Main")
    _fail_replacing(monkeypatch)
    with pytest.raises(OSError, match="disk full"):
        settings.set("last_account", "Other")
    monkeypatch.undo()
    assert Settings(settings_file).get("last_account") == "Main"
    assert settings.get("last_account") == "Main"
    assert [p.name for p in settings_file.parent.iterdir()] == ["settings.json"]


@pytest.mark.parametrize("content", [b"{not json", b"[1, 2]", b"\xff\xfe garbage", b""])
def test_a_corrupt_file_is_kept_aside_and_defaults_are_used(
    settings_file: Path, content: bytes
) -> None:
    settings_file.write_bytes(content)
    settings = Settings(settings_file)
    broken = settings_file.with_name("settings.json.broken")
    assert settings.recovered_from == broken
    assert broken.read_bytes() == content
    assert not settings_file.exists()
    assert settings.get("default_region") == "US"
    settings.set("last_account", "Main")
    assert Settings(settings_file).get("last_account") == "Main"


def test_put_holds_at_once_and_flush_writes_it(settings_file: Path) -> None:
    settings = Settings(settings_file)
    settings.set("default_region", "GB")
    settings.put("last_account", "Main")
    assert settings.get("last_account") == "Main"  # readers see it before the file has it
    assert json.loads(settings_file.read_text()) == {"default_region": "GB"}
    settings.flush()
    assert json.loads(settings_file.read_text()) == {
        "default_region": "GB",
        "last_account": "Main",
    }
    written = settings_file.stat().st_mtime_ns
    settings.flush()  # nothing new: the file is left alone
    assert settings_file.stat().st_mtime_ns == written


def test_put_refuses_an_unserialisable_value_at_once(settings_file: Path) -> None:
    settings = Settings(settings_file)
    with pytest.raises(TypeError):
        settings.put("window_geometry", b"\x01")
    assert settings.get("window_geometry") is None


def test_a_failed_flush_keeps_the_values_and_the_next_one_writes_them(
    settings_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(settings_file)
    settings.put("last_account", "Main")
    _fail_replacing(monkeypatch)
    with pytest.raises(OSError, match="disk full"):
        settings.flush()
    monkeypatch.undo()
    assert settings.get("last_account") == "Main"
    assert not settings_file.exists()
    settings.flush()
    assert Settings(settings_file).get("last_account") == "Main"


def test_set_also_writes_what_put_held(settings_file: Path) -> None:
    settings = Settings(settings_file)
    settings.put("last_account", "Main")
    settings.set("default_region", "GB")
    assert json.loads(settings_file.read_text()) == {
        "default_region": "GB",
        "last_account": "Main",
    }
