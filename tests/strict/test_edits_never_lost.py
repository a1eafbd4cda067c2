"""The promise "it must never lose an edit", audited as a user lives it (README, Safety: "A crash
never loses an edit ... the next start offers your unsent edit back (Restore / Discard)";
"Network trouble ... the edit stays, so you can press Send again"; Replay "asks before
replacing unsent edits"; "Switching to another account clears what the lookup found (your
edits stay)").

The window is the one the composition root builds (conftest.open_window) against the strict
server (strict_api.py); widgets are found by what a user or a screen reader sees (ui.py), the
steps are journey.py's and edits_support.py's. Where README is silent (removing a row, pasting
over a typed value, an unanswered offer), the tests expect what a polished desktop tool does:
ask first, or let the user take it back.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from tests.strict import ui
from tests.strict.accounts_support import (
    HARBOR_ME,
    OUTDOOR_ME,
    CompanyApi,
    add_company,
    company_line,
    harbor_users,
    switch_to,
)
from tests.strict.edits_support import (
    ATTRIBUTES,
    EMAIL,
    MORE_THAN_ANY_RETRIES,
    PHONE,
    PHONE_TYPED,
    RATE_LIMITED,
    REPLACE_EDITS,
    checks,
    click_cell,
    offer_text,
    offered,
    on_disk,
    paste_rows,
    quit_app,
    replay,
    restore,
    select_history_row,
    send,
    send_and_wait,
    start_again,
    start_retyping_value,
    start_typing_new_row,
    values,
)
from tests.strict.journey import (
    CTRL,
    OFFSCREEN_POPUP_WARNINGS,
    WAIT,
    activate,
    attribute_table,
    click,
    first_run,
    look_up,
    press,
    send_result,
    set_attribute,
    wait_window,
    writing_to,
)
from tests.strict.strict_api import StrictApi

pytestmark = OFFSCREEN_POPUP_WARNINGS

HARBOR_KEY = "harbor-write-key-edits-41"


def edited_user(qtbot, window) -> None:
    """The usual work: look the phone user up, change one of their values, add a new one."""
    assert look_up(qtbot, window, "Phone", PHONE_TYPED).startswith("Found")
    set_attribute(qtbot, window, "Favorite color", "teal")
    set_attribute(qtbot, window, "Newsletter", "weekly")
    shown = values(window)
    assert shown["Favorite color"] == "teal" and shown["Newsletter"] == "weekly"


def names_phone(text: str) -> bool:
    """The phone user is named, as typed or in E.164."""
    return PHONE in text or PHONE_TYPED in text


def phone_field(window) -> str:
    return ui.by_label(window, "Phone", QLineEdit).text()


def assert_edits_kept(window, expected: dict[str, str]) -> None:
    shown = values(window)
    for name, value in expected.items():
        assert shown.get(name) == value, f"{name!r}: expected {value!r}, the table shows {shown}"


# 1. quitting and starting again ------------------------------------------------------------
@pytest.mark.parametrize("how", ["menu", "close button"])
def test_typed_edits_survive_quitting_and_are_offered_back(qtbot, open_window, strict_api, how):
    session = open_window()
    window = session.window
    first_run(qtbot, strict_api)
    edited_user(qtbot, window)
    quit_app(qtbot, session, "menu" if how == "menu" else "close")

    again = start_again(qtbot, open_window).window
    sentence = offer_text(qtbot, again)
    assert names_phone(sentence) and "2 attributes" in sentence, sentence
    restore(qtbot, again)
    assert values(again) == {"Favorite color": "teal", "Newsletter": "weekly"}
    assert names_phone(phone_field(again))
    assert "was restored" in again.statusBar().currentMessage()

    # And it goes out as typed.
    assert send_and_wait(qtbot, again).startswith("Sent, then re-read"), send_result(again)
    stored = strict_api.attributes_of(phone=PHONE)
    assert stored["Favorite color"] == "teal" and stored["Newsletter"] == "weekly"


@pytest.mark.parametrize("where", ["a new row", "an existing row"])
def test_a_value_still_being_typed_in_a_cell_survives_quitting(
    qtbot, open_window, strict_api, where
):
    """The user types a value and quits without pressing Enter: what the cell shows is the
    edit, and it must come back."""
    session = open_window()
    window = session.window
    first_run(qtbot, strict_api)
    assert look_up(qtbot, window, "Phone", PHONE_TYPED).startswith("Found")
    set_attribute(qtbot, window, "Newsletter", "weekly")
    if where == "a new row":
        start_typing_new_row(qtbot, window, "Shirt note", "typed-not-entered")
        expected = {"Newsletter": "weekly", "Shirt note": "typed-not-entered"}
    else:
        start_retyping_value(qtbot, window, "Favorite color", "typed-not-entered")
        expected = {"Newsletter": "weekly", "Favorite color": "typed-not-entered"}
    quit_app(qtbot, session)

    again = start_again(qtbot, open_window).window
    offer_text(qtbot, again)
    restore(qtbot, again)
    assert_edits_kept(again, expected)


def test_a_sent_and_verified_edit_is_not_offered_again(qtbot, open_window, strict_api):
    """The control for the tests above: the offer comes only when something was left unsent."""
    session = open_window()
    window = session.window
    first_run(qtbot, strict_api)
    edited_user(qtbot, window)
    assert send_and_wait(qtbot, window).startswith("Sent, then re-read")
    quit_app(qtbot, session)
    again = start_again(qtbot, open_window).window
    # The lookup for a draft runs once the window is up; a lookup after it is answered later.
    assert look_up(qtbot, again, "Email", EMAIL).startswith("Found")
    assert not offered(again)


# 2. crashes ----------------------------------------------------------------------------------
def test_an_edit_typed_a_moment_before_a_crash_is_offered_back(qtbot, open_window, strict_api):
    """README: "What you type in the editor is saved as a draft as you go". The app is left
    running (never quits) once the edit is on disk, and a second start finds it."""
    window = open_window().window
    first_run(qtbot, strict_api)
    assert look_up(qtbot, window, "Phone", PHONE_TYPED).startswith("Found")
    set_attribute(qtbot, window, "Crash note", "kept-through-a-crash-5d1")
    qtbot.waitUntil(lambda: on_disk("kept-through-a-crash-5d1"), timeout=WAIT)

    again = open_window().window  # the first one never quit: as after kill -9
    qtbot.waitUntil(lambda: writing_to(again).text().startswith("Writing to:"), timeout=WAIT)
    sentence = offer_text(qtbot, again)
    assert names_phone(sentence), sentence
    restore(qtbot, again)
    assert_edits_kept(again, {"Crash note": "kept-through-a-crash-5d1"})


def test_a_crash_while_the_threads_stop_without_closing_the_window(qtbot, open_window, strict_api):
    """The app's machinery stops (session.shutdown) with no close event at all, right after
    the last key press."""
    session = open_window()
    first_run(qtbot, strict_api)
    edited_user(qtbot, session.window)
    session.shutdown()

    again = start_again(qtbot, open_window).window
    assert names_phone(offer_text(qtbot, again))
    restore(qtbot, again)
    assert_edits_kept(again, {"Favorite color": "teal", "Newsletter": "weekly"})


def test_a_crash_during_a_send_offers_the_edit_back_and_says_it_may_have_arrived(
    qtbot, open_window, strict_api
):
    """README: saved "again just before Send ... if Send had already been pressed, it tells you
    to look the user up to see whether the change arrived"."""
    window = open_window().window
    first_run(qtbot, strict_api)
    edited_user(qtbot, window)
    strict_api.slow_down("POST", ATTRIBUTES, 60.0)  # held until the test ends
    send(qtbot, window)
    qtbot.waitUntil(lambda: bool(strict_api.in_flight("POST", ATTRIBUTES)), timeout=WAIT)

    again = open_window().window  # the first one is stuck mid-send: as after kill -9
    qtbot.waitUntil(lambda: writing_to(again).text().startswith("Writing to:"), timeout=WAIT)
    assert names_phone(offer_text(qtbot, again))
    restore(qtbot, again)
    assert_edits_kept(again, {"Favorite color": "teal", "Newsletter": "weekly"})
    said = again.statusBar().currentMessage()
    assert "was restored" in said and "look the user up" in said, said


