"""The window's furniture: names for assistive tech, shortcuts, paste, history pane, accounts."""

from __future__ import annotations

import threading
from typing import TypeVar

import pytest
from keyring.backends import fail
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
)

from attentive_desktop.app import build_window
from attentive_desktop.core.diff import diff_properties
from attentive_desktop.gui.account_dialog import AccountDialog
from attentive_desktop.gui.diff_dialog import DiffDialog
from attentive_desktop.gui.main_window import SESSION_ONLY_NOTICE
from attentive_desktop.gui.theme import palette_status_color, set_status_text
from attentive_desktop.store.accounts import Account, AccountStore
from attentive_desktop.store.database import Database
from attentive_desktop.store.paths import AppPaths
from attentive_desktop.store.secrets import SecretStore
from tests.fakes import FakeKeyring
from tests.window_start import wait_started


@pytest.fixture
def open_window(qtbot):
    sessions = []

    def open_(backend=None, *, wait_for_account=True, **options):
        session = build_window(
            AppPaths.from_environment(),
            SecretStore(keyring_backend=backend or fail.Keyring()),
            **options,
        )
        sessions.append(session)
        qtbot.addWidget(session.window)
        session.window.show()
        qtbot.waitExposed(session.window)
        if wait_for_account:  # start-up finishes after the show
            wait_started(qtbot, session.window)
        else:
            qtbot.waitUntil(lambda: session.window.is_ready)
        return session

    yield open_
    for session in sessions:
        session.window.close()
        session.shutdown()


def save_accounts(*accounts: Account) -> None:
    paths = AppPaths.from_environment().ensure()
    db = Database(paths.database)
    for account in accounts:
        AccountStore(db).save(account)
    db.close()


K = TypeVar("K", bound=FakeKeyring)


def two_accounts(sandbox, keyring: K) -> K:
    """Saved accounts Alpha and Beta on the sandbox, each with its key in ``keyring``."""
    save_accounts(
        Account("Alpha", sandbox.base_url, "Alpha Co", "alpha"),
        Account("Beta", sandbox.base_url, "Beta Co", "beta"),
    )
    keyring.keys[("attentive-desktop", "Alpha")] = sandbox.api_key
    keyring.keys[("attentive-desktop", "Beta")] = sandbox.api_key
    return keyring


def test_every_input_and_button_has_an_object_name_and_accessible_name(open_window, sandbox):
    window = open_window(sandbox_url=sandbox.base_url, sandbox_key=sandbox.api_key).window
    window.form.add_custom_identifier()
    kinds = (QLineEdit, QAbstractButton, QComboBox, QAbstractItemView)
    unnamed = [
        (type(w).__name__, w.objectName(), w.accessibleName())
        for kind in kinds
        for w in window.findChildren(kind)
        if w.isVisibleTo(window)
        and not w.objectName().startswith("qt_")  # Qt's own parts (dock title buttons...)
        and not (isinstance(w, QLineEdit) and isinstance(w.parent(), QComboBox))
        and not isinstance(w, QHeaderView)  # part of its table
        and (not w.objectName() or not w.accessibleName())
    ]
    assert unnamed == []
    assert window.findChild(QLineEdit, "phoneEdit").accessibleName() == "Phone"
    assert window.findChild(QPushButton, "sendButton").accessibleName() == "Send"
    # A field's visible label is its buddy, so screen readers announce the field by it. Only
    # "Status:" names no one field: it heads the history's status buttons, each named.
    unlabelled = [
        label.text()
        for label in window.findChildren(QLabel)
        if label.isVisibleTo(window) and label.text().strip().endswith(":") and not label.buddy()
    ]
    assert unlabelled == ["Status:"]


def test_sandbox_banner_cannot_be_missed(open_window, sandbox):
    window = open_window(sandbox_url=sandbox.base_url, sandbox_key=sandbox.api_key).window
    assert window.banner is not None and window.banner.isVisible()
    assert window.banner.text().startswith("SANDBOX")
    assert sandbox.base_url in window.banner.text()
    assert "SANDBOX" in window.windowTitle()


