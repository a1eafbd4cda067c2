"""The bulk engine's public types, and opening a run: a new one, or the one to resume."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from attentive_desktop.api.client import AttentiveClient
from attentive_desktop.api.errors import Cancelled
from attentive_desktop.api.exchange import Exchange
from attentive_desktop.core.bulk_rows import BulkCsvReader
from attentive_desktop.core.csv_input import BulkFileError, count_records
from attentive_desktop.core.validation import SchemaView
from attentive_desktop.store.journal import (
    COMPLETED,
    DONE_STATES,
    FAILED,
    SENT,
    SKIPPED_EMPTY,
    SKIPPED_INVALID,
    BulkRun,
    Journal,
)

DEFAULT_WORKERS = 24
ClientFactory = Callable[[Callable[[Exchange], None]], AttentiveClient]
"""Builds the runner's own client, given the ``on_exchange`` hook the runner needs."""


class ResumeError(ValueError):
    """``--resume`` cannot continue: no unfinished run, or the file changed since."""


@dataclass(frozen=True)
class BulkProgress:
    """A snapshot of a run: rows done (sent + failed + skipped) of ``total``.

    ``rate`` is requests answered per second over the last few seconds; ``eta`` the seconds
    left at that rate (None until there is a rate). ``sharing`` is how many runs on this
    computer (this one included) split the account's rate limit now.
    """

    done: int
    total: int
    sent: int
    failed: int
    skipped: int
    rate: float
    eta: float | None
    elapsed: float
    paused: bool
    sharing: int = 1


@dataclass(frozen=True)
class RowOutcome:
    """What happened to one row: its final (or skipped) state, attempts and message."""

    row_no: int
    label: str
    state: str
    attempts: int
    message: str


@dataclass(frozen=True)
class BulkSummary:
    """How a run ended. ``status`` is completed, cancelled or stopped (``error`` says why)."""

    run_id: int
    status: str
    total: int
    sent: int
    failed: int
    skipped_invalid: int
    skipped_empty: int
    pending: int
    elapsed: float
    error: str | None = None

    @classmethod
    def of_run(
        cls, journal: Journal, run: BulkRun, status: str, elapsed: float, error: str | None
    ) -> BulkSummary:
        """How ``run`` ended, counted from its journaled row states."""
        counts = journal.counts(run.id)
        final = sum(counts[s] for s in DONE_STATES) + counts[FAILED]
        return cls(
            run_id=run.id,
            status=status,
            total=run.total_rows,
            sent=counts[SENT],
            failed=counts[FAILED],
            skipped_invalid=counts[SKIPPED_INVALID],
            skipped_empty=counts[SKIPPED_EMPTY],
            pending=max(0, run.total_rows - final),
            elapsed=elapsed,
            error=error,
        )

    @property
    def all_sent(self) -> bool:
        """True when the run completed with no failed, invalid or unsent row."""
        return (
            self.status == COMPLETED
            and not self.failed
            and not self.skipped_invalid
            and not self.pending
        )


def file_sha256(path: str | Path, chunk: int = 1 << 20) -> str:
    """The SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


class RunControls:
    """Pause, resume and cancel, callable from any thread; the sending threads wait here.

    State lives under one Condition (``_cond``) that the runner also uses for its counters.
    """

    _cond: threading.Condition
    _paused: bool
    _cancelled: bool
    _in_flight: int
    _client: AttentiveClient | None

    def pause(self) -> None:
        """Let requests in flight finish and start no new one until ``resume``."""
        with self._cond:
            self._paused = True
            self._cond.notify_all()

    def resume(self) -> None:
        """Continue after ``pause``."""
        with self._cond:
            self._paused = False
            self._cond.notify_all()

    def cancel(self) -> None:
        """Stop the run: unsent rows stay pending in the journal, to be resumed later."""
        with self._cond:
            self._cancelled = True
            self._cond.notify_all()
            client = self._client
        if client is not None:
            client.cancel()  # aborts retries, backoff and pacing waits at once

    @property
    def paused(self) -> bool:
        """True between ``pause`` and ``resume``."""
        with self._cond:
            return self._paused

    @property
    def cancelled(self) -> bool:
        """True once ``cancel`` was called (or the run stopped itself)."""
        with self._cond:
            return self._cancelled

    @property
    def in_flight(self) -> int:
        """Rows being sent right now (a pause lets these finish)."""
        with self._cond:
            return self._in_flight

    def _hold_while_paused(self) -> None:
        """A row past its turn but still waiting for the pacer when Pause came: it stays
        until Resume (Cancel: it stays pending, via Cancelled)."""
        with self._cond:
            if self._paused and not self._cancelled:
                self._in_flight -= 1  # not on the wire while it waits: "paused" can show
                while self._paused and not self._cancelled:
                    self._cond.wait()
                self._in_flight += 1
            if self._cancelled:
                raise Cancelled()

    def _wait_turn(self) -> bool:
        """Wait while paused; False when cancelled. Counts the row in flight when it may go."""
        with self._cond:
            while self._paused and not self._cancelled:
                self._cond.wait()
            if self._cancelled:
                return False
            self._in_flight += 1
            return True


def open_run(
    journal: Journal,
    path: str | Path,
    *,
    region: str = "US",
    schema: SchemaView | None = None,
    account: str = "",
    base_url: str = "",
    resume: bool = False,
) -> BulkRun:
    """Check the file's header and count its rows; start a new run, or find the one to resume.

    The file is identified by its absolute path and checked by SHA-256. Raises BulkFileError
    when the header is unusable, ResumeError when ``resume`` finds no unfinished run of this
    file, the file changed since, or the run was for another account.
    """
    resolved = str(Path(path).resolve())
    with BulkCsvReader(resolved, region=region, schema=schema) as reader:
        if reader.layout.fatal:
            raise BulkFileError([p for p in reader.layout.problems if p.severity == "error"])
    digest = file_sha256(resolved)
    if resume:
        return _find_resumable(journal, resolved, digest, account)
    return journal.create_run(
        file_path=resolved,
        file_sha256=digest,
        file_size=Path(resolved).stat().st_size,
        total_rows=count_records(resolved),
        account=account,
        base_url=base_url,
    )


def _find_resumable(journal: Journal, path: str, digest: str, account: str) -> BulkRun:
    run = journal.latest_run(path)
    if run is None or not journal.is_unfinished(run.id):
        raise ResumeError(
            f"There is no unfinished run of {path} to resume. Run it without --resume to "
            "start a new run."
        )
    if run.file_sha256 != digest:
        raise ResumeError(
            f"The file {path} changed since run {run.id} began, so its row numbers may no "
            "longer match. Run it without --resume to start a new run."
        )
    if run.account != account:
        env = "(API key from the environment)"
        raise ResumeError(
            f"Run {run.id} was for account '{run.account or env}', not '{account or env}'. "
            "Resume it with that account."
        )
    return run
