"""The QApplication: names, icon, and the platform palette (light or dark follows the system)."""

from __future__ import annotations

import sys

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from attentive_desktop import APP_NAME, __version__


def app_icon() -> QIcon:
    """The application icon from the packaged resources (an empty icon if it is missing)."""
    from attentive_desktop.assets import icon_path

    try:
        return QIcon(str(icon_path()))
    except FileNotFoundError:
        return QIcon()


def make_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication (reused when one exists, as under pytest-qt)."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName("Attentive Desktop")
    app.setApplicationVersion(__version__)
    app.setOrganizationName(APP_NAME)
    app.setDesktopFileName(APP_NAME)
    return app


def set_app_icon(app: QApplication) -> None:
    """Give every window the application icon (after the first frame: it reads files)."""
    icon = app_icon()
    if not icon.isNull():
        app.setWindowIcon(icon)
