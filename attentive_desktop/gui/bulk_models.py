"""Table models of the Bulk dialog: the file preview, the dry run's problems, the live results.

No widgets here, and no disk or network: the data arrive from BulkSession's worker jobs. The
live results are in gui/bulk_results.py.

Each model masks phones and emails in what it shows (display, tooltip and accessible text)
while ``set_masked(True)`` is in effect (View ▸ Mask personal data); sorting uses raw values.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from attentive_desktop.gui.bulk_preview import PreviewColumn
from attentive_desktop.gui.cells import DISPLAY, status_foreground

AnyIndex = QModelIndex | QPersistentModelIndex
"""What a model method may be given as an index."""
SortRole = Qt.ItemDataRole.UserRole + 1
"""The raw value a column sorts by (row numbers as ints)."""
StateRole = Qt.ItemDataRole.UserRole + 2
"""A result row's state ("sent", "failed", …), any column."""

_ROLE = Qt.ItemDataRole
_MASKED_ROLES = (DISPLAY, _ROLE.ToolTipRole, _ROLE.AccessibleTextRole)

STATE_LABELS = {
    "pending": "Pending",
    "sent": "Sent",
    "failed": "Failed",
    "skipped-invalid": "Skipped (invalid)",
    "skipped-empty": "Skipped (nothing to send)",
}


class MaskingMixin:
    """Mixin of the models below: the mask state and the live refresh when it changes."""

    _masked = False

    @property
    def masked(self) -> bool:
        """Whether phones and emails are masked in what the model shows."""
        return self._masked

    def set_masked(self, masked: bool) -> None:
        """Mask (or show again) phones and emails in every cell, tooltip and header."""
        model: Any = self
        if bool(masked) == self._masked:
            return
        self._masked = bool(masked)
        rows, columns = model.rowCount(), model.columnCount()
        if rows and columns:
            model.dataChanged.emit(model.index(0, 0), model.index(rows - 1, columns - 1))
        if columns:
            model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, columns - 1)
        if rows:
            model.headerDataChanged.emit(Qt.Orientation.Vertical, 0, rows - 1)

    def _shown(self, value: Any, role: int, identifier: bool = False) -> Any:
        """``value`` as it may be shown in ``role`` (``identifier``: one phone/email as typed)."""
        if not self._masked or role not in _MASKED_ROLES or not isinstance(value, str):
            return value
        from attentive_desktop.core.masking import mask_identifier, mask_text

        return mask_identifier(value) if identifier else mask_text(value)


class PreviewModel(MaskingMixin, QAbstractTableModel):
    """The first rows of the chosen file, as written; the header names each column's part.

    The horizontal header shows the column name over "identifier · phone" or the inferred
    type ("Number", "Boolean", "Date", "Text"; "—" when no row has a value yet).
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._columns: list[PreviewColumn] = []
        self._rows: list[tuple[int, list[str]]] = []

    def set_preview(self, columns: list[PreviewColumn], rows: list[tuple[int, list[str]]]) -> None:
        """Show ``columns`` and ``rows`` ((spreadsheet row number, cells) pairs)."""
        self.beginResetModel()
        self._columns = list(columns)
        self._rows = list(rows)
        self.endResetModel()

    def clear(self) -> None:
        """Show nothing."""
        self.set_preview([], [])

    def column(self, section: int) -> PreviewColumn:
        """The column shown in ``section``."""
        return self._columns[section]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:
        if orientation == Qt.Orientation.Vertical:
            if role == DISPLAY and 0 <= section < len(self._rows):
                return str(self._rows[section][0])
            return None
        if not 0 <= section < len(self._columns):
            return None
        col = self._columns[section]
        if role == DISPLAY:
            what = f"identifier · {col.detail}" if col.role == "identifier" else col.detail
            return self._shown(f"{col.header}\n{what}", role)
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            if col.role == "identifier":
                text = f"Column '{col.header}' identifies the customer ({col.detail})."
            else:
                text = f"Property '{col.header}', values look like {col.detail}."
            return self._shown(text, role)
        return None

    def data(self, index: AnyIndex, role: int = DISPLAY) -> Any:
        if not index.isValid() or role not in (DISPLAY, Qt.ItemDataRole.ToolTipRole):
            return None
        cells = self._rows[index.row()][1]
        if index.column() >= len(cells):
            return ""
        col = self._columns[index.column()] if index.column() < len(self._columns) else None
        identifier = col is not None and col.role == "identifier" and col.detail in _PERSONAL
        return self._shown(cells[index.column()], role, identifier)


_PERSONAL = ("phone", "email")
"""Identifier kinds whose cells are masked whole, as typed (valid or not)."""

PROBLEM_HEADERS = ("Row", "Column", "Severity", "Code", "Problem")


class ProblemsModel(MaskingMixin, QAbstractTableModel):
    """Every problem the dry run found: row, column, severity, code and what to do."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._problems: list[Any] = []

    def set_problems(self, problems: list[Any]) -> None:
        """Show these core.csv_input.Problem objects (in file order)."""
        self.beginResetModel()
        self._problems = list(problems)
        self.endResetModel()

    def problem(self, row: int) -> Any:
        """The Problem on ``row``."""
        return self._problems[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._problems)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(PROBLEM_HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:
        if role == DISPLAY and orientation == Qt.Orientation.Horizontal:
            return PROBLEM_HEADERS[section]
        return None

    def data(self, index: AnyIndex, role: int = DISPLAY) -> Any:
        if not index.isValid():
            return None
        p, column = self._problems[index.row()], index.column()
        cells = ("file" if p.row == 0 else str(p.row), p.column, p.severity, p.code, p.message)
        if role == DISPLAY:
            return self._shown(cells[column], role)
        if role == SortRole:
            return p.row if column == 0 else cells[column]
        if role == Qt.ItemDataRole.ToolTipRole and column == 4:
            return self._shown(p.message, role)
        if role == Qt.ItemDataRole.ForegroundRole and column == 2:
            return status_foreground(p.severity)
        return None


def describe_check(report: Any) -> str:
    """One paragraph about a dry run (core.bulk_rows.CheckReport): rows, problems, counts."""
    counts = ", ".join(f"{code} {n}" for code, n in sorted(report.counts.items()))
    text = (
        f"{report.rows:,} rows: {report.sendable:,} ready to send, {report.invalid:,} invalid, "
        f"{report.empty:,} with nothing to send. {report.errors:,} errors, "
        f"{report.warnings:,} warnings{': ' + counts if counts else ''}."
    )
    if report.header_blocks:
        text += " The header has an error: no row can be sent until it is fixed."
    if report.dropped:
        text += f" The first {len(report.problems):,} problems are listed."
    return text + " Nothing was sent."
