"""The Bulk dialog's engine room: preview, dry run, runs and reports, all on a worker thread.

BulkSession owns its own WorkerThread (the app's one background primitive; a run keeps it
busy for minutes). A run's rows are sent by a child process (api/bulk_process.py) whose
events the worker job relays; private signals queue them to the GUI thread, re-emitted as
the public signals below. With a client_factory (tests' fakes) the BulkRunner runs in-process.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal, Slot

from attentive_desktop.gui.bulk_jobs import (
    BulkTarget,
    NoKeyError,
    StopCheck,
    engine_request,
    failure_recorder,
    import_engine,
    key_for,
)
from attentive_desktop.gui.worker import CancelToken, WorkerThread

if TYPE_CHECKING:
    from attentive_desktop.api.bulk import BulkRunner
    from attentive_desktop.api.bulk_process import BulkProcess
    from attentive_desktop.store.history import HistoryStore
    from attentive_desktop.store.journal import Journal

MAX_PROBLEMS = 10_000  # dry-run problems kept for the table (all are counted)


class BulkSession(QObject):
    """Runs the Bulk dialog's work off the GUI thread; use it from the GUI thread.

    Signals:
        previewReady(object FilePreview): see gui/bulk_preview.py
        checked(object CheckReport): the dry run finished (nothing was sent)
        runOpened(object BulkRun): a run (new or resumed) is about to send
        rowsLoaded(object list[JournalRow]): a resumed run's rows already in the journal
        progressed(object BulkProgress): throttled snapshots during a run
        rowDone(object RowOutcome): one row reached a state
        finished(object BulkSummary): the run ended (completed, cancelled or stopped)
        reportWritten(str path, int rows)
        failed(str message): a job failed, in plain words (never the key)
        busyChanged(bool)
        historyRecorded(object HistoryRecord): an unsuccessful request attempt was stored
        engineLoaded(): the worker has loaded the engine's modules (asked at construction)
    """

    previewReady = Signal(object)
    checked = Signal(object)
    runOpened = Signal(object)
    rowsLoaded = Signal(object)
    progressed = Signal(object)
    rowDone = Signal(object)
    finished = Signal(object)
    reportWritten = Signal(str, int)
    failed = Signal(str)
    busyChanged = Signal(bool)
    historyRecorded = Signal(object)
    engineLoaded = Signal()

    # Emitted from the runner's threads; queued to the slots below on the GUI thread.
    _opened = Signal(object)
    _loaded = Signal(object)
    _progress = Signal(object)
    _row = Signal()  # "rows are waiting in _pending_rows" (one wake-up per batch)
    _recorded = Signal(object)

    def __init__(
        self,
        journal: Journal,
        *,
        history: HistoryStore | None = None,
        region: str = "US",
        workers: int | None = None,
        client_factory: Callable[..., Any] | None = None,
        in_process: bool | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        # Runs send from a child process (api/bulk_process.py) unless ``in_process``; a
        # ``client_factory`` (a test's fake transport) cannot cross into one.
        self._in_process = client_factory is not None if in_process is None else in_process
        self._journal = journal
        self._history = history
        self._region = region
        self._workers = workers
        self._client_factory = client_factory
        self._thread = WorkerThread("attentive-bulk")
        worker = self._thread.worker
        worker.jobSucceeded.connect(self._on_succeeded)
        worker.jobFailed.connect(self._on_failed)
        worker.jobCancelled.connect(self._on_cancelled)
        self._opened.connect(self._relay_opened)
        self._loaded.connect(self._relay_loaded)
        self._progress.connect(self._relay_progress)
        self._row.connect(self._relay_rows)
        self._recorded.connect(self._relay_recorded)
        self._pending_rows: list[object] = []
        self._rows_lock = threading.Lock()
        self._thread.start()
        # The engine's modules (CSV checks, phone metadata, the runner) load on the worker
        # while the window is idle, so the first preview or dry run does not wait for them:
        # importing them then stalled the GUI thread 20–30 ms (bench/gui_stall.py).
        self._engine_job: int | None = self._thread.worker.submit(import_engine)
        self._jobs: dict[int, tuple[str, Callable[[Any], None]]] = {}  # id → (kind, on done)
        self._secrets: tuple[str, ...] = ()
        self.runner: BulkRunner | BulkProcess | None = None
        self.last_progress: Any = None  # the latest BulkProgress of the run in progress
        self._closed = False

    # --- jobs (GUI thread) ----------------------------------------------------------------

    def load_preview(self, path: str | Path, target: BulkTarget | None) -> int:
        """Read the header, the first rows and the row count; look for a run to resume."""
        registry = target.registry if target else None
        account = target.account if target else None
        from attentive_desktop.gui.bulk_preview import read_preview

        return self._submit(
            lambda token: read_preview(token, Path(path), registry, self._journal, account),
            "preview",
            self.previewReady.emit,
        )

    def dry_run(self, path: str | Path, target: BulkTarget | None) -> int:
        """Check every row of the file and report every problem; sends nothing."""
        from attentive_desktop.core.bulk_rows import check_file

        registry = target.registry if target else None

        def job(token: CancelToken) -> object:
            def on_problem(_problem: object) -> None:
                if token.cancelled:
                    raise StopCheck

            try:
                return check_file(
                    path, region=self._region, schema=registry, keep=MAX_PROBLEMS,
                    on_problem=on_problem,
                )  # fmt: skip
            except StopCheck:
                return None

        return self._submit(job, "check", self.checked.emit)

    def start(self, path: str | Path, target: BulkTarget, *, resume: bool = False) -> int:
        """Send the file's rows to ``target`` (``resume``: continue its unfinished run, which
        re-sends its failed and pending rows). Ends in ``finished`` or ``failed``."""
        from attentive_desktop.api.bulk import DEFAULT_WORKERS, BulkRunner

        self.last_progress = None
        if not self._in_process:
            return self._start_process(path, target, resume)
        registry = target.registry
        runner = BulkRunner(
            self._factory_for(target),
            self._journal,
            workers=self._workers or DEFAULT_WORKERS,
            region=self._region,
            schema=registry,
            learn=registry.learn_all if registry is not None else None,
            on_progress=self._progress.emit,
            on_row=self._queue_row,
            on_exchange=failure_recorder(self._history, target.account, self._recorded.emit),
        )
        self.runner = runner
        journal = self._journal

        def job(token: CancelToken) -> object:
            token.add_callback(runner.cancel)
            run = runner.open_run(
                path, account=target.account, base_url=target.base_url, resume=resume
            )
            self._opened.emit(run)
            if resume:
                self._loaded.emit(list(journal.rows(run.id)))
            return self._pending_shown(runner.execute(run))

        return self._submit(job, "run", self.finished.emit)

    def _pending_shown(self, summary: Any) -> Any:
        if summary.pending:  # cancelled or stopped: show the rows left to send
            self._loaded.emit(list(self._journal.rows(summary.run_id, states=("pending",))))
        return summary

    def _start_process(self, path: str | Path, target: BulkTarget, resume: bool) -> int:
        from attentive_desktop.api.bulk_process import BulkProcess, EngineEvents

        journal, history, registry = self._journal, self._history, target.registry

        def opened(run: Any) -> None:
            self._opened.emit(run)
            if resume:
                self._loaded.emit(list(journal.rows(run.id)))

        def recorded(history_id: int) -> None:
            stored = history.get(history_id) if history is not None else None
            if stored is not None:
                self._recorded.emit(stored)

        events = EngineEvents(
            opened=opened, progress=self._progress.emit, row=self._queue_row,
            recorded=recorded, learned=registry.learn_all if registry is not None else list,
        )  # fmt: skip
        process = self.runner = BulkProcess(events)

        def job(token: CancelToken) -> object:
            token.add_callback(process.cancel)
            key = key_for(target)  # on the worker thread: the keychain may take its time
            self._secrets = (key,)
            settings = (resume, self._workers, self._region)
            request = engine_request(journal, path, target, key, *settings)
            return self._pending_shown(process.run(request))

        return self._submit(job, "run", self.finished.emit)

    def pause(self) -> None:
        """Let requests in flight finish and send no more until ``resume``."""
        if self.runner is not None:
            self.runner.pause()

    def resume(self) -> None:
        """Continue a paused run."""
        if self.runner is not None:
            self.runner.resume()

    def cancel(self) -> None:
        """Stop the run (unsent rows stay pending in the journal); ``finished`` follows."""
        if self.runner is not None:
            self.runner.cancel()

    def cancel_jobs(self) -> None:
        """Drop a preview or dry run in progress (not a run: use ``cancel``)."""
        for job_id, (kind, _done) in list(self._jobs.items()):
            if kind in ("preview", "check"):
                self._thread.worker.cancel(job_id)

    def export_report(
        self, run_id: int, path: str | Path, states: Iterable[str] | None = None
    ) -> int:
        """Write the run's per-row report as CSV; ends in ``reportWritten``."""
        chosen = tuple(states) if states is not None else None
        journal = self._journal
        return self._submit(
            lambda token: (str(path), journal.export_report(run_id, path, states=chosen)),
            "report",
            lambda result: self.reportWritten.emit(*result),  # type: ignore[misc]
        )

    def is_busy(self) -> bool:
        """True while a job is queued or running."""
        return bool(self._jobs)

    def set_region(self, region: str) -> None:
        """Read numbers without "+" in ``region`` from the next check or run on."""
        self._region = region

    def is_running(self) -> bool:
        """True while a run is queued or sending."""
        return any(kind == "run" for kind, _done in self._jobs.values())

    def shutdown(self, timeout_ms: int = 5000) -> None:
        """Cancel everything (a run keeps its unsent rows pending) and stop the thread."""
        if self._closed:
            return
        self._closed = True
        self.cancel()
        self._thread.stop(timeout_ms)

    # --- worker side ----------------------------------------------------------------------

    def _factory_for(self, target: BulkTarget) -> Callable[[Any], Any]:
        def make(hook: Any) -> Any:
            key = key_for(target)  # on the worker thread: the keychain may take its time
            self._secrets = (key,)
            if self._client_factory is not None:
                return self._client_factory(target.base_url, key, hook)
            from attentive_desktop.api.client import AttentiveClient

            return AttentiveClient(target.base_url, key, on_exchange=hook)

        return make

    def _submit(
        self, job: Callable[[CancelToken], object], kind: str, done: Callable[[Any], None]
    ) -> int:
        job_id = self._thread.worker.submit(job)
        was_busy = bool(self._jobs)
        self._jobs[job_id] = (kind, done)
        if not was_busy:
            self.busyChanged.emit(True)
        return job_id

    # --- results (GUI thread) -------------------------------------------------------------

    def _end(self, job_id: int) -> Callable[[Any], None] | None:
        entry = self._jobs.pop(job_id, None)
        if entry is not None and not self._jobs:
            self.busyChanged.emit(False)
        return entry[1] if entry is not None else None

    @property
    def engine_loaded(self) -> bool:
        """True once the engine's modules are loaded (or failed to: a job will say why)."""
        return self._engine_job is None

    def _engine_done(self, job_id: int) -> bool:
        if job_id != self._engine_job:
            return False
        self._engine_job = None
        self.engineLoaded.emit()
        return True

    @Slot(int, object)
    def _on_succeeded(self, job_id: int, result: object) -> None:
        if self._engine_done(job_id):
            return
        done = self._end(job_id)
        if done is not None and result is not None:
            done(result)

    @Slot(int, object)
    def _on_failed(self, job_id: int, exc: object) -> None:
        if self._engine_done(job_id) or self._end(job_id) is None:
            return
        from attentive_desktop.gui.api_service import describe_error

        if isinstance(exc, NoKeyError) or type(exc).__name__ in (
            "BulkFileError", "ResumeError", "EngineFailed"
        ):  # fmt: skip
            message = str(exc)
        else:
            message, _kind = describe_error(exc, self._secrets)  # type: ignore[arg-type]
        self.failed.emit(message)

    @Slot(int)
    def _on_cancelled(self, job_id: int) -> None:
        self._end(job_id)

    @Slot(object)
    def _relay_opened(self, run: object) -> None:
        self.runOpened.emit(run)

    @Slot(object)
    def _relay_loaded(self, rows: object) -> None:
        self.rowsLoaded.emit(rows)

    @Slot(object)
    def _relay_progress(self, progress: object) -> None:
        self.last_progress = progress
        self.progressed.emit(progress)

    def _queue_row(self, outcome: object) -> None:
        # On the runner's threads. Rows reach the GUI thread in batches: one queued call per
        # batch, not per row, so the GUI thread takes the GIL once for many rows (24 sending
        # threads compete for it; a wait per row added up to 20–30 ms stalls).
        with self._rows_lock:
            self._pending_rows.append(outcome)
            wake = len(self._pending_rows) == 1
        if wake:
            self._row.emit()

    @Slot()
    def _relay_rows(self) -> None:
        with self._rows_lock:
            rows, self._pending_rows = self._pending_rows, []
        for outcome in rows:
            self.rowDone.emit(outcome)

    @Slot(object)
    def _relay_recorded(self, record: object) -> None:
        self.historyRecorded.emit(record)
