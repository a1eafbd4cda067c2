"""The Bulk dialog against the sandbox, headless: preview, dry run, runs, controls, report."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QAbstractButton, QLineEdit, QMessageBox, QPushButton

from attentive_desktop.api.client import AttentiveClient
from attentive_desktop.api.retry import RetryPolicy
from attentive_desktop.gui.bulk_dialog import BulkDialog
from attentive_desktop.gui.bulk_session import BulkSession, BulkTarget
from attentive_desktop.sandbox.server import SANDBOX_READONLY_KEY
from attentive_desktop.store.journal import Journal

RUN_TIMEOUT = 30_000


def phone(i: int) -> str:
    return f"+1415555{i:04d}"


def write_rows(tmp_path: Path, count: int, *, start: int = 3000, name: str = "rows.csv") -> Path:
    path = tmp_path / name
    lines = ["phone,VIP,points"] + [f"{phone(start + i)},true,{i}" for i in range(count)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def make_dialog(qtbot, sandbox, database, history_store, registry):
    """Builds a BulkDialog (with its own BulkSession) writing to the sandbox."""
    made: list[tuple[BulkDialog, BulkSession]] = []
    keys = {"key": sandbox.api_key}

    def make(*, workers: int | None = None, client_factory=None, target=True) -> BulkDialog:
        session = BulkSession(
            Journal(database), history=history_store, workers=workers,
            client_factory=client_factory,
        )  # fmt: skip
        bulk_target = BulkTarget(
            "Sandbox", sandbox.base_url, "Writing to: Northwind (northwind-outfitters)",
            lambda: keys["key"], registry,
        )  # fmt: skip
        dialog = BulkDialog(session, lambda: bulk_target if target else None)
        qtbot.addWidget(dialog)
        dialog.show()
        made.append((dialog, session))
        return dialog

    make.keys = keys  # type: ignore[attr-defined]
    yield make
    for dialog, session in made:
        dialog.close()
        session.shutdown()


def open_and_wait(qtbot, dialog: BulkDialog, path: Path) -> None:
    with qtbot.waitSignal(dialog.session.previewReady, timeout=RUN_TIMEOUT):
        dialog.open_file(path)


def run_and_wait(qtbot, dialog: BulkDialog, start) -> object:
    with qtbot.waitSignal(dialog.session.finished, timeout=RUN_TIMEOUT) as blocker:
        assert start() is not None
    dialog.results_model.flush()
    return blocker.args[0]


def rows_done(dialog: BulkDialog) -> int:
    """Rows done in the latest progress snapshot of the run in progress (0 before one)."""
    progress = dialog.session.last_progress
    return progress.done if progress is not None else 0


def posts(sandbox) -> list:
    return [r for r in sandbox.requests if r.method == "POST"]


def test_preview_shows_identifiers_types_and_sends_nothing(qtbot, make_dialog, sandbox, tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_text(
        "\ufeffPhone;custom:shopId;VIP;Joined;Balance;Nickname\n"
        "+14155550100;s1;TRUE;2021-04-23;50.89;Ada\n;s2;;2020-01-01;;\n",
        encoding="utf-8",
    )
    dialog = make_dialog()
    open_and_wait(qtbot, dialog, path)
    model = dialog.preview_model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == [
        "Phone\nidentifier · phone",
        "custom:shopId\nidentifier · custom: shopId",
        "VIP\nBoolean",
        "Joined\nDate",
        "Balance\nNumber",
        "Nickname\nText",
    ]
    assert model.rowCount() == 2
    summary = dialog.file_label.text()
    assert "2 rows, semicolon-separated" in summary and "Phone, custom:shopId" in summary
    assert "VIP: Boolean; Joined: Date" in summary
    assert dialog.start_button.isEnabled() and dialog.dry_run_button.isEnabled()
    assert not dialog.pause_button.isEnabled() and not dialog.export_button.isEnabled()
    assert sandbox.requests == []


def test_dry_run_lists_planted_problems_and_sends_nothing(qtbot, make_dialog, sandbox, tmp_path):
    path = tmp_path / "planted.csv"
    path.write_text(
        "phone,email,VIP,points\n"
        "+14155550100,,true,1\n"  # row 2 fine
        "12,,true,2\n"  # row 3 bad phone
        ",not-an-email,true,3\n"  # row 4 bad email
        "+14155550101,,true\n"  # row 5 ragged
        ",,true,5\n"  # row 6 no identifier
        '+14155550102,,"[1, 2]",6\n'  # row 7 array text
        "+14155550103,,true,seven\n",  # row 8 type changes within the column
        encoding="utf-8",
    )
    dialog = make_dialog()
    open_and_wait(qtbot, dialog, path)
    with qtbot.waitSignal(dialog.session.checked, timeout=RUN_TIMEOUT):
        dialog.dry_run_button.click()
    model = dialog.problems_model
    found = {
        (model.index(r, 0).data(), model.index(r, 1).data(), model.index(r, 3).data())
        for r in range(model.rowCount())
    }
    assert {
        ("3", "phone", "bad-phone"),
        ("4", "email", "bad-email"),
        ("5", "", "ragged-row"),
        ("6", "", "no-identifier"),
        ("7", "VIP", "json-array-text"),
        ("8", "points", "mixed-types"),
    } <= found
    assert not any(row == "2" for row, _c, _code in found)
    text = dialog.check_label.text()
    assert "7 rows: 2 ready to send, 5 invalid" in text and "bad-phone 1" in text
    assert dialog.tabs.currentWidget() is dialog.check_tab
    assert sandbox.requests == []


def test_confirmed_run_with_a_low_rate_limit_completes_every_row(
    qtbot, make_dialog, sandbox, tmp_path
):
    sandbox.set_rate_limit(25)
    path = write_rows(tmp_path, 60)
    dialog = make_dialog()
    open_and_wait(qtbot, dialog, path)
    dialog.start_button.click()  # runs the check first (no dry run yet), then asks
    qtbot.waitUntil(lambda: dialog.findChild(QMessageBox, "bulkStartConfirm") is not None)
    box = dialog.findChild(QMessageBox, "bulkStartConfirm")
    assert box is not None and box.isVisible()
    assert "Send 60 rows of 60 to account “Sandbox”" in box.text()
    assert sandbox.requests == [] or all(r.method != "POST" for r in sandbox.requests)
    assert "Writing to: Northwind (northwind-outfitters)" in box.informativeText()
    yes = box.findChild(QPushButton, "bulkStartConfirmYes")
    summary = run_and_wait(qtbot, dialog, lambda: yes.click() or True)
    assert summary.status == "completed" and summary.sent == 60 and summary.all_sent
    assert dialog.results_model.row_numbers("sent") == list(range(2, 62))
    assert dialog.results_proxy.rowCount() == 60
    assert dialog.progress_bar.value() == 60 and dialog.progress_bar.maximum() == 60
    assert "completed" in dialog.progress_label.text()
    assert len({r.body for r in posts(sandbox)}) == 60
    assert sandbox.user_attributes(phone=phone(3059))["points"] == "59"
    assert dialog.export_button.isEnabled() and not dialog.rerun_button.isEnabled()


def test_pause_then_resume_completes(qtbot, make_dialog, sandbox, tmp_path):
    sandbox.set_rate_limit(40)
    sandbox.set_latency(0.02)
    path = write_rows(tmp_path, 120)
    dialog = make_dialog(workers=4)
    open_and_wait(qtbot, dialog, path)
    with qtbot.waitSignal(dialog.session.finished, timeout=RUN_TIMEOUT) as done:
        dialog.start()
        qtbot.waitUntil(lambda: rows_done(dialog) >= 10, timeout=RUN_TIMEOUT)
        dialog.pause_button.click()
        assert dialog.resume_button.isEnabled() and not dialog.pause_button.isEnabled()
        # The run sends from a child process: once a snapshot says paused, the next one
        # comes after the requests in flight (20 ms each) have finished.
        qtbot.waitUntil(lambda: dialog.session.last_progress.paused, timeout=RUN_TIMEOUT)
        with qtbot.waitSignal(dialog.session.progressed, timeout=RUN_TIMEOUT):
            pass
        sent_while_pausing = len(posts(sandbox))
        for _ in range(2):  # two progress snapshots later, nothing more went out
            with qtbot.waitSignal(dialog.session.progressed, timeout=RUN_TIMEOUT) as snap:
                pass
            assert snap.args[0].paused
        assert len(posts(sandbox)) == sent_while_pausing < 120
        assert "paused" in dialog.progress_label.text()
        dialog.resume_button.click()
    summary = done.args[0]
    assert summary.status == "completed" and summary.sent == 120
    assert len(posts(sandbox)) == 120


def test_cancel_leaves_rows_pending_and_the_run_can_be_resumed(
    qtbot, make_dialog, sandbox, tmp_path
):
    sandbox.set_rate_limit(30)
    path = write_rows(tmp_path, 120)
    dialog = make_dialog(workers=4)
    open_and_wait(qtbot, dialog, path)
    with qtbot.waitSignal(dialog.session.finished, timeout=RUN_TIMEOUT) as done:
        dialog.start()
        qtbot.waitUntil(lambda: rows_done(dialog) >= 5, timeout=RUN_TIMEOUT)
        dialog.cancel_button.click()
    summary = done.args[0]
    dialog.results_model.flush()
    assert summary.status == "cancelled" and summary.pending > 0
    assert summary.sent + summary.failed + summary.pending == 120
    assert dialog.results_model.counts["sent"] == summary.sent
    assert "not sent yet" in dialog.progress_label.text()
    assert dialog.resume_bar.isVisible() and dialog.resume_run_button.isEnabled()

    # Opening the file again (here in a new dialog) offers to resume that run.
    sandbox.set_rate_limit(150)
    again = make_dialog()
    open_and_wait(qtbot, again, path)
    assert again.resume_bar.isVisible()
    assert f"Run {summary.run_id} of this file (cancelled)" in again.resume_label.text()
    resumed = run_and_wait(qtbot, again, lambda: again.resume_run_button.click() or True)
    assert resumed.run_id == summary.run_id
    assert resumed.status == "completed" and resumed.sent == 120
    assert again.results_model.row_numbers("sent") == list(range(2, 122))
    assert sandbox.user_attributes(phone=phone(3119))["points"] == "119"


def test_rerun_failed_rows_after_the_cause_is_fixed(qtbot, make_dialog, sandbox, tmp_path):
    def no_retries(base_url, key, hook):
        return AttentiveClient(base_url, key, on_exchange=hook, retry=RetryPolicy(max_attempts=1))

    sandbox.set_faults(error_rate=1.0)
    path = write_rows(tmp_path, 8)
    dialog = make_dialog(client_factory=no_retries)
    open_and_wait(qtbot, dialog, path)
    first = run_and_wait(qtbot, dialog, dialog.start)
    assert first.status == "completed" and first.failed == 8 and first.sent == 0
    assert dialog.results_model.counts["failed"] == 8
    assert dialog.rerun_button.isEnabled()
    dialog.state_combo.setCurrentIndex(dialog.state_combo.findData("failed"))
    assert dialog.results_proxy.rowCount() == 8

    sandbox.set_faults(error_rate=0.0)
    second = run_and_wait(qtbot, dialog, lambda: dialog.rerun_button.click() or True)
    assert second.run_id == first.run_id
    assert second.status == "completed" and second.sent == 8 and second.failed == 0
    assert dialog.results_model.counts == {**dialog.results_model.counts, "sent": 8, "failed": 0}
    assert dialog.results_proxy.rowCount() == 0  # the failed view is empty now
    assert dialog.results_model.rowCount() == 8
    assert not dialog.rerun_button.isEnabled()


def test_a_refused_key_stops_the_run_and_never_shows_the_key(qtbot, make_dialog, sandbox, tmp_path):
    make_dialog.keys["key"] = SANDBOX_READONLY_KEY
    path = write_rows(tmp_path, 40)
    dialog = make_dialog(workers=2)
    open_and_wait(qtbot, dialog, path)
    summary = run_and_wait(qtbot, dialog, dialog.start)
    assert summary.status == "stopped" and summary.failed >= 1 and summary.pending > 0
    assert "attributes:write" in dialog.progress_label.text()
    assert SANDBOX_READONLY_KEY not in dialog.progress_label.text()
    assert dialog.rerun_button.isEnabled() and dialog.resume_run_button.isEnabled()


def test_export_report_writes_the_csv(qtbot, make_dialog, sandbox, tmp_path):
    path = tmp_path / "two.csv"
    path.write_text("phone,VIP\n+14155550100,true\n12,true\n", encoding="utf-8")
    dialog = make_dialog()
    open_and_wait(qtbot, dialog, path)
    run_and_wait(qtbot, dialog, dialog.start)
    out = tmp_path / "report.csv"
    with qtbot.waitSignal(dialog.session.reportWritten, timeout=RUN_TIMEOUT) as written:
        dialog.export_report(out)
    assert written.args == [str(out), 2]
    with open(out, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["row", "identifier", "status", "attempts", "message"]
    assert rows[1][:4] == ["2", "+14155550100", "sent", "1"]
    assert rows[2][0] == "3" and rows[2][2] == "skipped-invalid" and "phone" in rows[2][4]
    assert "Report written" in dialog.progress_label.text()

    only_invalid = tmp_path / "invalid.csv"
    dialog.state_combo.setCurrentIndex(dialog.state_combo.findData("skipped-invalid"))
    with qtbot.waitSignal(dialog.session.reportWritten, timeout=RUN_TIMEOUT):
        dialog.export_report(only_invalid)
    assert only_invalid.read_text(encoding="utf-8-sig").count("\n") == 2  # header + 1 row


def test_event_loop_keeps_running_during_a_run(qtbot, make_dialog, sandbox, tmp_path):
    sandbox.set_latency(0.02)
    sandbox.set_rate_limit(60)
    path = write_rows(tmp_path, 90)
    dialog = make_dialog()
    open_and_wait(qtbot, dialog, path)
    ticks: list[int] = []
    heartbeat = QTimer()
    heartbeat.setInterval(5)
    heartbeat.timeout.connect(lambda: ticks.append(1))
    with qtbot.waitSignal(dialog.session.finished, timeout=RUN_TIMEOUT):
        dialog.start()
        heartbeat.start()
        qtbot.waitUntil(lambda: rows_done(dialog) >= 30, timeout=RUN_TIMEOUT)
        during = len(ticks)
    heartbeat.stop()
    assert during >= 20  # ≥ 0.5 s of run at 60 rows/s: the 5 ms timer kept firing


def test_controls_follow_the_state_and_have_names(qtbot, make_dialog, tmp_path):
    dialog = make_dialog(target=False)
    assert dialog.target_label.text().startswith("Writing to: no account yet")
    assert not dialog.start_button.isEnabled() and not dialog.dry_run_button.isEnabled()
    open_and_wait(qtbot, dialog, write_rows(tmp_path, 3))
    assert dialog.dry_run_button.isEnabled() and not dialog.start_button.isEnabled()
    assert dialog.start() is None and dialog.ask_start() is None
    for widget in dialog.findChildren(QAbstractButton) + dialog.findChildren(QLineEdit):
        if widget.objectName().startswith("qt_") or not widget.objectName():
            continue  # Qt's own parts (tab scrollers, combo internals)
        assert widget.accessibleName(), widget.objectName()
    named = {w.objectName() for w in dialog.findChildren(QAbstractButton)}
    assert {
        "bulkChooseButton", "bulkDryRunButton", "bulkStartButton", "bulkPauseButton",
        "bulkResumeButton", "bulkCancelButton", "bulkRerunButton", "bulkExportButton",
        "bulkResumeRunButton", "bulkCloseButton",
    } <= named  # fmt: skip


def test_a_staged_dialog_is_built_one_part_per_step_and_then_works(
    qtbot, sandbox, database, history_store, registry, tmp_path
):
    session = BulkSession(Journal(database), history=history_store)
    target = BulkTarget(
        "Sandbox", sandbox.base_url, "Writing to: Northwind (northwind-outfitters)",
        lambda: sandbox.api_key, registry,
    )  # fmt: skip
    dialog = BulkDialog(session, lambda: target, staged=True)
    qtbot.addWidget(dialog)
    try:
        assert not hasattr(dialog, "start_button")  # nothing but the models yet
        dialog.set_masked(True)  # asked mid-build: applied to every label once built
        steps = 0
        while dialog.build_step():
            steps += 1
        assert steps >= 4 and not dialog.build_step()
        assert dialog.target_label.text() == "Writing to: Northwind (northwind-outfitters)"
        dialog.progress_label.setText("Row 2: +14155550100 sent")
        assert "+14155550100" not in dialog.progress_label.text()
        assert dialog.results_model.masked and dialog.preview_model.masked
        dialog.show()
        open_and_wait(qtbot, dialog, write_rows(tmp_path, 2))  # its signals are connected
        assert dialog.preview_model.rowCount() == 2
    finally:
        dialog.close()
        session.shutdown()
