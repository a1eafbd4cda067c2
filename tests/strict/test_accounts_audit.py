"""An audit of accounts and wrong-account safety, as a user meets them: two Attentive companies
(two strict servers, strict_api.py and accounts_support.CompanyApi), added through the Add
account dialog, switched with the toolbar's switcher, edited, removed, and a key that stops
working. Every widget is found by what a user sees (ui.py), every action is a click or a key;
the servers' records say where each request really went.

Each test asserts what a careful user needs; a failing one names the shortfall.
"""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QMenu
from pytestqt.exceptions import TimeoutError as QtTimeoutError

from tests.fakes import FakeKeyring
from tests.strict import ui
from tests.strict.accounts_support import (
    HARBOR_ME,
    OUTDOOR_ME,
    PHONE,
    PHONE_TYPED,
    SERVICE,
    CompanyApi,
    add_company,
    cancel_dialog,
    click_add_account,
    company_line,
    every_visible_text,
    files_holding,
    fill_account,
    harbor_users,
    key_headers,
    open_add_account,
    save_and_wait,
    status_bar_text,
    switch_to,
    switcher,
    switcher_items,
    tick,
)
from tests.strict.journey import (
    ACCOUNT_DIALOG,
    CTRL,
    LEFT,
    OFFSCREEN_POPUP_WARNINGS,
    SHIFT,
    WAIT,
    activate,
    assert_plain,
    attribute_table,
    check_result,
    click,
    confirm_send,
    first_run,
    history_rows,
    history_table,
    look_up,
    lookup_result,
    press,
    send_result,
    send_with_keyboard,
    set_attribute,
    type_into,
    writing_to,
)
from tests.strict.strict_api import StrictApi

pytestmark = OFFSCREEN_POPUP_WARNINGS

ATTRIBUTES = "/attributes/custom"
HARBOR_KEY = "harbor-write-key-55d1e0"
HARBOR_READ_KEY = "harbor-read-only-key-0c27"


@pytest.fixture
def harbor() -> Iterator[CompanyApi]:
    """A second Attentive company on its own strict server, with its own keys."""
    with CompanyApi(
        me=HARBOR_ME, write_key=HARBOR_KEY, read_key=HARBOR_READ_KEY, users=harbor_users()
    ) as api:
        yield api


def two_accounts(qtbot, window, strict_api: StrictApi, harbor: CompanyApi) -> None:
    """First run adds "Outdoor" (the strict server); the toolbar adds "Harbor" (the second)."""
    first_run(qtbot, strict_api, name="Outdoor")
    qtbot.waitUntil(lambda: writing_to(window).text() == company_line(OUTDOOR_ME), timeout=WAIT)
    add_company(qtbot, window, harbor, "Harbor", HARBOR_KEY, HARBOR_ME)


def posts(api: StrictApi) -> list:
    return api.received("POST", ATTRIBUTES)


def restart(qtbot, session, open_window):
    """Quit as a user quits (Account ▸ Quit) and start again on the same data and keychain."""
    window = session.window
    ui.menu_action(window, "Account", "Quit").trigger()
    qtbot.waitUntil(lambda: not window.isVisible())
    session.shutdown()
    return open_window()


def send_and_wait(qtbot, window) -> str:
    send_with_keyboard(qtbot, window)
    confirm_send(qtbot)
    qtbot.waitUntil(
        lambda: send_result(window).startswith(("Sent, then re-read", "Not sent")), timeout=WAIT
    )
    return send_result(window)


