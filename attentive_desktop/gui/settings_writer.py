"""The window's settings: read at once, written to disk off the GUI thread."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from attentive_desktop.gui.serial_calls import SerialCalls

if TYPE_CHECKING:
    from attentive_desktop.store.settings import Settings

log = logging.getLogger(__name__)


class SettingsWriter(QObject):
    """store.settings.Settings for the window: `get` as there; `set` holds at once (later
    reads see it) and the file is written on a thread of its own, since the write fsyncs and
    a busy disk can hold that up for seconds. `stop()` (when the app quits) writes what is
    still unwritten before returning.
    Signals: failed(str message) the file could not be written (disk full, read-only folder);
    the value still holds until the app quits, and the next change tries the file again.
    """

    failed = Signal(str)

    def __init__(self, settings: Settings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self._writes = SerialCalls("attentive-settings", self)

    def get(self, *key_and_default: Any) -> Any:
        """Settings.get: the value, else the default given, else the built-in default."""
        return self._settings.get(*key_and_default)

    def set(self, key: str, value: Any) -> None:
        """Hold `value` under `key` now and write the file in the background."""
        self._settings.put(key, value)
        self._writes.call(self._settings.flush, lambda _none: None, self.failed.emit)

    def stop(self) -> None:
        """End the background writes, then write what is still unwritten (the app quits)."""
        self._writes.stop()
        try:
            self._settings.flush()
        except Exception as exc:  # quitting: nothing left to tell but the log
            log.warning("settings not saved at exit: %s", exc)
