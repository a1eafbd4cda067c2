"""The steps a reviewer takes in the strict journeys (test_strict_journey.py,
test_strict_failures.py, test_keyboard_only.py), shared by them: every widget found by what a
user or a screen reader sees (ui.py), every action a click or a key press. The keyboard-only
steps at the end press keys where the focus is and nothing else.
"""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QTableView,
    QWidget,
)

from tests.strict import ui
from tests.strict.strict_api import ME, StrictApi

COMPANY = ME["companyName"]
DOMAIN = ME["attentiveDomainName"]
WRITING_TO = f"Writing to: {COMPANY} ({DOMAIN})"
ACCOUNT_DIALOG = "Add an Attentive account"
PREVIEW = "Review changes before sending"
WARNINGS = "Send with warnings?"
LEFT = Qt.MouseButton.LeftButton
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier
WAIT = 10_000
TRACE_MARKERS = ("Traceback", 'File "', "Error:", "Exception", "{", "}")

# Typing a known attribute name pops up the name completer; the offscreen platform cannot
# raise that popup or let it grab the keyboard, and says so (a real screen can). Each test
# module sets ``pytestmark = OFFSCREEN_POPUP_WARNINGS``.
OFFSCREEN_POPUP_WARNINGS = pytest.mark.qt_log_ignore(
    "This plugin does not support raise", "This plugin does not support grabbing the keyboard"
)


# steps a user takes ------------------------------------------------------------------------
def activate(qtbot, window: QWidget) -> None:
    """Bring ``window`` to the front so its keyboard shortcuts reach it."""
    if not window.isActiveWindow():
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)


def wait_window(qtbot, title: str) -> QWidget:
    """Wait for a window with this title to be on screen; returns it."""
    qtbot.waitUntil(lambda: ui.window_titled(title) is not None, timeout=WAIT)
    found = ui.window_titled(title)
    assert found is not None
    return found


def click(qtbot, widget: QAbstractButton) -> None:
    """Click a button (its window comes to the front first, as a real click brings it)."""
    assert widget.isEnabled(), f"{widget.text()!r} is disabled"
    activate(qtbot, widget.window())
    # A button shown a moment ago has no size until its layout runs: nothing to click yet.
    qtbot.waitUntil(lambda: not widget.rect().isEmpty())
    qtbot.mouseClick(widget, LEFT)


def type_into(qtbot, field: QLineEdit, text: str) -> None:
    """Click into a field, select what it holds and type over it."""
    activate(qtbot, field.window())
    qtbot.mouseClick(field, LEFT)
    qtbot.keyClick(field, Qt.Key.Key_A, CTRL)
    if field.text():
        qtbot.keyClick(field, Qt.Key.Key_Delete)
    qtbot.keyClicks(field, text)


def press(qtbot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier):
    """A key press where the keyboard focus is, as a real keyboard sends it."""
    target = QApplication.focusWidget()
    assert target is not None, "nothing has the keyboard focus"
    qtbot.keyClick(target, key, modifier)


def add_account(qtbot, api: StrictApi, name: str, key: str) -> QWidget:
    """Fill in the Add account dialog (pointing it at the strict server) and press Save."""
    dialog = wait_window(qtbot, ACCOUNT_DIALOG)
    type_into(qtbot, ui.by_label(dialog, "Account name", QLineEdit), name)
    key_field = ui.by_label(dialog, "API key", QLineEdit)
    type_into(qtbot, key_field, key)
    assert key_field.echoMode() == QLineEdit.EchoMode.Password  # never shown on screen
    click(qtbot, ui.button(dialog, "Advanced: use another server"))
    type_into(qtbot, ui.by_label(dialog, "Base URL", QLineEdit), api.base_url)
    click(qtbot, ui.button(dialog, "Save"))
    return dialog


def check_result(dialog: QWidget) -> str:
    return ui.by_accessible_name(dialog, QLabel, "Account check result").text()


