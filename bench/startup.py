"""Start-up budget: time to the main window shown, and idle peak memory, against bare PySide6.

Runs, alternating, the app (`python -m attentive_desktop --sandbox --exit-when-shown`) and a
bare PySide6 QMainWindow of the same size, each in a fresh process. Both print "window shown"
when their window is first exposed; the app also prints "window ready" once start-up work
deferred past the first frame is done (sandbox started, account in use). Each then idles for
500 ms and quits. Times are measured from just before the process is spawned to those lines;
memory is the child's peak RSS (ru_maxrss from wait4). Prints medians and ratios app / bare.
Both run with compiled bytecode, as an installed app does (pip and PyInstaller ship .pyc):
the warm-up runs write it to a private cache (PYTHONPYCACHEPREFIX), even when the calling
shell sets PYTHONDONTWRITEBYTECODE, so neither side pays for compiling its sources.
Targets: time to shown ≤ 1.5×, memory ≤ 2.0×. The time to ready is printed too, so a fast
first frame cannot hide slow start-up work; and, for reference only, the time of a window with
the first screen's widgets and nothing behind them (WIDGETS_WINDOW): what the app's own code
adds is the app's time over that window's. Last, the app again
with a history of --history-rows requests (100,000 by default, ~1 KB of bodies each, as a
busy account builds up): start-up must not grow with the history.

With --frozen it times what users install instead: the packaged app (dist/attentive-desktop,
built by `make package`) against the same bare window packaged by PyInstaller with its
defaults (built into build/bench/ on first use, or again with --rebuild). There the reference
window and the history runs are skipped.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/startup.py [--runs 5] [--history-rows N]
    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/startup.py --frozen [--rebuild]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TIME_TARGET = 1.5
MEMORY_TARGET = 2.0
ROOT = Path(__file__).resolve().parent.parent
FROZEN_APP = ROOT / "dist" / "attentive-desktop" / "attentive-desktop"
FROZEN_BENCH = ROOT / "build" / "bench"
FROZEN_BARE = FROZEN_BENCH / "dist" / "bare-window" / "bare-window"

BARE_WINDOW = r"""
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setWindowTitle("bare")
window.resize(1280, 800)


class Watcher(QObject):
    done = False

    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Expose and obj.isExposed() and not self.done:
            self.done = True
            print("window shown", flush=True)
            QTimer.singleShot(500, app.quit)
        return False


window.winId()
watcher = Watcher()
window.windowHandle().installEventFilter(watcher)
window.show()
sys.exit(app.exec())
"""

# For reference only (the targets are against BARE_WINDOW): the widgets of the app's first
# screen, laid out as the app lays them out, over models that return nothing, with none of the
# app behind them. A bare window pays for none of this. Showing a Python table model at all
# makes PySide build its whole Qt namespace (93 Python enums, ~18 ms here): QTableView.setModel
# asks the model's headerData at once, and PySide must turn its Qt.Orientation argument into a
# Python enum. A C++ model cannot stand in for the header either: the view sets its header to
# its own model, and a custom QHeaderView needs that same enum to be made. Docking the history
# pane needs it too (addDockWidget takes only a Qt.DockWidgetArea; PySide refuses an int).
# The app's time over this window is what its own code costs. Keep it in step with the first
# screen (docs/screenshots/main-window.png).
WIDGETS_WINDOW = BARE_WINDOW.replace(
    'window.setWindowTitle("bare")',
    """window.setWindowTitle("widgets")
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QComboBox, QDockWidget, QFormLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
    QPlainTextEdit, QPushButton, QSplitter, QTableView, QToolBar, QVBoxLayout, QWidget,
)


class Model(QAbstractTableModel):
    def __init__(self, columns):
        super().__init__()
        self.columns = columns

    def rowCount(self, parent=QModelIndex()):
        return 0

    def columnCount(self, parent=QModelIndex()):
        return len(self.columns)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.columns[section]
        return None


def buttons(parent, layout, *texts):
    for text in texts:
        button = QPushButton(text, parent)
        button.setObjectName(text)
        button.setAccessibleName(text)
        layout.addWidget(button)


def row(layout):
    box = QHBoxLayout()
    layout.addLayout(box)
    return box


bar = QToolBar("Account", window)
bar.addWidget(QLabel(" Account: ", bar))
accounts = QComboBox(bar)
accounts.addItem("Sandbox")
bar.addWidget(accounts)
bar.addAction("Add account…")
window.addToolBar(bar)
for title in ("&Account", "&Actions", "&Edit", "&View", "&Help"):
    window.menuBar().addMenu(title)
