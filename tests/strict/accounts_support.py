"""Steps and doubles for the accounts audit (test_accounts_*.py): a second strict server acting
as another Attentive company, the Add account dialog filled in for any server, the toolbar
switcher driven by the keyboard, and a guard that keeps every connection on loopback.

Everything is found as a user or a screen reader finds it (ui.py); every action is a click or
a key press. strict_api.py is not changed: ``CompanyApi`` subclasses it to answer ``GET /me``
with its own company.
"""

from __future__ import annotations

import ipaddress
import json
import re
import socket
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QWidget

from tests.strict import ui
from tests.strict.journey import (
    ACCOUNT_DIALOG,
    SHIFT,
    WAIT,
    activate,
    check_result,
    click,
    focus_name,
    press,
    type_into,
    wait_window,
    writing_to,
)
from tests.strict.strict_api import ME, PREFIX, Recorded, StrictApi, StrictUser

SERVICE = "attentive-desktop"  # the keychain service the app files keys under (README)
PHONE = "+14155550100"
PHONE_TYPED = "(415) 555-0100"

OUTDOOR_ME = dict(ME)
HARBOR_ME = {
    "applicationName": "Strict journey check",
    "attentiveDomainName": "harbor-goods",
    "companyName": "Harbor Goods Co",
    "contactEmail": "it@harbor-goods.example",
    "companyId": "MDc6Q29tcGFueTk5OTk",
}


def company_line(me: dict) -> str:
    """What the line beside Send reads for this company."""
    return f"Writing to: {me['companyName']} ({me['attentiveDomainName']})"


class CompanyApi(StrictApi):
    """The strict API answering ``GET /me`` for another company (``me``); everything else is
    StrictApi's, so it is as strict as the first server."""

    def __init__(self, *, me: dict, **options) -> None:
        super().__init__(**options)
        self.me = dict(me)

    def handle(self, record: Recorded, auth: list[str]) -> tuple[int, bytes, str | None, int]:
        status, body, content_type, remaining = super().handle(record, auth)
        if status == 200 and record.method == "GET" and record.path == PREFIX + "/me":
            body = json.dumps(self.me).encode()
        return status, body, content_type, remaining

    def rotate_key(self, new_key: str) -> None:
        """An admin replaced the app's key in Attentive: the old one is refused (401) now."""
        with self.lock:
            self.write_key = new_key


def harbor_users() -> list[StrictUser]:
    """The second company has the same phone on file, with its own values."""
    return [
        StrictUser(
            phone=PHONE,
            attributes={"Favorite color": "red", "Loyalty tier": "gold"},
        )
    ]


# the Add account dialog -------------------------------------------------------------------
def open_add_account(qtbot, window: QWidget) -> QWidget:
    """The Add account dialog, opened as a user opens it: the toolbar's Add account button."""
    click_add_account(qtbot, window, "toolbar")
    return wait_window(qtbot, ACCOUNT_DIALOG)


def click_add_account(qtbot, window: QWidget, where: str) -> None:
    """What a user does to add an account: the toolbar's button, or Account ▸ Add account…
    from the menu bar."""
    if where == "toolbar":
        click(qtbot, ui.button(window, "Add account"))
    else:
        ui.menu_action(window, "Account", "Add account…").trigger()


def fill_account(qtbot, dialog: QWidget, name: str, key: str, base_url: str | None) -> None:
    """Type the name and the key; with ``base_url``, tick Advanced and type it too."""
    type_into(qtbot, ui.by_label(dialog, "Account name", QLineEdit), name)
    type_into(qtbot, ui.by_label(dialog, "API key", QLineEdit), key)
    if base_url is not None:
        advanced = ui.button(dialog, "Advanced: use another server")
        if not advanced.isChecked():
            click(qtbot, advanced)
        type_into(qtbot, ui.by_label(dialog, "Base URL", QLineEdit), base_url)


def save_and_wait(qtbot, dialog: QWidget) -> str:
    """Press Save; returns the check result once the dialog has an answer (Save is back, or
    Done shows)."""
    click(qtbot, ui.button(dialog, "Save"))

    def answered() -> bool:
        text = check_result(dialog)
        return bool(text) and not text.startswith(("Checking", "The key works. Saving"))

    qtbot.waitUntil(answered, timeout=WAIT)
    return check_result(dialog)


def add_company(qtbot, window: QWidget, api: CompanyApi | StrictApi, name: str, key: str,
                me: dict, *, dialog: QWidget | None = None) -> None:  # fmt: skip
    """Add an account through the dialog (the toolbar's, or ``dialog`` if one is open), check
    the company and domain it names, press Done and wait for the line beside Send."""
    dialog = dialog or open_add_account(qtbot, window)
    fill_account(qtbot, dialog, name, key, api.base_url)
    result = save_and_wait(qtbot, dialog)
    assert me["companyName"] in result and me["attentiveDomainName"] in result, result
    click(qtbot, ui.button(dialog, "Done"))
    qtbot.waitUntil(lambda: ui.window_titled(ACCOUNT_DIALOG) is None, timeout=WAIT)
    qtbot.waitUntil(lambda: writing_to(window).text() == company_line(me), timeout=WAIT)