def first_run(qtbot, api: StrictApi, name: str = "Strict test", key: str | None = None) -> None:
    """The first-run dialog: account added, company and domain shown, Done."""
    dialog = add_account(qtbot, api, name, key or api.write_key)
    qtbot.waitUntil(lambda: "Company" in check_result(dialog), timeout=WAIT)
    result = check_result(dialog)
    assert COMPANY in result and DOMAIN in result
    click(qtbot, ui.button(dialog, "Done"))
    qtbot.waitUntil(lambda: ui.window_titled(ACCOUNT_DIALOG) is None)


def writing_to(window: QWidget) -> QLabel:
    return ui.label_containing(window, "Writing to:")


def attribute_table(window: QWidget) -> QTableView:
    return ui.by_accessible_name(window, QTableView, "Attributes to send")


def lookup_result(window: QWidget) -> str:
    status = ui.by_accessible_name(window, QLabel, "Lookup result")
    return status.text()


def look_up(qtbot, window: QWidget, field: str, typed: str, *, with_enter: bool = True) -> str:
    """Type an identifier into the field labelled ``field`` and look up (Enter or the button).
    Returns the lookup's result line once it is in."""
    for other in ("Phone", "Email"):
        edit = ui.by_label(window, other, QLineEdit)
        if other != field and edit.text():
            type_into(qtbot, edit, "")
    edit = ui.by_label(window, field, QLineEdit)
    type_into(qtbot, edit, typed)
    if with_enter:
        qtbot.keyClick(edit, Qt.Key.Key_Return)
    else:
        click(qtbot, ui.button(window, "Look up"))
    qtbot.waitUntil(lambda: ui.button(window, re.compile("Look up|Looking up…")).isEnabled())
    qtbot.waitUntil(lambda: not lookup_result(window).startswith("Looking up"), timeout=WAIT)
    return lookup_result(window)


def edit_cell(qtbot, table: QTableView, row: int, header: str, text: str) -> None:
    """Select a cell with the mouse, F2 to edit it, type over it, Enter."""
    activate(qtbot, table.window())  # as the real click brings the window to the front
    index = ui.cell(table, row, header)
    table.scrollTo(index)
    qtbot.mouseClick(table.viewport(), LEFT, pos=table.visualRect(index).center())
    qtbot.keyClick(table, Qt.Key.Key_F2)
    poll = ui.focused(QLineEdit, f"Attribute {header.lower()}")
    qtbot.waitUntil(lambda: poll() is not None)
    editor = poll()
    qtbot.keyClick(editor, Qt.Key.Key_A, CTRL)
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: table.state() != QTableView.State.EditingState)
    assert ui.rows(table, header)[row] == (text,)


def set_attribute(qtbot, window: QWidget, name: str, value: str, *, shortcut: bool = False):
    """Give attribute ``name`` the value ``value`` by the keyboard: on its row when the
    table has one, else on a new row ("Add row", or Ctrl+N with ``shortcut``)."""
    table = attribute_table(window)
    existing = ui.row_where(table, "Name", name)
    if existing is not None:
        edit_cell(qtbot, table, existing, "Value", value)
        return
    if shortcut:
        activate(qtbot, window)
        press(qtbot, Qt.Key.Key_N, CTRL)
    else:
        click(qtbot, ui.button(window, "Add row"))
    name_poll = ui.focused(QLineEdit, "Attribute name")
    qtbot.waitUntil(lambda: name_poll() is not None)
    name_editor = name_poll()
    qtbot.keyClicks(name_editor, name)
    qtbot.keyClick(name_editor, Qt.Key.Key_Tab)  # to the Value cell, editing it
    value_poll = ui.focused(QLineEdit, "Attribute value")
    qtbot.waitUntil(lambda: value_poll() is not None)
    value_editor = value_poll()
    qtbot.keyClicks(value_editor, value)
    qtbot.keyClick(value_editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: table.state() != QTableView.State.EditingState)
    assert ui.row_where(table, "Name", name) is not None


