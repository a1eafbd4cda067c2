"""BulkRunner: sends a CSV's rows concurrently, paced, journaled, pausable and cancellable.

How a GUI drives it: see api/bulk.py."""

from __future__ import annotations

import queue
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from pathlib import Path

from attentive_desktop.api.bulk_types import (
    DEFAULT_WORKERS,
    BulkProgress,
    BulkSummary,
    ClientFactory,
    RowOutcome,
    RunControls,
    open_run,
)
from attentive_desktop.api.client import AttentiveClient
from attentive_desktop.api.errors import (
    AccessDenied,
    ApiError,
    Cancelled,
    NetworkError,
    RateLimited,
    RequestTimeout,
    ServerError,
    Unauthorized,
)
from attentive_desktop.api.exchange import Exchange
from attentive_desktop.core.bulk_rows import BulkCsvReader, CsvRow
from attentive_desktop.core.csv_input import BulkFileError
from attentive_desktop.core.validation import SchemaView
from attentive_desktop.store.journal import (
    CANCELLED,
    COMPLETED,
    DONE_STATES,
    FAILED,
    PENDING,
    RUNNING,
    SENT,
    SKIPPED_EMPTY,
    SKIPPED_INVALID,
    STOPPED,
    BulkRun,
    Journal,
)
from attentive_desktop.store.rate_share import FOLDER_NAME, RateShare, scope_of

_BATCH = 50  # rows journaled as pending per commit, before they are queued for sending
_STATE_WINDOW = 5000  # journaled row states read at a time when resuming
_RATE_WINDOW = 5.0  # seconds of completions the rate is measured over
_MAX_TRANSIENT_IN_A_ROW = 10