central = QWidget(window)
layout = QVBoxLayout(central)
layout.addWidget(QLabel("SANDBOX — nothing you send here reaches Attentive.", central))
splitter = QSplitter(Qt.Orientation.Horizontal, central)
layout.addWidget(splitter, 1)
form = QWidget(splitter)
form_layout = QVBoxLayout(form)
form_layout.addWidget(QLabel("Customer", form))
fields = QFormLayout()
form_layout.addLayout(fields)
for label in ("&Phone", "&Email", "clientUserId"):
    edit = QLineEdit(form)
    edit.setPlaceholderText("optional")
    edit.setClearButtonEnabled(True)
    fields.addRow(label, edit)
form_layout.addWidget(QLabel("Custom identifiers", form))
buttons(form, form_layout, "Add custom identifier", "Link identifiers", "Look up")
form_layout.addStretch(1)
editor = QWidget(splitter)
editor_layout = QVBoxLayout(editor)
top = row(editor_layout)
top.addWidget(QLabel("Attributes", editor))
top.addStretch(1)
buttons(editor, top, "Add row", "Remove row", "Paste rows", "Show request…")
table = QTableView(editor)
table.setModel(Model(["Name", "Value", "Type", "Current", "Check"]))
table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
editor_layout.addWidget(table, 1)
bottom = row(editor_layout)
bottom.addWidget(QLabel("Writing to: Sandbox", editor))
bottom.addStretch(1)
buttons(editor, bottom, "Send", "Cancel")
window.setCentralWidget(central)
dock = QDockWidget("Request history", window)
pane = QWidget(dock)
pane_layout = QVBoxLayout(pane)
filters = row(pane_layout)
filters.addWidget(QLabel("Filter:", pane))
filters.addWidget(QLineEdit(pane), 1)
filters.addWidget(QLabel("0 requests", pane))
buttons(pane, filters, "Clear history…")
tools = row(pane_layout)
tools.addWidget(QLabel("Status:", pane))
buttons(pane, tools, "2xx", "4xx", "5xx", "Network")
dates = QComboBox(pane)
dates.addItems(["Any time", "Today", "Last 7 days"])
tools.addWidget(dates)
tools.addStretch(1)
buttons(pane, tools, "Replay", "Copy as curl", "Revert this send…", "Export…")
split = QSplitter(Qt.Orientation.Horizontal, pane)
pane_layout.addWidget(split, 1)
history = QTableView(split)
proxy = QSortFilterProxyModel()
proxy.setSourceModel(Model(["Time", "Method", "Endpoint", "User", "Status", "Duration",
                            "Attempts", "User agent"]))
