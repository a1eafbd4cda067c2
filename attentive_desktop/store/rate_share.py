"""Sharing the API's rate limit between bulk runs on this computer.

Attentive counts requests per key, not per process: two bulk runs on one account at once
(the window's and one on the command line, or two windows) each paced to the full limit sent
twice too many requests, and a quarter of them came back 429 (bench/bulk_throughput.py
--concurrent 2 measures it). So each run holds a lease: an empty file in a folder beside the
database, named by the scope it writes to (a digest of the base URL and account name, never
the key) and touched every HEARTBEAT seconds. A run counts the live leases of its scope and
paces itself to limit / count. A lease not touched for TTL seconds belongs to a process that
died: it is not counted, and is removed.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from .paths import create_private_file, ensure_private_dir

log = logging.getLogger(__name__)

FOLDER_NAME = "bulk-runs"
"""The folder, beside the database, where runs on one computer find each other."""
HEARTBEAT = 0.25
"""Seconds between two refreshes of a lease (and recounts of the others)."""
TTL = 3.0
"""Seconds after its last refresh a lease stops counting: its run has ended or died."""
SUFFIX = ".lease"


def scope_of(base_url: str, account: str) -> str:
    """The lease name prefix of runs writing to ``account`` at ``base_url``: one rate limit."""
    return hashlib.sha256(f"{base_url}\n{account}".encode()).hexdigest()[:16]


class RateShare:
    """A bulk run's lease on its scope's rate limit, held between ``__enter__`` and
    ``__exit__``.

    ``sharers`` is how many runs (this one included, so at least 1) hold a live lease on the
    same scope; a background thread refreshes it every ``heartbeat`` seconds, and reading it
    never touches the disk. Trouble with the folder (read-only, full) leaves ``sharers`` at
    what it last was: pacing alone is the fallback, never a failed run. ``clock`` is the wall
    clock, which file times follow.
    """

    def __init__(
        self,
        folder: Path,
        scope: str,
        *,
        heartbeat: float = HEARTBEAT,
        ttl: float = TTL,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.folder = Path(folder)
        self.scope = scope
        self._heartbeat = heartbeat
        self._ttl = ttl
        self._clock = clock
        self.path = self.folder / f"{scope}-{uuid.uuid4().hex}{SUFFIX}"
        self.sharers = 1
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> RateShare:
        try:
            ensure_private_dir(self.folder)
            create_private_file(self.path)
        except OSError as exc:
            log.warning("bulk runs cannot share the rate limit (%s): pacing alone", exc)
            return self
        self.refresh()
        self._thread = threading.Thread(target=self._beat, name="rate-share", daemon=True)
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        with contextlib.suppress(OSError):  # an old lease stops counting after TTL anyway
            self.path.unlink(missing_ok=True)

    def refresh(self) -> int:
        """Touch this run's lease, recount the live ones of its scope; returns ``sharers``."""
        now = self._clock()
        try:
            os.utime(self.path, (now, now))
            live = 0
            for lease in self.folder.glob(f"{self.scope}-*{SUFFIX}"):
                try:
                    age = now - lease.stat().st_mtime
                    if lease == self.path or age <= self._ttl:
                        live += 1
                    elif age > 10 * self._ttl:
                        lease.unlink()
                except FileNotFoundError:
                    continue  # its run ended (or another run removed it) while we looked
        except OSError as exc:
            log.debug("could not count the runs sharing the rate limit: %s", exc)
            return self.sharers
        self.sharers = max(1, live)
        return self.sharers

    def _beat(self) -> None:
        while not self._stop.wait(self._heartbeat):
            self.refresh()
