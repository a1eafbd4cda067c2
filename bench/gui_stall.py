"""GUI stalls: the longest gap of a 5 ms heartbeat QTimer on the GUI thread.

(a) During a 1,000-row bulk run in the Bulk dialog of the real window, against the sandbox
    (150/s, 20 ms latency) run in its own process as a real API would be, so its threads do
    not compete with the window for the GIL. The idle time after start-up (the account check,
    the hidden Bulk dialog being built), opening the dialog, opening the file (preview), the
    dry run and the run itself are measured separately.
(b) During loading and filtering 100,000 history rows in the history pane: the rows are
    inserted into a temporary database first (not measured); then the window opens on it and
    the pane loads its first page and the count, scrolls through 50 pages, filters by two
    texts and clears the filter.

Prints each maximum gap and its ratio to the 16 ms target (one frame at 60 Hz); target ≤ 1.0.
Like bench/startup.py, it runs with compiled bytecode, as an installed app does (pip and
PyInstaller ship .pyc): a warm-up child runs the same steps on a small file and a small
history with a private PYTHONPYCACHEPREFIX (even when the shell sets PYTHONDONTWRITEBYTECODE),
so every module the steps import, lazily loaded ones included (phonenumbers' metadata), is
compiled once; then a second child measures. Without it the measured run compiled
phonenumbers from source on a worker thread, and compile() holds the GIL for 10–20 ms.

One run, numbers printed, not a test. Offscreen:

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/gui_stall.py
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QApplication

TARGET_MS = 16.0
HEARTBEAT_MS = 5
BULK_ROWS = 1_000
HISTORY_ROWS = 100_000
TIMEOUT_MS = 120_000


class Heartbeat:
    """A 5 ms precise timer on the GUI thread recording the longest gap between its ticks."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(HEARTBEAT_MS)
        self.timer.timeout.connect(self._tick)
        self.last = 0.0
        self.worst = 0.0
        self.ticks = 0

    def _tick(self) -> None:
        now = time.perf_counter()
        self.worst = max(self.worst, now - self.last)
        self.last = now
        self.ticks += 1

    def measure(self, action: Callable[[], object], done: Callable[[], bool]) -> float:
        """Run ``action`` with the heartbeat going and the event loop spinning until ``done``;
        returns the longest gap in ms (the gap before the first tick counts too)."""
        self.worst, self.ticks = 0.0, 0
        self.last = time.perf_counter()
        self.timer.start()
        action()
        wait_until(done)
        self._tick()
        self.timer.stop()
        return self.worst * 1000


def wait_until(condition: Callable[[], bool], timeout_ms: int = TIMEOUT_MS) -> None:
    """Spin the event loop until ``condition()`` holds (checked every 2 ms)."""
    loop = QEventLoop()
    check = QTimer()
    check.setInterval(2)
    check.timeout.connect(lambda: loop.quit() if condition() else None)
    check.start()
    deadline = QTimer()
    deadline.setSingleShot(True)
    deadline.timeout.connect(loop.quit)
    deadline.start(timeout_ms)
    if not condition():
        loop.exec()
    check.stop()
    if not condition():
        raise SystemExit("timed out")


def open_window(home: Path, sandbox: object) -> object:
    from attentive_desktop.app import build_window
    from attentive_desktop.gui.screenshots import _MemoryKeyring
    from attentive_desktop.store.paths import AppPaths
    from attentive_desktop.store.secrets import SecretStore

    session = build_window(
        AppPaths(home / "data", home / "config"),
        SecretStore(keyring_backend=_MemoryKeyring()),
        sandbox_url=sandbox.base_url,  # type: ignore[attr-defined]
        sandbox_key=sandbox.api_key,  # type: ignore[attr-defined]
        first_run_dialog=False,
    )
    session.window.resize(1280, 800)
    return session


def finish_start_up(window: object, beat: Heartbeat) -> float:
    """What app.run_gui does once start-up has finished (qt_app.settle_after_start_up), then
    the idle time until the hidden Bulk dialog is built: the longest gap in it (a person could
    already be typing)."""
    from attentive_desktop.gui.qt_app import settle_after_start_up

    wait_until(lambda: window.is_ready and window.account_name is not None)  # type: ignore[attr-defined]
    settle_after_start_up()
    return beat.measure(lambda: None, lambda: window.bulk.prepared)  # type: ignore[attr-defined]


def bench_bulk(home: Path, sandbox: object, beat: Heartbeat) -> dict[str, float]:
    home.mkdir(parents=True, exist_ok=True)
    csv_path = home / "bulk.csv"
    lines = ["phone,VIP,points,Joined"]
    lines += [f"+1415556{i:04d},true,{i},2024-01-{1 + i % 28:02d}" for i in range(BULK_ROWS)]
    csv_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    session = open_window(home, sandbox)
    window = session.window
    results: dict[str, float] = {}
    try:
        window.show()
        results["idle after start-up"] = finish_start_up(window, beat)
        dialog = None

        def open_dialog() -> None:
            nonlocal dialog
            dialog = window.bulk.open()
            dialog.resize(1000, 680)

        results["open dialog"] = beat.measure(open_dialog, lambda: dialog is not None)
        assert dialog is not None
        results["preview"] = beat.measure(
            lambda: dialog.open_file(csv_path), lambda: dialog.preview is not None
        )
        results["dry run"] = beat.measure(dialog.dry_run, lambda: dialog.report is not None)
        results["run"] = beat.measure(dialog.start, lambda: dialog.summary is not None)
        summary = dialog.summary
        print(
            f"bulk run: {summary.sent} sent, {summary.failed} failed in {summary.elapsed:.1f} s, "
            f"{dialog.results_model.rowCount()} rows in the results table"
        )
    finally:
        window.close()
        session.shutdown()
    return results


