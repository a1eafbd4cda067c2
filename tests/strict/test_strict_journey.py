"""The main journey as a reviewer drives it: against an independent strict implementation of
the API (strict_api.py, written from DESIGN.md only), finding every widget by what a user or
a screen reader sees (ui.py): label texts and their buddies, button and menu texts, window
and pane titles, accessible names and table headers.

Only the entry point is code: ``build_window`` on this test's ATTENTIVE_DESKTOP_HOME with a
fake keychain. The strict server is reached through the Add account dialog's own fields.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTableView,
    QWidget,
)

from attentive_desktop.app import Session, build_window
from attentive_desktop.store.paths import AppPaths
from attentive_desktop.store.secrets import SecretStore
from tests.fakes import FakeKeyring
from tests.strict import ui
from tests.strict.strict_api import ME, StrictApi

COMPANY = ME["companyName"]
DOMAIN = ME["attentiveDomainName"]
WRITING_TO = f"Writing to: {COMPANY} ({DOMAIN})"
ACCOUNT_DIALOG = "Add an Attentive account"
PREVIEW = "Review changes before sending"
WARNINGS = "Send with warnings?"
LEFT = Qt.MouseButton.LeftButton
CTRL = Qt.KeyboardModifier.ControlModifier
WAIT = 10_000
TRACE_MARKERS = ("Traceback", 'File "', "Error:", "Exception", "{", "}")

# Typing a known attribute name pops up the name completer; the offscreen platform cannot
# raise that popup or let it grab the keyboard, and says so (a real screen can).
pytestmark = pytest.mark.qt_log_ignore(
    "This plugin does not support raise", "This plugin does not support grabbing the keyboard"
)


# fixtures ----------------------------------------------------------------------------------
@pytest.fixture
def strict_api() -> Iterator[StrictApi]:
    with StrictApi() as api:
        yield api


@pytest.fixture
def keyring() -> FakeKeyring:
    """One keychain for the whole test, so a restart finds the key saved before it."""
    return FakeKeyring()


@pytest.fixture
def open_window(qtbot, keyring, strict_api) -> Iterator[Callable[[], Session]]:
    """The entry point: the real window built by the composition root, shown. Closed (and the
    strict server stopped, by its own fixture) afterwards."""
    sessions: list[Session] = []

    def open_() -> Session:
        session = build_window(AppPaths.from_environment(), SecretStore(keyring_backend=keyring))
        sessions.append(session)
        qtbot.addWidget(session.window)
        session.window.show()
        qtbot.waitExposed(session.window)
        qtbot.waitUntil(lambda: session.window.is_ready, timeout=WAIT)
        return session

    yield open_
    for window in ui.windows():  # dialogs left open by a failing test
        if window not in [s.window for s in sessions]:
            window.close()
    for session in sessions:
        session.window.close()
        session.shutdown()


# steps a user takes ------------------------------------------------------------------------
def activate(qtbot, window: QWidget) -> None:
    """Bring ``window`` to the front so its keyboard shortcuts reach it."""
    if not window.isActiveWindow():
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)


def wait_window(qtbot, title: str) -> QWidget:
    """Wait for a window with this title to be on screen; returns it."""
    qtbot.waitUntil(lambda: ui.window_titled(title) is not None, timeout=WAIT)
    found = ui.window_titled(title)
    assert found is not None
    return found


def click(qtbot, widget: QAbstractButton) -> None:
    """Click a button (its window comes to the front first, as a real click brings it)."""
    assert widget.isEnabled(), f"{widget.text()!r} is disabled"
    activate(qtbot, widget.window())
    # A button shown a moment ago has no size until its layout runs: nothing to click yet.
    qtbot.waitUntil(lambda: not widget.rect().isEmpty())
    qtbot.mouseClick(widget, LEFT)


def type_into(qtbot, field: QLineEdit, text: str) -> None:
    """Click into a field, select what it holds and type over it."""
    activate(qtbot, field.window())
    qtbot.mouseClick(field, LEFT)
    qtbot.keyClick(field, Qt.Key.Key_A, CTRL)
    if field.text():
        qtbot.keyClick(field, Qt.Key.Key_Delete)
    qtbot.keyClicks(field, text)


def press(qtbot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier):
    """A key press where the keyboard focus is, as a real keyboard sends it."""
    target = QApplication.focusWidget()
    assert target is not None, "nothing has the keyboard focus"
    qtbot.keyClick(target, key, modifier)


def add_account(qtbot, api: StrictApi, name: str, key: str) -> QWidget:
    """Fill in the Add account dialog (pointing it at the strict server) and press Save."""
    dialog = wait_window(qtbot, ACCOUNT_DIALOG)
    type_into(qtbot, ui.by_label(dialog, "Account name", QLineEdit), name)
    key_field = ui.by_label(dialog, "API key", QLineEdit)
    type_into(qtbot, key_field, key)
    assert key_field.echoMode() == QLineEdit.EchoMode.Password  # never shown on screen
    click(qtbot, ui.button(dialog, "Advanced: use another server"))
    type_into(qtbot, ui.by_label(dialog, "Base URL", QLineEdit), api.base_url)
    click(qtbot, ui.button(dialog, "Save"))
    return dialog


def check_result(dialog: QWidget) -> str:
    return ui.by_accessible_name(dialog, QLabel, "Account check result").text()


def first_run(qtbot, api: StrictApi, name: str = "Strict test", key: str | None = None) -> None:
    """The first-run dialog: account added, company and domain shown, Done."""
    dialog = add_account(qtbot, api, name, key or api.write_key)
    qtbot.waitUntil(lambda: "Company" in check_result(dialog), timeout=WAIT)
    result = check_result(dialog)
    assert COMPANY in result and DOMAIN in result
    click(qtbot, ui.button(dialog, "Done"))
    qtbot.waitUntil(lambda: ui.window_titled(ACCOUNT_DIALOG) is None)


def writing_to(window: QWidget) -> QLabel:
    return ui.label_containing(window, "Writing to:")


def attribute_table(window: QWidget) -> QTableView:
    return ui.by_accessible_name(window, QTableView, "Attributes to send")


def lookup_result(window: QWidget) -> str:
    status = ui.by_accessible_name(window, QLabel, "Lookup result")
    return status.text()


def look_up(qtbot, window: QWidget, field: str, typed: str, *, with_enter: bool = True) -> str:
    """Type an identifier into the field labelled ``field`` and look up (Enter or the button).
    Returns the lookup's result line once it is in."""
    for other in ("Phone", "Email"):
        edit = ui.by_label(window, other, QLineEdit)
        if other != field and edit.text():
            type_into(qtbot, edit, "")
    edit = ui.by_label(window, field, QLineEdit)
    type_into(qtbot, edit, typed)
    if with_enter:
        qtbot.keyClick(edit, Qt.Key.Key_Return)
    else:
        click(qtbot, ui.button(window, "Look up"))
    qtbot.waitUntil(lambda: ui.button(window, re.compile("Look up|Looking up…")).isEnabled())
    qtbot.waitUntil(lambda: not lookup_result(window).startswith("Looking up"), timeout=WAIT)
    return lookup_result(window)


