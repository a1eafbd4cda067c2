"""An audit of the property editor (Name | Value | Type | Current | Check) as a marketer uses
it, against DESIGN.md's rules for ``properties`` and type fixing and README's promises: values
and names typed into the table by the keyboard, rows pasted from the clipboard, Show request,
the warnings box and the catalog of properties created in Attentive's UI. The window is built
by the composition root and talks to the strict server (strict_api.py), whose records say
what was really sent.

Each test asserts what a careful user needs; a failing one names the shortfall.
"""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from tests.strict import ui
from tests.strict.editor_rules_support import (
    POSTS,
    add_catalog_property,
    check_of,
    check_summary,
    new_catalog_row,
    new_row,
    paste_with_ctrl_v,
    paste_with_menu,
    ready_with_lookup,
    refused_send_posts_nothing,
    row_named,
    send_enabled,
    send_through_preview,
    show_request,
    status_bar,
    table_rows,
    type_of,
    wait_warnings_or_preview,
    warnings_box_text,
)
from tests.strict.journey import (
    CTRL,
    LEFT,
    OFFSCREEN_POPUP_WARNINGS,
    PREVIEW,
    WAIT,
    WARNINGS,
    WRITING_TO,
    activate,
    assert_plain,
    attribute_table,
    click,
    first_run,
    press,
    send_result,
    send_with_keyboard,
    set_attribute,
    type_into,
    writing_to,
)

pytestmark = OFFSCREEN_POPUP_WARNINGS

LIN = "lin@example.org"


@pytest.fixture
def window(qtbot, open_window, strict_api):
    """The main window, its first account added against the strict server."""
    window = open_window().window
    first_run(qtbot, strict_api)
    qtbot.waitUntil(lambda: writing_to(window).text() == WRITING_TO, timeout=WAIT)
    return window


# the Type column, as typed -----------------------------------------------------------------
TYPED = [
    ("42", "Number"),
    ("50.89", "Number"),
    ("-3", "Number"),
    ("1e5", "Text"),  # not a plain integer or decimal: nothing documented makes it a Number
    ("  42 ", "Number"),
    ("TRUE", "Boolean"),
    ("false", "Boolean"),
    ("True", "Boolean"),
    ("yes", "Text"),
    ("2021-04-23", "Date"),
    ("2021-04-23T16:04:33Z", "Date"),
    ("2021-02-30", "Text"),  # not a calendar date
    ("04/23/2021", "Text"),
    ("007", "Number"),
    ("02134", "Number"),
    ("+14155550100", "Number"),
    ("(415) 555-0100", "Text"),
    ("", ""),
]


def test_type_column_shows_the_type_of_each_value_as_typed(qtbot, window):
    """README: the Type column shows what Attentive will make of the value as you type;
    DESIGN: integers and decimals → Number, true/false in any case → Boolean, YYYY-MM-DD and
    ISO-8601 timestamps → Date, anything else → Text."""
    for number, (value, _expected) in enumerate(TYPED):
        new_row(qtbot, window, f"Probe {number:02d}", value)
    shown = {row["Name"]: (row["Value"], row["Type"]) for row in table_rows(window)}
    expected = {f"Probe {n:02d}": (v, t) for n, (v, t) in enumerate(TYPED)}
    assert shown == expected


def test_documented_example_values_fix_the_types_the_type_column_showed(qtbot, window, strict_api):
    """DESIGN's documented example, sent as first values of new attributes: the Type column's
    claim before Send is the type the server fixed, and afterwards it reads as fixed."""
    ready_with_lookup(qtbot, window)
    example = {
        "Age at signup": ("24", "Number"),
        "Birthday": ("1986-11-16", "Date"),
        "Sign up": ("2021-04-23T16:04:33Z", "Date"),
        "Card balance": ("50.89", "Number"),
        "VIP member": ("TRUE", "Boolean"),
    }
    for name, (value, _type) in example.items():
        new_row(qtbot, window, name, value)
    assert {n: type_of(window, n) for n in example} == {n: t for n, (_v, t) in example.items()}
    send_through_preview(qtbot, window, strict_api, expect_warnings=False)
    post = strict_api.received("POST", POSTS)[-1]
    assert post.status == 200
    assert post.json()["properties"] == {n: v for n, (v, _t) in example.items()}
    assert {n: strict_api.types[n] for n in example} == {n: t for n, (_v, t) in example.items()}
    assert {n: type_of(window, n) for n in example} == {
        n: f"{t} (fixed)" for n, (_v, t) in example.items()
    }


