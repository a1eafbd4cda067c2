"""The accounts audit, continued: the Add account dialog's edge cases on first run (an empty
name, a name already in use, a key pasted with spaces or a line break, a plain-http base URL
off this machine, Cancel) and a computer without a keychain (the key kept for the session
only, asked for again after a restart). Driven as test_accounts_audit.py drives the window:
by what a user sees (ui.py) and by clicks and keys; the strict servers' records and the fake
keychain say what really happened.

Each test asserts what a careful user needs; a failing one names the shortfall.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from keyring.backends import fail
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit

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
    company_line,
    every_visible_text,
    files_holding,
    fill_account,
    guard_loopback,
    harbor_users,
    open_add_account,
    save_and_wait,
    status_bar_text,
    switcher,
    switcher_items,
)
from tests.strict.journey import (
    ACCOUNT_DIALOG,
    CTRL,
    OFFSCREEN_POPUP_WARNINGS,
    WAIT,
    assert_plain,
    attribute_table,
    check_result,
    click,
    confirm_send,
    first_run,
    look_up,
    send_result,
    send_with_keyboard,
    set_attribute,
    type_into,
    wait_window,
    writing_to,
)
from tests.strict.strict_api import StrictApi

pytestmark = OFFSCREEN_POPUP_WARNINGS

HARBOR_KEY = "harbor-write-key-55d1e0"


@pytest.fixture
def harbor() -> Iterator[CompanyApi]:
    with CompanyApi(me=HARBOR_ME, write_key=HARBOR_KEY, users=harbor_users()) as api:
        yield api


@pytest.fixture
def loopback_only(monkeypatch) -> list[str]:
    """The hosts off this machine the app tried to resolve (each attempt fails)."""
    return guard_loopback(monkeypatch)


def first_run_dialog(qtbot):
    return wait_window(qtbot, ACCOUNT_DIALOG)


def nothing_saved(strict_api: StrictApi, keyring) -> None:
    assert strict_api.received() == [], "a request went out for a refused entry"
    assert keyring.keys == {}, "the keychain was written for a refused entry"


def paste_into(qtbot, field: QLineEdit, text: str) -> None:
    """Put ``text`` on the clipboard and paste it into ``field`` with Ctrl+V, over what it
    holds (as a user pastes a key copied from a web page)."""
    QApplication.clipboard().setText(text)
    type_into(qtbot, field, "")
    qtbot.keyClick(field, Qt.Key.Key_V, CTRL)


# 6. first-run edge cases ----------------------------------------------------------------------
@pytest.mark.parametrize("name", ["", "   "], ids=["empty", "spaces"])
def test_an_empty_account_name_is_refused_with_a_reason(
    qtbot, open_window, strict_api, keyring, name
):
    open_window()
    dialog = first_run_dialog(qtbot)
    fill_account(qtbot, dialog, name, strict_api.write_key, strict_api.base_url)
    result = save_and_wait(qtbot, dialog)
    assert "name" in result.lower(), result
    assert_plain(result, strict_api.write_key)
    assert dialog.isVisible() and ui.button(dialog, "Save").isEnabled()
    assert QApplication.focusWidget() is ui.by_label(dialog, "Account name", QLineEdit)
    nothing_saved(strict_api, keyring)
    cancel_dialog(qtbot, dialog)


def test_a_name_already_in_use_is_not_silently_given_to_another_company(
    qtbot, open_window, strict_api, harbor, keyring
):
    """ "Acme" exists (Strict Outdoor Supply). Adding "Acme" again with another company's key
    must not quietly replace it: the dialog says the name is taken (or asks first), and
    until the user agrees, "Acme" keeps its key and its company."""
    window = open_window().window
    first_run(qtbot, strict_api, name="Acme")
    qtbot.waitUntil(lambda: writing_to(window).text() == company_line(OUTDOOR_ME), timeout=WAIT)
    dialog = open_add_account(qtbot, window)
    fill_account(qtbot, dialog, "Acme", HARBOR_KEY, harbor.base_url)
    click(qtbot, ui.button(dialog, "Save"))
    qtbot.waitUntil(
        lambda: (
            len(ui.windows()) > 2
            or (
                check_result(dialog)
                and not check_result(dialog).startswith(("Checking", "The key"))
            )
        ),
        timeout=WAIT,
    )
    said = " ".join(t for w in ui.windows() if w is not window for t in every_visible_text(w))
    assert keyring.keys[(SERVICE, "Acme")] == strict_api.write_key, (
        f"the existing account's key was replaced without a word; the dialog said: "
        f"{check_result(dialog)!r}"
    )
    assert "already" in said.lower(), said
    assert writing_to(window).text() == company_line(OUTDOOR_ME)
    for box in [w for w in ui.windows() if w not in (window, dialog)]:
        click(qtbot, ui.button(box, re.compile("Cancel|No|Keep.*")))
    if ui.window_titled(ACCOUNT_DIALOG) is not None:
        cancel_dialog(qtbot, dialog)


@pytest.mark.parametrize(
    "pasted",
    ["  {key}  ", "{key}\n", "\t{key} \r\n"],
    ids=["spaces", "newline", "tab-crlf"],
)
def test_a_key_pasted_with_spaces_or_a_line_break_is_trimmed(
    qtbot, open_window, strict_api, keyring, pasted
):
    window = open_window().window
    dialog = first_run_dialog(qtbot)
    fill_account(qtbot, dialog, "Outdoor", "x", strict_api.base_url)
    key_field = ui.by_label(dialog, "API key", QLineEdit)
    paste_into(qtbot, key_field, pasted.format(key=strict_api.write_key))
    result = save_and_wait(qtbot, dialog)
    assert "Company" in result, f"the pasted key was not trimmed: {result!r}"
    assert [r.header("Authorization") for r in strict_api.received("GET", "/me")] == [
        f"Bearer {strict_api.write_key}"
    ]
    assert keyring.keys == {(SERVICE, "Outdoor"): strict_api.write_key}
    click(qtbot, ui.button(dialog, "Done"))
    qtbot.waitUntil(lambda: writing_to(window).text() == company_line(OUTDOOR_ME), timeout=WAIT)


def test_a_key_broken_over_two_lines_is_refused_with_a_reason(
    qtbot, open_window, strict_api, keyring
):
    """A key copied across a line break ("strict-write-\\nkey-7f3a9c"): either the line
    break is dropped and the key works, or the dialog says the key has characters (a line
    break, spaces) it cannot have. Never "not accepted", never a half key saved."""
    window = open_window().window
    dialog = first_run_dialog(qtbot)
    fill_account(qtbot, dialog, "Outdoor", "x", strict_api.base_url)
    key = strict_api.write_key
    broken = key[:13] + "\n" + key[13:]
    paste_into(qtbot, ui.by_label(dialog, "API key", QLineEdit), broken)
    result = save_and_wait(qtbot, dialog)
    assert_plain(result, key, key[:13], key[13:])
    if "Company" in result:  # the line break was dropped: the whole key works
        assert keyring.keys == {(SERVICE, "Outdoor"): key}
        click(qtbot, ui.button(dialog, "Done"))
        qtbot.waitUntil(lambda: writing_to(window).text() == company_line(OUTDOOR_ME), timeout=WAIT)
        return
    assert re.search(r"line break|new ?line|spaces?|whitespace|characters", result, re.I), (
        f"refused without saying the pasted key has a line break in it: {result!r}"
    )
    assert keyring.keys == {}
    cancel_dialog(qtbot, dialog)


@pytest.mark.parametrize(
    "url",
    ["http://api.attentivemobile.com/v1", "http://192.0.2.10:8080/v1", "http://[2001:db8::1]/v1"],
    ids=["attentive", "ipv4", "ipv6"],
)
def test_a_plain_http_base_url_off_this_machine_is_refused_with_a_reason(
    qtbot,
    open_window,
    strict_api,
    keyring,
    loopback_only,
    url,
):
    open_window()
    dialog = first_run_dialog(qtbot)
    fill_account(qtbot, dialog, "Outdoor", strict_api.write_key, url)
    result = save_and_wait(qtbot, dialog)
    assert "https://" in result and "localhost" in result, result
    assert_plain(result, strict_api.write_key)
    assert loopback_only == [], f"the app tried to reach {loopback_only}"
    assert dialog.isVisible()
    assert QApplication.focusWidget() is ui.by_label(dialog, "Base URL", QLineEdit)
    assert keyring.keys == {}
    cancel_dialog(qtbot, dialog)


def test_cancel_on_first_run_leaves_a_usable_window_that_says_how_to_add_an_account(
    qtbot, open_window, strict_api, keyring
):
    window = open_window().window
    cancel_dialog(qtbot, first_run_dialog(qtbot))
    line = writing_to(window).text()
    assert "no account" in line and "Add account" in line, line
    assert not switcher(window).isEnabled() or switcher_items(window) == []
    # The window still works: typing, editing, and a lookup or send says what to do first.
    set_attribute(qtbot, window, "Newsletter", "weekly")
    type_into(qtbot, ui.by_label(window, "Phone", QLineEdit), PHONE_TYPED)
    qtbot.keyClick(ui.by_label(window, "Phone", QLineEdit), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "account" in status_bar_text(window).lower(), timeout=WAIT)
    assert "Add account" in status_bar_text(window), status_bar_text(window)
    send_with_keyboard(qtbot, window)
    qtbot.waitUntil(lambda: "Add account" in status_bar_text(window), timeout=WAIT)
    assert ui.window_titled("Review changes before sending") is None
    assert strict_api.received() == [] and keyring.keys == {}
    assert dict(ui.rows(attribute_table(window), "Name", "Value"))["Newsletter"] == "weekly"
    # What the line names exists: Account ▸ Add account… and the toolbar's Add account.
    assert ui.menu_action(window, "Account", "Add account…").isEnabled()
    assert ui.button(window, "Add account").isEnabled()


def test_after_cancelling_first_run_the_advice_leads_to_the_dialog(
    qtbot, open_window, strict_api, keyring
):
    """The window says "add one with Account ▸ Add account…": doing just that must open the
    Add account dialog, and the account added there must work."""
    window = open_window().window
    cancel_dialog(qtbot, first_run_dialog(qtbot))
    with qtbot.captureExceptions() as raised:
        ui.menu_action(window, "Account", "Add account…").trigger()
        qtbot.waitUntil(lambda: bool(raised) or ui.window_titled(ACCOUNT_DIALOG) is not None)
    errors = [f"{kind.__name__}: {value}".splitlines()[0] for kind, value, _tb in raised]
    assert not errors, f"Account ▸ Add account… raised instead of opening the dialog: {errors}"
    add_company(qtbot, window, strict_api, "Outdoor", strict_api.write_key, OUTDOOR_ME,
                dialog=ui.window_titled(ACCOUNT_DIALOG))  # fmt: skip
    assert look_up(qtbot, window, "Phone", PHONE_TYPED).startswith("Found")


# 5. no keychain on this computer ---------------------------------------------------------------
class TestWithoutAKeychain:
    """keyring finds no backend (keyring's fail backend, as on a headless Linux box): the
    window keeps keys for this session only and must say so."""

    @pytest.fixture
    def keyring(self):
        return fail.Keyring()

    def test_the_window_says_session_only_and_the_account_works_for_the_session(
        self, qtbot, open_window, strict_api, private_home
    ):
        window = open_window().window
        dialog = first_run_dialog(qtbot)
        qtbot.waitUntil(lambda: "session only" in " ".join(every_visible_text(window)))
        notice = ui.label_containing(window, "session only")
        assert "keychain" in notice.text()
        fill_account(qtbot, dialog, "Outdoor", strict_api.write_key, strict_api.base_url)
        result = save_and_wait(qtbot, dialog)
        assert "Company" in result and "this session only" in result, result
        click(qtbot, ui.button(dialog, "Done"))
        qtbot.waitUntil(lambda: writing_to(window).text() == company_line(OUTDOOR_ME), timeout=WAIT)
        assert "session only" in ui.label_containing(window, "session only").text()
        # The account works for the session: a lookup and a send.
        assert look_up(qtbot, window, "Phone", PHONE_TYPED).startswith("Found")
        set_attribute(qtbot, window, "Favorite color", "teal")
        send_with_keyboard(qtbot, window)
        confirm_send(qtbot)
        qtbot.waitUntil(lambda: send_result(window).startswith("Sent, then"), timeout=WAIT)
        assert strict_api.attributes_of(phone=PHONE)["Favorite color"] == "teal"
        window.close()
        assert files_holding(private_home, strict_api.write_key) == [], "key written to disk"

    def test_the_add_account_dialog_does_not_promise_the_keychain(
        self, qtbot, open_window, strict_api
    ):
        """Without a keychain, the dialog must not tell the user the key will be "kept in
        the system keychain": it will be forgotten when the app quits."""
        open_window()
        dialog = first_run_dialog(qtbot)

        def texts() -> str:
            return " ".join(w.text() for w in dialog.findChildren(QLabel) if w.isVisible())

        assert "kept in the system keychain" not in texts(), texts()  # not even at first
        # Whether a keychain exists is probed off the GUI thread; the dialog then says so.
        qtbot.waitUntil(lambda: "until you quit" in texts(), timeout=WAIT)
        assert "kept in the system keychain" not in texts(), texts()
        cancel_dialog(qtbot, dialog)

    def test_after_a_restart_the_account_asks_for_its_key_again_clearly(
        self, qtbot, open_window, strict_api
    ):
        session = open_window()
        window = session.window
        first_run(qtbot, strict_api, name="Outdoor")
        qtbot.waitUntil(lambda: writing_to(window).text() == company_line(OUTDOOR_ME), timeout=WAIT)
        ui.menu_action(window, "Account", "Quit").trigger()
        qtbot.waitUntil(lambda: not window.isVisible())
        session.shutdown()
        before = len(strict_api.received())

        window = open_window().window
        dialog = first_run_dialog(qtbot)  # asks for the key of the account it knows
        assert ui.by_label(dialog, "Account name", QLineEdit).text() == "Outdoor"
        assert ui.by_label(dialog, "API key", QLineEdit).text() == ""
        qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
        assert QApplication.focusWidget() is ui.by_label(dialog, "API key", QLineEdit)
        said = status_bar_text(window)
        assert "Outdoor" in said and "key" in said.lower(), said
        qtbot.waitUntil(lambda: "session only" in " ".join(every_visible_text(window)))
        notice = ui.label_containing(window, "session only").text()
        assert "entered again" in notice or "enter" in notice.lower(), notice
        assert len(strict_api.received()) == before  # nothing was tried without a key
        # Until the key is in, the window must not claim there is no account at all.
        line = writing_to(window).text()
        assert "no account yet" not in line, (
            f"the switcher lists {switcher_items(window)} but the line beside Send says {line!r}"
        )

    def test_after_a_restart_a_send_without_the_key_names_the_missing_key(
        self, qtbot, open_window, strict_api
    ):
        """The user closes the dialog that asks for the key (to copy the key from Attentive
        first) and presses Send: the window must say the key for “Outdoor” is missing, not
        that there is no account."""
        session = open_window()
        first_run(qtbot, strict_api, name="Outdoor")
        ui.menu_action(session.window, "Account", "Quit").trigger()
        qtbot.waitUntil(lambda: not session.window.isVisible())
        session.shutdown()
        before = len(strict_api.received())

        window = open_window().window
        cancel_dialog(qtbot, first_run_dialog(qtbot))
        type_into(qtbot, ui.by_label(window, "Phone", QLineEdit), PHONE_TYPED)
        set_attribute(qtbot, window, "Newsletter", "weekly")
        send_with_keyboard(qtbot, window)
        qtbot.waitUntil(lambda: "account" in status_bar_text(window).lower(), timeout=WAIT)
        said = status_bar_text(window)
        assert len(strict_api.received()) == before
        assert dict(ui.rows(attribute_table(window), "Name", "Value")) == {"Newsletter": "weekly"}
        assert "Outdoor" in said and "key" in said.lower(), (
            f"Send says {said!r} though the account “Outdoor” exists and only its key is missing"
        )

    def test_after_a_restart_entering_the_key_again_works(
        self,
        qtbot,
        open_window,
        strict_api,
        loopback_only,
    ):
        """The dialog that asks for the key again is for the account the app knows: its
        server stays the account's own (the user types only the key)."""
        session = open_window()
        window = session.window
        first_run(qtbot, strict_api, name="Outdoor")
        qtbot.waitUntil(lambda: writing_to(window).text() == company_line(OUTDOOR_ME), timeout=WAIT)
        ui.menu_action(window, "Account", "Quit").trigger()
        qtbot.waitUntil(lambda: not window.isVisible())
        session.shutdown()

        window = open_window().window
        dialog = first_run_dialog(qtbot)
        type_into(qtbot, ui.by_label(dialog, "API key", QLineEdit), strict_api.write_key)
        result = save_and_wait(qtbot, dialog)
        assert loopback_only == [], (
            f"the key was checked against {loopback_only}, not the account's own server "
            f"{strict_api.base_url}; the dialog said {result!r}"
        )
        assert "Company" in result, result
        click(qtbot, ui.button(dialog, "Done"))
        qtbot.waitUntil(lambda: writing_to(window).text() == company_line(OUTDOOR_ME), timeout=WAIT)
        assert look_up(qtbot, window, "Phone", PHONE_TYPED).startswith("Found")
        assert len(switcher_items(window)) == 1
