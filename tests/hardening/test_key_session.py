"""The API key, end to end: a full session in the window and on the command line, then every
file the app wrote, every export and every captured output is searched for the key.

The window: add an account through its dialog (fake keychain), look up, send, add a read-only
account and run a bulk file that fails with 403, export the bulk report and the history, all
with logging at DEBUG (httpx and httpcore included). The command line, in subprocesses with
ATTENTIVE_API_KEY and --log-level DEBUG: get, set, bulk with a report, and a refused set.
Then `find_secret` (raw, percent-encoded, base64 ...) finds nothing, and every file and folder
the app made is owner-only.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from attentive_desktop import cli
from attentive_desktop.app import build_window
from attentive_desktop.sandbox import seed
from attentive_desktop.sandbox.server import running_sandbox
from attentive_desktop.session_log import SessionSecrets, start_logging
from attentive_desktop.store.paths import AppPaths
from attentive_desktop.store.secrets import SecretStore

from ..privacy import assert_private_tree, find_secret

ROOT = Path(__file__).resolve().parents[2]
# Keys with characters that encode differently in URLs, JSON and base64.
KEY = "sk_live_E2E+full/Key=0123456789abcdef"
READ_ONLY_KEY = "sk_live_E2E+read/Only=fedcba9876543210"
ADA, GRACE = "+14155550100", "+14155550101"


@pytest.fixture
def sandbox(monkeypatch):
    """The sandbox, accepting KEY (full access) and READ_ONLY_KEY (no attributes:write)."""
    for key, like in ((KEY, seed.SANDBOX_API_KEY), (READ_ONLY_KEY, seed.SANDBOX_READONLY_KEY)):
        monkeypatch.setitem(seed.KEY_SCOPES, key, seed.KEY_SCOPES[like])
        monkeypatch.setitem(seed.APPLICATION_NAMES, key, seed.APPLICATION_NAMES[like])
    with running_sandbox() as server:
        yield server


def add_account(qtbot, window, name: str, key: str, base_url: str) -> None:
    dialog = window.open_account_dialog()
    dialog.name_edit.setText(name)
    dialog.key_edit.setText(key)
    dialog.advanced.setChecked(True)
    dialog.base_url_edit.setText(base_url)
    with qtbot.waitSignal(dialog.accountSaved, timeout=10000):
        dialog.save_button.click()
    dialog.done_button.click()
    qtbot.waitUntil(lambda: window.account_name == name)
    qtbot.waitUntil(lambda: not window.api.is_busy(), timeout=10000)


def window_session(qtbot, open_window, sandbox, keyring, tmp_path) -> list[Path]:
    """The in-process part; returns the files it exported."""
    paths = AppPaths.from_environment()
    secrets = SessionSecrets()
    logging_setup = start_logging(paths, "DEBUG", secrets, background=True)  # as run_gui
    assert logging_setup is not None
    exports = tmp_path / "exports"
    exports.mkdir()
    try:
        session = open_window()
        secrets.add_source(session.api.known_keys)
        window = session.window
        add_account(qtbot, window, "Acme", KEY, sandbox.base_url)
        assert keyring.keys[("attentive-desktop", "Acme")] == KEY  # in the keychain only

        window.form.phone_edit.setText(ADA)
        with qtbot.waitSignal(window.api.lookedUp, timeout=10000):
            window.flow.lookup()
        window.form.phone_edit.setText(GRACE)  # not looked up: no review step before sending
        window.editor.model.add_row("Key test", "session")
        with qtbot.waitSignal(window.flow.sendVerified, timeout=10000):
            window.flow.send()
        assert sandbox.user_attributes(phone=GRACE)["Key test"] == "session"

        add_account(qtbot, window, "Read only", READ_ONLY_KEY, sandbox.base_url)
        csv_file = tmp_path / "vip.csv"
        csv_file.write_text(f"phone,VIP\n{ADA},true\n{GRACE},true\n", encoding="utf-8")
        dialog = window.bulk.open()
        with qtbot.waitSignal(dialog.session.previewReady, timeout=10000):
            dialog.open_file(csv_file)
        with qtbot.waitSignal(dialog.session.finished, timeout=20000) as done:
            dialog.start()
        assert done.args[0].failed >= 1  # 403: the key lacks attributes:write
        report = exports / "bulk-report.csv"
        with qtbot.waitSignal(dialog.session.reportWritten, timeout=10000):
            dialog.export_report(report)
        assert "403" in report.read_text(encoding="utf-8-sig") or "write" in report.read_text(
            encoding="utf-8-sig"
        )
        actions = window.profile_tools.history_actions
        for name in ("history.csv", "history.json"):
            with qtbot.waitSignal(actions.exported, timeout=10000):
                actions.export_to(str(exports / name))
        window.close()
        session.shutdown()
    finally:
        logging_setup.close()
    log_text = logging_setup.path.read_text(encoding="utf-8")
    assert "HTTP Request: POST" in log_text  # httpx's debug output was logged (and scrubbed)
    assert "httpcore" in log_text
    return sorted(exports.iterdir())


def cli_session(sandbox, tmp_path) -> list[Path]:
    """The command-line part, in subprocesses; returns the captured outputs and the report."""
    out = tmp_path / "cli"
    out.mkdir()
    bulk_file = tmp_path / "cli-vip.csv"
    bulk_file.write_text(f"phone,Tier\n{ADA},gold\n{GRACE},silver\n", encoding="utf-8")
    common = ["--base-url", sandbox.base_url, "--log-level", "DEBUG"]
    runs = [
        ("get", KEY, ["get", "--phone", ADA, *common], 0),
        ("set", KEY, ["set", "--phone", ADA, "Tier=gold", *common, "--json"], 0),
        ("bulk", KEY, ["bulk", str(bulk_file), "--report", str(out / "report.csv"), *common], 0),
        ("refused", READ_ONLY_KEY, ["set", "--phone", ADA, "Tier=x", *common], 1),
    ]
    captured = []
    for name, key, argv, expected in runs:
        env = {**os.environ, "ATTENTIVE_API_KEY": key, "PYTHONPATH": str(ROOT)}
        result = subprocess.run(
            [sys.executable, "-m", "attentive_desktop", *argv],
            capture_output=True,
            env=env,
            cwd=ROOT,
            timeout=120,
            check=False,
        )
        assert result.returncode == expected, result.stderr.decode()
        assert b"HTTP Request:" in result.stderr  # DEBUG logs go to stderr too, scrubbed
        for stream, data in (("stdout", result.stdout), ("stderr", result.stderr)):
            path = out / f"{name}.{stream}"
            path.write_bytes(data)
            captured.append(path)
    assert sandbox.user_attributes(phone=GRACE)["Tier"] == "silver"
    return [*captured, out / "report.csv"]


def test_a_full_session_leaves_the_key_nowhere(qtbot, open_window, sandbox, keyring, tmp_path):
    exported = window_session(qtbot, open_window, sandbox, keyring, tmp_path)
    outputs = cli_session(sandbox, tmp_path)
    paths = AppPaths.from_environment()
    searched = [paths.data_dir, paths.config_dir, *exported, *outputs]
    for key in (KEY, READ_ONLY_KEY):
        assert find_secret(searched, key) == []
    assert (paths.data_dir / "logs" / "attentive-desktop.log").stat().st_size > 0
    assert len(exported) == 3 and all(p.stat().st_size > 0 for p in exported)
    # The app's own folders and files are owner-only; so are the files it exported.
    assert_private_tree(paths.data_dir.parent)
    for path in [*exported, outputs[-1]]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_without_a_keychain_the_key_is_written_nowhere(qtbot, sandbox) -> None:
    # tests/conftest.py makes keyring's default backend the fail backend: no keychain at all.
    session = build_window(AppPaths.from_environment(), SecretStore(), first_run_dialog=False)
    qtbot.addWidget(session.window)
    window = session.window
    try:
        window.show()
        qtbot.waitUntil(lambda: window.is_ready)
        add_account(qtbot, window, "Acme", KEY, sandbox.base_url)
        assert window.book.keys_are_session_only
        assert "session only" in window.notice.text()
        with qtbot.waitSignal(window.api.lookedUp, timeout=10000):
            window.form.phone_edit.setText(ADA)
            window.flow.lookup()
    finally:
        window.close()
        session.shutdown()
    paths = AppPaths.from_environment()
    assert find_secret([paths.data_dir, paths.config_dir], KEY) == []
    assert_private_tree(paths.data_dir.parent)


def test_the_account_dialog_refuses_plain_http_to_another_host(qtbot, open_window) -> None:
    window = open_window().window
    dialog = window.open_account_dialog()
    dialog.name_edit.setText("Acme")
    dialog.key_edit.setText(KEY)
    dialog.advanced.setChecked(True)
    dialog.base_url_edit.setText("http://api.example.com/v1")
    dialog.save_button.click()
    assert dialog.status_label.isVisible()
    assert "https" in dialog.status_label.text().lower()
    assert not window.api.is_busy()  # refused before any request was made
    assert dialog.saved_account is None
    dialog.reject()


def test_the_command_line_refuses_plain_http_to_another_host(capsys, monkeypatch) -> None:
    monkeypatch.setenv("ATTENTIVE_API_KEY", KEY)
    code = cli.main(["get", "--phone", ADA, "--base-url", "http://api.example.com/v1"])
    out, err = capsys.readouterr()
    assert code == 2
    assert "https" in err.lower() and KEY not in out + err
