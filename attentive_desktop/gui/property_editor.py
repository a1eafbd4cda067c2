"""The attribute editor: the table, its row buttons, the check summary and the Send area."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from attentive_desktop.gui.property_view import (
    NAME_COLUMN,
    PropertyDelegate,
    PropertyTableView,
)
from attentive_desktop.gui.row_undo import RowUndo
from attentive_desktop.gui.theme import set_status_text


def _button(parent: QWidget, text: str, name: str, tip: str = "") -> QPushButton:
    button = QPushButton(text, parent)
    button.setObjectName(name)
    button.setAccessibleName(text.replace("&", "").rstrip("…"))
    if tip:
        button.setToolTip(tip)
    return button


class PropertyEditor(QWidget):
    """Name | Value | Type | Current | Check over a PropertyTableModel, with Send and Cancel.

    Errors found by core validation disable Send and are listed under the table; each sits
    in the Check column beside its cell. Signals: sendRequested(), cancelRequested(),
    showRequestRequested(), sendingChanged(bool sending), cancellableChanged(bool) (a request
    is running that Cancel stops).
    """

    sendingChanged = Signal(bool)
    cancellableChanged = Signal(bool)
    sendRequested = Signal()
    cancelRequested = Signal()
    showRequestRequested = Signal()

    def __init__(
        self,
        model: Any,
        allowed_values: Callable[[str], tuple[str, ...] | None],
        known_names: Callable[[], Iterable[str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("propertyEditor")
        self.model = model
        self.row_undo = RowUndo(model, self)  # Edit ▸ Undo (gui/menus.py)
        self._sending = False
        self._lookup_running = False

        title = QLabel("<b>Attributes</b>", self)
        title.setObjectName("attributesTitle")
        self.add_button = _button(self, "Add row", "addRowButton", "Add an attribute (Ctrl+N)")
        self.remove_button = _button(
            self, "Remove row", "removeRowButton", "Remove the selected rows (Ctrl+Delete)"
        )
        self.paste_button = _button(
            self,
            "Paste rows",
            "pasteRowsButton",
            "Add one row per clipboard line: Name<Tab>Value or Name=Value",
        )
        self.show_request_button = _button(
            self, "Show request…", "showRequestButton", "The exact JSON that Send posts"
        )
        row_bar = QHBoxLayout()
        row_bar.addWidget(title)
        row_bar.addStretch(1)
        for button in (
            self.add_button,
            self.remove_button,
            self.paste_button,
            self.show_request_button,
        ):
            row_bar.addWidget(button)

        self.table = PropertyTableView(self)
        self.table.setModel(model)
        self.delegate = PropertyDelegate(allowed_values, known_names, self.table)
        self.table.setItemDelegate(self.delegate)

        self.check_label = QLabel(self)
        self.check_label.setObjectName("checkSummary")
        self.check_label.setAccessibleName("Check summary")
        self.check_label.setWordWrap(True)
        self.check_label.hide()

        self.target_label = QLabel(self)
        self.target_label.setObjectName("writingToLabel")
        self.target_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.target_label.font()
        font.setBold(True)
        self.target_label.setFont(font)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("sendProgress")
        self.progress.setAccessibleName("Sending progress")
        self.progress.setRange(0, 0)  # busy indicator
        self.progress.setMaximumWidth(120)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.send_button = _button(
            self, "Send", "sendButton", "Send these attributes to Attentive (Ctrl+Return)"
        )
        self.send_button.setMinimumWidth(110)
        self.cancel_button = _button(
            self, "Cancel", "cancelButton", "Stop the request in progress (Esc)"
        )
        self.cancel_button.setEnabled(False)
        send_bar = QHBoxLayout()
        send_bar.addWidget(self.target_label, 1)
        send_bar.addWidget(self.progress)
        send_bar.addWidget(self.send_button)
        send_bar.addWidget(self.cancel_button)

        self.result_label = QLabel(self)
        self.result_label.setObjectName("sendStatus")
        self.result_label.setAccessibleName("Send result")
        self.result_label.setWordWrap(True)
        self.result_label.hide()

        layout = QVBoxLayout(self)
        layout.addLayout(row_bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.check_label)
        layout.addLayout(send_bar)
        layout.addWidget(self.result_label)

        self.add_button.clicked.connect(self.add_row)
        self.remove_button.clicked.connect(self.remove_selected_rows)
        self.paste_button.clicked.connect(self.table.paste_from_clipboard)
        self.show_request_button.clicked.connect(self.showRequestRequested)
        self.send_button.clicked.connect(self.sendRequested)
        self.cancel_button.clicked.connect(self.cancelRequested)
        model.findingsChanged.connect(self.refresh_checks)
        model.modelReset.connect(self.refresh_checks)
        self.setTabOrder(self.add_button, self.remove_button)
        self.setTabOrder(self.remove_button, self.paste_button)
        self.setTabOrder(self.paste_button, self.show_request_button)
        self.setTabOrder(self.show_request_button, self.table)
        self.setTabOrder(self.table, self.send_button)
        self.setTabOrder(self.send_button, self.cancel_button)
        self.refresh_checks()

    def add_row(self) -> None:
        """Add an empty row (above a lookup's rows) and start editing its name."""
        index = self.model.index(self.model.add_row(), NAME_COLUMN)
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)
        self.table.setFocus()
        self.table.edit(index)

    def remove_selected_rows(self) -> None:
        """Remove the selected rows (or the current one)."""
        rows = self.table.selected_rows()
        if rows:
            self.model.remove_rows(rows)

    def refresh_checks(self, *args: object) -> None:
        """Recount errors and warnings; errors disable Send."""
        findings = self.model.findings()
        errors = [f for f in findings if f.severity.value == "error"]
        warnings = [f for f in findings if f.severity.value == "warning"]
        if errors:
            first = errors[0].message
            more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
            set_status_text(self.check_label, f"Fix before sending: {first}{more}", "error")
        elif warnings:
            noun = "warning" if len(warnings) == 1 else "warnings"
            set_status_text(
                self.check_label,
                f"{len(warnings)} {noun} to confirm when you send: {warnings[0].message}",
                "warning",
            )
        else:
            set_status_text(self.check_label, "")
        self._update_send()

    def _update_send(self) -> None:
        can_send = (
            not self._sending and bool(self.model.properties()) and not self.model.has_errors()
        )
        can_cancel = self._sending or self._lookup_running
        # Hand the focus between Send and Cancel as they swap, rather than let Qt move it off
        # the disabled one to whatever comes next in the window (the history filter). The
        # window's focus widget, as the preview dialog may be the active window meanwhile.
        focus = self.window().focusWidget()
        if can_cancel and focus is self.send_button and not can_send:
            self.cancel_button.setEnabled(True)
            self.cancel_button.setFocus()
        elif not can_cancel and focus is self.cancel_button:
            self.send_button.setEnabled(can_send)
            (self.send_button if can_send else self.table).setFocus()
        self.send_button.setEnabled(can_send)
        if can_cancel != self.cancel_button.isEnabled():
            self.cancellableChanged.emit(can_cancel)
        self.cancel_button.setEnabled(can_cancel)

    def commit_edit(self) -> None:
        """Keep a value still being typed in a cell (see PropertyTableView.commit_edit)."""
        self.table.commit_edit()

    def set_lookup_running(self, running: bool) -> None:
        """Cancel stops a lookup too (it stops whatever request is in progress)."""
        self._lookup_running = running
        self._update_send()

    @property
    def target(self) -> str:
        """The "Writing to: …" line beside Send, as shown."""
        return self.target_label.text()

    def set_target(self, text: str) -> None:
        """The "Writing to: <company> (<domain>)" line beside Send."""
        self.target_label.setText(text)
        self.target_label.setAccessibleName(text)

    def set_sending(self, sending: bool) -> None:
        """Show progress on the Send button while a send (and its re-read) runs."""
        if sending != self._sending:
            self.sendingChanged.emit(sending)
        self._sending = sending
        self.send_button.setText("Sending…" if sending else "Send")
        self.progress.setVisible(sending)
        self._update_send()

    @property
    def sending(self) -> bool:
        """True while a send runs."""
        return self._sending

    def set_result(self, text: str, kind: str = "info") -> None:
        """Show the outcome of the last send under the Send button."""
        set_status_text(self.result_label, text, kind)