def choose(qtbot, combo: QComboBox, text: str) -> None:
    """Pick ``text`` in a drop-down by the keyboard: its label's mnemonic (Alt+letter) brings
    the focus to it, then typing the item's first letters selects it."""
    activate(qtbot, combo.window())
    buddies = [w for w in combo.window().findChildren(QLabel) if w.buddy() is combo]
    mnemonic = re.search(r"&(\w)", buddies[0].text()) if buddies else None
    assert mnemonic, "the drop-down has no label with a mnemonic to reach it by"
    press(qtbot, Qt.Key(ord(mnemonic.group(1).upper())), Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is combo)
    qtbot.keyClicks(combo, text)
    assert combo.currentText() == text, f"{combo.currentText()!r} chosen, not {text!r}"


def send_with_keyboard(qtbot, window: QWidget) -> None:
    activate(qtbot, window)
    press(qtbot, Qt.Key.Key_Return, CTRL)


def confirm_send(qtbot) -> list[tuple[str, ...]]:
    """Confirm what Send shows first (warnings, then the preview) by its button texts.
    Returns the preview's rows (Property, Current, New)."""
    qtbot.waitUntil(
        lambda: ui.window_titled(PREVIEW) is not None or ui.window_titled(WARNINGS) is not None,
        timeout=WAIT,
    )
    box = ui.window_titled(WARNINGS)
    if box is not None:
        click(qtbot, ui.button(box, "Send anyway"))
    preview = wait_window(qtbot, PREVIEW)
    table = ui.by_accessible_name(preview, QTableView, "Changes to send")
    shown = ui.rows(table, "Property", "Current", "New")
    click(qtbot, ui.button(preview, re.compile(r"Send \d+ values?")))
    qtbot.waitUntil(lambda: ui.window_titled(PREVIEW) is None)
    return shown


def send_result(window: QWidget) -> str:
    return ui.by_accessible_name(window, QLabel, "Send result").text()


def history_table(window) -> QTableView:
    pane = ui.dock(window, "Request history")
    return ui.by_accessible_name(pane, QTableView, "History")


def history_rows(window) -> list[tuple[str, ...]]:
    return ui.rows(history_table(window), "Method", "Endpoint", "Status")


def visible_texts(window: QWidget) -> list[str]:
    return [label.text() for label in window.findChildren(QLabel) if label.isVisible()]


def assert_plain(text: str, *secrets: str) -> None:
    """A sentence for a person: no traceback, no raw JSON, no key."""
    assert text.strip(), "nothing was said"
    for marker in TRACE_MARKERS:
        assert marker not in text, f"{marker!r} in {text!r}"
    for secret in secrets:
        assert secret not in text


# keyboard only (test_keyboard_only.py) -----------------------------------------------------
def stop_name(widget: QWidget | None) -> str:
    """How a keyboard stop reads in a recorded Tab order: its accessible name (what a screen
    reader announces), else its class and objectName, so an unnamed stop stands out."""
    if widget is None:
        return "(no focus)"
    return widget.accessibleName() or f"<unnamed {type(widget).__name__} {widget.objectName()!r}>"


def focus_name() -> str:
    return stop_name(QApplication.focusWidget())


def type_keys(qtbot, text: str) -> None:
    """Type ``text`` where the keyboard focus is, one key at a time: the first key typed on
    a table cell opens its editor, which takes the focus and the keys after it."""
    for char in text:
        target = QApplication.focusWidget()
        assert target is not None, f"nothing has the keyboard focus to type {char!r} into"
        qtbot.keyClicks(target, char)


def retype(qtbot, text: str) -> None:
    """Select what the focused field holds (Ctrl+A) and type ``text`` over it."""
    press(qtbot, Qt.Key.Key_A, CTRL)
    press(qtbot, Qt.Key.Key_Delete)
    type_keys(qtbot, text)