# 1. two accounts, the line beside Send, where a send goes ---------------------------------
@pytest.mark.parametrize("where", ["toolbar", "menu"])
def test_add_account_opens_the_dialog(qtbot, open_window, strict_api, where):
    """After the first account, the only way to add another is the toolbar's Add account
    button or Account ▸ Add account…: either must open the Add account dialog."""
    window = open_window().window
    first_run(qtbot, strict_api, name="Outdoor")
    qtbot.waitUntil(lambda: writing_to(window).text() == company_line(OUTDOOR_ME), timeout=WAIT)
    with qtbot.captureExceptions() as raised:
        click_add_account(qtbot, window, where)
        qtbot.waitUntil(lambda: bool(raised) or ui.window_titled(ACCOUNT_DIALOG) is not None)
    errors = [f"{kind.__name__}: {value}".splitlines()[0] for kind, value, _tb in raised]
    assert not errors, f"Add account ({where}) raised instead of opening the dialog: {errors}"
    dialog = ui.window_titled(ACCOUNT_DIALOG)
    assert dialog is not None
    assert ui.by_label(dialog, "Account name", QLineEdit).text() == ""
    cancel_dialog(qtbot, dialog)


# the rest of the journey, with the dialog opened as the button should open it -------------
def test_two_accounts_each_send_goes_to_the_account_the_window_names(
    qtbot, open_window, strict_api, harbor
):
    session = open_window()
    window = session.window
    two_accounts(qtbot, window, strict_api, harbor)

    # The switcher lists both, each with its company, and the new one is in use.
    items = switcher_items(window)
    assert len(items) == 2, items
    assert any(i.startswith("Outdoor") and OUTDOOR_ME["companyName"] in i for i in items), items
    assert any(i.startswith("Harbor") and HARBOR_ME["companyName"] in i for i in items), items
    assert switcher(window).currentText().startswith("Harbor")
    assert writing_to(window).text() == company_line(HARBOR_ME)

    # A send while "Harbor Goods Co" is shown goes to Harbor's server with Harbor's key.
    assert look_up(qtbot, window, "Phone", PHONE_TYPED).startswith("Found")
    set_attribute(qtbot, window, "Favorite color", "navy")
    assert writing_to(window).text() == company_line(HARBOR_ME)
    assert send_and_wait(qtbot, window).startswith("Sent, then re-read")
    assert [p.header("Authorization") for p in posts(harbor)] == [f"Bearer {HARBOR_KEY}"]
    assert posts(strict_api) == []
    assert harbor.attributes_of(phone=PHONE)["Favorite color"] == "navy"
    assert strict_api.attributes_of(phone=PHONE)["Favorite color"] == "blue"

    # Switch to Outdoor: the line says so at once, and the next send goes there only.
    switch_to(qtbot, window, "Outdoor", OUTDOOR_ME)
    assert look_up(qtbot, window, "Phone", PHONE_TYPED).startswith("Found")
    set_attribute(qtbot, window, "Favorite color", "olive")
    assert writing_to(window).text() == company_line(OUTDOOR_ME)
    assert send_and_wait(qtbot, window).startswith("Sent, then re-read")
    assert len(posts(strict_api)) == 1 and len(posts(harbor)) == 1
    assert strict_api.attributes_of(phone=PHONE)["Favorite color"] == "olive"
    assert harbor.attributes_of(phone=PHONE)["Favorite color"] == "navy"
    # Neither server ever saw the other's key.
    assert f"Bearer {HARBOR_KEY}" not in key_headers(strict_api)
    assert f"Bearer {strict_api.write_key}" not in key_headers(harbor)

    # Restart: the account used last is the one in use, and the line names it.
    session = restart(qtbot, session, open_window)
    window = session.window
    qtbot.waitUntil(lambda: writing_to(window).text() == company_line(OUTDOOR_ME), timeout=WAIT)
    assert switcher(window).currentText().startswith("Outdoor")
    assert len(switcher_items(window)) == 2
    assert ui.window_titled(ACCOUNT_DIALOG) is None

    # Switch to Harbor and restart again: Harbor it is, and a lookup goes to Harbor.
    switch_to(qtbot, window, "Harbor", HARBOR_ME)
    session = restart(qtbot, session, open_window)
    window = session.window
    qtbot.waitUntil(lambda: writing_to(window).text() == company_line(HARBOR_ME), timeout=WAIT)
    assert switcher(window).currentText().startswith("Harbor")
    lookups_before = len(strict_api.received("GET", ATTRIBUTES))
    harbor_before = len(harbor.received("GET", ATTRIBUTES))
    assert look_up(qtbot, window, "Phone", PHONE_TYPED).startswith("Found")
    assert len(strict_api.received("GET", ATTRIBUTES)) == lookups_before
    assert len(harbor.received("GET", ATTRIBUTES)) == harbor_before + 1


