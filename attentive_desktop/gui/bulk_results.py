"""The Bulk dialog's live results: one row per CSV row, and the proxy that sorts and filters them.

The model takes row outcomes one by one but shows them in batches (one insert per
``FLUSH_MS``), so a run of 10,000+ rows never makes the view relayout once per row, and it
answers a repaint with one call into Python per cell (see ResultsFilterProxy.multiData).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)

from attentive_desktop.core._text import clock_text
from attentive_desktop.gui.bulk_models import (
    STATE_LABELS,
    AnyIndex,
    MaskingMixin,
    SortRole,
    StateRole,
)
from attentive_desktop.gui.cells import (
    ALIGNMENT,
    DISPLAY,
    FOREGROUND,
    RIGHT_ALIGNED,
    TOOLTIP,
    answer_roles,
    status_foreground,
)

FLUSH_MS = 250
"""Milliseconds between two inserts into the results table. Each insert repaints the visible
rows; during a run that repaint competes with the sending threads for the GIL."""


RESULT_HEADERS = ("Row", "Identifier", "Status", "Attempts", "Message")


class ResultsModel(MaskingMixin, QAbstractTableModel):
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
        self._cells: dict[tuple[int, int], dict[int, Any]] = {}  # see cell()
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
        self._rows, self._where, self._queue, self._cells = [], {}, [], {}
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
                for column in range(len(RESULT_HEADERS)):
                    self._cells.pop((at, column), None)
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

    def set_masked(self, masked: bool) -> None:
        """As _Masking.set_masked; the cells shown so far are worked out again."""
        self._cells.clear()
        super().set_masked(masked)

    def state_of(self, row: int) -> str:
        """The state shown on ``row``."""
        return str(self._rows[row][2])

    def row_numbers(self, state: str | None = None) -> list[int]:
        """CSV row numbers shown (in ``state`` only, when given), in file order."""
        return sorted(r[0] for r in self._rows if state is None or r[2] == state)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(RESULT_HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:
        if role == DISPLAY and orientation == Qt.Orientation.Horizontal:
            return RESULT_HEADERS[section]
        return None

    def data(self, index: AnyIndex, role: int = DISPLAY) -> Any:
        if not index.isValid():
            return None
        return self.cell(index.row(), index.column()).get(role)

    def cell(self, row: int, column: int) -> dict[int, Any]:
        """Every role's value of one cell (role → value), kept until the row changes: a
        repaint asks for ~7 roles of each visible cell, often during a run."""
        key = (row, column)
        roles = self._cells.get(key)
        if roles is None:
            roles = self._cells[key] = self._roles(self._rows[row], column)
        return roles

    def _roles(self, entry: list[Any], column: int) -> dict[int, Any]:
        if column == 2:
            shown: Any = STATE_LABELS.get(entry[2], entry[2])
        elif column in (0, 3):
            shown = str(entry[column])
        else:
            shown = self._shown(entry[column], DISPLAY, identifier=column == 1)
        roles = {DISPLAY: shown, int(SortRole): entry[column], int(StateRole): entry[2]}
        if column == 4 and entry[4]:
            roles[TOOLTIP] = self._shown(entry[4], TOOLTIP)
        if column == 2 and entry[2] in _BAD:
            roles[FOREGROUND] = status_foreground("error")
        if column in (0, 3):
            roles[ALIGNMENT] = RIGHT_ALIGNED
        return roles


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

    def multiData(self, index: AnyIndex, roleDataSpan: Any) -> None:
        # One call into Python per cell, from the cell cache (see gui/cells.py): repaints of
        # the results table during a run stalled the window 14–20 ms, call by call.
        source = self.mapToSource(index)
        if not source.isValid():
            return
        roles = self.sourceModel().cell(source.row(), source.column())  # type: ignore[attr-defined]
        answer_roles(roleDataSpan, roles.get)

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        if self._state is None:
            return True
        model = self.sourceModel()
        return isinstance(model, ResultsModel) and model.state_of(source_row) == self._state


def format_eta(seconds: float | None) -> str:
    """Seconds as "1:05:09", "4:07" or "—" when unknown."""
    return clock_text(seconds, "—")


def describe_progress(progress: Any) -> str:
    """ "412 of 1,000 rows · 148.2 rows/s · 0:04 left" for a BulkProgress (+ who shares the
    rate limit, + "paused")."""
    text = (
        f"{progress.done:,} of {progress.total:,} rows · {progress.sent:,} sent, "
        f"{progress.failed:,} failed, {progress.skipped:,} skipped · "
        f"{progress.rate:,.1f} rows/s · {format_eta(progress.eta)} left"
    )
    return text + sharing_note(progress.sharing) + (" · paused" if progress.paused else "")


def sharing_note(sharing: int) -> str:
    """Why the rate is lower than usual: other runs on the account on this computer."""
    others = sharing - 1
    if others < 1:
        return ""
    runs = "another bulk run" if others == 1 else f"{others} other bulk runs"
    return f" · the account's rate limit is shared with {runs}"
