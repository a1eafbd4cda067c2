"""The bulk runner against the sandbox: pacing, journal, pause/resume/cancel, failures, report."""

from __future__ import annotations

import os
import threading
import time
from collections import Counter

import pytest

from attentive_desktop.api.bulk import BulkRunner, ResumeError
from attentive_desktop.sandbox import SANDBOX_API_KEY, SANDBOX_READONLY_KEY
from attentive_desktop.store.journal import SENT
from attentive_desktop.store.rate_share import FOLDER_NAME, SUFFIX, scope_of
from tests.waiting import wait_until

from .support import numbered_csv, phone


def posts(sandbox):
    return [r for r in sandbox.requests if r.method == "POST"]


def test_run_at_a_low_limit_completes_every_row(sandbox, client_factory, journal, write_csv):
    sandbox.set_rate_limit(20)
    path = write_csv(numbered_csv(60))
    snapshots = []
    runner = BulkRunner(
        client_factory, journal, workers=8, on_progress=snapshots.append, progress_interval=0.1
    )
    summary = runner.run(path, account="test")
    assert (summary.status, summary.total, summary.sent, summary.failed) == ("completed", 60, 60, 0)
    assert summary.all_sent and summary.pending == 0
    for i in range(60):
        assert sandbox.user_attributes(phone=phone(2000 + i)) == {"VIP": "true", "points": str(i)}
    rows = list(journal.rows(summary.run_id))
    assert [r.row_no for r in rows] == list(range(2, 62))
    assert all(r.state == SENT and r.attempts >= 1 for r in rows)
    statuses = Counter(r.status for r in posts(sandbox))
    assert statuses[429] <= 1  # paced to the headers, not refused
    assert summary.elapsed >= 2.0  # 60 rows at 20/s cannot take less than ~3 s
    dones = [s.done for s in snapshots]
    assert dones == sorted(dones) and dones[-1] == 60
    assert snapshots[-1].eta == 0.0 and snapshots[-1].sent == 60
    assert journal.get_run(summary.run_id).status == "completed"


def test_a_run_beside_another_on_the_same_account_takes_half_the_limit(
    sandbox, client_factory, journal, write_csv, tmp_path
):
    # Two runs on one key, each paced to the whole limit, had a quarter of their requests
    # refused (bench/bulk_throughput.py --concurrent 2). Here the other run is a live lease.
    sandbox.set_rate_limit(20)
    share_dir = tmp_path / "data" / FOLDER_NAME
    share_dir.mkdir()
    other = share_dir / f"{scope_of(sandbox.base_url, 'test')}-other{SUFFIX}"
    other.touch()
    later = time.time() + 120
    os.utime(other, (later, later))  # alive for the whole run
    path = write_csv(numbered_csv(20))
    summary = BulkRunner(client_factory, journal, workers=8).run(
        path, account="test", base_url=sandbox.base_url
    )
    assert (summary.status, summary.sent) == ("completed", 20)
    assert Counter(r.status for r in posts(sandbox))[429] <= 1
    assert summary.elapsed >= 1.5  # 20 rows at 10/s, not at 20/s (~1 s)
    assert list(share_dir.iterdir()) == [other]  # its own lease is gone with it


def test_pause_stops_new_requests_until_resume(sandbox, client_factory, journal, write_csv):
    sandbox.set_rate_limit(40)
    path = write_csv(numbered_csv(40))
    first_sent = threading.Event()
    runner = BulkRunner(client_factory, journal, workers=4)

    def on_row(outcome):
        if outcome.state == SENT and not first_sent.is_set():
            runner.pause()
            first_sent.set()

    runner.on_row = on_row  # set after construction: the callback needs the runner
    result = {}
    thread = threading.Thread(target=lambda: result.update(summary=runner.run(path)))
    thread.start()
    try:
        assert first_sent.wait(10)
        assert wait_until(lambda: runner.in_flight == 0)
        seen = len(posts(sandbox))
        assert runner.paused and runner.progress().paused
        # Observe a quiet window: while paused, nothing more may reach the server.
        threading.Event().wait(0.3)
        assert len(posts(sandbox)) == seen < 40
    finally:
        runner.resume()
        thread.join(20)
    assert result["summary"].sent == 40


def test_pause_pressed_before_the_run_begins_holds_it(sandbox, client_factory, journal, write_csv):
    # The window's Pause is enabled as soon as Start is pressed, before the runner executes.
    path = write_csv(numbered_csv(10))
    runner = BulkRunner(client_factory, journal, workers=2, progress_interval=0.05)
    snapshots = []
    runner.on_progress = snapshots.append
    runner.pause()
    result = {}
    thread = threading.Thread(target=lambda: result.update(summary=runner.run(path)))
    thread.start()
    try:
        assert wait_until(lambda: len(snapshots) >= 3)
        assert snapshots[-1].paused and posts(sandbox) == []
    finally:
        runner.resume()
        thread.join(20)
    assert result["summary"].sent == 10