# 2. switching with a user looked up and edits pending --------------------------------------
def test_switching_keeps_the_edits_and_drops_the_old_accounts_values(
    qtbot, open_window, strict_api, harbor
):
    window = open_window().window
    two_accounts(qtbot, window, strict_api, harbor)
    switch_to(qtbot, window, "Outdoor", OUTDOOR_ME)

    # On Outdoor: look the user up, change one of their values, add a new attribute.
    assert look_up(qtbot, window, "Phone", PHONE_TYPED).startswith("Found")
    set_attribute(qtbot, window, "Favorite color", "teal")
    set_attribute(qtbot, window, "Newsletter", "weekly")
    table = attribute_table(window)
    shown = {n: (v, c) for n, v, c in ui.rows(table, "Name", "Value", "Current")}
    assert shown["Favorite color"] == ("teal", "blue") and "age" in shown and "VIP" in shown
    outdoor_lookups = len(strict_api.received())

    # Switch to Harbor: the edits stay, Outdoor's values are gone from every column.
    switch_to(qtbot, window, "Harbor", HARBOR_ME)
    rows = ui.rows(table, "Name", "Value", "Current")
    values = {n: v for n, v, _c in rows}
    assert values == {"Favorite color": "teal", "Newsletter": "weekly"}, rows
    currents = [c for _n, _v, c in rows]
    assert not {"blue", "36", "true"} & set(currents), f"Outdoor's values still shown: {rows}"
    said = lookup_result(window)
    assert "look the user up again" in said.lower(), said
    assert ui.by_label(window, "Phone", QLineEdit).text()  # who it is for stays too

    # Send: it goes to Harbor, with the edits only (no untouched lookup row of Outdoor's).
    send_with_keyboard(qtbot, window)
    if ui.window_titled("Review changes before sending") or ui.window_titled("Send with warnings?"):
        shown_preview = confirm_send(qtbot)
        assert not {"blue", "36"} & {c for _p, c, _n in shown_preview}, shown_preview
    qtbot.waitUntil(lambda: send_result(window).startswith(("Sent", "Not sent")), timeout=WAIT)
    qtbot.waitUntil(lambda: not send_result(window).startswith("Sending"), timeout=WAIT)
    assert [p.json() for p in posts(harbor)] == [
        {"properties": {"Favorite color": "teal", "Newsletter": "weekly"}, "user": {"phone": PHONE}}
    ]
    assert posts(strict_api) == []
    assert len(strict_api.received()) == outdoor_lookups  # Outdoor heard nothing more
    assert key_headers(harbor) == {f"Bearer {HARBOR_KEY}"}
    assert harbor.attributes_of(phone=PHONE) == {
        "Favorite color": "teal",
        "Loyalty tier": "gold",
        "Newsletter": "weekly",
    }


