"""Log records made before the log file is open, kept for it.

The window opens its log file once the first frame is up (importing and setting up the
rotating, redacting file handler took ~10 ms of the start-up budget). Until then
`EarlyLogBuffer` holds every record the configured level lets through; `detach()` it, set the
real handlers up, then `replay()` hands the kept records, in order and with their original
times, to those handlers (the file, with its redaction). They follow the line that says the
log was opened. No Qt here.
"""

from __future__ import annotations

import logging


class EarlyLogBuffer(logging.Handler):
    """Attached to the root logger at ``level`` until `replay()`; keeps what it receives."""

    def __init__(self, level: str | int) -> None:
        super().__init__(logging.NOTSET)
        self.records: list[logging.LogRecord] = []
        root = logging.getLogger()
        self._saved_level = root.level
        root.setLevel(level)  # the threshold the log file will use
        root.addHandler(self)

    def emit(self, record: logging.LogRecord) -> None:
        """Keep the record for `replay()`."""
        self.records.append(record)

    def detach(self) -> None:
        """Stop collecting (before the real handlers are set up)."""
        logging.getLogger().removeHandler(self)

    def replay(self) -> None:
        """Pass the kept records to the root logger's handlers (once; detaches first).

        With no handler configured (the log file could not be opened) warnings and errors
        go to stderr, as Python does for an unconfigured logger, and the level is restored.
        """
        self.detach()
        root = logging.getLogger()
        handlers = list(root.handlers)
        if not handlers:
            root.setLevel(self._saved_level)
            handlers = [logging.lastResort] if logging.lastResort is not None else []
        records, self.records = self.records, []
        for record in records:
            for handler in handlers:
                if record.levelno >= handler.level:
                    handler.handle(record)
