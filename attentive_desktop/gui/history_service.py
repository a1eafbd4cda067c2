"""Reads the request history off the GUI thread, on a worker thread of its own."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot

from attentive_desktop.gui.worker import CancelToken, WorkerThread

if TYPE_CHECKING:
    from attentive_desktop.store.history import HistoryRecord, HistoryStore
    from attentive_desktop.store.history_order import HistoryOrder
    from attentive_desktop.store.history_search import HistoryFilter

log = logging.getLogger(__name__)

_STALE = object()  # a job skipped because a newer generation was requested meanwhile


class HistoryService(QObject):
    """Pages, counts and single records of the HistoryStore, read on a background thread.

    Requests carry a `generation` (the caller's filter version) that comes back with the
    result; a queued request whose generation is older than the newest one requested is
    skipped without touching the database, so typing in a filter never piles up queries.
    Call `shutdown()` before the application quits.

    Signals:
        pageLoaded(int generation, int offset, list[HistoryRecord])
        countLoaded(int generation, int count)
        recordLoaded(object HistoryRecord | None)
        cleared()
        failed(str message): the database could not be read or cleared
        taskDone(int job, object result): a `run` job finished
        taskFailed(int job, str message): a `run` job raised
    """

    pageLoaded = Signal(int, int, object)
    countLoaded = Signal(int, int)
    recordLoaded = Signal(object)
    cleared = Signal()
    failed = Signal(str)
    taskDone = Signal(int, object)
    taskFailed = Signal(int, str)

    def __init__(self, store: HistoryStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._latest = 0  # newest generation requested; read by jobs on the worker thread
        self._thread = WorkerThread("attentive-history")
        self._thread.worker.jobSucceeded.connect(self._on_succeeded)
        self._thread.worker.jobFailed.connect(self._on_failed)
        self._thread.start()
        self._closed = False

    def request_ordered_page(
        self,
        order: HistoryOrder,
        after: HistoryRecord | None,
        limit: int,
        *,
        text: str | None = None,
        flt: HistoryFilter | None = None,
        generation: int = 0,
        offset: int = 0,
    ) -> int:
        """Load up to `limit` records in `order` listed after `after` (keyset paging over any
        column), matching `flt` or else `text`. → pageLoaded(generation, offset, records)."""
        store = self._store

        def load() -> object:
            return store.page_ordered(order, after, limit, text=text, flt=flt)

        return self._submit(generation, lambda: ("page", generation, offset, load()))

    def request_count(self, text: str | None = None, *, generation: int = 0) -> int:
        """Count the records matching `text`. → countLoaded."""
        store = self._store
        return self._submit(generation, lambda: ("count", generation, store.count(text)))

    def request_count_matching(self, flt: HistoryFilter, *, generation: int = 0) -> int:
        """Count the records matching the history-tools filter. → countLoaded."""
        store = self._store
        return self._submit(generation, lambda: ("count", generation, store.count_matching(flt)))

    def run(self, fn: Callable[[HistoryStore], object]) -> int:
        """Run `fn(store)` on the history thread (exports, retention, revision look-ups).
        → taskDone(job, result) or taskFailed(job, message)."""
        store = self._store

        def task() -> tuple[str, object]:
            try:
                return ("task", fn(store))
            except Exception as exc:
                log.exception("a history task failed")
                return ("task-failed", str(exc) or type(exc).__name__)

        return self._submit(None, task)

    def request_record(self, record_id: int) -> int:
        """Load one record with its bodies. → recordLoaded."""
        store = self._store
        return self._submit(None, lambda: ("record", store.get(record_id)))

    def clear(self) -> int:
        """Delete every record. → cleared."""
        store = self._store

        def wipe() -> tuple[str]:
            store.clear()
            return ("cleared",)

        return self._submit(None, wipe)

    def shutdown(self, timeout_ms: int = 5000) -> None:
        """Stop the worker thread (pending reads are dropped). Idempotent."""
        if not self._closed:
            self._closed = True
            self._thread.stop(timeout_ms)

    def _submit(self, generation: int | None, fn: Callable[[], object]) -> int:
        if generation is not None:
            self._latest = max(self._latest, generation)

        def job(token: CancelToken) -> object:
            if generation is not None and generation < self._latest:
                return _STALE
            return fn()

        return self._thread.worker.submit(job)

    @Slot(int, object)
    def _on_succeeded(self, job_id: int, result: object) -> None:
        if result is _STALE or not isinstance(result, tuple):
            return
        kind, *values = result
        if kind == "page":
            generation, offset, records = values
            self.pageLoaded.emit(generation, offset, records)
        elif kind == "count":
            self.countLoaded.emit(*values)
        elif kind == "record":
            self.recordLoaded.emit(values[0])
        elif kind == "cleared":
            self.cleared.emit()
        elif kind == "task":
            self.taskDone.emit(job_id, values[0])
        elif kind == "task-failed":
            self.taskFailed.emit(job_id, values[0])

    @Slot(int, object)
    def _on_failed(self, job_id: int, exc: object) -> None:
        log.error("reading the history failed", exc_info=exc)  # type: ignore[arg-type]
        self.failed.emit(f"The request history could not be read: {exc}")