def test_a_lookup_still_running_when_switching_never_lands_in_the_new_account(
    qtbot, open_window, strict_api, harbor
):
    """Outdoor is slow to answer a lookup; the user switches to Harbor meanwhile. Outdoor's
    answer, when it comes, must not fill Harbor's table or read as a result for Harbor."""
    window = open_window().window
    two_accounts(qtbot, window, strict_api, harbor)
    switch_to(qtbot, window, "Outdoor", OUTDOOR_ME)
    strict_api.slow_down("GET", ATTRIBUTES, 1.5)
    phone = ui.by_label(window, "Phone", QLineEdit)
    type_into(qtbot, phone, PHONE_TYPED)
    qtbot.keyClick(phone, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: strict_api.in_flight("GET", ATTRIBUTES) != [], timeout=WAIT)

    switch_to(qtbot, window, "Harbor", HARBOR_ME)
    record = strict_api.received("GET", ATTRIBUTES)[-1]
    qtbot.waitUntil(lambda: record.status != 0 or record.dropped, timeout=WAIT)
    qtbot.waitUntil(lambda: ui.button(window, "Look up").isEnabled(), timeout=WAIT)
    rows = ui.rows(attribute_table(window), "Name", "Current")
    assert not any(c in ("blue", "36", "true") for _n, c in rows), rows
    assert not lookup_result(window).startswith("Found"), lookup_result(window)
    assert writing_to(window).text() == company_line(HARBOR_ME)


def test_a_cancelled_send_then_a_switch_still_records_what_the_old_account_answered(
    qtbot, open_window, strict_api, harbor
):
    """Harbor is slow; the user sends, presses Esc (the send may still arrive, the window
    says), then switches to Outdoor. Harbor does store the values and answers 200: the
    history must say so (README: "the history records it when it ends"), so the user can
    tell the send reached Harbor, not Outdoor."""
    window = open_window().window
    two_accounts(qtbot, window, strict_api, harbor)  # Harbor in use
    type_into(qtbot, ui.by_label(window, "Phone", QLineEdit), PHONE_TYPED)
    set_attribute(qtbot, window, "Newsletter", "weekly")
    harbor.slow_down("POST", ATTRIBUTES, 1.0)
    send_with_keyboard(qtbot, window)
    qtbot.waitUntil(lambda: harbor.in_flight("POST", ATTRIBUTES) != [], timeout=WAIT)
    activate(qtbot, window)
    press(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: send_result(window).startswith("Send cancelled"), timeout=WAIT)
    assert "may have been applied" in send_result(window)

    switch_to(qtbot, window, "Outdoor", OUTDOOR_ME)
    post = posts(harbor)[-1]
    qtbot.waitUntil(lambda: post.status == 200, timeout=WAIT)
    assert harbor.attributes_of(phone=PHONE)["Newsletter"] == "weekly"
    assert posts(strict_api) == []

    def recorded() -> list[tuple[str, ...]]:
        return [r for r in history_rows(window) if r[0] == "POST"]

    with contextlib.suppress(QtTimeoutError):
        qtbot.waitUntil(lambda: ("POST", ATTRIBUTES, "200") in recorded(), timeout=WAIT)
    assert ("POST", ATTRIBUTES, "200") in recorded(), (
        f"Harbor stored the send and answered 200, but the history shows {recorded()}"
    )


# 3. removing an account; the key never in clear ---------------------------------------------
def account_actions(window) -> dict[str, list[str]]:
    """Every place a user looks for account management, and what each offers: the menu bar's
    menus, the toolbar's buttons, the switcher's context menu and its drop-down entries."""
    found: dict[str, list[str]] = {}
    for action in window.menuBar().actions():
        menu = action.menu()
        if isinstance(menu, QMenu):
            texts = [ui.plain(a.text()) for a in menu.actions() if not a.isSeparator()]
            found[f"menu {ui.plain(action.text())}"] = texts
    found["buttons"] = ui.buttons(window)
    combo = switcher(window)
    found["switcher actions"] = [ui.plain(a.text()) for a in combo.actions()]
    found["switcher entries"] = switcher_items(window)
    return found


