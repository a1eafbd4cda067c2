"""Steps of the lookup-form audit (test_lookup_form_audit.py): the Customer form typed into as
a support agent does (keys into the field found by its label, Enter, the clipboard), the
lines that answer (Phone check, Email check, Lookup result) read by their accessible names,
and what reached the strict server. Every widget is found as a user finds it (ui.py).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from urllib.parse import unquote

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication, QInputMethodEvent
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QLineEdit, QPlainTextEdit, QWidget
from pytestqt.exceptions import TimeoutError as WaitTimeout

from tests.strict import ui
from tests.strict.journey import (
    ALT,
    CTRL,
    LEFT,
    WAIT,
    activate,
    assert_plain,
    click,
    lookup_result,
    type_into,
    wait_window,
)
from tests.strict.strict_api import StrictApi

ATTRIBUTES = "/attributes/custom"
PHONE = "+14155550100"  # the strict server's seeded phone user (age "36")
EMAIL = "lin@example.org"  # its seeded email user (no "age")
REQUEST = "Request to be sent"
CUSTOM_NAME = re.compile(r"Custom identifier (\d+) name")


# the form ---------------------------------------------------------------------------------
def field(window: QWidget, label: str) -> QLineEdit:
    """The form's text field named by its visible label."""
    return ui.by_label(window, label, QLineEdit)


def _line(window: QWidget, accessible: str) -> str:
    """The text of a status line by its accessible name, or "" while it is hidden."""
    shown = [
        w for w in window.findChildren(QLabel) if w.accessibleName() == accessible and w.isVisible()
    ]
    return shown[0].text() if shown else ""


def phone_check(window: QWidget) -> str:
    """What the line under Phone says ("" when nothing is shown)."""
    return _line(window, "Phone check")


def email_check(window: QWidget) -> str:
    return _line(window, "Email check")


def check_label(window: QWidget, accessible: str) -> QLabel:
    return ui.by_accessible_name(window, QLabel, accessible)


def result_now(window: QWidget) -> str:
    """The Lookup result line, or "" while it is hidden."""
    return _line(window, "Lookup result")


def paste_into(qtbot, edit: QLineEdit, text: str) -> None:
    """Copy ``text`` to the clipboard, click into the field, select all and press Ctrl+V."""
    QGuiApplication.clipboard().setText(text)
    qtbot.waitUntil(lambda: QGuiApplication.clipboard().text() == text)
    activate(qtbot, edit.window())
    qtbot.mouseClick(edit, LEFT)
    qtbot.keyClick(edit, Qt.Key.Key_A, CTRL)
    qtbot.keyClick(edit, Qt.Key.Key_V, CTRL)


def type_text(qtbot, edit: QLineEdit, text: str) -> None:
    """Click into the field, select what it holds and type ``text`` over it: ASCII as key
    presses, anything else (full-width digits, no-break spaces) as an input method commits it
    (QTest has no key for those)."""
    type_into(qtbot, edit, "")
    for char in text:
        if char.isascii():
            qtbot.keyClicks(edit, char)
        else:
            event = QInputMethodEvent()
            event.setCommitString(char)
            QApplication.sendEvent(edit, event)


def clear(qtbot, window: QWidget, *labels: str) -> None:
    for label in labels:
        edit = field(window, label)
        if edit.text():
            type_into(qtbot, edit, "")


def enter_in(qtbot, widget: QWidget) -> None:
    """Click into ``widget`` (the focus there) and press Enter."""
    activate(qtbot, widget.window())
    widget.setFocus()  # as a click or Tab puts it there
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget)
    qtbot.keyClick(widget, Qt.Key.Key_Return)


def wait_lookup_done(qtbot, window: QWidget) -> str:
    """Wait for the lookup started to end; returns the Lookup result line."""
    qtbot.waitUntil(lambda: ui.button(window, re.compile("Look up|Looking up…")).isEnabled())
    qtbot.waitUntil(lambda: not result_now(window).startswith("Looking up"), timeout=WAIT)
    return lookup_result(window)


def started_a_lookup(window: QWidget) -> bool:
    """True when a lookup is under way right now (the button reads "Looking up…")."""
    return "Looking up…" in ui.buttons(window)


def queries(api: StrictApi) -> list[str]:
    """The raw query strings of every lookup the server received, in order."""
    return [r.raw_query for r in api.received("GET", ATTRIBUTES)]


def decoded(raw: str) -> str:
    return unquote(raw)


