"""Seeds and steps for the request history audit (test_history_audit.py).

A seeded history is written straight into the app's SQLite database (as bench/history_rows.py
does) before the window opens; the 100,000-row one is built once per session and copied into
each test's ATTENTIVE_DESKTOP_HOME. Every widget is found as ui.py finds them: the pane by its
title, the table and the details by their accessible names, the filter by its label, buttons by
their texts, the row count by the text it shows.
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QContextMenuEvent, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDockWidget,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QTableView,
    QWidget,
)

from attentive_desktop.store.database import Database
from attentive_desktop.store.paths import AppPaths
from tests.strict import ui
from tests.strict.journey import (
    ALT,
    CTRL,
    LEFT,
    WAIT,
    activate,
    click,
    press,
    wait_closed,
    wait_window,
)

PANE = "Request history"
ACCOUNT = "Strict test"
SEED_AGENT = "attentive-desktop/seed-1.0"
SEED_OS_USER = "seed-operator"
ATTRIBUTES = "/attributes/custom"
SEED_URL = "http://127.0.0.1:9/v1/attributes/custom"
COLUMNS = ("Time", "Method", "Endpoint", "User", "Status", "Duration", "Attempts", "User agent")
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
BIG = 100_000


# seeds ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Seed:
    """One history row as the database holds it (bodies included)."""

    id: int
    started_at: float
    method: str = "POST"
    endpoint: str = ATTRIBUTES
    user: str = "+14155570000"
    status: int | None = 200
    duration_ms: float = 25.0
    attempt: int = 1
    user_agent: str = SEED_AGENT
    url: str = SEED_URL
    request_body: str = ""
    response_body: str = ""
    error: str | None = None
    account: str = ACCOUNT
    os_user: str = SEED_OS_USER

    def row(self) -> tuple:
        return (
            self.id, self.started_at, self.method, self.endpoint, self.user, self.status,
            self.duration_ms, self.attempt, self.account, self.user_agent, self.os_user,
        )  # fmt: skip

    def detail(self) -> tuple:
        return (self.id, self.url, self.request_body, self.response_body, self.error)


def write_seeds(home: Path, seeds: Iterable[Seed]) -> Path:
    """Insert ``seeds`` into the database of the data folder under ``home`` (created with the
    app's own migrations); returns the database's path."""
    seeds = list(seeds)
    paths = AppPaths(home / "data", home / "config").ensure()
    with Database(paths.database) as database:
        with database.transaction() as conn:
            conn.executemany(
                "INSERT INTO history (id, started_at, method, endpoint, user, status, "
                "duration_ms, attempt, account, user_agent, os_user) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (s.row() for s in seeds),
            )
            conn.executemany(
                "INSERT INTO history_detail (id, url, request_body, response_body, error) "
                "VALUES (?, ?, ?, ?, ?)",
                (s.detail() for s in seeds),
            )
        database.connect().execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return paths.database


def copy_database(template_home: Path, home: Path) -> Path:
    """Copy the seeded database of ``template_home`` into ``home``'s data folder."""
    source = AppPaths(template_home / "data", template_home / "config").database
    paths = AppPaths(home / "data", home / "config").ensure()
    for sidecar in source.parent.glob(source.name + "*"):
        shutil.copy(sidecar, paths.data_dir / sidecar.name)
    return paths.database


def body(seq: int, user: str, extra: str = "") -> str:
    properties = {"Seq": f"seq-{seq:06d}"}
    if extra:
        properties["Note"] = extra
    return json.dumps({"properties": properties, "user": {"phone": user}})


# The 100,000-row history. Row i started i minutes after the first (the newest an hour ago),
# so all of it is inside the 90 days kept. The extremes every sortable column can reach are on
# old rows only, far below the first pages the pane loads.
DEEP_MAX_DURATION = 9  # 98,765 ms, the longest
DEEP_MIN_DURATION = 4  # 1 ms, the shortest
DEEP_503 = (7, 11, 13)  # the only 503s: the highest status
DEEP_NETWORK = (3, 5)  # the only rows without an answer
DEEP_ATTEMPTS = 6  # 5 attempts, the most
DEEP_ME = 12  # the only GET /me
DEEP_AGENT = 14  # the only other user agent ("zz-agent/9.9")
DEEP_NEEDLE = (2, 8)  # the only rows of needle.deep@example.com
DEEP_BODY_NEEDLE = 10  # the only body with "Kumquat-42"
DEEP_CUSTOMER = (15, 16)  # the only old rows of +14155550100 (a seeded strict-API user)
NEEDLE_USER = "needle.deep@example.com"
BODY_NEEDLE = "Kumquat-42"
CUSTOMER = "+14155550100"
STATUS_CYCLE = (200, 200, 200, 404, 429, 500)


def big_history(count: int = BIG, now: float | None = None) -> list[Seed]:
    """``count`` rows; see the DEEP_* constants for the few rows that stand out."""
    first = (time.time() if now is None else now) - 3600 - count * 60
    seeds = []
    for i in range(1, count + 1):
        user = f"+1415557{i % 10_000:04d}"
        status: int | None = STATUS_CYCLE[i % len(STATUS_CYCLE)]
        method, endpoint, url = ("POST" if i % 3 else "GET"), ATTRIBUTES, SEED_URL
        duration, attempt, agent, error, extra = 20.0 + i % 50, 1, SEED_AGENT, None, ""
        if i in DEEP_NEEDLE:
            user = NEEDLE_USER
        if i in DEEP_CUSTOMER:
            user = CUSTOMER
        if i == DEEP_BODY_NEEDLE:
            extra = BODY_NEEDLE
        if i == DEEP_MAX_DURATION:
            duration = 98_765.0
        if i == DEEP_MIN_DURATION:
            duration = 1.0
        if i in DEEP_503:
            status = 503
        if i in DEEP_NETWORK:
            status, error = None, "The connection was closed before an answer came."
        if i == DEEP_ATTEMPTS:
            attempt = 5
        if i == DEEP_ME:
            method, endpoint, url, user = "GET", "/me", "http://127.0.0.1:9/v1/me", ""
        if i == DEEP_AGENT:
            agent = "zz-agent/9.9"
        seeds.append(
            Seed(
                id=i,
                started_at=first + i * 60,
                method=method,
                endpoint=endpoint,
                user=user,
                status=status,
                duration_ms=duration,
                attempt=attempt,
                user_agent=agent,
                url=url,
                request_body=body(i, user, extra) if method == "POST" else "",
                response_body="" if status in (200, None) else '{"message": "refused"}',
                error=error,
            )
        )
    return seeds


# what the database holds -------------------------------------------------------------------
def database_rows(database: Path, sql: str = "SELECT count(*) FROM history") -> list[tuple]:
    """Run one read-only query on the app's database (as a support agent's sqlite3 would)."""
    with contextlib.closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as conn:
        return conn.execute(sql).fetchall()


def database_count(database: Path, where: str = "") -> int:
    return int(database_rows(database, f"SELECT count(*) FROM history {where}")[0][0])


# what a user sees of a seed ----------------------------------------------------------------
def time_text(started_at: float, zone: Any = None) -> str:
    return datetime.fromtimestamp(started_at, zone).strftime(TIME_FORMAT)


def status_text(seed: Seed) -> str:
    return "network error" if seed.status is None else str(seed.status)


def number(text: str) -> int:
    """The number a cell shows ("98,765 ms" → 98765)."""
    digits = re.sub(r"[^\d]", "", text)
    assert digits, f"no number in {text!r}"
    return int(digits)


# the key each column sorts by, and what it shows: the expectations come from the seeds
SORT_KEYS: dict[str, Callable[[Seed], Any]] = {
    "Time": lambda s: s.started_at,
    "Method": lambda s: s.method,
    "Endpoint": lambda s: s.endpoint,
    "User": lambda s: s.user,
    "Status": lambda s: -1 if s.status is None else s.status,
    "Duration": lambda s: s.duration_ms,
    "Attempts": lambda s: s.attempt,
    "User agent": lambda s: s.user_agent,
}
SHOWN: dict[str, Callable[[Seed], str]] = {
    "Time": lambda s: time_text(s.started_at),
    "Method": lambda s: s.method,
    "Endpoint": lambda s: s.endpoint,
    "User": lambda s: s.user,
    "Status": status_text,
    "Duration": lambda s: str(round(s.duration_ms)),
    "Attempts": lambda s: str(s.attempt),
    "User agent": lambda s: s.user_agent,
}


def comparable(header: str, text: str) -> str:
    """A cell's text in the form SHOWN gives (Duration's number without unit or separator)."""
    return str(number(text)) if header == "Duration" else text


# finding the pane's parts ------------------------------------------------------------------
def pane(window: QWidget) -> QDockWidget:
    return ui.dock(window, PANE)


def table(window: QWidget) -> QTableView:
    return ui.by_accessible_name(pane(window), QTableView, "History")


def details(window: QWidget) -> QPlainTextEdit:
    return ui.by_accessible_name(pane(window), QPlainTextEdit, "Request and response")


def filter_field(window: QWidget) -> QLineEdit:
    return ui.by_label(pane(window), "Filter", QLineEdit)


COUNT = re.compile(r"([\d,]+) requests?")


def count_label(window: QWidget) -> QLabel:
    """The label showing how many requests the pane lists ("2 requests")."""
    labels = [w for w in pane(window).findChildren(QLabel) if w.isVisible()]
    found = [w for w in labels if COUNT.fullmatch(ui.plain(w.text()))]
    assert len(found) == 1, f"no single row count; labels: {[w.text() for w in labels]}"
    return found[0]


def shown_count(window: QWidget) -> int:
    return number(count_label(window).text())


def column_texts(window: QWidget, header: str, limit: int | None = None) -> list[str]:
    view = table(window)
    model, col = view.model(), ui.column(view, header)
    rows = model.rowCount() if limit is None else min(limit, model.rowCount())
    return [str(model.index(r, col).data() or "") for r in range(rows)]


def row_texts(window: QWidget, row: int) -> dict[str, str]:
    view = table(window)
    model = view.model()
    return {name: str(model.index(row, c).data() or "") for c, name in enumerate(ui.headers(view))}


def visible_headers(view: QTableView) -> list[str]:
    """The column headers a user sees, left to right."""
    header = view.horizontalHeader()
    names = ui.headers(view)
    shown = [c for c in range(len(names)) if not view.isColumnHidden(c)]
    return [names[c] for c in sorted(shown, key=header.visualIndex)]


# steps -------------------------------------------------------------------------------------
def select_row(qtbot, window: QWidget, row: int, header: str = "Method") -> str:
    """Click a history row; returns the details shown for it."""
    view = table(window)
    index = ui.cell(view, row, header)
    view.scrollTo(index)
    activate(qtbot, window)
    qtbot.mouseClick(view.viewport(), LEFT, pos=view.visualRect(index).center())
    qtbot.waitUntil(lambda: bool(details(window).toPlainText()), timeout=WAIT)
    return details(window).toPlainText()


def click_header(qtbot, view: QTableView, name: str) -> None:
    """Click the column header ``name``, as a user sorts by it."""
    header = view.horizontalHeader()
    section = ui.column(view, name)
    view.scrollTo(view.model().index(0, section))
    x = header.sectionViewportPosition(section) + header.sectionSize(section) // 2
    activate(qtbot, view.window())
    qtbot.mouseClick(header.viewport(), LEFT, pos=QPoint(x, header.height() // 2))


def sorted_by(view: QTableView) -> tuple[str, Qt.SortOrder] | None:
    """The column the header's sort arrow is on and its direction, or None."""
    header = view.horizontalHeader()
    section = header.sortIndicatorSection()
    if section < 0 or section >= view.model().columnCount():
        return None
    return ui.headers(view)[section], header.sortIndicatorOrder()


def sort_by(qtbot, view: QTableView, name: str, order: Qt.SortOrder) -> None:
    """Click ``name``'s header until its arrow points ``order``."""
    for _ in range(3):
        if sorted_by(view) == (name, order):
            return
        click_header(qtbot, view, name)
    assert sorted_by(view) == (name, order), f"{name!r} never sorted {order}"


def filter_history(qtbot, window: QWidget, text: str) -> None:
    """Type ``text`` into the Filter box (over what it holds) and press Enter."""
    field = filter_field(window)
    activate(qtbot, window)
    qtbot.mouseClick(field, LEFT)
    qtbot.keyClick(field, Qt.Key.Key_A, CTRL)
    if field.text():
        qtbot.keyClick(field, Qt.Key.Key_Delete)
    if text:
        qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key.Key_Return)


def pick(qtbot, combo: QComboBox, text: str) -> None:
    """Pick ``text`` in a drop-down by the keyboard: its label's Alt+letter brings the focus
    to it, Home and Down walk its items (typing would not do: a space opens the list)."""
    activate(qtbot, combo.window())
    buddies = [w for w in combo.window().findChildren(QLabel) if w.buddy() is combo]
    mnemonic = re.search(r"&(\w)", buddies[0].text()) if buddies else None
    assert mnemonic, "the drop-down has no label with a mnemonic to reach it by"
    press(qtbot, Qt.Key(ord(mnemonic.group(1).upper())), ALT)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is combo)
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    for _ in range(combo.count()):
        if combo.currentText() == text:
            return
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentText() == text, f"{text!r} is not in the drop-down"


def status_toggle(window: QWidget, text: str):
    return ui.button(pane(window), text)


def clipboard_text() -> str:
    data = QGuiApplication.clipboard().mimeData()
    return "" if data is None else data.text()


def type_file_name(qtbot, title: str, path: Path) -> None:
    """In the file dialog titled ``title``: type the full path into *File name*, Enter."""
    chooser = wait_window(qtbot, title)
    field = ui.by_label(chooser, "File name", QLineEdit)
    activate(qtbot, chooser)
    qtbot.mouseClick(field, LEFT)
    qtbot.keyClick(field, Qt.Key.Key_A, CTRL)
    qtbot.keyClicks(field, str(path))
    qtbot.keyClick(field, Qt.Key.Key_Return)
    wait_closed(qtbot, title)


def save_as(qtbot, button, title: str, path: Path) -> None:
    """Click ``button``, which opens a modal file dialog titled ``title`` (its own event
    loop: the path is typed from inside it, once the dialog shows), and save to ``path``."""
    typed: list[bool] = []
    poll = QTimer()
    poll.setInterval(20)

    def answer() -> None:
        if typed or ui.window_titled(title) is None:
            return
        typed.append(True)
        poll.stop()
        type_file_name(qtbot, title, path)

    poll.timeout.connect(answer)
    poll.start()
    try:
        click(qtbot, button)
        qtbot.waitUntil(lambda: bool(typed), timeout=WAIT)
    finally:
        poll.stop()
    wait_closed(qtbot, title)


def right_click_menu(qtbot, widget: QWidget, pos: QPoint) -> QMenu:
    """The menu a right click at ``pos`` opens (sent as the context-menu event it becomes)."""
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, widget.mapToGlobal(pos))
    QApplication.sendEvent(widget, event)

    def shown() -> QMenu | None:
        menus = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMenu)]
        return next((m for m in menus if m.isVisible()), None)

    qtbot.waitUntil(lambda: shown() is not None, timeout=WAIT)
    menu = shown()
    assert menu is not None
    return menu


def quit_window(qtbot, session) -> None:
    """Account ▸ Quit, as a user quits."""
    ui.menu_action(session.window, "Account", "Quit").trigger()
    qtbot.waitUntil(lambda: not session.window.isVisible(), timeout=WAIT)
    session.shutdown()


class Heartbeat:
    """A timer ticking on the GUI thread as fast as the event loop lets it; ``beats_while``
    counts the ticks that came while a condition held (the GUI thread was free then)."""

    def __init__(self) -> None:
        self.ticks = 0
        self._timer = QTimer()
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._tick)
        self._watch: Callable[[], bool] | None = None
        self.while_watched = 0

    def _tick(self) -> None:
        self.ticks += 1
        if self._watch is not None and self._watch():
            self.while_watched += 1

    @contextlib.contextmanager
    def running(self) -> Iterator[Heartbeat]:
        self._timer.start()
        try:
            yield self
        finally:
            self._timer.stop()

    def watch(self, condition: Callable[[], bool]) -> None:
        self._watch, self.while_watched = condition, 0
