"""The command-line flags, run as real subprocesses (headless)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from attentive_desktop import __version__

pytestmark = pytest.mark.slow


def run(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, "-m", "attentive_desktop", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        check=False,
    )


def test_version_prints_the_version_without_loading_qt():
    probe = (
        "import sys\n"
        "from attentive_desktop.app import main\n"
        "code = main(['--version'])\n"
        "assert not any(m.startswith('PySide6') for m in sys.modules), 'PySide6 was imported'\n"
        "sys.exit(code)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"attentive-desktop {__version__}"


def test_sub_commands_go_to_the_command_line_without_qt():
    probe = (
        "import sys\n"
        "from attentive_desktop.app import main\n"
        "try:\n"
        "    code = main(['get', '--help'])\n"
        "except SystemExit as exit:\n"
        "    code = exit.code\n"
        "assert not any(m.startswith('PySide6') for m in sys.modules), 'PySide6 was imported'\n"
        "sys.exit(code)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "--phone" in result.stdout


def test_version_as_a_module():
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"attentive-desktop {__version__}"


def test_self_test_builds_the_window_offscreen_and_exits_0(private_home):
    result = run("--self-test")
    assert result.returncode == 0, result.stderr
    assert f"attentive-desktop {__version__}" in result.stdout
    assert "self-test ok" in result.stdout
    assert "Traceback" not in result.stderr
    assert not private_home.exists()  # a throw-away folder, not the user's data


def test_smoke_lookup_answers_through_the_window_in_sandbox_mode():
    result = run("--sandbox", "--smoke-lookup", "(415) 555-0100")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "lookup ok: 9 attributes"
    assert "Traceback" not in result.stderr


def test_smoke_lookup_of_an_unknown_user_fails():
    result = run("--sandbox", "--smoke-lookup", "nobody@example.com")
    assert result.returncode == 1
    assert "No Attentive user has this email address yet" in result.stderr


def test_smoke_lookup_needs_the_sandbox():
    result = run("--smoke-lookup", "+14155550100")
    assert result.returncode == 2
    assert "--smoke-lookup needs --sandbox" in result.stderr


def test_an_insecure_base_url_is_refused_plainly():
    result = run("--base-url", "http://api.example.com/v1", "--self-test")
    assert result.returncode == 2
    assert "https://" in result.stderr


def test_help_points_to_the_commands_that_run_without_a_window(capsys):
    from attentive_desktop.app import main

    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    assert "get|set|bulk" in capsys.readouterr().out
