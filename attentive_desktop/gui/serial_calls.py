"""Slow calls (the keychain, fsynced settings) run one at a time off the GUI thread."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject

from attentive_desktop.gui.worker import CancelToken, WorkerThread

Done = Callable[[object], None]
Failed = Callable[[str], None]


class SerialCalls(QObject):
    """Runs calls that may block for long, one at a time and in order, on a worker thread of
    their own that starts with the first call.

    The window has one for the keychain (reading, saving and probing API keys: the keychain
    may load its backend slowly, ask the user to unlock it or to allow this app, or wait out a
    stuck D-Bus service), one for the settings file (written with fsync, which a busy disk
    can hold up for seconds) and one for the database's whole-file check. The window keeps
    painting meanwhile. `call(fn, done, failed)`: `done(result)`, or `failed(message)` when
    `fn` raised, follows on the GUI thread; neither once stopped. No signals.
    """

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._name = name
        self._thread: WorkerThread | None = None
        self._jobs: dict[int, tuple[Done, Failed | None]] = {}
        self._stopped = False

    def call(
        self,
        fn: Callable[[], object],
        done: Done,
        failed: Failed | None = None,
        *,
        on_cancel: Callable[[], object] | None = None,
    ) -> None:
        """Run `fn()` on the thread, after the calls before it (a no-op once stopped).
        `on_cancel()` runs, from the stopping thread, if `stop()` comes while `fn` is queued
        or running: a long call can hook its own abort there."""
        if self._stopped:
            return
        if self._thread is None:
            self._thread = WorkerThread(self._name)
            worker = self._thread.worker
            worker.jobSucceeded.connect(self._succeeded)
            worker.jobFailed.connect(self._failed)
            self._thread.start()

        def run(token: CancelToken) -> object:
            if on_cancel is not None:
                token.add_callback(on_cancel)
            return fn()

        job = self._thread.worker.submit(run)
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