def edit_cell(qtbot, table: QTableView, row: int, header: str, text: str) -> None:
    """Select a cell with the mouse, F2 to edit it, type over it, Enter."""
    index = ui.cell(table, row, header)
    table.scrollTo(index)
    qtbot.mouseClick(table.viewport(), LEFT, pos=table.visualRect(index).center())
    qtbot.keyClick(table, Qt.Key.Key_F2)
    poll = ui.focused(QLineEdit, f"Attribute {header.lower()}")
    qtbot.waitUntil(lambda: poll() is not None)
    editor = poll()
    qtbot.keyClick(editor, Qt.Key.Key_A, CTRL)
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: table.state() != QTableView.State.EditingState)
    assert ui.rows(table, header)[row] == (text,)


def set_attribute(qtbot, window: QWidget, name: str, value: str, *, shortcut: bool = False):
    """Give attribute ``name`` the value ``value`` by the keyboard: on its row when the
    table has one, else on a new row ("Add row", or Ctrl+N with ``shortcut``)."""
    table = attribute_table(window)
    existing = ui.row_where(table, "Name", name)
    if existing is not None:
        edit_cell(qtbot, table, existing, "Value", value)
        return
    if shortcut:
        activate(qtbot, window)
        press(qtbot, Qt.Key.Key_N, CTRL)
    else:
        click(qtbot, ui.button(window, "Add row"))
    name_poll = ui.focused(QLineEdit, "Attribute name")
    qtbot.waitUntil(lambda: name_poll() is not None)
    name_editor = name_poll()
    qtbot.keyClicks(name_editor, name)
    qtbot.keyClick(name_editor, Qt.Key.Key_Tab)  # to the Value cell, editing it
    value_poll = ui.focused(QLineEdit, "Attribute value")
    qtbot.waitUntil(lambda: value_poll() is not None)
    value_editor = value_poll()
    qtbot.keyClicks(value_editor, value)
    qtbot.keyClick(value_editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: table.state() != QTableView.State.EditingState)
    assert ui.row_where(table, "Name", name) is not None


