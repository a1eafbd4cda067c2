"""Start-up budget (issue 3): the first frame loads only what the first screen needs.

Runs the real start-up (`--sandbox --exit-when-shown`) in a subprocess and lists the modules
loaded when the main window is first exposed. The ones below load later, on first use.
"""

from __future__ import annotations

import subprocess
import sys

# Loaded on first use, not before the first frame: phone metadata (~25 ms), the HTTP stack
# (the worker thread loads it), the keychain, dialogs and _decimal.
LATER = (
    "phonenumbers",
    "httpx",
    "keyring",
    "decimal",
    "attentive_desktop.core.identifiers",
    "attentive_desktop.store.history_search",  # the history pane's filters, on first use
    "attentive_desktop.gui.dialogs",
    "attentive_desktop.sandbox",
    # The log file opens once the window is ready (app.run_gui, early_log.EarlyLogBuffer):
    "attentive_desktop.logs",
    "logging.handlers",
    # Built one event-loop tick after the first frame (app.build_window, Session.complete):
    "attentive_desktop.gui.bulk_action",
    "attentive_desktop.gui.safety",
    "attentive_desktop.gui.drafts",
    "attentive_desktop.gui.history_actions",
    "attentive_desktop.gui.identity",
    "attentive_desktop.gui.privacy",
    "attentive_desktop.gui.subscriptions_panel",
    "attentive_desktop.gui.tasks",
    # The Bulk dialog, built hidden once start-up has finished (BulkAction.prepare):
    "attentive_desktop.gui.bulk_dialog",
    "attentive_desktop.gui.bulk_models",
    "attentive_desktop.gui.bulk_results",
    "attentive_desktop.gui.bulk_session",
)

SNAPSHOT_AT_FIRST_FRAME = r"""
import sys

import attentive_desktop.gui.self_check as check
from attentive_desktop.app import main

original = check.on_first_expose


def on_first_expose(window, callback):
    def first_frame():
        print("loaded:", " ".join(sorted(sys.modules)), flush=True)
        menus = [a.text() for a in window.menuBar().actions()]
        print("menus:", "|".join(menus), flush=True)
        callback()

    return original(window, first_frame)


check.on_first_expose = on_first_expose
sys.exit(main(["--sandbox", "--exit-when-shown"]))
"""


def _first_frame_output() -> str:
    result = subprocess.run(
        [sys.executable, "-c", SNAPSHOT_AT_FIRST_FRAME],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "window ready" in result.stdout  # start-up still finishes after the first frame
    return result.stdout


def _line(output: str, prefix: str) -> str:
    lines = [line for line in output.splitlines() if line.startswith(prefix)]
    assert len(lines) == 1, output
    return lines[0].removeprefix(prefix)


def _modules_at_first_frame() -> set[str]:
    return set(_line(_first_frame_output(), "loaded: ").split())


def test_first_frame_defers_heavy_modules() -> None:
    loaded = _modules_at_first_frame()
    assert "attentive_desktop.gui.main_window" in loaded  # the snapshot is of the real window
    early = sorted(
        name for name in loaded if any(name == m or name.startswith(m + ".") for m in LATER)
    )
    assert early == []


def test_first_frame_pure_modules_load_without_qt() -> None:
    """app.FIRST_FRAME_PURE_MODULES are imported ahead of PySide6, so they must not need it."""
    code = (
        "import importlib, sys\n"
        "from attentive_desktop.app import FIRST_FRAME_PURE_MODULES\n"
        "for name in FIRST_FRAME_PURE_MODULES: importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'PySide6', 'shiboken6'}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "[]"


def test_first_frame_shows_the_whole_menu_bar() -> None:
    """The menu titles are in the first frame; only their actions come a tick later."""
    output = _first_frame_output()
    assert _line(output, "menus: ").split("|") == [
        "&Account",
        "Ac&tions",
        "&Edit",
        "&View",
        "&Help",
    ]
    assert "attentive_desktop.gui.main_window" in _line(output, "loaded: ").split()
