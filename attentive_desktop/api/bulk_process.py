"""A bulk run in a child process, so the window's GIL stays free for painting.

In one process, the run's sending threads (HTTP, journaling, checks: ~1.4 ms of Python per
row, 150 rows/s) and the GUI thread take turns holding the GIL, and each call from Qt into
Python during a repaint can wait behind them: bench/gui_stall.py measured 14–25 ms stalls.

The window starts ``engine_command()`` and writes one JSON line to its stdin (``EngineRequest``:
the file, the account, the API key, what the schema registry knows), then "pause", "resume"
or "cancel" lines. The child runs a BulkRunner on its own connection to the app database
(journal and history) and writes one JSON line per event to stdout (all ASCII). When its
stdin closes (the window quit or crashed) it cancels the run: unsent rows stay pending for a
resume. The key travels only through the pipe, never in arguments or the environment.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import IO, Any

from attentive_desktop import BULK_ENGINE_WORD

log = logging.getLogger(__name__)

_STDERR_KEPT = 4000  # characters of the child's stderr kept for an error message


def engine_command() -> list[str]:
    """How to start the engine: the packaged app itself, or this Python with the package."""
    if getattr(sys, "frozen", False):
        return [sys.executable, BULK_ENGINE_WORD]
    return [sys.executable, "-m", "attentive_desktop", BULK_ENGINE_WORD]


@dataclass(frozen=True)
class EngineRequest:
    """Everything the child needs for one run (``types``: name → AttributeType value)."""

    database: str
    path: str
    account: str
    base_url: str
    key: str = field(repr=False)
    workers: int
    resume: bool = False
    region: str = "US"
    types: dict[str, str] = field(default_factory=dict)
    catalog: dict[str, list[str]] = field(default_factory=dict)


class EngineFailed(Exception):
    """The run could not start or the engine died; the message is fit to show (no key)."""


@dataclass
class EngineEvents:
    """Callbacks for the child's events, called on the thread running ``BulkProcess.run``."""

    opened: Callable[[Any], None] = lambda _run: None
    progress: Callable[[Any], None] = lambda _progress: None
    row: Callable[[Any], None] = lambda _outcome: None
    recorded: Callable[[int], None] = lambda _history_id: None
    learned: Callable[[list[tuple[str, str]]], None] = lambda _pairs: None


class BulkProcess:
    """Runs one bulk run in a child process (parent side). ``run(request)`` blocks until the
    run ends and returns its BulkSummary; ``pause``, ``resume`` and ``cancel`` work from any
    thread, before or during ``run`` (a cancel before it starts ends the run at once)."""

    def __init__(self, events: EngineEvents, *, command: list[str] | None = None) -> None:
        self._request: EngineRequest | None = None
        self._events = events
        self._command = command or engine_command()
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._state = ""  # "pause" or "cancel" once asked, for a child not started yet
        self._stderr: list[str] = []

    def pause(self) -> None:
        """Let requests in flight finish and send no more until ``resume``."""
        self._send("pause")

    def resume(self) -> None:
        """Continue a paused run."""
        self._send("resume")

    def cancel(self) -> None:
        """Stop the run; unsent rows stay pending in the journal."""
        self._send("cancel")

    def run(self, request: EngineRequest) -> Any:
        """Start the child, relay its events, return the BulkSummary (or raise EngineFailed)."""
        from attentive_desktop.api.bulk_types import BulkProgress, BulkSummary, RowOutcome
        from attentive_desktop.store.journal import BulkRun

        self._request = request
        summary = failure = None
        try:
            process = subprocess.Popen(
                self._command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
            )
        except OSError as exc:
            raise EngineFailed(f"The bulk engine could not start: {exc.strerror or exc}.") from None
        with process:
            drain = threading.Thread(target=self._drain, args=(process.stderr,), daemon=True)
            drain.start()
            with self._lock:
                self._process = process
                asked = self._state
            self._write(json.dumps(dataclasses.asdict(request)))
            if asked:  # Pause or Cancel pressed while the child was starting
                self._write(asked)
            assert process.stdout is not None
            for raw in process.stdout:
                event = json.loads(raw)
                kind = event.pop("event")
                if kind == "row":
                    self._events.row(RowOutcome(**event))
                elif kind == "progress":
                    self._events.progress(BulkProgress(**event))
                elif kind == "recorded":
                    self._events.recorded(int(event["id"]))
                elif kind == "learned":
                    self._events.learned([(str(n), str(v)) for n, v in event["pairs"]])
                elif kind == "opened":
                    self._events.opened(BulkRun(**event["run"]))
                elif kind == "finished":
                    summary = BulkSummary(**event["summary"])
                elif kind == "failed":
                    failure = str(event["message"])
            with self._lock:
                self._process = None
            code = process.wait()
            drain.join(timeout=5)
        if summary is not None:
            return summary
        if failure is None:
            tail = self._safe("".join(self._stderr)).strip().splitlines()[-1:] or [""]
            failure = f"The bulk engine stopped unexpectedly (exit code {code}). {tail[0]}"
        raise EngineFailed(failure.strip())

    # -- pipe ------------------------------------------------------------------------------
    def _send(self, command: str) -> None:
        with self._lock:
            if self._state != "cancel":
                self._state = "" if command == "resume" else command
            running = self._process is not None
        if running:
            self._write(command)

    def _write(self, line: str) -> None:
        with self._lock:
            process = self._process
            if process is None or process.stdin is None:
                return
            try:
                process.stdin.write(line.encode("utf-8") + b"\n")
                process.stdin.flush()
            except (BrokenPipeError, ValueError, OSError):
                pass  # the child has ended; its stdout says how

    def _drain(self, stream: IO[bytes] | None) -> None:
        if stream is None:
            return
        kept = 0
        for raw in stream:
            if kept < _STDERR_KEPT:
                text = raw.decode("utf-8", "replace")
                self._stderr.append(text)
                kept += len(text)

    def _safe(self, text: str) -> str:
        from attentive_desktop.api.bodies import redact

        return redact(text, (self._request.key,) if self._request else ())


