"""The proxy between the history table and its view: sorting is passed on to the model."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QSortFilterProxyModel, Qt

from attentive_desktop.gui.cells import answer_roles
from attentive_desktop.gui.history_model import HistoryTableModel, SortRole

if TYPE_CHECKING:
    from attentive_desktop.store.history import HistoryRecord

_Index = QModelIndex | QPersistentModelIndex


class HistoryFilterProxy(QSortFilterProxyModel):
    """The view's window on a HistoryTableModel.

    Filtering and sorting happen in HistoryTableModel, in the database, so they cover every
    row and not only the pages loaded: `sort` (a header click) is passed on to it and the
    proxy keeps its order. Over any other model the proxy sorts by raw values (SortRole).
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(SortRole)
        self.setDynamicSortFilter(True)

    def multiData(self, index: _Index, roleDataSpan: Any) -> None:
        # One call into Python per cell, not per role (see gui/cells.py).
        source, model = self.mapToSource(index), self.sourceModel()
        answer_roles(roleDataSpan, lambda role: model.data(source, role))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        model = self.sourceModel()
        if isinstance(model, HistoryTableModel):
            model.sort(column, order)
        else:
            super().sort(column, order)

    def record_at(self, row: int) -> HistoryRecord | None:
        """The record on a proxy row, or None."""
        source = self.mapToSource(self.index(row, 0))
        model = self.sourceModel()
        if not source.isValid() or not isinstance(model, HistoryTableModel):
            return None
        return model.record_at(source.row())
