"""Remembering the window's layout in the settings file: its size, position and dock layout,
and the history pane's split and its table's column widths and shown columns."""

from __future__ import annotations

import base64
from typing import Any

from PySide6.QtCore import QByteArray
from PySide6.QtWidgets import QMainWindow, QSplitter, QTableView

SETTINGS_KEY = "window_geometry"
SPLITTERS = ("historySplitter",)
"""The splitters (by object name) whose position is kept: the history's table | details.
Not customer | attributes: the customer column is rebuilt after the first frame and sized
to its fields (gui/profile_tools.py)."""
COLUMN_TABLES = ("historyTable",)
"""The tables (by object name) whose column widths and hidden columns are kept. Only these:
the sort is not (the history opens newest first)."""


def _decode(text: object) -> QByteArray:
    try:
        return QByteArray(base64.b64decode(text if isinstance(text, str) else ""))
    except (ValueError, TypeError):
        return QByteArray()


def _encode(data: QByteArray) -> str:
    return base64.b64encode(bytes(data.data())).decode()


def restore_window(window: QMainWindow, settings: Any) -> None:
    """Put the window back where it was (Qt keeps it on a screen that exists), with the
    history's split and columns as they were. What is missing or unreadable stays as built."""
    saved = settings.get(SETTINGS_KEY, None)
    if not isinstance(saved, dict):
        return
    geometry, state = _decode(saved.get("geometry")), _decode(saved.get("state"))
    if not geometry.isEmpty():
        window.restoreGeometry(geometry)
    if not state.isEmpty():
        window.restoreState(state)
    splitters = saved.get("splitters")
    for name in SPLITTERS if isinstance(splitters, dict) else ():
        splitter = window.findChild(QSplitter, name)
        position = _decode(splitters.get(name))
        if splitter is not None and not position.isEmpty():
            splitter.restoreState(position)
    columns = saved.get("columns")
    for name in COLUMN_TABLES if isinstance(columns, dict) else ():
        table = window.findChild(QTableView, name)
        if table is not None and isinstance(columns.get(name), dict):
            _restore_columns(table, columns[name])


def _restore_columns(table: QTableView, saved: dict[str, Any]) -> None:
    count = table.model().columnCount() if table.model() is not None else 0
    widths, hidden = saved.get("widths"), saved.get("hidden")
    if isinstance(widths, list):
        for column, width in enumerate(widths[:count]):
            if isinstance(width, int) and width > 0:
                table.setColumnWidth(column, width)
    if isinstance(hidden, list) and all(isinstance(c, int) for c in hidden):
        for column in range(count):
            table.setColumnHidden(column, column in hidden)


def save_window(window: QMainWindow, settings: Any) -> None:
    """Remember size, position, where the docks are and the history's split and columns,
    for next time."""
    splitters = {
        name: _encode(splitter.saveState())
        for name in SPLITTERS
        if (splitter := window.findChild(QSplitter, name)) is not None
    }
    columns = {}
    for name in COLUMN_TABLES:
        table = window.findChild(QTableView, name)
        if table is not None and table.model() is not None:
            count = table.model().columnCount()
            columns[name] = {
                # 0 for a hidden column: shown again next time, it takes its default width.
                "widths": [table.columnWidth(c) for c in range(count)],
                "hidden": [c for c in range(count) if table.isColumnHidden(c)],
            }
    settings.set(
        SETTINGS_KEY,
        {
            "geometry": _encode(window.saveGeometry()),
            "state": _encode(window.saveState()),
            "splitters": splitters,
            "columns": columns,
        },
    )
