"""Undo for the row changes a user can regret in the property editor: removing and pasting."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal

UNDO_LABELS = {"remove rows": "&Undo remove rows", "paste": "&Undo paste"}
"""The Edit menu's text for what the next undo takes back ("" → plain "&Undo")."""


class RowUndo(QObject):
    """Keeps the user's rows (PropertyTableModel.edit_rows) as they were before each removal
    or paste, the last LIMIT of them; ``undo()`` puts the newest back. A change made by the
    app itself (a restored draft, a replayed request) starts afresh: an older undo would
    overwrite it.

    Signals: changed(str what): what ``undo()`` would take back now ("remove rows",
    "paste"; "" when nothing).
    """

    LIMIT = 20
    changed = Signal(str)

    def __init__(self, model: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._kept: list[tuple[str, list[tuple[str, str]]]] = []
        self._undoing = False
        model.editsAboutToChange.connect(self._keep)
        model.modelReset.connect(self._reset)

    @property
    def next(self) -> str:
        """What ``undo()`` would take back ("" when nothing)."""
        return self._kept[-1][0] if self._kept else ""

    def undo(self) -> str:
        """Put the rows back as they were before the last removal or paste; returns what was
        undone ("" when there was nothing to undo)."""
        if not self._kept:
            return ""
        what, rows = self._kept.pop()
        self._undoing = True
        try:
            self._model.set_edit_rows(rows)
        finally:
            self._undoing = False
        self.changed.emit(self.next)
        return what

    def _keep(self, what: str) -> None:
        self._kept = [*self._kept[-(self.LIMIT - 1) :], (what, self._model.edit_rows())]
        self.changed.emit(what)

    def _reset(self) -> None:
        if not self._undoing and self._kept:
            self._kept = []
            self.changed.emit("")