def test_cancel_leaves_rows_pending_and_resume_finishes_them(
    sandbox, client_factory, journal, write_csv
):
    sandbox.set_rate_limit(40)
    path = write_csv(numbered_csv(50))
    runner = BulkRunner(client_factory, journal, workers=4)
    sent = []

    def on_row(outcome):
        sent.append(outcome.row_no)
        if len(sent) == 5:
            runner.cancel()

    runner.on_row = on_row
    first = runner.run(path)
    assert first.status == "cancelled"
    assert 5 <= first.sent < 50 and first.pending == 50 - first.sent
    assert journal.get_run(first.run_id).status == "cancelled"

    second = BulkRunner(client_factory, journal, workers=4).run(path, resume=True)
    assert second.run_id == first.run_id
    assert (second.status, second.sent, second.pending) == ("completed", 50, 0)
    per_phone = Counter(r.json()["user"]["phone"] for r in posts(sandbox) if r.status == 200)
    assert set(per_phone) == {phone(2000 + i) for i in range(50)}
    assert sum(per_phone.values()) - 50 <= 4  # only rows in flight at the cancel went twice
    with pytest.raises(ResumeError, match="no unfinished run"):
        BulkRunner(client_factory, journal).run(path, resume=True)


def test_resume_refuses_a_changed_file(client_factory, journal, write_csv):
    path = write_csv(numbered_csv(3))
    runner = BulkRunner(client_factory, journal)
    runner.cancel()  # cancelled before it starts: every row stays unsent
    assert runner.run(path).status == "cancelled"
    path.write_text(numbered_csv(4), encoding="utf-8")
    with pytest.raises(ResumeError, match="changed since run"):
        BulkRunner(client_factory, journal).run(path, resume=True)


def test_type_lock_failures_are_journaled_with_the_server_message(
    sandbox, client_factory, journal, write_csv, tmp_path
):
    # Seeded users: age is a Number attribute, so "x" is refused by the type lock.
    path = write_csv("phone,age\n+14155550100,x\n+14155550101,60\n555,1\n+14155550102,\n")
    summary = BulkRunner(client_factory, journal, workers=2).run(path)
    assert (summary.sent, summary.failed, summary.skipped_invalid, summary.skipped_empty) == (
        1,
        1,
        1,
        1,
    )
    assert summary.status == "completed" and not summary.all_sent
    failed = journal.get_row(summary.run_id, 2)
    assert failed.state == "failed" and failed.attempts == 1
    assert "type Number" in failed.message
    assert sandbox.user_attributes(phone="+14155550101")["age"] == "60"

    report = tmp_path / "report.csv"
    assert journal.export_report(summary.run_id, report) == 4
    lines = report.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "row,identifier,status,attempts,message"
    assert lines[1].startswith("2,+14155550100,failed,1,")
    assert lines[2] == "3,+14155550101,sent,1,"
    assert lines[3].startswith("4,555,skipped-invalid,0,")
    assert lines[4].startswith("5,+14155550102,skipped-empty,0,")
    assert (report.stat().st_mode & 0o777) == 0o600


def test_read_only_key_stops_the_run_and_keeps_the_key_out(
    sandbox, client_factory, journal, database, write_csv, tmp_path
):
    path = write_csv(numbered_csv(30))
    runner = BulkRunner(
        lambda hook: client_factory(hook, key=SANDBOX_READONLY_KEY), journal, workers=4
    )
    summary = runner.run(path)
    assert summary.status == "stopped"
    assert "attributes:write" in (summary.error or "")
    assert summary.failed >= 1 and summary.sent == 0 and summary.pending > 0
    assert len(posts(sandbox)) <= 4  # stopped at the first refusal, not after 30
    report = tmp_path / "report.csv"
    journal.export_report(summary.run_id, report)
    database.close()
    files = [path for path in database.path.parent.rglob("*") if path.is_file()]
    for file in [report, *files]:
        data = file.read_bytes()
        assert SANDBOX_READONLY_KEY.encode() not in data
        assert SANDBOX_API_KEY.encode() not in data


def test_server_errors_are_retried_and_attempts_counted(
    sandbox, client_factory, journal, write_csv
):
    sandbox.set_faults(error_rate=0.3)
    path = write_csv(numbered_csv(30))
    summary = BulkRunner(client_factory, journal, workers=4).run(path)
    assert summary.sent + summary.failed == 30
    assert summary.sent >= 28  # five attempts each: a row failing all of them is rare
    attempts = [r.attempts for r in journal.rows(summary.run_id)]
    assert max(attempts) > 1
    assert sum(attempts) == len(posts(sandbox))


def test_header_errors_refuse_the_run(client_factory, journal, write_csv, sandbox):
    from attentive_desktop.core.csv_input import BulkFileError

    with pytest.raises(BulkFileError, match="No identifier column"):
        BulkRunner(client_factory, journal).run(write_csv("name,VIP\nAda,true\n"))
    assert journal.runs() == [] and sandbox.requests == []


def test_rows_of_one_user_are_sent_in_file_order(sandbox, client_factory, journal, write_csv):
    lines = ["phone,step"]
    for i in range(12):
        lines += [f"+14155550100,{i}", f"{phone(2100 + i)},{i}"]
    summary = BulkRunner(client_factory, journal, workers=16).run(write_csv("\n".join(lines)))
    assert summary.sent == 24
    steps = [
        r.json()["properties"]["step"]
        for r in posts(sandbox)
        if r.json()["user"].get("phone") == "+14155550100"
    ]
    assert steps == [str(i) for i in range(12)]
    assert sandbox.user_attributes(phone="+14155550100")["step"] == "11"
