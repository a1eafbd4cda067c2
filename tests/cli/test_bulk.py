"""``bulk``: exit codes, JSON, report, progress only on a terminal, no Qt, kill and resume."""

from __future__ import annotations

import json
import os
import pty
import signal
import subprocess
import sys
from collections import Counter

from attentive_desktop.sandbox import SANDBOX_API_KEY, SANDBOX_READONLY_KEY
from attentive_desktop.store.database import Database
from attentive_desktop.store.journal import SENT, Journal
from attentive_desktop.store.paths import AppPaths
from tests.waiting import wait_until

from .support import ROOT, cli_env, spawn_cli, write_numbered

BULK_KEYS = {
    "ok",
    "run_id",
    "status",
    "file",
    "total",
    "sent",
    "failed",
    "skipped_invalid",
    "skipped_empty",
    "pending",
    "elapsed_s",
    "rate",
    "error",
    "report",
    "failures",
}


def test_bulk_all_sent_exits_0_with_json_and_report(cli_json, tmp_path):
    path = write_numbered(tmp_path / "vip.csv", 25)
    report = tmp_path / "out.csv"
    code, data = cli_json("bulk", str(path), "--sandbox", "--report", str(report))
    assert code == 0
    assert set(data) == BULK_KEYS
    assert (data["ok"], data["status"], data["total"], data["sent"]) == (True, "completed", 25, 25)
    assert data["failures"] == [] and data["pending"] == 0
    lines = report.read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 26 and lines[1] == "2,+14155553000,sent,1,"


def test_bulk_with_failing_rows_exits_1(cli_json, sandbox, monkeypatch, tmp_path):
    monkeypatch.setenv("ATTENTIVE_API_KEY", SANDBOX_API_KEY)
    path = tmp_path / "ages.csv"
    path.write_text("phone,age\n+14155550100,old\n+14155550101,53\n", encoding="utf-8")
    code, data = cli_json("bulk", str(path), "--base-url", sandbox.base_url)
    assert code == 1
    assert (data["ok"], data["sent"], data["failed"]) == (False, 1, 1)
    [failure] = data["failures"]
    assert failure["row"] == 2 and failure["identifier"] == "+14155550100"
    assert failure["status"] == "failed" and "type Number" in failure["message"]
    assert sandbox.user_attributes(phone="+14155550101")["age"] == "53"


def test_bulk_with_read_only_key_stops_and_exits_1(cli, sandbox, monkeypatch, tmp_path):
    monkeypatch.setenv("ATTENTIVE_API_KEY", SANDBOX_READONLY_KEY)
    path = write_numbered(tmp_path / "vip.csv", 40)
    code, out, err = cli("bulk", str(path), "--base-url", sandbox.base_url)
    assert code == 1
    assert "Run 1 stopped" in out
    assert "attributes:write" in err and "--resume" in err
    assert SANDBOX_READONLY_KEY not in out + err


def test_bulk_invalid_file_or_nothing_to_resume_exits_2(cli, cli_json, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("name,VIP\nAda,true\n", encoding="utf-8")
    code, _, err = cli("bulk", str(bad), "--sandbox")
    assert code == 2 and "No identifier column" in err
    good = write_numbered(tmp_path / "good.csv", 2)
    code, data = cli_json("bulk", str(good), "--sandbox", "--resume")
    assert code == 2 and "no unfinished run" in data["error"]["message"]
    code, _, _ = cli("bulk", str(good), "--sandbox", "--workers", "0")
    assert code == 2


def test_cli_path_imports_no_qt(tmp_path):
    path = write_numbered(tmp_path / "vip.csv", 3)
    script = (
        "import sys\n"
        "from attentive_desktop.cli import main\n"
        f"codes = [main(['get', '--sandbox', '--phone', '+14155550100', '--json']),\n"
        f"         main(['bulk', {str(path)!r}, '--sandbox', '--json'])]\n"
        "qt = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken')))\n"
        "print(codes, qt, file=sys.stderr)\n"
        "raise SystemExit(1 if qt or codes != [0, 0] else 0)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=cli_env(), capture_output=True, timeout=60
    )
    assert done.returncode == 0, done.stderr.decode()


def test_quiet_when_piped(tmp_path):
    path = write_numbered(tmp_path / "vip.csv", 10)
    proc = spawn_cli("bulk", str(path), "--sandbox")
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0
    assert err == b""
    assert out.decode().startswith("Run 1 completed in ")


def test_progress_bar_on_a_terminal(tmp_path):
    path = write_numbered(tmp_path / "vip.csv", 10)
    master, slave = pty.openpty()
    proc = spawn_cli("bulk", str(path), "--sandbox", stderr=slave)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:  # EIO: the child closed its end
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    assert proc.wait(timeout=60) == 0
    proc.stdout.close()
    shown = b"".join(chunks).decode()
    assert "Starting run 1: 10 rows." in shown
    assert "\r[" in shown and "10/10" in shown and "/s" in shown and "ETA" in shown


def test_killed_run_resumes_without_losing_or_double_counting(
    sandbox, cli_json, tmp_path, monkeypatch
):
    """SIGKILL a CLI run mid-way, then --resume: every row ends sent exactly as journaled."""
    sandbox.set_rate_limit(25)
    total = 80
    path = write_numbered(tmp_path / "big.csv", total)
    paths = AppPaths.from_environment().ensure()
    db = Database(paths.database)  # migrated before the child opens it
    journal = Journal(db)
    env = cli_env(ATTENTIVE_API_KEY=SANDBOX_API_KEY)
    proc = spawn_cli("bulk", str(path), "--base-url", sandbox.base_url, "--workers", "6", env=env)
    try:

        def sent_so_far() -> int:
            runs = journal.runs(1)
            return journal.counts(runs[0].id)[SENT] if runs else 0

        wait_until(lambda: sent_so_far() >= 15 or proc.poll() is not None, timeout=20)
        assert sent_so_far() >= 15, "the run did not get going"
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    [run] = journal.runs()
    assert run.status == "running"  # killed: nobody wrote an end
    before = journal.counts(run.id)
    assert 15 <= before[SENT] < total
    sent_before = {r.row_no for r in journal.rows(run.id, states=[SENT])}
    posts_before = Counter(r.json()["user"]["phone"] for r in sandbox.requests if r.status == 200)
    # Every row the journal calls sent really reached the server.
    assert {f"+1415555{3000 + n - 2:04d}" for n in sent_before} <= set(posts_before)

    sandbox.set_rate_limit(150)
    monkeypatch.setenv("ATTENTIVE_API_KEY", SANDBOX_API_KEY)
    code, data = cli_json("bulk", str(path), "--base-url", sandbox.base_url, "--resume")
    assert code == 0, data
    assert (data["run_id"], data["status"], data["sent"], data["pending"]) == (
        run.id,
        "completed",
        total,
        0,
    )
    rows = list(journal.rows(run.id))
    assert [r.row_no for r in rows] == list(range(2, total + 2))
    assert all(r.state == SENT for r in rows)
    for i in range(total):
        attrs = sandbox.user_attributes(phone=f"+1415555{3000 + i:04d}")
        assert attrs == {"VIP": "true", "points": str(i)}
    posts = Counter(r.json()["user"]["phone"] for r in sandbox.requests if r.status == 200)
    # Rows sent before the kill were not sent again; only rows in flight may have gone twice.
    resent = {p for p, n in posts.items() if n > 1}
    assert not resent & {f"+1415555{3000 + n - 2:04d}" for n in sent_before}
    assert sum(posts.values()) - total <= 6
    assert json.dumps(data).count(SANDBOX_API_KEY) == 0
    db.close()
