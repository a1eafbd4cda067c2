"""Plain values the app's table models answer with, and a proxy's multiData in one call.

data() runs for every visible cell and role on each repaint: comparing a role with an int
and returning a prebuilt value costs no enum arithmetic or allocation. A view's delegate asks
for all of a cell's roles at once (multiData); a Python proxy answering that itself makes one
call into Python per cell, where Qt's would make one per role and two more per index it maps,
each of which may wait for the GIL behind a worker thread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication

from attentive_desktop.gui.theme import palette_status_color

DISPLAY = int(Qt.ItemDataRole.DisplayRole)
TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
ACCESSIBLE = int(Qt.ItemDataRole.AccessibleTextRole)
ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)

RIGHT_ALIGNED = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
"""TextAlignmentRole of number columns."""


def status_foreground(kind: str) -> QColor | None:
    """ForegroundRole of an "error" (failed) or "warning" status: readable on the light or
    dark palette in use (gui/theme.py). A QColor, not a QBrush: the delegate takes either,
    and the first QBrush built makes PySide6 create QGradient's Python enums (~3 ms of
    start-up)."""
    return palette_status_color(QGuiApplication.palette(), kind)


def answer_roles(role_data_span: Any, value_of: Callable[[int], Any]) -> None:
    """Fill a QModelRoleDataSpan (multiData's argument): each role's value is
    ``value_of(role)``."""
    for role_data in role_data_span:
        role_data.setData(value_of(role_data.role()))
