"""Logging and recovery wired into both front doors: the level comes from --log-level or the
environment, the log lands in the data folder owner-only and without the key, and a damaged
database is reported on stderr by the command line, which carries on."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from attentive_desktop import cli
from attentive_desktop.sandbox.seed import SANDBOX_API_KEY
from attentive_desktop.session_log import SessionSecrets, log_level
from attentive_desktop.store.paths import AppPaths

from ..privacy import assert_private_tree, find_secret

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("flag", "env", "expected"),
    [(None, None, "INFO"), ("debug", None, "DEBUG"), (None, "warn", "WARNING"),
     ("ERROR", "DEBUG", "ERROR")],
)  # fmt: skip
def test_the_level_comes_from_the_flag_then_the_environment(flag, env, expected) -> None:
    environ = {"ATTENTIVE_DESKTOP_LOG_LEVEL": env} if env else {}
    assert log_level(flag, environ) == expected


def test_an_unknown_level_is_a_plain_usage_error(capsys) -> None:
    with pytest.raises(ValueError, match="Unknown log level 'LOUD' in --log-level"):
        log_level("loud", {})
    assert cli.main(["get", "--phone", "+14155550100", "--log-level", "loud"]) == 2
    assert "use DEBUG, INFO, WARNING, ERROR" in capsys.readouterr().err


def test_session_secrets_cover_the_environment_sources_and_the_sandbox() -> None:
    secrets = SessionSecrets({"ATTENTIVE_API_KEY": " env-key-123 "})
    secrets.add("typed-key-456")
    secrets.add_source(lambda: ("service-key-789",))
    secrets.add_source(lambda: 1 / 0)  # a broken source does not hide the others
    known = secrets()
    assert {"env-key-123", "typed-key-456", "service-key-789", SANDBOX_API_KEY} <= set(known)


def test_the_window_logs_at_debug_to_a_private_file_without_the_key() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-m", "attentive_desktop", "--sandbox", "--exit-when-shown",
         "--log-level", "DEBUG"],
        capture_output=True, env=env, cwd=ROOT, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr.decode()
    paths = AppPaths.from_environment()
    log = paths.data_dir / "logs" / "attentive-desktop.log"
    assert "logging at DEBUG" in log.read_text(encoding="utf-8")
    assert find_secret([paths.data_dir, paths.config_dir], SANDBOX_API_KEY) == []
    assert SANDBOX_API_KEY.encode() not in result.stdout + result.stderr
    assert_private_tree(paths.data_dir.parent)


def test_the_command_line_reports_a_damaged_database_and_carries_on(capsys) -> None:
    paths = AppPaths.from_environment().ensure()
    paths.database.write_bytes(b"garbage, not SQLite" * 50)
    assert cli.main(["get", "--phone", "+14155550100", "--sandbox"]) == 0
    out, err = capsys.readouterr()
    assert "warning: The history file was damaged." in err
    assert "moved aside" in err
    assert "+14155550100" in out
    assert list(paths.data_dir.glob("attentive-desktop.sqlite3.corrupt-*"))
