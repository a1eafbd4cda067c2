"""The main journey, headless against the sandbox: add an account, look up, edit, send, see the
history, restart and still see it; a slow server leaves the window responsive and Cancel works."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QPushButton

from attentive_desktop.app import build_window
from attentive_desktop.gui.account_dialog import AccountDialog
from attentive_desktop.gui.dialogs import RequestDialog
from attentive_desktop.gui.diff_dialog import DiffDialog
from attentive_desktop.gui.property_row import RowState
from attentive_desktop.store.paths import AppPaths
from attentive_desktop.store.secrets import SecretStore
from tests.fakes import FakeKeyring
from tests.window_start import wait_started

COMPANY = "Northwind Outfitters (Sandbox)"
DOMAIN = "northwind-outfitters"


@pytest.fixture
def keyring() -> FakeKeyring:
    return FakeKeyring()


@pytest.fixture
def open_window(qtbot, keyring):
    """Builds the real window (composition root) on this test's ATTENTIVE_DESKTOP_HOME."""
    sessions = []

    def open_(**options):
        session = build_window(
            AppPaths.from_environment(), SecretStore(keyring_backend=keyring), **options
        )
        sessions.append(session)
        qtbot.addWidget(session.window)
        session.window.show()
        qtbot.waitExposed(session.window)
        wait_started(qtbot, session.window)  # start-up finishes after the show
        activate(qtbot, session.window)
        return session

    yield open_
    for session in sessions:
        session.window.close()
        session.shutdown()


def activate(qtbot, window) -> None:
    """Make ``window`` the active window, so its keyboard shortcuts work."""
    if not window.isActiveWindow():
        with qtbot.waitActive(window):
            window.activateWindow()


def history_methods(window) -> list[tuple[str, str, str]]:
    proxy = window.history.proxy
    return [
        (proxy.index(r, 1).data(), proxy.index(r, 2).data(), str(proxy.index(r, 4).data()))
        for r in range(proxy.rowCount())
    ]


def confirm_diff(qtbot, window) -> DiffDialog:
    """Wait for the preview a send to a looked-up user shows first; returns it (still open)."""
    qtbot.waitUntil(lambda: window.findChild(DiffDialog) is not None)
    dialog = window.findChild(DiffDialog)
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def add_account(qtbot, window, sandbox, name="Northwind test", key=None) -> AccountDialog:
    qtbot.waitUntil(lambda: isinstance(getattr(window, "account_dialog", None), AccountDialog))
    dialog = window.account_dialog
    qtbot.waitUntil(dialog.isVisible)
    dialog.name_edit.setText(name)
    qtbot.keyClicks(dialog.key_edit, key or sandbox.api_key)
    dialog.advanced.setChecked(True)
    dialog.base_url_edit.setText(sandbox.base_url)
    return dialog