def tab_walk(qtbot, presses: int, *, backwards: bool = False) -> list[str]:
    """Press Tab (or Shift+Tab) ``presses`` times; the stops, the focus before the first
    press included (so ``presses + 1`` names)."""
    key = Qt.Key.Key_Backtab if backwards else Qt.Key.Key_Tab
    stops = [focus_name()]
    for _ in range(presses):
        press(qtbot, key)
        stops.append(focus_name())
    return stops


def tab_to(qtbot, name: str, *, limit: int = 25, backwards: bool = False) -> list[str]:
    """Press Tab (or Shift+Tab) until the stop named ``name`` has the focus; returns the
    stops passed on the way. Fails with them when ``limit`` presses do not get there."""
    key = Qt.Key.Key_Backtab if backwards else Qt.Key.Key_Tab
    stops = [focus_name()]
    while stops[-1] != name:
        assert len(stops) <= limit, f"{name!r} not reached in {limit} presses: {compact(stops)}"
        press(qtbot, key)
        stops.append(focus_name())
    return stops


def compact(stops: list[str]) -> list[str]:
    """A recorded order with repeats folded: a keyboard trap reads "History ×20"."""
    folded: list[tuple[str, int]] = []
    for stop in stops:
        if folded and folded[-1][0] == stop:
            folded[-1] = (stop, folded[-1][1] + 1)
        else:
            folded.append((stop, 1))
    return [name if count == 1 else f"{name} ×{count}" for name, count in folded]


def arrow_to(qtbot, view: QTableView, row: int, header: str) -> QModelIndex:
    """Move a focused table's current cell to ``row`` and the column ``header`` with the
    arrow keys (the view must have the focus); returns the index."""
    assert QApplication.focusWidget() is view, f"the focus is on {focus_name()}, not the table"
    target = ui.cell(view, row, header)
    for _ in range(view.model().rowCount() + view.model().columnCount() + 2):
        current = view.currentIndex()
        if current.isValid() and (current.row(), current.column()) == (row, target.column()):
            return current
        if not current.isValid() or current.row() < row:
            key = Qt.Key.Key_Down
        elif current.row() > row:
            key = Qt.Key.Key_Up
        else:
            key = Qt.Key.Key_Right if current.column() < target.column() else Qt.Key.Key_Left
        qtbot.keyClick(view, key)
    raise AssertionError(f"the arrow keys did not reach row {row}, {header!r}")


def wait_editing_done(qtbot, view: QTableView) -> None:
    """Enter commits a cell a moment later (the delegate queues it): wait for it."""
    qtbot.waitUntil(lambda: view.state() != QTableView.State.EditingState)


def first_run_by_keyboard(
    qtbot, api: StrictApi, name: str = "Strict test", key: str | None = None
) -> QWidget:
    """The first-run dialog filled in and closed by the keyboard alone, in its Tab order:
    name, API key, Show key, Advanced (Space shows the base URL), Base URL; Enter saves,
    Enter on Done closes. Returns the main window the focus goes back to."""
    dialog = wait_window(qtbot, ACCOUNT_DIALOG)
    qtbot.waitUntil(dialog.isActiveWindow)
    assert focus_name() == "Account name", f"the dialog opened with the focus on {focus_name()}"
    type_keys(qtbot, name)
    press(qtbot, Qt.Key.Key_Tab)
    type_keys(qtbot, key or api.write_key)
    tab_to(qtbot, "Advanced: use another server", limit=3)
    press(qtbot, Qt.Key.Key_Space)
    tab_to(qtbot, "Base URL", limit=1)
    retype(qtbot, api.base_url)
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Company" in check_result(dialog), timeout=WAIT)
    assert focus_name() == "Done", f"after the check the focus is on {focus_name()}"
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: ui.window_titled(ACCOUNT_DIALOG) is None)
    window = dialog.parentWidget().window()
    qtbot.waitUntil(lambda: writing_to(window).text() == WRITING_TO, timeout=WAIT)
    activate(qtbot, window)  # as a window manager does once the dialog is gone
    return window


def wait_closed(qtbot, title: str) -> None:
    qtbot.waitUntil(lambda: ui.window_titled(title) is None, timeout=WAIT)
