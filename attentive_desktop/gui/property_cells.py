"""How the property editor's cells show: text, tooltips, accessible text, colours and the
Check icons, for each of Qt's display roles."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette

from attentive_desktop.gui.property_row import (
    PropertyRow,
    cell_text,
    findings_tooltip,
    row_tooltip,
    severity_of,
)
from attentive_desktop.gui.theme import palette_status_color

if TYPE_CHECKING:
    from PySide6.QtGui import QIcon  # loaded with the first icon: its enums cost ~1 ms

    from attentive_desktop.core.validation import Finding, SchemaView

_ROLE = Qt.ItemDataRole


def check_colour(severity: str) -> QColor | None:
    """The Check column's text colour for a row's severity, readable on the light or dark
    palette in use ("info", a send under way: the palette's link colour; None: its text)."""
    palette = QGuiApplication.palette()
    if severity == "info":
        return palette.color(QPalette.ColorRole.Link)
    return palette_status_color(palette, severity)


def looked_up_colour() -> QColor:
    """Text colour of a looked-up row left as it was: the palette's placeholder colour, so it
    reads as "what is there" against the edits, in light and dark themes alike."""
    return QGuiApplication.palette().color(QPalette.ColorRole.PlaceholderText)


class CheckIcons:
    """The style's error, warning and OK icons, made once each on first use."""

    def __init__(self) -> None:
        self._icons: dict[str, QIcon] = {}

    def icon(self, severity: str) -> QIcon | None:
        """The icon for "error", "warning" or "ok"; None for anything else or without a
        QApplication (models are tested without one)."""
        if severity not in ("error", "warning", "ok"):
            return None
        if severity not in self._icons:
            from PySide6.QtWidgets import QApplication, QStyle

            app = QApplication.instance()
            if not isinstance(app, QApplication):
                return None
            pixmap = {
                "error": QStyle.StandardPixmap.SP_MessageBoxCritical,
                "warning": QStyle.StandardPixmap.SP_MessageBoxWarning,
                "ok": QStyle.StandardPixmap.SP_DialogApplyButton,
            }[severity]
            self._icons[severity] = app.style().standardIcon(pixmap)
        return self._icons[severity]


class PropertyCells:
    """What one cell of the property editor shows in Qt's roles (display and edit text,
    tooltip, accessible text and description, foreground, the Check icon), from the row, its
    findings, the registry (``schema``: fixed types, allowed values) and the last lookup's
    values. ``headers`` names the columns, "Check" among them."""

    def __init__(self, schema: SchemaView | None, headers: Sequence[str]) -> None:
        self._schema = schema
        self._headers = tuple(headers)
        self._check = self._headers.index("Check")
        self._icons = CheckIcons()

    def data(
        self,
        row: PropertyRow,
        findings: tuple[Finding, ...],
        column: int,
        role: int,
        current: Mapping[str, str] | None,
    ) -> Any:
        """The cell's value for ``role``; None for roles it does not answer. ``current``:
        the last lookup's values, None before one."""
        header = self._headers[column]
        if role in (_ROLE.DisplayRole, _ROLE.EditRole):
            return cell_text(row, findings, header, self._schema, current)
        if role == _ROLE.ToolTipRole:
            schema = self._schema
            fixed = bool(row.name and schema is not None and schema.type_of(row.name))
            return row_tooltip(row, findings, header, self.allowed(row.name), fixed, current)
        if role == _ROLE.AccessibleTextRole:
            text = cell_text(row, findings, header, self._schema, current)
            text = text or ("not changed" if row.from_lookup and column == self._check else "empty")
            return f"{header}: {text}"
        if role == _ROLE.AccessibleDescriptionRole:
            return findings_tooltip(findings) or None
        if role == _ROLE.ForegroundRole and row.from_lookup:
            return looked_up_colour()
        if role == _ROLE.ForegroundRole and column == self._check:
            return check_colour(severity_of(row, findings))
        if role == _ROLE.DecorationRole and column == self._check:
            return self._icons.icon(severity_of(row, findings))
        return None

    def allowed(self, name: str) -> tuple[str, ...] | None:
        """The only values ``name`` accepts (the catalog), or None."""
        if self._schema is None or not name:
            return None
        return self._schema.allowed_values(name)