# 3. a failed send leaves the edits, and Send works again -------------------------------------
def _fail_500(api: StrictApi) -> None:
    api.fail_next("POST", ATTRIBUTES, MORE_THAN_ANY_RETRIES, 500)


def _drop(api: StrictApi) -> None:
    api.drop_next("POST", ATTRIBUTES, MORE_THAN_ANY_RETRIES)


def _refuse_400(api: StrictApi) -> None:
    api.fail_next("POST", ATTRIBUTES, 1, 400, message="Property 'Newsletter' is not allowed.")


def _rate_limited(api: StrictApi) -> None:
    api.fail_next("POST", ATTRIBUTES, MORE_THAN_ANY_RETRIES, 429, headers=RATE_LIMITED)


def _unauthorized(api: StrictApi) -> None:
    api.fail_next("POST", ATTRIBUTES, 1, 401, message="Unauthorized: the API key is not valid.")


FAILURES = {
    "500": _fail_500,
    "dropped connection": _drop,
    "400": _refuse_400,
    "429 exhausted": _rate_limited,
    "401": _unauthorized,
}


@pytest.mark.parametrize("failure", list(FAILURES))
def test_a_failed_send_keeps_the_edits_and_send_works_again(
    qtbot, open_window, strict_api, failure
):
    window = open_window().window
    first_run(qtbot, strict_api)
    edited_user(qtbot, window)
    FAILURES[failure](strict_api)
    result = send_and_wait(qtbot, window, timeout=3 * WAIT)
    assert result.startswith("Not sent"), result
    strict_api.clear_faults()

    assert_edits_kept(window, {"Favorite color": "teal", "Newsletter": "weekly"})
    for name in ("Favorite color", "Newsletter"):
        assert not checks(window)[name].startswith(("Sent", "Verified")), checks(window)
    assert ui.button(window, "Send").isEnabled()
    assert names_phone(phone_field(window))

    assert send_and_wait(qtbot, window).startswith("Sent, then re-read"), send_result(window)
    stored = strict_api.attributes_of(phone=PHONE)
    assert stored["Favorite color"] == "teal" and stored["Newsletter"] == "weekly"


