"""The Bulk dialog's engine room: preview, dry run, runs and reports, all on a worker thread.

BulkSession owns its own WorkerThread (the app's one background primitive; a run keeps it
busy for minutes, so it is not the ApiService's). The BulkRunner's callbacks fire on the
runner's and the sending threads: they emit private signals that Qt queues to this object on
the GUI thread, which re-emits them as the public signals below.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal, Slot

from attentive_desktop.gui.worker import CancelToken, WorkerThread

if TYPE_CHECKING:
    from attentive_desktop.api.bulk import BulkRunner
    from attentive_desktop.store.history import HistoryStore
    from attentive_desktop.store.journal import Journal

log = logging.getLogger(__name__)

MAX_PROBLEMS = 10_000  # dry-run problems kept for the table (all are counted)


@dataclass(frozen=True)
class BulkTarget:
    """Where a run writes: account name, base URL, the "Writing to: …" line, and how to get
    the key (``key()`` is called on the worker thread, never the GUI thread). ``registry`` is
    that account's SchemaRegistry (captured, so switching accounts mid-run changes nothing)."""

    account: str
    base_url: str
    description: str
    key: Callable[[], str | None]
    registry: Any = None


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
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
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
        self._thread.worker.submit(_import_engine)
        self._jobs: dict[int, tuple[str, Callable[[Any], None]]] = {}  # id → (kind, on done)
        self._secrets: tuple[str, ...] = ()
        self.runner: BulkRunner | None = None
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
                    raise _Stop

            try:
                return check_file(
                    path, region=self._region, schema=registry, keep=MAX_PROBLEMS,
                    on_problem=on_problem,
                )  # fmt: skip
            except _Stop:
                return None

        return self._submit(job, "check", self.checked.emit)

    def start(self, path: str | Path, target: BulkTarget, *, resume: bool = False) -> int:
        """Send the file's rows to ``target`` (``resume``: continue its unfinished run, which
        re-sends its failed and pending rows). Ends in ``finished`` or ``failed``."""
        from attentive_desktop.api.bulk import DEFAULT_WORKERS, BulkRunner

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
            on_exchange=self._history_hook(target.account),
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
            summary = runner.execute(run)
            if summary.pending:  # cancelled or stopped: show the rows left to send
                self._loaded.emit(list(journal.rows(run.id, states=("pending",))))
            return summary

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
        custom = self._client_factory

        def make(hook: Any) -> Any:
            key = target.key()  # on the worker thread: the keychain may take its time
            if not key:
                raise _NoKey(f"There is no API key for “{target.account}” on this computer.")
            self._secrets = (key,)
            if custom is not None:
                return custom(target.base_url, key, hook)
            from attentive_desktop.api.client import AttentiveClient

            return AttentiveClient(target.base_url, key, on_exchange=hook)

        return make

    def _history_hook(self, account: str) -> Callable[[Any], None] | None:
        history = self._history
        if history is None:
            return None

        def record(exchange: Any) -> None:
            # Like the command line: a run's failed attempts go to the history, not every
            # success (a 100,000-row file would bury everything else).
            if exchange.status is not None and 200 <= exchange.status <= 299:
                return
            try:
                stored = history.get(history.append(exchange, account=account))
            except Exception:
                log.exception("could not store a request in the history")
                return
            if stored is not None:
                self._recorded.emit(stored)

        return record

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

    @Slot(int, object)
    def _on_succeeded(self, job_id: int, result: object) -> None:
        done = self._end(job_id)
        if done is not None and result is not None:
            done(result)

    @Slot(int, object)
    def _on_failed(self, job_id: int, exc: object) -> None:
        if self._end(job_id) is None:
            return
        from attentive_desktop.gui.api_service import describe_error

        if isinstance(exc, _NoKey) or type(exc).__name__ in ("BulkFileError", "ResumeError"):
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


class _Stop(Exception):
    """Ends a cancelled dry run early."""


class _NoKey(Exception):
    """The account has no API key here."""


def _import_engine(_token: CancelToken) -> None:
    """Load the bulk engine's modules (run on the bulk worker thread)."""
    import attentive_desktop.api.bulk
    import attentive_desktop.core.bulk_rows
    import attentive_desktop.core.csv_input  # noqa: F401