def management_action(window, verb: str):
    """The visible action or button whose text offers ``verb`` (Remove, Edit...) for an
    account, wherever it is; None when there is none."""
    pattern = re.compile(rf"{verb}.*account.*|.*account.*{verb}.*|{verb} key.*", re.I)
    for action in window.menuBar().actions():
        menu = action.menu()
        if isinstance(menu, QMenu):
            for item in menu.actions():
                if pattern.fullmatch(ui.plain(item.text())) and item.isVisible():
                    return item
    for item in switcher(window).actions():
        if pattern.fullmatch(ui.plain(item.text())):
            return item
    buttons = [b for b in window.findChildren(ui.QAbstractButton) if b.isVisible()]
    for button in buttons:
        if pattern.fullmatch(ui.plain(button.text())):
            return button
    return None


def test_removing_the_account_in_use_leaves_a_sane_window(
    qtbot, open_window, strict_api, harbor, keyring
):
    window = open_window().window
    two_accounts(qtbot, window, strict_api, harbor)  # Harbor is in use
    assert look_up(qtbot, window, "Phone", PHONE_TYPED).startswith("Found")
    set_attribute(qtbot, window, "Favorite color", "navy")
    remove = management_action(window, "(Remove|Delete|Forget)")
    assert remove is not None, f"no way to remove an account: {account_actions(window)}"
    if hasattr(remove, "trigger"):
        remove.trigger()
    else:
        click(qtbot, remove)
    qtbot.waitUntil(lambda: len(ui.windows()) > 1, timeout=WAIT)  # it asks first
    box = next(w for w in ui.windows() if w is not window)
    question = " ".join(every_visible_text(box))
    assert "Harbor" in question, f"the confirmation does not name the account: {question}"
    click(qtbot, ui.button(box, re.compile("Remove.*|Delete.*")))
    qtbot.waitUntil(lambda: len(switcher_items(window)) == 1, timeout=WAIT)

    assert not any(i.startswith("Harbor") for i in switcher_items(window))
    assert (SERVICE, "Harbor") not in keyring.keys  # the key left the keychain too
    line = writing_to(window).text()
    assert HARBOR_ME["companyName"] not in line, line
    # Another account may be opening: the line says so until its key is in.
    qtbot.waitUntil(lambda: "nothing yet" not in writing_to(window).text(), timeout=WAIT)
    line = writing_to(window).text()
    assert HARBOR_ME["companyName"] not in line, line
    rows = {n: v for n, v in ui.rows(attribute_table(window), "Name", "Value")}
    assert rows.get("Favorite color") == "navy", "the edit was lost with the account"
    harbor_posts = len(posts(harbor))
    send_with_keyboard(qtbot, window)
    if line.startswith("Writing to: no account"):
        qtbot.waitUntil(lambda: "account" in status_bar_text(window).lower(), timeout=WAIT)
    else:  # another account is in use now, and named: a send goes there, never to Harbor
        if ui.window_titled("Review changes before sending"):
            confirm_send(qtbot)
        qtbot.waitUntil(lambda: send_result(window).startswith(("Sent", "Not")), timeout=WAIT)
    assert len(posts(harbor)) == harbor_posts


