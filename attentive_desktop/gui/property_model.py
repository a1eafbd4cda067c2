"""The property editor's table model: Name | Value | Type | Current | Check."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor

from attentive_desktop.core.validation import Finding, SchemaView, Severity, to_wire_properties
from attentive_desktop.gui.property_row import (
    PropertyRow,
    RowState,
    as_mapping,
    check_text,
    findings_tooltip,
    parse_pasted,
    row_findings,
    severity_of,
    type_label,
)

if TYPE_CHECKING:
    from PySide6.QtGui import QIcon  # loaded with the first icon: its enums cost ~1 ms

    from attentive_desktop.core.identifiers import UserRef

NAME, VALUE, TYPE, CURRENT, CHECK = range(5)
HEADERS = ("Name", "Value", "Type", "Current", "Check")

AllowedValuesRole = Qt.ItemDataRole.UserRole + 1
"""tuple[str, ...] | None: the only values the row's property accepts (catalog), any column."""
SeverityRole = Qt.ItemDataRole.UserRole + 2
"""str: "error", "warning", "ok", "info" or "" for the row, any column."""
FindingsRole = Qt.ItemDataRole.UserRole + 3
"""tuple[Finding, ...]: every finding of the row, any column."""
RowStateRole = Qt.ItemDataRole.UserRole + 4
"""RowState: where the row stands after Send, any column."""

_ROLE = Qt.ItemDataRole
_MASKED_ROLES = (_ROLE.DisplayRole, _ROLE.ToolTipRole, _ROLE.AccessibleTextRole)
_COLOURS = {"error": "#c62828", "warning": "#a15c00", "ok": "#2e7d32", "info": "#1565c0"}
_Index = QModelIndex | QPersistentModelIndex


