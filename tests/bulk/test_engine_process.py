"""A bulk run in a child process (api/bulk_process.py) against the sandbox: the events it
relays, learning, history, pause and cancel, its failures, and that the key stays private."""

from __future__ import annotations

import dataclasses
import io
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from attentive_desktop import BULK_ENGINE_WORD
from attentive_desktop.api.bulk_process import (
    BulkProcess,
    EngineEvents,
    EngineFailed,
    EngineRequest,
    child_main,
    engine_command,
)
from attentive_desktop.sandbox import SANDBOX_API_KEY, SANDBOX_READONLY_KEY
from attentive_desktop.store.history import HistoryStore

TIMEOUT = 60


def rows_csv(tmp_path: Path, count: int, *, extra: str = "") -> Path:
    path = tmp_path / "rows.csv"
    lines = ["phone,VIP,points"] + [f"+1415555{1000 + i:04d},true,{i}" for i in range(count)]
    path.write_text("\n".join(lines) + "\n" + extra, encoding="utf-8")
    return path


def request(database, sandbox, path: Path, **changes) -> EngineRequest:
    settings = dict(
        database=str(database.path), path=str(path), account="Sandbox",
        base_url=sandbox.base_url, key=SANDBOX_API_KEY, workers=4,
    )  # fmt: skip
    settings.update(changes)
    return EngineRequest(**settings)


class Collected:
    """EngineEvents that keep what arrived."""

    def __init__(self) -> None:
        self.opened: list = []
        self.rows: list = []
        self.progress: list = []
        self.recorded: list[int] = []
        self.learned: list = []
        self.some_sent = threading.Event()
        self.opened_event = threading.Event()
        self.progress_event = threading.Event()

    def events(self) -> EngineEvents:
        def row(outcome) -> None:
            self.rows.append(outcome)
            if len(self.rows) >= 5:
                self.some_sent.set()

        def opened(run) -> None:
            self.opened.append(run)
            self.opened_event.set()

        def progress(snapshot) -> None:
            self.progress.append(snapshot)
            self.progress_event.set()

        return EngineEvents(
            opened=opened, progress=progress, row=row,
            recorded=self.recorded.append, learned=self.learned.extend,
        )  # fmt: skip


def test_engine_command_runs_the_package_without_qt():
    command = engine_command()
    assert command[-1] == BULK_ENGINE_WORD == "_bulk-engine" and "-m" in command


def test_a_run_in_a_child_sends_every_row_and_relays_what_happened(
    sandbox, database, journal, tmp_path
):
    events = Collected()
    path = rows_csv(tmp_path, 12, extra="+1,true,5\n")  # row 14: not a phone number
    summary = BulkProcess(events.events()).run(
        request(database, sandbox, path, types={"VIP": "Boolean"})
    )
    assert summary.status == "completed" and summary.sent == 12 and summary.pending == 0
    assert summary.skipped_invalid == 1
    assert [run.id for run in events.opened] == [summary.run_id]
    assert sorted(o.row_no for o in events.rows) == list(range(2, 15))
    assert {o.state for o in events.rows} == {"sent", "skipped-invalid"}
    # The child learned "points" (new) but not "VIP" (the window's registry knew it).
    assert [name for name, _value in events.learned] == ["points"]
    counts = journal.counts(summary.run_id)
    assert counts["sent"] == 12 and counts["skipped-invalid"] == 1 and counts["pending"] == 0
    assert sandbox.user_attributes(phone="+14155551011")["points"] == "11"


def test_a_refused_key_stops_the_run_and_its_attempts_reach_the_history(
    sandbox, database, tmp_path
):
    events = Collected()
    summary = BulkProcess(events.events()).run(
        request(database, sandbox, rows_csv(tmp_path, 3), key=SANDBOX_READONLY_KEY, workers=1)
    )
    assert summary.status == "stopped" and summary.sent == 0 and summary.error
    assert SANDBOX_READONLY_KEY not in summary.error
    stored = [HistoryStore(database).get(i) for i in events.recorded]
    assert stored and {r.status for r in stored} == {403}
    assert all(r.account == "Sandbox" for r in stored)


def _run_in_thread(process, engine_request):
    """Start `process.run(engine_request)` on a thread; its summary lands in result["summary"]."""
    result: dict = {}
    thread = threading.Thread(
        target=lambda: result.setdefault("summary", process.run(engine_request))
    )
    thread.start()
    return thread, result