def test_a_failed_send_then_quitting_offers_the_edit_back(qtbot, open_window, strict_api):
    session = open_window()
    window = session.window
    first_run(qtbot, strict_api)
    edited_user(qtbot, window)
    _fail_500(strict_api)
    assert send_and_wait(qtbot, window, timeout=3 * WAIT).startswith("Not sent")
    strict_api.clear_faults()
    quit_app(qtbot, session)

    again = start_again(qtbot, open_window).window
    assert names_phone(offer_text(qtbot, again))
    restore(qtbot, again)
    assert_edits_kept(again, {"Favorite color": "teal", "Newsletter": "weekly"})


def test_a_send_attentive_refused_is_restored_without_claiming_it_may_have_arrived(
    qtbot, open_window, strict_api
):
    """A 400 is a definite "no": the window said "Not sent.". After a restart the restored edit
    must not say Send "had been pressed, but no answer came back" and send the user off to
    check whether it arrived."""
    session = open_window()
    window = session.window
    first_run(qtbot, strict_api)
    edited_user(qtbot, window)
    _refuse_400(strict_api)
    assert send_and_wait(qtbot, window).startswith("Not sent")
    quit_app(qtbot, session)

    again = start_again(qtbot, open_window).window
    offer_text(qtbot, again)
    restore(qtbot, again)
    said = again.statusBar().currentMessage()
    assert "was restored" in said, said
    assert "no answer came back" not in said, said


# 4. Cancel -------------------------------------------------------------------------------------
def test_cancelling_a_send_keeps_the_edits_through_a_restart(qtbot, open_window, strict_api):
    session = open_window()
    window = session.window
    first_run(qtbot, strict_api)
    edited_user(qtbot, window)
    strict_api.slow_down("POST", ATTRIBUTES, 2.0)
    send(qtbot, window)
    qtbot.waitUntil(lambda: bool(strict_api.in_flight("POST", ATTRIBUTES)), timeout=WAIT)
    activate(qtbot, window)
    press(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: "cancel" in send_result(window).lower(), timeout=WAIT)
    assert_edits_kept(window, {"Favorite color": "teal", "Newsletter": "weekly"})
    assert ui.button(window, "Send").isEnabled()
    qtbot.waitUntil(lambda: not strict_api.in_flight("POST", ATTRIBUTES), timeout=WAIT)
    strict_api.clear_faults()
    quit_app(qtbot, session)

    again = start_again(qtbot, open_window).window
    assert names_phone(offer_text(qtbot, again))
    restore(qtbot, again)
    assert_edits_kept(again, {"Favorite color": "teal", "Newsletter": "weekly"})
    assert "look the user up" in again.statusBar().currentMessage()


# 5. switching account, looking another user up -------------------------------------------
@pytest.fixture
def harbor():
    with CompanyApi(me=HARBOR_ME, write_key=HARBOR_KEY, users=harbor_users()) as api:
        yield api