@pytest.mark.parametrize(
    ("name", "value"), [("ZIP code", "02134"), ("Agent code", "007")], ids=["zip", "agent"]
)
def test_leading_zero_value_warns_before_it_fixes_a_number(qtbot, window, strict_api, name, value):
    """A ZIP code or code with a leading zero reads as a Number (DESIGN: integers → Number):
    sent as the first value it fixes the attribute as Number for good, and a number has no
    leading zero. The user must be warned beside the cell and asked before it is sent."""
    ready_with_lookup(qtbot, window)
    new_row(qtbot, window, name, value)
    assert type_of(window, name) == "Number"
    check = check_of(window, name)
    assert check != "OK", f"{value!r} for a new attribute passes silently as a Number"
    assert re.search(r"zero|leading", check, re.IGNORECASE), check
    send_with_keyboard(qtbot, window)
    first = wait_warnings_or_preview(qtbot)
    assert first.windowTitle() == WARNINGS, "Send did not ask before fixing the type"
    assert value in warnings_box_text(first)
    assert strict_api.received("POST") == []


@pytest.mark.parametrize("value", ["2021-02-30", "04/23/2021"], ids=["feb-30", "us-date"])
def test_date_like_text_for_a_new_attribute_warns(qtbot, window, strict_api, value):
    """A birthday typed as an impossible date or in US order is Text to the app's own rule:
    sent first, it would fix "Birthday" as Text for good. The Check column must say so."""
    ready_with_lookup(qtbot, window)
    new_row(qtbot, window, "Birthday", value)
    assert type_of(window, "Birthday") == "Text"
    check = check_of(window, "Birthday")
    assert check != "OK", f"{value!r} for a new 'Birthday' passes silently as Text"
    assert "date" in check.lower(), check


def test_invalid_date_for_a_date_attribute_warns(qtbot, window):
    """ "Member since" is a Date (the lookup shows 2021-04-23): 2021-02-30 is not a date."""
    ready_with_lookup(qtbot, window)
    set_attribute(qtbot, window, "Member since", "2021-02-30")
    assert type_of(window, "Member since") == "Date (fixed)"
    check = check_of(window, "Member since")
    assert "Date" in check, check
    assert send_enabled(window)  # a warning, confirmed at Send: not an error
    assert check_summary(window).startswith("1 warning"), check_summary(window)


def test_empty_value_is_not_sent_silently(qtbot, window):
    """A named row left without a value: the Check column must say something, or the value
    must not be in the request (CSV bulk treats an empty cell as "don't send")."""
    ready_with_lookup(qtbot, window)
    new_row(qtbot, window, "Newsletter", "")
    check = check_of(window, "Newsletter")
    body = show_request(qtbot, window)
    assert check != "OK" or "Newsletter" not in body["properties"], (
        f"Check reads {check!r} and the request sends {body['properties']}"
    )


