"""The database's whole-file check, run once after start-up on a thread of its own."""

from __future__ import annotations

import logging
from typing import Protocol

from PySide6.QtCore import QObject, Signal

from attentive_desktop.gui.worker import CancelToken, WorkerThread

log = logging.getLogger(__name__)


class Check(Protocol):
    """store.recovery.DamageCheck: returns what it found damaged (None: sound or interrupted);
    `interrupt()`, from any thread, makes it stop early."""

    def __call__(self) -> str | None: ...

    def interrupt(self) -> None: ...


class DatabaseCheck(QObject):
    """Runs one `Check` on its own worker thread, which ends with it.

    Not on the draft worker: the check reads every page of the file (seconds for years of
    history on a cold disk) and the drafts written meanwhile must not wait behind it. SQLite's
    WAL lets the check's read and those writes run side by side.
    Signals: finished(object damage) with the check's verdict (None when sound), once.
    """

    finished = Signal(object)

    def __init__(self, check: Check, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._check = check
        self._thread: WorkerThread | None = None
        self.done = False

    def start(self) -> None:
        """Begin the check (once)."""
        if self._thread is not None or self.done:
            return
        self._thread = WorkerThread("attentive-database-check")
        worker = self._thread.worker
        worker.jobSucceeded.connect(lambda _job, damage: self._finish(damage))
        worker.jobFailed.connect(self._failed)
        self._thread.start()
        check = self._check

        def run(token: CancelToken) -> str | None:
            token.add_callback(check.interrupt)
            return check()

        worker.submit(run)

    def stop(self) -> None:
        """Interrupt a check in progress and end its thread (before the database closes)."""
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.stop()

    def _failed(self, _job: int, exc: object) -> None:
        log.warning("database check could not run: %s", exc)
        self._finish(None)

    def _finish(self, damage: object) -> None:
        self.stop()
        self.done = True
        self.finished.emit(damage)