def test_switching_account_and_back_keeps_unsent_edits(qtbot, open_window, strict_api, harbor):
    window = open_window().window
    first_run(qtbot, strict_api, name="Outdoor")
    qtbot.waitUntil(lambda: writing_to(window).text() == company_line(OUTDOOR_ME), timeout=WAIT)
    add_company(qtbot, window, harbor, "Harbor", HARBOR_KEY, HARBOR_ME)
    switch_to(qtbot, window, "Outdoor", OUTDOOR_ME)
    edited_user(qtbot, window)
    start_typing_new_row(qtbot, window, "Half typed", "still-open")  # Enter not pressed yet

    switch_to(qtbot, window, "Harbor", HARBOR_ME)
    expected = {"Favorite color": "teal", "Newsletter": "weekly", "Half typed": "still-open"}
    assert_edits_kept(window, expected)
    switch_to(qtbot, window, "Outdoor", OUTDOOR_ME)
    assert_edits_kept(window, expected)
    assert ui.button(window, "Send").isEnabled()


def test_looking_up_another_user_with_unsent_edits_keeps_them(qtbot, open_window, strict_api):
    window = open_window().window
    first_run(qtbot, strict_api)
    edited_user(qtbot, window)
    result = look_up(qtbot, window, "Email", EMAIL)
    box = ui.window_titled(REPLACE_EDITS)
    if box is not None:  # asking first is fine too: keep them
        click(qtbot, ui.button(box, "Cancel"))
    else:
        assert result.startswith("Found"), result
    assert_edits_kept(window, {"Favorite color": "teal", "Newsletter": "weekly"})
    assert ui.button(window, "Send").isEnabled()


# 6. replaying a history request ------------------------------------------------------------
def test_replaying_a_send_asks_before_replacing_unsent_edits(qtbot, open_window, strict_api):
    window = open_window().window
    first_run(qtbot, strict_api)
    assert look_up(qtbot, window, "Phone", PHONE_TYPED).startswith("Found")
    set_attribute(qtbot, window, "Newsletter", "daily")
    assert send_and_wait(qtbot, window).startswith("Sent, then re-read")
    set_attribute(qtbot, window, "Newsletter", "weekly")
    set_attribute(qtbot, window, "Favorite color", "teal")

    select_history_row(qtbot, window, "POST", PHONE)
    replay(qtbot, window)
    box = wait_window(qtbot, REPLACE_EDITS)
    click(qtbot, ui.button(box, "Cancel"))
    qtbot.waitUntil(lambda: ui.window_titled(REPLACE_EDITS) is None)
    assert_edits_kept(window, {"Favorite color": "teal", "Newsletter": "weekly"})

    # Asked again, and this time agreed to: the send's values are loaded.
    replay(qtbot, window)
    box = wait_window(qtbot, REPLACE_EDITS)
    click(qtbot, ui.button(box, "Replace"))
    qtbot.waitUntil(lambda: values(window).get("Newsletter") == "daily")


def test_replay_with_a_value_still_being_typed_asks_first(qtbot, open_window, strict_api):
    window = open_window().window
    first_run(qtbot, strict_api)
    assert look_up(qtbot, window, "Phone", PHONE_TYPED).startswith("Found")
    set_attribute(qtbot, window, "Newsletter", "daily")
    assert send_and_wait(qtbot, window).startswith("Sent, then re-read")
    select_history_row(qtbot, window, "POST", PHONE)
    start_retyping_value(qtbot, window, "Newsletter", "typed-not-entered")

    replay(qtbot, window)
    box = wait_window(qtbot, REPLACE_EDITS)
    click(qtbot, ui.button(box, "Cancel"))
    qtbot.waitUntil(lambda: ui.window_titled(REPLACE_EDITS) is None)
    assert_edits_kept(window, {"Newsletter": "typed-not-entered"})


def test_replaying_another_users_lookup_does_not_silently_retarget_unsent_edits(
    qtbot, open_window, strict_api
):
    """Unsent edits are for the user in the form. Replaying a lookup of someone else must not
    quietly swap who they will be sent to: ask first, or leave the form as it was."""
    window = open_window().window
    first_run(qtbot, strict_api)
    assert look_up(qtbot, window, "Email", EMAIL).startswith("Found")  # in the history now
    edited_user(qtbot, window)  # the phone user, this time

    select_history_row(qtbot, window, "GET", EMAIL)
    replay(qtbot, window)
    box = ui.window_titled(REPLACE_EDITS)
    if box is not None:
        click(qtbot, ui.button(box, "Cancel"))
    phone = phone_field(window)
    email = ui.by_label(window, "Email", QLineEdit).text()
    assert_edits_kept(window, {"Favorite color": "teal", "Newsletter": "weekly"})
    assert names_phone(phone) and email == "", (
        f"the unsent edits now go to phone={phone!r} email={email!r}, without a question"
    )


