"""The bulk-update journal: every run and the state of each of its rows, written as it changes.

A row is journaled as "pending" before its request leaves and as "sent" (or "failed") in its
own commit as soon as the answer is in, so a run killed at any moment can be resumed: rows
still pending (in flight when it died) are sent again, which is safe because the POST is an
upsert. No API key is ever stored here.
"""

from __future__ import annotations

import csv
import os
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from .database import Database
from .paths import FILE_MODE

PENDING = "pending"
SENT = "sent"
FAILED = "failed"
SKIPPED_INVALID = "skipped-invalid"
SKIPPED_EMPTY = "skipped-empty"
ROW_STATES = (PENDING, SENT, FAILED, SKIPPED_INVALID, SKIPPED_EMPTY)
DONE_STATES = frozenset({SENT, SKIPPED_INVALID, SKIPPED_EMPTY})
"""Rows in these states are final: resuming skips them. Pending and failed rows are re-sent."""

RUNNING = "running"
COMPLETED = "completed"
CANCELLED = "cancelled"
STOPPED = "stopped"
RUN_STATUSES = (RUNNING, COMPLETED, CANCELLED, STOPPED)
"""running (also what a killed run is left as), completed (every row reached a final state or
failed), cancelled (by the user), stopped (the key was refused, or Attentive unreachable)."""

REPORT_HEADER = ("row", "identifier", "status", "attempts", "message")


@dataclass(frozen=True)
class BulkRun:
    """One bulk run of one file, with the account (name only) and base URL it wrote to."""

    id: int
    file_path: str
    file_sha256: str
    file_size: int
    total_rows: int
    account: str
    base_url: str
    status: str
    created_at: float
    updated_at: float


@dataclass(frozen=True)
class JournalRow:
    """The journaled state of one CSV row (``row_no`` as a spreadsheet numbers it)."""

    run_id: int
    row_no: int
    label: str
    state: str
    attempts: int
    message: str
    updated_at: float


_RUN_COLUMNS = (
    "id, file_path, file_sha256, file_size, total_rows, account, base_url, status, "
    "created_at, updated_at"
)
_ROW_COLUMNS = "run_id, row_no, label, state, attempts, message, updated_at"


