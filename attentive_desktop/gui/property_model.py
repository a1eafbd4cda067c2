"""The property editor's table model: Name | Value | Type | Current | Check."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from attentive_desktop.core.validation import Finding, SchemaView, Severity
from attentive_desktop.core.wire import attributes_body
from attentive_desktop.gui.property_cells import PropertyCells
from attentive_desktop.gui.property_row import (
    PropertyRow,
    RowState,
    as_mapping,
    listed_order,
    listed_position,
    looked_up_plan,
    mark_verified,
    parse_pasted,
    row_findings,
    severity_of,
)

if TYPE_CHECKING:
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
_Index = QModelIndex | QPersistentModelIndex


class PropertyTableModel(QAbstractTableModel):
    """Attribute rows being edited, checked live against core validation and the registry.

    Name and Value are editable; Type shows the type inferred as the user types (or the
    registry's fixed type, "Number (fixed)"); Current shows the value found by the last
    lookup; Check shows the first error, else the send state, else the first warning, else
    "OK". Two rows with the same exact name are an error. A lookup also lists the user's
    attributes that no row names, muted, below the rows (`PropertyRow.from_lookup`): editing
    such a value makes it an edit like any other; left alone it is never sent. Custom roles:
    AllowedValuesRole, SeverityRole, FindingsRole, RowStateRole (module constants).

    Signals:
        findingsChanged(): rows, values or checks changed (re-read has_errors()/warnings()).
        editsAboutToChange(str what): `remove_rows` or `paste_text` is about to change the
            user's rows ("remove rows", "paste"), so an undo can keep them (`edit_rows`).
    """

    findingsChanged = Signal()
    editsAboutToChange = Signal(str)

    def __init__(
        self,
        registry: SchemaView | None = None,
        parent: QObject | None = None,
        *,
        keys: Callable[[], Sequence[str]] = tuple,
    ):
        super().__init__(parent)
        self._schema = registry
        self._keys = keys  # the API keys in use: a row holding one is an error
        self._rows: list[PropertyRow] = []
        self._findings: list[tuple[Finding, ...]] = []
        self._current: dict[str, str] = {}
        self._looked_up = False
        self._cells = PropertyCells(registry, HEADERS)
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
        looked_up = 0 <= index.row() < len(self._rows) and self._rows[index.row()].from_lookup
        if index.column() == VALUE or (index.column() == NAME and not looked_up):
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
        row, findings = self._rows[index.row()], self._findings[index.row()]
        if role == AllowedValuesRole:
            return self._cells.allowed(row.name)
        if role == SeverityRole:
            return severity_of(row, findings)
        if role == FindingsRole:
            return findings
        if role == RowStateRole:
            return row.state
        current = self._current if self._looked_up else None
        return self._cells.data(row, findings, index.column(), role, current)

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        if index.column() not in (NAME, VALUE) or not 0 <= index.row() < len(self._rows):
            return False
        text = "" if value is None else str(value)
        row = self._rows[index.row()]
        old_name = row.name
        if (row.name if index.column() == NAME else row.value) == text:
            return True
        if index.column() == NAME and row.from_lookup:
            return False  # a looked-up row names the user's attribute; add a row for another
        setattr(row, "name" if index.column() == NAME else "value", text)
        row.state, row.stored, row.from_lookup = RowState.NONE, None, False
        self._emit_row(index.row())
        if index.column() == NAME:
            self._drop_looked_up(text)  # this row edits that attribute now
            self._relist([old_name])  # and no longer edits the one it named
        self._recheck()
        return True

    def removeRows(self, row: int, count: int, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        if parent.isValid() or count < 1 or row < 0 or row + count > len(self._rows):
            return False
        edited = [r.name for r in self._rows[row : row + count] if not r.from_lookup]
        self.beginRemoveRows(QModelIndex(), row, row + count - 1)
        del self._rows[row : row + count]
        del self._findings[row : row + count]
        self.endRemoveRows()
        self._relist(edited)  # an edit removed: the user's value of that name shows again
        self._recheck()
        return True

    # --- editing API ----------------------------------------------------------------------

    def add_row(self, name: str = "", value: str = "") -> int:
        """Add a row above the looked-up ones and return its index. A looked-up row of the
        same name takes the value instead (it becomes an edit)."""
        target = self._looked_up_row(name)
        if target is None:
            target = self._insert_blank()
        self._rows[target] = PropertyRow(name, value)
        self._emit_row(target)
        self._recheck()
        return target

    def remove_rows(self, rows: Iterable[int]) -> None:
        """Remove the given rows (any order, duplicates and out-of-range ignored)."""
        gone = sorted({r for r in rows if 0 <= r < len(self._rows)}, reverse=True)
        if any(self._rows[r].is_edit for r in gone):
            self.editsAboutToChange.emit("remove rows")
        for row in gone:
            self.removeRows(row, 1)

    def paste_text(self, text: str) -> int:
        """Add lines "Name<TAB>Value" or "Name=Value"; returns how many rows were filled.

        A name already on a row updates that row's value; otherwise the first blank row is
        filled, or a row is added.
        """
        pairs = parse_pasted(text)
        if pairs:
            self.editsAboutToChange.emit("paste")
        for name, value in pairs:
            target = next((i for i, r in enumerate(self._rows) if name and r.name == name), None)
            if target is None:
                target = next((i for i, r in enumerate(self._rows) if r.is_blank), None)
            if target is None:
                target = self._insert_blank()
            self._rows[target] = PropertyRow(name, value)
            self._emit_row(target)
            self._drop_looked_up(name)
        if pairs:
            self._recheck()
        return len(pairs)

    def clear(self) -> None:
        """Remove every row and forget the looked-up values."""
        self.beginResetModel()
        self._rows, self._findings, self._current, self._looked_up = [], [], {}, False
        self.endResetModel()
        self.findingsChanged.emit()

    def edit_rows(self) -> list[tuple[str, str]]:
        """The user's rows (every row but the looked-up values left alone), in order."""
        return [(r.name, r.value) for r in self._rows if not r.from_lookup]

    def set_edit_rows(self, rows: Iterable[tuple[str, str]]) -> None:
        """Make ``rows`` the user's rows again (an undo); the lookup's values stay listed."""
        self.beginResetModel()
        self._rows = [PropertyRow(name, value) for name, value in rows]
        self._findings = [() for _ in self._rows]
        self.endResetModel()
        self._list_looked_up()
        self._recheck()

    def row(self, row: int) -> PropertyRow:
        """A copy of one row (name, value, state, whether it is a looked-up value)."""
        return dataclasses.replace(self._rows[row])

    def set_masked(self, masked: bool) -> None:
        """Mask (or show again) phones and emails in what cells show (never in EditRole)."""
        if bool(masked) != self._masked:
            self._masked = bool(masked)
            self._emit_all()

    # --- lookup and registry --------------------------------------------------------------

    def set_current(self, attributes: Mapping[str, str] | Iterable[tuple[str, str]]) -> None:
        """Show a lookup's result: in the Current column, and as looked-up rows (by name) for
        the attributes no row names. Re-checks every row, since the registry may have
        learned types from the same lookup."""
        self._current = as_mapping(attributes)
        self._looked_up = True
        self._list_looked_up()
        self._emit_all()
        self._recheck()

    def forget_lookup(self) -> None:
        """Drop the last lookup's values and rows (e.g. another account is in use now)."""
        self._current, self._looked_up = {}, False
        self._list_looked_up()
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
            if row.is_named and not row.from_lookup:
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

    def request_body(self, user: UserRef, properties: Mapping[str, str] | None = None) -> str:
        """The JSON body Send would post (of ``properties``, else every edit), pretty-printed."""
        chosen = self.properties() if properties is None else properties
        return json.dumps(attributes_body(user, chosen), indent=2, ensure_ascii=False)

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

    def mark_verification(
        self, verification: Any, attributes: Mapping[str, str] | Iterable[tuple[str, str]]
    ) -> None:
        """Mark rows from a core.verify Verification: verified, stored differently (showing
        what the service stored), mismatched or missing; named rows that were not sent show
        "Unchanged (not sent)". Also updates the Current column with the read-back."""
        mark_verified(self._rows, verification)
        self.set_current(as_mapping(attributes))

    # --- internals ------------------------------------------------------------------------

    def _mark(self, state: RowState) -> None:
        for row in self._rows:
            if row.is_named and not row.from_lookup:
                row.state, row.stored = state, None
        self._emit_all()
        self.findingsChanged.emit()

    def _insert_blank(self) -> int:
        """Insert a blank row above the first looked-up row (else at the end); its index."""
        position = next((i for i, r in enumerate(self._rows) if r.from_lookup), len(self._rows))
        self._insert_row(position, PropertyRow())
        return position

    def _insert_row(self, position: int, row: PropertyRow) -> None:
        self.beginInsertRows(QModelIndex(), position, position)
        self._rows.insert(position, row)
        self._findings.insert(position, ())
        self.endInsertRows()

    def _looked_up_row(self, name: str) -> int | None:
        return next((i for i, r in enumerate(self._rows) if r.from_lookup and r.name == name), None)

    def _drop_looked_up(self, name: str) -> None:
        """Remove the looked-up row of `name`: a row the user edits names it now."""
        if name and (index := self._looked_up_row(name)) is not None:
            self.removeRows(index, 1)

    def _list_looked_up(self) -> None:
        """Make the looked-up rows match the current values (see looked_up_plan)."""
        drop, refresh, add = looked_up_plan(self._rows, self._current)
        for index, value in refresh:
            self._rows[index].value = value
        for index in drop:  # last first
            self.beginRemoveRows(QModelIndex(), index, index)
            del self._rows[index], self._findings[index]
            self.endRemoveRows()
        if add:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(add) - 1)
            self._rows += [PropertyRow(name, self._current[name], from_lookup=True) for name in add]
            self._findings += [() for _ in add]
            self.endInsertRows()

    def _relist(self, names: Iterable[str]) -> None:
        """List again, in their place among the looked-up rows, the looked-up values of
        ``names`` that no row names any more (the row that edited them was removed or
        renamed). A looked-up row the user removed is not brought back."""
        named = {row.name for row in self._rows}
        for name in sorted({n for n in names if n in self._current} - named, key=listed_order):
            row = PropertyRow(name, self._current[name], from_lookup=True)
            self._insert_row(listed_position(self._rows, name), row)

    def _emit_row(self, row: int) -> None:
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(HEADERS) - 1))

    def _emit_all(self) -> None:
        if self._rows:
            last = self.index(len(self._rows) - 1, len(HEADERS) - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    def _recheck(self) -> None:
        """Re-run the checks; rows whose findings changed get a dataChanged."""
        fresh = row_findings(self._rows, self._schema, self._keys())
        changed = [
            i for i, f in enumerate(fresh) if i >= len(self._findings) or f != self._findings[i]
        ]
        self._findings = fresh
        for i in changed:
            self._emit_row(i)
        self.findingsChanged.emit()
