"""Steps of the Bulk dialog audit (test_bulk_audit*.py), as a marketer takes them: Ctrl+B
opens the dialog, *Choose file…* and the file dialog's *File name* field pick the CSV, the
buttons are clicked by their texts, and everything read back is what the dialog shows (labels,
the Preview, Dry run and Results tables, the progress bar) or what the strict server recorded.
Widgets are found as ui.py finds them; nothing here reaches into the app's attributes.
"""

from __future__ import annotations

import contextlib
import csv
import json
import re
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel, QLineEdit, QProgressBar, QTableView, QWidget

from tests.strict import ui
from tests.strict.journey import CTRL, WAIT, activate, click, press, wait_closed, wait_window
from tests.strict.strict_api import Recorded, StrictApi

BULK = "Bulk update from CSV"
CHOOSE = "Choose a CSV file"
EXPORT = "Export report"
CONFIRM = "Start bulk update"
ATTRIBUTES = "/attributes/custom"
RUN_WAIT = 60_000
# What a 429 carries (DESIGN.md: every response has the rate-limit headers; no Retry-After).
RATE_LIMITED = {"x-ratelimit-limit": "150", "x-ratelimit-remaining": "0"}
FINAL = re.compile(r"Run \d+ (completed|cancelled|stopped) in .*", re.DOTALL)
PROGRESS = re.compile(r"[\d,]+ of [\d,]+ rows · .*", re.DOTALL)


def phone(i: int) -> str:
    """A distinct valid US number for customer ``i`` (0 ≤ i < 10,000)."""
    return f"+1415555{i:04d}"


# files ---------------------------------------------------------------------------------------
def write_csv(
    path: Path,
    header: list[str],
    rows: list[list[str]],
    *,
    delimiter: str = ",",
    newline: str = "\n",
    bom: bool = False,
) -> Path:
    """Write a CSV as a spreadsheet would (quoting what needs it)."""
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as out:
        writer = csv.writer(out, delimiter=delimiter, lineterminator=newline)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def customers(path: Path, count: int, *, first: int = 1000) -> tuple[Path, list[dict]]:
    """A good file: phone + Tier (Text), Points (Number), Joined (Date); returns the file and
    the POST body each row should produce, in file order."""
    header = ["phone", "Tier", "Points", "Joined"]
    rows, bodies = [], []
    for i in range(count):
        number = phone(first + i)
        tier = ("gold", "silver", "bronze")[i % 3]
        points = str(10 * i + 5)
        joined = f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}"
        rows.append([number, tier, points, joined])
        bodies.append(
            {
                "properties": {"Tier": tier, "Points": points, "Joined": joined},
                "user": {"phone": number},
            }
        )
    return write_csv(path, header, rows), bodies


# the server's records ------------------------------------------------------------------------
def posts(api: StrictApi) -> list[Recorded]:
    return api.received("POST", ATTRIBUTES)


def answered(api: StrictApi, status: int = 200) -> list[Recorded]:
    """POSTs the server answered with ``status``."""
    return [r for r in posts(api) if r.status == status]


def accepted_bodies(api: StrictApi) -> list[dict]:
    """The bodies of the POSTs the server accepted (200), sorted by phone."""
    return sorted((r.json() for r in answered(api)), key=lambda b: json.dumps(b, sort_keys=True))


def sorted_bodies(bodies: list[dict]) -> list[dict]:
    return sorted(bodies, key=lambda b: json.dumps(b, sort_keys=True))


def accepted_per_user(api: StrictApi) -> Counter[str]:
    """How many times each user (phone or email) was written (200) on the server."""
    return Counter(
        str(r.json()["user"].get("phone") or r.json()["user"].get("email")) for r in answered(api)
    )


def max_per_second(records: list[Recorded]) -> int:
    """The most requests that arrived within one second of the server's clock (as it counts
    them for its limit: whole seconds of time.monotonic())."""
    seconds = Counter(int(r.arrived) for r in records)
    return max(seconds.values(), default=0)


# the window ----------------------------------------------------------------------------------
def open_bulk(qtbot, window: QWidget) -> QWidget:
    """Ctrl+B in the main window; the Bulk dialog on screen."""
    activate(qtbot, window)
    press(qtbot, Qt.Key.Key_B, CTRL)
    dialog = wait_window(qtbot, BULK)
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def type_file_name(qtbot, title: str, path: Path) -> None:
    """In the file dialog titled ``title``: type the full path into *File name*, Enter."""
    chooser = wait_window(qtbot, title)
    field = ui.by_label(chooser, "File name", QLineEdit)
    activate(qtbot, chooser)
    qtbot.mouseClick(field, Qt.MouseButton.LeftButton)
    qtbot.keyClick(field, Qt.Key.Key_A, CTRL)
    qtbot.keyClicks(field, str(path))
    qtbot.keyClick(field, Qt.Key.Key_Return)
    wait_closed(qtbot, title)


def file_summary(dialog: QWidget) -> str:
    """The paragraph the dialog shows about the chosen file ("20 rows, comma-separated…")."""
    return ui.label_containing(dialog, "-separated.").text()


def choose_file(qtbot, dialog: QWidget, path: Path) -> str:
    """*Choose file…*, the path typed into the file dialog; returns the file's summary once
    the dialog has read it."""
    click(qtbot, ui.button(dialog, "Choose file…"))
    type_file_name(qtbot, CHOOSE, path)
    field = ui.by_label(dialog, "File", QLineEdit)
    qtbot.waitUntil(lambda: field.text() == str(path), timeout=WAIT)
    qtbot.waitUntil(lambda: has_label(dialog, "-separated."), timeout=WAIT)
    return file_summary(dialog)


