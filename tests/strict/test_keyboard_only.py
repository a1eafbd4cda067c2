"""A keyboard-only audit of the main journey: first run, lookup, editing, the preview, Send,
the history and cancelling, driven by key presses alone where the focus is (Tab, Shift+Tab,
arrows, Enter, Space, Esc, F2, Alt+mnemonics and the README's shortcuts). Nothing is clicked
and no widget method is called to act; assertions only read what is on screen (texts, the
focus, the strict server's records).

Each test asserts what a keyboard user needs; where a docstring names what the app once did
instead, that is the bug the test was written against.

The offscreen platform has no window manager: a closed dialog leaves no window active, where
a real desktop gives the keyboard back to the window under it. ``activate`` brings the main
window to the front as the window manager would; where the focus lands inside the window is
the app's own doing (the widget that had it last).
"""

from __future__ import annotations

import re

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTableView,
    QWidget,
)

from tests.strict import ui
from tests.strict.journey import (
    ACCOUNT_DIALOG,
    ALT,
    COMPANY,
    CTRL,
    DOMAIN,
    OFFSCREEN_POPUP_WARNINGS,
    PREVIEW,
    SHIFT,
    WAIT,
    WRITING_TO,
    activate,
    arrow_to,
    attribute_table,
    check_result,
    compact,
    first_run_by_keyboard,
    focus_name,
    history_rows,
    history_table,
    lookup_result,
    press,
    retype,
    send_result,
    tab_to,
    tab_walk,
    type_keys,
    wait_closed,
    wait_editing_done,
    wait_window,
    writing_to,
)

pytestmark = OFFSCREEN_POPUP_WARNINGS

ATTRIBUTES = "/attributes/custom"
PHONE_TYPED = "(415) 555-0100"
PHONE = "+14155550100"
HELD = 60.0  # a request the server holds until the test ends (stopping it releases them)
REQUEST = "Request to be sent"
BULK = "Bulk update from CSV"
CATALOG = "UI-created properties"
PREFERENCES = "Preferences"
SEND_N = re.compile(r"Send \d+ values?")
KEY = Qt.Key


# steps by the keyboard -----------------------------------------------------------------------
def look_up_phone(qtbot, window: QWidget, typed: str = PHONE_TYPED) -> str:
    """Alt+P (the Phone label's mnemonic), type the number over what is there, Enter."""
    press(qtbot, KEY.Key_P, ALT)
    assert focus_name() == "Phone", f"Alt+P put the focus on {focus_name()}"
    retype(qtbot, typed)
    press(qtbot, KEY.Key_Return)
    qtbot.waitUntil(lambda: not lookup_result(window).startswith("Looking up"), timeout=WAIT)
    return lookup_result(window)


def new_row(qtbot, window: QWidget, name: str, value: str, *, commit: bool = True) -> None:
    """Ctrl+N, type the name, Tab to the value, type it; Enter unless ``commit`` is False
    (the value is then still in its cell editor)."""
    press(qtbot, KEY.Key_N, CTRL)
    qtbot.waitUntil(lambda: focus_name() == "Attribute name")
    type_keys(qtbot, name)
    press(qtbot, KEY.Key_Tab)
    assert focus_name() == "Attribute value", f"Tab from the name went to {focus_name()}"
    type_keys(qtbot, value)
    if commit:
        press(qtbot, KEY.Key_Return)
        wait_editing_done(qtbot, attribute_table(window))


def open_preview(qtbot) -> QWidget:
    """Ctrl+Return; the preview comes up and takes the keyboard."""
    press(qtbot, KEY.Key_Return, CTRL)
    preview = wait_window(qtbot, PREVIEW)
    qtbot.waitUntil(preview.isActiveWindow)
    return preview


def preview_rows(preview: QWidget) -> list[tuple[str, ...]]:
    table = ui.by_accessible_name(preview, QTableView, "Changes to send")
    return ui.rows(table, "Property", "Current", "New")


def ready_to_send(qtbot, open_window, api) -> QWidget:
    """First run, a lookup and one new row: Send is enabled. Returns the window."""
    open_window()
    window = first_run_by_keyboard(qtbot, api)
    assert look_up_phone(qtbot, window).startswith("Found")
    new_row(qtbot, window, "Newsletter", "weekly")
    assert ui.button(window, "Send").isEnabled()
    return window