class PropertyTableModel(QAbstractTableModel):
    """Attribute rows being edited, checked live against core validation and the registry.

    Name and Value are editable; Type shows the type inferred as the user types (or the
    registry's fixed type, "Number (fixed)"); Current shows the value found by the last
    lookup; Check shows the first error, else the send state, else the first warning, else
    "OK". Two rows with the same exact name are an error. Custom roles: AllowedValuesRole,
    SeverityRole, FindingsRole, RowStateRole (module constants).

    Signals:
        findingsChanged(): rows, values or checks changed (re-read has_errors()/warnings()).
    """

    findingsChanged = Signal()

    def __init__(self, registry: SchemaView | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self._schema = registry
        self._rows: list[PropertyRow] = []
        self._findings: list[tuple[Finding, ...]] = []
        self._current: dict[str, str] = {}
        self._looked_up = False
        self._icons: dict[str, QIcon] = {}
        self._masked = False

    # --- Qt model interface ---------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return HEADERS[section] if 0 <= section < len(HEADERS) else None
        return str(section + 1)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() in (NAME, VALUE):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        value = self._data(index, role)
        if self._masked and role in _MASKED_ROLES and isinstance(value, str):
            from attentive_desktop.core.masking import mask_text

            return mask_text(value)
        return value

    def _data(self, index: _Index, role: int) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, column = self._rows[index.row()], index.column()
        findings = self._findings[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._text(row, findings, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, findings, column)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            text = self._text(row, findings, column) or "empty"
            return f"{HEADERS[column]}: {text}"
        if role == Qt.ItemDataRole.AccessibleDescriptionRole:
            return findings_tooltip(findings) or None
        if role == Qt.ItemDataRole.ForegroundRole and column == CHECK:
            colour = _COLOURS.get(severity_of(row, findings))
            return QColor(colour) if colour else None
        if role == Qt.ItemDataRole.DecorationRole and column == CHECK:
            return self._icon(severity_of(row, findings))
        if role == AllowedValuesRole:
            return self._allowed(row.name)
        if role == SeverityRole:
            return severity_of(row, findings)
        if role == FindingsRole:
            return findings
        if role == RowStateRole:
            return row.state
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        if index.column() not in (NAME, VALUE) or not 0 <= index.row() < len(self._rows):
            return False
        text = "" if value is None else str(value)
        row = self._rows[index.row()]
        if (row.name if index.column() == NAME else row.value) == text:
            return True
        setattr(row, "name" if index.column() == NAME else "value", text)
        row.state, row.stored = RowState.NONE, None
        self._emit_row(index.row())
        self._recheck()
        return True

    def insertRows(self, row: int, count: int, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        if parent.isValid() or count < 1 or not 0 <= row <= len(self._rows):
            return False
        self.beginInsertRows(QModelIndex(), row, row + count - 1)
        self._rows[row:row] = [PropertyRow() for _ in range(count)]
        self._findings[row:row] = [() for _ in range(count)]
        self.endInsertRows()
        self._recheck()
        return True

    def removeRows(self, row: int, count: int, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        if parent.isValid() or count < 1 or row < 0 or row + count > len(self._rows):
            return False
        self.beginRemoveRows(QModelIndex(), row, row + count - 1)
        del self._rows[row : row + count]
        del self._findings[row : row + count]
        self.endRemoveRows()
        self._recheck()
        return True

    # --- editing API ----------------------------------------------------------------------

    def add_row(self, name: str = "", value: str = "") -> int:
        """Append a row and return its index."""
        position = len(self._rows)
        self.beginInsertRows(QModelIndex(), position, position)
        self._rows.append(PropertyRow(name, value))
        self._findings.append(())
        self.endInsertRows()
        self._recheck()
        return position

    def remove_rows(self, rows: Iterable[int]) -> None:
        """Remove the given rows (any order, duplicates and out-of-range ignored)."""
        for row in sorted({r for r in rows if 0 <= r < len(self._rows)}, reverse=True):
            self.removeRows(row, 1)

    def paste_text(self, text: str) -> int:
        """Add lines "Name<TAB>Value" or "Name=Value"; returns how many rows were filled.

        A name already on a row updates that row's value; otherwise the first blank row is
        filled, or a row is added.
        """
        pairs = parse_pasted(text)
        for name, value in pairs:
            target = next((i for i, r in enumerate(self._rows) if name and r.name == name), None)
            if target is None:
                target = next((i for i, r in enumerate(self._rows) if r.is_blank), None)
            if target is None:
                target = len(self._rows)
                self.beginInsertRows(QModelIndex(), target, target)
                self._rows.append(PropertyRow())
                self._findings.append(())
                self.endInsertRows()
            row = self._rows[target]
            row.name, row.value, row.state, row.stored = name, value, RowState.NONE, None
            self._emit_row(target)
        if pairs:
            self._recheck()
        return len(pairs)

    def clear(self) -> None:
        """Remove every row and forget the looked-up values."""
        self.beginResetModel()
        self._rows, self._findings, self._current, self._looked_up = [], [], {}, False
        self.endResetModel()
        self.findingsChanged.emit()

    def row(self, row: int) -> PropertyRow:
        """A copy of one row (name, value, state)."""
        r = self._rows[row]
        return PropertyRow(r.name, r.value, r.state, r.stored)

    def set_masked(self, masked: bool) -> None:
        """Mask (or show again) phones and emails in what cells show (never in EditRole)."""
        if bool(masked) != self._masked:
            self._masked = bool(masked)
            self._emit_all()

    # --- lookup and registry --------------------------------------------------------------

    def set_current(self, attributes: Mapping[str, str] | Iterable[tuple[str, str]]) -> None:
        """Show a lookup's result in the Current column (adds no rows); re-checks every row,
        since the registry may have learned types from the same lookup."""
        self._current = as_mapping(attributes)
        self._looked_up = True
        self._emit_all()
        self._recheck()

    def current(self) -> dict[str, str]:
        """The attributes from the last lookup (empty before one)."""
        return dict(self._current)

    def refresh_schema(self) -> None:
        """Re-read the registry (types and catalog) for every row, e.g. after a send."""
        self._emit_all()
        self._recheck()

    # --- what will be sent ----------------------------------------------------------------

    def properties(self) -> dict[str, str]:
        """Named rows as name → value, both exactly as typed (the first row of a name wins)."""
        result: dict[str, str] = {}
        for row in self._rows:
            if row.is_named:
                result.setdefault(row.name, row.value)
        return result

    def findings(self) -> list[Finding]:
        """Every finding of every row, errors and warnings, without repeats."""
        return list(dict.fromkeys(f for row in self._findings for f in row))

    def has_errors(self) -> bool:
        """True when an error blocks Send."""
        return any(f.severity is Severity.ERROR for row in self._findings for f in row)

    def warnings(self) -> list[Finding]:
        """The warnings only (type lock, case collision, whitespace), to confirm once."""
        return [f for f in self.findings() if f.severity is Severity.WARNING]

    def request_body(self, user: UserRef) -> str:
        """The JSON body Send would post, pretty-printed."""
        body = {"properties": to_wire_properties(self.properties()), "user": user.to_user_json()}
        return json.dumps(body, indent=2, ensure_ascii=False)

    # --- after Send -------------------------------------------------------------------------

    def mark_pending(self) -> None:
        """Named rows show "Sending…" (call when Send starts)."""
        self._mark(RowState.PENDING)

    def mark_sent(self) -> None:
        """Named rows show "Sent"."""
        self._mark(RowState.SENT)

    def clear_marks(self) -> None:
        """Forget send states (e.g. when Send failed or was cancelled)."""
        self._mark(RowState.NONE)

    def mark_verified(self, attributes: Mapping[str, str] | Iterable[tuple[str, str]]) -> None:
        """Compare a read-back with the sent rows: each shows "Verified" or "Stored as …".
        Also updates the Current column with the read-back."""
        stored = as_mapping(attributes)
        for row in self._rows:
            if row.is_named and row.state in (RowState.SENT, RowState.PENDING):
                found = stored.get(row.name)
                row.state = RowState.VERIFIED if found == row.value else RowState.MISMATCH
                row.stored = found
        self.set_current(stored)

    def mark_verification(
        self, verification: Any, attributes: Mapping[str, str] | Iterable[tuple[str, str]]
    ) -> None:
        """Mark rows from a core.verify Verification: verified, stored differently (showing
        what the service stored), mismatched or missing; named rows that were not sent show
        "Unchanged (not sent)". Also updates the Current column with the read-back."""
        for row in self._rows:
            if not row.is_named:
                continue
            outcome = verification.row(row.name)
            if outcome is None:
                row.state, row.stored = RowState.NOT_SENT, None
                continue
            status, row.stored = outcome.status.name, outcome.stored
            kept = status in ("VERIFIED", "STORED_DIFFERENTLY")
            row.state = RowState[status] if kept else RowState.MISMATCH
        self.set_current(as_mapping(attributes))

    # --- internals ------------------------------------------------------------------------

    def _mark(self, state: RowState) -> None:
        for row in self._rows:
            if row.is_named:
                row.state, row.stored = state, None
        self._emit_all()
        self.findingsChanged.emit()

    def _text(self, row: PropertyRow, findings: tuple[Finding, ...], column: int) -> str:
        if column == NAME:
            return row.name
        if column == VALUE:
            return row.value
        if column == TYPE:
            return type_label(row, self._schema)
        if column == CURRENT:
            if not row.name or not self._looked_up:
                return ""
            return self._current.get(row.name, "—")
        return check_text(row, findings)

    def _tooltip(self, row: PropertyRow, findings: tuple[Finding, ...], column: int) -> str | None:
        lines = []
        if column == VALUE and (allowed := self._allowed(row.name)):
            lines.append("Allowed values: " + ", ".join(allowed))
        if column == TYPE and self._schema is not None and self._schema.type_of(row.name):
            lines.append("Fixed by the first value Attentive received for this name.")
        if column == CURRENT and self._looked_up and row.name and row.name not in self._current:
            lines.append("This user has no value for this attribute yet.")
        if column == CHECK and row.state is RowState.MISMATCH:
            lines.append(check_text(row, ()) + f" (sent '{row.value}')")
        if column in (NAME, VALUE, CHECK) and findings:
            lines.append(findings_tooltip(findings))
        return "\n".join(lines) or None

    def _allowed(self, name: str) -> tuple[str, ...] | None:
        if self._schema is None or not name:
            return None
        return self._schema.allowed_values(name)

    def _icon(self, severity: str) -> QIcon | None:
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

    def _emit_row(self, row: int) -> None:
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(HEADERS) - 1))

    def _emit_all(self) -> None:
        if self._rows:
            last = self.index(len(self._rows) - 1, len(HEADERS) - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    def _recheck(self) -> None:
        """Re-run the checks; rows whose findings changed get a dataChanged."""
        fresh = row_findings(self._rows, self._schema)
        changed = [
            i for i, f in enumerate(fresh) if i >= len(self._findings) or f != self._findings[i]
        ]
        self._findings = fresh
        for i in changed:
            self._emit_row(i)
        self.findingsChanged.emit()
