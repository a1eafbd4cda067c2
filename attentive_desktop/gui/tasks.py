"""Background jobs with callbacks: API calls on ApiService's worker, disk work on the history
thread. The GUI thread only ever waits for a signal."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QObject

Done = Callable[[Any], None]
Failed = Callable[[str, str], None]


def _ignore_failure(message: str, kind: str) -> None:
    pass


class Tasks(QObject):
    """Run `fn` off the GUI thread and call `on_done(result)` or `on_error(message, kind)`
    back on the GUI thread. `api(...)` runs on the API worker (with the account's client);
    `disk(...)` on the history thread (exports, retention, revisions). A cancelled API job
    calls `on_error(..., "cancelled")`."""

    def __init__(self, api: Any, history_service: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._api = api
        self._history = history_service
        self._api_jobs: dict[int, tuple[Done, Failed]] = {}
        self._disk_jobs: dict[int, tuple[Done, Failed]] = {}
        api.called.connect(self._api_done)
        api.sent.connect(lambda job: self._api_done(job, None))
        api.failed.connect(self._api_failed)
        api.cancelled.connect(lambda job: self._api_failed(job, "Cancelled.", "cancelled"))
        history_service.taskDone.connect(self._disk_done)
        history_service.taskFailed.connect(self._disk_failed)

    def api(
        self,
        fn: Callable[[Any], object],
        on_done: Done,
        on_error: Failed | None = None,
        *,
        needs_client: bool = True,
    ) -> int:
        """`fn(client)` on the API worker."""
        job = self._api.call(fn, needs_client=needs_client)
        self._api_jobs[job] = (on_done, on_error or _ignore_failure)
        return job

    def send(
        self,
        user: Any,
        properties: Mapping[str, str],
        on_done: Done,
        on_error: Failed | None = None,
        *,
        after: Callable[[float], object] | None = None,
    ) -> int:
        """ApiService.send with callbacks (`on_done(None)` once sent)."""
        job = self._api.send(user, properties, after=after)
        self._api_jobs[job] = (on_done, on_error or _ignore_failure)
        return job

    def disk(
        self, fn: Callable[[Any], object], on_done: Done, on_error: Failed | None = None
    ) -> int:
        """`fn(history_store)` on the history thread."""
        job = self._history.run(fn)
        self._disk_jobs[job] = (on_done, on_error or _ignore_failure)
        return job

    def cancel(self, job: int) -> None:
        """Cancel an API job (its on_error gets kind "cancelled")."""
        if job in self._api_jobs:
            self._api.cancel(job)

    def _api_done(self, job: int, result: object) -> None:
        callbacks = self._api_jobs.pop(job, None)
        if callbacks is not None:
            callbacks[0](result)

    def _api_failed(self, job: int, message: str, kind: str) -> None:
        callbacks = self._api_jobs.pop(job, None)
        if callbacks is not None:
            callbacks[1](message, kind)

    def _disk_done(self, job: int, result: object) -> None:
        callbacks = self._disk_jobs.pop(job, None)
        if callbacks is not None:
            callbacks[0](result)

    def _disk_failed(self, job: int, message: str) -> None:
        callbacks = self._disk_jobs.pop(job, None)
        if callbacks is not None:
            callbacks[1](message, "storage")
