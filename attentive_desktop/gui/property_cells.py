"""How the property editor's cells look beyond their text: colours and the Check icons."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QColor, QGuiApplication, QPalette

from attentive_desktop.gui.theme import palette_status_color

if TYPE_CHECKING:
    from PySide6.QtGui import QIcon  # loaded with the first icon: its enums cost ~1 ms


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
