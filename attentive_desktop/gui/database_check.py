"""The database's whole-file check, run once after start-up on a thread of its own."""

from __future__ import annotations

import logging
from typing import Protocol

from PySide6.QtCore import QObject, Signal

from attentive_desktop.gui.serial_calls import SerialCalls

log = logging.getLogger(__name__)


class Check(Protocol):
    """store.recovery.DamageCheck: returns what it found damaged (None: sound or interrupted);
    `interrupt()`, from any thread, makes it stop early."""

    def __call__(self) -> str | None: ...

    def interrupt(self) -> None: ...


class DatabaseCheck(QObject):
    """Runs one `Check` on a thread of its own (a SerialCalls), which ends with it.

    Not on the draft worker: the check reads every page of the file (seconds for years of
    history on a cold disk) and the drafts written meanwhile must not wait behind it. SQLite's
    WAL lets the check's read and those writes run side by side.
    Signals: finished(object damage) with the check's verdict (None when sound), once.
    """

    finished = Signal(object)

    def __init__(self, check: Check, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._check = check
        self._calls = SerialCalls("attentive-database-check", self)
        self._started = False
        self.done = False

    def start(self) -> None:
        """Begin the check (once)."""
        if self._started:
            return
        self._started = True
        check = self._check
        self._calls.call(check, self._finish, self._failed, on_cancel=check.interrupt)

    def stop(self) -> None:
        """Interrupt a check in progress and end its thread (before the database closes)."""
        self._calls.stop()

    def _failed(self, message: str) -> None:
        log.warning("database check could not run: %s", message)
        self._finish(None)

    def _finish(self, damage: object) -> None:
        self.stop()
        self.done = True
        self.finished.emit(damage)
