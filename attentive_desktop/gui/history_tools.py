"""The history pane's tools row: status class and date filters, and the row actions.

The search box itself is the pane's filter box (full text: endpoint, user, status, account,
OS user, URL and both bodies). This bar adds the status classes (2xx, 4xx, 5xx, network
error) and a date range, and the buttons Replay, Copy as curl, Revert this send…, Export….
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QWidget,
)

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDateEdit

STATUS_BUTTONS = (("2xx", "2xx"), ("4xx", "4xx"), ("5xx", "5xx"), ("Network", "network error"))
RANGES = ("Any time", "Today", "Last 7 days", "Last 30 days", "Custom range")


class HistoryToolsBar(QWidget):
    """Status-class toggles, a date range and the row actions of the history pane.

    Signals: filterChanged(); replayRequested(); copyCurlRequested(); revertRequested();
    exportRequested().
    """

    filterChanged = Signal()
    replayRequested = Signal()
    copyCurlRequested = Signal()
    revertRequested = Signal()
    exportRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyTools")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("Status:", self))
        self.status_buttons: dict[str, QToolButton] = {}
        for text, label in STATUS_BUTTONS:
            button = QToolButton(self)
            button.setText(text)
            button.setCheckable(True)
            button.setObjectName(f"historyStatus{text}")
            button.setAccessibleName(f"Show {label} requests")
            button.setToolTip(f"Show only {label} requests (combine several)")
            button.toggled.connect(lambda _on: self.filterChanged.emit())
            layout.addWidget(button)
            self.status_buttons[label] = button
        layout.addSpacing(12)
        self.range_combo = QComboBox(self)
        self.range_combo.setObjectName("historyDateRange")
        self.range_combo.setAccessibleName("Date range")
        self.range_combo.addItems(list(RANGES))
        date_label = QLabel("&Date:", self)
        date_label.setBuddy(self.range_combo)
        layout.addWidget(date_label)
        layout.addWidget(self.range_combo)
        # The date edits are built when first needed ("Custom range"): they are hidden until
        # then, and two QDateEdits cost start-up time (locale, calendar, formats).
        self._layout = layout
        self._dates: tuple[QDateEdit, QDateEdit] | None = None
        layout.addStretch(1)
        self.replay_button = self._button("Replay", "replayButton", self.replayRequested)
        self.replay_button.setToolTip(
            "Load this request into the lookup form and the editor (nothing is sent)"
        )
        self.curl_button = self._button("Copy as curl", "copyCurlButton", self.copyCurlRequested)
        self.curl_button.setToolTip("Copy a curl command; the key is left as $ATTENTIVE_API_KEY")
        self.revert_button = self._button(
            "Revert this send…", "revertSendButton", self.revertRequested
        )
        self.revert_button.setToolTip("Send back the values this send replaced, after a preview")
        self.export_button = self._button("Export…", "exportHistoryButton", self.exportRequested)
        self.export_button.setToolTip("Save the rows the filter shows as CSV or JSON")
        for button in (self.replay_button, self.curl_button, self.revert_button):
            layout.addWidget(button)
            button.setEnabled(False)
        layout.addWidget(self.export_button)
        self.range_combo.currentIndexChanged.connect(self._range_changed)
        self._range_changed()

    @property
    def from_edit(self) -> QDateEdit:
        """The first day of the custom range (built on first use)."""
        return self._date_edits()[0]

    @property
    def to_edit(self) -> QDateEdit:
        """The last day of the custom range (built on first use)."""
        return self._date_edits()[1]

    def _date_edits(self) -> tuple[QDateEdit, QDateEdit]:
        if self._dates is None:
            today = QDate.currentDate()
            first = self._date_edit("historyDateFrom", "From date", today.addDays(-7))
            last = self._date_edit("historyDateTo", "To date", today)
            at = self._layout.indexOf(self.range_combo) + 1
            self._layout.insertWidget(at, first)
            self._layout.insertWidget(at + 1, last)
            custom = self.range_combo.currentText() == "Custom range"
            first.setVisible(custom)
            last.setVisible(custom)
            first.dateChanged.connect(lambda _d: self.filterChanged.emit())
            last.dateChanged.connect(lambda _d: self.filterChanged.emit())
            self._dates = (first, last)
        return self._dates

    def _date_edit(self, name: str, accessible: str, value: QDate) -> QDateEdit:
        from PySide6.QtWidgets import QDateEdit

        edit = QDateEdit(value, self)
        edit.setObjectName(name)
        edit.setAccessibleName(accessible)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        return edit

    def _button(self, text: str, name: str, signal: Signal) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAccessibleName(text.rstrip("…"))
        button.clicked.connect(signal)
        return button

    def _range_changed(self, *args: object) -> None:
        custom = self.range_combo.currentText() == "Custom range"
        if custom or self._dates is not None:
            for edit in self._date_edits():
                edit.setVisible(custom)
        self.filterChanged.emit()

    def set_row_actions(self, *, has_row: bool, is_send: bool) -> None:
        """Enable the row buttons for the selected row (Revert only for a POST of attributes)."""
        self.replay_button.setEnabled(has_row)
        self.curl_button.setEnabled(has_row)
        self.revert_button.setEnabled(is_send)

    def statuses(self) -> list[str]:
        """The status classes ticked (their HistoryFilter labels)."""
        return [label for label, button in self.status_buttons.items() if button.isChecked()]

    def day_range(self) -> tuple[date, date] | None:
        """The first and last local day shown, or None for any time."""
        choice = self.range_combo.currentText()
        today = date.today()
        if choice == "Today":
            return today, today
        if choice == "Last 7 days":
            return today - timedelta(days=6), today
        if choice == "Last 30 days":
            return today - timedelta(days=29), today
        if choice == "Custom range":
            first = self.from_edit.date().toPython()
            last = self.to_edit.date().toPython()
            return (first, last) if first <= last else (last, first)
        return None

    def current_filter(self, text: str) -> object:
        """The store's HistoryFilter for `text` plus the statuses and dates chosen here."""
        from attentive_desktop.store.history_search import HistoryFilter, local_day_bounds

        since = until = None
        days = self.day_range()
        if days is not None:
            since, until = local_day_bounds(*days)
        return HistoryFilter.make(text, self.statuses(), since, until)