def send_with_keyboard(qtbot, window: QWidget) -> None:
    activate(qtbot, window)
    press(qtbot, Qt.Key.Key_Return, CTRL)


def confirm_send(qtbot) -> list[tuple[str, ...]]:
    """Confirm what Send shows first (warnings, then the preview) by its button texts.
    Returns the preview's rows (Property, Current, New)."""
    qtbot.waitUntil(
        lambda: ui.window_titled(PREVIEW) is not None or ui.window_titled(WARNINGS) is not None,
        timeout=WAIT,
    )
    box = ui.window_titled(WARNINGS)
    if box is not None:
        click(qtbot, ui.button(box, "Send anyway"))
    preview = wait_window(qtbot, PREVIEW)
    table = ui.by_accessible_name(preview, QTableView, "Changes to send")
    shown = ui.rows(table, "Property", "Current", "New")
    click(qtbot, ui.button(preview, re.compile(r"Send \d+ values?")))
    qtbot.waitUntil(lambda: ui.window_titled(PREVIEW) is None)
    return shown


def send_result(window: QWidget) -> str:
    return ui.by_accessible_name(window, QLabel, "Send result").text()


def history_table(window) -> QTableView:
    pane = ui.dock(window, "Request history")
    return ui.by_accessible_name(pane, QTableView, "History")


def history_rows(window) -> list[tuple[str, ...]]:
    return ui.rows(history_table(window), "Method", "Endpoint", "Status")


def visible_texts(window: QWidget) -> list[str]:
    return [label.text() for label in window.findChildren(QLabel) if label.isVisible()]


def assert_plain(text: str, *secrets: str) -> None:
    """A sentence for a person: no traceback, no raw JSON, no key."""
    assert text.strip(), "nothing was said"
    for marker in TRACE_MARKERS:
        assert marker not in text, f"{marker!r} in {text!r}"
    for secret in secrets:
        assert secret not in text