def test_no_banner_and_first_run_dialog_without_accounts(qtbot, open_window):
    window = open_window().window
    assert window.banner is None
    qtbot.waitUntil(lambda: isinstance(getattr(window, "account_dialog", None), AccountDialog))
    dialog = window.account_dialog
    assert dialog.isVisible()
    assert dialog.key_edit.echoMode() == QLineEdit.EchoMode.Password
    dialog.show_key.setChecked(True)
    assert dialog.key_edit.echoMode() == QLineEdit.EchoMode.Normal
    assert not dialog.base_url_edit.isVisible()  # advanced, hidden until asked for
    assert dialog.base_url_edit.text() == "https://api.attentivemobile.com/v1"
    assert window.editor.target_label.text().startswith("Writing to: no account yet")
    dialog.reject()


def test_add_account_from_the_toolbar_and_the_menu_opens_the_dialog(qtbot, open_window, sandbox):
    window = open_window(sandbox_url=sandbox.base_url, sandbox_key=sandbox.api_key).window
    button = window.findChild(QAbstractButton, "addAccountButton")
    for press in (lambda: qtbot.mouseClick(button, Qt.MouseButton.LeftButton),
                  window.add_account_action.trigger):  # fmt: skip
        with qtbot.captureExceptions() as raised:
            press()
        assert not raised  # triggered(bool) once arrived as the account's name: a TypeError
        dialog = window.account_dialog
        assert isinstance(dialog, AccountDialog) and dialog.isVisible()
        assert dialog.name_edit.text() == ""
        dialog.reject()
        qtbot.waitUntil(lambda d=dialog: not d.isVisible())


def test_without_a_keychain_the_window_says_keys_last_this_session(qtbot, open_window):
    save_accounts(Account("Acme", "https://api.attentivemobile.com/v1", "Acme Inc", "acme"))
    window = open_window(env_key="env-key-from-script").window  # key from ATTENTIVE_API_KEY
    qtbot.waitUntil(window.notice.isVisible)
    assert window.notice.text() == SESSION_ONLY_NOTICE
    assert window.account_name == "Acme"
    assert window.editor.target_label.text() == "Writing to: Acme Inc (acme)"


def test_with_a_keychain_there_is_no_session_notice(qtbot, open_window, sandbox):
    window = open_window(
        FakeKeyring(), sandbox_url=sandbox.base_url, sandbox_key=sandbox.api_key
    ).window
    qtbot.waitUntil(lambda: "(" in window.editor.target_label.text())
    assert not window.notice.isVisible()


def test_closing_leaves_the_screen_before_the_threads_are_stopped(open_window):
    session = open_window()
    seen: list[bool] = []
    session.closers.insert(0, lambda: seen.append(session.window.isVisible()))
    session.window.close()
    assert seen == [False]


def test_switching_accounts_changes_who_is_written_to(qtbot, open_window, sandbox):
    keyring = two_accounts(sandbox, FakeKeyring())
    window = open_window(keyring).window
    assert window.switcher.count() == 2
    qtbot.waitUntil(lambda: window.account_name == "Alpha")  # its key is read off-thread
    assert window.editor.target_label.text() == "Writing to: Alpha Co (alpha)"
    window.switcher.setCurrentIndex(window.switcher.findData("Beta"))
    window.switcher.activated.emit(window.switcher.currentIndex())
    qtbot.waitUntil(lambda: window.account_name == "Beta")
    assert window.editor.target_label.text() == "Writing to: Beta Co (beta)"
    window.close()
    again = open_window(keyring).window
    qtbot.waitUntil(lambda: again.account_name == "Beta")  # the last account is remembered