# names -------------------------------------------------------------------------------------
def test_name_of_200_characters_is_sent_and_201_is_refused(qtbot, window, strict_api):
    """DESIGN: keys are at most 200 characters."""
    ready_with_lookup(qtbot, window)
    longest = "Preferred" + "x" * 191
    too_long = "Preferred" + "y" * 192
    assert (len(longest), len(too_long)) == (200, 201)
    new_row(qtbot, window, too_long, "blue")
    check = check_of(window, too_long)
    assert "200" in check and "201" in check, check
    assert not send_enabled(window)
    assert check_summary(window).startswith("Fix before sending")
    refused_send_posts_nothing(qtbot, window, strict_api)

    # The row goes by the keyboard: click it, Ctrl+Delete.
    table = attribute_table(window)
    index = ui.cell(table, [r["Name"] for r in table_rows(window)].index(too_long), "Name")
    activate(qtbot, window)
    qtbot.mouseClick(table.viewport(), LEFT, pos=table.visualRect(index).center())
    press(qtbot, Qt.Key.Key_Delete, CTRL)
    qtbot.waitUntil(lambda: too_long not in [r["Name"] for r in table_rows(window)])

    new_row(qtbot, window, longest, "blue")
    assert check_of(window, longest) == "OK"
    assert send_enabled(window)
    send_through_preview(qtbot, window, strict_api, expect_warnings=False)
    post = strict_api.received("POST", POSTS)[-1]
    assert post.status == 200
    assert post.json()["properties"] == {longest: "blue"}


def test_names_differing_only_by_case_in_one_edit_warn_and_both_are_sent(qtbot, window, strict_api):
    """ "Gift wrap" and "Gift Wrap" are two attributes (case-sensitive): a warning asked once,
    then both go out exactly as typed."""
    ready_with_lookup(qtbot, window)
    new_row(qtbot, window, "Gift wrap", "yes")
    new_row(qtbot, window, "Gift Wrap", "no")
    checks = [check_of(window, "Gift wrap"), check_of(window, "Gift Wrap")]
    assert any("case" in c.lower() for c in checks), checks
    assert send_enabled(window)
    said, _ = send_through_preview(qtbot, window, strict_api, expect_warnings=True)
    assert "Gift wrap" in said and "Gift Wrap" in said, said
    post = strict_api.received("POST", POSTS)[-1]
    assert post.status == 200
    assert post.json()["properties"] == {"Gift wrap": "yes", "Gift Wrap": "no"}


def test_name_differing_by_case_from_a_known_attribute_warns(qtbot, window, strict_api):
    """The user has "Favorite color": typing "Favorite Color" would create a second one."""
    ready_with_lookup(qtbot, window, "Phone", "(415) 555-0100")
    new_row(qtbot, window, "Favorite Color", "red")
    check = check_of(window, "Favorite Color")
    assert "Favorite color" in check, check
    said, _ = send_through_preview(qtbot, window, strict_api, expect_warnings=True)
    assert "Favorite color" in said, said
    post = strict_api.received("POST", POSTS)[-1]
    assert post.json()["properties"] == {"Favorite Color": "red"}
    assert strict_api.attributes_of(phone="+14155550100")["Favorite color"] == "blue"


def test_name_with_surrounding_spaces_warns_and_is_sent_as_typed(qtbot, window, strict_api):
    """Stray spaces around a name: a warning beside the cell, asked once at Send; the name
    then goes out exactly as Show request showed it."""
    ready_with_lookup(qtbot, window)
    new_row(qtbot, window, " Newsletter ", "weekly")
    check = check_of(window, " Newsletter ")
    assert "spaces" in check.lower(), check
    assert send_enabled(window)
    shown = show_request(qtbot, window)
    said, _ = send_through_preview(qtbot, window, strict_api, expect_warnings=True)
    assert "spaces" in said.lower(), said
    post = strict_api.received("POST", POSTS)[-1]
    assert post.json() == shown
    assert post.json()["properties"] == {" Newsletter ": "weekly"}


def test_same_name_on_two_rows_blocks_send(qtbot, window, strict_api):
    ready_with_lookup(qtbot, window)
    new_row(qtbot, window, "Tier", "Gold")
    new_row(qtbot, window, "Tier", "Silver")
    checks = [check_of(window, "Tier", 0), check_of(window, "Tier", 1)]
    assert all("twice" in c for c in checks), checks
    assert not send_enabled(window)
    refused_send_posts_nothing(qtbot, window, strict_api)


