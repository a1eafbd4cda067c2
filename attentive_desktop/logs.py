"""The app's log file: stdlib logging, owner-only, rotated, and scrubbed of secrets.

`configure_logging` attaches one rotating file handler (and optionally stderr) to the root
logger, or, with `background=True` (the window), a queue whose own thread writes the file, so
the thread that logs never waits on the disk; every record goes through `RedactingFilter` first
(in the thread that logs, before it is queued), which blanks
registered secrets (raw, percent-encoded, JSON- and HTML-escaped, base64) and anything shaped
like an Authorization header or bearer token, in the message, its arguments, the exception
text and the stack. httpx and httpcore log through the same handlers, so their debug output is
scrubbed too. No Qt here: the window and the command line share it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import re
import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from logging.handlers import QueueHandler, QueueListener, RotatingFileHandler
from pathlib import Path

from attentive_desktop.core.redaction import any_form_pattern
from attentive_desktop.store.paths import FILE_MODE, AppPaths, ensure_private_dir

REDACTED = "[redacted]"
LOG_DIR_NAME = "logs"
LOG_FILE_NAME = "attentive-desktop.log"
LOG_FORMAT = "%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"
MAX_BYTES = 2 * 1024 * 1024
BACKUP_COUNT = 3
# Library loggers that are chatty below WARNING unless the user asked for debug output.
NOISY_LOGGERS = ("httpx", "httpcore", "hpack", "urllib3", "keyring", "asyncio")

_AUTH_VALUE = re.compile(
    r"""(?ix)
    (\b(?:proxy-)?authorization\b["']?\s*(?:[:=]|,)\s*(?:b(?=["']))?["']?)  # name, separator
    (?!\[redacted\])
    (?:(?:bearer|basic|token)\s+)?[^\s"',)}\]]+                   # its value
    """
)
_BEARER = re.compile(r"(?i)\b(bearer\s+)(?!\[redacted\])[A-Za-z0-9._~+/=%-]{6,}")
_API_KEY_PARAM = re.compile(r"(?i)\b((?:api[_-]?key|access[_-]?token)=)(?!\[redacted\])[^&\s\"']+")


def log_file(paths: AppPaths) -> Path:
    """Where the log is written: <data dir>/logs/attentive-desktop.log."""
    return paths.data_dir / LOG_DIR_NAME / LOG_FILE_NAME


class RedactingFilter(logging.Filter):
    """Blanks secrets in every record it sees; attach it to handlers (not loggers), so records
    propagated from library loggers are scrubbed too.

    Secrets come from `register()` and from `secrets_provider()` (called per record, so a key
    entered mid-session is covered at once). The record is rewritten in place: `msg` becomes
    the final text, `args` None, the formatted exception goes to `exc_text`. Never drops a
    record and never raises.
    """

    def __init__(self, secrets_provider: Callable[[], Iterable[str]] | None = None) -> None:
        super().__init__()
        self._provider = secrets_provider
        self._registered: set[str] = set()
        self._lock = threading.Lock()
        self._cache: tuple[frozenset[str], re.Pattern[str] | None] = (frozenset(), None)
        self._formatter = logging.Formatter()

    def register(self, secret: str) -> None:
        """Treat `secret` as sensitive from now on (empty and very short strings are ignored)."""
        if secret and len(secret.strip()) >= 4:
            with self._lock:
                self._registered.add(secret.strip())

    def redact(self, text: str) -> str:
        """`text` with every secret form, Authorization value and bearer token blanked."""
        pattern = self._pattern()
        if pattern is not None:
            text = pattern.sub(REDACTED, text)
        text = _AUTH_VALUE.sub(rf"\g<1>{REDACTED}", text)
        text = _BEARER.sub(rf"\g<1>{REDACTED}", text)
        return _API_KEY_PARAM.sub(rf"\g<1>{REDACTED}", text)

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: keep what we can, scrubbed
            message = f"{record.msg!s} {record.args!r}"
        record.msg = self.redact(message)
        record.args = None
        if record.exc_info:
            text = record.exc_text or self._formatter.formatException(record.exc_info)
            record.exc_text = self.redact(text)
            record.exc_info = None  # formatters would otherwise format the raw exception again
        elif record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True

    def _pattern(self) -> re.Pattern[str] | None:
        secrets = set(self._registered)
        if self._provider is not None:
            with contextlib.suppress(Exception):  # a failing provider must not stop logging
                secrets.update(s.strip() for s in self._provider() if s and len(s.strip()) >= 4)
        key = frozenset(secrets)
        with self._lock:
            if key == self._cache[0]:
                return self._cache[1]
            alternatives = [any_form_pattern(s) for s in sorted(key, key=len, reverse=True)]
            pattern = re.compile("|".join(alternatives), re.IGNORECASE) if alternatives else None
            self._cache = (key, pattern)
            return pattern


class _PrivateRotatingFileHandler(RotatingFileHandler):
    """A RotatingFileHandler whose files are created 0600 (also after each rollover)."""

    def _open(self):  # type: ignore[override]
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_APPEND | os.O_CREAT, FILE_MODE)
        if os.name != "nt":
            os.fchmod(fd, FILE_MODE)
        return open(fd, self.mode, encoding=self.encoding, errors=self.errors)


class _ScrubbedQueueHandler(QueueHandler):
    """Queues records as RedactingFilter left them (message final, exception text scrubbed);
    the stock `prepare` would fold the exception into the message and repeat the stack."""

    def prepare(self, record: logging.LogRecord) -> logging.LogRecord:
        return record


@dataclass
class LoggingSetup:
    """What `configure_logging` installed; `close()` removes it and restores the levels."""

    path: Path
    filter: RedactingFilter
    handlers: list[logging.Handler]
    _saved_levels: dict[str, int] = field(default_factory=dict)
    _listener: QueueListener | None = None
    _writers: list[logging.Handler] = field(default_factory=list)

    def flush(self) -> None:
        """Write out every record logged so far (waits for the queue when in the background)."""
        if self._listener is not None:
            self._listener.stop()  # drains the queue, then the thread ends
            self._listener.start()
        for handler in dict.fromkeys([*self.handlers, *self._writers]):
            handler.flush()

    def close(self) -> None:
        """Detach and close the handlers (after writing what is queued) and put logger levels
        back as they were."""
        root = logging.getLogger()
        for handler in self.handlers:
            root.removeHandler(handler)
        if self._listener is not None:
            self._listener.stop()
            self._listener = None
        for handler in dict.fromkeys([*self.handlers, *self._writers]):
            handler.close()
        for name, level in self._saved_levels.items():
            logging.getLogger(name or None).setLevel(level)
        self.handlers, self._writers = [], []


def configure_logging(
    paths: AppPaths,
    level: int | str = logging.INFO,
    secrets_provider: Callable[[], Iterable[str]] | None = None,
    *,
    console: bool = False,
    max_bytes: int = MAX_BYTES,
    backup_count: int = BACKUP_COUNT,
    background: bool = False,
) -> LoggingSetup:
    """Log to <data dir>/logs/attentive-desktop.log (folder 0700, files 0600, rotated at
    `max_bytes` keeping `backup_count` old files), and to stderr too when `console`.

    `level` is a logging level or its name ("DEBUG"). At DEBUG, httpx/httpcore debug output is
    included (scrubbed like everything else); otherwise those libraries log WARNING and up.
    With `background`, records are scrubbed in the thread that logs and written by a thread of
    their own (the window's GUI thread must not wait on a slow or network disk).
    Call once at start-up; `LoggingSetup.close()` undoes it (tests, clean exit).
    """
    numeric = logging.getLevelName(level.upper()) if isinstance(level, str) else int(level)
    if not isinstance(numeric, int):
        raise ValueError(f"Unknown log level {level!r}: use DEBUG, INFO, WARNING or ERROR.")
    path = log_file(paths)
    ensure_private_dir(path.parent)
    redactor = RedactingFilter(secrets_provider)
    formatter = logging.Formatter(LOG_FORMAT)
    file_handler = _PrivateRotatingFileHandler(
        path, maxBytes=max_bytes, backupCount=backup_count, encoding="utf-8"
    )
    writers: list[logging.Handler] = [file_handler]
    if console:
        writers.append(logging.StreamHandler(sys.stderr))
    for handler in writers:
        handler.setFormatter(formatter)
        handler.setLevel(numeric)
    listener = None
    if background:
        records: queue.SimpleQueue[logging.LogRecord] = queue.SimpleQueue()
        listener = QueueListener(records, *writers)
        listener.start()
        handlers: list[logging.Handler] = [_ScrubbedQueueHandler(records)]
    else:
        handlers = writers
    root = logging.getLogger()
    saved = {"": root.level}
    for handler in handlers:
        handler.addFilter(redactor)
        handler.setLevel(numeric)
        root.addHandler(handler)
    root.setLevel(numeric)
    for name in NOISY_LOGGERS:
        logger = logging.getLogger(name)
        saved[name] = logger.level
        logger.setLevel(numeric if numeric <= logging.DEBUG else logging.WARNING)
    return LoggingSetup(path, redactor, handlers, saved, listener, writers)
