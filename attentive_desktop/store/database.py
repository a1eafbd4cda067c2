"""The app's SQLite database: owner-only file, WAL, one connection per thread, migrations."""

from __future__ import annotations

import itertools
import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path

from .errors import DatabaseClosedError, DatabaseVersionError, StoreError
from .migrations import MIGRATIONS, Migration
from .paths import FILE_MODE, create_private_file, ensure_private_dir

BUSY_TIMEOUT_MS = 5000


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
    """

    def __init__(self, path: Path, *, migrations: Sequence[Migration] = MIGRATIONS) -> None:
        self.path = Path(path)
        self._migrations = tuple(migrations)
        self._local = threading.local()
        self._lock = threading.Lock()
        self._connections: list[tuple[threading.Thread, sqlite3.Connection]] = []
        self._closed = False
        self._savepoints = itertools.count(1)
        ensure_private_dir(self.path.parent)
        create_private_file(self.path)
        try:
            self._migrate(self.connect())
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
        writers never deadlock upgrading a read transaction.
        """
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
                conn.execute("ROLLBACK")
            raise

    def close(self) -> None:
        """Close every thread's connection. Later `connect()` calls raise DatabaseClosedError."""
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
            raise StoreError(
                f"Could not open the database {self.path}: {exc}. If the file is damaged, move it "
                "aside and restart the app to begin with an empty history."
            ) from exc
        return conn

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
