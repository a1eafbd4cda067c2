"""Steps of the property-editor audit (test_editor_rules_audit.py): rows typed into the table
by the keyboard, the Check and Type columns read by their headers, Show request, the warnings
box, the catalog dialog and the clipboard. Every widget is found as a user finds it (ui.py).
"""

from __future__ import annotations

import json
import re

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTableView,
    QWidget,
)

from tests.strict import ui
from tests.strict.journey import (
    PREVIEW,
    WAIT,
    WARNINGS,
    activate,
    attribute_table,
    click,
    look_up,
    press,
    send_result,
    send_with_keyboard,
    wait_window,
)
from tests.strict.strict_api import StrictApi

REQUEST = "Request to be sent"
CATALOG = "UI-created properties"
POSTS = "/attributes/custom"
COLUMNS = ("Name", "Value", "Type", "Current", "Check")


# the table ---------------------------------------------------------------------------------
def table_rows(window: QWidget) -> list[dict[str, str]]:
    """Every row of the attribute table as {header: shown text}."""
    return [
        dict(zip(COLUMNS, row, strict=True)) for row in ui.rows(attribute_table(window), *COLUMNS)
    ]


def row_named(window: QWidget, name: str, nth: int = 0) -> dict[str, str]:
    """The ``nth`` row whose Name cell reads exactly ``name``."""
    found = [row for row in table_rows(window) if row["Name"] == name]
    assert len(found) > nth, f"no row {nth} named {name!r}: {table_rows(window)}"
    return found[nth]


def check_of(window: QWidget, name: str, nth: int = 0) -> str:
    return row_named(window, name, nth)["Check"]


def type_of(window: QWidget, name: str) -> str:
    return row_named(window, name)["Type"]


def check_summary(window: QWidget) -> str:
    """The line under the table ("Fix before sending: …", "1 warning to confirm …"), or ""
    when it is hidden."""
    labels = [
        w
        for w in window.findChildren(QLabel)
        if w.accessibleName() == "Check summary" and w.isVisible()
    ]
    return labels[0].text() if labels else ""


def send_enabled(window: QWidget) -> bool:
    return ui.button(window, "Send").isEnabled()


def new_row(qtbot, window: QWidget, name: str, value: str) -> None:
    """Add row, type the name, Tab to the value, type it, Enter: always a new row, even when
    a row of that name exists (set_attribute would edit that one)."""
    table = attribute_table(window)
    click(qtbot, ui.button(window, "Add row"))
    name_poll = ui.focused(QLineEdit, "Attribute name")
    qtbot.waitUntil(lambda: name_poll() is not None)
    name_editor = name_poll()
    if name:
        qtbot.keyClicks(name_editor, name)
    qtbot.keyClick(name_editor, Qt.Key.Key_Tab)
    value_poll = ui.focused(QLineEdit, "Attribute value")
    qtbot.waitUntil(lambda: value_poll() is not None)
    value_editor = value_poll()
    if value:
        qtbot.keyClicks(value_editor, value)
    qtbot.keyClick(value_editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: table.state() != QTableView.State.EditingState)


def ready_with_lookup(qtbot, window: QWidget, field: str = "Email", who: str = "lin@example.org"):
    result = look_up(qtbot, window, field, who)
    assert result.startswith("Found"), result


# sending -----------------------------------------------------------------------------------
def warnings_box_text(box: QWidget) -> str:
    return "\n".join(w.text() for w in box.findChildren(QLabel) if w.isVisible())


def wait_warnings_or_preview(qtbot) -> QWidget:
    qtbot.waitUntil(
        lambda: ui.window_titled(PREVIEW) is not None or ui.window_titled(WARNINGS) is not None,
        timeout=WAIT,
    )
    return ui.window_titled(WARNINGS) or ui.window_titled(PREVIEW)


def send_through_preview(qtbot, window: QWidget, api: StrictApi, *, expect_warnings: bool):
    """Ctrl+Return; the warnings box (when expected: asserted it shows, once), then the
    preview's Send. Returns (warnings text or "", number of POSTs before)."""
    posts_before = len(api.received("POST", POSTS))
    send_with_keyboard(qtbot, window)
    first = wait_warnings_or_preview(qtbot)
    said = ""
    if first.windowTitle() == WARNINGS:
        assert expect_warnings, f"an unexpected warnings box: {warnings_box_text(first)}"
        said = warnings_box_text(first)
        click(qtbot, ui.button(first, "Send anyway"))
        qtbot.waitUntil(lambda: ui.window_titled(WARNINGS) is None)
    else:
        assert not expect_warnings, "Send went to the preview without asking about warnings"
    preview = wait_window(qtbot, PREVIEW)
    assert ui.window_titled(WARNINGS) is None, "a second warnings box"
    click(qtbot, ui.button(preview, re.compile(r"Send \d+ values?")))
    qtbot.waitUntil(lambda: ui.window_titled(PREVIEW) is None)
    qtbot.waitUntil(lambda: len(api.received("POST", POSTS)) > posts_before, timeout=WAIT)
    qtbot.waitUntil(lambda: all(r.status for r in api.received("POST", POSTS)), timeout=WAIT)
    qtbot.waitUntil(
        lambda: send_result(window).startswith(("Sent, then re-read", "Not sent", "Sent,")),
        timeout=WAIT,
    )
    return said, posts_before