def test_switching_accounts_forgets_what_the_lookup_found_and_keeps_the_edits(
    qtbot, open_window, sandbox
):
    keyring = two_accounts(sandbox, FakeKeyring())
    session = open_window(keyring)
    window, model = session.window, session.window.editor.model
    qtbot.waitUntil(lambda: window.account_name == "Alpha")
    window.form.phone_edit.setText("+14155550100")
    model.add_row("Favorite color", "teal")
    with qtbot.waitSignal(session.api.lookedUp, timeout=10_000):
        window.flow.lookup()
    user = window.form.user_ref()
    assert window.flow.before_for(user) is not None and model.rowCount() > 1
    window.switcher.setCurrentIndex(window.switcher.findData("Beta"))
    window.switcher.activated.emit(window.switcher.currentIndex())
    qtbot.waitUntil(lambda: window.account_name == "Beta")
    # Alpha's values would pass for Beta's: as "Current", and as the preview's "before",
    # where a value equal to Alpha's would be skipped as unchanged and never reach Beta.
    assert window.flow.before_for(user) is None
    assert model.current() == {} and model.rowCount() == 1
    assert model.properties() == {"Favorite color": "teal"}
    assert model.index(0, 3).data() == ""
    assert "look the user up again" in window.form.status_label.text()


def test_no_account_switch_while_a_send_is_under_way(qtbot, open_window, sandbox):
    keyring = two_accounts(sandbox, FakeKeyring())
    session = open_window(keyring)
    window = session.window
    qtbot.waitUntil(lambda: window.account_name == "Alpha")
    sandbox.set_latency(1.0)
    window.form.phone_edit.setText("+14155550101")  # no lookup: no preview, sent at once
    window.editor.model.add_row("Favorite color", "red")
    window.flow.send()
    assert window.editor.sending and not window.switcher.isEnabled()
    # The send (and the re-read that checks it) belong to Alpha: Beta must wait.
    window.use_account("Beta")
    assert window.account_name == "Alpha" and window.switcher.current_name() == "Alpha"
    assert "once the send has finished" in window.statusBar().currentMessage()
    with qtbot.waitSignal(window.flow.sendVerified, timeout=10_000):
        pass
    qtbot.waitUntil(lambda: not window.editor.sending)
    assert window.switcher.isEnabled()
    window.use_account("Beta")
    qtbot.waitUntil(lambda: window.account_name == "Beta")