def test_the_key_is_never_shown_in_clear_unless_asked_and_only_the_keychain_keeps_it(
    qtbot, open_window, strict_api, harbor, keyring, private_home
):
    window = open_window().window
    first_run(qtbot, strict_api, name="Outdoor")
    dialog = open_add_account(qtbot, window)
    fill_account(qtbot, dialog, "Harbor", HARBOR_KEY, harbor.base_url)
    key_field = ui.by_label(dialog, "API key", QLineEdit)
    assert key_field.echoMode() == QLineEdit.EchoMode.Password
    assert HARBOR_KEY not in key_field.displayText()
    show = ui.button(dialog, "Show key")
    assert not show.isChecked()
    tick(qtbot, show)  # the user asks to see it
    assert key_field.displayText() == HARBOR_KEY
    tick(qtbot, show)  # and hides it again
    assert HARBOR_KEY not in key_field.displayText()
    result = save_and_wait(qtbot, dialog)
    assert_plain(result, HARBOR_KEY)
    for text in every_visible_text():
        assert HARBOR_KEY not in text and strict_api.write_key not in text, text
    click(qtbot, ui.button(dialog, "Done"))
    qtbot.waitUntil(lambda: writing_to(window).text() == company_line(HARBOR_ME), timeout=WAIT)
    assert look_up(qtbot, window, "Phone", PHONE_TYPED).startswith("Found")

    # Only the keychain holds the keys, under the app's service, one entry per account.
    assert keyring.keys == {
        (SERVICE, "Outdoor"): strict_api.write_key,
        (SERVICE, "Harbor"): HARBOR_KEY,
    }
    for text in every_visible_text():
        assert HARBOR_KEY not in text and strict_api.write_key not in text, text
    # Opening the dialog again never brings a saved key back into a field.
    again = open_add_account(qtbot, window)
    assert ui.by_label(again, "API key", QLineEdit).text() == ""
    cancel_dialog(qtbot, again)
    window.close()  # everything the app writes is flushed before the files are searched
    assert files_holding(private_home, HARBOR_KEY, strict_api.write_key) == []


# 4. a key the server stops accepting ---------------------------------------------------------
NEW_KEY = "strict-rotated-key-91c4e2"
KEY_FIXES = ("Add account", "Account ▸")  # what the window really offers to fix a key


def test_a_key_that_stops_working_says_so_plainly_and_loses_nothing(
    qtbot, open_window, strict_api, keyring
):
    window = open_window().window
    first_run(qtbot, strict_api, name="Outdoor")
    qtbot.waitUntil(lambda: writing_to(window).text() == company_line(OUTDOOR_ME), timeout=WAIT)
    assert look_up(qtbot, window, "Phone", PHONE_TYPED).startswith("Found")
    set_attribute(qtbot, window, "Favorite color", "teal")
    set_attribute(qtbot, window, "Newsletter", "weekly")
    old_key = strict_api.write_key
    strict_api.write_key = NEW_KEY  # an admin replaced the app's key in Attentive

    # Send: refused with 401. The sentence says the key is not accepted and how to fix it.
    send_with_keyboard(qtbot, window)
    confirm_send(qtbot)
    qtbot.waitUntil(lambda: send_result(window).startswith("Not sent"), timeout=WAIT)
    message = send_result(window)
    assert [p.status for p in posts(strict_api)] == [401]
    assert "did not accept" in message and "key" in message, message
    assert_plain(message, old_key, NEW_KEY)
    assert "401" not in message
    # Nothing is lost: the edits, who they are for, and Send, ready to try again.
    values = {n: v for n, v in ui.rows(attribute_table(window), "Name", "Value")}
    assert values["Favorite color"] == "teal" and values["Newsletter"] == "weekly"
    assert ui.button(window, "Send").isEnabled()
    assert writing_to(window).text() == company_line(OUTDOOR_ME)

    # A lookup says the same, in the lookup's own line.
    said = look_up(qtbot, window, "Email", "lin@example.org")
    assert "did not accept" in said, said
    assert_plain(said, old_key, NEW_KEY)
    values = {n: v for n, v in ui.rows(attribute_table(window), "Name", "Value")}
    assert values["Favorite color"] == "teal" and values["Newsletter"] == "weekly"

    # "How to fix it" must point at something the window has.
    assert any(fix in message for fix in KEY_FIXES), (
        f"the send's message does not say where to enter the new key: {message!r}"
    )
    assert any(fix in said for fix in KEY_FIXES), (
        f"the lookup's message does not say where to enter the new key: {said!r}"
    )