def top(widget: QWidget) -> int:
    """The widget's top edge in its window's coordinates."""
    return widget.mapTo(widget.window(), QPoint(0, 0)).y()


def mnemonic(text: str) -> str | None:
    """The letter after a single ``&`` (Alt+letter), lower-cased, or None."""
    found = re.search(r"&([^&])", text.replace("&&", ""))
    return found.group(1).lower() if found else None


def is_in_order(wanted: list[str], stops: list[str]) -> bool:
    """True when ``wanted`` appear among ``stops`` in this order (others may come between)."""
    rest = iter(stops)
    return all(name in rest for name in wanted)


# 1. first run --------------------------------------------------------------------------------
def test_first_run_dialog_with_the_keyboard_alone(qtbot, open_window, strict_api, keyring):
    """Focus in the name; Tab goes name → key → Show key → Advanced → Save → Cancel; Space on
    Advanced puts the base URL right after it in the order (Alt+B reaches it too); Enter
    saves; the focus then waits on Done, the default button, and Enter closes."""
    open_window()
    dialog = wait_window(qtbot, ACCOUNT_DIALOG)
    qtbot.waitUntil(dialog.isActiveWindow)
    assert focus_name() == "Account name"
    assert tab_walk(qtbot, 6) == [
        "Account name",
        "API key",
        "Show key",
        "Advanced: use another server",
        "Save",
        "Cancel",
        "Account name",  # round again, inside the dialog
    ]
    type_keys(qtbot, "Strict test")
    press(qtbot, KEY.Key_K, ALT)  # the "API key" label's mnemonic
    assert focus_name() == "API key"
    type_keys(qtbot, strict_api.write_key)
    assert ui.by_label(dialog, "API key", QLineEdit).echoMode() == QLineEdit.EchoMode.Password
    tab_to(qtbot, "Advanced: use another server", limit=3)
    press(qtbot, KEY.Key_Space)
    assert tab_walk(qtbot, 3) == ["Advanced: use another server", "Base URL", "Save", "Cancel"]
    press(qtbot, KEY.Key_B, ALT)  # the "Base URL" label's mnemonic
    assert focus_name() == "Base URL"
    retype(qtbot, strict_api.base_url)
    press(qtbot, KEY.Key_N, ALT)  # back to the name: still what was typed
    assert focus_name() == "Account name"
    assert ui.button(dialog, "Save").isDefault()
    press(qtbot, KEY.Key_Return)  # the default button, Save

    qtbot.waitUntil(lambda: "Company" in check_result(dialog), timeout=WAIT)
    assert COMPANY in check_result(dialog) and DOMAIN in check_result(dialog)
    assert strict_api.received("GET", "/me")[0].status == 200
    assert focus_name() == "Done"
    assert ui.button(dialog, "Done").isDefault()
    press(qtbot, KEY.Key_Return)
    wait_closed(qtbot, ACCOUNT_DIALOG)
    assert list(keyring.keys.values()) == [strict_api.write_key]


def test_esc_closes_the_add_account_dialog_without_saving(qtbot, open_window, strict_api, keyring):
    open_window()
    dialog = wait_window(qtbot, ACCOUNT_DIALOG)
    qtbot.waitUntil(dialog.isActiveWindow)
    type_keys(qtbot, "Strict test")
    press(qtbot, KEY.Key_Escape)
    wait_closed(qtbot, ACCOUNT_DIALOG)
    assert keyring.keys == {}
    assert strict_api.received() == []


# 2. where the focus is, and the Tab order of the main window --------------------------------
def test_focus_is_in_the_phone_field_once_the_first_account_is_added(
    qtbot, open_window, strict_api
):
    """What a user does next is type who to look up (the focus was once on "Add row")."""
    open_window()
    first_run_by_keyboard(qtbot, strict_api)
    assert focus_name() == "Phone", f"after the first-run dialog the focus is on {focus_name()}"


