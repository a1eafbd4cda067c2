"""The one background primitive: jobs run one at a time on a QThread, results come back as signals.

The GUI thread talks to the worker only through signals: `Worker.submit` emits a queued signal
to a runner object living on the background thread, and the runner reports back through queued
signals to the `Worker`, which stays on the thread that created it (the GUI thread) and emits
its public signals there. So every public signal is delivered on the GUI thread, whatever the
slot connected to it (a lambda included).

Cancellation is immediate from the GUI's point of view: `cancel` emits `jobCancelled` at once
and runs the token's callbacks (the API client's `cancel()`, say); whatever the job returns
afterwards is dropped.
"""

from __future__ import annotations

import atexit
import contextlib
import enum
import itertools
import logging
import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, QThread, Signal, Slot

log = logging.getLogger(__name__)


Job = Callable[["CancelToken"], object]


class CancelToken:
    """Tells a running job it was cancelled; a `threading.Event` with callbacks.

    `cancel()` is thread-safe and idempotent; callbacks run once, in the cancelling thread
    (keep them quick and non-blocking, like `AttentiveClient.cancel`). A callback added after
    cancellation runs at once. `report(value)` sends a progress value to the GUI thread as
    `Worker.jobProgress` (dropped once cancelled).
    """

    def __init__(self, job_id: int = 0, on_progress: Callable[[object], None] | None = None):
        self.job_id = job_id
        self._event = threading.Event()
        self._lock = threading.Lock()
        self._callbacks: list[Callable[[], object]] = []
        self._on_progress = on_progress

    @property
    def cancelled(self) -> bool:
        """True once `cancel()` was called."""
        return self._event.is_set()

    def cancel(self) -> None:
        """Mark cancelled and run the callbacks (each at most once)."""
        with self._lock:
            if self._event.is_set():
                return
            self._event.set()
            callbacks, self._callbacks = self._callbacks, []
        for callback in callbacks:
            _run_callback(callback)

    def wait(self, seconds: float | None = None) -> bool:
        """Block up to `seconds` (forever if None); True when cancelled meanwhile."""
        return self._event.wait(seconds)

    def add_callback(self, fn: Callable[[], object]) -> None:
        """Run `fn()` on cancellation; at once if already cancelled."""
        with self._lock:
            if not self._event.is_set():
                self._callbacks.append(fn)
                return
        _run_callback(fn)

    def remove_callback(self, fn: Callable[[], object]) -> None:
        """Forget a callback added earlier (no-op if unknown or already run)."""
        with self._lock, contextlib.suppress(ValueError):
            self._callbacks.remove(fn)

    def report(self, value: object) -> None:
        """Send a progress value to the GUI thread (`Worker.jobProgress`)."""
        if self._on_progress is not None and not self.cancelled:
            self._on_progress(value)


def _run_callback(fn: Callable[[], object]) -> None:
    try:
        fn()
    except Exception:  # a failing cancel hook must not stop the other hooks or the caller
        log.exception("cancel callback failed")


class _State(enum.Enum):
    PENDING = "pending"
    RUNNING = "running"
    FINISHED = "finished"  # the runner is done; the result is on its way to the GUI thread
    CANCELLED = "cancelled"


class _Runner(QObject):
    """Lives on the background thread and runs the jobs it is sent, in order."""

    started = Signal(int)
    finished = Signal(int, bool, object)  # job id, ok, result or exception
    progress = Signal(int, object)

    def __init__(self, worker: Worker) -> None:
        super().__init__()
        self._worker = worker

    @Slot()
    def name_thread(self) -> None:
        """Runs on the thread as it starts: log lines say "attentive-api", not "Dummy-3"."""
        threading.current_thread().name = self._worker.objectName() or "attentive-worker"

    @Slot(int, object)
    def run(self, job_id: int, fn: object) -> None:
        token = self._worker._begin(job_id)
        if token is None:  # cancelled while queued
            return
        self.started.emit(job_id)
        try:
            result: object = fn(token)  # type: ignore[operator]
            ok = True
        except Exception as exc:
            result, ok = exc, False
        self._worker._end(job_id)
        self.finished.emit(job_id, ok, result)


