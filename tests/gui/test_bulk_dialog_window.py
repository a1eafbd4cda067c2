"""The Bulk dialog inside the real window: Ctrl+B, the account line, history, closing mid-run."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton

from attentive_desktop.app import build_window
from attentive_desktop.store.database import Database
from attentive_desktop.store.journal import Journal
from attentive_desktop.store.paths import AppPaths
from attentive_desktop.store.secrets import SecretStore
from tests.fakes import FakeKeyring
from tests.gui.test_bulk_dialog import rows_done
from tests.window_start import wait_started

TARGET = "Writing to: Northwind Outfitters (Sandbox) (northwind-outfitters)"


@pytest.fixture
def app_session(qtbot, sandbox):
    session = build_window(
        AppPaths.from_environment(),
        SecretStore(keyring_backend=FakeKeyring()),
        sandbox_url=sandbox.base_url,
        sandbox_key=sandbox.api_key,
        first_run_dialog=False,
    )
    qtbot.addWidget(session.window)
    session.window.show()
    qtbot.waitExposed(session.window)
    wait_started(qtbot, session.window)  # start-up finishes after the show
    qtbot.waitUntil(lambda: "(" in session.window.editor.target_label.text(), timeout=10_000)
    yield session
    session.window.close()
    session.shutdown()


def open_with_shortcut(qtbot, window):
    if not window.isActiveWindow():
        with qtbot.waitActive(window):
            window.activateWindow()
    # Built hidden once start-up has finished (BulkAction.prepare); never shown by itself.
    assert window.bulk.dialog is None or not window.bulk.dialog.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.bulk.dialog is not None and window.bulk.dialog.isVisible())
    return window.bulk.dialog


def test_ctrl_b_opens_the_dialog_with_the_account_line(qtbot, app_session):
    window = app_session.window
    action = window.bulk.action
    assert action.text() == "&Bulk update from CSV…"
    assert action.shortcut().toString() == "Ctrl+B"
    dialog = open_with_shortcut(qtbot, window)
    assert dialog.target_label.text() == TARGET
    assert dialog.isModal() is False
    action.trigger()  # a second time: the same dialog comes to the front
    assert window.bulk.dialog is dialog


def test_a_run_from_the_window_writes_to_the_account_and_logs_failures(
    qtbot, app_session, sandbox, tmp_path
):
    window = app_session.window
    path = tmp_path / "vip.csv"
    path.write_text("email,VIP\nada@example.com,true\ngrace@example.com,true\n", encoding="utf-8")
    dialog = open_with_shortcut(qtbot, window)
    with qtbot.waitSignal(dialog.session.previewReady, timeout=10_000):
        dialog.open_file(path)
    sandbox.burst_429(1)  # one refused attempt, retried: it lands in the history
    with qtbot.waitSignal(dialog.session.finished, timeout=20_000) as done:
        dialog.start()
    assert done.args[0].sent == 2
    assert sandbox.user_attributes(email="grace@example.com")["VIP"] == "true"
    assert window.account_name == "Sandbox"
    statuses = lambda: [  # noqa: E731
        window.history.proxy.index(r, 4).data() for r in range(window.history.proxy.rowCount())
    ]
    qtbot.waitUntil(lambda: "429" in statuses(), timeout=10_000)


def test_closing_the_window_mid_run_cancels_and_keeps_rows_pending(
    qtbot, app_session, sandbox, tmp_path
):
    sandbox.set_rate_limit(20)
    path = tmp_path / "slow.csv"
    rows = [f"+1415555{4000 + i:04d},{i}" for i in range(200)]
    path.write_text("phone,points\n" + "\n".join(rows) + "\n", encoding="utf-8")
    window = app_session.window
    dialog = open_with_shortcut(qtbot, window)
    with qtbot.waitSignal(dialog.session.previewReady, timeout=10_000):
        dialog.open_file(path)
    dialog.start()
    qtbot.waitUntil(lambda: dialog.run_id is not None, timeout=10_000)
    qtbot.waitUntil(lambda: rows_done(dialog) >= 3, timeout=10_000)
    run_id = dialog.run_id
    window.close()  # asks first: a run is sending
    assert window.isVisible() and dialog.session.is_running()  # nothing stopped yet
    box = window.findChild(QMessageBox, "quitDuringBulkConfirm")
    assert box is not None and box.isVisible() and "Quitting stops it" in box.text()
    box.findChild(QPushButton, "quitDuringBulkConfirmYes").click()
    qtbot.waitUntil(lambda: not window.isVisible())  # the worker shut down: run cancelled
    database = Database(AppPaths.from_environment().database)  # the window closed its own
    try:
        journal = Journal(database)
        run = journal.get_run(run_id)
        assert run is not None and run.status == "cancelled"
        assert journal.is_unfinished(run_id)
    finally:
        database.close()
