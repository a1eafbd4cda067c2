"""An adversarial audit of one promise (DESIGN.md, README): the API key lives only in the OS
keychain (or in memory where there is none) and appears in no file, log, history row, export,
clipboard, error message or screen.

Each test drives the real window (``build_window`` through the ``open_window`` fixture) or the
real command line against the strict server (strict_api.py), here ``EchoApi``
(key_leak_support.py): the same strict API whose refusals repeat the ``Authorization`` header
they received, raw, JSON-escaped, \\u-escaped, percent-encoded, as HTML entities, as plain text
or base64-encoded, and which can send the header back in a status line and headers before
dropping the connection. The keys hold "+", "/", "=" and "_", which every one of those
spellings changes. The window's log is open at DEBUG (httpx and httpcore included) as
run_gui opens it.

After the paths are driven, everything is searched for every spelling of every key
(tests.privacy.secret_forms): every text, tooltip, table cell, menu and message box of every
window on screen, the clipboard after each *Copy as curl*, the history pane's details of
every row, every export (history CSV and JSON, UI-created properties, the bulk report), every
file under ATTENTIVE_DESKTOP_HOME (SQLite and its -wal, settings, logs, crash traces), the bulk
engine's command line and environment, and the command line's output.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from keyring.backends.fail import Keyring as NoKeychain
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QMenu, QPlainTextEdit, QWidget

from attentive_desktop import BULK_ENGINE_WORD
from attentive_desktop.error_hooks import UNEXPECTED_ERROR_TEXT, install_error_hooks
from tests.fakes import FakeKeyring
from tests.strict import ui
from tests.strict.accounts_support import SERVICE, fill_account, save_and_wait, switcher_items
from tests.strict.bulk_audit_support import (
    choose_file,
    customers,
    export_report,
    open_bulk,
    results,
    start,
    type_file_name,
    wait_finished,
)
from tests.strict.journey import (
    ACCOUNT_DIALOG,
    LEFT,
    OFFSCREEN_POPUP_WARNINGS,
    WAIT,
    WRITING_TO,
    activate,
    attribute_table,
    click,
    confirm_send,
    first_run,
    history_table,
    look_up,
    send_result,
    send_with_keyboard,
    set_attribute,
    type_into,
    wait_closed,
    wait_window,
    writing_to,
)
from tests.strict.key_leak_support import (
    ATTRIBUTES,
    KEY,
    NEAR_MISS,
    READ_KEY,
    STYLES,
    EchoApi,
    Leaks,
    child_processes,
    clipboard_text,
    debug_log,
)

pytestmark = OFFSCREEN_POPUP_WARNINGS

ROOT = Path(__file__).resolve().parents[2]
NAME = "Leak audit"
PHONE = "(415) 555-0100"
UNKNOWN_PHONE = "(415) 555-0199"
ATTEMPTS = 5  # RetryPolicy's max_attempts: a refusal scripted this often outlasts the retries
SEND_ENDED = ("Not sent", "Sent, then re-read", "Sent, but", "Send cancelled")


@pytest.fixture
def strict_api():
    """The strict server, accepting KEY (full access) and READ_KEY (no attributes:write), and
    echoing the key back when a test asks it to."""
    with EchoApi(write_key=KEY, read_key=READ_KEY) as api:
        yield api


@pytest.fixture
def keyring(request):
    """The fake keychain, or the one a test passes with ``indirect=True``."""
    return request.param() if hasattr(request, "param") else FakeKeyring()


# steps -------------------------------------------------------------------------------------
def send_and_wait(qtbot, window: QWidget) -> str:
    """Ctrl+Return, confirm the preview, wait for the send (and its re-read) to end."""
    send_with_keyboard(qtbot, window)
    confirm_send(qtbot)
    qtbot.waitUntil(lambda: send_result(window).startswith(SEND_ENDED), timeout=3 * WAIT)
    qtbot.waitUntil(lambda: ui.button(window, "Send").isEnabled(), timeout=WAIT)
    return send_result(window)


def details(window: QWidget) -> QPlainTextEdit:
    pane = ui.dock(window, "Request history")
    return ui.by_accessible_name(pane, QPlainTextEdit, "Request and response")


def select_history_row(qtbot, window: QWidget, row: int) -> str:
    """Click a history row; returns the details it shows."""
    table = history_table(window)
    index = ui.cell(table, row, "Method")
    table.scrollTo(index)
    activate(qtbot, window)
    qtbot.mouseClick(table.viewport(), LEFT, pos=table.visualRect(index).center())
    qtbot.waitUntil(lambda: bool(details(window).toPlainText()), timeout=WAIT)
    return details(window).toPlainText()


def status_bar(window) -> str:
    return window.statusBar().currentMessage()


def history_everywhere(qtbot, window, leaks: Leaks, step: str, exports: Path) -> list[str]:
    """Every history row's details and its *Copy as curl*, the row menu's *Copy as curl*,
    and *Export…* as CSV and as JSON. Returns the details of every row."""
    pane = ui.dock(window, "Request history")
    table = history_table(window)
    count = table.model().rowCount()
    assert count, "the history is empty"
    shown = []
    for row in range(count):
        text = select_history_row(qtbot, window, row)
        shown.append(text)
        leaks.text(f"[{step}] history details of row {row}", text)
        click(qtbot, ui.button(pane, "Copy as curl"))
        qtbot.waitUntil(lambda: "$ATTENTIVE_API_KEY" in clipboard_text(), timeout=WAIT)
        leaks.text(f"[{step}] clipboard after Copy as curl of row {row}", clipboard_text())
        QApplication.clipboard().clear()
    # The row's right-click menu has its own Copy as curl.
    index = ui.cell(table, 0, "Method")
    pos = table.visualRect(index).center()
    menu = right_click_menu(qtbot, table.viewport(), pos)
    action = next(a for a in menu.actions() if ui.plain(a.text()) == "Copy as curl")
    menu.close()
    action.trigger()
    qtbot.waitUntil(lambda: "$ATTENTIVE_API_KEY" in clipboard_text(), timeout=WAIT)
    leaks.text(f"[{step}] clipboard after the row menu's Copy as curl", clipboard_text())
    for name in ("history.csv", "history.json"):
        save_as(qtbot, ui.button(pane, "Export…"), "Export history", exports / name)
        qtbot.waitUntil(lambda: status_bar(window).startswith("Exported"), timeout=WAIT)
        window.statusBar().clearMessage()
        assert (exports / name).stat().st_size > 0
    return shown


def save_as(qtbot, button, title: str, path: Path) -> None:
    """Click ``button``, which opens a modal file dialog titled ``title`` (its own event
    loop: the path is typed from inside it, once the dialog shows), and save to ``path``."""
    typed: list[bool] = []
    poll = QTimer()
    poll.setInterval(20)

    def answer() -> None:
        if typed or ui.window_titled(title) is None:
            return
        typed.append(True)
        poll.stop()
        type_file_name(qtbot, title, path)

    poll.timeout.connect(answer)
    poll.start()
    try:
        click(qtbot, button)
        qtbot.waitUntil(lambda: bool(typed), timeout=WAIT)
    finally:
        poll.stop()
    wait_closed(qtbot, title)


def right_click_menu(qtbot, widget: QWidget, pos: QPoint) -> QMenu:
    """The menu a right click at ``pos`` opens (sent as the context-menu event it becomes)."""
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, widget.mapToGlobal(pos))
    QApplication.sendEvent(widget, event)

    def shown() -> QMenu | None:
        menus = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMenu)]
        return next((m for m in menus if m.isVisible()), None)

    qtbot.waitUntil(lambda: shown() is not None, timeout=WAIT)
    menu = shown()
    assert menu is not None
    return menu


def open_and_read(qtbot, window, leaks: Leaks, menu: str, action: str, title: str) -> None:
    """Open a window from the menu bar, search it, close it with Esc."""
    ui.menu_action(window, menu, action).trigger()
    opened = wait_window(qtbot, title)
    leaks.screen(f"{menu} ▸ {action}")
    activate(qtbot, opened)
    qtbot.keyClick(opened, Qt.Key.Key_Escape)
    wait_closed(qtbot, title)


def quit_window(qtbot, session) -> None:
    """Account ▸ Quit, as a user quits; then everything the app writes is on disk."""
    ui.menu_action(session.window, "Account", "Quit").trigger()
    qtbot.waitUntil(lambda: not session.window.isVisible(), timeout=WAIT)
    session.shutdown()


def key_field_image(qtbot, dialog: QWidget, key: str):
    """The API key field as it is painted holding ``key``, the focus moved away from it."""
    field = ui.by_label(dialog, "API key", QLineEdit)
    type_into(qtbot, field, key)
    qtbot.mouseClick(ui.by_label(dialog, "Account name", QLineEdit), LEFT)
    qtbot.waitUntil(lambda: not field.hasFocus())
    return field.grab().toImage()


# 1. adding the account: a near miss, then the right key ---------------------------------------
def test_a_near_miss_key_then_the_right_one_leave_neither_anywhere(
    qtbot, open_window, strict_api, keyring, private_home, tmp_path
):
    """The first-run dialog gets a key one character off (refused with a 401 that echoes it),
    then the right one. Neither is painted, said, logged, recorded or kept anywhere but the
    keychain, and the keychain holds exactly the right key."""
    leaks = Leaks(key=KEY, near_miss=NEAR_MISS)
    strict_api.echo_style = "escaped"
    with debug_log() as (secrets, setup):
        session = open_window()
        secrets.add_source(session.api.known_keys)
        window = session.window
        dialog = wait_window(qtbot, ACCOUNT_DIALOG)
        fill_account(qtbot, dialog, NAME, NEAR_MISS, strict_api.base_url)
        # A screenshot of the dialog shows nothing of the key: the field is painted the same
        # whichever of two keys of the same length it holds.
        assert len(KEY) == len(NEAR_MISS)
        painted = key_field_image(qtbot, dialog, NEAR_MISS)
        assert key_field_image(qtbot, dialog, KEY) == painted, "the key field paints the key"
        assert key_field_image(qtbot, dialog, NEAR_MISS) == painted
        result = save_and_wait(qtbot, dialog)
        assert "did not accept this API key" in result, result
        assert [r.status for r in strict_api.received("GET", "/me")] == [401]
        leaks.screen("the near miss refused")

        type_into(qtbot, ui.by_label(dialog, "API key", QLineEdit), KEY)
        result = save_and_wait(qtbot, dialog)
        assert "Company" in result, result
        leaks.screen("the right key accepted")
        click(qtbot, ui.button(dialog, "Done"))
        qtbot.waitUntil(lambda: writing_to(window).text() == WRITING_TO, timeout=WAIT)
        assert look_up(qtbot, window, "Phone", PHONE).startswith("Found")
        assert look_up(qtbot, window, "Phone", UNKNOWN_PHONE).startswith("No Attentive user")
        leaks.screen("after two lookups")
        exports = tmp_path / "exports"
        exports.mkdir()
        rows = history_everywhere(qtbot, window, leaks, "history", exports)
        assert any("[redacted]" in text for text in rows)  # the 401's echo, blanked
        quit_window(qtbot, session)
    log_text = setup.path.read_text(encoding="utf-8")
    assert "HTTP Request: GET" in log_text and "401" in log_text  # DEBUG, the refusal too
    assert keyring.keys == {(SERVICE, NAME): KEY}  # the keychain: the right key, only
    leaks.files(private_home, exports)

    # Started again: the key comes from the keychain; the window shows nothing of it.
    again = open_window().window
    qtbot.waitUntil(lambda: writing_to(again).text() == WRITING_TO, timeout=WAIT)
    assert ui.window_titled(ACCOUNT_DIALOG) is None
    assert look_up(qtbot, again, "Phone", PHONE).startswith("Found")
    leaks.screen("after a restart")
    assert leaks.looked > 100
    leaks.assert_none()


# 2. every kind of refusal, echoing the key -----------------------------------------------------
@pytest.mark.parametrize("style", STYLES)
def test_refusals_that_echo_the_key_leave_it_nowhere(
    qtbot, open_window, strict_api, private_home, tmp_path, style
):
    """Lookups refused with a lasting 500, a 429 burst and a 404; sends refused with 403, 400
    and 401, one whose answer repeats the header in its status line and headers and then
    drops the connection, a 500 burst, then a clean send: every answer repeats the key (in
    ``style``). Then every screen, the history's details and Copy as curl of every row, the
    exports, Show request, About, the DEBUG log and every file."""
    leaks = Leaks(key=KEY)
    exports = tmp_path / "exports"
    exports.mkdir()
    with debug_log() as (secrets, setup):
        session = open_window()
        secrets.add_source(session.api.known_keys)
        window = session.window
        first_run(qtbot, strict_api, name=NAME)
        strict_api.echo_style = style  # the server's own refusals (404 ...) repeat it too

        # Lookups.
        assert look_up(qtbot, window, "Phone", PHONE).startswith("Found")
        strict_api.echo_next("GET", ATTRIBUTES, ATTEMPTS, 500)
        said = look_up(qtbot, window, "Phone", PHONE)
        strict_api.clear_echoes()
        assert not said.startswith("Found"), said
        leaks.screen("a lookup refused by a lasting 500")
        strict_api.echo_next("GET", ATTRIBUTES, 2, 429)
        assert look_up(qtbot, window, "Phone", PHONE).startswith("Found")
        said = look_up(qtbot, window, "Phone", UNKNOWN_PHONE)
        assert said.startswith("No Attentive user"), said
        leaks.screen("a lookup of an unknown user")
        assert look_up(qtbot, window, "Phone", PHONE).startswith("Found")

        # Sends.
        for number, status in enumerate((403, 400, 401)):
            set_attribute(qtbot, window, "Favorite color", f"teal{number}")
            strict_api.echo_next("POST", ATTRIBUTES, 1, status)
            said = send_and_wait(qtbot, window)
            assert said.startswith("Not sent"), said
            leaks.screen(f"a send refused with {status}")
        strict_api.clear_echoes()
        set_attribute(qtbot, window, "Favorite color", "navy")
        strict_api.echo_then_drop_next("POST", ATTRIBUTES, 1)
        said = send_and_wait(qtbot, window)
        leaks.screen("a send whose answer was dropped")
        set_attribute(qtbot, window, "Favorite color", "olive")
        strict_api.echo_next("POST", ATTRIBUTES, 2, 500)
        said = send_and_wait(qtbot, window)
        assert said.startswith("Sent, then re-read"), said
        set_attribute(qtbot, window, "Newsletter", "weekly")
        assert send_and_wait(qtbot, window).startswith("Sent, then re-read")
        statuses = {r.status for r in strict_api.received()}
        assert {200, 400, 401, 403, 404, 429, 500} <= statuses, statuses
        leaks.screen("after the sends")

        # The history, the clipboard, the exports; the other windows the menus open.
        rows = history_everywhere(qtbot, window, leaks, "history", exports)
        assert len(rows) >= 15
        if style != "base64":  # the echoes did reach the app, which blanked them
            assert any("[redacted]" in text for text in rows)
        set_attribute(qtbot, window, "Favorite color", "plum")
        open_and_read(qtbot, window, leaks, "Actions", "Show request…", "Request to be sent")
        open_and_read(
            qtbot, window, leaks, "Help", "About Attentive Desktop", "About Attentive Desktop"
        )
        ui.menu_action(window, "Edit", "UI-created properties…").trigger()
        catalog = wait_window(qtbot, "UI-created properties")
        save_as(
            qtbot,
            ui.button(catalog, "Export…"),
            "Export UI-created properties",
            exports / "catalog.json",
        )
        qtbot.waitUntil(lambda: (exports / "catalog.json").exists(), timeout=WAIT)
        leaks.screen("UI-created properties exported")
        activate(qtbot, catalog)
        qtbot.keyClick(catalog, Qt.Key.Key_Escape)
        wait_closed(qtbot, "UI-created properties")
        quit_window(qtbot, session)
    log_text = setup.path.read_text(encoding="utf-8")
    assert "HTTP Request: POST" in log_text and "httpcore" in log_text
    leaks.files(private_home, exports)
    leaks.assert_none()


# 3. the key coming back in answers that succeed, or typed where it does not belong -------------
def test_a_lookup_answer_carrying_the_key_back_is_neither_shown_nor_kept(
    qtbot, open_window, strict_api, private_home, tmp_path
):
    """A server (a debugging proxy, a mock that echoes requests) answers lookups with 200 and
    lists the Authorization header it received as one more attribute. The history redacts it
    from the stored body; the attribute table, the send preview, the re-read after a send
    and every file must not show or keep it either."""
    leaks = Leaks(key=KEY)
    exports = tmp_path / "exports"
    exports.mkdir()
    with debug_log() as (secrets, _setup):
        session = open_window()
        secrets.add_source(session.api.known_keys)
        window = session.window
        first_run(qtbot, strict_api, name=NAME)
        strict_api.echo_in_lookups = True
        assert look_up(qtbot, window, "Phone", PHONE).startswith("Found")
        leaks.screen("a lookup whose answer repeats the key")
        set_attribute(qtbot, window, "Favorite color", "teal")
        assert send_and_wait(qtbot, window).startswith("Sent, then re-read")
        leaks.screen("the re-read after a send")
        history_everywhere(qtbot, window, leaks, "history", exports)
        quit_window(qtbot, session)
    leaks.files(private_home, exports)
    leaks.assert_none()


def test_the_key_pasted_into_an_attribute_value_by_mistake_is_refused_and_kept_in_no_file(
    qtbot, open_window, strict_api, private_home, tmp_path
):
    """Right after adding the account the key is still on the clipboard, and a user pastes it
    into an attribute's value by mistake. The Check column says so and Send stays off: the key
    would be stored on the customer's profile at Attentive. No file (the draft saved as the
    user types, the database and its -wal, the log) keeps it meanwhile, nor after quitting.
    (What the user typed is on their own screen: the screen is not searched here.)"""
    leaks = Leaks(key=KEY)
    with debug_log() as (secrets, _setup):
        session = open_window()
        secrets.add_source(session.api.known_keys)
        window = session.window
        first_run(qtbot, strict_api, name=NAME)
        assert look_up(qtbot, window, "Phone", PHONE).startswith("Found")
        set_attribute(qtbot, window, "Note", KEY)
        check = dict(ui.rows(attribute_table(window), "Name", "Check"))["Note"]
        assert "API key" in check and KEY not in check, check
        assert not ui.button(window, "Send").isEnabled()
        window.drafts.save_now()  # as the debounce would: the edit is a draft on disk now
        drained: list[object] = []
        window.drafts.background(lambda: "drained", drained.append)  # runs after the save
        qtbot.waitUntil(lambda: drained == ["drained"])
        leaks.files(private_home)  # while the app runs: the draft, the database and its -wal
        quit_window(qtbot, session)
    assert strict_api.received("POST") == []
    leaks.files(private_home)
    leaks.assert_none()


# 4. a bulk run --------------------------------------------------------------------------------
@pytest.mark.parametrize("style", ["escaped", "base64"])
def test_a_bulk_run_against_refusals_that_echo_the_key_leaves_it_nowhere(
    qtbot, open_window, strict_api, private_home, tmp_path, style
):
    """A bulk run with a key that may not write: every row refused with a 403 that repeats
    the key. The engine process is started without the key on its command line or in its
    environment (any local user's ``ps`` shows the first); the results table, the report, the
    history and every file hold nothing of it."""
    leaks = Leaks(key=READ_KEY)
    path, _bodies = customers(tmp_path / "customers.csv", 6)
    with debug_log() as (secrets, _setup):
        session = open_window()
        secrets.add_source(session.api.known_keys)
        window = session.window
        first_run(qtbot, strict_api, name="Read only", key=READ_KEY)
        strict_api.echo_style = style
        dialog = open_bulk(qtbot, window)
        choose_file(qtbot, dialog, path)
        strict_api.slow_down("POST", ATTRIBUTES, 1.0)
        start(qtbot, dialog)
        qtbot.waitUntil(lambda: bool(strict_api.in_flight("POST", ATTRIBUTES)), timeout=WAIT)
        engines = child_processes()
        strict_api.slow_down("POST", ATTRIBUTES, 0)
        assert any(BULK_ENGINE_WORD.encode() in command for _pid, command, _env in engines), (
            "no bulk engine process found"
        )
        for pid, command, environment in engines:
            leaks.output(f"process {pid}'s command line", command)
            leaks.output(f"process {pid}'s environment", environment)
        ended = wait_finished(qtbot, dialog)
        assert "attributes:write" in ended, ended  # the run stops at the first 403
        if style != "base64":  # the echo reached the app, which blanked it
            assert "[redacted]" in ended, ended
        qtbot.waitUntil(lambda: "Failed" in {row[2] for row in results(dialog)}, timeout=WAIT)
        leaks.screen("the bulk run's results")
        report = export_report(qtbot, dialog, tmp_path / "report.csv")
        assert "attributes:write" in report
        activate(qtbot, dialog)
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        wait_closed(qtbot, "Bulk update from CSV")
        table = history_table(window)
        qtbot.waitUntil(lambda: "403" in {s for (s,) in ui.rows(table, "Status")}, timeout=WAIT)
        for row, (status,) in enumerate(ui.rows(table, "Status")):
            if status == "403":
                leaks.text(f"history details of row {row}", select_history_row(qtbot, window, row))
        leaks.screen("the history after the run")
        quit_window(qtbot, session)
    leaks.files(private_home, tmp_path / "report.csv")
    leaks.assert_none()


# 5. removing an account -------------------------------------------------------------------------
def test_removing_an_account_takes_its_key_out_of_the_keychain_and_leaves_it_nowhere(
    qtbot, open_window, strict_api, keyring, private_home
):
    """Two accounts; the one in use is removed (Account ▸ Remove this account…, confirmed).
    Its key leaves the keychain, the other stays, and after a restart nothing anywhere holds
    the removed key."""
    leaks = Leaks(removed=READ_KEY)
    with debug_log() as (secrets, _setup):
        session = open_window()
        secrets.add_source(session.api.known_keys)
        window = session.window
        first_run(qtbot, strict_api, name=NAME)
        click(qtbot, ui.button(window, "Add account"))
        dialog = wait_window(qtbot, ACCOUNT_DIALOG)
        fill_account(qtbot, dialog, "Read only", READ_KEY, strict_api.base_url)
        assert "Company" in save_and_wait(qtbot, dialog)
        click(qtbot, ui.button(dialog, "Done"))
        wait_closed(qtbot, ACCOUNT_DIALOG)
        assert keyring.keys == {(SERVICE, NAME): KEY, (SERVICE, "Read only"): READ_KEY}
        qtbot.waitUntil(lambda: writing_to(window).text() == WRITING_TO, timeout=WAIT)
        assert look_up(qtbot, window, "Phone", PHONE).startswith("Found")
        ui.menu_action(window, "Account", "Remove this account…").trigger()
        qtbot.waitUntil(lambda: len(ui.windows()) > 1, timeout=WAIT)
        box = next(w for w in ui.windows() if w is not window)
        leaks.screen("asked to remove the account")
        click(qtbot, ui.button(box, re.compile("Remove.*|Delete.*")))
        qtbot.waitUntil(lambda: (SERVICE, "Read only") not in keyring.keys, timeout=WAIT)
        leaks.screen("the account removed")
        quit_window(qtbot, session)
    assert keyring.keys == {(SERVICE, NAME): KEY}
    leaks.files(private_home)
    again = open_window().window
    qtbot.waitUntil(lambda: writing_to(again).text() == WRITING_TO, timeout=WAIT)
    assert not any(item.startswith("Read only") for item in switcher_items(again))
    leaks.screen("after a restart")
    leaks.assert_none()


# 6. no keychain at all ------------------------------------------------------------------------
@pytest.mark.parametrize("keyring", [NoKeychain], indirect=True, ids=["no-keychain"])
def test_without_a_keychain_the_key_lasts_until_quit_and_is_written_nowhere(
    qtbot, open_window, strict_api, keyring, private_home
):
    """No keychain backend: the dialog says the key lasts until quit; after a lookup and a
    send, quit. No file holds the key, and the next start asks for it again: the key field
    is empty, nothing brought it back."""
    leaks = Leaks(key=KEY)
    with debug_log() as (secrets, _setup):
        session = open_window()
        secrets.add_source(session.api.known_keys)
        window = session.window
        dialog = wait_window(qtbot, ACCOUNT_DIALOG)
        qtbot.waitUntil(lambda: "until you quit" in ui.label_containing(dialog, "Paste").text())
        fill_account(qtbot, dialog, NAME, KEY, strict_api.base_url)
        result = save_and_wait(qtbot, dialog)
        assert "session only" in result, result
        click(qtbot, ui.button(dialog, "Done"))
        wait_closed(qtbot, ACCOUNT_DIALOG)
        qtbot.waitUntil(lambda: writing_to(window).text() == WRITING_TO, timeout=WAIT)
        assert look_up(qtbot, window, "Phone", PHONE).startswith("Found")
        set_attribute(qtbot, window, "Favorite color", "teal")
        assert send_and_wait(qtbot, window).startswith("Sent, then re-read")
        leaks.screen("a session without a keychain")
        quit_window(qtbot, session)
    leaks.files(private_home)

    again = open_window().window
    dialog = wait_window(qtbot, ACCOUNT_DIALOG)
    assert ui.by_label(dialog, "Account name", QLineEdit).text() == NAME
    key_field = ui.by_label(dialog, "API key", QLineEdit)
    assert key_field.text() == "", "the key came back from somewhere"
    leaks.screen("asked for the key again")
    click(qtbot, ui.button(dialog, "Cancel"))
    wait_closed(qtbot, ACCOUNT_DIALOG)
    assert again.isVisible()
    leaks.assert_none()


# 7. a keychain that quotes the key in its refusal -------------------------------------------
class QuotingKeyring(FakeKeyring):
    """A keychain that refuses the first save with an error quoting what it was given."""

    def __init__(self) -> None:
        super().__init__()
        self.refusals = 1

    def set_password(self, service: str, username: str, password: str) -> None:
        if self.refusals:
            self.refusals -= 1
            raise RuntimeError(f"refused to store {password!r} for {username} in {service}")
        super().set_password(service, username, password)


@pytest.mark.parametrize("keyring", [QuotingKeyring], indirect=True, ids=["quoting-keychain"])
def test_a_keychain_refusal_that_quotes_the_key_never_shows_it(
    qtbot, open_window, strict_api, keyring, private_home
):
    leaks = Leaks(key=KEY)
    with debug_log() as (secrets, _setup):
        session = open_window()
        secrets.add_source(session.api.known_keys)
        dialog = wait_window(qtbot, ACCOUNT_DIALOG)
        fill_account(qtbot, dialog, NAME, KEY, strict_api.base_url)
        result = save_and_wait(qtbot, dialog)
        assert "keychain" in result.lower(), result
        leaks.screen("the keychain refused")
        result = save_and_wait(qtbot, dialog)
        assert "Company" in result, result
        click(qtbot, ui.button(dialog, "Done"))
        wait_closed(qtbot, ACCOUNT_DIALOG)
        qtbot.waitUntil(lambda: writing_to(session.window).text() == WRITING_TO, timeout=WAIT)
        leaks.screen("saved at the second try")
        quit_window(qtbot, session)
    assert keyring.keys == {(SERVICE, NAME): KEY}
    leaks.files(private_home)
    leaks.assert_none()


# 8. an unexpected error with the key in hand ---------------------------------------------------
def test_an_unexpected_error_holding_the_key_is_logged_scrubbed_and_told_plainly(
    qtbot, open_window, strict_api, keyring, private_home, capfd
):
    """A bug in a slot (the error hooks installed as run_gui installs them) raises while the
    key is in a local variable and in its message: the status bar says one plain sentence,
    stderr says nothing of the key, and the log's traceback is scrubbed."""
    leaks = Leaks(key=KEY)
    with debug_log() as (secrets, setup):
        session = open_window()
        secrets.add_source(session.api.known_keys)
        window = session.window
        restore = install_error_hooks(lambda text: window.show_message(text, "error"))

        def buggy_slot(name: str) -> None:
            api_key = keyring.get_password(SERVICE, name)
            header = f"Bearer {api_key}"
            raise RuntimeError(f"could not use {header!r} for {name}")

        window.accountChanged.connect(buggy_slot)
        try:
            first_run(qtbot, strict_api, name=NAME)
            qtbot.waitUntil(lambda: status_bar(window) == UNEXPECTED_ERROR_TEXT, timeout=WAIT)
        finally:
            window.accountChanged.disconnect(buggy_slot)
            restore()
        leaks.screen("after the unexpected error")
        quit_window(qtbot, session)
    log_text = setup.path.read_text(encoding="utf-8")
    assert "Unexpected error in the window" in log_text and "buggy_slot" in log_text
    out, err = capfd.readouterr()
    assert "unexpected error" in err
    leaks.output("stdout", out.encode())
    leaks.output("stderr", err.encode())
    leaks.files(private_home)
    leaks.assert_none()


CRASH = """
import faulthandler, sys
from pathlib import Path
from attentive_desktop.crash_trace import enable_crash_traces

enable_crash_traces(Path(sys.argv[1]))
api_key = sys.stdin.readline().strip()

def send_with(api_key, headers):
    faulthandler._sigsegv()  # a crash inside Qt, with the key in hand

send_with(api_key, {"Authorization": "Bearer " + api_key})
"""


def test_a_hard_crash_with_the_key_in_hand_leaves_it_out_of_the_crash_trace(tmp_path):
    logs = tmp_path / "logs"
    result = subprocess.run(
        [sys.executable, "-c", CRASH, str(logs)],
        input=(KEY + "\n").encode(),
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    trace = (logs / "crash.log").read_text(encoding="utf-8")
    assert "send_with" in trace  # the frame is there; its variables are not
    leaks = Leaks(key=KEY)
    leaks.files(logs)
    leaks.output("the crashed process's stderr", result.stderr)
    leaks.assert_none()


# 9. the command line --------------------------------------------------------------------------
@pytest.mark.parametrize("style", ["escaped", "base64"])
def test_the_command_line_with_ATTENTIVE_API_KEY_leaves_it_nowhere(
    strict_api, private_home, tmp_path, style
):
    """``attentive-desktop get|set|bulk`` with the key in ATTENTIVE_API_KEY and --log-level
    DEBUG (the log goes to stderr too): a lookup, a lookup refused by a lasting 500, a set
    refused with 403, a --json set with a near-miss key (401), a bulk run refused row by row
    with its report, and a malformed key. The output, the report and every file are clean."""
    malformed = KEY.replace("/", " /")
    leaks = Leaks(key=KEY, read_key=READ_KEY, near_miss=NEAR_MISS, malformed=malformed)
    strict_api.echo_style = style
    bulk_file, _bodies = customers(tmp_path / "customers.csv", 3)
    report = tmp_path / "report.csv"
    common = ["--base-url", strict_api.base_url, "--log-level", "DEBUG"]
    runs = [
        ("get", KEY, ["get", "--phone", PHONE], 0),
        ("get refused by a 500", KEY, ["get", "--phone", PHONE, "--json"], None),
        ("set refused with 403", READ_KEY, ["set", "--phone", PHONE, "Tier=gold"], None),
        ("set --json, 401", NEAR_MISS, ["set", "--phone", PHONE, "Tier=gold", "--json"], None),
        ("bulk", READ_KEY, ["bulk", str(bulk_file), "--report", str(report)], None),
        ("malformed key", malformed, ["get", "--phone", PHONE], None),
    ]
    debug_lines = 0
    blanked = 0
    for name, key, argv, expected in runs:
        if name == "get refused by a 500":
            strict_api.echo_next("GET", ATTRIBUTES, ATTEMPTS, 500)
        env = {**os.environ, "ATTENTIVE_API_KEY": key, "PYTHONPATH": str(ROOT)}
        result = subprocess.run(
            [sys.executable, "-m", "attentive_desktop", *argv, *common],
            capture_output=True,
            env=env,
            cwd=tmp_path,
            timeout=120,
            check=False,
        )
        strict_api.clear_echoes()
        if expected is None:
            assert result.returncode != 0, f"{name}: {result.stdout!r}"
        else:
            assert result.returncode == expected, f"{name}: {result.stderr.decode()}"
        debug_lines += result.stderr.count(b"HTTP Request:")
        blanked += (result.stdout + result.stderr).count(b"[redacted]")
        leaks.output(f"{name}: stdout", result.stdout)
        leaks.output(f"{name}: stderr", result.stderr)
    statuses = [r.status for r in strict_api.received()]
    assert {200, 401, 403, 500} <= set(statuses), statuses
    assert debug_lines >= 4  # DEBUG output reached stderr (and the log), to be searched
    if style != "base64":
        assert blanked  # the echoes reached the command line, which blanked them
    assert "attributes:write" in report.read_text(encoding="utf-8-sig")
    leaks.files(private_home, report)
    leaks.assert_none()
