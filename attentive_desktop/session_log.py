"""Logging for one run of the app (window or command line): level, secrets, start and stop.

`SessionSecrets` is the redacting filter's `secrets_provider`: every API key this process knows
(ATTENTIVE_API_KEY, keys given to the API service or resolved by the CLI, the sandbox's keys once
the sandbox is loaded). `start_logging` never stops the app: when the log folder can't be
written it says so on stderr and the session runs without a log file. No Qt here.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from attentive_desktop.logs import LoggingSetup
    from attentive_desktop.store.paths import AppPaths

LOG_LEVEL_ENV = "ATTENTIVE_DESKTOP_LOG_LEVEL"
API_KEY_ENV = "ATTENTIVE_API_KEY"
DEFAULT_LEVEL = "INFO"
LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
_SANDBOX_SEED = "attentive_desktop.sandbox.seed"


class SessionSecrets:
    """Every key the session knows, for the log's redaction; callable from any thread."""

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        env = os.environ if environ is None else environ
        self._lock = threading.Lock()
        self._keys: set[str] = set()
        self._sources: list[Callable[[], Iterable[str]]] = []
        self.add(env.get(API_KEY_ENV, ""))

    def add(self, key: str | None) -> None:
        """Treat `key` as secret from now on."""
        if key and key.strip():
            with self._lock:
                self._keys.add(key.strip())

    def add_source(self, source: Callable[[], Iterable[str]]) -> None:
        """Ask `source()` for more keys on every call (e.g. ApiService.known_keys)."""
        with self._lock:
            self._sources.append(source)

    def __call__(self) -> list[str]:
        with self._lock:
            keys, sources = set(self._keys), list(self._sources)
        for source in sources:
            try:
                keys.update(k for k in source() if k)
            except Exception:  # a broken source must not stop redaction of the others
                continue
        seed = sys.modules.get(_SANDBOX_SEED)  # never imported here: start-up stays lean
        if seed is not None:
            keys.update(
                str(getattr(seed, name, ""))
                for name in dir(seed)
                if name.startswith("SANDBOX_") and name.endswith("_KEY")
            )
        return sorted(k for k in keys if k)


def log_level(flag: str | None, environ: Mapping[str, str] | None = None) -> str:
    """The level asked for: --log-level, else ATTENTIVE_DESKTOP_LOG_LEVEL, else INFO.

    Raises ValueError with a plain sentence for an unknown level."""
    env = os.environ if environ is None else environ
    level = (flag or env.get(LOG_LEVEL_ENV, "") or DEFAULT_LEVEL).strip().upper()
    if level == "WARN":
        level = "WARNING"
    if level not in LEVELS:
        source = "--log-level" if flag else LOG_LEVEL_ENV
        raise ValueError(f"Unknown log level '{level}' in {source}: use {', '.join(LEVELS)}.")
    return level


def start_logging(
    paths: AppPaths,
    level: str,
    secrets: Callable[[], Iterable[str]],
    *,
    console: bool = False,
    background: bool = False,
) -> LoggingSetup | None:
    """configure_logging, or None (with a line on stderr) when the log can't be written.
    The window logs in the `background` (its GUI thread never waits on the disk)."""
    from attentive_desktop.logs import configure_logging

    try:
        setup = configure_logging(paths, level, secrets, console=console, background=background)
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or "it cannot be written"
        print(
            f"Attentive Desktop can't write its log in {paths.data_dir} ({reason}); carrying "
            "on without a log file.",
            file=sys.stderr,
        )
        return None
    logging.getLogger("attentive_desktop").debug("logging at %s to %s", level, setup.path)
    return setup


def start_window_logging(
    paths: AppPaths, level: str, secrets: Callable[[], Iterable[str]]
) -> Callable[[], None]:
    """The window's log: written in the background (its GUI thread never waits on the disk),
    with crash traces beside it (crash_trace.py). Returns what closes both, at exit."""
    from attentive_desktop.crash_trace import enable_crash_traces
    from attentive_desktop.logs import log_file

    setup = start_logging(paths, level, secrets, background=True)
    stop_crash_traces = enable_crash_traces(log_file(paths).parent)

    def close() -> None:
        stop_crash_traces()
        if setup is not None:
            setup.close()

    return close
