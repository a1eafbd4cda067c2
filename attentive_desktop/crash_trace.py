"""A hard crash (a segfault inside Qt, an abort) leaves the Python stacks of every thread in
<data dir>/logs/crash.log, through the standard library's faulthandler.

Such a crash kills the process before any Python code or log handler can run, so the log says
nothing about it. faulthandler writes from its signal handler straight to an open file: frame
locations only (file, line, function), never a variable's value, so no key can reach the file.
The file is owner-only like the log, and restarted once it grows past `MAX_BYTES`. No Qt here.
"""

from __future__ import annotations

import faulthandler
import logging
import os
from collections.abc import Callable
from pathlib import Path

from attentive_desktop.store.paths import FILE_MODE, ensure_private_dir

log = logging.getLogger(__name__)

CRASH_FILE_NAME = "crash.log"
MAX_BYTES = 1024 * 1024


def enable_crash_traces(log_dir: Path) -> Callable[[], None]:
    """Send fatal-error stacks to `log_dir`/crash.log until the returned function is called.
    When the file can't be opened, says so in the log and carries on without it."""
    path = log_dir / CRASH_FILE_NAME
    try:
        ensure_private_dir(log_dir)
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND
        if path.exists() and path.stat().st_size > MAX_BYTES:
            flags |= os.O_TRUNC
        fd = os.open(path, flags, FILE_MODE)
        if os.name != "nt":
            os.fchmod(fd, FILE_MODE)
    except OSError as exc:
        log.warning("no crash traces this session: %s can't be written (%s)", path, exc)
        return lambda: None
    stream = os.fdopen(fd, "w", encoding="utf-8")
    faulthandler.enable(file=stream, all_threads=True)

    def disable() -> None:
        faulthandler.disable()
        stream.close()

    return disable