class BulkRunner(RunControls):
    """Sends every row of a bulk CSV as one POST /attributes/custom each, journaling each row.

    ``workers`` threads share one client (built by ``client_factory``) and so one
    RateLimitPacer, which paces them to the server's x-ratelimit-* headers; retries are the
    client's. Rows are read, checked and journaled as they stream from the file. Thread-safe
    controls: ``pause`` (requests in flight finish, no new one starts), ``resume``, ``cancel``
    (waits and retries are aborted; unsent rows stay pending for a later resume).

    A 401 or 403 stops the run (every other row would fail the same way), as do
    ``_MAX_TRANSIENT_IN_A_ROW`` rows in a row failing for network/server reasons; the run can
    be resumed later. ``learn(pairs)`` is told the properties of each sent row (e.g.
    SchemaRegistry.learn_all); ``on_exchange`` receives every request attempt. Runs on one
    account at once split its rate limit (store/rate_share.py; they meet in ``share_dir``).
    """

    def __init__(
        self,
        client_factory: ClientFactory,
        journal: Journal,
        *,
        workers: int = DEFAULT_WORKERS,
        region: str = "US",
        schema: SchemaView | None = None,
        learn: Callable[[Iterable[tuple[str, str]]], object] | None = None,
        on_progress: Callable[[BulkProgress], None] | None = None,
        progress_interval: float = 0.25,
        on_row: Callable[[RowOutcome], None] | None = None,
        on_exchange: Callable[[Exchange], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
        share_dir: Path | None = None,
    ) -> None:
        if workers < 1:
            raise ValueError("workers must be at least 1")
        self._client_factory = client_factory
        self._journal = journal
        self._workers = workers
        self._region = region
        self._schema = schema
        self._learn = learn
        self.on_progress = on_progress
        self._interval = progress_interval
        self.on_row = on_row
        self._on_exchange = on_exchange
        self._clock = clock
        self._share_dir = share_dir or journal.database.path.parent / FOLDER_NAME
        self._cond = threading.Condition()
        self._local = threading.local()
        self._client: AttentiveClient | None = None
        self._share: RateShare | None = None
        self._reset(total=0)

    def _reset(self, total: int) -> None:
        self._paused = False
        self._cancelled = False
        self._stop_reason: str | None = None
        self._fatal: BaseException | None = None
        self._total = total
        self._sent = self._failed = self._skipped = 0
        self._transient_in_a_row = 0
        self._in_flight = 0
        self._claimed: set[str] = set()  # users with a row queued or in flight
        self._completions: deque[float] = deque()
        self._started = self._clock()

    # -- controls (any thread) ---------------------------------------------------------------

    def progress(self) -> BulkProgress:
        """A snapshot of the current (or last) run."""
        with self._cond:
            now = self._clock()
            while self._completions and self._completions[0] < now - _RATE_WINDOW:
                self._completions.popleft()
            span = min(_RATE_WINDOW, max(now - self._started, 1e-9))
            rate = len(self._completions) / span if self._completions else 0.0
            done = self._sent + self._failed + self._skipped
            left = max(0, self._total - done)
            return BulkProgress(
                done=done,
                total=self._total,
                sent=self._sent,
                failed=self._failed,
                skipped=self._skipped,
                rate=rate,
                eta=left / rate if rate > 0 else (0.0 if not left else None),
                elapsed=now - self._started,
                paused=self._paused,
                sharing=self._share.sharers if self._share is not None else 1,
            )

    # -- running ---------------------------------------------------------------------------

    def open_run(
        self, path: str | Path, *, account: str = "", base_url: str = "", resume: bool = False
    ) -> BulkRun:
        """Check the file's header and count its rows; start a new run or find the one to resume.

        Raises BulkFileError when the file cannot be used, ResumeError when ``resume`` finds
        nothing to continue or the file changed since that run began.
        """
        return open_run(
            self._journal,
            path,
            region=self._region,
            schema=self._schema,
            account=account,
            base_url=base_url,
            resume=resume,
        )

    def run(
        self, path: str | Path, *, account: str = "", base_url: str = "", resume: bool = False
    ) -> BulkSummary:
        """``open_run`` then ``execute``: blocks until the run ends (completed, cancelled or
        stopped). Call it from a worker thread in a GUI."""
        run = self.open_run(path, account=account, base_url=base_url, resume=resume)
        return self.execute(run)

    def execute(self, run: BulkRun) -> BulkSummary:
        """Send the rows of ``run`` that are not final yet; returns how it ended."""
        with self._cond:  # Pause or Cancel pressed before the run began still count
            paused_early, cancelled_early = self._paused, self._cancelled
        self._reset(run.total_rows)
        self._paused, self._cancelled = paused_early, cancelled_early
        counts = self._journal.counts(run.id)
        self._sent = counts[SENT]
        self._skipped = counts[SKIPPED_INVALID] + counts[SKIPPED_EMPTY]
        self._journal.set_status(run.id, RUNNING)
        client = self._client_factory(self._exchange)
        client.hold_new_requests(self._hold_while_paused)
        with self._cond:
            self._client = client
            if self._cancelled:
                client.cancel()
        with RateShare(self._share_dir, scope_of(run.base_url, run.account)) as share:
            self._share = share
            client.pacer.share_with(lambda: share.sharers)
            self._send_rows(run, client)
        return self._finish(run)

    def _send_rows(self, run: BulkRun, client: AttentiveClient) -> None:
        jobs: queue.Queue[CsvRow | None] = queue.Queue(maxsize=self._workers * 2)
        threads = [
            threading.Thread(
                target=self._work, args=(client, jobs, run.id), name=f"bulk-{i}", daemon=True
            )
            for i in range(self._workers)
        ]
        finished = threading.Event()
        ticker = threading.Thread(target=self._tick, args=(finished,), name="bulk-progress")
        for thread in threads:
            thread.start()
        ticker.start()
        try:
            self._feed(run, jobs)
        except BulkFileError as exc:  # e.g. a broken quote halfway through the file
            self._halt(str(exc))
        except BaseException as exc:
            self._fatal = exc
            self.cancel()
        finally:
            for _ in threads:
                jobs.put(None)
            for thread in threads:
                thread.join()
            finished.set()
            ticker.join()
            with self._cond:
                self._client = None
            client.close()

    def _finish(self, run: BulkRun) -> BulkSummary:
        if self._fatal is not None:
            self._journal.set_status(run.id, STOPPED)
            raise self._fatal
        status = COMPLETED
        if self._stop_reason is not None:
            status = STOPPED
        elif self._cancelled:
            status = CANCELLED
        self._journal.set_status(run.id, status)
        if self.on_progress is not None:
            self.on_progress(self.progress())
        elapsed = self._clock() - self._started
        return BulkSummary.of_run(self._journal, run, status, elapsed, self._stop_reason)

    def _tick(self, finished: threading.Event) -> None:
        while not finished.wait(self._interval):
            if self.on_progress is not None:
                self.on_progress(self.progress())

    # -- feeding (the thread calling execute) ----------------------------------------------

    def _feed(self, run: BulkRun, jobs: queue.Queue[CsvRow | None]) -> None:
        known: dict[int, str] = {}
        window_end = 0
        batch: list[CsvRow] = []
        with BulkCsvReader(run.file_path, region=self._region, schema=self._schema) as reader:
            if reader.layout.fatal:
                raise BulkFileError([p for p in reader.layout.problems if p.severity == "error"])
            for row in reader.rows():
                if self.cancelled:
                    return
                if row.number > window_end:
                    window_end = row.number + _STATE_WINDOW - 1
                    known = self._journal.states_between(run.id, row.number, window_end)
                if known.get(row.number) in DONE_STATES:
                    continue
                batch.append(row)
                if len(batch) >= _BATCH:
                    self._enqueue(run.id, batch, jobs)
                    batch = []
            self._enqueue(run.id, batch, jobs)

    def _enqueue(self, run_id: int, rows: list[CsvRow], jobs: queue.Queue[CsvRow | None]) -> None:
        entries = []
        skipped: list[RowOutcome] = []
        for row in rows:
            if row.sendable:
                entries.append((row.number, row.label, PENDING, ""))
                continue
            state = SKIPPED_INVALID if row.errors else SKIPPED_EMPTY
            entries.append((row.number, row.label, state, row.reason()))
            skipped.append(RowOutcome(row.number, row.label, state, 0, row.reason()))
        self._journal.prepare_rows(run_id, entries)
        with self._cond:
            self._skipped += len(skipped)
        for outcome in skipped:
            self._report_row(outcome)
        for row in rows:
            if row.sendable:
                if not self._claim(row.label):
                    return  # cancelled
                jobs.put(row)  # workers keep draining after a cancel, so this never hangs

    def _claim(self, user: str) -> bool:
        """Wait until no earlier row of the same user is queued or in flight, then claim it.

        Rows are claimed here, in file order, so two rows about one user are sent one after
        the other and the later row's values win, as they would in a sequential run.
        """
        with self._cond:
            while user in self._claimed and not self._cancelled:
                self._cond.wait()
            if self._cancelled:
                return False
            self._claimed.add(user)
            return True

    # -- sending (worker threads) ------------------------------------------------------------

    def _work(self, client: AttentiveClient, jobs: queue.Queue[CsvRow | None], run_id: int) -> None:
        while True:
            row = jobs.get()
            if row is None:
                return
            if not self._wait_turn():
                self._release(row.label, sending=False)
                continue  # cancelled: the row stays pending
            try:
                self._send(client, run_id, row)
            except BaseException as exc:  # a journal failure must not be lost in a thread
                with self._cond:
                    self._fatal = self._fatal or exc
                self.cancel()
            finally:
                self._release(row.label, sending=True)

    def _release(self, user: str, *, sending: bool) -> None:
        with self._cond:
            self._claimed.discard(user)
            if sending:
                self._in_flight -= 1
            self._cond.notify_all()

    def _exchange(self, exchange: Exchange) -> None:
        self._local.attempts = getattr(self._local, "attempts", 0) + 1
        if self._on_exchange is not None:
            self._on_exchange(exchange)

    def _send(self, client: AttentiveClient, run_id: int, row: CsvRow) -> None:
        self._local.attempts = 0
        assert row.user is not None
        try:
            client.set_custom_attributes(row.user, row.properties)
        except Cancelled:
            return  # stays pending
        except ApiError as exc:
            attempts = self._local.attempts or exc.attempts
            message = str(exc)
            self._journal.mark(run_id, row.number, FAILED, attempts=attempts, message=message)
            # A 429 that outlasted the retries says "slower", not "unreachable": the pacer has
            # already slowed everyone down, so it neither counts towards stopping nor resets.
            streak = None if isinstance(exc, RateLimited) else isinstance(exc, _TRANSIENT)
            self._count(failed=True, transient=streak)
            self._report_row(RowOutcome(row.number, row.label, FAILED, attempts, message))
            if isinstance(exc, Unauthorized | AccessDenied):
                self._halt(message)
            return
        attempts = self._local.attempts or 1
        self._journal.mark(run_id, row.number, SENT, attempts=attempts)
        self._count(failed=False, transient=False)
        self._report_row(RowOutcome(row.number, row.label, SENT, attempts, ""))
        if self._learn is not None:
            self._learn(row.properties.items())

    def _count(self, *, failed: bool, transient: bool | None) -> None:
        with self._cond:
            self._completions.append(self._clock())
            if failed:
                self._failed += 1
            else:
                self._sent += 1
            if transient is not None:
                self._transient_in_a_row = self._transient_in_a_row + 1 if transient else 0
            too_many = self._transient_in_a_row >= _MAX_TRANSIENT_IN_A_ROW
        if too_many:
            self._halt(
                f"{_MAX_TRANSIENT_IN_A_ROW} rows in a row failed because Attentive could not "
                "be reached or had errors. The run stopped; resume it later."
            )

    def _halt(self, reason: str) -> None:
        with self._cond:
            if self._stop_reason is None:
                self._stop_reason = reason
        self.cancel()

    def _report_row(self, outcome: RowOutcome) -> None:
        if self.on_row is not None:
            self.on_row(outcome)


_TRANSIENT = (NetworkError, RequestTimeout, ServerError)
