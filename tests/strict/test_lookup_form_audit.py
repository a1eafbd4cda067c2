"""The user lookup form as a support agent under time pressure uses it, against the strict
server (strict_api.py) and the promises of the issue and README:

"Phone, email, clientUserId and custom identifiers (add/remove name/value rows). Phone input
is normalised live to E.164 with the result shown; invalid input is marked at the field with
the reason. 'Look up' (Enter) queries by phone or email (a choice when both are filled),
fills the editor's Current column and teaches the schema registry the types it sees; 'no such
user' (404) reads as a friendly message, not an error dump."

Every widget is found as a user or a screen reader finds it (ui.py); every step is a click,
a key press or a paste. What reached the server is read from the strict server's record.
"""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QApplication, QComboBox, QToolButton, QWidget

from tests.strict import ui
from tests.strict.journey import (
    ALT,
    CTRL,
    OFFSCREEN_POPUP_WARNINGS,
    WAIT,
    activate,
    attribute_table,
    click,
    first_run,
    focus_name,
    look_up,
    lookup_result,
    press,
    set_attribute,
    type_into,
    type_keys,
    visible_texts,
)
from tests.strict.lookup_form_support import (
    ATTRIBUTES,
    EMAIL,
    PHONE,
    add_custom_row_by_mouse,
    assert_readable,
    check_label,
    choose_by_keyboard,
    clear,
    custom_field,
    custom_row_numbers,
    decoded,
    email_check,
    enter_in,
    field,
    nothing_sent_before_next_lookup,
    paste_into,
    phone_check,
    queries,
    result_now,
    show_request,
    started_a_lookup,
    ticks,
    type_text,
    wait_lookup_done,
    waited,
)
from tests.strict.strict_api import StrictUser

pytestmark = OFFSCREEN_POPUP_WARNINGS

SENT_PHONE = "phone=%2B14155550100"
MORE_THAN_ANY_RETRIES = 50
UNKNOWN_PHONE = "(212) 555-0199"  # valid, and nobody on the strict server has it


@pytest.fixture
def window(qtbot, open_window, strict_api):
    """The main window with the strict account added (the first-run dialog done)."""
    main = open_window().window
    first_run(qtbot, strict_api)
    return main


def current_values(window) -> dict[str, str]:
    """Name → Current of every row that shows a current value."""
    rows = ui.rows(attribute_table(window), "Name", "Current")
    return {name: current for name, current in rows if current not in ("", "—")}


def box(window, widget: QWidget) -> QRect:
    """Where ``widget`` sits in the window."""
    return QRect(widget.mapTo(window, widget.rect().topLeft()), widget.size())


def check_of(window, name: str) -> str:
    return dict(ui.rows(attribute_table(window), "Name", "Check"))[name]


# 1. phone spellings: read live as E.164, that is what is sent -------------------------------
TYPED_SPELLINGS = [
    "(415) 555-0100",
    "415.555.0100",
    "+1 415 555 0100",
    "14155550100",
    "415\u00a0555\u00a00100",  # non-breaking spaces, as copied from a web page
    "\uff14\uff11\uff15\uff15\uff15\uff15\uff10\uff11\uff10\uff10",  # full-width digits (IME)
]
PASTED_SPELLINGS = [
    "(415) 555-0100\n",  # a line copied from a ticket, with its line end
    "\u00a0+1\u00a0415\u00a0555\u00a00100\u00a0",
    " 415-555-0100 \r\n",
]


def test_phone_spellings_read_live_as_e164_and_go_out_as_percent_2b(qtbot, window, strict_api):
    """Typed or pasted, each common spelling of the seeded number reads "+14155550100" under
    the field as it is typed (before any lookup), and Enter sends exactly phone=%2B14155550100
    and finds the user."""
    phone = field(window, "Phone")
    problems = []
    for spelling in TYPED_SPELLINGS + PASTED_SPELLINGS:
        if spelling in PASTED_SPELLINGS:
            paste_into(qtbot, phone, spelling)
        else:
            type_text(qtbot, phone, spelling)
        live = phone_check(window)
        if PHONE not in live:
            problems.append(f"{spelling!r}: the line under Phone reads {live!r}")
            continue
        before = len(queries(strict_api))
        qtbot.keyClick(phone, Qt.Key.Key_Return)
        result = wait_lookup_done(qtbot, window)
        sent = queries(strict_api)[before:]
        if sent != [SENT_PHONE] or not result.startswith("Found"):
            problems.append(f"{spelling!r}: sent {sent}, result {result!r}")
    assert problems == []