history.setModel(proxy)
history.setSortingEnabled(True)
details = QPlainTextEdit(split)
details.setReadOnly(True)
details.setPlaceholderText("Select a request to see what was sent and received.")
dock.setWidget(pane)
window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
window.statusBar().showMessage("Ready")""",
)


def measure(command: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Seconds from spawn to "window shown" and to "window ready" (start-up finished: for the
    app, the sandbox account in use; the bare window is ready when shown), and peak RSS in
    MiB, of one run of ``command``."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True
    )
    assert process.stdout is not None
    seen: dict[str, float] = {}
    for line in process.stdout:
        seen.setdefault(line.strip(), time.perf_counter())
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if "window shown" not in seen or process.returncode != 0:
        raise SystemExit(f"{command!r} did not show a window (exit {process.returncode})")
    shown = seen["window shown"] - start
    ready = seen.get("window ready", seen["window shown"]) - start
    peak_mib = usage.ru_maxrss / 1024 if sys.platform != "darwin" else usage.ru_maxrss / 2**20
    return shown, ready, peak_mib


def fill_history(home: str, rows: int) -> float:
    """Give the app data folder under `home` `rows` requests of history; returns its MiB."""
    import json
    from pathlib import Path

    from history_rows import write_history

    request = json.dumps(
        {
            "user": {"phone": "+14155550100", "email": "customer@example.com"},
            "properties": {f"Attribute {k}": f"a value for attribute {k}" for k in range(8)},
        }
    )
    started = time.time() - rows
    database = write_history(
        Path(home),
        (
            (i, started + i, "POST", "/attributes/custom", f"+1415557{i % 10_000:04d}",
             200, 20.0, 1, "Bench", "attentive-desktop/bench", "bench")
            for i in range(1, rows + 1)
        ),
        (
            (i, "https://api.attentivemobile.com/v1/attributes/custom",
             request.replace("0100", f"{i % 10_000:04d}"), "{}", None)
            for i in range(1, rows + 1)
        ),
    )  # fmt: skip
    return database.stat().st_size / 2**20


def frozen_commands(rebuild: bool) -> tuple[list[str], list[str]]:
    """The packaged app and the bare window packaged with PyInstaller's defaults (built into
    build/bench/ when missing or with ``rebuild``)."""
    if not FROZEN_APP.exists():
        raise SystemExit(f"{FROZEN_APP.relative_to(ROOT)} is missing: run `make package` first")
    if rebuild or not FROZEN_BARE.exists():
        FROZEN_BENCH.mkdir(parents=True, exist_ok=True)
        script = FROZEN_BENCH / "bare_window.py"
        script.write_text(BARE_WINDOW, encoding="utf-8")
        command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN"]
        command += ["--onedir", "--name", "bare-window", "--specpath", str(FROZEN_BENCH)]
        command += ["--distpath", str(FROZEN_BENCH / "dist")]
        command += ["--workpath", str(FROZEN_BENCH / "work"), str(script)]
        subprocess.run(command, check=True)
    app_cmd = [str(FROZEN_APP), "--sandbox", "--exit-when-shown"]
    return app_cmd, [str(FROZEN_BARE)]


def main() -> int:
    """Run both, alternating, and print medians and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="measured runs of each (default 5)")
    parser.add_argument(
        "--history-rows",
        type=int,
        default=100_000,
        help="also time the app with this many requests of history (default 100000; 0 skips)",
    )
    parser.add_argument(
        "--frozen",
        action="store_true",
        help="time the packaged app (make package) against a packaged bare window",
    )
    parser.add_argument(
        "--rebuild", action="store_true", help="with --frozen: package the bare window afresh"
    )
    args = parser.parse_args()

    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env.pop("ATTENTIVE_API_KEY", None)
    app_cmd = [sys.executable, "-m", "attentive_desktop", "--sandbox", "--exit-when-shown"]
    bare_cmd = [sys.executable, "-c", BARE_WINDOW]
    widgets_cmd: list[str] | None = [sys.executable, "-c", WIDGETS_WINDOW]
    if args.frozen:
        app_cmd, bare_cmd = frozen_commands(args.rebuild)
        widgets_cmd, args.history_rows = None, 0
    results: dict[str, list[tuple[float, float, float]]] = {"app": [], "bare": []}
    if widgets_cmd is not None:
        results["widgets"] = []
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    with tempfile.TemporaryDirectory(prefix="attentive-bench-") as home:
        env["ATTENTIVE_DESKTOP_HOME"] = os.path.join(home, "home")
        env["PYTHONPYCACHEPREFIX"] = os.path.join(home, "pycache")
        history_env = dict(env, ATTENTIVE_DESKTOP_HOME=os.path.join(home, "history-home"))
        history_mib = 0.0
        if args.history_rows > 0:
            history_mib = fill_history(history_env["ATTENTIVE_DESKTOP_HOME"], args.history_rows)
            results["history"] = []
        # Warm-up: fill the OS file cache and the bytecode cache for both.
        measure(bare_cmd, env)
        if widgets_cmd is not None:
            measure(widgets_cmd, env)
        measure(app_cmd, env)
        for _ in range(args.runs):
            results["bare"].append(measure(bare_cmd, env))
            results["app"].append(measure(app_cmd, env))
            if widgets_cmd is not None:
                results["widgets"].append(measure(widgets_cmd, env))
            if "history" in results:
                results["history"].append(measure(app_cmd, history_env))

    def medians(name: str) -> tuple[float, float, float]:
        shown, ready, mems = zip(*results[name], strict=True)
        return statistics.median(shown), statistics.median(ready), statistics.median(mems)

    app_shown, app_ready, app_mem = medians("app")
    bare_shown, _bare_ready, bare_mem = medians("bare")
    built = "packaged by PyInstaller" if args.frozen else "run from source"
    print(f"platform: {env['QT_QPA_PLATFORM']}, {built}, runs: {args.runs} each, medians")
    print(f"bare PySide6 window: shown {bare_shown * 1000:6.0f} ms  peak RSS {bare_mem:6.1f} MiB")
    print(
        f"attentive-desktop:   shown {app_shown * 1000:6.0f} ms  ready {app_ready * 1000:6.0f} ms"
        f"  peak RSS {app_mem:6.1f} MiB"
    )
    print(
        f"time to window shown: {app_shown / bare_shown:.2f}x (target <= {TIME_TARGET}x); "
        f"to ready (sandbox up, account in use): {app_ready / bare_shown:.2f}x"
    )
    print(f"memory ratio: {app_mem / bare_mem:.2f}x (target <= {MEMORY_TARGET}x)")
    if "widgets" in results:
        widgets_shown = medians("widgets")[0]
        print(
            f"for reference, the first screen's widgets without the app behind them: shown "
            f"{widgets_shown * 1000:.0f} ms = {widgets_shown / bare_shown:.2f}x bare; the app "
            f"is {app_shown / widgets_shown:.2f}x that window"
        )
    if "history" in results:
        shown, ready, _mem = medians("history")
        print(
            f"with {args.history_rows:,} requests of history ({history_mib:.0f} MiB): shown "
            f"{shown * 1000:.0f} ms = {shown / bare_shown:.2f}x bare, ready {ready * 1000:.0f} ms"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