def test_focus_is_in_the_phone_field_on_a_later_start(qtbot, open_window, strict_api):
    """On every start with an account the focus is in Phone (it was once on "Add row")."""
    session = open_window()
    window = first_run_by_keyboard(qtbot, strict_api)
    press(qtbot, KEY.Key_Q, CTRL)  # Account ▸ Quit
    qtbot.waitUntil(lambda: not window.isVisible())
    session.shutdown()
    again = open_window().window
    qtbot.waitUntil(lambda: writing_to(again).text() == WRITING_TO, timeout=WAIT)
    assert ui.window_titled(ACCOUNT_DIALOG) is None
    activate(qtbot, again)
    assert focus_name() == "Phone", f"on start-up the focus is on {focus_name()}"


def test_tab_walks_the_form_then_look_up_then_the_editor(qtbot, open_window, strict_api):
    """From Phone, Tab reaches the form's fields in their visual order, then Look up, then the
    editor's buttons and the attributes table."""
    open_window()
    first_run_by_keyboard(qtbot, strict_api)
    press(qtbot, KEY.Key_P, ALT)
    stops = tab_to(qtbot, "Attributes to send", limit=15)
    wanted = [
        "Phone",
        "Email",
        "clientUserId",
        "Add custom identifier",
        "Look up",
        "Add row",
        "Remove row",
        "Paste rows",
        "Show request",
        "Attributes to send",
    ]
    assert is_in_order(wanted, stops), f"Tab order: {stops}"


def test_tab_stops_in_the_customer_column_go_top_to_bottom(qtbot, open_window, strict_api):
    """Tab follows the column down the screen ("Link identifiers", above "Look up", once
    came after it, so Tab jumped down to Look up, back up, then over to the editor)."""
    open_window()
    window = first_run_by_keyboard(qtbot, strict_api)
    press(qtbot, KEY.Key_P, ALT)
    column: list[tuple[str, int]] = []
    while focus_name() != "Add row":  # the first stop of the editor, right of the column
        assert len(column) < 15, f"never left the customer column: {column}"
        widget = QApplication.focusWidget()
        column.append((focus_name(), top(widget)))
        press(qtbot, KEY.Key_Tab)
    assert window.isActiveWindow()
    tops = [y for _name, y in column]
    assert tops == sorted(tops), f"Tab order (name, top edge): {column}"


def test_shift_tab_from_phone_goes_to_the_account_switcher(qtbot, open_window, strict_api):
    """The switcher (toolbar, above the form) comes right before Phone: no unnamed stop (the
    customer column's scroll area once was one) where the focus disappears for a key press."""
    open_window()
    first_run_by_keyboard(qtbot, strict_api)
    press(qtbot, KEY.Key_P, ALT)
    stops = tab_walk(qtbot, 2, backwards=True)
    assert stops[1] == "Account", f"Shift+Tab from Phone: {stops}"


def test_tab_leaves_the_attributes_table_for_send(qtbot, open_window, strict_api):
    """Tab on the attributes table (not editing) goes on to Send; Shift+Tab back to "Show
    request". Not a keyboard trap: Tab once walked the cells round and round, so Send (and
    everything after it) was never reached by Tab once the table had rows."""
    window = ready_to_send(qtbot, open_window, strict_api)
    assert ui.button(window, "Send").isEnabled()
    press(qtbot, KEY.Key_P, ALT)
    tab_to(qtbot, "Attributes to send", limit=15)
    forward = tab_walk(qtbot, 30)
    press(qtbot, KEY.Key_P, ALT)
    tab_to(qtbot, "Attributes to send", limit=15)
    backward = tab_walk(qtbot, 30, backwards=True)
    assert (forward[1], backward[1]) == ("Send", "Show request"), (
        f"Tab: {compact(forward)}; Shift+Tab: {compact(backward)}"
    )


def test_tab_leaves_the_history_table(qtbot, open_window, strict_api):
    """Tab on the history table goes on to the request details beside it; Shift+Tab back to
    the pane's buttons, rather than walk the table's cells for ever (a keyboard trap it once
    was: only a shortcut or a mnemonic got the focus out)."""
    window = ready_to_send(qtbot, open_window, strict_api)
    assert history_rows(window)
    press(qtbot, KEY.Key_F, CTRL)
    tab_to(qtbot, "History", limit=15)
    forward = tab_walk(qtbot, 40)
    press(qtbot, KEY.Key_F, CTRL)
    tab_to(qtbot, "History", limit=15)
    backward = tab_walk(qtbot, 40, backwards=True)
    assert forward[1] == "Request and response" and backward[1] == "Export", (
        f"Tab: {compact(forward)}; Shift+Tab: {compact(backward)}"
    )