class Worker(QObject):
    """Runs jobs one at a time, in submission order, on a background thread.

    A job is `fn(token: CancelToken) -> object`; it should check `token.cancelled` (or
    `token.wait`) in long loops and may hook its own abort into `token.add_callback`.
    Use it from the thread that created it (the GUI thread); every signal is emitted there.

    Signals:
        jobStarted(int job_id)
        jobSucceeded(int job_id, object result)
        jobFailed(int job_id, object exception)
        jobCancelled(int job_id): emitted by `cancel` itself, at once
        jobProgress(int job_id, object value): from `token.report(value)`
    """

    jobStarted = Signal(int)
    jobSucceeded = Signal(int, object)
    jobFailed = Signal(int, object)
    jobCancelled = Signal(int)
    jobProgress = Signal(int, object)

    _submitted = Signal(int, object)

    def __init__(self, thread: QThread, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._jobs: dict[int, tuple[_State, CancelToken]] = {}
        self._runner = _Runner(self)
        self._runner.moveToThread(thread)
        thread.started.connect(self._runner.name_thread)  # runs on the thread itself
        thread.finished.connect(self._runner.deleteLater)
        self._submitted.connect(self._runner.run)
        self._runner.started.connect(self._on_started)
        self._runner.finished.connect(self._on_finished)
        self._runner.progress.connect(self._on_progress)
        self._closed = False

    def submit(self, fn: Job) -> int:
        """Queue `fn` and return its job id. Raises RuntimeError once the thread is stopped."""
        if self._closed:
            raise RuntimeError("The worker thread has been stopped.")
        job_id = next(self._ids)
        runner = self._runner

        def progress(value: object) -> None:
            runner.progress.emit(job_id, value)

        with self._lock:
            self._jobs[job_id] = (_State.PENDING, CancelToken(job_id, progress))
        self._submitted.emit(job_id, fn)
        return job_id

    def cancel(self, job_id: int) -> bool:
        """Cancel a queued or running job: `jobCancelled` is emitted now and its result dropped.

        Returns False (and emits nothing) when the job already delivered its result or is
        unknown.
        """
        with self._lock:
            cancelled = self._cancel_locked(job_id)
        if cancelled:
            self.jobCancelled.emit(job_id)
        return cancelled

    def cancel_all(self) -> None:
        """Cancel every queued and running job."""
        # One lock for all of them: a job freed by its cancel hook must not let the runner
        # start the next job before that one is marked cancelled too.
        with self._lock:
            ids = [i for i in list(self._jobs) if self._cancel_locked(i)]
        for job_id in ids:
            self.jobCancelled.emit(job_id)

    def _cancel_locked(self, job_id: int) -> bool:
        entry = self._jobs.get(job_id)
        if entry is None or entry[0] is _State.CANCELLED:
            return False
        state, token = entry
        self._jobs[job_id] = (_State.CANCELLED, token)
        if state is not _State.FINISHED:
            # Under the lock, so a hook (e.g. client.cancel) never fires after the runner
            # has moved on to the next job.
            token.cancel()
        return True

    def is_active(self, job_id: int) -> bool:
        """True while the job is queued or running and not cancelled."""
        with self._lock:
            entry = self._jobs.get(job_id)
            return entry is not None and entry[0] in (_State.PENDING, _State.RUNNING)

    def _close(self) -> None:
        self._closed = True

    # --- runner side (background thread) ---------------------------------------------------

    def _begin(self, job_id: int) -> CancelToken | None:
        with self._lock:
            entry = self._jobs.get(job_id)
            if entry is None or entry[0] is not _State.PENDING:
                self._jobs.pop(job_id, None)
                return None
            self._jobs[job_id] = (_State.RUNNING, entry[1])
            return entry[1]

    def _end(self, job_id: int) -> None:
        with self._lock:
            entry = self._jobs.get(job_id)
            if entry is not None and entry[0] is _State.RUNNING:
                self._jobs[job_id] = (_State.FINISHED, entry[1])

    # --- delivery (GUI thread) -------------------------------------------------------------

    def _live(self, job_id: int) -> bool:
        with self._lock:
            entry = self._jobs.get(job_id)
            return entry is not None and entry[0] is not _State.CANCELLED

    @Slot(int)
    def _on_started(self, job_id: int) -> None:
        if self._live(job_id):
            self.jobStarted.emit(job_id)

    @Slot(int, object)
    def _on_progress(self, job_id: int, value: object) -> None:
        if self._live(job_id):
            self.jobProgress.emit(job_id, value)

    @Slot(int, bool, object)
    def _on_finished(self, job_id: int, ok: bool, result: object) -> None:
        with self._lock:
            entry = self._jobs.pop(job_id, None)
        if entry is None or entry[0] is _State.CANCELLED:
            return  # cancelled: jobCancelled went out already; the late result is dropped
        if ok:
            self.jobSucceeded.emit(job_id, result)
        else:
            self.jobFailed.emit(job_id, result)


class WorkerThread:
    """Owns a QThread and the `Worker` whose jobs run on it.

    `start()` once, `stop()` before the application quits (cancels everything, ends the thread
    and waits for it, so Qt never destroys a running thread).
    """

    def __init__(self, name: str = "attentive-worker") -> None:
        self._thread = QThread()
        self._thread.setObjectName(name)
        self._worker = Worker(self._thread)
        self._worker.setObjectName(name)
        self._stopped = False

    @property
    def worker(self) -> Worker:
        """The worker: submit and cancel jobs here, connect to its signals."""
        return self._worker

    @property
    def thread(self) -> QThread:
        """The background QThread (for tests and diagnostics)."""
        return self._thread

    def start(self) -> None:
        """Start the background thread (no-op if running)."""
        if self._stopped:
            raise RuntimeError("A stopped WorkerThread cannot be restarted.")
        if not self._thread.isRunning():
            self._thread.start()

    def is_running(self) -> bool:
        """True while the background thread runs."""
        return self._thread.isRunning()

    def stop(self, timeout_ms: int = 5000) -> bool:
        """Cancel all jobs, end the thread's event loop and wait up to `timeout_ms` for it.

        Returns True when the thread has ended. A job stuck in a call that ignores
        cancellation (an HTTP request in flight) holds the thread until it returns; if that
        takes longer than `timeout_ms`, the thread is kept alive in the background until it
        finishes rather than destroyed while running, and False is returned.
        """
        if self._stopped:
            return not self._thread.isRunning()
        self._stopped = True
        self._worker._close()
        self._worker.cancel_all()
        if not self._thread.isRunning():
            return True
        self._thread.quit()
        if self._thread.wait(timeout_ms):
            return True
        log.warning(
            "worker thread %s still busy after %d ms", self._thread.objectName(), timeout_ms
        )
        if not _LINGERING:
            atexit.register(_wait_for_lingering)
        _LINGERING.append((self._thread, self._worker))
        return False


# Threads whose job outlived stop(): kept referenced so Qt never destroys them while running,
# and waited for at exit (a request in flight ends within the client's timeout).
_LINGERING: list[tuple[QThread, Worker]] = []
_EXIT_WAIT_MS = 30_000


def _wait_for_lingering() -> None:
    for thread, _worker in _LINGERING:
        thread.wait(_EXIT_WAIT_MS)
