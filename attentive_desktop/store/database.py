"""The app's SQLite database: owner-only file, WAL, one connection per thread, migrations."""

from __future__ import annotations

import itertools
import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path

from .errors import (
    DatabaseClosedError,
    DatabaseCorruptError,
    DatabaseVersionError,
    StoreError,
    guard_writes,
    storage_failure_reason,
    write_error,
)
from .migrations import MIGRATIONS, Migration
from .paths import FILE_MODE, create_private_file, ensure_private_dir

BUSY_TIMEOUT_MS = 5000

CLOSE_WAIT = 5.0
"""Seconds close() waits for other threads' transactions to end."""


class Database:
    """One SQLite file shared by the stores, safe to use from several threads.

    Each thread gets its own connection (`connect()`), created on first use: the worker thread
    writes while the GUI thread reads, and WAL lets readers proceed during a write. Connections
    are in autocommit mode; group writes with `transaction()`.

    Opening the database creates the file owner-only (0600) before SQLite touches it and applies
    pending migrations. SQLite creates the -wal and -shm files with the database file's own
    permission bits, so they are owner-only too; the directory is made 0700 as a second fence.
    The umask is never changed: it is process-wide, and flipping it would race with other threads
    creating files.

    A file that is damaged or not a database raises DatabaseCorruptError (with `verify=True`,
    SQLite's quick check also looks at every page first); a folder that cannot be written
    raises StoreWriteError, as do storage failures inside `transaction()`. At start-up use
    `store.recovery.open_database_with_recovery`, which handles both.
    """

    def __init__(
        self,
        path: Path,
        *,
        migrations: Sequence[Migration] = MIGRATIONS,
        verify: bool = False,
    ) -> None:
        self.path = Path(path)
        self._migrations = tuple(migrations)
        self._local = threading.local()
        self._lock = threading.Lock()
        # Transactions under way (a savepoint inside one counts too), so close() waits for
        # them: closing a connection while another thread is inside sqlite3 with it crashes
        # the process.
        self._writers = 0
        self._writers_done = threading.Condition()
        self._connections: list[tuple[threading.Thread, sqlite3.Connection]] = []
        self._closed = False
        self._savepoints = itertools.count(1)
        with guard_writes(self.path.parent, after=""):
            ensure_private_dir(self.path.parent)
            create_private_file(self.path)
        try:
            conn = self.connect()
            if verify:
                self.verify()
            self._migrate(conn)
        except sqlite3.DatabaseError as exc:
            self.close()
            raise self._open_failure(exc) from exc
        except BaseException:
            self.close()
            raise
        _tighten_sidecars(self.path)

    @property
    def schema_version(self) -> int:
        """The schema version this code writes (the number of migrations)."""
        return len(self._migrations)

    def connect(self) -> sqlite3.Connection:
        """The calling thread's connection, opened on first use."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is not None and not self._closed:
            return conn
        with self._lock:
            if self._closed:
                raise DatabaseClosedError(f"The database {self.path} is closed.")
            self._prune_dead_threads()
            conn = self._open_connection()
            self._connections.append((threading.current_thread(), conn))
        self._local.conn = conn
        return conn

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Run a block atomically on this thread's connection; nested blocks use savepoints.

        The outer level starts with BEGIN IMMEDIATE, taking the write lock up front so two
        writers never deadlock upgrading a read transaction. A storage failure (disk full,
        read-only, damaged file, locked for too long) leaves as StoreWriteError with a sentence
        for the window; other exceptions pass through unchanged.
        """
        with guard_writes(self.path.parent), self._transaction() as conn:
            yield conn

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._writers_done:
            self._writers += 1
        try:
            with self._open_transaction() as conn:
                yield conn
        finally:
            with self._writers_done:
                self._writers -= 1
                self._writers_done.notify_all()

    @contextmanager
    def _open_transaction(self) -> Iterator[sqlite3.Connection]:
        conn = self.connect()
        if conn.in_transaction:
            name = f"sp{next(self._savepoints)}"
            conn.execute(f"SAVEPOINT {name}")
            try:
                yield conn
            except BaseException:
                conn.execute(f"ROLLBACK TO {name}")
                conn.execute(f"RELEASE {name}")
                raise
            conn.execute(f"RELEASE {name}")
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                with suppress(sqlite3.Error):  # a failing disk must not hide the first error
                    conn.execute("ROLLBACK")
            raise

    def close(self) -> None:
        """Close every thread's connection, once the transactions under way have ended (at
        most CLOSE_WAIT seconds). Later `connect()` calls raise DatabaseClosedError."""
        with self._writers_done:
            self._writers_done.wait_for(lambda: self._writers == 0, timeout=CLOSE_WAIT)
        with self._lock:
            self._closed = True
            connections, self._connections = self._connections, []
        for _thread, conn in connections:
            conn.close()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _open_connection(self) -> sqlite3.Connection:
        # check_same_thread=False only so close() can close every thread's connection; each
        # connection is still used by its own thread alone (thread-local).
        conn = sqlite3.connect(
            self.path,
            timeout=BUSY_TIMEOUT_MS / 1000,
            isolation_level=None,
            check_same_thread=False,
        )
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise self._open_failure(exc) from exc
        return conn

    def _open_failure(self, exc: sqlite3.DatabaseError) -> StoreError:
        """The typed error for a database that cannot be opened: damaged or not a database
        (DatabaseCorruptError), or a folder that cannot be written (StoreWriteError)."""
        reason = storage_failure_reason(exc)
        if reason == "corrupt":
            return DatabaseCorruptError(
                f"The database {self.path} is damaged ({exc}). Attentive Desktop sets it aside "
                "and starts with an empty history."
            )
        if reason is not None:
            return write_error(reason, self.path.parent, after="")
        return StoreError(
            f"Could not open the database {self.path}: {exc}. If the file is damaged, move it "
            "aside and restart the app to begin with an empty history."
        )

    def verify(self) -> None:
        """Raise DatabaseCorruptError unless SQLite's quick check finds every page sound.

        Reads the whole file once, on the calling thread's connection: about a quarter of a
        second for 100,000 requests of history (340 MB) when cached, longer from a cold disk.
        """
        try:
            rows = self.connect().execute("PRAGMA quick_check").fetchall()
        except sqlite3.DatabaseError as exc:  # damage bad enough to stop the check itself
            raise self._open_failure(exc) from exc
        problems = [row[0] for row in rows]
        if problems != ["ok"]:
            raise DatabaseCorruptError(
                f"The database {self.path} is damaged ({problems[0] if problems else 'no'}"
                f"{' …' if len(problems) > 1 else ''}). Attentive Desktop sets it aside and "
                "starts with an empty history."
            )

    def _prune_dead_threads(self) -> None:
        """Close connections of threads that have ended (caller holds the lock)."""
        alive = []
        for thread, conn in self._connections:
            if thread.is_alive():
                alive.append((thread, conn))
            else:
                conn.close()
        self._connections = alive

    def _migrate(self, conn: sqlite3.Connection) -> None:
        target = len(self._migrations)
        self._refuse_newer(_user_version(conn), target)
        while True:
            conn.execute("BEGIN IMMEDIATE")
            try:
                # Re-read under the write lock: another process may have migrated meanwhile.
                current = _user_version(conn)
                self._refuse_newer(current, target)
                if current == target:
                    conn.execute("COMMIT")
                    return
                self._migrations[current](conn)
                conn.execute(f"PRAGMA user_version = {current + 1}")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def _refuse_newer(self, found: int, target: int) -> None:
        if found > target:
            raise DatabaseVersionError(
                f"The database {self.path} was written by a newer version of Attentive Desktop "
                f"(schema version {found}; this version understands up to {target}). "
                "Update the app, or move the file aside to start with an empty history."
            )


def _user_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def _tighten_sidecars(path: Path) -> None:
    """Belt and braces: make existing -wal/-shm files owner-only (SQLite already should)."""
    if os.name == "nt":
        return
    for suffix in ("-wal", "-shm", "-journal"):
        sidecar = path.with_name(path.name + suffix)
        with suppress(FileNotFoundError):
            os.chmod(sidecar, FILE_MODE)
