"""Steps for the "it must never lose an edit" audit (test_edits_never_lost.py).

Everything is found as a user or a screen reader finds it (ui.py) and every action is a click
or a key press, as in journey.py. Two pieces of evidence are not on screen, and are named so:

- ``on_disk(text)``: whether ``text`` has reached any file under the test's data home (read as
  raw bytes, schema-agnostic). It is used only to know *when* pulling the plug would test the
  promise "saved as you go" (no sleeps), never to judge what the window shows.
- a "crash" is a second app started on the same data home while the first one is still up and
  never quits: exactly what the disk holds is what the second one finds, as after kill -9.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLineEdit, QTableView, QWidget

from tests.strict import ui
from tests.strict.journey import (
    CTRL,
    LEFT,
    PREVIEW,
    WAIT,
    WARNINGS,
    WRITING_TO,
    activate,
    attribute_table,
    click,
    history_table,
    send_result,
    send_with_keyboard,
    writing_to,
)

ATTRIBUTES = "/attributes/custom"
PHONE = "+14155550100"  # the strict server's seeded phone user
PHONE_TYPED = "(415) 555-0100"
EMAIL = "lin@example.org"  # and its seeded email user
RATE_LIMITED = {"x-ratelimit-limit": "150", "x-ratelimit-remaining": "0"}
MORE_THAN_ANY_RETRIES = 50
OFFER = "Restore it?"  # the end of the sentence offering an earlier session's edit
REPLACE_EDITS = "Replace your edits?"


# the table ---------------------------------------------------------------------------------
def values(window: QWidget) -> dict[str, str]:
    """Name → Value of every row of the editor (looked-up rows included)."""
    return dict(ui.rows(attribute_table(window), "Name", "Value"))


def checks(window: QWidget) -> dict[str, str]:
    return dict(ui.rows(attribute_table(window), "Name", "Check"))


def click_cell(qtbot, table: QTableView, row: int, header: str) -> None:
    activate(qtbot, table.window())
    index = ui.cell(table, row, header)
    table.scrollTo(index)
    qtbot.mouseClick(table.viewport(), LEFT, pos=table.visualRect(index).center())


def start_typing_new_row(qtbot, window: QWidget, name: str, value: str) -> QLineEdit:
    """Add row, type the name, Tab, type the value, and leave the value's editor open (no
    Enter): the user is still typing. Returns that editor."""
    table = attribute_table(window)
    click(qtbot, ui.button(window, "Add row"))
    name_poll = ui.focused(QLineEdit, "Attribute name")
    qtbot.waitUntil(lambda: name_poll() is not None)
    editor = name_poll()
    qtbot.keyClicks(editor, name)
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    value_poll = ui.focused(QLineEdit, "Attribute value")
    qtbot.waitUntil(lambda: value_poll() is not None)
    value_editor = value_poll()
    qtbot.keyClicks(value_editor, value)
    assert table.state() == QTableView.State.EditingState
    return value_editor


def start_retyping_value(qtbot, window: QWidget, name: str, value: str) -> QLineEdit:
    """Click the Value cell of ``name``'s row, F2, type ``value`` over it, no Enter."""
    table = attribute_table(window)
    row = ui.row_where(table, "Name", name)
    assert row is not None, f"no row {name!r}: {values(window)}"
    click_cell(qtbot, table, row, "Value")
    qtbot.keyClick(table, Qt.Key.Key_F2)
    poll = ui.focused(QLineEdit, "Attribute value")
    qtbot.waitUntil(lambda: poll() is not None)
    editor = poll()
    qtbot.keyClick(editor, Qt.Key.Key_A, CTRL)
    qtbot.keyClicks(editor, value)
    assert table.state() == QTableView.State.EditingState
    return editor


def paste_rows(qtbot, window: QWidget, text: str) -> None:
    """Another program copied ``text``; the user presses Paste rows."""
    QGuiApplication.clipboard().setText(text)
    click(qtbot, ui.button(window, "Paste rows"))


# quitting, restarting, crashing ------------------------------------------------------------
def quit_app(qtbot, session, how: str = "menu") -> None:
    """Quit as a user quits: Account ▸ Quit, or the window's close button; the process then
    ends (session.shutdown, as run_gui does after the event loop)."""
    window = session.window
    if how == "menu":
        ui.menu_action(window, "Account", "Quit").trigger()
    else:
        window.close()  # the title bar's close button
    qtbot.waitUntil(lambda: not window.isVisible())
    session.shutdown()