def test_entering_the_new_key_again_keeps_the_edits_and_sends_them(
    qtbot, open_window, strict_api, keyring
):
    """After a 401 the user enters the new key for the same account (the Add account dialog,
    the same name): the key is replaced in the keychain, the edits are still there, and Send
    works with the new key, to the same company."""
    window = open_window().window
    first_run(qtbot, strict_api, name="Outdoor")
    qtbot.waitUntil(lambda: writing_to(window).text() == company_line(OUTDOOR_ME), timeout=WAIT)
    type_into(qtbot, ui.by_label(window, "Phone", QLineEdit), PHONE_TYPED)
    set_attribute(qtbot, window, "Newsletter", "weekly")
    old_key = strict_api.write_key
    strict_api.write_key = NEW_KEY
    send_with_keyboard(qtbot, window)
    qtbot.waitUntil(lambda: send_result(window).startswith("Not sent"), timeout=WAIT)

    dialog = open_add_account(qtbot, window)
    fill_account(qtbot, dialog, "Outdoor", NEW_KEY, strict_api.base_url)
    click(qtbot, ui.button(dialog, "Save"))
    qtbot.waitUntil(
        lambda: len(ui.windows()) > 2 or "Company" in check_result(dialog), timeout=WAIT
    )
    for box in [w for w in ui.windows() if w not in (window, dialog)]:  # "replace it?"
        click(qtbot, ui.button(box, re.compile("Replace.*|Update.*|Yes|OK")))
    qtbot.waitUntil(lambda: "Company" in check_result(dialog), timeout=WAIT)
    click(qtbot, ui.button(dialog, "Done"))
    qtbot.waitUntil(lambda: ui.window_titled(ACCOUNT_DIALOG) is None, timeout=WAIT)
    assert keyring.keys == {(SERVICE, "Outdoor"): NEW_KEY}
    assert len(switcher_items(window)) == 1
    qtbot.waitUntil(lambda: writing_to(window).text() == company_line(OUTDOOR_ME), timeout=WAIT)

    assert dict(ui.rows(attribute_table(window), "Name", "Value"))["Newsletter"] == "weekly"
    send_with_keyboard(qtbot, window)
    qtbot.waitUntil(lambda: send_result(window).startswith(("Sent", "Not sent")), timeout=WAIT)
    qtbot.waitUntil(lambda: not send_result(window).startswith("Sent. Re-reading"), timeout=WAIT)
    assert [p.status for p in posts(strict_api)] == [401, 200]
    assert posts(strict_api)[-1].header("Authorization") == f"Bearer {NEW_KEY}"
    assert strict_api.attributes_of(phone=PHONE)["Newsletter"] == "weekly"
    assert f"Bearer {old_key}" not in {p.header("Authorization") for p in posts(strict_api)[1:]}


# 2b. what an old account's send leaves behind never reaches the new account ---------------
def test_reverting_after_a_switch_never_writes_to_the_other_account(
    qtbot, open_window, strict_api, harbor
):
    """A send on Harbor, then a switch to Outdoor: Revert last send (Ctrl+Shift+Z) and the
    history row's Revert this send… must not write Harbor's old values to Outdoor."""
    window = open_window().window
    two_accounts(qtbot, window, strict_api, harbor)  # Harbor in use
    assert look_up(qtbot, window, "Phone", PHONE_TYPED).startswith("Found")
    set_attribute(qtbot, window, "Favorite color", "navy")
    assert send_and_wait(qtbot, window).startswith("Sent, then re-read")
    qtbot.waitUntil(lambda: ("POST", ATTRIBUTES, "200") in history_rows(window), timeout=WAIT)

    switch_to(qtbot, window, "Outdoor", OUTDOOR_ME)
    outdoor_before = len(strict_api.received())
    activate(qtbot, window)
    press(qtbot, Qt.Key.Key_Z, CTRL | SHIFT)  # Revert last send
    qtbot.waitUntil(lambda: "revert" in status_bar_text(window).lower(), timeout=WAIT)
    assert ui.window_titled("Revert a send") is None, "a revert of Harbor's send opened on Outdoor"

    # The history row of Harbor's send: Revert this send… names Harbor and sends nothing.
    history = history_table(window)
    row = history_rows(window).index(("POST", ATTRIBUTES, "200"))
    index = ui.cell(history, row, "Method")
    history.scrollTo(index)
    qtbot.mouseClick(history.viewport(), LEFT, pos=history.visualRect(index).center())
    click(qtbot, ui.button(ui.dock(window, "Request history"), "Revert this send…"))
    qtbot.waitUntil(lambda: "Harbor" in status_bar_text(window), timeout=WAIT)
    assert "switch to it" in status_bar_text(window), status_bar_text(window)
    assert ui.window_titled("Revert a send") is None
    assert posts(strict_api) == []
    assert all(r.method == "GET" for r in strict_api.received()[outdoor_before:])
    assert len(posts(harbor)) == 1