def tick(qtbot, box: QWidget) -> None:
    """Click a check box on its box and label (a wide one takes no click in its empty right
    part, as on a real screen)."""
    activate(qtbot, box.window())
    qtbot.waitUntil(lambda: not box.rect().isEmpty())
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))


def cancel_dialog(qtbot, dialog: QWidget) -> None:
    click(qtbot, ui.button(dialog, "Cancel"))
    qtbot.waitUntil(lambda: ui.window_titled(ACCOUNT_DIALOG) is None, timeout=WAIT)


# the toolbar switcher ---------------------------------------------------------------------
def switcher(window: QWidget) -> QComboBox:
    return ui.by_label(window, "Account", QComboBox)


def switcher_items(window: QWidget) -> list[str]:
    combo = switcher(window)
    return [combo.itemText(i) for i in range(combo.count())]


def switch_to(qtbot, window: QWidget, prefix: str, me: dict) -> None:
    """Choose the account whose entry starts with ``prefix`` by the keyboard: click into the
    Phone field, Shift+Tab to the switcher (it sits before Phone), arrow keys to the entry;
    then wait for the line beside Send to name ``me``'s company."""
    activate(qtbot, window)
    qtbot.mouseClick(ui.by_label(window, "Phone", QLineEdit), Qt.MouseButton.LeftButton)
    for _ in range(6):
        if focus_name() == "Account":
            break
        press(qtbot, Qt.Key.Key_Backtab, SHIFT)
    combo = switcher(window)
    assert QApplication.focusWidget() is combo, f"Shift+Tab from Phone reached {focus_name()}"
    items = [combo.itemText(i) for i in range(combo.count())]
    wanted = [i for i, text in enumerate(items) if text.startswith(prefix)]
    assert len(wanted) == 1, f"no single {prefix!r} in the switcher: {items}"
    before = writing_to(window).text()
    for _ in range(combo.count()):
        if combo.currentIndex() == wanted[0]:
            break
        key = Qt.Key.Key_Down if combo.currentIndex() < wanted[0] else Qt.Key.Key_Up
        qtbot.keyClick(combo, key)  # the arrow keys choose in a closed drop-down
    assert combo.currentText().startswith(prefix), combo.currentText()
    if before != company_line(me):  # right after the choice: never the old company
        now = ui.label(window, re.compile(r"(Writing to:|Reading the key).*")).text()
        assert now != before, f"just after switching to {prefix} the line still reads {now!r}"
    qtbot.waitUntil(lambda: writing_to(window).text() == company_line(me), timeout=WAIT)


# evidence ---------------------------------------------------------------------------------
def key_headers(api: StrictApi) -> set[str]:
    """Every Authorization header a server received."""
    return {r.header("Authorization") or "" for r in api.received()}


def files_holding(root: Path, *secrets: str) -> list[str]:
    """Files under ``root`` holding any of ``secrets`` (raw bytes, UTF-8 or UTF-16)."""
    hits = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        data = path.read_bytes()
        for secret in secrets:
            for form in (secret.encode(), secret.encode("utf-16-le")):
                if form in data:
                    hits.append(f"{path.name}: {secret[:6]}…")
    return hits


def status_bar_text(window) -> str:
    return window.statusBar().currentMessage()


def every_visible_text(root: QWidget | None = None) -> list[str]:
    """The texts of every visible label, button, line edit (as displayed), text pane, window
    title and status bar."""
    from PySide6.QtWidgets import QAbstractButton, QLabel, QPlainTextEdit

    roots = [root] if root is not None else ui.windows()
    texts: list[str] = []
    for top in roots:
        texts.append(top.windowTitle())
        texts += [w.text() for w in top.findChildren(QLabel) if w.isVisible()]
        texts += [w.text() for w in top.findChildren(QAbstractButton) if w.isVisible()]
        texts += [w.displayText() for w in top.findChildren(QLineEdit) if w.isVisible()]
        texts += [w.toPlainText() for w in top.findChildren(QPlainTextEdit) if w.isVisible()]
        if hasattr(top, "statusBar"):
            texts.append(top.statusBar().currentMessage())
    return texts


# loopback only ----------------------------------------------------------------------------
def guard_loopback(monkeypatch) -> list[str]:
    """From now on, resolving any host off this machine fails (and is listed in the returned
    list): the base-URL refusals must refuse before a single packet leaves, and no test may
    reach past loopback even when the app tries to."""
    real_getaddrinfo = socket.getaddrinfo
    attempts: list[str] = []

    def guarded(host, *args, **kwargs):
        name = host.decode() if isinstance(host, bytes) else str(host)
        loop = name == "localhost"
        if not loop:
            try:
                loop = ipaddress.ip_address(name.strip("[]")).is_loopback
            except ValueError:
                loop = False
        if not loop:
            attempts.append(name)
            raise OSError(f"the test refused to resolve {name}: loopback only")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", guarded)
    return attempts


ACCOUNT_MANAGEMENT = re.compile(
    r"(Edit|Remove|Delete|Forget|Rename|Manage|Change).*(account|key)s?.*", re.IGNORECASE
)