def test_empty_name_with_a_value_blocks_send(qtbot, window, strict_api):
    ready_with_lookup(qtbot, window)
    new_row(qtbot, window, "Tier", "Gold")
    new_row(qtbot, window, "", "Silver")
    nameless = [r for r in table_rows(window) if r["Name"] == "" and r["Value"] == "Silver"]
    assert len(nameless) == 1, table_rows(window)
    assert "empty name" in nameless[0]["Check"], nameless[0]
    assert check_of(window, "Tier") == "OK"
    assert not send_enabled(window)
    refused_send_posts_nothing(qtbot, window, strict_api)


# lists and objects -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "word"), [("[1,2]", "list"), ('{"a":1}', "group")], ids=["array", "object"]
)
def test_list_or_object_typed_as_value_is_refused_before_sending(
    qtbot, window, strict_api, value, word
):
    """DESIGN: arrays are rejected with 400, objects too. The app refuses them first: the
    error sits in the Check column of that row, Send is disabled and Ctrl+Return posts
    nothing."""
    ready_with_lookup(qtbot, window)
    new_row(qtbot, window, "Tier", "Gold")
    new_row(qtbot, window, "Sizes", value)
    check = check_of(window, "Sizes")
    assert word in check.lower(), check
    assert check_of(window, "Tier") == "OK"  # beside its own cell, not another row's
    assert not send_enabled(window)
    assert check_summary(window).startswith("Fix before sending")
    refused_send_posts_nothing(qtbot, window, strict_api)


# type fixed by the first value -------------------------------------------------------------
def test_type_fixed_in_an_earlier_session_warns_once_after_restart(qtbot, open_window, strict_api):
    """Send "10" (Number) to a new attribute; quit; start again: typing "gold" shows the
    fixed type and a warning at once (before any lookup), Send asks once, the server's
    refusal reads as a sentence, and Send again does not ask a second time."""
    session = open_window()
    window = session.window
    first_run(qtbot, strict_api)
    qtbot.waitUntil(lambda: writing_to(window).text() == WRITING_TO, timeout=WAIT)
    ready_with_lookup(qtbot, window)
    new_row(qtbot, window, "Loyalty points", "10")
    assert type_of(window, "Loyalty points") == "Number"
    send_through_preview(qtbot, window, strict_api, expect_warnings=False)
    assert strict_api.received("POST", POSTS)[-1].status == 200
    assert strict_api.types["Loyalty points"] == "Number"

    ui.menu_action(window, "Account", "Quit").trigger()
    qtbot.waitUntil(lambda: not window.isVisible())
    session.shutdown()
    again = open_window().window
    qtbot.waitUntil(lambda: writing_to(again).text() == WRITING_TO, timeout=WAIT)

    type_into(qtbot, ui.by_label(again, "Email", QLineEdit), LIN)
    new_row(qtbot, again, "Loyalty points", "gold")
    assert type_of(again, "Loyalty points") == "Number (fixed)"
    check = check_of(again, "Loyalty points")
    assert "Number" in check, check
    assert send_enabled(again)

    ready_with_lookup(qtbot, again)
    said, _ = send_through_preview(qtbot, again, strict_api, expect_warnings=True)
    assert "Loyalty points" in said and "Number" in said, said
    assert strict_api.received("POST", POSTS)[-1].status == 400
    result = send_result(again)
    assert result.startswith("Not sent"), result
    assert_plain(result, strict_api.write_key)
    assert strict_api.attributes_of(email=LIN)["Loyalty points"] == "10"

    send_with_keyboard(qtbot, again)  # the same warning was confirmed: not asked again
    first = wait_warnings_or_preview(qtbot)
    assert first.windowTitle() == PREVIEW, warnings_box_text(first)
    click(qtbot, ui.button(first, "Cancel"))
    qtbot.waitUntil(lambda: ui.window_titled(PREVIEW) is None)


