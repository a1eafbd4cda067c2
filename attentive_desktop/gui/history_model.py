"""The request history as a lazily paged table model (its view's proxy: history_proxy.py)."""

from __future__ import annotations

import string
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
    Slot,
)

from attentive_desktop.gui.cells import (
    ACCESSIBLE,
    ALIGNMENT,
    DISPLAY,
    FOREGROUND,
    RIGHT_ALIGNED,
    TOOLTIP,
    status_foreground,
)
from attentive_desktop.gui.history_match import record_matches
from attentive_desktop.store.history_order import NEWEST_FIRST, HistoryOrder

if TYPE_CHECKING:
    from attentive_desktop.gui.history_service import HistoryService
    from attentive_desktop.store.history import HistoryRecord
    from attentive_desktop.store.history_search import HistoryFilter


PAGE_SIZE = 200
TIME, METHOD, ENDPOINT, USER, STATUS, DURATION, ATTEMPTS, USER_AGENT, ACCOUNT, OS_USER = range(10)
HEADERS = (
    "Time",
    "Method",
    "Endpoint",
    "User",
    "Status",
    "Duration",
    "Attempts",
    "User agent",
    "Account",
    "OS user",
)
SORT_COLUMNS = (
    "time",
    "method",
    "endpoint",
    "user",
    "status",
    "duration",
    "attempts",
    "user_agent",
    "account",
    "os_user",
)
"""The HistoryOrder column of each table column."""
OPTIONAL_COLUMNS = (ACCOUNT, OS_USER)
"""Columns the history pane hides until the user asks for them (header context menu)."""
_MASKED_ROLES = (
    Qt.ItemDataRole.DisplayRole,
    Qt.ItemDataRole.ToolTipRole,
    Qt.ItemDataRole.AccessibleTextRole,
)

RecordRole = Qt.ItemDataRole.UserRole + 1
"""HistoryRecord of the row, any column."""
SortRole = Qt.ItemDataRole.UserRole + 2
"""The raw value a column sorts by (epoch seconds, status code or -1, milliseconds, …)."""

_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
_Index = QModelIndex | QPersistentModelIndex


def matches_filter(record: HistoryRecord, text: str) -> bool:
    """The store's filter rule for one record: ASCII case-insensitive substring of method,
    endpoint, user, status or account (so live rows obey the filter the pages obey)."""
    needle = text.strip().translate(_ASCII_LOWER)
    if not needle:
        return True
    status = "" if record.status is None else str(record.status)
    fields = (record.method, record.endpoint, record.user, status, record.account)
    return any(needle in field.translate(_ASCII_LOWER) for field in fields)


def status_text(record: HistoryRecord) -> str:
    """The status code, "network error" when no response came back, or "—"."""
    if record.status is not None:
        return str(record.status)
    return "network error" if record.error else "—"


@lru_cache(maxsize=8192)
def local_time(started_at: float) -> str:
    """Epoch seconds as local date and time, "2024-05-01 14:03:07" (cached: the view asks
    for the visible rows' text on every repaint)."""
    return datetime.fromtimestamp(started_at).strftime("%Y-%m-%d %H:%M:%S")