# 7. pasting rows, removing rows --------------------------------------------------------------
def test_pasting_new_rows_keeps_the_typed_edits(qtbot, open_window, strict_api):
    window = open_window().window
    first_run(qtbot, strict_api)
    edited_user(qtbot, window)
    paste_rows(qtbot, window, "Shirt note\tfits large\nLoyalty=silver\n")
    qtbot.waitUntil(lambda: "Loyalty" in values(window))
    assert_edits_kept(
        window,
        {
            "Favorite color": "teal",
            "Newsletter": "weekly",
            "Shirt note": "fits large",
            "Loyalty": "silver",
        },
    )


def test_pasting_over_a_typed_value_asks_or_can_be_undone(qtbot, open_window, strict_api):
    """A paste from a spreadsheet that names an attribute the user already typed replaces
    that value. A polished editor lets the user take that back (Ctrl+Z) or asks first."""
    window = open_window().window
    first_run(qtbot, strict_api)
    edited_user(qtbot, window)
    paste_rows(qtbot, window, "Newsletter\tdaily\nShirt note\tfits large\n")
    qtbot.waitUntil(lambda: "Shirt note" in values(window) or len(ui.windows()) > 1)
    asked = [w for w in ui.windows() if w is not window]
    if asked:
        click(qtbot, ui.button(asked[0], "Cancel"))
    else:
        table = attribute_table(window)
        click_cell(qtbot, table, ui.row_where(table, "Name", "Shirt note"), "Name")
        press(qtbot, Qt.Key.Key_Z, CTRL)
    assert values(window).get("Newsletter") == "weekly", (
        f"the typed 'weekly' is gone after a paste, with no question and no undo: {values(window)}"
    )


def test_removing_an_edited_row_asks_or_can_be_undone(qtbot, open_window, strict_api):
    window = open_window().window
    first_run(qtbot, strict_api)
    edited_user(qtbot, window)
    table = attribute_table(window)
    click_cell(qtbot, table, ui.row_where(table, "Name", "Newsletter"), "Name")
    click(qtbot, ui.button(window, "Remove row"))
    asked = [w for w in ui.windows() if w is not window]
    if asked:  # asked first: say no, and the row stays
        click(qtbot, ui.button(asked[0], "Cancel"))
    else:  # else it can be taken back where the user is: Ctrl+Z in the table
        click_cell(qtbot, table, 0, "Name")
        qtbot.waitUntil(table.hasFocus)
        press(qtbot, Qt.Key.Key_Z, CTRL)
    assert values(window).get("Newsletter") == "weekly", (
        f"'Newsletter = weekly' was removed with no question and no undo: {values(window)}"
    )


# 8. the offer of an earlier session's edit ---------------------------------------------------
def test_an_unanswered_offer_is_not_lost_when_the_next_session_also_stops(
    qtbot, open_window, strict_api
):
    """Under time pressure a user ignores the Restore/Discard bar and starts on another
    customer; that session stops too. The first edit must still be offered (or restorable)."""
    session = open_window()
    first_run(qtbot, strict_api)
    edited_user(qtbot, session.window)  # edit A, for the phone user
    quit_app(qtbot, session)

    second = start_again(qtbot, open_window)
    assert names_phone(offer_text(qtbot, second.window))  # left unanswered
    assert look_up(qtbot, second.window, "Email", EMAIL).startswith("Found")
    set_attribute(qtbot, second.window, "Gift note", "edit-b")  # edit B, for the email user
    quit_app(qtbot, second)

    third = start_again(qtbot, open_window).window
    sentence = offer_text(qtbot, third)
    assert names_phone(sentence), (
        f"edit A (for {PHONE}: Favorite color teal, Newsletter weekly) is no longer offered; "
        f"the only offer reads: {sentence!r}"
    )


def test_restoring_over_a_new_edit_does_not_silently_wipe_it(qtbot, open_window, strict_api):
    """The user starts typing before noticing the bar, then presses Restore: the new edit must
    not vanish without a question."""
    session = open_window()
    first_run(qtbot, strict_api)
    edited_user(qtbot, session.window)
    quit_app(qtbot, session)

    window = start_again(qtbot, open_window).window
    offer_text(qtbot, window)
    set_attribute(qtbot, window, "Fresh note", "typed-before-restore")
    click(qtbot, ui.button(window, "Restore"))
    asked = [w for w in ui.windows() if w is not window]
    if asked:  # a question is fine: keep what was typed
        click(qtbot, ui.button(asked[0], "Cancel"))
    assert values(window).get("Fresh note") == "typed-before-restore", (
        f"Restore wiped the edit typed meanwhile: the table shows {values(window)}"
    )