def test_mnemonics_of_the_main_window_are_unique(qtbot, open_window, strict_api):
    """Every Alt+letter of the window (menu titles, labels of fields) reaches one thing
    ("&Account" and "&Actions" once both took Alt+A, which only ever opened Account)."""
    open_window()
    window = first_run_by_keyboard(qtbot, strict_api)
    texts = [a.text() for a in window.menuBar().actions()]
    texts += [w.text() for w in window.findChildren(QLabel) if w.buddy() is not None]
    texts += [b.text() for b in window.findChildren(QAbstractButton) if b.isVisible()]
    letters: dict[str, list[str]] = {}
    for text in texts:
        letter = mnemonic(text)
        if letter:
            letters.setdefault(letter, []).append(ui.plain(text))
    clashes = {letter: names for letter, names in letters.items() if len(names) > 1}
    assert clashes == {}, f"Alt+letter used twice: {clashes}"


# 3. look up, edit, preview, send ------------------------------------------------------------
def test_lookup_edit_preview_and_send_with_keys_only(qtbot, open_window, strict_api):
    open_window()
    window = first_run_by_keyboard(qtbot, strict_api)

    # Enter in the Phone field looks up; the focus stays where the user typed.
    result = look_up_phone(qtbot, window)
    assert result.startswith("Found") and PHONE in result, result
    assert focus_name() == "Phone"
    assert [r.raw_query for r in strict_api.received("GET", ATTRIBUTES)] == ["phone=%2B14155550100"]

    # Tab to the table; arrows to Favorite color's Value; F2, type over it, Enter.
    tab_to(qtbot, "Attributes to send", limit=15)
    table = attribute_table(window)
    arrow_to(qtbot, table, ui.row_where(table, "Name", "Favorite color"), "Value")
    press(qtbot, KEY.Key_F2)
    assert focus_name() == "Attribute value"
    retype(qtbot, "teal")
    press(qtbot, KEY.Key_Return)
    wait_editing_done(qtbot, table)
    assert focus_name() == "Attributes to send"  # back on the table, ready for the next cell

    # Typing on a cell starts editing it, replacing its value.
    arrow_to(qtbot, table, ui.row_where(table, "Name", "VIP"), "Value")
    type_keys(qtbot, "false")
    assert focus_name() == "Attribute value"
    press(qtbot, KEY.Key_Return)
    wait_editing_done(qtbot, table)

    # Ctrl+N: a new row, editing its name; Tab to its value.
    new_row(qtbot, window, "Newsletter", "weekly")
    assert focus_name() == "Attributes to send"
    values = dict(ui.rows(table, "Name", "Value"))
    assert (values["Favorite color"], values["VIP"], values["Newsletter"]) == (
        "teal",
        "false",
        "weekly",
    )

    # Ctrl+Return: the preview takes the keyboard; Send is its default button; Esc cancels.
    preview = open_preview(qtbot)
    focused = QApplication.focusWidget()
    assert focused is not None and focused.window() is preview
    send = ui.button(preview, SEND_N)
    assert send.isDefault() and ui.plain(send.text()) == "Send 3 values"
    press(qtbot, KEY.Key_Escape)
    wait_closed(qtbot, PREVIEW)
    assert strict_api.received("POST") == []
    activate(qtbot, window)
    assert focus_name() == "Attributes to send"  # where the user was

    # Again, and Enter sends exactly what the preview shows.
    preview = open_preview(qtbot)
    assert sorted(preview_rows(preview)) == [
        ("Favorite color", "blue", "teal"),
        ("Newsletter", "—", "weekly"),
        ("VIP", "true", "false"),
    ]
    press(qtbot, KEY.Key_Return)
    wait_closed(qtbot, PREVIEW)
    qtbot.waitUntil(lambda: send_result(window).startswith("Sent, then re-read"), timeout=WAIT)
    posts = strict_api.received("POST", ATTRIBUTES)
    assert [p.status for p in posts] == [200]
    assert posts[0].json() == {
        "properties": {"Favorite color": "teal", "VIP": "false", "Newsletter": "weekly"},
        "user": {"phone": PHONE},
    }
    stored = strict_api.attributes_of(phone=PHONE)
    assert (stored["Favorite color"], stored["VIP"], stored["Newsletter"]) == (
        "teal",
        "false",
        "weekly",
    )
    activate(qtbot, window)
    assert focus_name() == "Attributes to send"