class HistoryTableModel(QAbstractTableModel):
    """Request history, newest first, loaded page by page (200 rows) through a HistoryService.

    Nothing here touches the database: pages and counts are requested from the service and
    arrive as signals. A filter or sort change starts a new generation; pages of older
    generations are dropped. `sort` orders the whole history in the database, not the rows
    loaded so far. Live rows come in with `prepend(record)`, obey the active filter and land
    where the order puts them.

    Signals:
        totalChanged(int): rows matching the filter (-1 while unknown)
        loadingChanged(bool): a page request is in flight / none is
    """

    totalChanged = Signal(int)
    loadingChanged = Signal(bool)

    def __init__(self, service: HistoryService, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._rows: list[HistoryRecord] = []
        self._ids: set[int] = set()
        self._filter = ""
        self._history_filter: HistoryFilter | None = None
        self._masked = False
        self._order = NEWEST_FIRST
        self._arrived_while_loading: list[HistoryRecord] = []
        self._generation = 0
        self._loading = False
        self._exhausted = False
        self._total = -1
        service.pageLoaded.connect(self._on_page)
        service.countLoaded.connect(self._on_count)
        service.cleared.connect(self.refresh)
        self.refresh()

    # --- public API -----------------------------------------------------------------------

    @property
    def total(self) -> int:
        """How many records match the filter (-1 until the count has arrived)."""
        return self._total

    @property
    def loading(self) -> bool:
        """True while a page request is in flight."""
        return self._loading

    def filter_text(self) -> str:
        """The active filter ("" for none)."""
        return self._filter

    def set_filter(self, text: str) -> None:
        """Show only records matching `text` (reloads from the first page, even if unchanged)."""
        self._filter = (text or "").strip()
        self._history_filter = None
        self.refresh()

    def set_history_filter(self, flt: HistoryFilter | None) -> None:
        """Show only records matching the history-tools filter (full text over bodies too,
        status class, dates, account); None goes back to no filter. Reloads, off-thread."""
        self._history_filter = None if flt is None or flt.is_empty else flt
        self._filter = flt.text if flt is not None else ""
        self.refresh()

    @property
    def order(self) -> HistoryOrder:
        """The order the rows are listed in (newest first until `sort` is called)."""
        return self._order

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """List the whole history by `column` (-1: newest first), reloading from the top."""
        if 0 <= column < len(SORT_COLUMNS):
            wanted = HistoryOrder(SORT_COLUMNS[column], order == Qt.SortOrder.DescendingOrder)
        else:
            wanted = NEWEST_FIRST
        if wanted != self._order:
            self._order = wanted
            self.refresh()

    def history_filter(self) -> HistoryFilter | None:
        """The active history-tools filter, or None (plain text filter or none)."""
        return self._history_filter

    @property
    def masked(self) -> bool:
        """Whether phones and emails are masked in what the model shows."""
        return self._masked

    def set_masked(self, masked: bool) -> None:
        """Mask (or show again) phones and emails in every displayed cell and tooltip."""
        if masked != self._masked:
            self._masked = masked
            if self._rows:
                last = self.index(len(self._rows) - 1, len(HEADERS) - 1)
                self.dataChanged.emit(self.index(0, 0), last)

    def refresh(self) -> None:
        """Drop the loaded rows and load the first page and the count again."""
        self._generation += 1
        self.beginResetModel()
        self._rows = []
        self._ids = set()
        self._exhausted = False
        self.endResetModel()
        self._set_total(-1)
        self._set_loading(False)
        if self._history_filter is not None:
            self._service.request_count_matching(self._history_filter, generation=self._generation)
        else:
            self._service.request_count(self._filter or None, generation=self._generation)
        self._request_page()

    def prepend(self, record: HistoryRecord) -> None:
        """Show a record just stored (newest), unless the filter hides it or it is shown."""
        if record.id in self._ids:
            return
        if self._history_filter is not None:
            if not record_matches(record, self._history_filter):
                return
        elif not matches_filter(record, self._filter):
            return
        before = self._order.comes_before
        position = next((i for i, r in enumerate(self._rows) if before(record, r)), None)
        if position is None:
            if self._loading:
                # The page on its way may have been read before this record was stored:
                # place it again once the page is in.
                self._arrived_while_loading.append(record)
                return
            if not self._exhausted:
                return  # listed below everything loaded: a later page brings it
            position = len(self._rows)
        self.beginInsertRows(QModelIndex(), position, position)
        self._rows.insert(position, record)
        self._ids.add(record.id)
        self.endInsertRows()
        if self._total >= 0:
            self._set_total(self._total + 1)

    def record_at(self, row: int) -> HistoryRecord | None:
        """The record shown on `row` (with bodies), or None when out of range."""
        return self._rows[row] if 0 <= row < len(self._rows) else None

    # --- Qt model interface ---------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def canFetchMore(self, parent: _Index) -> bool:
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: _Index) -> None:
        if not parent.isValid():
            self._request_page()

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return HEADERS[section] if 0 <= section < len(HEADERS) else None
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        record, column = self._rows[index.row()], index.column()
        if self._masked and role in _MASKED_ROLES:
            from attentive_desktop.core.masking import mask_text

            value = self._data(record, column, role)
            return mask_text(value) if isinstance(value, str) else value
        return self._data(record, column, role)

    def _data(self, record: HistoryRecord, column: int, role: int) -> Any:
        if role == DISPLAY:
            return _display(record, column)
        if role == SortRole:
            return _sort_key(record, column)
        if role == RecordRole:
            return record
        if role == TOOLTIP:
            return _tooltip(record, column)
        if role == ACCESSIBLE:
            return f"{HEADERS[column]}: {_display(record, column)}"
        if role == ALIGNMENT and column in (STATUS, DURATION, ATTEMPTS):
            return RIGHT_ALIGNED
        if role == FOREGROUND and column == STATUS:
            failed = record.status is None or record.status >= 400
            return status_foreground("error") if failed else None
        return None

    # --- internals ------------------------------------------------------------------------

    def _request_page(self) -> None:
        if self._loading or self._exhausted:
            return
        self._set_loading(True)
        self._service.request_ordered_page(
            self._order,
            self._rows[-1] if self._rows else None,
            PAGE_SIZE,
            text=self._filter or None,
            flt=self._history_filter,
            generation=self._generation,
            offset=len(self._rows),
        )

    @Slot(int, int, object)
    def _on_page(self, generation: int, offset: int, records: object) -> None:
        if generation != self._generation:
            return  # a page for an older filter
        page = list(records)  # type: ignore[call-overload]
        fresh = [r for r in page if r.id not in self._ids]
        if fresh:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
            self._rows.extend(fresh)
            self._ids.update(r.id for r in fresh)
            self.endInsertRows()
        if len(page) < PAGE_SIZE:
            self._exhausted = True
            self._set_total(len(self._rows))
        self._set_loading(False)
        arrived, self._arrived_while_loading = self._arrived_while_loading, []
        for record in arrived:
            if record.id not in self._ids:
                self.prepend(record)

    @Slot(int, int)
    def _on_count(self, generation: int, count: int) -> None:
        if generation == self._generation and not self._exhausted:
            self._set_total(max(count, len(self._rows)))

    def _set_total(self, total: int) -> None:
        if total != self._total:
            self._total = total
            self.totalChanged.emit(total)

    def _set_loading(self, loading: bool) -> None:
        if loading != self._loading:
            self._loading = loading
            self.loadingChanged.emit(loading)


def _display(record: HistoryRecord, column: int) -> str:
    if column == TIME:
        return local_time(record.started_at)
    if column == METHOD:
        return record.method
    if column == ENDPOINT:
        return record.endpoint
    if column == USER:
        return record.user
    if column == STATUS:
        return status_text(record)
    if column == DURATION:
        return f"{record.duration_ms:,.0f} ms"
    if column == ATTEMPTS:
        return str(record.attempt)
    if column == ACCOUNT:
        return record.account
    if column == OS_USER:
        return record.os_user
    return record.user_agent


def _sort_key(record: HistoryRecord, column: int) -> Any:
    if column == TIME:
        return record.started_at
    if column == STATUS:
        return -1 if record.status is None else record.status
    if column == DURATION:
        return record.duration_ms
    if column == ATTEMPTS:
        return record.attempt
    return _display(record, column)


def _tooltip(record: HistoryRecord, column: int) -> str | None:
    if column == TIME:
        return datetime.fromtimestamp(record.started_at).astimezone().isoformat(timespec="seconds")
    if column == STATUS and record.error:
        return record.error
    if column in (ENDPOINT, USER_AGENT):
        return record.url if column == ENDPOINT else record.user_agent
    return None