def test_hiding_the_history_with_the_focus_in_it_gives_the_focus_to_the_attributes(
    qtbot, open_window, sandbox
):
    window = open_window(sandbox_url=sandbox.base_url, sandbox_key=sandbox.api_key).window
    with qtbot.waitActive(window):
        window.activateWindow()
    window.history.focus_filter()
    assert window.history.filter_edit.hasFocus()
    qtbot.keyClick(window, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    assert not window.history.isVisible()
    assert window.editor.table.hasFocus()  # not the account switcher, next in line
    qtbot.keyClick(window, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    assert window.history.isVisible() and window.editor.table.hasFocus()


def test_paste_rows_says_what_it_did_and_cancel_waits_for_a_request(qtbot, open_window, sandbox):
    window = open_window(sandbox_url=sandbox.base_url, sandbox_key=sandbox.api_key).window
    QGuiApplication.clipboard().setText("")
    window.paste_rows_action.trigger()
    assert window.statusBar().currentMessage().startswith("Nothing to paste")
    QGuiApplication.clipboard().setText("VIP\tTRUE\nage=41\n")
    window.paste_rows_action.trigger()
    assert window.statusBar().currentMessage() == "Pasted 2 rows. Ctrl+Z undoes the paste."
    # Esc cancels a request only while one runs; otherwise it stays with the focused widget.
    assert not window.cancel_action.isEnabled()
    sandbox.set_latency(1.0)
    window.form.phone_edit.setText("+14155550100")
    window.flow.lookup()
    assert window.cancel_action.isEnabled()
    with qtbot.waitSignal(window.api.cancelled, timeout=5_000):
        window.cancel_action.trigger()
    assert not window.cancel_action.isEnabled()


def test_shortcuts_add_rows_and_paste_several_lines(qtbot, open_window, sandbox):
    window = open_window(sandbox_url=sandbox.base_url, sandbox_key=sandbox.api_key).window
    with qtbot.waitActive(window):
        window.activateWindow()
    model = window.editor.model
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert model.rowCount() == 1
    window.editor.table.closePersistentEditor(model.index(0, 0))
    model.remove_rows([0])
    QGuiApplication.clipboard().setText("VIP\tTRUE\nage=41\n")
    window.editor.table.setFocus()
    qtbot.keyClick(window.editor.table, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert model.properties() == {"VIP": "TRUE", "age": "41"}
    assert model.index(1, 2).data() == "Number"  # the Type column, inferred live
    window.editor.table.selectRow(0)
    qtbot.keyClick(window, Qt.Key.Key_Delete, Qt.KeyboardModifier.ControlModifier)
    assert model.properties() == {"age": "41"}
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.history.filter_edit.hasFocus()


def test_history_filter_and_clear_after_confirmation(qtbot, open_window, sandbox):
    session = open_window(sandbox_url=sandbox.base_url, sandbox_key=sandbox.api_key)
    window, history = session.window, session.window.history
    window.form.email_edit.setText("ada@example.com")
    with qtbot.waitSignal(session.api.lookedUp, timeout=10_000):
        window.flow.lookup()
    # GET /me, the lookup and the subscriptions beside it
    qtbot.waitUntil(lambda: history.proxy.rowCount() == 3)
    history.filter_edit.setText("ada@")
    qtbot.waitUntil(lambda: history.proxy.rowCount() == 2)
    assert history.proxy.index(0, 3).data() == "ada@example.com"
    history.table.selectRow(0)
    assert "GET " in history.details.toPlainText()

    history.clear_button.click()
    box = window.findChild(QMessageBox, "clearHistoryConfirm")
    box.findChild(QPushButton, "clearHistoryConfirmNo").click()
    assert history.model.rowCount() == 2
    history.clear_button.click()
    box = window.findChild(QMessageBox, "clearHistoryConfirm")
    box.findChild(QPushButton, "clearHistoryConfirmYes").click()
    qtbot.waitUntil(lambda: history.model.rowCount() == 0)
    assert history.details.toPlainText() == ""


class SlowKeyring(FakeKeyring):
    """A keychain that answers only once released, as a locked one waits for its password."""

    def __init__(self) -> None:
        super().__init__()
        self.asked, self.answer = threading.Event(), threading.Event()
        self.refuse = False

    def get_password(self, service: str, username: str) -> str | None:
        self.asked.set()
        self.answer.wait(30)
        if self.refuse:
            raise RuntimeError("the user dismissed the unlock prompt")
        return super().get_password(service, username)


def test_a_keychain_waiting_for_its_password_leaves_the_window_responsive(
    qtbot, open_window, sandbox
):
    keyring = two_accounts(sandbox, SlowKeyring())
    try:
        window = open_window(keyring, wait_for_account=False).window  # asks for Alpha's key
        assert keyring.asked.wait(10)
        ticks: list[int] = []
        timer = QTimer(window)
        timer.timeout.connect(lambda: ticks.append(1))
        timer.start(10)
        qtbot.waitUntil(lambda: len(ticks) >= 5)  # the event loop runs while the keychain waits
        assert window.account_name is None
        assert (
            window.editor.target_label.text()
            == "Writing to: nothing yet — reading the key for “Alpha”…"
        )
        window.form.phone_edit.setText("+14155550100")
        with qtbot.waitSignal(window.flow.message) as told:
            window.flow.lookup()
        assert told.args[0] == "Wait a moment: the key for “Alpha” is still being read."
        assert not sandbox.requests
    finally:
        keyring.answer.set()
    qtbot.waitUntil(lambda: window.account_name == "Alpha")
    assert window.editor.target_label.text() == "Writing to: Alpha Co (alpha)"


def test_only_the_last_account_chosen_is_used(qtbot, open_window, sandbox):
    keyring = two_accounts(sandbox, SlowKeyring())
    try:
        window = open_window(keyring, wait_for_account=False).window
        assert keyring.asked.wait(10)
        used: list[str] = []
        window.accountChanged.connect(used.append)
        window.switcher.setCurrentIndex(window.switcher.findData("Beta"))
        window.switcher.activated.emit(window.switcher.currentIndex())
        assert (
            window.editor.target_label.text()
            == "Writing to: nothing yet — reading the key for “Beta”…"
        )
    finally:
        keyring.answer.set()
    qtbot.waitUntil(lambda: window.account_name == "Beta")
    assert used == ["Beta"]  # Alpha's key arrived first, for a choice no longer standing


def test_a_refused_keychain_says_why_and_keeps_the_account_in_use(qtbot, open_window, sandbox):
    keyring = two_accounts(sandbox, SlowKeyring())
    keyring.answer.set()
    window = open_window(keyring).window
    qtbot.waitUntil(lambda: window.account_name == "Alpha")
    keyring.refuse = True
    window.switcher.setCurrentIndex(window.switcher.findData("Beta"))
    window.switcher.activated.emit(window.switcher.currentIndex())
    qtbot.waitUntil(lambda: isinstance(getattr(window, "account_dialog", None), AccountDialog))
    assert "the user dismissed the unlock prompt" in window.statusBar().currentMessage()
    assert "unlock it and try again" in window.statusBar().currentMessage()
    assert window.account_name == "Alpha"  # still writing to Alpha, and the window says so
    assert window.switcher.current_name() == "Alpha"
    assert window.editor.target_label.text() == "Writing to: Alpha Co (alpha)"
    assert window.flow.has_account
    window.account_dialog.reject()


def test_an_account_learns_its_company_without_a_database_write_on_the_gui_thread(
    qtbot, open_window, sandbox, monkeypatch
):
    keyring = FakeKeyring()
    save_accounts(Account("Bare", sandbox.base_url))  # saved without GET /me's details
    keyring.keys[("attentive-desktop", "Bare")] = sandbox.api_key
    writers: list[str] = []
    save = AccountStore.save

    def recording_save(self, account):
        writers.append(threading.current_thread().name)
        return save(self, account)

    monkeypatch.setattr(AccountStore, "save", recording_save)
    window = open_window(keyring).window
    qtbot.waitUntil(lambda: "(northwind-outfitters)" in window.editor.target_label.text())
    assert writers and threading.current_thread().name not in writers
    saved = window.book.get("Bare")
    assert (saved.company_name, saved.domain) == (
        "Northwind Outfitters (Sandbox)",
        "northwind-outfitters",
    )


def text_colour(label: QLabel):
    return label.palette().color(label.foregroundRole())


def test_status_texts_take_the_new_colours_when_the_system_turns_dark(qtbot, open_window, sandbox):
    # Status colours were fixed when a text was set: a light theme's dark red stayed on a
    # window the system had since turned dark (macOS does so at dusk), at ~2:1 contrast.
    from tests.gui.test_cell_colours import DARK, LIGHT, palette

    saved = QGuiApplication.palette()
    try:
        QGuiApplication.setPalette(palette(*LIGHT))
        window = open_window(sandbox_url=sandbox.base_url, sandbox_key=sandbox.api_key).window
        label = window.editor.result_label
        set_status_text(label, "No such user.", "error")
        preview = DiffDialog(diff_properties({}, {"Referral code": "SPRING24"}), "ada", window)
        preview.show()
        warning = preview.new_label  # in a dialog of the window's: its own top-level widget
        assert text_colour(label) == palette_status_color(palette(*LIGHT), "error")
        assert text_colour(warning) == palette_status_color(palette(*LIGHT), "warning")
        QGuiApplication.setPalette(palette(*DARK))
        qtbot.waitUntil(lambda: text_colour(label) == palette_status_color(palette(*DARK), "error"))
        assert text_colour(warning) == palette_status_color(palette(*DARK), "warning")
        assert label.text() == "No such user."
        preview.close()
    finally:
        QGuiApplication.setPalette(saved)