def test_cancel_stops_the_child_and_leaves_rows_pending(sandbox, database, tmp_path):
    sandbox.set_rate_limit(20)
    events = Collected()
    process = BulkProcess(events.events())
    thread, result = _run_in_thread(process, request(database, sandbox, rows_csv(tmp_path, 200)))
    assert events.some_sent.wait(TIMEOUT)
    process.pause()
    process.resume()
    process.cancel()
    thread.join(TIMEOUT)
    summary = result["summary"]
    assert summary.status == "cancelled" and summary.pending > 0
    assert summary.sent + summary.failed + summary.pending == 200


def test_a_file_that_cannot_be_used_fails_in_words(sandbox, database, tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("", encoding="utf-8")
    with pytest.raises(EngineFailed) as failed:
        BulkProcess(EngineEvents()).run(request(database, sandbox, path))
    assert str(failed.value) and SANDBOX_API_KEY not in str(failed.value)


def test_an_engine_that_dies_is_reported_without_the_key(sandbox, database, tmp_path):
    key = "sk_live_never_show_me_123"
    crash = [sys.executable, "-c", f"import sys; sys.stderr.write('boom {key}\\n'); sys.exit(3)"]
    with pytest.raises(EngineFailed) as failed:
        BulkProcess(EngineEvents(), command=crash).run(
            request(database, sandbox, rows_csv(tmp_path, 1), key=key)
        )
    message = str(failed.value)
    assert "exit code 3" in message and "boom" in message and key not in message


def test_the_child_cancels_when_the_window_goes_away(sandbox, database, journal, tmp_path):
    # The window quitting or crashing closes the child's stdin: the child stops sending and
    # keeps the unsent rows pending for a resume instead of running on unseen.
    sandbox.set_rate_limit(20)
    with subprocess.Popen(engine_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE) as child:
        assert child.stdin is not None and child.stdout is not None
        line = json.dumps(dataclasses.asdict(request(database, sandbox, rows_csv(tmp_path, 200))))
        child.stdin.write(line.encode() + b"\n")
        child.stdin.flush()
        for raw in child.stdout:  # until the first row is done
            if json.loads(raw)["event"] == "row":
                break
        child.stdin.close()
        last = [e for e in (json.loads(raw) for raw in child.stdout)][-1]
        assert child.wait(TIMEOUT) == 0
    assert last["event"] == "finished" and last["summary"]["status"] == "cancelled"
    assert journal.counts(last["summary"]["run_id"])["pending"] > 0


def test_pause_pressed_while_the_child_starts_holds_the_run(sandbox, database, tmp_path):
    events = Collected()
    process = BulkProcess(events.events())
    process.pause()  # before run(): the child must start paused, not ignore it
    thread, result = _run_in_thread(process, request(database, sandbox, rows_csv(tmp_path, 20)))
    assert events.opened_event.wait(TIMEOUT)
    for _ in range(2):  # two progress snapshots while paused: nothing sent
        count = len(events.progress)
        assert events.progress_event.wait(TIMEOUT)
        events.progress_event.clear()
        assert len(events.progress) > count
    assert events.progress[-1].paused and events.rows == []
    process.resume()
    thread.join(TIMEOUT)
    assert result["summary"].status == "completed" and result["summary"].sent == 20


def test_an_engine_that_cannot_start_says_so(sandbox, database, tmp_path):
    missing = [str(tmp_path / "no-such-program"), BULK_ENGINE_WORD]
    with pytest.raises(EngineFailed, match="could not start"):
        BulkProcess(EngineEvents(), command=missing).run(
            request(database, sandbox, rows_csv(tmp_path, 1))
        )


def test_a_history_that_cannot_be_written_does_not_fail_the_run(
    sandbox, database, tmp_path, monkeypatch
):
    # The engine runs in this process (its stdin a pipe kept open): failed attempts cannot
    # reach the history, as on a full disk; the run still ends as the server decided.
    def full_disk(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(HistoryStore, "append", full_disk)
    line = json.dumps(
        dataclasses.asdict(
            request(database, sandbox, rows_csv(tmp_path, 3), key=SANDBOX_READONLY_KEY, workers=1)
        )
    )
    out = io.BytesIO()
    read_end, write_end = os.pipe()
    with os.fdopen(read_end, "rb") as stdin, os.fdopen(write_end, "wb") as window:
        window.write(line.encode() + b"\n")
        window.flush()
        code = child_main(stdin, out)
    events = [json.loads(raw) for raw in out.getvalue().splitlines()]
    assert code == 0
    assert not [e for e in events if e["event"] == "recorded"]
    summary = next(e["summary"] for e in events if e["event"] == "finished")
    assert summary["status"] == "stopped" and "space" not in (summary["error"] or "")