def test_ctrl_return_while_a_value_is_being_typed_sends_that_value(qtbot, open_window, strict_api):
    """A keyboard user types a value and presses Ctrl+Return at once: the value still in its
    cell editor is what is sent. (It was once left out: the preview offered the row with an
    empty value, and Enter there would have posted it.)"""
    open_window()
    window = first_run_by_keyboard(qtbot, strict_api)
    assert look_up_phone(qtbot, window).startswith("Found")
    new_row(qtbot, window, "Newsletter", "weekly", commit=False)
    preview = open_preview(qtbot)
    shown = preview_rows(preview)
    press(qtbot, KEY.Key_Escape)
    wait_closed(qtbot, PREVIEW)
    assert strict_api.received("POST") == []
    assert shown == [("Newsletter", "—", "weekly")], f"the preview shows {shown}"


def test_the_previews_buttons_are_reachable_by_tab(qtbot, open_window, strict_api):
    """Enter (default: Send) and Esc work in the preview, but a keyboard user also tabs to
    check what is there: from the changes table Tab reaches Send and Cancel (it once walked
    the table's cells for ever)."""
    ready_to_send(qtbot, open_window, strict_api)
    open_preview(qtbot)
    stops = tab_walk(qtbot, 12)
    press(qtbot, KEY.Key_Escape)
    wait_closed(qtbot, PREVIEW)
    assert strict_api.received("POST") == []
    assert "Cancel" in stops and "Send 1 value" in stops, f"Tab in the preview: {compact(stops)}"


def test_focus_stays_on_look_up_after_pressing_it(qtbot, open_window, strict_api):
    """Space on "Look up": the focus stays on it, or goes to the form or the results (the
    button disables itself while it runs, and the focus once jumped on to "Link
    identifiers")."""
    open_window()
    window = first_run_by_keyboard(qtbot, strict_api)
    press(qtbot, KEY.Key_P, ALT)
    type_keys(qtbot, PHONE_TYPED)
    tab_to(qtbot, "Look up", limit=6)
    press(qtbot, KEY.Key_Space)
    qtbot.waitUntil(lambda: lookup_result(window).startswith("Found"), timeout=WAIT)
    assert focus_name() in ("Look up", "Phone", "Attributes to send"), (
        f"after the lookup the focus is on {focus_name()}"
    )


def test_focus_stays_in_the_editor_after_send_by_its_button(qtbot, open_window, strict_api):
    """Send reached by Shift+Tab from the history filter and pressed with Space: while it
    runs the focus is on Cancel (Esc or Space stops it), and afterwards back on Send or the
    table (it once fell through to the history filter, and stayed there)."""
    window = ready_to_send(qtbot, open_window, strict_api)
    press(qtbot, KEY.Key_F, CTRL)
    tab_to(qtbot, "Send", limit=3, backwards=True)
    press(qtbot, KEY.Key_Space)
    preview = wait_window(qtbot, PREVIEW)
    qtbot.waitUntil(preview.isActiveWindow)
    press(qtbot, KEY.Key_Return)
    wait_closed(qtbot, PREVIEW)
    qtbot.waitUntil(lambda: send_result(window).startswith("Sent, then re-read"), timeout=WAIT)
    assert [p.status for p in strict_api.received("POST", ATTRIBUTES)] == [200]
    activate(qtbot, window)
    assert focus_name() in ("Send", "Cancel", "Attributes to send"), (
        f"after the send the focus is on {focus_name()}"
    )


def test_add_custom_identifier_with_the_keyboard(qtbot, open_window, strict_api):
    """Space on "Add custom identifier" adds a row and puts the focus in its name; Tab goes
    name → value → its Remove → on down the column. (The button once raised a TypeError:
    its clicked(bool) arrived as the row's name.)"""
    open_window()
    first_run_by_keyboard(qtbot, strict_api)
    press(qtbot, KEY.Key_C, ALT)  # &clientUserId
    assert focus_name() == "clientUserId"
    press(qtbot, KEY.Key_Tab)
    assert focus_name() == "Add custom identifier"
    with qtbot.captureExceptions() as raised:
        press(qtbot, KEY.Key_Space)
    assert not raised, "the button raised " + "; ".join(f"{t.__name__}: {v}" for t, v, _ in raised)
    qtbot.waitUntil(lambda: focus_name() == "Custom identifier 1 name", timeout=1000)
    type_keys(qtbot, "loyaltyId")
    stops = tab_walk(qtbot, 3)
    assert stops[1:] == [
        "Custom identifier 1 value",
        "Remove custom identifier 1",
        "Add custom identifier",
    ], stops