def fill_history(home: Path) -> None:
    from history_rows import write_history

    now = time.time() - HISTORY_ROWS
    statuses = (200, 200, 200, 404, 429, 500)
    rows = [
        (
            i, now + i, "POST" if i % 3 else "GET", "/attributes/custom",
            f"+1415557{i % 10_000:04d}", statuses[i % len(statuses)], 20.0 + i % 50, 1,
            "Sandbox", "attentive-desktop/bench", "bench",
        )
        for i in range(1, HISTORY_ROWS + 1)
    ]  # fmt: skip
    details = [(i, "http://127.0.0.1/v1/attributes/custom", "{}", "", None) for i, *_ in rows]
    write_history(home, rows, details)


def bench_history(home: Path, sandbox: object, beat: Heartbeat) -> dict[str, float]:
    session = open_window(home, sandbox)
    window = session.window
    pane = window.history
    model = pane.model
    results: dict[str, float] = {}
    try:
        window.show()  # the window's first show is start-up, not history loading
        finish_start_up(window, beat)  # measured in (a)
        wait_until(lambda: model.rowCount() > 0 and model.total > 0)
        results["first page + count"] = beat.measure(
            model.refresh, lambda: model.rowCount() > 0 and model.total > 0
        )

        def scroll() -> None:
            for _ in range(50):
                model.fetchMore(pane.proxy.index(0, 0).parent())
                wait_until(lambda: not model.loading)
                pane.table.scrollToBottom()

        results["scroll 50 pages"] = beat.measure(scroll, lambda: not model.loading)
        loaded = model.rowCount()
        for text in ("404", "+14155570042"):
            results[f"filter {text!r}"] = beat.measure(
                lambda t=text: pane.filter_edit.setText(t) or pane.apply_filter(),
                lambda t=text: model.filter_text() == t and not model.loading and model.total >= 0,
            )
        results["clear filter"] = beat.measure(
            lambda: pane.filter_edit.clear() or pane.apply_filter(),
            lambda: not model.loading and model.total >= HISTORY_ROWS,
        )
        print(f"history: {model.total:,} rows in the store, {loaded:,} loaded after scrolling")
    finally:
        window.close()
        session.shutdown()
    return results


class ExternalSandbox:
    """``python -m attentive_desktop.sandbox`` in a child process (base_url, api_key)."""

    def __enter__(self) -> ExternalSandbox:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "attentive_desktop.sandbox", "--latency", "0.02"],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if "listening at" in line:
                self.base_url = line.rsplit(" ", 1)[1].strip()
            elif "full access" in line:
                self.api_key = line.rsplit(" ", 1)[1].strip()
                return self
        raise SystemExit("the sandbox did not start")

    def __exit__(self, *exc: object) -> None:
        self.process.send_signal(signal.SIGINT)
        self.process.communicate(timeout=10)


def main() -> int:
    """Warm the bytecode cache in one child, measure in another."""
    if sys.argv[1:2] == ["--warm-up"]:
        global BULK_ROWS, HISTORY_ROWS
        BULK_ROWS, HISTORY_ROWS = 50, 1_000
        with open(os.devnull, "w") as quiet, contextlib.redirect_stdout(quiet):
            return measure()
    if sys.argv[1:2] == ["--measure"]:
        return measure()
    with tempfile.TemporaryDirectory(prefix="attentive-stall-pyc-") as cache:
        env = {**os.environ, "PYTHONPYCACHEPREFIX": cache, "QT_QPA_PLATFORM": "offscreen"}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        subprocess.run([sys.executable, __file__, "--warm-up"], env=env, check=True)
        return subprocess.run([sys.executable, __file__, "--measure"], env=env).returncode


def measure() -> int:
    """Run both measurements and print the maxima and their ratio to 16 ms."""
    from attentive_desktop.gui.qt_app import make_application

    make_application()
    beat = Heartbeat()
    with (
        tempfile.TemporaryDirectory(prefix="attentive-stall-") as tmp,
        ExternalSandbox() as sandbox,
    ):
        bulk_home, history_home = Path(tmp) / "bulk", Path(tmp) / "history"
        bulk = bench_bulk(bulk_home, sandbox, beat)
        started = time.perf_counter()
        fill_history(history_home)
        print(f"inserted {HISTORY_ROWS:,} history rows in {time.perf_counter() - started:.1f} s")
        history = bench_history(history_home, sandbox, beat)
    QApplication.processEvents()
    for title, results in (("(a) bulk run in the dialog", bulk), ("(b) history", history)):
        print(title)
        for what, gap in results.items():
            print(f"    {what:<22} max gap {gap:7.1f} ms")
        worst = max(results.values())
        print(f"    longest gap {worst:.1f} ms = {worst / TARGET_MS:.2f} × the 16 ms target")
    worst = max(*bulk.values(), *history.values())
    verdict = "met" if worst <= TARGET_MS else "missed"
    print(f"overall: {worst:.1f} ms / {TARGET_MS:.0f} ms = {worst / TARGET_MS:.2f} ({verdict})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
