"""Table models of the Bulk dialog: the file preview, the dry run's problems, the live results.

No widgets here, and no disk or network: the data arrive from BulkSession's worker jobs. The
results model takes row outcomes one by one but shows them in batches (one insert per
``FLUSH_MS``), so a run of 10,000+ rows never makes the view relayout once per row.

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
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from attentive_desktop.core._text import clock_text
from attentive_desktop.gui.bulk_preview import PreviewColumn

FLUSH_MS = 100
_Index = QModelIndex | QPersistentModelIndex
_DISPLAY = Qt.ItemDataRole.DisplayRole
_ERROR_COLOUR = "#c62828"
_WARNING_COLOUR = "#a15c00"
SortRole = Qt.ItemDataRole.UserRole + 1
"""The raw value a column sorts by (row numbers as ints)."""
StateRole = Qt.ItemDataRole.UserRole + 2
"""A result row's state ("sent", "failed", …), any column."""

_ROLE = Qt.ItemDataRole
_MASKED_ROLES = (_DISPLAY, _ROLE.ToolTipRole, _ROLE.AccessibleTextRole)

STATE_LABELS = {
    "pending": "Pending",
    "sent": "Sent",
    "failed": "Failed",
    "skipped-invalid": "Skipped (invalid)",
    "skipped-empty": "Skipped (nothing to send)",
}


class _Masking:
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


class PreviewModel(_Masking, QAbstractTableModel):
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

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        if orientation == Qt.Orientation.Vertical:
            if role == _DISPLAY and 0 <= section < len(self._rows):
                return str(self._rows[section][0])
            return None
        if not 0 <= section < len(self._columns):
            return None
        col = self._columns[section]
        if role == _DISPLAY:
            what = f"identifier · {col.detail}" if col.role == "identifier" else col.detail
            return self._shown(f"{col.header}\n{what}", role)
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            if col.role == "identifier":
                text = f"Column '{col.header}' identifies the customer ({col.detail})."
            else:
                text = f"Property '{col.header}', values look like {col.detail}."
            return self._shown(text, role)
        return None

    def data(self, index: _Index, role: int = _DISPLAY) -> Any:
        if not index.isValid() or role not in (_DISPLAY, Qt.ItemDataRole.ToolTipRole):
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


