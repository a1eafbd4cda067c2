"""The main journey as a reviewer drives it: against an independent strict implementation of
the API (strict_api.py, written from DESIGN.md only), finding every widget by what a user or
a screen reader sees (ui.py): label texts and their buddies, button and menu texts, window
and pane titles, accessible names and table headers.

Only the entry point is code: ``build_window`` on this test's ATTENTIVE_DESKTOP_HOME with a
fake keychain (fixtures in conftest.py). The strict server is reached through the Add account
dialog's own fields. The steps a user takes are in journey.py, shared with
test_strict_failures.py.
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPlainTextEdit

from tests.strict import ui
from tests.strict.journey import (
    ACCOUNT_DIALOG,
    LEFT,
    OFFSCREEN_POPUP_WARNINGS,
    PREVIEW,
    WAIT,
    WRITING_TO,
    add_account,
    assert_plain,
    attribute_table,
    check_result,
    click,
    confirm_send,
    first_run,
    history_rows,
    history_table,
    look_up,
    send_result,
    send_with_keyboard,
    set_attribute,
    type_into,
    visible_texts,
    writing_to,
)

pytestmark = OFFSCREEN_POPUP_WARNINGS


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