def target_line(window):
    """The line beside Send, whatever it reads now ("Writing to: …", also while a key is read)."""
    return ui.label(window, re.compile(r"(Writing to:|Reading the key).*"))


class GatedKeyring(FakeKeyring):
    """A keychain that can be made to wait (it asks to be unlocked) until ``release()``."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = threading.Event()
        self.gate.set()

    def hold(self) -> None:
        self.gate.clear()

    def release(self) -> None:
        self.gate.set()

    def get_password(self, service: str, username: str) -> str | None:
        self.gate.wait(WAIT / 1000)
        return super().get_password(service, username)


class TestSwitchingWhileTheKeychainIsSlow:
    """The keychain takes its time to hand over the new account's key (it asks to be
    unlocked): until it is in, the window names no company it is not writing to, and Send
    and Look up go nowhere, to neither account."""

    @pytest.fixture
    def keyring(self):
        gated = GatedKeyring()
        yield gated
        gated.release()  # never leave the keychain thread waiting

    def test_nothing_goes_anywhere_until_the_new_key_is_in(
        self, qtbot, open_window, strict_api, harbor, keyring
    ):
        window = open_window().window
        two_accounts(qtbot, window, strict_api, harbor)  # Harbor in use
        type_into(qtbot, ui.by_label(window, "Phone", QLineEdit), PHONE_TYPED)
        set_attribute(qtbot, window, "Newsletter", "weekly")
        counts = (len(strict_api.received()), len(harbor.received()))

        keyring.hold()
        combo = switcher(window)
        activate(qtbot, window)
        qtbot.mouseClick(ui.by_label(window, "Phone", QLineEdit), LEFT)
        press(qtbot, Qt.Key.Key_Backtab, SHIFT)
        assert QApplication.focusWidget() is combo
        items = [combo.itemText(i) for i in range(combo.count())]
        outdoor = next(i for i, text in enumerate(items) if text.startswith("Outdoor"))
        up_or_down = Qt.Key.Key_Down if combo.currentIndex() < outdoor else Qt.Key.Key_Up
        qtbot.keyClick(combo, up_or_down)
        line = target_line(window).text()
        assert HARBOR_ME["companyName"] not in line, f"still names Harbor while switching: {line}"
        assert OUTDOOR_ME["companyName"] not in line or "Reading" in line, line

        send_with_keyboard(qtbot, window)
        qtbot.waitUntil(lambda: "key" in status_bar_text(window).lower(), timeout=WAIT)
        said = status_bar_text(window)
        assert "Outdoor" in said and "wait" in said.lower(), said
        qtbot.keyClick(ui.by_label(window, "Phone", QLineEdit), Qt.Key.Key_Return)
        assert ui.window_titled("Review changes before sending") is None
        assert (len(strict_api.received()), len(harbor.received())) == counts

        keyring.release()
        qtbot.waitUntil(lambda: writing_to(window).text() == company_line(OUTDOOR_ME), timeout=WAIT)
        assert dict(ui.rows(attribute_table(window), "Name", "Value")) == {"Newsletter": "weekly"}
        assert (len(strict_api.received()), len(harbor.received())) == counts