# 4. history ----------------------------------------------------------------------------------
def test_history_filter_and_browse_with_the_keyboard(qtbot, open_window, strict_api):
    """Ctrl+F focuses the filter; typing filters; Tab reaches the table and selects its current
    row, whose details show at once; the arrows move the selection and the details follow
    it, showing the request body."""
    window = ready_to_send(qtbot, open_window, strict_api)
    preview = open_preview(qtbot)
    assert preview_rows(preview) == [("Newsletter", "—", "weekly")]
    press(qtbot, KEY.Key_Return)
    wait_closed(qtbot, PREVIEW)
    qtbot.waitUntil(lambda: send_result(window).startswith("Sent, then re-read"), timeout=WAIT)
    activate(qtbot, window)
    qtbot.waitUntil(lambda: ("POST", ATTRIBUTES, "200") in history_rows(window), timeout=WAIT)
    assert ("GET", "/me", "200") in history_rows(window)

    press(qtbot, KEY.Key_F, CTRL)
    assert focus_name() == "Filter history"
    type_keys(qtbot, "weekly")
    qtbot.waitUntil(
        lambda: bool(history_rows(window)) and ("GET", "/me", "200") not in history_rows(window),
        timeout=WAIT,
    )
    shown = history_rows(window)
    assert ("POST", ATTRIBUTES, "200") in shown and len(shown) >= 2, shown

    tab_to(qtbot, "History", limit=15)
    history = history_table(window)
    details = ui.by_accessible_name(
        ui.dock(window, "Request history"), QPlainTextEdit, "Request and response"
    )
    post = shown.index(("POST", ATTRIBUTES, "200"))
    first = [i.row() for i in history.selectionModel().selectedRows()]
    assert first == [history.currentIndex().row()], "tabbing in selects nothing"
    qtbot.waitUntil(lambda: details.toPlainText().startswith(f"{shown[first[0]][0]} "))
    seen: dict[int, str] = {}
    for key in (KEY.Key_Down, KEY.Key_Up):  # to row 1 and back to row 0, each selected
        press(qtbot, key)
        selected = [i.row() for i in history.selectionModel().selectedRows()]
        assert selected == [history.currentIndex().row()], selected
        row = selected[0]
        method = shown[row][0]
        qtbot.waitUntil(lambda m=method: details.toPlainText().startswith(f"{m} "))
        seen[row] = details.toPlainText()
    assert sorted(seen) == [0, 1]
    assert '"Newsletter": "weekly"' in seen[post]
    assert strict_api.write_key not in seen[post]
    assert focus_name() == "History"


# 5. Esc cancels -------------------------------------------------------------------------------
def test_esc_cancels_a_slow_lookup_and_a_slow_send(qtbot, open_window, strict_api):
    open_window()
    window = first_run_by_keyboard(qtbot, strict_api)
    strict_api.slow_down("GET", ATTRIBUTES, HELD)
    press(qtbot, KEY.Key_P, ALT)
    type_keys(qtbot, PHONE_TYPED)
    press(qtbot, KEY.Key_Return)
    qtbot.waitUntil(lambda: bool(strict_api.in_flight("GET", ATTRIBUTES)), timeout=WAIT)
    assert focus_name() == "Phone"
    press(qtbot, KEY.Key_Escape)
    qtbot.waitUntil(lambda: lookup_result(window) == "Lookup cancelled.", timeout=WAIT)
    assert ui.button(window, "Look up").isEnabled()
    assert focus_name() == "Phone"

    strict_api.clear_faults()
    press(qtbot, KEY.Key_Return)
    qtbot.waitUntil(lambda: lookup_result(window).startswith("Found"), timeout=WAIT)
    new_row(qtbot, window, "Newsletter", "weekly")
    strict_api.slow_down("POST", ATTRIBUTES, HELD)
    open_preview(qtbot)
    press(qtbot, KEY.Key_Return)
    wait_closed(qtbot, PREVIEW)
    activate(qtbot, window)
    qtbot.waitUntil(lambda: bool(strict_api.in_flight("POST", ATTRIBUTES)), timeout=WAIT)
    assert ui.button(window, "Cancel").isEnabled()
    press(qtbot, KEY.Key_Escape)
    qtbot.waitUntil(lambda: send_result(window).startswith("Send cancelled"), timeout=WAIT)
    assert ui.button(window, "Send").isEnabled()
    assert not ui.button(window, "Cancel").isEnabled()
    assert dict(ui.rows(attribute_table(window), "Name", "Value"))["Newsletter"] == "weekly"