def test_an_international_number_and_a_national_one_under_the_us_default(qtbot, window, strict_api):
    """ "+44 20 7946 0958" reads as +442079460958 and is sent so. "020 7946 0958" (a UK number
    written nationally) is not a US number: under the default region it is marked at the field
    with a reason that says how to write it, and nothing is sent."""
    phone = field(window, "Phone")
    type_into(qtbot, phone, "+44 20 7946 0958")
    assert "+442079460958" in phone_check(window)
    qtbot.keyClick(phone, Qt.Key.Key_Return)
    wait_lookup_done(qtbot, window)
    assert queries(strict_api) == ["phone=%2B442079460958"]

    type_into(qtbot, phone, "020 7946 0958")
    reason = phone_check(window)
    assert "020 7946 0958" in reason and "international" in reason.lower(), reason
    assert "+" in reason  # shows how: an example with the country code
    qtbot.keyClick(phone, Qt.Key.Key_Return)
    assert not started_a_lookup(window)
    assert nothing_sent_before_next_lookup(qtbot, window, strict_api) == ["phone=%2B442079460958"]


def test_invalid_phone_is_marked_at_the_field_with_its_reason_and_nothing_is_sent(
    qtbot, window, strict_api
):
    """The reason shows right under the Phone field (between it and Email, aligned with it),
    a screen reader gets it from the field itself (its accessible description), and Enter
    sends nothing."""
    phone = field(window, "Phone")
    type_into(qtbot, phone, "+1 (415) 555-0100 ext. 12")
    reason = phone_check(window)
    assert "extension" in reason.lower(), reason
    assert_readable(reason)
    assert reason in phone.accessibleDescription(), phone.accessibleDescription()

    line = check_label(window, "Phone check")
    email = field(window, "Email")
    line_box, phone_box, email_box = (box(window, w) for w in (line, phone, email))
    below_phone = line_box.top() >= phone_box.bottom()
    above_email = line_box.bottom() <= email_box.top()
    aligned = abs(line_box.left() - phone_box.left()) <= 8
    assert below_phone and above_email and aligned, "the reason is not beside the field"

    qtbot.keyClick(phone, Qt.Key.Key_Return)
    assert not started_a_lookup(window)
    assert phone.hasFocus()  # still there to fix
    assert nothing_sent_before_next_lookup(qtbot, window, strict_api) == []


def test_the_e164_reading_reaches_a_screen_reader_from_the_phone_field(qtbot, window):
    """ "the result shown": a sighted agent sees "Reads as +14155550100" under the field; a
    screen-reader user on the field must get the same (accessible description), as they get
    the reason for an invalid number."""
    phone = field(window, "Phone")
    type_into(qtbot, phone, "(415) 555-0100")
    assert PHONE in phone_check(window)
    assert PHONE in phone.accessibleDescription(), (
        f"the field's accessible description is {phone.accessibleDescription()!r}"
    )


def test_a_seven_digit_number_says_it_is_too_short(qtbot, window, strict_api):
    """ "555-0100" (the area code forgotten) is refused with the reason: too short / missing
    the area code, not only "is not valid"."""
    phone = field(window, "Phone")
    type_into(qtbot, phone, "555-0100")
    reason = phone_check(window)
    assert reason, "nothing says the number is wrong"
    lowered = reason.lower()
    assert "short" in lowered or "area code" in lowered or "digits" in lowered, reason
    qtbot.keyClick(phone, Qt.Key.Key_Return)
    assert nothing_sent_before_next_lookup(qtbot, window, strict_api) == []


@pytest.mark.parametrize("typed", ["abc", "(415) 555-01OO", "415-555-O1OO", "415555O1OO"])
def test_letters_in_a_phone_are_refused_not_read_as_another_number(
    qtbot, window, strict_api, typed
):
    """Letters typed into Phone (the letter O for a zero is the classic slip) are marked at the
    field with a reason, not silently read as a keypad "vanity" number, which would look up
    someone else."""
    phone = field(window, "Phone")
    type_into(qtbot, phone, typed)
    reason = phone_check(window)
    assert "✓" not in reason and "Reads as" not in reason, f"{typed!r} {reason}"
    assert reason and reason in phone.accessibleDescription(), reason
    qtbot.keyClick(phone, Qt.Key.Key_Return)
    assert nothing_sent_before_next_lookup(qtbot, window, strict_api) == []


