"""What BulkSession's worker jobs need besides the session: where a run writes, the engine
request for a child-process run, the history recorder of an in-process run, and the errors
the jobs raise. No widgets."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from attentive_desktop.api.bulk_process import EngineRequest
    from attentive_desktop.gui.worker import CancelToken
    from attentive_desktop.store.history import HistoryRecord, HistoryStore
    from attentive_desktop.store.journal import Journal

log = logging.getLogger(__name__)


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


class StopCheck(Exception):
    """Ends a cancelled dry run early."""


class NoKeyError(Exception):
    """The account has no API key here."""


def failure_recorder(
    history: HistoryStore | None, account: str, recorded: Callable[[HistoryRecord], None]
) -> Callable[[Any], None] | None:
    """An in-process run's on_exchange: each failed attempt goes to ``history`` under
    ``account`` and is passed to ``recorded``. Like the command line, successes are not kept
    (a 100,000-row file would bury everything else). None without a history."""
    if history is None:
        return None

    def record(exchange: Any) -> None:
        if exchange.succeeded:
            return
        try:
            stored = history.get(history.append(exchange, account=account))
        except Exception:
            return log.exception("could not store a request in the history")
        if stored is not None:
            recorded(stored)

    return record


def key_for(target: BulkTarget) -> str:
    """The target's API key (call it on a worker thread); NoKeyError when there is none."""
    key = target.key()
    if not key:
        raise NoKeyError(f"There is no API key for “{target.account}” on this computer.")
    return key


def engine_request(
    journal: Journal,
    path: str | Path,
    target: BulkTarget,
    key: str,
    resume: bool,
    workers: int | None,
    region: str,
) -> EngineRequest:
    """The EngineRequest for a run of ``path`` to ``target`` in a child process, with what
    the target's registry knows (types and catalog) so the child checks rows the same way."""
    from attentive_desktop.api.bulk import DEFAULT_WORKERS
    from attentive_desktop.api.bulk_process import EngineRequest

    registry = target.registry
    known = registry.types() if registry is not None else {}
    catalog = registry.catalog() if registry is not None else {}
    return EngineRequest(
        database=str(journal.database.path), path=str(path), account=target.account,
        base_url=target.base_url, key=key, resume=resume, workers=workers or DEFAULT_WORKERS,
        region=region, types={name: kind.value for name, kind in known.items()},
        catalog={name: list(values) for name, values in catalog.items()},
    )  # fmt: skip


def import_engine(_token: CancelToken) -> None:
    """Load the bulk engine's modules (run on the bulk worker thread)."""
    import attentive_desktop.api.bulk
    import attentive_desktop.core.bulk_rows
    import attentive_desktop.core.csv_input  # noqa: F401