def has_label(root: QWidget, fragment: str) -> bool:
    return any(fragment in ui.plain(w.text()) for w in root.findChildren(QLabel) if w.isVisible())


def table(dialog: QWidget, name: str) -> QTableView:
    """The dialog's table named ``name`` (Preview, Problems, Results)."""
    return ui.by_accessible_name(dialog, QTableView, name)


def preview_headers(dialog: QWidget) -> list[str]:
    return ui.headers(table(dialog, "Preview"))


def dry_run(qtbot, dialog: QWidget) -> tuple[str, list[tuple[str, ...]]]:
    """*Dry run*; returns its summary line and the Problems table (Row, Column, Severity,
    Problem)."""
    click(qtbot, ui.button(dialog, "Dry run"))
    qtbot.waitUntil(lambda: has_label(dialog, "Nothing was sent."), timeout=RUN_WAIT)
    summary = ui.label_containing(dialog, "Nothing was sent.").text()
    problems = ui.rows(table(dialog, "Problems"), "Row", "Column", "Severity", "Problem")
    return summary, problems


def start(qtbot, dialog: QWidget) -> str:
    """*Start…*, then the confirmation's *Send N rows*; returns the question it asked."""
    click(qtbot, ui.button(dialog, "Start…"))
    box = wait_window(qtbot, CONFIRM)
    question = " ".join(w.text() for w in box.findChildren(QLabel) if w.isVisible())
    click(qtbot, ui.button(box, re.compile(r"Send [\d,]+ rows?")))
    wait_closed(qtbot, CONFIRM)
    return question


def progress_text(dialog: QWidget) -> str:
    """The line under the progress bar (progress, or how the run ended), '' when none."""
    for label in dialog.findChildren(QLabel):
        text = label.text()
        if label.isVisible() and (FINAL.fullmatch(text) or PROGRESS.fullmatch(text)):
            return text
    return ""


def progress_bar(dialog: QWidget) -> QProgressBar:
    return ui.by_accessible_name(dialog, QProgressBar, "Run progress")


def wait_finished(qtbot, dialog: QWidget, timeout: int = RUN_WAIT) -> str:
    """Wait for the line saying how the run ended; returns it."""
    qtbot.waitUntil(lambda: FINAL.fullmatch(progress_text(dialog)) is not None, timeout=timeout)
    qtbot.waitUntil(lambda: ui.button(dialog, "Dry run").isEnabled(), timeout=timeout)
    return progress_text(dialog)


def results(dialog: QWidget) -> list[tuple[str, ...]]:
    """The Results table: (Row, Identifier, Status, Attempts, Message) per row."""
    return ui.rows(table(dialog, "Results"), "Row", "Identifier", "Status", "Attempts", "Message")


def results_by_row(dialog: QWidget) -> dict[int, tuple[str, ...]]:
    return {int(row[0]): row for row in results(dialog)}


def wait_results(qtbot, dialog: QWidget, count: int) -> dict[int, tuple[str, ...]]:
    """Wait until the Results table lists ``count`` rows (it fills in batches)."""
    qtbot.waitUntil(lambda: len(results(dialog)) == count, timeout=WAIT)
    return results_by_row(dialog)


def export_report(qtbot, dialog: QWidget, path: Path) -> str:
    """*Export report…*, the path typed into the save dialog; returns the file's text."""
    click(qtbot, ui.button(dialog, "Export report…"))
    type_file_name(qtbot, EXPORT, path)
    qtbot.waitUntil(lambda: has_label(dialog, "Report written:"), timeout=WAIT)
    return path.read_text(encoding="utf-8-sig")


# responsiveness ------------------------------------------------------------------------------
@dataclass
class Heartbeat:
    """A QTimer on the GUI thread's event loop: how often it fired and the longest gap between
    two ticks (a freeze shows as a long gap)."""

    ticks: int = 0
    longest_gap: float = 0.0
    last: float = field(default_factory=time.monotonic)

    def tick(self) -> None:
        now = time.monotonic()
        self.longest_gap = max(self.longest_gap, now - self.last)
        self.last = now
        self.ticks += 1

    def wait_ticks(self, qtbot, ticks: int) -> None:
        """Let the window run until the timer has fired ``ticks`` more times."""
        target = self.ticks + ticks
        qtbot.waitUntil(lambda: self.ticks >= target, timeout=WAIT)


@contextlib.contextmanager
def heartbeat(interval_ms: int = 10) -> Iterator[Heartbeat]:
    beat = Heartbeat()
    timer = QTimer()
    timer.setInterval(interval_ms)
    timer.timeout.connect(beat.tick)
    timer.start()
    try:
        yield beat
    finally:
        timer.stop()
        timer.timeout.disconnect(beat.tick)


@contextlib.contextmanager
def watching(read: Callable[[], str], interval_ms: int = 5) -> Iterator[list[str]]:
    """Every distinct text ``read()`` returned while the block ran (sampled on a timer, as
    a user sees the screen change)."""
    seen: list[str] = []

    def sample() -> None:
        text = read()
        if text and (not seen or seen[-1] != text):
            seen.append(text)

    timer = QTimer()
    timer.setInterval(interval_ms)
    timer.timeout.connect(sample)
    timer.start()
    try:
        yield seen
    finally:
        timer.stop()
        timer.timeout.disconnect(sample)
        sample()