# the README's shortcuts ---------------------------------------------------------------------
def test_the_readme_shortcuts_each_do_what_it_says(qtbot, open_window, strict_api):
    """Ctrl+F, Ctrl+L, Ctrl+N, Ctrl+Shift+R (Esc closes it), Ctrl+Delete, Ctrl+H,
    Ctrl+Shift+M, Ctrl+Shift+Z, Ctrl+Shift+I, Ctrl+Shift+U and Ctrl+, and Ctrl+B (Esc closes
    each), Ctrl+Q. Ctrl+Return and Esc on a request are checked above."""
    open_window()
    window = first_run_by_keyboard(qtbot, strict_api)
    press(qtbot, KEY.Key_P, ALT)
    type_keys(qtbot, PHONE_TYPED)

    press(qtbot, KEY.Key_F, CTRL)
    assert focus_name() == "Filter history"
    press(qtbot, KEY.Key_L, CTRL)  # from anywhere in the window
    qtbot.waitUntil(lambda: lookup_result(window).startswith("Found"), timeout=WAIT)

    new_row(qtbot, window, "Newsletter", "weekly")  # Ctrl+N
    press(qtbot, KEY.Key_R, CTRL | SHIFT)
    request = wait_window(qtbot, REQUEST)
    qtbot.waitUntil(request.isActiveWindow)
    body = ui.by_accessible_name(request, QPlainTextEdit, "Request body").toPlainText()
    assert '"Newsletter": "weekly"' in body and strict_api.write_key not in body
    press(qtbot, KEY.Key_Escape)
    wait_closed(qtbot, REQUEST)
    activate(qtbot, window)

    table = attribute_table(window)
    assert focus_name() == "Attributes to send"
    arrow_to(qtbot, table, ui.row_where(table, "Name", "Newsletter"), "Name")
    press(qtbot, KEY.Key_Delete, CTRL)
    assert ui.row_where(table, "Name", "Newsletter") is None

    pane = ui.dock(window, "Request history")
    press(qtbot, KEY.Key_H, CTRL)
    qtbot.waitUntil(lambda: not pane.isVisible())
    press(qtbot, KEY.Key_H, CTRL)
    qtbot.waitUntil(pane.isVisible)

    press(qtbot, KEY.Key_M, CTRL | SHIFT)
    qtbot.waitUntil(lambda: "•" in lookup_result(window))
    press(qtbot, KEY.Key_M, CTRL | SHIFT)
    qtbot.waitUntil(lambda: PHONE in lookup_result(window))

    press(qtbot, KEY.Key_Z, CTRL | SHIFT)
    qtbot.waitUntil(lambda: "revert" in window.statusBar().currentMessage(), timeout=WAIT)
    press(qtbot, KEY.Key_I, CTRL | SHIFT)
    qtbot.waitUntil(lambda: "clientUserId" in window.statusBar().currentMessage())

    for keys, modifiers, title in (
        (KEY.Key_U, CTRL | SHIFT, CATALOG),
        (KEY.Key_Comma, CTRL, PREFERENCES),
        (KEY.Key_B, CTRL, BULK),
    ):
        activate(qtbot, window)
        press(qtbot, keys, modifiers)
        dialog = wait_window(qtbot, title)
        qtbot.waitUntil(dialog.isActiveWindow)
        press(qtbot, KEY.Key_Escape)
        wait_closed(qtbot, title)
    assert strict_api.received("POST") == []

    activate(qtbot, window)
    press(qtbot, KEY.Key_Q, CTRL)
    qtbot.waitUntil(lambda: not window.isVisible())