def test_several_warnings_are_asked_once_in_one_box(qtbot, window, strict_api):
    """Case collision, stray spaces in a name and in a value: one box lists them all.
    Cancel there sends nothing (and Send asks again); Send anyway goes to the preview with no
    second box, and exactly the typed values are posted."""
    ready_with_lookup(qtbot, window, "Phone", "(415) 555-0100")
    new_row(qtbot, window, "Favorite Color", "red")
    new_row(qtbot, window, "Nickname ", "Al")
    new_row(qtbot, window, "Points", "  42 ")
    assert all(check_of(window, n) != "OK" for n in ("Favorite Color", "Nickname ", "Points"))
    assert check_summary(window).startswith("3 warnings"), check_summary(window)

    send_with_keyboard(qtbot, window)
    box = wait_warnings_or_preview(qtbot)
    assert box.windowTitle() == WARNINGS
    text = warnings_box_text(box)
    assert "3 warnings" in text and all(n in text for n in ("Favorite", "Nickname", "Points"))
    click(qtbot, ui.button(box, "Cancel"))
    qtbot.waitUntil(lambda: ui.window_titled(WARNINGS) is None)
    assert ui.window_titled(PREVIEW) is None
    assert strict_api.received("POST") == []

    send_through_preview(qtbot, window, strict_api, expect_warnings=True)
    post = strict_api.received("POST", POSTS)[-1]
    assert post.status == 200
    assert post.json()["properties"] == {"Favorite Color": "red", "Nickname ": "Al",
                                         "Points": "  42 "}  # fmt: skip


# properties created in Attentive's UI ------------------------------------------------------
def test_ui_created_property_accepts_only_its_values(qtbot, window, strict_api):
    """Edit ▸ UI-created properties…: "Shirt size" with S, M, L, XL. The editor offers exactly
    those in a drop-down, refuses others (pasted ones too, and "l" for "L") beside the cell
    with Send blocked, and sends the chosen one."""
    add_catalog_property(qtbot, window, "Shirt size", ["S", "M", "L", "XL"])
    ready_with_lookup(qtbot, window)
    offered = new_catalog_row(qtbot, window, "Shirt size", "L")
    assert offered == ["S", "M", "L", "XL"]
    row = row_named(window, "Shirt size")
    assert (row["Value"], row["Type"], row["Check"]) == ("L", "Choice (4 values)", "OK")

    paste_with_menu(qtbot, window, "Shirt size\tXXL")
    qtbot.waitUntil(lambda: row_named(window, "Shirt size")["Value"] == "XXL")
    assert "XL" in check_of(window, "Shirt size") and not send_enabled(window)
    refused_send_posts_nothing(qtbot, window, strict_api)

    paste_with_menu(qtbot, window, "Shirt size=l")
    qtbot.waitUntil(lambda: row_named(window, "Shirt size")["Value"] == "l")
    assert "Did you mean 'L'" in check_of(window, "Shirt size")
    assert not send_enabled(window)

    paste_with_menu(qtbot, window, "Shirt size=M")
    qtbot.waitUntil(lambda: row_named(window, "Shirt size")["Check"] == "OK")
    send_through_preview(qtbot, window, strict_api, expect_warnings=False)
    assert strict_api.received("POST", POSTS)[-1].json()["properties"] == {"Shirt size": "M"}


# Show request ------------------------------------------------------------------------------
def test_show_request_is_the_body_the_server_receives(qtbot, window, strict_api):
    ready_with_lookup(qtbot, window)
    set_attribute(qtbot, window, "Favorite color", "teal")
    new_row(qtbot, window, "Newsletter", "weekly")
    new_row(qtbot, window, "Card balance", "12.50")
    shown = show_request(qtbot, window)
    assert shown == {
        "properties": {"Favorite color": "teal", "Newsletter": "weekly", "Card balance": "12.50"},
        "user": {"email": LIN},
    }
    send_through_preview(qtbot, window, strict_api, expect_warnings=False)
    post = strict_api.received("POST", POSTS)[-1]
    assert post.status == 200
    assert post.json() == shown