class ProblemsModel(_Masking, QAbstractTableModel):
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

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._problems)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(PROBLEM_HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        if role == _DISPLAY and orientation == Qt.Orientation.Horizontal:
            return PROBLEM_HEADERS[section]
        return None

    def data(self, index: _Index, role: int = _DISPLAY) -> Any:
        if not index.isValid():
            return None
        p, column = self._problems[index.row()], index.column()
        cells = ("file" if p.row == 0 else str(p.row), p.column, p.severity, p.code, p.message)
        if role == _DISPLAY:
            return self._shown(cells[column], role)
        if role == SortRole:
            return p.row if column == 0 else cells[column]
        if role == Qt.ItemDataRole.ToolTipRole and column == 4:
            return self._shown(p.message, role)
        if role == Qt.ItemDataRole.ForegroundRole and column == 2:
            colour = {"error": _ERROR_COLOUR, "warning": _WARNING_COLOUR}.get(p.severity)
            return QBrush(QColor(colour)) if colour else None
        return None


def describe_check(report: Any) -> str:
    """One paragraph about a dry run (core.bulk_rows.CheckReport): rows, problems, counts."""
    counts = ", ".join(f"{code} {n}" for code, n in sorted(report.counts.items()))
    text = (
        f"{report.rows:,} rows: {report.sendable:,} ready to send, {report.invalid:,} invalid, "
        f"{report.empty:,} with nothing to send. {report.errors:,} errors, "
        f"{report.warnings:,} warnings{': ' + counts if counts else ''}."
    )
    if report.dropped:
        text += f" The first {len(report.problems):,} problems are listed."
    return text + " Nothing was sent."


RESULT_HEADERS = ("Row", "Identifier", "Status", "Attempts", "Message")


class ResultsModel(_Masking, QAbstractTableModel):
    """The rows of the run so far, one per CSV row, updated as their outcomes come in.

    ``add_outcome`` only queues (call it as often as rows finish); a timer applies the queue
    every FLUSH_MS with one insert for the new rows and one dataChanged for updated ones.
    ``flush()`` applies it at once. A row seen again (a failed row sent on a rerun) is updated
    in place. Signals: countsChanged(dict state → rows).
    """

    countsChanged = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[list[Any]] = []  # [row_no, label, state, attempts, message]
        self._where: dict[int, int] = {}  # row_no → index in _rows
        self._queue: list[Any] = []
        self._counts: dict[str, int] = dict.fromkeys(STATE_LABELS, 0)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(FLUSH_MS)
        self._timer.timeout.connect(self.flush)

    @property
    def counts(self) -> dict[str, int]:
        """Rows shown in each state."""
        return dict(self._counts)

    def add_outcome(self, outcome: Any) -> None:
        """Queue a RowOutcome (or journal row: row_no, label, state, attempts, message)."""
        self._queue.append(outcome)
        if not self._timer.isActive():
            self._timer.start()

    def add_outcomes(self, outcomes: list[Any]) -> None:
        """Queue many outcomes at once."""
        self._queue.extend(outcomes)
        if not self._timer.isActive():
            self._timer.start()

    def clear(self) -> None:
        """Forget every row (and anything queued)."""
        self._timer.stop()
        self.beginResetModel()
        self._rows, self._where, self._queue = [], {}, []
        self._counts = dict.fromkeys(STATE_LABELS, 0)
        self.endResetModel()
        self.countsChanged.emit(self.counts)

    def flush(self) -> None:
        """Apply the queued outcomes now."""
        self._timer.stop()
        queue, self._queue = self._queue, []
        if not queue:
            return
        new: list[list[Any]] = []
        fresh: dict[int, int] = {}
        changed_lo, changed_hi = len(self._rows), -1
        for o in queue:
            entry = [o.row_no, o.label, o.state, o.attempts, o.message]
            at = self._where.get(o.row_no)
            if at is not None:
                self._counts[self._rows[at][2]] -= 1
                self._rows[at] = entry
                changed_lo, changed_hi = min(changed_lo, at), max(changed_hi, at)
            elif o.row_no in fresh:
                self._counts[new[fresh[o.row_no]][2]] -= 1
                new[fresh[o.row_no]] = entry
            else:
                fresh[o.row_no] = len(new)
                new.append(entry)
            self._counts[o.state] = self._counts.get(o.state, 0) + 1
        if changed_hi >= 0:
            last = len(RESULT_HEADERS) - 1
            self.dataChanged.emit(self.index(changed_lo, 0), self.index(changed_hi, last))
        if new:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
            self._rows.extend(new)
            self._where.update({e[0]: first + i for i, e in enumerate(new)})
            self.endInsertRows()
        self.countsChanged.emit(self.counts)

    def state_of(self, row: int) -> str:
        """The state shown on ``row``."""
        return str(self._rows[row][2])

    def row_numbers(self, state: str | None = None) -> list[int]:
        """CSV row numbers shown (in ``state`` only, when given), in file order."""
        return sorted(r[0] for r in self._rows if state is None or r[2] == state)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(RESULT_HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        if role == _DISPLAY and orientation == Qt.Orientation.Horizontal:
            return RESULT_HEADERS[section]
        return None

    def data(self, index: _Index, role: int = _DISPLAY) -> Any:
        if not index.isValid():
            return None
        entry, column = self._rows[index.row()], index.column()
        if role == _DISPLAY:
            if column == 2:
                return STATE_LABELS.get(entry[2], entry[2])
            if column in (0, 3):
                return str(entry[column])
            return self._shown(entry[column], role, identifier=column == 1)
        if role == SortRole:
            return entry[column]
        if role == StateRole:
            return entry[2]
        if role == Qt.ItemDataRole.ToolTipRole and column == 4 and entry[4]:
            return self._shown(entry[4], role)
        if role == Qt.ItemDataRole.ForegroundRole and column == 2:
            return QBrush(QColor(_ERROR_COLOUR)) if entry[2] in _BAD else None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (0, 3):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


_BAD = frozenset({"failed", "skipped-invalid"})


class ResultsFilterProxy(QSortFilterProxyModel):
    """Sorts results by raw values and shows only rows in one state (``set_state``)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._state: str | None = None
        self.setSortRole(SortRole)

    def set_state(self, state: str | None) -> None:
        """Show rows in ``state`` only; None shows all."""
        if hasattr(self, "beginFilterChange"):  # Qt >= 6.10
            self.beginFilterChange()
            self._state = state or None
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self._state = state or None
            self.invalidateRowsFilter()

    def state(self) -> str | None:
        """The state shown (None: all)."""
        return self._state

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        if self._state is None:
            return True
        model = self.sourceModel()
        return isinstance(model, ResultsModel) and model.state_of(source_row) == self._state


def format_eta(seconds: float | None) -> str:
    """Seconds as "1:05:09", "4:07" or "—" when unknown."""
    return clock_text(seconds, "—")


def describe_progress(progress: Any) -> str:
    """ "412 of 1,000 rows · 148.2 rows/s · 0:04 left" for a BulkProgress (+ "paused")."""
    text = (
        f"{progress.done:,} of {progress.total:,} rows · {progress.sent:,} sent, "
        f"{progress.failed:,} failed, {progress.skipped:,} skipped · "
        f"{progress.rate:,.1f} rows/s · {format_eta(progress.eta)} left"
    )
    return text + (" · paused" if progress.paused else "")