def nothing_sent_before_next_lookup(qtbot, window: QWidget, api: StrictApi) -> list[str]:
    """A barrier: look up the seeded phone user and return the lookups the server received
    before that one (a request the app queued earlier reaches the server first)."""
    clear(qtbot, window, "Email")
    type_into(qtbot, field(window, "Phone"), PHONE)
    qtbot.keyClick(field(window, "Phone"), Qt.Key.Key_Return)
    assert wait_lookup_done(qtbot, window).startswith("Found"), lookup_result(window)
    got = queries(api)
    assert got[-1] == "phone=%2B14155550100", got
    return got[:-1]


def choose_by_keyboard(qtbot, window: QWidget, label: str, wanted: str) -> QComboBox:
    """Alt+<the label's underlined letter> to the drop-down, then the arrow keys to ``wanted``."""
    combo = ui.by_label(window, label, QComboBox)
    mnemonic = re.search(r"&(\w)", ui.label(window, label).text())
    assert mnemonic, f"{label!r} has no underlined letter to reach it by"
    activate(qtbot, window)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key(ord(mnemonic.group(1).upper())), ALT)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is combo)
    texts = [combo.itemText(i) for i in range(combo.count())]
    assert wanted in texts, texts
    step = Qt.Key.Key_Down if texts.index(wanted) > combo.currentIndex() else Qt.Key.Key_Up
    for _ in range(len(texts)):
        if combo.currentText() == wanted:
            break
        qtbot.keyClick(combo, step)
    assert combo.currentText() == wanted
    return combo


# custom identifiers -------------------------------------------------------------------------
def custom_field(window: QWidget, number: int, part: str) -> QLineEdit:
    """A custom identifier row's name or value field, by its accessible name."""
    return ui.by_accessible_name(window, QLineEdit, f"Custom identifier {number} {part}")


def custom_row_numbers(window: QWidget) -> list[int]:
    """The numbers of the custom identifier rows on screen."""
    names = [w.accessibleName() for w in window.findChildren(QLineEdit) if w.isVisible()]
    return sorted(int(m.group(1)) for n in names if (m := CUSTOM_NAME.fullmatch(n)))


def add_custom_row_by_mouse(qtbot, window: QWidget) -> int:
    """Click "Add custom identifier"; returns the new row's number (its name field is
    focused)."""
    before = set(custom_row_numbers(window))
    click(qtbot, ui.button(window, "Add custom identifier"))
    qtbot.waitUntil(lambda: bool(set(custom_row_numbers(window)) - before))
    (number,) = set(custom_row_numbers(window)) - before
    return number


# reading -----------------------------------------------------------------------------------
def assert_readable(text: str, *secrets: str) -> None:
    """A sentence a person reads: no traceback or JSON, not a bare status code."""
    assert_plain(text, *secrets)
    for raw in ("HTTPStatus", "httpx", "httpcore", "ApiError", "NoneType", "<", '"message"'):
        assert raw not in text, f"{raw!r} in {text!r}"
    bare = re.fullmatch(r"\W*(HTTP\s*)?(error\s*)?\d{3}(\s+\w+){0,3}\W*", text, re.IGNORECASE)
    assert bare is None, f"only a status code: {text!r}"
    assert len(text.split()) >= 6, f"too terse to act on: {text!r}"


def show_request(qtbot, window: QWidget) -> dict:
    """Press Show request…; returns the JSON body it shows and closes the window."""
    click(qtbot, ui.button(window, "Show request…"))
    dialog = wait_window(qtbot, REQUEST)
    text = ui.by_accessible_name(dialog, QPlainTextEdit, "Request body").toPlainText()
    click(qtbot, ui.button(dialog, "Close"))
    qtbot.waitUntil(lambda: ui.window_titled(REQUEST) is None)
    return json.loads(text)


def ticks(qtbot, count: int = 10, interval_ms: int = 20) -> None:
    """Let the window's event loop run ``count`` timer ticks (so a late answer that was going
    to arrive can arrive): waits on the loop, not a sleep."""
    fired = 0

    def tick() -> None:
        nonlocal fired
        fired += 1

    timer = QTimer()
    timer.setInterval(interval_ms)
    timer.timeout.connect(tick)
    timer.start()
    try:
        qtbot.waitUntil(lambda: fired >= count, timeout=WAIT)
    finally:
        timer.stop()


def waited(qtbot, condition: Callable[[], bool], timeout: int = 3000) -> bool:
    """True when ``condition`` became true within ``timeout`` ms, else False (no failure)."""
    try:
        qtbot.waitUntil(condition, timeout=timeout)
    except WaitTimeout:
        return False
    return True