def test_first_run_add_account_lookup_edit_send_history_and_restart(
    qtbot, open_window, sandbox, keyring
):
    session = open_window()
    window = session.window

    # First run: no account, so the dialog asks for one. The key is masked.
    dialog = add_account(qtbot, window, sandbox)
    assert dialog.key_edit.echoMode() == dialog.key_edit.EchoMode.Password
    with qtbot.waitSignal(dialog.accountSaved, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert COMPANY in dialog.status_label.text()
    assert DOMAIN in dialog.status_label.text()
    assert keyring.keys[("attentive-desktop", "Northwind test")] == sandbox.api_key
    qtbot.mouseClick(dialog.done_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.waitUntil(lambda: window.account_name == "Northwind test")  # key read off-thread
    assert window.editor.target_label.text() == f"Writing to: {COMPANY} ({DOMAIN})"
    assert window.switcher.current_name() == "Northwind test"

    # Look up by phone (typed loosely, normalised), then by email.
    qtbot.keyClicks(window.form.phone_edit, "(415) 555-0100")
    with qtbot.waitSignal(session.api.lookedUp, timeout=10_000):
        qtbot.keyClick(window.form.phone_edit, Qt.Key.Key_Return)
    model = window.editor.model
    assert model.current()["Favorite color"] == "blue"
    assert "+14155550100" in window.form.status_label.text()
    window.form.phone_edit.clear()
    window.form.email_edit.setText("grace@example.com")
    with qtbot.waitSignal(session.api.lookedUp, timeout=10_000):
        qtbot.mouseClick(window.form.lookup_button, Qt.MouseButton.LeftButton)
    assert model.current()["Favorite color"] == "navy"
    assert sandbox.requests[-1].raw_query == "email=grace%40example.com"

    # Edit and send (Ctrl+Return); the user is re-read and the row marked verified.
    model.add_row("Favorite color", "teal")
    model.add_row("Newsletter", "weekly")
    assert window.editor.send_button.isEnabled()
    activate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    preview = confirm_diff(qtbot, window)  # a looked-up user: current → new first
    assert sorted(preview.table.texts(r)[:3] for r in range(preview.table.model().rowCount())) == [
        ["Favorite color", "navy", "teal"],
        ["Newsletter", "—", "weekly"],
    ]
    with qtbot.waitSignal(session.api.sent, timeout=10_000):
        qtbot.mouseClick(preview.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.editor.sending, timeout=10_000)
    assert sandbox.user_attributes(email="grace@example.com")["Favorite color"] == "teal"
    states = {model.row(r).name: model.row(r).state for r in range(model.rowCount())}
    assert states["Favorite color"] is states["Newsletter"] is RowState.VERIFIED
    assert "re-read" in window.editor.result_label.text()

    # The history shows the POST, newest first, with its body (never the key).
    qtbot.waitUntil(lambda: ("POST", "/attributes/custom", "200") in history_methods(window))
    post = [m for m, _e, _s in history_methods(window)].index("POST")
    window.history.table.selectRow(post)
    details = window.history.details.toPlainText()
    assert '"Favorite color": "teal"' in details
    assert sandbox.api_key not in details

    # Restart: new objects on the same home; the account, its key and the history are back.
    # The offscreen screen is 800×800 and restoreGeometry keeps windows on screen, so the
    # height is what can be checked here.
    window.resize(window.width(), 520)
    window.close()
    session.shutdown()
    again = open_window()
    assert again.window.switcher.current_name() == "Northwind test"
    qtbot.waitUntil(lambda: again.window.account_name == "Northwind test")
    assert again.window.editor.target_label.text() == f"Writing to: {COMPANY} ({DOMAIN})"
    qtbot.waitUntil(lambda: ("POST", "/attributes/custom", "200") in history_methods(again.window))
    assert again.window.height() == 520


def test_wrong_key_says_so_and_keeps_the_dialog_open(qtbot, open_window, sandbox, keyring):
    window = open_window().window
    dialog = add_account(qtbot, window, sandbox, key="not-a-real-key")
    with qtbot.waitSignal(window.api.failed, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert "did not accept this API key" in dialog.status_label.text()
    assert dialog.save_button.isEnabled()
    assert keyring.keys == {}
    assert "not-a-real-key" not in dialog.status_label.text()
    dialog.reject()


def test_saving_waits_for_the_keychain_and_a_refusal_keeps_the_dialog_open(
    qtbot, open_window, sandbox, keyring, monkeypatch
):
    window = open_window().window
    dialog = add_account(qtbot, window, sandbox)
    asked, answer = threading.Event(), threading.Event()

    def locked(service: str, username: str, password: str) -> None:
        asked.set()
        answer.wait(30)  # the keychain's unlock prompt, answered by "Cancel"
        raise RuntimeError("the keychain stayed locked")

    monkeypatch.setattr(keyring, "set_password", locked)
    try:
        dialog.save_button.click()
        qtbot.waitUntil(asked.is_set, timeout=10_000)  # the window keeps running meanwhile
        assert dialog.status_label.text() == "The key works. Saving it in the keychain…"
        assert not dialog.cancel_button.isEnabled()
        dialog.reject()  # Esc: the dialog stays until the keychain has answered
        assert dialog.isVisible()
    finally:
        answer.set()
    qtbot.waitUntil(lambda: "the keychain stayed locked" in dialog.status_label.text())
    assert "unlock it and try again" in dialog.status_label.text()
    assert dialog.isVisible() and dialog.save_button.isEnabled()
    assert dialog.cancel_button.isEnabled()
    assert keyring.keys == {} and window.book.accounts() == []
    dialog.reject()
    assert not dialog.isVisible()


def test_warnings_are_confirmed_once_and_a_type_lock_400_is_explained(qtbot, open_window, sandbox):
    session = open_window(sandbox_url=sandbox.base_url, sandbox_key=sandbox.api_key)
    window = session.window
    window.form.phone_edit.setText("+14155550100")
    with qtbot.waitSignal(session.api.lookedUp, timeout=10_000):
        window.flow.lookup()
    window.editor.model.add_row("age", "thirty-six")  # age is a Number: a warning, not an error
    assert window.editor.send_button.isEnabled()

    window.editor.send_button.click()
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "warningsConfirm") is not None)
    box = window.findChild(QMessageBox, "warningsConfirm")
    assert "age" in box.informativeText()
    box.findChild(QPushButton, "warningsConfirmYes").click()
    with qtbot.waitSignal(session.api.failed, timeout=10_000) as failed:
        confirm_diff(qtbot, window).send_button.click()
    assert failed.args[2] == "bad-request"
    result = window.editor.result_label.text()
    assert result.startswith("Not sent.")
    assert "type Number" in result  # what the server said, passed on
    assert window.statusBar().currentMessage() == result

    # The same warnings do not ask again (the preview still shows first).
    qtbot.waitUntil(lambda: window.findChild(DiffDialog) is None)  # the first one is gone
    window.editor.send_button.click()
    with qtbot.waitSignal(session.api.failed, timeout=10_000):
        confirm_diff(qtbot, window).send_button.click()
    assert window.findChild(QMessageBox, "warningsConfirm") is None


def test_slow_server_keeps_the_window_responsive_and_cancel_stops_the_send(
    qtbot, open_window, sandbox
):
    session = open_window(sandbox_url=sandbox.base_url, sandbox_key=sandbox.api_key)
    window = session.window
    qtbot.waitUntil(lambda: "(" in window.editor.target_label.text())
    sandbox.set_latency(2.0)
    ticks = []
    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    window.form.phone_edit.setText("+14155550101")
    window.editor.model.add_row("Favorite color", "red")
    qtbot.mouseClick(window.editor.send_button, Qt.MouseButton.LeftButton)
    assert window.editor.send_button.text() == "Sending…"
    assert window.editor.cancel_button.isEnabled()
    assert window.editor.progress.isVisible()
    qtbot.waitUntil(lambda: len(ticks) >= 10, timeout=1500)  # the GUI thread is not blocked
    with qtbot.waitSignal(session.api.cancelled, timeout=1000):
        qtbot.mouseClick(window.editor.cancel_button, Qt.MouseButton.LeftButton)
    timer.stop()
    assert window.editor.send_button.text() == "Send"
    assert not window.editor.progress.isVisible()
    assert "cancelled" in window.editor.result_label.text()
    with qtbot.assertNotEmitted(session.api.sent, wait=100):
        QApplication.processEvents()


def test_show_request_shows_the_exact_body(qtbot, open_window, sandbox):
    window = open_window(sandbox_url=sandbox.base_url, sandbox_key=sandbox.api_key).window
    window.form.email_edit.setText("ada@example.com")
    window.editor.model.add_row("VIP", "TRUE")
    shortcut = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window, Qt.Key.Key_R, shortcut)
    qtbot.waitUntil(lambda: window.findChild(RequestDialog) is not None)
    shown = window.findChild(RequestDialog)
    body = shown.body_view.toPlainText()
    assert '"VIP": "TRUE"' in body
    assert '"email": "ada@example.com"' in body
    heading = shown.findChild(QLabel, "requestHeading").text()
    assert heading == f"POST {sandbox.base_url}/attributes/custom"
    assert sandbox.api_key not in body + heading
    shown.close()