# the journey -------------------------------------------------------------------------------
def test_first_run_lookup_edit_send_history_and_restart(qtbot, open_window, strict_api):
    session = open_window()
    window = session.window

    # First run: the account dialog; the key is checked with GET /me and saved.
    first_run(qtbot, strict_api)
    qtbot.waitUntil(lambda: writing_to(window).text() == WRITING_TO, timeout=WAIT)
    me = strict_api.received("GET", "/me")
    assert me and me[0].header("Authorization") == f"Bearer {strict_api.write_key}"

    # "Writing to" sits beside Send, on the same line, left of it.
    target, send = writing_to(window), ui.button(window, "Send")
    assert target.accessibleName() == WRITING_TO
    top_left = target.mapTo(window, target.rect().topLeft())
    send_left = send.mapTo(window, send.rect().topLeft())
    assert top_left.x() < send_left.x()
    assert abs(target.mapTo(window, target.rect().center()).y() - send_left.y()) < send.height()

    # Look up by phone, typed loosely, with Enter: the phone goes out as %2B E.164.
    result = look_up(qtbot, window, "Phone", "(415) 555-0100")
    assert result.startswith("Found"), result
    assert "+14155550100" in result
    lookups = strict_api.received("GET", "/attributes/custom")
    assert [r.raw_query for r in lookups] == ["phone=%2B14155550100"]
    assert lookups[0].status == 200

    # Then by email, with the Look up button.
    result = look_up(qtbot, window, "Email", "lin@example.org", with_enter=False)
    assert result.startswith("Found"), result
    last = strict_api.received("GET", "/attributes/custom")[-1]
    assert last.raw_query in ("email=lin%40example.org", "email=lin@example.org")

    # Edit by the keyboard: change a value and add a new attribute.
    set_attribute(qtbot, window, "Favorite color", "teal")
    set_attribute(qtbot, window, "Newsletter", "daily", shortcut=True)
    set_attribute(qtbot, window, "Newsletter", "weekly")  # its row now: F2 and type over
    table = attribute_table(window)
    rows = dict((n, (v, c)) for n, v, c in ui.rows(table, "Name", "Value", "Current"))
    assert rows["Favorite color"] == ("teal", "green")  # the current value shows beside it
    assert rows["Newsletter"] == ("weekly", "—")
    assert ui.button(window, "Send").isEnabled()

    # Ctrl+Return, confirm the preview by its button: exactly the changes are posted.
    send_with_keyboard(qtbot, window)
    preview = confirm_send(qtbot)
    assert ("Favorite color", "green", "teal") in preview
    assert ("Newsletter", "—", "weekly") in preview
    qtbot.waitUntil(lambda: send_result(window).startswith("Sent, then re-read"), timeout=WAIT)
    posts = strict_api.received("POST", "/attributes/custom")
    assert len(posts) == 1
    post = posts[0]
    assert post.status == 200
    assert post.header("Content-Type").split(";")[0] == "application/json"
    assert post.header("Authorization") == f"Bearer {strict_api.write_key}"
    assert post.json() == {
        "properties": {"Favorite color": "teal", "Newsletter": "weekly"},
        "user": {"email": "lin@example.org"},
    }
    assert strict_api.attributes_of(email="lin@example.org")["Newsletter"] == "weekly"
    documented = [r for r in strict_api.received() if r.path in ("/v1/me", "/v1/attributes/custom")]
    assert [r.status for r in documented if r.status != 200] == []  # strict, yet all accepted
    rows = dict((n, c) for n, c in ui.rows(table, "Name", "Check"))
    assert rows["Favorite color"].startswith("Verified"), rows
    assert rows["Newsletter"].startswith("Verified"), rows

    # The history pane shows the POST with its 200, and its body without the key.
    qtbot.waitUntil(
        lambda: ("POST", "/attributes/custom", "200") in history_rows(window), timeout=WAIT
    )
    history = history_table(window)
    row = history_rows(window).index(("POST", "/attributes/custom", "200"))
    index = ui.cell(history, row, "Method")
    history.scrollTo(index)
    qtbot.mouseClick(history.viewport(), LEFT, pos=history.visualRect(index).center())
    details = ui.by_accessible_name(ui.dock(window, "Request history"), QPlainTextEdit,
                                    "Request and response")  # fmt: skip
    qtbot.waitUntil(lambda: '"Newsletter": "weekly"' in details.toPlainText())
    assert strict_api.write_key not in details.toPlainText()

    # Restart on the same home: the account, its key and the history are back.
    ui.menu_action(window, "Account", "Quit").trigger()  # as a user quits
    qtbot.waitUntil(lambda: not window.isVisible())
    session.shutdown()
    again = open_window().window
    qtbot.waitUntil(lambda: writing_to(again).text() == WRITING_TO, timeout=WAIT)
    switcher = ui.by_label(again, "Account", QComboBox)
    assert switcher.currentText().startswith("Strict test")
    assert ui.window_titled(ACCOUNT_DIALOG) is None  # not asked again
    qtbot.waitUntil(
        lambda: ("POST", "/attributes/custom", "200") in history_rows(again), timeout=WAIT
    )
    # The key came back from the keychain: a lookup works without asking for it.
    assert look_up(qtbot, again, "Phone", "+1 415 555 0100").startswith("Found")


def test_lookup_lists_the_users_current_attributes_in_the_table(qtbot, open_window, strict_api):
    """After a lookup the user can see the attributes the user has, with their values:
    "Look up fills the Current column with the user's custom attributes" (README)."""
    window = open_window().window
    first_run(qtbot, strict_api)
    result = look_up(qtbot, window, "Phone", "(415) 555-0100")
    assert result.startswith("Found") and "3 attributes" in result
    shown = ui.rows(attribute_table(window), "Name", "Current")
    assert ("Favorite color", "blue") in shown, f"the table shows {shown}"
    assert ("age", "36") in shown and ("VIP", "true") in shown


