"""A curious user clicks everything: every menu action, every button of the main window and of
each dialog the menus open, every checkable action twice, and every entry of the history's
right-click menus, against the strict server, with a first-run account and a looked-up user
with a pending edit (and one earlier send, so Revert has something to show).

Each click runs inside ``qtbot.captureExceptions()``: a slot that raises (e.g. a signal's
``checked`` bool landing in a defaulted parameter) fails the test with the control's name. What
each control did is recorded (a window opened, the status bar, a label, a table...) and printed
as a table (``-s``); a control that did nothing visible is a dead control and fails the test,
unless nothing is the right answer in that state (``NOTHING_IS_RIGHT``).

Every window a click opens is closed again (QFileDialog: reject; message boxes and dialogs:
reject, which is their Cancel). No question is answered yes and the previews' own Send and
Revert buttons are left alone, so nothing is sent or deleted; the dialogs' Save buttons store
what the dialog shows (an empty catalog, the retention as it was, the masking box ticked).
A right click is sent as the context-menu event it becomes. Qt warnings: only the offscreen
popup ones (OFFSCREEN_POPUP_WARNINGS); the QFileDialogs raise no other.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TypeVar

from PySide6.QtCore import QElapsedTimer, QPoint, QTimer
from PySide6.QtGui import QAction, QContextMenuEvent, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QDialog,
    QDockWidget,
    QFileDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QTableView,
    QWidget,
)
from shiboken6 import isValid

from tests.strict import ui
from tests.strict.bulk_audit_support import choose_file, customers
from tests.strict.journey import (
    OFFSCREEN_POPUP_WARNINGS,
    WAIT,
    WRITING_TO,
    activate,
    click,
    confirm_send,
    first_run,
    history_table,
    look_up,
    set_attribute,
    wait_window,
    writing_to,
)

pytestmark = OFFSCREEN_POPUP_WARNINGS

W = TypeVar("W", bound=QWidget)
SETTLED = 300  # ms without a change once something changed: the click's work is done
QUIET = 1_000  # ms without any visible change: the control did nothing
PHONE = "+14155550100"
SKIP_ACTIONS = {"Quit"}
# Buttons that send (or delete) at once, without asking: the preview dialogs' own confirm
# buttons. Everything else is clicked; a question it asks is cancelled.
NO_CLICK = (re.compile(r"Send \d+ values?"), re.compile(r"Revert \d+ values?"))
# Controls where doing nothing is the right answer in this state (nothing to cancel). Not
# "Paste rows": with nothing on the clipboard it should say so, not stay silent.
NOTHING_IS_RIGHT = {"Actions ▸ Cancel request"}
MENU_ORDER_LAST = ("Remove selected rows",)  # would drop the pending edit: clicked last
# Clicked last, in this order: they drop the pending edit, clear the user or hide the history.
BUTTON_ORDER_LAST = ("Remove row", "Remove", "Float", "Close")


# what the window shows ------------------------------------------------------------------------
def name_of(widget: QWidget) -> str:
    """A control as a user reads it: its text, else its accessible name, tooltip or kind."""
    text = ui.plain(widget.text()) if isinstance(widget, QAbstractButton) else ""
    parent = widget.parentWidget()
    if not text and isinstance(parent, QLineEdit):  # the clear button inside a field
        return f"clear button of {parent.accessibleName()!r}"
    return (
        text
        or widget.accessibleName()
        or widget.toolTip()
        or f"<{type(widget).__name__} {widget.objectName()}>"
    )


def own(window: QWidget, cls: type[W]) -> list[W]:
    """The visible widgets of ``cls`` in ``window`` itself (not in a dialog it is parent of)."""
    return [w for w in window.findChildren(cls) if w.isVisible() and w.window() is window]


def hidden_columns(view: QAbstractItemView) -> tuple[int, ...]:
    if not isinstance(view, QTableView) or view.model() is None:
        return ()
    return tuple(c for c in range(view.model().columnCount()) if view.isColumnHidden(c))


def snapshot(main: QMainWindow) -> dict[str, object]:
    """Everything visible a click could change (focus kept apart: a click moves it)."""
    shown: dict[str, object] = {}
    windows = [w for w in ui.windows() if not isinstance(w, QMenu)]  # menus: by their entries
    shown["windows"] = [(type(w).__name__, w.windowTitle()) for w in windows]
    shown["status"] = main.statusBar().currentMessage()
    shown["clipboard"] = QGuiApplication.clipboard().text()
    for number, window in enumerate(windows):
        key = f"{number}:{window.windowTitle()}"
        shown[f"{key} labels"] = [w.text() for w in own(window, QLabel) if w.text()]
        shown[f"{key} fields"] = [
            (w.accessibleName(), w.text(), w.echoMode().name) for w in own(window, QLineEdit)
        ]
        shown[f"{key} texts"] = [
            (w.accessibleName(), w.toPlainText()) for w in own(window, QPlainTextEdit)
        ]
        shown[f"{key} tables"] = [
            (
                w.accessibleName(),
                w.model().rowCount() if w.model() else 0,
                len(w.selectionModel().selectedIndexes()) if w.selectionModel() else 0,
                hidden_columns(w),
            )
            for w in own(window, QAbstractItemView)
            if not isinstance(w, QHeaderView)
        ]
        shown[f"{key} buttons"] = [
            (name_of(b), b.isEnabled(), b.isChecked()) for b in own(window, QAbstractButton)
        ]
        shown[f"{key} panes"] = [
            (d.windowTitle(), d.isVisible(), d.isFloating())
            for d in window.findChildren(QDockWidget)
        ]
    return shown


def describe(before: dict[str, object], after: dict[str, object]) -> list[str]:
    """What changed, in words."""
    said: list[str] = []
    old_windows, new_windows = before["windows"], after["windows"]
    for kind, title in new_windows:  # type: ignore[union-attr]
        if (kind, title) not in old_windows:  # type: ignore[operator]
            said.append(f'opened {kind} "{title}"')
    for kind, title in old_windows:  # type: ignore[union-attr]
        if (kind, title) not in new_windows:  # type: ignore[operator]
            said.append(f'closed "{title}"')
    if after["status"] != before["status"] and after["status"]:
        said.append(f'status: "{after["status"]}"')
    if after["clipboard"] != before["clipboard"]:
        said.append(f'clipboard: "{str(after["clipboard"])[:50]}…"')
    titles = {t for _k, t in new_windows} & {t for _k, t in old_windows}  # type: ignore[union-attr]
    for key in after:
        if key in ("windows", "status", "clipboard") or key not in before:
            continue
        if key.split(":", 1)[1].rsplit(" ", 1)[0] not in titles:
            continue
        if after[key] != before[key]:
            said.append(f"{key.split(':', 1)[1]} changed")
    return said


def busy(before: dict[str, object], after: dict[str, object]) -> bool:
    """A new "…in progress" text is showing (Looking up…, Reading…, Checking every row…)
    and no window has opened yet (the one it was preparing)."""
    if any(w not in before["windows"] for w in after["windows"]):  # type: ignore[union-attr]
        return False
    texts = [str(after["status"])] + [
        str(t)
        for key, v in after.items()
        if key.endswith(" labels")
        for t in v  # type: ignore
    ]
    old = [str(before["status"])] + [
        str(t)
        for key, v in before.items()
        if key.endswith(" labels")
        for t in v  # type: ignore
    ]
    return any(t.rstrip().endswith("…") and t not in old for t in texts)


def settle(qtbot, main: QMainWindow) -> None:
    """Wait until the screen stops changing for ``SETTLED`` ms (a disk or network job a click
    started shows its outcome a moment after its first sign)."""
    last = [snapshot(main), QElapsedTimer()]
    last[1].start()

    def still() -> bool:
        now = snapshot(main)
        if now != last[0]:
            last[0] = now
            last[1].restart()
        return last[1].elapsed() >= SETTLED

    qtbot.waitUntil(still, timeout=WAIT)


# closing what a click opened --------------------------------------------------------------------
@contextmanager
def file_dialogs_rejected(seen: list[str]) -> Iterator[None]:
    """While open, reject every file dialog as soon as it shows: the static
    QFileDialog.getSaveFileName/getOpenFileName run their own event loop, so the click does
    not return until the dialog is gone."""

    def tick() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QFileDialog) and widget.isVisible():
                seen.append(widget.windowTitle())
                widget.reject()

    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(tick)
    timer.start()
    try:
        yield
    finally:
        timer.stop()


def close_new_windows(qtbot, keep: list[QWidget]) -> list[str]:
    """Close (Cancel) every window on screen that is not in ``keep``; their titles."""
    closed: list[str] = []
    for _round in range(5):  # closing one may show the one below it
        new = [w for w in ui.windows() if not any(w is k for k in keep)]
        if not new:
            break
        for window in new:
            closed.append(window.windowTitle())
            if isinstance(window, QDockWidget):
                window.setFloating(False)
            elif isinstance(window, QDialog):  # QFileDialog, QMessageBox too: their Cancel
                window.reject()
            else:
                window.close()
        qtbot.waitUntil(lambda: all(any(w is k for k in keep) for w in ui.windows()), timeout=WAIT)
    return closed


# one click --------------------------------------------------------------------------------------
@dataclass
class Audit:
    """What each control did, and what went wrong."""

    main: QMainWindow
    rows: list[tuple[str, str]] = field(default_factory=list)
    raised: list[str] = field(default_factory=list)
    dead: list[str] = field(default_factory=list)

    def note(self, label: str, what: str) -> None:
        self.rows.append((label, what))
        print(f"{label}  →  {what}")

    def table(self) -> str:
        width = max((len(c) for c, _ in self.rows), default=10)
        return "\n".join(f"{c:<{width}}  {d}" for c, d in self.rows)

    def check(self) -> None:
        print("\n" + self.table())
        problems = [f"raised: {r}" for r in self.raised]
        problems += [f"did nothing visible: {d}" for d in self.dead if d not in NOTHING_IS_RIGHT]
        assert not problems, "\n".join(problems)

    def run(
        self,
        qtbot,
        label: str,
        act: Callable[[], object],
        *,
        keep: list[QWidget] | None = None,
        clicked: QWidget | None = None,
        expect: str | None = None,
    ) -> list[str]:
        """Run ``act`` (a trigger or a click), wait until what it shows settles, record it,
        then close what it opened (``keep``: windows that stay). Returns what it did."""
        main = self.main
        keep = list(ui.windows()) if keep is None else keep
        main.statusBar().clearMessage()
        focus_before = QApplication.focusWidget()
        before = snapshot(main)
        files: list[str] = []
        with qtbot.captureExceptions() as exceptions, file_dialogs_rejected(files):
            act()
            try:
                qtbot.waitUntil(lambda: snapshot(main) != before or bool(files), timeout=QUIET)
            except qtbot.TimeoutError:
                pass
            else:
                settle(qtbot, main)
            if expect is not None:
                qtbot.waitUntil(lambda: ui.window_titled(expect) is not None, timeout=WAIT)
            qtbot.waitUntil(lambda: not busy(before, snapshot(main)), timeout=WAIT)
        did = [f'opened file dialog "{t}" (rejected)' for t in files]
        did += describe(before, snapshot(main))
        focus = QApplication.focusWidget()
        if focus is not focus_before and focus is not clicked and focus is not None:
            did.append(f"focus → {focus.accessibleName() or type(focus).__name__}")
        for kind, value, _tb in exceptions:
            self.raised.append(f"{label}: {kind.__name__}: {value}")
            did.append(f"RAISED {kind.__name__}: {value}")
        if not did:
            self.dead.append(label)
            did = ["nothing"]
        self.note(label, "; ".join(did))
        close_new_windows(qtbot, keep)
        return did


def trigger(action: QAction) -> Callable[[], object]:
    """As a menu click does: triggered(checked) with the bool."""
    return action.trigger


def press_button(qtbot, button: QAbstractButton) -> Callable[[], object]:
    return lambda: click(qtbot, button)


# the state every test starts from ---------------------------------------------------------------
def ready(qtbot, open_window, strict_api) -> QMainWindow:
    """First run, a lookup, one send (so Revert has a revision), then a pending edit."""
    QGuiApplication.clipboard().clear()  # nothing copied yet (the clipboard outlives a test)
    window = open_window().window
    first_run(qtbot, strict_api)
    qtbot.waitUntil(lambda: writing_to(window).text() == WRITING_TO, timeout=WAIT)
    assert look_up(qtbot, window, "Phone", PHONE).startswith("Found")
    set_attribute(qtbot, window, "Favorite color", "teal")
    click(qtbot, ui.button(window, "Send"))
    confirm_send(qtbot)
    qtbot.waitUntil(lambda: ui.button(window, "Send").text() == "Send", timeout=WAIT)
    assert strict_api.attributes_of(phone=PHONE)["Favorite color"] == "teal"
    set_attribute(qtbot, window, "Favorite color", "navy")  # the pending edit
    qtbot.waitUntil(lambda: ui.button(window, "Send").isEnabled())
    activate(qtbot, window)
    return window


def menu_actions(window: QMainWindow) -> list[tuple[str, QAction]]:
    """Every visible action of every menu, as "Menu ▸ Action"."""
    found = []
    for top in window.menuBar().actions():
        menu = top.menu()
        if not isinstance(menu, QMenu):
            continue
        for action in menu.actions():
            if action.isSeparator() or not action.isVisible() or action.menu() is not None:
                continue
            found.append((f"{ui.plain(top.text())} ▸ {ui.plain(action.text())}", action))
    return found


def clickable(button: QAbstractButton) -> bool:
    """On screen, enabled and with a size (a table's corner button has none without a
    vertical header: there is nothing to click)."""
    return (
        isValid(button)
        and button.isVisible()
        and button.isEnabled()
        and not button.rect().isEmpty()
    )


def order_last(button: QAbstractButton) -> int:
    name = name_of(button)
    if name.startswith("clear button of"):
        return len(BUTTON_ORDER_LAST) + 1
    return BUTTON_ORDER_LAST.index(name) + 1 if name in BUTTON_ORDER_LAST else 0


def main_buttons(window: QMainWindow) -> list[QAbstractButton]:
    return [b for b in window.findChildren(QAbstractButton) if clickable(b)]


# 1. the main window -----------------------------------------------------------------------------
def test_every_menu_action_and_main_window_button(qtbot, open_window, strict_api):
    window = ready(qtbot, open_window, strict_api)
    audit = Audit(window)
    actions = [(n, a) for n, a in menu_actions(window) if n.split(" ▸ ")[1] not in SKIP_ACTIONS]
    actions.sort(key=lambda item: item[0].split(" ▸ ")[1] in MENU_ORDER_LAST)
    for label, action in actions:
        if not action.isEnabled():
            audit.note(label, "disabled")
            continue
        audit.run(qtbot, label, trigger(action))
        if action.isCheckable():  # back as it was (test 3 checks that it is)
            audit.run(qtbot, f"{label} (again)", trigger(action))

    done: list[QAbstractButton] = []
    while True:  # a click can show or enable more buttons (a custom identifier's Remove...)
        todo = [b for b in main_buttons(window) if not any(b is d for d in done)]
        todo.sort(key=order_last)
        if not todo:
            break
        button = todo[0]
        done.append(button)
        label = f"button {name_of(button)!r}"
        audit.run(qtbot, label, press_button(qtbot, button), clicked=button)
        if isValid(button) and button.isCheckable() and clickable(button):
            audit.run(qtbot, f"{label} (again)", press_button(qtbot, button), clicked=button)
    audit.check()


# 2. inside each dialog --------------------------------------------------------------------------
def opener(
    qtbot, window: QMainWindow, menu: str, item: str, title: ui.Text
) -> Callable[[], QWidget]:
    """Open a dialog from the menu bar (as a click on the menu item does)."""

    def open_() -> QWidget:
        activate(qtbot, window)
        ui.menu_action(window, menu, item).trigger()
        if title == "Review changes before sending":  # Send may ask about warnings first
            qtbot.waitUntil(
                lambda: (
                    ui.window_titled(title) is not None
                    or ui.window_titled("Send with warnings?") is not None
                ),
                timeout=WAIT,
            )
            box = ui.window_titled("Send with warnings?")
            if box is not None:
                click(qtbot, ui.button(box, "Send anyway"))
        return wait_window(qtbot, title)

    return open_


def answers_yes(dialog: QWidget, button: QAbstractButton) -> bool:
    """A question's yes (a message box that also offers Cancel): never clicked, the question
    is cancelled instead."""
    if not isinstance(dialog, QMessageBox):
        return False
    roles = [dialog.buttonRole(b) for b in dialog.buttons()]
    role = dialog.buttonRole(button)
    return QMessageBox.ButtonRole.RejectRole in roles and role not in (
        QMessageBox.ButtonRole.RejectRole,
        QMessageBox.ButtonRole.NoRole,
    )


def audit_dialog(
    qtbot, audit: Audit, title: str, open_: Callable[[], QWidget], expect: dict[str, str]
) -> None:
    """Click every visible enabled button of the dialog (reopening it when a button closed
    it), except the ones that send at once."""
    base = [audit.main]
    clicked: set[str] = set()
    dialog = open_()
    while True:
        if not (isValid(dialog) and dialog.isVisible()):  # closed (and deleted) by a button
            dialog = open_()
        buttons = [
            b
            for b in dialog.findChildren(QAbstractButton)
            if b.isVisible() and b.window() is dialog
        ]
        for button in buttons:
            name = name_of(button)
            if name in clicked or any(p.fullmatch(name) for p in NO_CLICK):
                continue
            if answers_yes(dialog, button):
                continue
            if not clickable(button):
                continue
            break
        else:
            break
        clicked.add(name)
        label = f"{title} ▸ {name!r}"
        audit.run(
            qtbot,
            label,
            press_button(qtbot, button),
            keep=[*base, dialog],
            clicked=button,
            expect=expect.get(name),
        )
    for button in dialog.findChildren(QAbstractButton):
        name = name_of(button)
        if button.isVisible() and name not in clicked:
            if not button.isEnabled():
                state = "disabled"
            elif button.rect().isEmpty():
                state = "not clickable (no size)"
            elif answers_yes(dialog, button):
                state = "not clicked: answers the question yes"
            else:
                state = "not clicked: sends at once"
            audit.note(f"{title} ▸ {name!r}", state)
    close_new_windows(qtbot, base)


def test_every_button_inside_each_dialog(qtbot, open_window, strict_api, tmp_path):
    window = ready(qtbot, open_window, strict_api)
    audit = Audit(window)
    dialogs = [
        ("Edit", "UI-created properties…", "UI-created properties"),
        ("Edit", "Preferences…", "Preferences"),
        ("Actions", "Bulk update from CSV…", "Bulk update from CSV"),
        ("Actions", "Revert last send…", "Revert a send"),
        ("Help", "About Attentive Desktop", "About Attentive Desktop"),
        ("Help", "Keyboard shortcuts", "Keyboard shortcuts"),
        ("Actions", "Show request…", "Request to be sent"),
        ("Actions", "Send", "Review changes before sending"),
        ("Account", "Add account…", "Add an Attentive account"),
        ("Account", "Replace API key…", re.compile("API key for .*")),
        ("Account", "Remove this account…", re.compile(".*[Rr]emove.*")),
    ]
    for menu, item, title in dialogs:
        name = title if isinstance(title, str) else item
        audit_dialog(qtbot, audit, name, opener(qtbot, window, menu, item, title), {})

    # The Bulk dialog with a file chosen: Dry run, and Start… (which asks first: cancelled).
    path, _bodies = customers(tmp_path / "customers.csv", 3)
    bulk = opener(qtbot, window, "Actions", "Bulk update from CSV…", "Bulk update from CSV")()
    choose_file(qtbot, bulk, path)
    audit_dialog(
        qtbot,
        audit,
        "Bulk update from CSV (file chosen)",
        lambda: (
            bulk
            if isValid(bulk) and bulk.isVisible()
            else opener(qtbot, window, "Actions", "Bulk update from CSV…", "Bulk update from CSV")()
        ),
        {"Start…": "Start bulk update"},
    )
    assert not strict_api.received("POST", "/attributes/custom")[1:], "the audit sent something"
    audit.check()


# 3. checkable actions ---------------------------------------------------------------------------
def test_each_checkable_action_twice_returns_the_window_to_its_first_state(
    qtbot, open_window, strict_api
):
    window = ready(qtbot, open_window, strict_api)
    audit = Audit(window)
    checkable = [(n, a) for n, a in menu_actions(window) if a.isCheckable()]
    assert {n.split(" ▸ ")[1] for n, _ in checkable} >= {"Mask personal data"}, checkable
    for label, action in checkable:
        window.statusBar().clearMessage()
        first, checked = snapshot(window), action.isChecked()
        once = audit.run(qtbot, f"{label} (1)", trigger(action))
        assert action.isChecked() is not checked
        assert once != ["nothing"], f"{label} changed nothing on screen"
        audit.run(qtbot, f"{label} (2)", trigger(action))
        window.statusBar().clearMessage()
        assert action.isChecked() is checked
        again = snapshot(window)
        assert again == first, f"{label} twice: {describe(first, again)}"
    audit.check()


# 4. the history's right-click menus -------------------------------------------------------------
def context_menu(qtbot, widget: QWidget, pos: QPoint) -> QMenu:
    """Right-click at ``pos``: the context-menu event a right click makes; the menu shown."""
    before = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMenu) and w.isVisible()]
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, widget.mapToGlobal(pos))
    QApplication.sendEvent(widget, event)

    def shown() -> QMenu | None:
        menus = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, QMenu) and w.isVisible() and not any(w is b for b in before)
        ]
        return menus[0] if menus else None

    qtbot.waitUntil(lambda: shown() is not None, timeout=WAIT)
    menu = shown()
    assert menu is not None
    return menu


def entries(menu: QMenu) -> list[QAction]:
    return [a for a in menu.actions() if not a.isSeparator() and a.isVisible()]


def test_history_context_menus(qtbot, open_window, strict_api):
    window = ready(qtbot, open_window, strict_api)
    audit = Audit(window)
    table = history_table(window)
    methods = ui.rows(table, "Method", "Endpoint")
    for wanted in (("POST", "/attributes/custom"), ("GET", "/attributes/custom")):
        row = methods.index(wanted)
        pos = table.visualRect(table.model().index(row, 0)).center()
        texts = [ui.plain(a.text()) for a in entries(context_menu(qtbot, table.viewport(), pos))]
        close_new_windows(qtbot, [window])
        assert texts, "the row menu is empty"
        for text in texts:
            menu = context_menu(qtbot, table.viewport(), pos)
            action = next(a for a in entries(menu) if ui.plain(a.text()) == text)
            label = f"{wanted[0]} row ▸ {text}"
            if not action.isEnabled():
                audit.note(label, "disabled")
                close_new_windows(qtbot, [window])
                continue

            def pick(menu: QMenu = menu, action: QAction = action) -> None:
                menu.close()
                action.trigger()

            audit.run(qtbot, label, pick, keep=[window])

    header = table.horizontalHeader()
    hidden_at_first = hidden_columns(table)  # some are hidden until asked for
    pos = QPoint(header.sectionViewportPosition(0) + 5, header.height() // 2)
    columns = [ui.plain(a.text()) for a in entries(context_menu(qtbot, header.viewport(), pos))]
    close_new_windows(qtbot, [window])
    assert columns == ui.headers(table)
    for text in columns:
        for turn in (1, 2):  # hide the column, then show it again (or show, then hide)
            menu = context_menu(qtbot, header.viewport(), pos)
            action = next(a for a in entries(menu) if ui.plain(a.text()) == text)

            def pick(menu: QMenu = menu, action: QAction = action) -> None:
                menu.close()
                action.trigger()

            audit.run(qtbot, f"header ▸ {text} ({turn})", pick, keep=[window])
    assert hidden_columns(table) == hidden_at_first
    audit.check()