def start_again(qtbot, open_window):
    """Start the app again on the same data home and keychain; returns the new session once
    the account is in use."""
    session = open_window()
    qtbot.waitUntil(lambda: writing_to(session.window).text() == WRITING_TO, timeout=WAIT)
    return session


def offer_text(qtbot, window: QWidget) -> str:
    """Wait for the bar offering an earlier session's edit; returns its sentence."""
    qtbot.waitUntil(lambda: _offer(window) is not None, timeout=WAIT)
    return _offer(window) or ""


def _offer(window: QWidget) -> str | None:
    texts = [ui.plain(t) for t in _label_texts(window)]
    found = [t for t in texts if OFFER in t]
    return found[0] if found else None


def offered(window: QWidget) -> bool:
    return _offer(window) is not None


def _label_texts(window: QWidget) -> list[str]:
    from PySide6.QtWidgets import QLabel

    return [w.text() for w in window.findChildren(QLabel) if w.isVisible()]


def restore(qtbot, window: QWidget) -> None:
    click(qtbot, ui.button(window, "Restore"))
    qtbot.waitUntil(lambda: not offered(window))


def data_home() -> Path:
    return Path(os.environ["ATTENTIVE_DESKTOP_HOME"])


def on_disk(text: str) -> bool:
    """True once ``text`` (UTF-8) is in some file under the data home."""
    needle = text.encode()
    for path in data_home().rglob("*"):
        try:
            if path.is_file() and needle in path.read_bytes():
                return True
        except OSError:
            continue
    return False


# sending -----------------------------------------------------------------------------------
def confirm_if_asked(qtbot) -> None:
    """Confirm the warnings box and the preview when they show (a user without a lookup gets
    no preview)."""
    qtbot.waitUntil(
        lambda: (
            ui.window_titled(PREVIEW) is not None
            or ui.window_titled(WARNINGS) is not None
            or send_result_now_moving()
        ),
        timeout=WAIT,
    )
    box = ui.window_titled(WARNINGS)
    if box is not None:
        click(qtbot, ui.button(box, "Send anyway"))
        qtbot.waitUntil(
            lambda: ui.window_titled(PREVIEW) is not None or send_result_now_moving(),
            timeout=WAIT,
        )
    preview = ui.window_titled(PREVIEW)
    if preview is not None:
        click(qtbot, ui.button(preview, re.compile(r"Send \d+ values?")))
        qtbot.waitUntil(lambda: ui.window_titled(PREVIEW) is None)


def send_result_now_moving() -> bool:
    """A send started without a preview (the Send button reads Sending…)."""
    for window in ui.windows():
        buttons = ui.buttons(window)
        if "Sending…" in buttons:
            return True
    return False


def send(qtbot, window: QWidget) -> None:
    send_with_keyboard(qtbot, window)
    confirm_if_asked(qtbot)


def send_and_wait(qtbot, window: QWidget, timeout: int = WAIT) -> str:
    """Send (Ctrl+Return, confirming), wait for the outcome; returns the result line."""
    send(qtbot, window)
    qtbot.waitUntil(
        lambda: send_result(window).startswith(("Sent, then re-read", "Not sent")),
        timeout=timeout,
    )
    return send_result(window)


# history -----------------------------------------------------------------------------------
def select_history_row(qtbot, window, method: str, user: str) -> None:
    """Click the newest history row of ``method`` to ``/attributes/custom`` for ``user``."""
    table = history_table(window)

    def row_number() -> int | None:
        shown = ui.rows(table, "Method", "Endpoint", "User")
        for number, (m, e, u) in enumerate(shown):
            if (m, e) == (method, ATTRIBUTES) and user in u:
                return number
        return None

    qtbot.waitUntil(lambda: row_number() is not None, timeout=WAIT)
    row = row_number()
    assert row is not None
    click_cell(qtbot, table, row, "Method")


def replay(qtbot, window) -> None:
    click(qtbot, ui.button(ui.dock(window, "Request history"), "Replay"))