def test_a_successful_lookup_is_never_contradicted_on_screen(qtbot, open_window, strict_api):
    """Nothing visible after a successful lookup may say the user was not found."""
    window = open_window().window
    first_run(qtbot, strict_api)
    assert look_up(qtbot, window, "Phone", "(415) 555-0100").startswith("Found")
    # What the lookup started (the subscriptions panel's read) has finished.
    qtbot.waitUntil(lambda: not any(t.startswith("Loading") for t in visible_texts(window)))
    qtbot.waitUntil(lambda: all(r.status for r in strict_api.received()))
    for text in visible_texts(window):
        lowered = text.lower()
        assert "no user" not in lowered and "not found" not in lowered, text


def test_the_history_filter_is_named_by_its_visible_label(qtbot, open_window, strict_api):
    """The history pane's "Filter:" label names the field beside it (its buddy), so a screen
    reader announces the field by it and the label finds the field."""
    window = open_window().window
    first_run(qtbot, strict_api)
    pane = ui.dock(window, "Request history")
    field = ui.by_accessible_name(pane, QLineEdit, "Filter history")  # found by its name
    assert ui.by_label(pane, "Filter", QLineEdit) is field


def test_wrong_key_keeps_the_dialog_open_with_a_plain_message(
    qtbot, open_window, strict_api, keyring
):
    open_window()
    dialog = add_account(qtbot, strict_api, "Strict test", "not-the-right-key-123")
    qtbot.waitUntil(lambda: ui.button(dialog, "Save").isEnabled(), timeout=WAIT)
    qtbot.waitUntil(lambda: check_result(dialog) != "", timeout=WAIT)
    message = check_result(dialog)
    assert "did not accept this API key" in message
    assert_plain(message, "not-the-right-key-123")
    assert "401" not in message
    assert dialog.isVisible()
    assert keyring.keys == {}
    assert [r.status for r in strict_api.received("GET", "/me")] == [401]
    click(qtbot, ui.button(dialog, "Cancel"))
    qtbot.waitUntil(lambda: ui.window_titled(ACCOUNT_DIALOG) is None)


def test_403_on_send_reads_as_a_plain_sentence(qtbot, open_window, strict_api):
    window = open_window().window
    first_run(qtbot, strict_api, name="Read only", key=strict_api.read_key)
    assert look_up(qtbot, window, "Phone", "(415) 555-0100").startswith("Found")
    set_attribute(qtbot, window, "Favorite color", "red")
    send_with_keyboard(qtbot, window)
    confirm_send(qtbot)
    qtbot.waitUntil(lambda: send_result(window).startswith("Not sent."), timeout=WAIT)
    message = send_result(window)
    assert "attributes:write" in message
    assert_plain(message, strict_api.read_key)
    assert [r.status for r in strict_api.received("POST")] == [403]
    assert strict_api.attributes_of(phone="+14155550100")["Favorite color"] == "blue"
    assert ui.button(window, "Send").isEnabled()  # the edit stays, to send with another key


def test_404_on_lookup_reads_friendly(qtbot, open_window, strict_api):
    window = open_window().window
    first_run(qtbot, strict_api)
    result = look_up(qtbot, window, "Phone", "(415) 555-0199")
    assert [r.status for r in strict_api.received("GET", "/attributes/custom")] == [404]
    assert "No Attentive user has this phone number" in result
    assert "+14155550199" in result
    assert "404" not in result
    assert_plain(result, strict_api.write_key)


def test_array_value_is_blocked_before_sending(qtbot, open_window, strict_api):
    window = open_window().window
    first_run(qtbot, strict_api)
    type_into(qtbot, ui.by_label(window, "Phone", QLineEdit), "(415) 555-0100")
    set_attribute(qtbot, window, "Sizes", '["S", "M"]')
    check = dict(ui.rows(attribute_table(window), "Name", "Check"))["Sizes"]
    assert "list" in check.lower() or "array" in check.lower(), check
    assert not ui.button(window, "Send").isEnabled()
    summary = ui.by_accessible_name(window, QLabel, "Check summary").text()
    assert summary.startswith("Fix before sending")
    send_with_keyboard(qtbot, window)  # Ctrl+Return is refused too
    qtbot.waitUntil(lambda: send_result(window) != "")
    assert ui.window_titled(PREVIEW) is None
    assert strict_api.received("POST") == []
