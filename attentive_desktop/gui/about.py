"""Help ▸ Keyboard shortcuts and Help ▸ About: version, data folder, the keychain in use."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

PROFILE_TOOL_SHORTCUTS = [
    ("Revert the last send to this user", "Ctrl+Shift+Z"),
    ("Mask personal data (phones, emails)", "Ctrl+Shift+M"),
    ("UI-created properties (catalog)", "Ctrl+Shift+U"),
    ("Link identifiers (Identity API)", "Ctrl+Shift+I"),
    ("Preferences", "Ctrl+,"),
]


def shortcuts_box(parent: QWidget, rows: Iterable[tuple[str, str]]) -> QMessageBox:
    """Open the shortcuts sheet (non-blocking); returns it."""
    table = "".join(
        f"<tr><td>{escape(what)}</td><td><b>{escape(keys)}</b></td></tr>" for what, keys in rows
    )
    box = QMessageBox(
        QMessageBox.Icon.Information,
        "Keyboard shortcuts",
        f"<table cellspacing=6>{table}</table>",
        parent=parent,
    )
    box.setObjectName("shortcutsBox")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def about_text(version: str, data_dir: Path, keychain: str, secure: bool) -> str:
    """The About box's text (HTML)."""
    where = "the key is kept for this session only" if not secure else "keys are stored there"
    return (
        f"<h3>Attentive Desktop {escape(version)}</h3>"
        "<p>Fix and enrich Attentive customer profiles by hand, safely.</p>"
        f"<p><b>Data folder:</b> {escape(str(data_dir))}</p>"
        f"<p><b>Keychain:</b> {escape(keychain)} ({where})</p>"
    )


def about_box(parent: QWidget, data_dir: Path, secrets: object) -> QMessageBox:
    """Open the About box (non-blocking); returns it."""
    from attentive_desktop import __version__

    name = str(getattr(secrets, "backend_name", "unknown"))
    secure = bool(getattr(secrets, "is_secure", False))
    box = QMessageBox(parent)
    box.setObjectName("aboutBox")
    box.setWindowTitle("About Attentive Desktop")
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setText(about_text(__version__, data_dir, name, secure))
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
