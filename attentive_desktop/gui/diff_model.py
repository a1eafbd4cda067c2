"""The table model of the send (and revert) preview: one read-only row per core.diff DiffRow.

Columns: Property | Current | New | Change | Note. Every cell answers its text for display
and as its tooltip, and the row's ChangeKind name in KIND_ROLE. The Change column is
coloured by kind (readable on the light or dark palette, gui/theme.py); unchanged rows,
which are not sent unless asked, are in italics. No widgets here: the view is
gui/diff_dialog.DiffTable.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette

from attentive_desktop.gui.cells import DISPLAY, FOREGROUND, TOOLTIP
from attentive_desktop.gui.theme import palette_status_color

AnyIndex = QModelIndex | QPersistentModelIndex
"""What a model method may be given as an index."""

DIFF_HEADERS = ("Property", "Current", "New", "Change", "Note")
ABSENT = "—"
"""The Current cell of a property the user does not have yet."""
CHANGE_COLUMN = DIFF_HEADERS.index("Change")
KIND_ROLE = int(Qt.ItemDataRole.UserRole)
"""The row's ChangeKind name ("CHANGE", "ADD", "NEW_ATTRIBUTE", "UNCHANGED"), any column."""

EDIT = int(Qt.ItemDataRole.EditRole)
FONT = int(Qt.ItemDataRole.FontRole)
_TEXT_ROLES = (DISPLAY, EDIT, TOOLTIP)
_READ_ONLY = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled

KIND_STATUS = {"NEW_ATTRIBUTE": "warning", "UNCHANGED": "info", "ADD": "ok", "CHANGE": "ok"}
"""The status colour (gui/theme.py) of each kind's Change cell."""


def _identity(text: str) -> str:
    return text


def kind_label(row: Any) -> str:
    """The Change column's text of a DiffRow."""
    if row.kind.name == "UNCHANGED":
        return "unchanged (not sent)"
    return str(row.kind.value)


def kind_colour(kind: str, palette: QPalette) -> QColor:
    """The Change cell's text colour for a ChangeKind name on ``palette`` ("info": the
    palette's window text colour)."""
    status = KIND_STATUS[kind]
    colour = palette_status_color(palette, status)
    return colour or palette.color(QPalette.ColorRole.WindowText)


class DiffTableModel(QAbstractTableModel):
    """Read-only rows of a preview (core.diff DiffRows): Property | Current | New | Change |
    Note, as texts already masked by the ``mask`` given to set_rows."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cells: list[tuple[str, ...]] = []
        self._kinds: list[str] = []
        self._italic = QFont()
        self._italic.setItalic(True)

    def set_rows(self, rows: Iterable[Any], mask: Callable[[str], str] = _identity) -> None:
        """Show ``rows`` (core.diff DiffRows); ``mask`` turns a value into what may be shown
        (e.g. core.masking.mask_text)."""
        cells: list[tuple[str, ...]] = []
        kinds: list[str] = []
        for row in rows:
            current = ABSENT if row.current is None else mask(row.current)
            cells.append((row.name, current, mask(row.new), kind_label(row), row.note))
            kinds.append(row.kind.name)
        self.beginResetModel()
        self._cells, self._kinds = cells, kinds
        self.endResetModel()

    def texts(self, row: int) -> list[str]:
        """The cell texts of one row, in column order."""
        return list(self._cells[row])

    def kind(self, row: int) -> str:
        """The ChangeKind name of one row."""
        return self._kinds[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._cells)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(DIFF_HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            if role in (DISPLAY, EDIT) and 0 <= section < len(DIFF_HEADERS):
                return DIFF_HEADERS[section]
            return None
        if role == DISPLAY and 0 <= section < len(self._cells):
            return section + 1  # row numbers (the view hides them)
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        return _READ_ONLY if index.isValid() else Qt.ItemFlag.NoItemFlags

    def data(self, index: AnyIndex, role: int = DISPLAY) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role in _TEXT_ROLES:
            return self._cells[row][column]
        kind = self._kinds[row]
        if role == KIND_ROLE:
            return kind
        if role == FOREGROUND and column == CHANGE_COLUMN:
            return kind_colour(kind, QGuiApplication.palette())
        if role == FONT and kind == "UNCHANGED":
            return QFont(self._italic)
        return None
