"""A one-line progress bar with rate and ETA, redrawn in place on a terminal's stderr."""

from __future__ import annotations

import shutil
import threading
from typing import TextIO

from attentive_desktop.api.bulk import BulkProgress
from attentive_desktop.core._text import clock_text


def format_duration(seconds: float | None) -> str:
    """ "1:05", "1:02:03", or "--:--" when unknown."""
    return clock_text(seconds, "--:--")


def render(progress: BulkProgress, width: int = 80) -> str:
    """The progress line, fitted to ``width`` columns."""
    total = max(progress.total, 0)
    fraction = progress.done / total if total else 1.0
    status = "paused" if progress.paused else f"ETA {format_duration(progress.eta)}"
    if progress.sharing > 1:  # other runs on the account take their part of its rate limit
        status += f" (limit shared by {progress.sharing} runs)"
    tail = (
        f" {fraction:4.0%} {progress.done}/{total} {progress.rate:5.1f}/s {status}"
        f"  sent {progress.sent} failed {progress.failed} skipped {progress.skipped}"
    )
    bar_width = max(10, min(40, width - len(tail) - 3))
    filled = int(bar_width * min(1.0, fraction))
    line = f"[{'#' * filled}{'.' * (bar_width - filled)}]{tail}"
    return line[: max(20, width - 1)]


class ProgressBar:
    """Draws ``BulkProgress`` snapshots on ``stream`` (callable from any thread)."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._lock = threading.Lock()
        self._drawn = False

    def __call__(self, progress: BulkProgress) -> None:
        width = shutil.get_terminal_size((80, 24)).columns
        with self._lock:
            self._stream.write("\r" + render(progress, width) + "\x1b[K")
            self._stream.flush()
            self._drawn = True

    def finish(self) -> None:
        """End the line so later output starts on a fresh one."""
        with self._lock:
            if self._drawn:
                self._stream.write("\n")
                self._stream.flush()
                self._drawn = False