def refused_send_posts_nothing(qtbot, window: QWidget, api: StrictApi) -> None:
    """Ctrl+Return with an error in the table: no dialog, a sentence, nothing posted."""
    posts_before = len(api.received("POST"))
    send_with_keyboard(qtbot, window)
    qtbot.waitUntil(lambda: send_result(window) != "")
    assert ui.window_titled(PREVIEW) is None and ui.window_titled(WARNINGS) is None
    assert len(api.received("POST")) == posts_before


# Show request ------------------------------------------------------------------------------
def show_request(qtbot, window: QWidget) -> dict:
    """Press Show request…; returns the body it shows (parsed) and closes the window."""
    click(qtbot, ui.button(window, "Show request…"))
    dialog = wait_window(qtbot, REQUEST)
    text = ui.by_accessible_name(dialog, QPlainTextEdit, "Request body").toPlainText()
    click(qtbot, ui.button(dialog, "Close"))
    qtbot.waitUntil(lambda: ui.window_titled(REQUEST) is None)
    return json.loads(text)


# the clipboard -----------------------------------------------------------------------------
def paste_with_menu(qtbot, window: QWidget, text: str) -> None:
    """Copy ``text`` to the clipboard and choose Edit ▸ Paste rows."""
    QGuiApplication.clipboard().setText(text)
    qtbot.waitUntil(lambda: QGuiApplication.clipboard().text() == text)
    activate(qtbot, window)
    ui.menu_action(window, "Edit", "Paste rows").trigger()


def paste_with_ctrl_v(qtbot, window: QWidget, text: str) -> None:
    """Copy ``text``, click the table's header-free area (a cell) and press Ctrl+V there."""
    QGuiApplication.clipboard().setText(text)
    qtbot.waitUntil(lambda: QGuiApplication.clipboard().text() == text)
    table = attribute_table(window)
    activate(qtbot, window)
    table.setFocus()  # as Tab reaches it; no cell editor open
    qtbot.waitUntil(lambda: table.hasFocus())
    press(qtbot, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)


def status_bar(window) -> str:
    return window.statusBar().currentMessage()


# the catalog of UI-created properties -------------------------------------------------------
def add_catalog_property(qtbot, window, name: str, values: list[str]) -> None:
    """Edit ▸ UI-created properties…, Add property, type the name and the values, Save."""
    activate(qtbot, window)
    ui.menu_action(window, "Edit", "UI-created properties…").trigger()
    dialog = wait_window(qtbot, CATALOG)
    click(qtbot, ui.button(dialog, "Add property"))
    name_field = ui.by_accessible_name(dialog, QLineEdit, "Property name")
    qtbot.waitUntil(name_field.hasFocus)
    qtbot.keyClick(name_field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(name_field, name)
    press(qtbot, Qt.Key.Key_Tab)  # the name is taken when the field is left
    values_field = ui.by_accessible_name(dialog, QPlainTextEdit, "Allowed values, one per line")
    qtbot.mouseClick(values_field.viewport(), Qt.MouseButton.LeftButton)
    for number, value in enumerate(values):
        if number:
            qtbot.keyClick(values_field, Qt.Key.Key_Return)  # one value per line
        qtbot.keyClicks(values_field, value)
    click(qtbot, ui.button(dialog, "Save"))
    qtbot.waitUntil(lambda: ui.window_titled(CATALOG) is None, timeout=WAIT)


def new_catalog_row(qtbot, window: QWidget, name: str, typed: str) -> list[str]:
    """Add row, type a catalog property's name, Tab: the value cell opens a drop-down; type
    ``typed`` into it (keyboard search) and Enter. Returns the values it offered."""
    table = attribute_table(window)
    click(qtbot, ui.button(window, "Add row"))
    name_poll = ui.focused(QLineEdit, "Attribute name")
    qtbot.waitUntil(lambda: name_poll() is not None)
    name_editor = name_poll()
    qtbot.keyClicks(name_editor, name)
    qtbot.keyClick(name_editor, Qt.Key.Key_Tab)
    combo_poll = ui.focused(QComboBox, "Allowed values")
    qtbot.waitUntil(lambda: combo_poll() is not None)
    combo = combo_poll()
    offered = [combo.itemText(i) for i in range(combo.count())]
    qtbot.keyClicks(combo, typed)
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: table.state() != QTableView.State.EditingState)
    return offered
