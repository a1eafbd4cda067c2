"""The request history dock: a paged table over the SQLite history, a filter and details."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QItemSelection, QModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from attentive_desktop.gui.history_model import OPTIONAL_COLUMNS
from attentive_desktop.gui.history_tools import HistoryToolsBar

FILTER_DELAY_MS = 200


def _pretty(body: str) -> str:
    """Indent JSON bodies for reading; anything else is shown as it is."""
    if not body:
        return "(empty)"
    try:
        return json.dumps(json.loads(body), indent=2, ensure_ascii=False)
    except ValueError:
        return body


def describe_record(record: Any) -> str:
    """The details text for one history row: the request line, status, and both bodies.

    Built from the stored record only, which never holds the API key.
    """
    status = record.status if record.status is not None else "no response"
    lines = [
        f"{record.method} {record.url}",
        f"Status: {status} · {record.duration_ms:.0f} ms · attempt {record.attempt}",
        f"Account: {getattr(record, 'account', '') or '—'} · "
        f"OS user: {getattr(record, 'os_user', '') or '—'}",
    ]
    if record.error:
        lines.append(f"Error: {record.error}")
    lines += ["", "Request body:", _pretty(record.request_body)]
    lines += ["", "Response body:", _pretty(record.response_body)]
    return "\n".join(lines)


class HistoryPane(QDockWidget):
    """Every request the app made (newest first), filterable, with the bodies of the selected
    one. "Clear history" asks first. The rows live in SQLite, so they survive a restart."""

    def __init__(self, model: Any, proxy: Any, service: Any, parent: QWidget | None = None) -> None:
        super().__init__("Request history", parent)
        self.setObjectName("historyDock")
        self.setAccessibleName("Request history")
        self.model = model
        self.proxy = proxy
        self._service = service

        body = QWidget(self)
        self.filter_edit = QLineEdit(body)
        self.filter_edit.setObjectName("historyFilter")
        self.filter_edit.setAccessibleName("Filter history")
        self.filter_edit.setPlaceholderText(
            "Search endpoint, user, status, account or bodies (Ctrl+F)"
        )
        self.filter_edit.setClearButtonEnabled(True)
        self.count_label = QLabel(body)
        self.count_label.setObjectName("historyCount")
        self.clear_button = QPushButton("Clear history…", body)
        self.clear_button.setObjectName("clearHistoryButton")
        self.clear_button.setAccessibleName("Clear history")
        filter_label = QLabel("&Filter:", body)
        filter_label.setBuddy(self.filter_edit)  # names the field for screen readers; Alt+F
        top = QHBoxLayout()
        top.addWidget(filter_label)
        top.addWidget(self.filter_edit, 1)
        top.addWidget(self.count_label)
        top.addWidget(self.clear_button)

        self.tools = HistoryToolsBar(body)
        self.table = QTableView(body)
        self.table.setObjectName("historyTable")
        self.table.setAccessibleName("History")
        self.table.setModel(proxy)
        # No sort indicator until the user asks: the model's own order is newest first. A
        # header click sorts the whole history in the database (HistoryFilterProxy.sort); a
        # third click on the same header clears the sort, back to newest first.
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.horizontalHeader().setSortIndicatorClearable(True)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab moves on to the details, not cell to cell
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(22)
        # Uniform row heights: a page of 200 new rows needs no per-row size bookkeeping.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate((150, 60, 150, 130, 55, 75, 65)):
            self.table.setColumnWidth(column, width)
        header.setSortIndicatorShown(True)
        for column in OPTIONAL_COLUMNS:
            if column < model.columnCount():
                self.table.setColumnHidden(column, True)

        self.details = QPlainTextEdit(body)
        self.details.setObjectName("historyDetails")
        self.details.setAccessibleName("Request and response")
        self.details.setReadOnly(True)
        # The fixed-width font is set with the first body shown (the placeholder reads fine in
        # the UI font): looking it up costs start-up time the first frame need not pay.
        self._fixed_font = False
        self.details.setPlaceholderText("Select a request to see what was sent and received.")

        self.splitter = QSplitter(Qt.Orientation.Horizontal, body)
        self.splitter.setObjectName("historySplitter")
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.details)
        # Two thirds for the table: its eight columns fit without scrolling at the default
        # window width; the details pane wraps what it shows.
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 1)

        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 4, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.tools)
        layout.addWidget(self.splitter, 1)
        self.setWidget(body)

        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self.apply_filter)
        self.filter_edit.textChanged.connect(self._filter_timer.start)
        self.filter_edit.returnPressed.connect(self.apply_filter)
        self.clear_button.clicked.connect(self.ask_clear)
        self.tools.filterChanged.connect(self._filter_timer.start)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.selectionModel().currentRowChanged.connect(self._current_row_changed)
        for signal in (model.rowsInserted, model.rowsRemoved, model.modelReset):
            signal.connect(self._update_count)
        if hasattr(model, "totalChanged"):
            model.totalChanged.connect(self._update_count)
        service.cleared.connect(self.details.clear)  # the model reloads by itself
        self._update_count()

    def focus_filter(self) -> None:
        """Show the pane and put the cursor in the filter box."""
        self.show()
        self.raise_()
        self.filter_edit.setFocus()
        self.filter_edit.selectAll()

    def apply_filter(self) -> None:
        """Reload the history with the filter text (runs in the history worker)."""
        self._filter_timer.stop()
        text = self.filter_edit.text().strip()
        if hasattr(self.model, "set_history_filter"):
            self.model.set_history_filter(self.tools.current_filter(text))
        else:
            self.model.set_filter(text)

    def focus_on_hiding(self, target: QWidget) -> None:
        """When the user hides the pane (its toggle, Ctrl+H) while it holds the focus, give
        the focus to ``target`` rather than let Qt pass it to whatever follows the pane."""
        self._focus_target = target
        # toggled comes before the pane acts on it: the focus is still inside then.
        self.toggleViewAction().toggled.connect(self._toggled)

    def _toggled(self, shown: bool) -> None:
        target = getattr(self, "_focus_target", None)
        if shown or target is None or not (isValid(self) and isValid(target)):
            return  # shown, or the window is being destroyed
        focus = self.window().focusWidget()
        if focus is not None and self.isAncestorOf(focus):
            target.setFocus()

    def _current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        # Tabbing into the table makes a row current without selecting it: select it, so the
        # details show it as they do for a click or an arrow key.
        selection = self.table.selectionModel()
        if self.table.hasFocus() and current.isValid() and not selection.hasSelection():
            self.table.selectRow(current.row())

    def _selection_changed(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        self.show_selected()

    def show_selected(self) -> None:
        """Show the selected row's request and response bodies in the details view."""
        record = self.selected_record()
        self.tools.set_row_actions(
            has_row=record is not None,
            is_send=record is not None
            and record.method == "POST"
            and record.endpoint == "/attributes/custom",
        )
        if record is None:
            self.details.clear()
            return
        text = describe_record(record)
        if getattr(self.model, "masked", False):
            from attentive_desktop.core.masking import mask_text

            text = mask_text(text)
        if not self._fixed_font:
            from PySide6.QtGui import QFontDatabase

            self._fixed_font = True
            self.details.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.details.setPlainText(text)

    def selected_record(self) -> Any:
        """The HistoryRecord of the selected row (with its bodies), or None."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.record_at(self.proxy.mapToSource(rows[0]).row())

    def ask_clear(self) -> None:
        """Ask, then delete every history row."""
        from attentive_desktop.gui.dialogs import confirm  # loaded on first use

        confirm(
            self,
            object_name="clearHistoryConfirm",
            title="Clear history",
            text="Delete every request in the history? This cannot be undone.",
            yes_text="Clear history",
            on_yes=self._service.clear,
        )

    def _update_count(self, *args: object) -> None:
        rows = self.model.rowCount()
        total = getattr(self.model, "total", None)
        shown = total if isinstance(total, int) and total >= rows else rows
        self.count_label.setText(f"{shown} request{'s' if shown != 1 else ''}")
