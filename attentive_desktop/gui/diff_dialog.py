"""The preview before a send (and before a revert): current → new for every property.

Rows come from core.diff: a change, an addition, a new attribute (with the engine's sentence
"creates a new attribute: its type will be … from now on") or an unchanged value, which is
not sent unless the user ticks "Send unchanged values too".
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

from PySide6.QtCore import QMargins, QModelIndex, QPersistentModelIndex, QSize, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from attentive_desktop.gui.diff_model import ABSENT, DIFF_HEADERS, DiffTableModel
from attentive_desktop.gui.theme import set_status_text

__all__ = ["ABSENT", "DIFF_HEADERS", "DiffDialog", "DiffTable", "DiffTableModel"]


def _identity(text: str) -> str:
    return text


ROW_PADDING = 3
"""Pixels above and below a cell's text: wrapped notes would otherwise touch the grid."""


class PaddedCells(QStyledItemDelegate):
    """The standard delegate, asking for ROW_PADDING more room above and below the text."""

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        return super().sizeHint(option, index).grownBy(QMargins(0, ROW_PADDING, 0, ROW_PADDING))


class DiffTable(QTableView):
    """A read-only view of DiffRows (gui/diff_model.DiffTableModel): Property | Current | New
    | Change | Note.

    `mask` turns a shown value into what may be shown (e.g. core.masking.mask_text).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.diff_model = DiffTableModel(self)
        self.setModel(self.diff_model)
        self.setItemDelegate(PaddedCells(self))
        self.setObjectName("diffTable")
        self.setAccessibleName("Changes to send")
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTabKeyNavigation(False)  # Tab reaches the buttons below
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setAlternatingRowColors(True)
        self.setWordWrap(True)
        rows = self.verticalHeader()
        rows.setVisible(False)
        # Rows follow the note column's width as it changes (the dialog is laid out and
        # resized after the rows are filled): sized once, they kept the wrap of a narrow column.
        rows.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((150, 130, 130, 120)):
            self.setColumnWidth(column, width)

    def set_rows(self, rows: Any, mask: Callable[[str], str] = _identity) -> None:
        """Fill the table from core.diff DiffRows."""
        self.diff_model.set_rows(rows, mask)

    def texts(self, row: int) -> list[str]:
        """The cell texts of one row (for tests and accessibility checks)."""
        return self.diff_model.texts(row)


class DiffDialog(QDialog):
    """Preview of a send to a looked-up user; Send posts only what the preview says.

    ``writing_to`` ("Writing to: <company> (<domain>)") names the account the send goes to,
    in bold above the buttons: the last look before a write is the one that catches the wrong
    account.

    Signals: confirmed(object dict[str, str] properties to send).
    """

    confirmed = Signal(object)

    def __init__(
        self,
        diff: Any,
        target: str,
        parent: QWidget | None = None,
        *,
        mask: Callable[[str], str] = _identity,
        writing_to: str = "",
    ) -> None:
        super().__init__(parent)
        self.setObjectName("diffDialog")
        self.setWindowTitle("Review changes before sending")
        self.setAccessibleName("Review changes before sending")
        self.resize(760, 420)
        self.diff = diff
        heading = QLabel(f"What Send will change for <b>{mask(target)}</b>:", self)
        heading.setObjectName("diffHeading")
        heading.setWordWrap(True)
        self.table = DiffTable(self)
        self.table.set_rows(diff.rows, mask)
        self.summary_label = QLabel(diff.summary(), self)
        self.summary_label.setObjectName("diffSummary")
        self.summary_label.setWordWrap(True)
        self.new_label = QLabel(self)
        self.new_label.setObjectName("diffNewAttributes")
        self.new_label.setWordWrap(True)
        if diff.new_attributes:
            names = ", ".join(f"'{n}'" for n in diff.new_attributes)
            set_status_text(
                self.new_label,
                f"New attributes: {names}. The first value Attentive receives fixes each "
                "one's type for good.",
                "warning",
            )
        else:
            self.new_label.hide()
        self.unchanged_box = QCheckBox("Send &unchanged values too", self)
        self.unchanged_box.setObjectName("sendUnchangedCheck")
        self.unchanged_box.setAccessibleName("Send unchanged values too")
        self.unchanged_box.setVisible(any(r.kind.name == "UNCHANGED" for r in diff.rows))
        self.target_label = QLabel(f"<b>{escape(writing_to)}</b>", self)
        self.target_label.setObjectName("diffTarget")
        self.target_label.setAccessibleName(writing_to)
        self.target_label.setWordWrap(True)
        self.target_label.setVisible(bool(writing_to))
        buttons = QDialogButtonBox(self)
        self.send_button = QPushButton("Send", self)
        self.send_button.setObjectName("diffSendButton")
        self.send_button.setDefault(True)
        buttons.addButton(self.send_button, QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setObjectName("diffCancelButton")
        cancel.setAccessibleName("Cancel")
        buttons.accepted.connect(self._send)
        buttons.rejected.connect(self.reject)
        self.unchanged_box.toggled.connect(self._update_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.new_label)
        layout.addWidget(self.unchanged_box)
        layout.addWidget(self.target_label)
        layout.addWidget(buttons)
        self._update_button()

    def to_send(self) -> dict[str, str]:
        """The properties Send posts, as the check box says."""
        return self.diff.to_send(include_unchanged=self.unchanged_box.isChecked())

    def _update_button(self, *args: object) -> None:
        count = len(self.to_send())
        self.send_button.setEnabled(count > 0)
        noun = "value" if count == 1 else "values"
        self.send_button.setText(f"Send {count} {noun}" if count else "Nothing to send")
        self.send_button.setAccessibleName(self.send_button.text())

    def _send(self) -> None:
        properties = self.to_send()
        if properties:
            self.accept()
            self.confirmed.emit(properties)
