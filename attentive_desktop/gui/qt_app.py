"""The QApplication: names, icon, and the platform palette (light or dark follows the system)."""

from __future__ import annotations

import gc
import sys
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication

from attentive_desktop import APP_NAME, __version__

if TYPE_CHECKING:
    from PySide6.QtGui import QIcon


def app_icon() -> QIcon:
    """The application icon from the packaged resources (an empty icon if it is missing)."""
    from PySide6.QtGui import QIcon

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


GUI_SWITCH_INTERVAL = 0.001
"""Seconds a thread may hold the GIL before another waiting thread gets a turn (Python's
default is 0.005). Worker threads run Python (CSV checks, the bulk run's sending threads,
imports on the API worker); with 1 ms the GUI thread waits at most ~1 ms per handover for
its next timer or repaint. Measured with bench/gui_stall.py: the dry run's longest gap fell
from 16–21 ms to 7–11 ms, the idle time after start-up from 17–22 ms to 11–19 ms."""


def settle_after_start_up() -> None:
    """Once start-up has finished: freeze the start-up objects for the garbage collector and
    turn collection (back) on, and hand the GIL over more often (GUI_SWITCH_INTERVAL).

    A full collection holds the GIL on whichever thread triggers it, and walking the ~40,000
    start-up objects took 17–37 ms: long enough to stall the window mid-run (a bulk run's
    sending threads trigger them). Frozen objects are never walked again; the few hundred
    cycles left from start-up stay, which is cheaper than a full collection on the GUI thread.
    app.run_gui calls this when the window reports ready; bench/gui_stall.py does the same.
    """
    gc.freeze()
    gc.enable()
    sys.setswitchinterval(GUI_SWITCH_INTERVAL)
