"""Errors raised by the store layer, each with a message a user can act on."""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class StoreError(Exception):
    """Base class for store failures (database, keychain, settings)."""


class DatabaseVersionError(StoreError):
    """The database was written by a newer version of the app; it is left untouched."""


class DatabaseClosedError(StoreError):
    """A connection was requested after `Database.close()`."""


class SecretStoreError(StoreError):
    """The system keychain refused an operation (for example, it is locked).

    The message never contains the secret itself.
    """


class DatabaseCorruptError(StoreError):
    """The database file is damaged or is not a database at all.

    `store.recovery.open_database_with_recovery` moves such a file aside and starts afresh.
    """


class StoreWriteError(StoreError):
    """Writing to the app's data or config folder failed: disk full, read-only, damaged file.

    `reason` is one of "disk-full", "read-only", "permission", "corrupt", "io-error", "busy",
    "cannot-open"; `directory` is the folder that could not be written. The message is a
    sentence for the window; the original error is chained as `__cause__`.
    """

    def __init__(self, message: str, *, reason: str, directory: Path) -> None:
        super().__init__(message)
        self.reason = reason
        self.directory = directory


_WHY = {
    "disk-full": "the disk is full",
    "read-only": "the folder is read-only",
    "permission": "permission was denied",
    "corrupt": "the database file is damaged",
    "io-error": "the disk reported an error",
    "busy": "the database is busy (is Attentive Desktop open twice?)",
    "cannot-open": "the file or folder cannot be opened",
}
_AFTER = {
    "corrupt": "Restart the app to set the damaged file aside.",
    "busy": "Close the other copy and try again.",
}
KEPT_IN_WINDOW = "Your edit is still in the window."
# SQLite's primary result codes (the low byte of an extended code).
_SQLITE_REASONS = {
    3: "permission",  # SQLITE_PERM
    5: "busy",  # SQLITE_BUSY
    6: "busy",  # SQLITE_LOCKED
    8: "read-only",  # SQLITE_READONLY
    10: "io-error",  # SQLITE_IOERR
    11: "corrupt",  # SQLITE_CORRUPT
    13: "disk-full",  # SQLITE_FULL
    14: "cannot-open",  # SQLITE_CANTOPEN
    26: "corrupt",  # SQLITE_NOTADB
}
_SQLITE_TEXTS = (
    ("malformed", "corrupt"),
    ("not a database", "corrupt"),
    ("disk is full", "disk-full"),
    ("readonly", "read-only"),
    ("read-only", "read-only"),
    ("disk i/o error", "io-error"),
    ("database is locked", "busy"),
    ("unable to open", "cannot-open"),
    ("access permission denied", "permission"),
)
_OS_REASONS = {
    errno.ENOSPC: "disk-full",
    errno.EDQUOT: "disk-full",
    errno.EROFS: "read-only",
    errno.EACCES: "permission",
    errno.EPERM: "permission",
    errno.EIO: "io-error",
    errno.ENOTDIR: "cannot-open",
    errno.EISDIR: "cannot-open",
    errno.EEXIST: "cannot-open",
}


def storage_failure_reason(exc: BaseException) -> str | None:
    """The StoreWriteError reason for an sqlite3 or OS error, or None if it is not one of the
    storage failures (a programming error, a constraint violation...)."""
    if isinstance(exc, sqlite3.Error):
        code = getattr(exc, "sqlite_errorcode", None)
        if isinstance(code, int) and (code & 0xFF) in _SQLITE_REASONS:
            return _SQLITE_REASONS[code & 0xFF]
        text = str(exc).lower()
        return next((reason for hint, reason in _SQLITE_TEXTS if hint in text), None)
    if isinstance(exc, OSError):
        return _OS_REASONS.get(exc.errno)  # type: ignore[arg-type]
    return None


def write_error(reason: str, directory: Path, after: str = KEPT_IN_WINDOW) -> StoreWriteError:
    """A StoreWriteError with the sentence the window shows, e.g. "Attentive Desktop can't write
    to /home/ada/.local/share/attentive-desktop: the disk is full. Your edit is still in the
    window." `after` is the last sentence (what is kept, what to do)."""
    parts = [f"Attentive Desktop can't write to {directory}: {_WHY.get(reason, 'it failed')}."]
    if reason in _AFTER:
        parts.append(_AFTER[reason])
    if after:
        parts.append(after)
    return StoreWriteError(" ".join(parts), reason=reason, directory=directory)


@contextmanager
def guard_writes(directory: Path, after: str = KEPT_IN_WINDOW) -> Iterator[None]:
    """Turn storage failures (disk full, read-only, damaged database...) raised in the block
    into StoreWriteError; every other exception passes through unchanged."""
    try:
        yield
    except (sqlite3.Error, OSError) as exc:
        reason = storage_failure_reason(exc)
        if reason is None:
            raise
        raise write_error(reason, directory, after) from exc
