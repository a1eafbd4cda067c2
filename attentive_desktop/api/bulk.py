"""Bulk updates from a CSV file: concurrent, paced, journaled, pausable and cancellable.

The engine behind `attentive-desktop bulk` and the window's Bulk dialog, with no Qt in it.
A GUI builds a ``BulkRunner`` with a client factory (sharing the app's RateLimitPacer if it
likes: ``lambda hook: AttentiveClient(url, key, on_exchange=hook, pacer=pacer)``), calls
``open_run`` then ``execute`` (or ``run``) on a worker thread, and ``pause``, ``resume`` and
``cancel`` from its own thread. ``on_progress`` receives ``BulkProgress`` snapshots (throttled,
from a runner thread) and ``on_row`` each ``RowOutcome`` (from a sending thread): forward them
to the GUI thread through a queued signal. Reports come from ``store.journal.Journal``.
"""

from attentive_desktop.api.bulk_runner import BulkRunner
from attentive_desktop.api.bulk_types import (
    DEFAULT_WORKERS,
    BulkProgress,
    BulkSummary,
    ClientFactory,
    ResumeError,
    RowOutcome,
    file_sha256,
    open_run,
)

__all__ = [
    "DEFAULT_WORKERS",
    "BulkProgress",
    "BulkRunner",
    "BulkSummary",
    "ClientFactory",
    "ResumeError",
    "RowOutcome",
    "file_sha256",
    "open_run",
]
