"""Remembering the window's size, position and dock layout in the settings file."""

from __future__ import annotations

import base64
from typing import Any

from PySide6.QtCore import QByteArray
from PySide6.QtWidgets import QMainWindow

SETTINGS_KEY = "window_geometry"


def restore_window(window: QMainWindow, settings: Any) -> None:
    """Put the window back where it was (Qt keeps it on a screen that exists)."""
    saved = settings.get(SETTINGS_KEY, None)
    if not isinstance(saved, dict):
        return
    try:
        geometry = QByteArray(base64.b64decode(saved.get("geometry", "")))
        state = QByteArray(base64.b64decode(saved.get("state", "")))
    except (ValueError, TypeError):
        return
    if not geometry.isEmpty():
        window.restoreGeometry(geometry)
    if not state.isEmpty():
        window.restoreState(state)


def save_window(window: QMainWindow, settings: Any) -> None:
    """Remember size, position and where the docks are, for next time."""
    settings.set(
        SETTINGS_KEY,
        {
            "geometry": base64.b64encode(bytes(window.saveGeometry().data())).decode(),
            "state": base64.b64encode(bytes(window.saveState().data())).decode(),
        },
    )
