"""Crashes and broken storage, seen from the window: nothing the user typed or queued is lost.

- kill -9 while a single send is in flight: the next start offers the edit back, rows intact;
- a bulk run left unfinished in the journal: the next start offers to resume it;
- a damaged database: the window starts, says so, and carries on with a fresh one;
- damage deep inside it: found in the background once the window is up, set aside next start;
- history that cannot be written: the window says so once, the API call still succeeds.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import ClassVar

from attentive_desktop.sandbox.server import running_sandbox
from attentive_desktop.store.database import Database
from attentive_desktop.store.drafts import SENDING, Draft, DraftStore
from attentive_desktop.store.errors import write_error
from attentive_desktop.store.journal import PENDING, SENT, Journal
from attentive_desktop.store.paths import AppPaths

from .damage import fill, wreck_middle
from .draft_driver import PHONE, ROWS

DRIVER = Path(__file__).with_name("draft_driver.py")
ROOT = Path(__file__).resolve().parents[2]


def _rows(window) -> list[tuple[str, str]]:
    model = window.editor.model
    return [(model.row(i).name, model.row(i).value) for i in range(model.rowCount())]


def _drain_draft_worker(qtbot, session) -> None:
    """Wait until every job queued on the draft worker before now has run (it runs in order)."""
    done: list[str] = []
    session.window.drafts.background(lambda: "drained", done.append)
    qtbot.waitUntil(lambda: done == ["drained"])


def _wait_for_post(sandbox, timeout: float = 30.0) -> None:
    """Block until the sandbox has received a POST (no sleeping: it signals each request)."""
    while not any(r.method == "POST" for r in sandbox.requests):
        assert sandbox.wait_for_requests(len(sandbox.requests) + 1, timeout), "no POST arrived"


def test_kill_9_during_a_send_keeps_the_edit_for_the_next_start(qtbot, open_window) -> None:
    with running_sandbox(latency=2.0) as sandbox:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
        driver = subprocess.Popen(
            [sys.executable, str(DRIVER), sandbox.base_url],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=ROOT,
        )
        try:
            ready, _, _ = select.select([driver.stdout], [], [], 60)
            assert ready, "the driver never pressed Send"
            assert driver.stdout.readline().strip() == "sending", driver.stderr.read()
            _wait_for_post(sandbox)  # the request is in flight (2 s latency): kill now
            driver.send_signal(signal.SIGKILL)
        finally:
            driver.kill()
            driver.wait(30)
            driver.stdout.close()
            driver.stderr.close()
        assert driver.returncode == -signal.SIGKILL
        sandbox.set_latency(0)

        session = open_window(sandbox_url=sandbox.base_url, sandbox_key=sandbox.api_key)
        window = session.window
        qtbot.waitUntil(lambda: "draftOffer" in window.safety.bars, timeout=10000)
        bar = window.safety.bars["draftOffer"]
        assert PHONE in bar.text() and "2 attributes" in bar.text()
        assert _rows(window) == []  # offered, not forced on the user
        bar.buttons["restoreDraftButton"].click()
        assert _rows(window) == list(ROWS)
        assert window.form.phone_edit.text() == PHONE
        assert "was restored" in window.statusBar().currentMessage()
        assert "no answer came back" in window.statusBar().currentMessage()  # state: sending
        assert window.editor.send_button.isEnabled()  # ready to be sent again


def test_a_sent_and_verified_edit_leaves_no_draft(qtbot, open_window) -> None:
    with running_sandbox() as sandbox:
        session = open_window(sandbox_url=sandbox.base_url, sandbox_key=sandbox.api_key)
        window = session.window
        store = DraftStore(session.database)
        window.form.phone_edit.setText(PHONE)
        window.editor.model.add_row("Draft check", "kept")
        window.drafts.save_now()
        qtbot.waitUntil(lambda: store.load() is not None)
        assert store.load().rows == (("Draft check", "kept"),)
        with qtbot.waitSignal(window.flow.sendVerified, timeout=10000):
            window.flow.send()
        qtbot.waitUntil(lambda: store.load() is None)
        assert sandbox.user_attributes(phone=PHONE)["Draft check"] == "kept"


def test_discarding_the_offer_forgets_the_draft(qtbot, open_window) -> None:
    paths = AppPaths.from_environment().ensure()
    with Database(paths.database) as db:
        DraftStore(db).save(Draft("Acme", {"email": "ada@example.com"}, rows=(("VIP", "true"),)))
    session = open_window()
    window = session.window
    qtbot.waitUntil(lambda: "draftOffer" in window.safety.bars)
    assert "ada@example.com" in window.safety.bars["draftOffer"].text()
    window.safety.bars["draftOffer"].buttons["discardDraftButton"].click()
    store = DraftStore(session.database)
    qtbot.waitUntil(lambda: store.load("previous") is None and store.load() is None)
    assert "draftOffer" not in window.safety.bars


def test_a_draft_in_the_sending_state_says_it_may_have_arrived() -> None:
    from attentive_desktop.gui.drafts import restored_text

    text = restored_text(Draft(identifiers={"phone": PHONE}, rows=(("a", "b"),), state=SENDING))
    assert text.startswith(f"Your unsent edit for {PHONE} was restored.")
    assert "look the user up" in text


def test_an_unfinished_bulk_run_is_offered_for_resuming(qtbot, open_window, tmp_path) -> None:
    csv_file = tmp_path / "vip.csv"
    csv_file.write_text("phone,VIP\n+14155550100,true\n+14155550101,true\n+14155550102,true\n")
    paths = AppPaths.from_environment().ensure()
    with Database(paths.database) as db:
        journal = Journal(db)
        run = journal.create_run(
            file_path=str(csv_file.resolve()), file_sha256="x", file_size=1, total_rows=3
        )
        journal.prepare_rows(run.id, [(2, "+14155550100", PENDING, ""), (3, "b", PENDING, "")])
        journal.mark(run.id, 2, SENT, attempts=1)  # killed here: status stays "running"
    session = open_window()
    window = session.window
    qtbot.waitUntil(lambda: "bulkResumeOffer" in window.safety.bars, timeout=10000)
    bar = window.safety.bars["bulkResumeOffer"]
    assert "vip.csv" in bar.text() and "2 of 3 rows are not sent yet" in bar.text()
    assert window.safety.interrupted[0].id == run.id
    bar.buttons["resumeBulkButton"].click()
    dialog = window.bulk.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.path == str(csv_file.resolve())


def test_a_finished_bulk_run_is_not_offered(qtbot, open_window, tmp_path) -> None:
    csv_file = tmp_path / "done.csv"
    csv_file.write_text("phone,VIP\n+14155550100,true\n")
    paths = AppPaths.from_environment().ensure()
    with Database(paths.database) as db:
        journal = Journal(db)
        run = journal.create_run(
            file_path=str(csv_file), file_sha256="x", file_size=1, total_rows=1
        )
        journal.prepare_rows(run.id, [(2, "+14155550100", SENT, "")])
        journal.set_status(run.id, "completed")
    session = open_window()
    _drain_draft_worker(qtbot, session)  # the lookup for an interrupted run has run
    assert "bulkResumeOffer" not in session.window.safety.bars


def test_a_damaged_database_is_set_aside_and_the_window_says_so(qtbot, open_window) -> None:
    paths = AppPaths.from_environment().ensure()
    paths.database.write_bytes(b"this is not a database" * 100)
    session = open_window()
    window = session.window
    assert "recoveryNotice" in window.safety.bars
    text = window.safety.bars["recoveryNotice"].text()
    assert "damaged" in text and "moved aside" in text
    assert list(paths.data_dir.glob("attentive-desktop.sqlite3.corrupt-*"))
    session.database.connect().execute("SELECT count(*) FROM history").fetchone()


def test_deep_damage_is_found_after_the_window_is_up_and_set_aside_next_start(
    qtbot, open_window
) -> None:
    paths = AppPaths.from_environment().ensure()
    fill(paths.database)
    wreck_middle(paths.database)
    session = open_window()  # start-up does not read the whole file: it just opens
    safety = session.window.safety
    assert "recoveryNotice" not in safety.bars
    qtbot.waitUntil(lambda: "databaseDamaged" in safety.bars)
    bar = safety.bars["databaseDamaged"]
    assert "next time" in bar.text() and "damaged" in bar.toolTip()
    session.window.close()
    session.shutdown()

    session = open_window()
    text = session.window.safety.bars["recoveryNotice"].text()
    assert "damaged" in text and "moved aside" in text
    assert list(paths.data_dir.glob("attentive-desktop.sqlite3.corrupt-*"))
    assert session.database.connect().execute("SELECT count(*) FROM history").fetchone() == (0,)


def test_a_sound_database_raises_no_damage_bar(qtbot, open_window) -> None:
    session = open_window()
    safety = session.window.safety
    qtbot.waitUntil(lambda: safety.database_checked)
    assert "databaseDamaged" not in safety.bars


class SlowCheck:
    """Stands in for store.recovery.DamageCheck on a large file: reads until interrupted."""

    instances: ClassVar[list[SlowCheck]] = []

    def __init__(self, _database: object) -> None:
        self.started, self.release = threading.Event(), threading.Event()
        self.interrupted = False
        SlowCheck.instances.append(self)

    def __call__(self) -> str | None:
        self.started.set()
        self.release.wait(60)
        return None

    def interrupt(self) -> None:
        self.interrupted = True
        self.release.set()


def _open_with_slow_check(open_window, monkeypatch):
    import attentive_desktop.store.recovery as recovery

    SlowCheck.instances.clear()
    monkeypatch.setattr(recovery, "DamageCheck", SlowCheck)
    session = open_window()
    (check,) = SlowCheck.instances
    return session, check


def test_an_edit_is_saved_while_the_database_check_still_reads(
    qtbot, open_window, monkeypatch
) -> None:
    session, check = _open_with_slow_check(open_window, monkeypatch)
    try:
        qtbot.waitUntil(check.started.is_set)
        session.window.form.phone_edit.setText(PHONE)
        session.window.editor.model.add_row(*ROWS[0])
        store = DraftStore(session.database)
        # The draft's write does not queue behind the whole-file read (seconds on a big file).
        qtbot.waitUntil(lambda: store.load() is not None)
        draft = store.load()
        assert draft.identifiers["phone"] == PHONE and draft.rows == (ROWS[0],)
        assert not check.release.is_set()  # the check was still reading all along
    finally:
        check.release.set()


def test_quitting_interrupts_the_database_check(qtbot, open_window, monkeypatch) -> None:
    session, check = _open_with_slow_check(open_window, monkeypatch)
    qtbot.waitUntil(check.started.is_set)
    session.window.close()
    session.shutdown()  # before the database closes
    assert check.interrupted


def test_history_that_cannot_be_written_is_told_once_and_calls_still_work(
    qtbot, open_window, monkeypatch
) -> None:
    from attentive_desktop.core.identifiers import LookupQuery
    from attentive_desktop.store.history import HistoryStore

    def full_disk(self, exchange, *, account=""):
        raise write_error("disk-full", Path("/data"))

    monkeypatch.setattr(HistoryStore, "append", full_disk)
    with running_sandbox() as sandbox:
        session = open_window(sandbox_url=sandbox.base_url, sandbox_key=sandbox.api_key)
        window = session.window
        for _ in range(2):
            with qtbot.waitSignal(session.api.lookedUp, timeout=10000):
                session.api.lookup(LookupQuery("phone", PHONE))
        assert list(window.safety.bars) == ["storageNotice"]
        assert "the disk is full" in window.safety.bars["storageNotice"].text()
        assert "disk is full" in window.statusBar().currentMessage()


def test_a_setting_the_disk_refuses_is_told_and_holds_for_the_session(
    qtbot, open_window, monkeypatch
) -> None:
    import errno

    from attentive_desktop.gui.privacy import MASK_SETTING
    from attentive_desktop.store.settings import Settings

    def full_disk(self, data: str) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    session = open_window()
    window = session.window
    monkeypatch.setattr(Settings, "_write_file", full_disk)
    window.profile_tools.privacy.set_masked(True)  # View ▸ Mask personal data
    qtbot.waitUntil(lambda: "the disk is full" in window.statusBar().currentMessage())
    assert "The setting was not saved." in window.statusBar().currentMessage()
    assert window.settings.get(MASK_SETTING) is True  # masking stays on for this session