def child_main(stdin: IO[bytes] | None = None, stdout: IO[bytes] | None = None) -> int:
    """The engine: read an EngineRequest, run it, write events. Exit 0 when the run ended
    (whatever its rows' outcome), 2 when it could not start."""
    # A windowed (GUI-subsystem) executable may start without sys.stdin/sys.stdout even when
    # its parent handed it pipes: then the pipes are still descriptors 0 and 1.
    stdin = stdin or (sys.stdin.buffer if sys.stdin is not None else os.fdopen(0, "rb"))
    stdout = stdout or (sys.stdout.buffer if sys.stdout is not None else os.fdopen(1, "wb"))
    request = EngineRequest(**json.loads(stdin.readline()))
    out = threading.Lock()

    def emit(kind: str, **data: Any) -> None:
        line = json.dumps({"event": kind, **data}).encode("ascii") + b"\n"
        with out:
            stdout.write(line)
            stdout.flush()

    try:
        return _run_child(request, stdin, emit)
    except Exception as exc:  # the message is redacted: a server may echo the key
        from attentive_desktop.api.bodies import redact

        emit("failed", message=redact(str(exc), (request.key,)) or type(exc).__name__)
        return 2


def _run_child(request: EngineRequest, stdin: IO[bytes], emit: Callable[..., None]) -> int:
    from attentive_desktop.api.bulk_runner import BulkRunner
    from attentive_desktop.api.client import AttentiveClient
    from attentive_desktop.core.attributes import AttributeType
    from attentive_desktop.core.schema import MemorySchemaStorage, SchemaRegistry
    from attentive_desktop.store.database import Database
    from attentive_desktop.store.history import HistoryStore
    from attentive_desktop.store.journal import Journal

    # The window's registry stays the one that persists; the child learns in memory and
    # reports what it learned, which the window teaches its own registry.
    registry = SchemaRegistry(
        MemorySchemaStorage(
            {name: AttributeType(value) for name, value in request.types.items()},
            {name: tuple(values) for name, values in request.catalog.items()},
        )
    )
    database = Database(request.database)
    history = HistoryStore(database)

    def learn(pairs: Iterable[tuple[str, object]]) -> None:
        pairs = list(pairs)
        fixed = registry.learn_all(pairs)
        if fixed:
            emit("learned", pairs=[[n, str(v)] for n, v in pairs if n in fixed])

    def record(exchange: Any) -> None:
        # As in the window: a run's unsuccessful attempts go to the history, not every
        # success, and a history that cannot be written (disk full) does not fail the send.
        if exchange.succeeded:
            return
        try:
            history_id = history.append(exchange, account=request.account)
        except Exception:
            return log.exception("could not store a request in the history")
        emit("recorded", id=history_id)

    runner = BulkRunner(
        lambda hook: AttentiveClient(request.base_url, request.key, on_exchange=hook),
        Journal(database),
        workers=request.workers,
        region=request.region,
        schema=registry,
        learn=learn,
        on_progress=lambda p: emit("progress", **dataclasses.asdict(p)),
        on_row=lambda o: emit("row", **dataclasses.asdict(o)),
        on_exchange=record,
    )

    def controls() -> None:
        for raw in stdin:
            command = raw.strip()
            if command == b"pause":
                runner.pause()
            elif command == b"resume":
                runner.resume()
            elif command == b"cancel":
                runner.cancel()
        runner.cancel()  # the window went away: stop, keep the unsent rows pending

    threading.Thread(target=controls, name="bulk-engine-controls", daemon=True).start()
    try:
        run = runner.open_run(
            request.path, account=request.account, base_url=request.base_url,
            resume=request.resume,
        )  # fmt: skip
        emit("opened", run=dataclasses.asdict(run))
        summary = runner.execute(run)
        emit("finished", summary=dataclasses.asdict(summary))
        return 0
    finally:
        database.close()
