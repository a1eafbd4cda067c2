"""Calls that reach the system keychain, run off the GUI thread."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject

from attentive_desktop.gui.worker import WorkerThread

Done = Callable[[object], None]
Failed = Callable[[str], None]


class KeychainCalls(QObject):
    """Runs keychain calls (reading, saving and probing API keys) one at a time, in order, on
    a thread of their own that starts with the first call.

    The keychain can take its time: loading its backend, asking the user to unlock it or to
    allow this app (macOS asks again after each update), or waiting out a stuck D-Bus service.
    The window keeps painting meanwhile. `call(fn, done, failed)`: `done(result)`, or
    `failed(message)` when `fn` raised, follows on the GUI thread; neither once stopped.
    No signals.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread: WorkerThread | None = None
        self._jobs: dict[int, tuple[Done, Failed | None]] = {}
        self._stopped = False

    def call(self, fn: Callable[[], object], done: Done, failed: Failed | None = None) -> None:
        """Run `fn()` on the keychain thread (a no-op once stopped)."""
        if self._stopped:
            return
        if self._thread is None:
            self._thread = WorkerThread("attentive-keychain")
            worker = self._thread.worker
            worker.jobSucceeded.connect(self._succeeded)
            worker.jobFailed.connect(self._failed)
            self._thread.start()
        job = self._thread.worker.submit(lambda _token: fn())
        self._jobs[job] = (done, failed)

    def stop(self) -> None:
        """Drop what is queued and end the thread (call before the database closes: saving an
        account writes it). Idempotent."""
        self._stopped = True
        self._jobs.clear()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.stop()

    def _succeeded(self, job: int, result: object) -> None:
        done, _failed = self._jobs.pop(job, (None, None))
        if done is not None:
            done(result)

    def _failed(self, job: int, exc: object) -> None:
        _done, failed = self._jobs.pop(job, (None, None))
        if failed is not None:
            failed(str(exc))