class Journal:
    """Reads and writes bulk runs in the app database; safe to call from several threads.

    Writes are serialised by a lock (so worker threads never wait on SQLite's busy handler)
    and each one commits at once: the journal on disk is never behind what was sent by more
    than the requests in flight.
    """

    def __init__(self, db: Database) -> None:
        self._db = db
        self._write = threading.Lock()

    @property
    def database(self) -> Database:
        """The database the journal lives in."""
        return self._db

    # -- runs --------------------------------------------------------------------------------

    def create_run(
        self,
        *,
        file_path: str,
        file_sha256: str,
        file_size: int,
        total_rows: int,
        account: str = "",
        base_url: str = "",
    ) -> BulkRun:
        """Start a new run (status running) and return it."""
        now = time.time()
        with self._write, self._db.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO bulk_runs (file_path, file_sha256, file_size, total_rows, account, "
                "base_url, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    file_path,
                    file_sha256,
                    file_size,
                    total_rows,
                    account,
                    base_url,
                    RUNNING,
                    now,
                    now,
                ),
            )
            run_id = int(cursor.lastrowid or 0)
        run = self.get_run(run_id)
        assert run is not None
        return run

    def get_run(self, run_id: int) -> BulkRun | None:
        """The run with this id, or None."""
        row = (
            self._db.connect()
            .execute(f"SELECT {_RUN_COLUMNS} FROM bulk_runs WHERE id = ?", (run_id,))
            .fetchone()
        )
        return None if row is None else BulkRun(*row)

    def runs(self, limit: int = 50) -> list[BulkRun]:
        """The most recent runs, newest first."""
        rows = self._db.connect().execute(
            f"SELECT {_RUN_COLUMNS} FROM bulk_runs ORDER BY id DESC LIMIT ?", (limit,)
        )
        return [BulkRun(*row) for row in rows.fetchall()]

    def latest_run(self, file_path: str) -> BulkRun | None:
        """The newest run of the file at ``file_path`` (an absolute path), or None."""
        row = (
            self._db.connect()
            .execute(
                f"SELECT {_RUN_COLUMNS} FROM bulk_runs WHERE file_path = ? ORDER BY id DESC "
                "LIMIT 1",
                (file_path,),
            )
            .fetchone()
        )
        return None if row is None else BulkRun(*row)

    def is_unfinished(self, run_id: int) -> bool:
        """True when the run has rows left to send (pending, failed, or never reached)."""
        run = self.get_run(run_id)
        if run is None:
            return False
        counts = self.counts(run_id)
        done = sum(counts[s] for s in DONE_STATES)
        return run.status != COMPLETED or done < run.total_rows

    def set_status(self, run_id: int, status: str) -> None:
        """Record the run's status (one of RUN_STATUSES)."""
        if status not in RUN_STATUSES:
            raise ValueError(f"unknown run status {status!r}")
        with self._write:
            self._db.connect().execute(
                "UPDATE bulk_runs SET status = ?, updated_at = ? WHERE id = ?",
                (status, time.time(), run_id),
            )

    # -- rows --------------------------------------------------------------------------------

    def prepare_rows(self, run_id: int, rows: Iterable[tuple[int, str, str, str]]) -> None:
        """Journal (row_no, label, state, message) rows in one commit, before any is sent.

        A row already journaled in a final state (DONE_STATES) is left alone; any other is
        reset to the given state (a failed row about to be re-sent becomes pending again).
        """
        now = time.time()
        params = [(run_id, n, label, state, message, now) for n, label, state, message in rows]
        if not params:
            return
        done = ", ".join(f"'{s}'" for s in sorted(DONE_STATES))
        with self._write, self._db.transaction() as conn:
            conn.executemany(
                "INSERT INTO bulk_rows (run_id, row_no, label, state, message, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (run_id, row_no) DO UPDATE SET "
                "label = excluded.label, state = excluded.state, message = excluded.message, "
                f"updated_at = excluded.updated_at WHERE bulk_rows.state NOT IN ({done})",
                params,
            )

    def mark(
        self, run_id: int, row_no: int, state: str, *, attempts: int = 0, message: str = ""
    ) -> None:
        """Record a row's new state at once (own commit); ``attempts`` are added to its count."""
        if state not in ROW_STATES:
            raise ValueError(f"unknown row state {state!r}")
        with self._write:
            self._db.connect().execute(
                "UPDATE bulk_rows SET state = ?, attempts = attempts + ?, message = ?, "
                "updated_at = ? WHERE run_id = ? AND row_no = ?",
                (state, attempts, message, time.time(), run_id, row_no),
            )

    def states_between(self, run_id: int, first: int, last: int) -> dict[int, str]:
        """State of each journaled row numbered ``first``..``last`` (inclusive)."""
        rows = self._db.connect().execute(
            "SELECT row_no, state FROM bulk_rows WHERE run_id = ? AND row_no BETWEEN ? AND ?",
            (run_id, first, last),
        )
        return dict(rows.fetchall())

    def counts(self, run_id: int) -> dict[str, int]:
        """How many rows of the run are in each state (every state present, 0 if none)."""
        rows = self._db.connect().execute(
            "SELECT state, COUNT(*) FROM bulk_rows WHERE run_id = ? GROUP BY state", (run_id,)
        )
        counts = dict.fromkeys(ROW_STATES, 0)
        counts.update(dict(rows.fetchall()))
        return counts

    def rows(
        self, run_id: int, *, states: Iterable[str] | None = None, batch: int = 2000
    ) -> Iterator[JournalRow]:
        """The run's rows in file order, read in batches (no long read transaction)."""
        wanted = tuple(states) if states is not None else None
        after = 0
        conn = self._db.connect()
        while True:
            sql = f"SELECT {_ROW_COLUMNS} FROM bulk_rows WHERE run_id = ? AND row_no > ?"
            params: list[object] = [run_id, after]
            if wanted is not None:
                sql += f" AND state IN ({', '.join('?' * len(wanted))})"
                params += wanted
            sql += " ORDER BY row_no LIMIT ?"
            chunk = [JournalRow(*r) for r in conn.execute(sql, (*params, batch)).fetchall()]
            yield from chunk
            if len(chunk) < batch:
                return
            after = chunk[-1].row_no

    def get_row(self, run_id: int, row_no: int) -> JournalRow | None:
        """One journaled row, or None."""
        row = (
            self._db.connect()
            .execute(
                f"SELECT {_ROW_COLUMNS} FROM bulk_rows WHERE run_id = ? AND row_no = ?",
                (run_id, row_no),
            )
            .fetchone()
        )
        return None if row is None else JournalRow(*row)

    # -- report ------------------------------------------------------------------------------

    def write_report(self, run_id: int, out: TextIO, *, states: Iterable[str] | None = None) -> int:
        """Write the per-row report as CSV (row, identifier, status, attempts, message).

        Returns the number of rows written.
        """
        writer = csv.writer(out)
        writer.writerow(REPORT_HEADER)
        written = 0
        for row in self.rows(run_id, states=states):
            writer.writerow((row.row_no, row.label, row.state, row.attempts, row.message))
            written += 1
        return written

    def export_report(
        self, run_id: int, path: str | Path, *, states: Iterable[str] | None = None
    ) -> int:
        """``write_report`` to a file readable by its owner only (UTF-8, with a BOM for Excel)."""
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
        with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as out:
            return self.write_report(run_id, out, states=states)
