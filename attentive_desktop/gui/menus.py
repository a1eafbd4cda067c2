"""The main window's menu bar and the actions behind its shortcuts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu


def window_action(
    window: Any, text: str, name: str, shortcut: str | None, slot: Callable[[], object]
) -> QAction:
    """A QAction of ``window`` (its shortcut works wherever the focus is in the window)."""
    action = QAction(text, window)
    action.setObjectName(name)
    if shortcut:
        action.setShortcut(shortcut)  # a str converts to QKeySequence
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    action.triggered.connect(lambda _checked=False: slot())
    window.addAction(action)
    return action


def fill_menus(window: Any, menus: dict[str, QMenu]) -> None:
    """Put the main window's actions in its menus (titled as main_window.MENU_TITLES) and
    keep them on the window as attributes (``window.send_action``...)."""

    def action(text: str, name: str, shortcut: str | None, slot: Callable[[], object]) -> QAction:
        return window_action(window, text, name, shortcut, slot)

    def remove() -> None:
        from attentive_desktop.gui.account_removal import ask_remove_account

        ask_remove_account(window)

    def replace() -> None:
        from attentive_desktop.gui.account_dialog import replace_key

        replace_key(window)

    account = menus["&Account"]
    account.addAction(window.add_account_action)
    account.addAction(action("Replace API &key…", "replaceKeyAction", None, replace))
    account.addAction(action("&Remove this account…", "removeAccountAction", None, remove))
    account.addSeparator()
    account.addAction(action("&Quit", "quitAction", "Ctrl+Q", window.close))
    actions = menus["Ac&tions"]
    window.lookup_action = action("&Look up", "lookupAction", "Ctrl+L", window.flow.lookup)
    window.send_action = action("&Send", "sendAction", "Ctrl+Return", window.flow.send)
    window.cancel_action = action("&Cancel request", "cancelAction", "Esc", window.cancel)
    # Only while a request runs: Esc otherwise stays with the focused widget (a cell editor).
    window.cancel_action.setEnabled(window.editor.cancel_button.isEnabled())
    window.editor.cancellableChanged.connect(window.cancel_action.setEnabled)
    window.request_action = action(
        "Show &request…", "showRequestAction", "Ctrl+Shift+R", window.flow.show_request
    )
    for item in (window.lookup_action, window.send_action, window.cancel_action):
        actions.addAction(item)
    actions.addAction(window.request_action)
    edit = menus["&Edit"]
    window.new_row_action = action(
        "&New attribute row", "newRowAction", "Ctrl+N", window.editor.add_row
    )
    window.remove_row_action = action(
        "&Remove selected rows",
        "removeRowAction",
        "Ctrl+Delete",
        window.editor.remove_selected_rows,
    )
    window.paste_rows_action = action(
        "&Paste rows", "pasteRowsAction", None, window.editor.table.paste_from_clipboard
    )
    window.editor.table.rowsPasted.connect(lambda count: _say_pasted(window, count))
    window.undo_action = action("&Undo", "undoAction", "Ctrl+Z", lambda: _undo(window))
    undo = window.editor.row_undo
    undo.changed.connect(lambda what: _undo_offered(window, what))
    window.editor.model.editsAboutToChange.connect(
        lambda what: (
            what == "remove rows"
            and window.show_message("Rows removed. Ctrl+Z brings them back.", "info")
        )
    )
    _undo_offered(window, undo.next)
    edit.addAction(window.undo_action)
    edit.addSeparator()
    for item in (window.new_row_action, window.remove_row_action, window.paste_rows_action):
        edit.addAction(item)
    view = menus["&View"]
    toggle = window.history.toggleViewAction()
    toggle.setShortcut("Ctrl+H")
    toggle.setObjectName("toggleHistoryAction")
    window.history.focus_on_hiding(window.editor.table)
    view.addAction(toggle)
    window.filter_action = action(
        "&Filter history", "filterHistoryAction", "Ctrl+F", window.history.focus_filter
    )
    view.addAction(window.filter_action)
    help_menu = menus["&Help"]
    help_menu.addAction(
        action("&Keyboard shortcuts", "shortcutsAction", None, window.show_shortcuts)
    )


def _undo(window: Any) -> None:
    undone = window.editor.row_undo.undo()
    said = {"remove rows": "The removed rows are back.", "paste": "The paste was undone."}
    window.show_message(said.get(undone, "Nothing to undo."), "info" if undone else "warning")


def _undo_offered(window: Any, what: str) -> None:
    from attentive_desktop.gui.row_undo import UNDO_LABELS

    window.undo_action.setText(UNDO_LABELS.get(what, "&Undo"))
    window.undo_action.setEnabled(bool(what))


def _say_pasted(window: Any, count: int) -> None:
    if count:
        noun = "row" if count == 1 else "rows"
        window.show_message(f"Pasted {count} {noun}. Ctrl+Z undoes the paste.", "info")
    else:
        window.show_message(
            "Nothing to paste: copy lines of Name⇥Value or Name=Value first.", "warning"
        )
