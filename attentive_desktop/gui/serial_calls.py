"""Slow calls (the keychain, fsynced settings) run one at a time off the GUI thread."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject

from attentive_desktop.gui.worker import WorkerThread

Done = Callable[[object], None]
Failed = Callable[[str], None]


class SerialCalls(QObject):
    """Runs calls that may block for long, one at a time and in order, on a worker thread of
    their own that starts with the first call.

    The window has one for the keychain (reading, saving and probing API keys: the keychain
    may load its backend slowly, ask the user to unlock it or to allow this app, or wait out a
    stuck D-Bus service) and one for the settings file (written with fsync, which a busy disk
    can hold up for seconds). The window keeps painting meanwhile. `call(fn, done, failed)`:
    `done(result)`, or `failed(message)` when `fn` raised, follows on the GUI thread; neither
    once stopped. No signals.
    """

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._name = name
        self._thread: WorkerThread | None = None
        self._jobs: dict[int, tuple[Done, Failed | None]] = {}
        self._stopped = False

    def call(self, fn: Callable[[], object], done: Done, failed: Failed | None = None) -> None:
        """Run `fn()` on the thread, after the calls before it (a no-op once stopped)."""
        if self._stopped:
            return
        if self._thread is None:
            self._thread = WorkerThread(self._name)
            worker = self._thread.worker
            worker.jobSucceeded.connect(self._succeeded)
            worker.jobFailed.connect(self._failed)
            self._thread.start()
        job = self._thread.worker.submit(lambda _token: fn())
        self._jobs[job] = (done, failed)

    def stop(self) -> None:
        """Drop what is queued, wait for the call under way and end the thread (the keychain's
        before the database closes: saving an account writes it). Idempotent."""
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