# 2. email spellings ---------------------------------------------------------------------------
def test_email_spellings_are_trimmed_and_sent_as_one_address(qtbot, window, strict_api):
    """Uppercase and surrounding spaces (a pasted address) find the seeded user; the address
    goes out trimmed, @ and all, as exactly one email parameter."""
    email = field(window, "Email")
    for typed in ("LIN@EXAMPLE.ORG", "  lin@example.org  ", "\tLin@Example.org\u00a0"):
        before = len(queries(strict_api))
        if "\t" in typed or "\u00a0" in typed:
            paste_into(qtbot, email, typed)
        else:
            type_into(qtbot, email, typed)
        qtbot.keyClick(email, Qt.Key.Key_Return)
        result = wait_lookup_done(qtbot, window)
        sent = [decoded(q) for q in queries(strict_api)[before:]]
        assert len(sent) == 1 and sent[0].lower() == f"email={EMAIL}", (typed, sent)
        assert " " not in sent[0] and "\u00a0" not in sent[0]
        assert result.startswith("Found"), (typed, result)


@pytest.mark.parametrize(
    ("typed", "hint"),
    [
        ("a@b", "dot"),
        ("no-at-sign", "@"),
        ("x@y..com", "domain"),
        ("ada @example.com", "space"),
    ],
)
def test_an_invalid_email_is_marked_at_the_field_with_its_reason(
    qtbot, window, strict_api, typed, hint
):
    email = field(window, "Email")
    type_into(qtbot, email, typed)
    qtbot.keyClick(email, Qt.Key.Key_Return)
    assert not started_a_lookup(window)
    reason = email_check(window)
    assert hint in reason.lower() and typed in reason, reason
    assert_readable(reason)
    assert reason in email.accessibleDescription()
    assert email.hasFocus()
    assert nothing_sent_before_next_lookup(qtbot, window, strict_api) == []


def test_an_address_with_a_unicode_domain_is_sent_and_a_miss_reads_friendly(
    qtbot, window, strict_api
):
    email = field(window, "Email")
    type_text(qtbot, email, "ada@bücher.de")
    qtbot.keyClick(email, Qt.Key.Key_Return)
    result = wait_lookup_done(qtbot, window)
    (sent,) = queries(strict_api)
    assert decoded(sent) in ("email=ada@bücher.de", "email=ada@xn--bcher-kva.de"), sent
    assert "bücher.de" in result or "xn--bcher-kva.de" in result, result
    assert_readable(result)
    assert "404" not in result


# 3. both phone and email: the choice ---------------------------------------------------------
def test_both_filled_offers_a_choice_taken_by_keyboard(qtbot, window, strict_api):
    """With both a phone and an email, "Look up by" appears (Phone / Email), Alt+B reaches it,
    typing picks one, and the lookup goes by that one only (never both: 400)."""
    type_into(qtbot, field(window, "Phone"), "(415) 555-0100")
    assert "Look up by" not in [ui.plain(t) for t in visible_texts(window)]
    type_into(qtbot, field(window, "Email"), EMAIL)
    by = ui.by_label(window, "Look up by", QComboBox)
    assert sorted(by.itemText(i) for i in range(by.count())) == ["Email", "Phone"]

    choose_by_keyboard(qtbot, window, "Look up by", "Email")  # Alt+B, arrows
    press(qtbot, Qt.Key.Key_L, CTRL)
    assert wait_lookup_done(qtbot, window).startswith(f"Found {EMAIL}")
    choose_by_keyboard(qtbot, window, "Look up by", "Phone")
    press(qtbot, Qt.Key.Key_L, CTRL)
    assert wait_lookup_done(qtbot, window).startswith(f"Found {PHONE}")
    sent = [decoded(q) for q in queries(strict_api)]
    assert sent == [f"email={EMAIL}", "phone=+14155550100"], sent

    clear(qtbot, window, "Email")  # one identifier again: the choice goes away
    assert "Look up by" not in [ui.plain(t) for t in visible_texts(window)]
    assert not by.isVisible()


