"""Account ▸ Replace API key…: a revoked or rotated key is replaced for the account in use,
checked with Attentive first; a key of another company is refused; the sandbox has none."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QPalette

from attentive_desktop.gui.account_dialog import AccountDialog
from attentive_desktop.sandbox.seed import COMPANY
from attentive_desktop.store.accounts import Account
from tests.fakes import FakeKeyring
from tests.gui.test_main_window import open_window, save_accounts  # noqa: F401 (fixture)

KEYCHAIN = "attentive-desktop"
REVOKED = "revoked-key-0000"
PHONE = "+14155550100"


def one_account(sandbox, company: str) -> FakeKeyring:
    """A saved account "Acme" of ``company`` on the sandbox, whose saved key was revoked."""
    save_accounts(Account("Acme", sandbox.base_url, company, "acme"))
    keyring = FakeKeyring()
    keyring.keys[(KEYCHAIN, "Acme")] = REVOKED
    return keyring


def replace_key(qtbot, window) -> AccountDialog:
    window.findChild(QAction, "replaceKeyAction").trigger()
    qtbot.waitUntil(lambda: window.account_dialog is not None and window.account_dialog.isVisible())
    return window.account_dialog


def test_a_revoked_key_is_replaced_from_the_account_menu(qtbot, open_window, sandbox):  # noqa: F811
    keyring = one_account(sandbox, COMPANY["companyName"])
    window = open_window(keyring).window
    qtbot.waitUntil(lambda: window.account_name == "Acme")
    window.form.phone_edit.setText(PHONE)
    with qtbot.waitSignal(window.api.failed, timeout=10_000):
        window.flow.lookup()
    assert "Account ▸ Replace API key… takes the new one." in window.form.status_label.text()

    dialog = replace_key(qtbot, window)
    assert dialog.windowTitle() == "API key for “Acme”"
    assert dialog.name_edit.text() == "Acme" and dialog.name_edit.isReadOnly()
    # and it looks it: the dialog's background, not an input's, and no Tab stop
    palette = dialog.name_edit.palette()
    assert palette.color(QPalette.ColorRole.Base) == palette.color(QPalette.ColorRole.Window)
    assert dialog.name_edit.palette().color(QPalette.ColorRole.Base) != (
        dialog.key_edit.palette().color(QPalette.ColorRole.Base)
    )
    assert not dialog.name_edit.focusPolicy() & Qt.FocusPolicy.TabFocus
    assert dialog.key_edit.hasFocus() or not dialog.isActiveWindow()
    dialog.key_edit.setText(sandbox.api_key)
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.saved_account is not None, timeout=10_000)
    assert keyring.keys[(KEYCHAIN, "Acme")] == sandbox.api_key
    assert "The key works" in dialog.status_label.text()
    assert dialog.name_edit.isEnabled()  # whose key it is stays readable throughout
    dialog.done_button.click()

    qtbot.waitUntil(lambda: window.flow.has_account, timeout=10_000)
    assert window.account_name == "Acme"
    with qtbot.waitSignal(window.api.lookedUp, timeout=10_000):
        window.flow.lookup()  # with the new key
    assert sandbox.requests[-1].status == 200


def test_a_key_of_another_company_does_not_replace_the_key(qtbot, open_window, sandbox):  # noqa: F811
    keyring = one_account(sandbox, "Acme Co")  # the sandbox's key belongs to Northwind
    window = open_window(keyring).window
    qtbot.waitUntil(lambda: window.account_name == "Acme")
    dialog = replace_key(qtbot, window)
    dialog.key_edit.setText(sandbox.api_key)
    with qtbot.waitSignal(window.api.keyChecked, timeout=10_000):
        dialog.save_button.click()
    text = dialog.status_label.text()
    assert "“Acme” is the account for Acme Co" in text and COMPANY["companyName"] in text
    assert dialog.isVisible() and dialog.saved_account is None
    assert dialog.key_edit.isEnabled() and dialog.save_button.isEnabled()  # try another key
    assert keyring.keys[(KEYCHAIN, "Acme")] == REVOKED
    dialog.reject()


def test_the_sandbox_has_no_key_to_replace(qtbot, open_window, sandbox):  # noqa: F811
    window = open_window(sandbox_url=sandbox.base_url, sandbox_key=sandbox.api_key).window
    qtbot.waitUntil(lambda: window.account_name == "Sandbox")
    window.findChild(QAction, "replaceKeyAction").trigger()
    assert window.statusBar().currentMessage() == "The sandbox account has no key to replace."
    assert window.account_dialog is None
