"""The attribute table view: multi-line paste, and a value combo box for catalog properties."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QStyledItemDelegate,
    QTableView,
    QWidget,
)

if TYPE_CHECKING:  # created on first use: PySide builds each type when first imported
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QStyleOptionViewItem

NAME_COLUMN, VALUE_COLUMN, TYPE_COLUMN, CURRENT_COLUMN, CHECK_COLUMN = range(5)

Index = QModelIndex | QPersistentModelIndex


class PropertyDelegate(QStyledItemDelegate):
    """Edits names with completion from known attributes, and values of catalog properties
    (those created in Attentive's UI, with fixed allowed values) with a combo box."""

    def __init__(
        self,
        allowed_values: Callable[[str], tuple[str, ...] | None],
        known_names: Callable[[], Iterable[str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._allowed_values = allowed_values
        self._known_names = known_names

    def _name_of(self, index: Index) -> str:
        return str(index.siblingAtColumn(NAME_COLUMN).data(Qt.ItemDataRole.EditRole) or "")

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        """A combo box for catalog values, a line edit with completion for names."""
        if index.column() == VALUE_COLUMN:
            allowed = self._allowed_values(self._name_of(index).strip())
            if allowed:
                combo = QComboBox(parent)
                combo.setObjectName("valueCombo")
                combo.setAccessibleName("Allowed values")
                combo.addItems(list(allowed))
                return combo
        editor = super().createEditor(parent, option, index)
        if index.column() == NAME_COLUMN and isinstance(editor, QLineEdit):
            editor.setObjectName("nameEditor")
            editor.setAccessibleName("Attribute name")
            from PySide6.QtWidgets import QCompleter

            completer = QCompleter(sorted(self._known_names()), editor)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            editor.setCompleter(completer)
        elif isinstance(editor, QLineEdit):
            editor.setObjectName("valueEditor")
            editor.setAccessibleName("Attribute value")
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        """Pre-select the current value in a catalog combo box."""
        if isinstance(editor, QComboBox):
            current = str(index.data(Qt.ItemDataRole.EditRole) or "")
            position = editor.findText(current)
            editor.setCurrentIndex(max(position, 0))
            return
        super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        """Write the chosen catalog value back to the model."""
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)
            return
        super().setModelData(editor, model, index)


class PropertyTableView(QTableView):
    """The table of attributes to send. Ctrl+V with several lines on the clipboard adds one
    row per line ("Name<TAB>Value" or "Name=Value") instead of pasting into one cell.

    Signals: rowsPasted(int count).
    """

    rowsPasted = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("propertyTable")
        self.setAccessibleName("Attributes to send")
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setStretchLastSection(True)
        self.horizontalHeader().setHighlightSections(False)
        # Tab leaves the table (to Send) rather than walking its cells for good; in a cell
        # editor, Tab still moves on to the next cell (the delegate handles that).
        self.setTabKeyNavigation(False)

    def setModel(self, model: QAbstractItemModel | None) -> None:
        """Set the model and give the columns sensible widths."""
        super().setModel(model)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in ((NAME_COLUMN, 190), (VALUE_COLUMN, 190), (TYPE_COLUMN, 130)):
            self.setColumnWidth(column, width)
        self.setColumnWidth(CURRENT_COLUMN, 150)

    def paste_from_clipboard(self) -> int:
        """Add a row per line of the clipboard text; returns how many rows were added."""
        text = QGuiApplication.clipboard().text()
        model = self.model()
        if model is None or not hasattr(model, "paste_text"):
            return 0
        if not text.strip():
            self.rowsPasted.emit(0)  # said, not silent
            return 0
        count = int(model.paste_text(text))
        if count:
            self.scrollToBottom()
        self.rowsPasted.emit(count)
        return count

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Ctrl+V outside a cell editor pastes several lines as rows."""
        from PySide6.QtGui import QKeySequence

        if (
            event.matches(QKeySequence.StandardKey.Paste)
            and self.state() != QAbstractItemView.State.EditingState
            and len(QGuiApplication.clipboard().text().strip().splitlines()) > 1
        ):
            self.paste_from_clipboard()
            event.accept()
            return
        super().keyPressEvent(event)

    def commit_edit(self) -> None:
        """Keep what is being typed in a cell and close its editor, so an action on the rows
        (Send by Ctrl+Return, Show request) sees it."""
        editor = self.indexWidget(self.currentIndex())
        if self.state() == QAbstractItemView.State.EditingState and editor is not None:
            self.commitData(editor)
            self.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)

    def selected_rows(self) -> list[int]:
        """Rows with a selected cell, or the current row, in ascending order."""
        rows = {index.row() for index in self.selectionModel().selectedIndexes()}
        if not rows and self.currentIndex().isValid():
            rows = {self.currentIndex().row()}
        return sorted(rows)
