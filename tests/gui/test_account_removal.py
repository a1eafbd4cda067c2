"""Account ▸ Remove this account…: asked first, the key leaves the keychain, and the window
moves to another account (or none) and never writes with the removed key again."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QPushButton

from attentive_desktop.store.accounts import AccountStore
from attentive_desktop.store.database import Database
from attentive_desktop.store.paths import AppPaths
from tests.fakes import FakeKeyring
from tests.gui.test_main_window import open_window, two_accounts  # noqa: F401 (fixture)

KEYCHAIN = "attentive-desktop"


def question(window) -> QMessageBox:
    boxes = [b for b in window.findChildren(QMessageBox, "removeAccountConfirm") if b.isVisible()]
    assert len(boxes) == 1
    return boxes[0]


def answer(qtbot, window, button: str) -> None:
    question(window).findChild(QPushButton, f"removeAccountConfirm{button}").click()


def saved_names() -> list[str]:
    with Database(AppPaths.from_environment().database) as db:
        return [a.name for a in AccountStore(db).list()]


def remove_in_use(qtbot, window) -> None:
    window.findChild(type(window.add_account_action), "removeAccountAction").trigger()
    qtbot.waitUntil(lambda: bool(window.findChildren(QMessageBox, "removeAccountConfirm")))


def test_removing_the_account_in_use_moves_to_the_other_one(qtbot, open_window, sandbox):  # noqa: F811
    keyring = two_accounts(sandbox, FakeKeyring())
    window = open_window(keyring).window
    qtbot.waitUntil(lambda: window.account_name == "Alpha")
    remove_in_use(qtbot, window)
    assert "Remove “Alpha” (Alpha Co)?" in question(window).text()
    answer(qtbot, window, "No")  # asked, declined: nothing changes
    assert saved_names() == ["Alpha", "Beta"] and (KEYCHAIN, "Alpha") in keyring.keys
    remove_in_use(qtbot, window)
    qtbot.waitUntil(lambda: len(window.findChildren(QMessageBox, "removeAccountConfirm")) >= 1)
    answer(qtbot, window, "Yes")
    qtbot.waitUntil(lambda: window.account_name == "Beta")
    assert saved_names() == ["Beta"]
    assert (KEYCHAIN, "Alpha") not in keyring.keys and (KEYCHAIN, "Beta") in keyring.keys
    assert window.editor.target_label.text() == "Writing to: Beta Co (beta)"
    assert [a.name for a in window.book.accounts()] == ["Beta"]
    assert "Removed the account “Alpha”" in window.statusBar().currentMessage()


def test_removing_the_only_account_leaves_nothing_to_write_to(qtbot, open_window, sandbox):  # noqa: F811
    keyring = two_accounts(sandbox, FakeKeyring())
    window = open_window(keyring).window
    qtbot.waitUntil(lambda: window.account_name == "Alpha")
    window.form.phone_edit.setText("+14155550100")
    with qtbot.waitSignal(window.api.lookedUp, timeout=10_000):
        window.flow.lookup()
    for name in ("Alpha", "Beta"):
        qtbot.waitUntil(lambda n=name: window.account_name == n)
        remove_in_use(qtbot, window)
        answer(qtbot, window, "Yes")
        qtbot.waitUntil(lambda n=name: window.account_name != n)
    assert window.account_name is None and saved_names() == [] and keyring.keys == {}
    assert window.editor.target_label.text().startswith("Writing to: no account yet")
    assert window.editor.model.current() == {}  # nothing of the removed accounts' users
    before = len(sandbox.requests)
    window.editor.model.add_row("Favorite color", "red")
    window.flow.send()  # refused: no account, and the removed key is not used
    assert "Add an Attentive account first" in window.statusBar().currentMessage()
    assert len(sandbox.requests) == before


def test_the_sandbox_account_is_not_removed(qtbot, open_window, sandbox):  # noqa: F811
    window = open_window(sandbox_url=sandbox.base_url, sandbox_key=sandbox.api_key).window
    qtbot.waitUntil(lambda: window.account_name == "Sandbox")
    window.findChild(type(window.add_account_action), "removeAccountAction").trigger()
    assert not window.findChildren(QMessageBox, "removeAccountConfirm")
    assert "lasts this session only" in window.statusBar().currentMessage()
    assert window.account_name == "Sandbox"


class RefusingKeyring(FakeKeyring):
    def delete_password(self, service: str, username: str) -> None:
        raise RuntimeError("The keychain is locked")


def test_a_keychain_that_refuses_keeps_the_account(qtbot, open_window, sandbox):  # noqa: F811
    keyring = two_accounts(sandbox, RefusingKeyring())
    window = open_window(keyring).window
    qtbot.waitUntil(lambda: window.account_name == "Alpha")
    remove_in_use(qtbot, window)
    answer(qtbot, window, "Yes")
    qtbot.waitUntil(lambda: "was not removed" in window.statusBar().currentMessage())
    assert saved_names() == ["Alpha", "Beta"] and window.account_name == "Alpha"
    assert window.flow.has_account