def test_show_request_is_the_body_sent_when_a_pasted_value_is_already_set(
    qtbot, window, strict_api
):
    """README: Show request shows the exact JSON that will be sent. A pasted batch where one
    value equals what the user already has: what Show request shows must be what is posted
    (the preview leaves unchanged values out by default)."""
    ready_with_lookup(qtbot, window)
    paste_with_menu(qtbot, window, "Favorite color\tgreen\nNewsletter\tweekly")
    qtbot.waitUntil(lambda: row_named(window, "Newsletter")["Value"] == "weekly")
    shown = show_request(qtbot, window)
    send_through_preview(qtbot, window, strict_api, expect_warnings=False)
    post = strict_api.received("POST", POSTS)[-1]
    assert post.status == 200
    assert post.json() == shown, f"Show request showed {shown}, the server got {post.json()}"


# paste -------------------------------------------------------------------------------------
def test_paste_rows_from_the_menu_takes_tab_and_equals_lines(qtbot, window, strict_api):
    """Edit ▸ Paste rows with a spreadsheet header, Name<TAB>Value and Name=Value lines, a
    blank line and a value containing "=": one row per pair, typed as the Type column says,
    and exactly those values posted."""
    ready_with_lookup(qtbot, window)
    paste_with_menu(
        qtbot,
        window,
        "Name\tValue\nTier\tGold\nPoints=120\n\nJoined\t2021-04-23\nCampaign=utm=spring\n",
    )
    qtbot.waitUntil(lambda: "Pasted 4 rows" in status_bar(window))
    wanted = {
        "Tier": ("Gold", "Text"),
        "Points": ("120", "Number"),
        "Joined": ("2021-04-23", "Date"),
        "Campaign": ("utm=spring", "Text"),
    }
    got = {n: (row_named(window, n)["Value"], row_named(window, n)["Type"]) for n in wanted}
    assert got == wanted
    assert "Name" not in [r["Name"] for r in table_rows(window)]  # the header is no row
    assert all(check_of(window, n) == "OK" for n in wanted)
    send_through_preview(qtbot, window, strict_api, expect_warnings=False)
    post = strict_api.received("POST", POSTS)[-1]
    assert post.status == 200
    assert post.json()["properties"] == {n: v for n, (v, _t) in wanted.items()}


def test_ctrl_v_on_the_table_pastes_several_lines_as_rows(qtbot, window):
    ready_with_lookup(qtbot, window)
    paste_with_ctrl_v(qtbot, window, "Tier\tGold\nPoints=120")
    qtbot.waitUntil(lambda: "Pasted 2 rows" in status_bar(window))
    assert (row_named(window, "Tier")["Value"], row_named(window, "Points")["Value"]) == (
        "Gold",
        "120",
    )


def test_malformed_pasted_lines_are_not_sent_silently(qtbot, window, strict_api):
    """Lines that are neither Name<TAB>Value nor Name=Value ("just some words", "=orphan")
    must not become values sent without a word: each is refused, or flagged beside its row."""
    ready_with_lookup(qtbot, window)
    paste_with_menu(qtbot, window, "Tier\tGold\njust some words\n=orphan value\n")
    qtbot.waitUntil(lambda: row_named(window, "Tier")["Value"] == "Gold")
    rows = table_rows(window)
    orphan = [r for r in rows if r["Value"] == "orphan value"]
    assert not orphan or orphan[0]["Check"] != "OK", orphan
    words = [r for r in rows if "just some words" in (r["Name"], r["Value"])]
    assert not words or words[0]["Check"] != "OK", (
        f"the line 'just some words' became {words[0]} and would be sent"
    )
