"""User settings in a small JSON file, written atomically and owner-only."""

from __future__ import annotations

import contextlib
import copy
import json
import os
import threading
from pathlib import Path
from typing import Any

from .errors import guard_writes
from .paths import FILE_MODE, ensure_private_dir

DEFAULTS: dict[str, Any] = {
    "default_region": "US",
    "last_account": None,
    "window_geometry": None,
}
_MISSING: Any = object()


class Settings:
    """Key/value settings kept in a JSON object.

    Every `set` rewrites the file through a temporary file in the same directory and
    `os.replace`, so a crash leaves either the old or the new file, never half of one; the file
    is 0600 from creation (mkstemp). A file that is not valid JSON (or not an object) is moved
    to "settings.json.broken" and the app starts from defaults; `recovered_from` then names the
    moved file so the UI can mention it.

    `put` changes a value in memory only and `flush` writes it later, for a caller that must
    not wait for the disk (the window writes on a worker thread: the write fsyncs).

    Values must be JSON-serialisable (store window geometry as base64 text, for example).
    Known keys and their defaults are in DEFAULTS. Thread-safe.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.recovered_from: Path | None = None
        self._lock = threading.Lock()
        self._values = self._load()
        self._unwritten = False  # put() changed a value the file does not have yet

    def get(self, key: str, default: Any = _MISSING) -> Any:
        """The stored value; else `default` if given; else the built-in default (or None)."""
        with self._lock:
            if key in self._values:
                return copy.deepcopy(self._values[key])
        if default is not _MISSING:
            return default
        return copy.deepcopy(DEFAULTS.get(key))

    def set(self, key: str, value: Any) -> None:
        """Store `value` under `key` and write the file. Raises TypeError if not JSON-able, and
        StoreWriteError (the value is then not kept) when the disk is full or read-only."""
        with self._lock:
            values = dict(self._values)
            values[key] = copy.deepcopy(value)
            self._write(values)
            self._values = values
            self._unwritten = False

    def put(self, key: str, value: Any) -> None:
        """Store `value` under `key` in memory: reads see it at once, the file has it after the
        next `flush` (or `set`). Raises TypeError now if it is not JSON-able."""
        json.dumps(value)
        with self._lock:
            self._values = {**self._values, key: copy.deepcopy(value)}
            self._unwritten = True

    def flush(self) -> None:
        """Write what `put` changed (nothing to do when the file is up to date). Raises
        StoreWriteError when the disk is full or read-only; the values stay in memory and the
        next flush tries again."""
        with self._lock:
            if self._unwritten:
                self._write(self._values)
                self._unwritten = False

    def remove(self, key: str) -> None:
        """Forget `key` (it reads as its default again) and write the file."""
        with self._lock:
            if key not in self._values:
                return
            values = {k: v for k, v in self._values.items() if k != key}
            self._write(values)
            self._values = values
            self._unwritten = False

    def as_dict(self) -> dict[str, Any]:
        """Defaults overlaid with the stored values (a copy)."""
        with self._lock:
            return copy.deepcopy({**DEFAULTS, **self._values})

    def _load(self) -> dict[str, Any]:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return {}
        except OSError:  # unreadable (a folder in the way, no permission): set it aside too
            raw = b""
        try:
            values = json.loads(raw.decode("utf-8"))
        except ValueError:  # JSONDecodeError and UnicodeDecodeError are both ValueErrors
            values = None
        if isinstance(values, dict):
            return values
        broken = self.path.with_name(self.path.name + ".broken")
        try:
            os.replace(self.path, broken)
        except OSError:  # cannot even move it: run on defaults; saving will say why it fails
            return {}
        self.recovered_from = broken
        return {}

    def _write(self, values: dict[str, Any]) -> None:
        # Serialise first: an unserialisable value must not leave a half-written temp file.
        data = json.dumps(values, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        with guard_writes(self.path.parent, after="The setting was not saved."):
            self._write_file(data)

    def _write_file(self, data: str) -> None:
        import tempfile  # here, not at the top: settings are read at start-up, written later

        ensure_private_dir(self.path.parent)
        fd, tmp = tempfile.mkstemp(prefix=self.path.name + ".", suffix=".tmp", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                if os.name != "nt":
                    os.fchmod(handle.fileno(), FILE_MODE)
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
        _fsync_dir(self.path.parent)


def _fsync_dir(directory: Path) -> None:
    """Make the rename durable (POSIX); a no-op where directories cannot be opened."""
    if os.name == "nt":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