def test_escape_on_the_open_choice_keeps_it_and_sends_nothing(qtbot, window, strict_api):
    """Opening the choice's list by keyboard (Alt+Down), moving in it and pressing Esc closes it
    with the choice unchanged, and nothing is looked up."""
    type_into(qtbot, field(window, "Phone"), "(415) 555-0100")
    type_into(qtbot, field(window, "Email"), EMAIL)
    by = ui.by_label(window, "Look up by", QComboBox)
    before = by.currentText()
    activate(qtbot, window)
    press(qtbot, Qt.Key.Key_B, ALT)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is by)
    press(qtbot, Qt.Key.Key_Down, ALT)
    qtbot.waitUntil(lambda: by.view().isVisible())
    qtbot.keyClick(by.view(), Qt.Key.Key_Down)
    qtbot.keyClick(by.view(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not by.view().isVisible())
    assert by.currentText() == before
    assert not started_a_lookup(window)
    assert nothing_sent_before_next_lookup(qtbot, window, strict_api) == []


# 4. Enter looks up from every field ------------------------------------------------------------
def test_enter_in_every_field_of_the_form_looks_up(qtbot, window, strict_api):
    """README: "Ctrl+L, or Enter in a lookup field". Phone, Email, clientUserId, a custom
    identifier's name and value, and the "Look up by" choice: Enter in each starts the lookup."""
    type_into(qtbot, field(window, "Phone"), "(415) 555-0100")
    type_into(qtbot, field(window, "clientUserId"), "cu-123")
    number = add_custom_row_by_mouse(qtbot, window)
    type_into(qtbot, custom_field(window, number, "name"), "loyaltyId")
    type_into(qtbot, custom_field(window, number, "value"), "L-1")
    targets = {
        "Phone": field(window, "Phone"),
        "clientUserId": field(window, "clientUserId"),
        "Custom identifier name": custom_field(window, number, "name"),
        "Custom identifier value": custom_field(window, number, "value"),
    }
    silent = []

    def try_enter(name, widget) -> None:
        before = len(queries(strict_api))
        enter_in(qtbot, widget)
        if not started_a_lookup(window):
            silent.append(name)
            return
        wait_lookup_done(qtbot, window)
        assert len(queries(strict_api)) == before + 1

    for name, widget in targets.items():
        try_enter(name, widget)
    type_into(qtbot, field(window, "Email"), EMAIL)
    try_enter("Email", field(window, "Email"))
    try_enter("Look up by", ui.by_label(window, "Look up by", QComboBox))
    assert silent == [], f"Enter did nothing in: {silent}"


# 5. identifiers Attentive cannot look up by ------------------------------------------------------
def test_only_a_client_user_id_says_plainly_that_lookups_need_phone_or_email(
    qtbot, window, strict_api
):
    edit = field(window, "clientUserId")
    type_into(qtbot, edit, "cu-123")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert not started_a_lookup(window)
    said = result_now(window)
    lowered = said.lower()
    assert "phone" in lowered and "email" in lowered and "clientuserid" in lowered, said
    assert_readable(said)
    clear(qtbot, window, "clientUserId")
    assert nothing_sent_before_next_lookup(qtbot, window, strict_api) == []


def test_only_custom_identifiers_say_plainly_that_lookups_need_phone_or_email(
    qtbot, window, strict_api
):
    number = add_custom_row_by_mouse(qtbot, window)
    type_keys(qtbot, "loyaltyId")  # the new row's name field has the focus
    value = custom_field(window, number, "value")
    type_into(qtbot, value, "L-1")
    qtbot.keyClick(value, Qt.Key.Key_Return)
    assert not started_a_lookup(window)
    said = result_now(window)
    lowered = said.lower()
    assert "phone" in lowered and "email" in lowered and "custom identifier" in lowered, said
    assert_readable(said)
    assert nothing_sent_before_next_lookup(qtbot, window, strict_api) == []


# 6. custom identifier rows ------------------------------------------------------------------
def test_custom_identifier_rows_added_and_removed_by_mouse(qtbot, window):
    """Two rows added, the first removed with its Remove button: only the second is part of
    the user the next write goes to (Show request)."""
    first = add_custom_row_by_mouse(qtbot, window)
    type_into(qtbot, custom_field(window, first, "name"), "loyaltyId")
    type_into(qtbot, custom_field(window, first, "value"), "L-1")
    second = add_custom_row_by_mouse(qtbot, window)
    type_into(qtbot, custom_field(window, second, "name"), "storeCard")
    type_into(qtbot, custom_field(window, second, "value"), "S-2")
    assert custom_row_numbers(window) == [first, second]

    click(qtbot, ui.by_accessible_name(window, QToolButton, f"Remove custom identifier {first}"))
    qtbot.waitUntil(lambda: custom_row_numbers(window) == [second])
    type_into(qtbot, field(window, "Phone"), "(415) 555-0100")
    set_attribute(qtbot, window, "Newsletter", "weekly")
    body = show_request(qtbot, window)
    assert body["user"] == {
        "phone": PHONE,
        "externalIdentifiers": {"customIdentifiers": [{"name": "storeCard", "value": "S-2"}]},
    }, body["user"]


def test_custom_identifier_rows_added_and_removed_by_keyboard(qtbot, window):
    """Tab to "Add custom identifier", Space: a row whose name field has the focus; Tab, value;
    Tab, its Remove; Space removes it and the focus stays in the form (not lost)."""
    activate(qtbot, window)
    press(qtbot, Qt.Key.Key_C, ALT)  # &clientUserId
    assert focus_name() == "clientUserId"
    press(qtbot, Qt.Key.Key_Tab)
    assert focus_name() == "Add custom identifier"
    press(qtbot, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: bool(re.fullmatch(r"Custom identifier \d+ name", focus_name())))
    number = int(focus_name().split()[2])
    type_keys(qtbot, "loyaltyId")
    press(qtbot, Qt.Key.Key_Tab)
    assert focus_name() == f"Custom identifier {number} value"
    type_keys(qtbot, "L-1")
    press(qtbot, Qt.Key.Key_Tab)
    assert focus_name() == f"Remove custom identifier {number}"
    press(qtbot, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: custom_row_numbers(window) == [])
    ticks(qtbot)  # the removed row is gone: where the focus went has settled
    assert focus_name() in ("Add custom identifier", "clientUserId"), (
        f"after Remove the keyboard focus is on {focus_name()}"
    )


def test_a_half_filled_custom_identifier_is_refused_with_a_reason(qtbot, window, strict_api):
    """A name without a value stops the lookup with a sentence naming the identifier."""
    type_into(qtbot, field(window, "Phone"), "(415) 555-0100")
    number = add_custom_row_by_mouse(qtbot, window)
    type_into(qtbot, custom_field(window, number, "name"), "loyaltyId")
    qtbot.keyClick(field(window, "Phone"), Qt.Key.Key_Return)
    assert not started_a_lookup(window)
    said = result_now(window)
    assert "loyaltyId" in said and "value" in said.lower(), said
    assert_readable(said)
    type_into(qtbot, custom_field(window, number, "name"), "")  # cleared: the row is ignored
    assert nothing_sent_before_next_lookup(qtbot, window, strict_api) == []


def test_a_half_filled_custom_identifier_is_marked_at_its_field(qtbot, window):
    """ "invalid input is marked at the field with the reason": the empty value field gets the
    focus (to type the value) and carries the reason for a screen reader, as Phone does."""
    type_into(qtbot, field(window, "Phone"), "(415) 555-0100")
    number = add_custom_row_by_mouse(qtbot, window)
    type_into(qtbot, custom_field(window, number, "name"), "loyaltyId")
    qtbot.keyClick(field(window, "Phone"), Qt.Key.Key_Return)
    value = custom_field(window, number, "value")
    assert "loyaltyId" in value.accessibleDescription(), repr(value.accessibleDescription())
    assert value.hasFocus(), f"the focus is on {focus_name()}"


# 7. what a lookup says -------------------------------------------------------------------------
def test_no_such_user_reads_as_a_friendly_sentence_naming_who(qtbot, window, strict_api):
    """A 404 names the number or address looked up, in a sentence, with no status code; the
    previous user's values do not stay in the Current column."""
    assert look_up(qtbot, window, "Phone", "(415) 555-0100").startswith("Found")
    assert current_values(window)
    by_phone = look_up(qtbot, window, "Phone", UNKNOWN_PHONE)
    assert "+12125550199" in by_phone, by_phone
    assert_readable(by_phone)
    assert "404" not in by_phone and "Not Found" not in by_phone, by_phone
    assert current_values(window) == {}, "the previous user's values still show"
    by_email = look_up(qtbot, window, "Email", "nobody@example.org")
    assert "nobody@example.org" in by_email, by_email
    assert_readable(by_email)
    assert [r.status for r in strict_api.received("GET", ATTRIBUTES)] == [200, 404, 404]


@pytest.mark.parametrize("status", [400, 401, 403, 429, 500])
def test_a_failed_lookup_reads_plainly(qtbot, window, strict_api, status):
    """Each refusal reads as a sentence (no JSON, no bare status code, no traceback text) and
    shows what the server's message said (DESIGN: show whatever message the body has)."""
    said_by_server = "lookup refused by the service for this request"
    headers = {"x-ratelimit-limit": "150", "x-ratelimit-remaining": "0"}
    strict_api.fail_next(
        "GET",
        ATTRIBUTES,
        MORE_THAN_ANY_RETRIES,
        status,
        headers=headers,
        message=said_by_server,
    )
    result = look_up(qtbot, window, "Phone", "(415) 555-0100")
    strict_api.clear_faults()
    assert not result.startswith("Found"), result
    assert_readable(result, strict_api.write_key)
    assert said_by_server in result, result
    assert ui.button(window, "Look up").isEnabled()


def test_zero_and_one_attribute_results_read_correctly(qtbot, window, strict_api):
    with strict_api.lock:
        strict_api.users.append(StrictUser(phone="+14155550123"))
        strict_api.users.append(StrictUser(phone="+14155550124", attributes={"VIP": "true"}))
    none = look_up(qtbot, window, "Phone", "(415) 555-0123")
    assert none.startswith("Found +14155550123"), none
    assert re.search(r"\b(0|no) (custom )?attributes\b", none), none
    assert current_values(window) == {}
    one = look_up(qtbot, window, "Phone", "(415) 555-0124")
    assert re.search(r"\b1 (custom )?attribute\b(?!s)", one), one
    assert current_values(window) == {"VIP": "true"}


# 8. a lookup teaches types ---------------------------------------------------------------------
def test_a_lookup_teaches_the_types_it_sees(qtbot, window):
    """After looking up a user whose "age" is "36", "age" is known as a Number: a Text value
    for it warns, even for another user who has no age (so it is not just the Current column
    speaking), and a number does not."""
    assert look_up(qtbot, window, "Phone", "(415) 555-0100").startswith("Found")
    assert current_values(window)["age"] == "36"
    assert look_up(qtbot, window, "Email", EMAIL).startswith("Found")
    assert "age" not in current_values(window)
    set_attribute(qtbot, window, "age", "thirty")
    check = check_of(window, "age")
    assert "Number" in check, check
    set_attribute(qtbot, window, "age", "37")
    assert check_of(window, "age") == "OK", check_of(window, "age")


# 9. two lookups in a row --------------------------------------------------------------------------
def test_a_second_lookup_replaces_a_slow_first_one(qtbot, window, strict_api):
    """Look up the phone user (the server is slow), then at once the email user: the result
    and the Current column are the email user's, and stay so when the first answer comes."""
    strict_api.slow_down("GET", ATTRIBUTES, 1.5)
    type_into(qtbot, field(window, "Phone"), "(415) 555-0100")
    qtbot.keyClick(field(window, "Phone"), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(strict_api.in_flight("GET", ATTRIBUTES)), timeout=WAIT)
    strict_api.clear_faults()  # the next one is answered at once
    clear(qtbot, window, "Phone")
    type_into(qtbot, field(window, "Email"), EMAIL)
    qtbot.keyClick(field(window, "Email"), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: result_now(window).startswith("Found"), timeout=WAIT)
    assert result_now(window).startswith(f"Found {EMAIL}"), result_now(window)
    first = strict_api.received("GET", ATTRIBUTES)[0]
    qtbot.waitUntil(lambda: first.status != 0 or first.dropped, timeout=WAIT)
    ticks(qtbot)  # the late answer had its chance to show
    assert result_now(window).startswith(f"Found {EMAIL}"), result_now(window)
    assert current_values(window) == {
        "Favorite color": "green",
        "Member since": "2021-04-23",
        "Gift card balance": "50.89",
    }
    assert not started_a_lookup(window)
    assert ui.button(window, "Look up").isEnabled()
    assert "cancel" not in lookup_result(window).lower()


def test_pressing_enter_twice_quickly_shows_one_result(qtbot, window, strict_api):
    """An impatient double Enter: the window ends on one clean result for that user."""
    phone = field(window, "Phone")
    type_into(qtbot, phone, "(415) 555-0100")
    qtbot.keyClick(phone, Qt.Key.Key_Return)
    qtbot.keyClick(phone, Qt.Key.Key_Return)
    result = wait_lookup_done(qtbot, window)
    assert waited(qtbot, lambda: result_now(window).startswith(f"Found {PHONE}")), result
    ticks(qtbot)
    assert result_now(window).startswith(f"Found {PHONE}"), result_now(window)
    assert current_values(window)["age"] == "36"
    assert set(queries(strict_api)) == {SENT_PHONE}
