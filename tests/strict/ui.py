"""Finding widgets the way a user or a screen reader does: by visible text, label buddies,
accessible names, window titles and table headers. Never by Python attribute or objectName.

Every finder looks only at widgets that are visible on screen and fails with the texts it
did find, so a failure says what a user would have seen instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QDockWidget,
    QLabel,
    QMainWindow,
    QMenu,
    QWidget,
)

W = TypeVar("W", bound=QWidget)
Text = str | re.Pattern[str]


def plain(text: str) -> str:
    """Visible text without mnemonic ampersands ("E&mail" → "Email", "&&" → "&")."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").strip()


def _matches(wanted: Text, text: str) -> bool:
    if isinstance(wanted, re.Pattern):
        return wanted.fullmatch(text) is not None
    return text == wanted


def shown(widget: QWidget) -> bool:
    """True when the widget is on screen (it and every parent shown)."""
    return widget.isVisible()


def _unique(found: list[W], what: str, seen: list[str]) -> W:
    assert found, f"no visible {what}; visible ones: {sorted(set(seen))}"
    assert len(found) == 1, f"{len(found)} visible {what}"
    return found[0]


def windows() -> list[QWidget]:
    """Every window on screen (main window, dialogs, message boxes)."""
    return [w for w in QApplication.topLevelWidgets() if w.isWindow() and shown(w)]


def window_titled(title: Text) -> QWidget | None:
    """The window on screen with this title, or None."""
    found = [w for w in windows() if _matches(title, w.windowTitle())]
    assert len(found) <= 1, f"{len(found)} windows titled {title!r}"
    return found[0] if found else None


def window_titles() -> list[str]:
    return [w.windowTitle() for w in windows()]


def label(root: QWidget, text: Text) -> QLabel:
    """The visible label showing ``text`` (mnemonics removed; a trailing colon ignored)."""
    labels = [w for w in root.findChildren(QLabel) if shown(w)]
    seen = [plain(w.text()) for w in labels]
    found = [w for w, t in zip(labels, seen, strict=True) if _matches(text, t.rstrip(":").strip())]
    return _unique(found, f"label {text!r}", seen)


def label_containing(root: QWidget, fragment: str) -> QLabel:
    """The visible label whose text contains ``fragment``."""
    labels = [w for w in root.findChildren(QLabel) if shown(w)]
    seen = [plain(w.text()) for w in labels]
    found = [w for w, t in zip(labels, seen, strict=True) if fragment in t]
    return _unique(found, f"label containing {fragment!r}", seen)


def by_label(root: QWidget, text: Text, cls: type[W] = QWidget) -> W:  # type: ignore[assignment]
    """The field a visible label names through its buddy (what Alt+mnemonic focuses and what
    a screen reader announces as the field's label)."""
    found = label(root, text)
    buddy = found.buddy()
    assert buddy is not None, f"the label {found.text()!r} has no buddy: nothing is labelled"
    assert isinstance(buddy, cls), f"the label {text!r} labels a {type(buddy).__name__}"
    assert shown(buddy), f"the field labelled {text!r} is not visible"
    return buddy


def by_accessible_name(root: QWidget, cls: type[W], name: Text) -> W:
    """The visible widget of ``cls`` whose accessible name is ``name``."""
    widgets = [w for w in root.findChildren(cls) if shown(w)]
    seen = [w.accessibleName() for w in widgets]
    found = [w for w, n in zip(widgets, seen, strict=True) if _matches(name, n)]
    return _unique(found, f"{cls.__name__} named {name!r}", seen)


def button(root: QWidget, text: Text) -> QAbstractButton:
    """The visible button (push, tool, check box) whose text reads ``text``."""
    buttons = [b for b in root.findChildren(QAbstractButton) if shown(b)]
    seen = [plain(b.text()) for b in buttons]
    found = [b for b, t in zip(buttons, seen, strict=True) if _matches(text, t)]
    return _unique(found, f"button {text!r}", seen)


def buttons(root: QWidget) -> list[str]:
    return [plain(b.text()) for b in root.findChildren(QAbstractButton) if shown(b)]


def dock(window: QMainWindow, title: Text) -> QDockWidget:
    """The visible dock pane with this title."""
    docks = [d for d in window.findChildren(QDockWidget) if shown(d)]
    seen = [d.windowTitle() for d in docks]
    found = [d for d, t in zip(docks, seen, strict=True) if _matches(title, t)]
    return _unique(found, f"pane titled {title!r}", seen)


def menu_action(window: QMainWindow, menu_title: str, text: Text) -> QAction:
    """The action ``text`` of the menu bar's ``menu_title`` menu (as a user opens it)."""
    menus = [a.menu() for a in window.menuBar().actions() if plain(a.text()) == menu_title]
    assert menus and isinstance(menus[0], QMenu), f"no menu {menu_title!r}"
    actions = [a for a in menus[0].actions() if not a.isSeparator() and a.isVisible()]
    seen = [plain(a.text()) for a in actions]
    found = [a for a, t in zip(actions, seen, strict=True) if _matches(text, t)]
    assert len(found) == 1, f"menu {menu_title!r} has {seen}, not exactly one {text!r}"
    return found[0]


# tables ----------------------------------------------------------------------------------
def headers(view: QAbstractItemView) -> list[str]:
    """The horizontal header texts of a table view, in model order."""
    model = view.model()
    return [
        str(model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole) or "")
        for c in range(model.columnCount())
    ]


def column(view: QAbstractItemView, header: str) -> int:
    """The model column whose header reads ``header``."""
    found = headers(view)
    assert header in found, f"no column {header!r}; columns: {found}"
    return found.index(header)


def rows(view: QAbstractItemView, *names: str) -> list[tuple[str, ...]]:
    """The displayed texts of the given columns (by header), one tuple per row."""
    model: QAbstractItemModel = view.model()
    columns = [column(view, name) for name in names]
    return [
        tuple(str(model.index(r, c).data(Qt.ItemDataRole.DisplayRole) or "") for c in columns)
        for r in range(model.rowCount())
    ]


def cell(view: QAbstractItemView, row: int, header: str) -> QModelIndex:
    """The index of one cell, by row number and column header."""
    return view.model().index(row, column(view, header))


def row_where(view: QAbstractItemView, header: str, text: str) -> int | None:
    """The first row whose ``header`` column displays ``text``, or None."""
    for number, (value,) in enumerate(rows(view, header)):
        if value == text:
            return number
    return None


def focused(cls: type[W], accessible: Text) -> Callable[[], W | None]:
    """A poll for waitUntil: the focused widget when it is a ``cls`` named ``accessible``."""

    def poll() -> W | None:
        widget = QApplication.focusWidget()
        if isinstance(widget, cls) and _matches(accessible, widget.accessibleName()):
            return widget
        return None

    return poll
