"""Strips shown above the editor: the SANDBOX banner and plain notices."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from attentive_desktop.gui.theme import BANNER_BACKGROUND, BANNER_TEXT


class SandboxBanner(QLabel):
    """A wide, bold strip saying the window talks to the embedded sandbox, not Attentive."""

    def __init__(self, base_url: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sandboxBanner")
        self.setAccessibleName("Sandbox mode")
        self.set_url(base_url)
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setStyleSheet(
            f"QLabel#sandboxBanner {{ background: {BANNER_BACKGROUND}; color: {BANNER_TEXT};"
            " font-weight: bold; font-size: 15px; padding: 8px;"
            " border-bottom: 2px solid #1a1a1a; }"
        )

    def set_url(self, base_url: str | None) -> None:
        """Name the local server (None while it is starting)."""
        where = (
            f"This window talks to a local test server at {base_url}."
            if base_url
            else "Starting a local test server…"
        )
        self.setText(f"SANDBOX — nothing you send here reaches Attentive. {where}")


class NoticeBar(QLabel):
    """A quiet, palette-coloured line for facts the user should know (e.g. session-only key)."""

    def __init__(self, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setWordWrap(True)
        self.setFrameShape(QLabel.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setBackgroundRole(self.backgroundRole().AlternateBase)
        self.setContentsMargins(8, 4, 8, 4)
        self.hide()

    def show_notice(self, text: str) -> None:
        """Show ``text``; an empty text hides the bar."""
        self.setText(text)
        self.setAccessibleName(text)
        self.setVisible(bool(text))
