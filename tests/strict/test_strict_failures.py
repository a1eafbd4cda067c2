"""The failures a reviewer drives against the strict server (strict_api.py's scripted trouble:
429 bursts, a slow server, 500s, a dropped connection, a 400 refusal, a lookup naming both
identifiers), each judged by what a user sees: the words in the result lines, the buttons'
texts and states, the table and the history pane, all found as test_strict_journey.py finds
them (ui.py, journey.py). The app runs with its own retry and pacing policy, as shipped.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Callable, Iterator

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QProgressBar

from tests.strict import ui
from tests.strict.journey import (
    OFFSCREEN_POPUP_WARNINGS,
    WAIT,
    WARNINGS,
    assert_plain,
    attribute_table,
    choose,
    click,
    confirm_send,
    first_run,
    history_table,
    look_up,
    lookup_result,
    send_result,
    send_with_keyboard,
    set_attribute,
    type_into,
    visible_texts,
)

pytestmark = OFFSCREEN_POPUP_WARNINGS

ATTRIBUTES = "/attributes/custom"
PHONE = "+14155550100"  # the strict server's seeded phone user
EMAIL = "lin@example.org"  # and its seeded email user
# What a 429 carries (DESIGN.md: every response has the rate-limit headers; no Retry-After).
RATE_LIMITED = {"x-ratelimit-limit": "150", "x-ratelimit-remaining": "0"}
MORE_THAN_ANY_RETRIES = 50  # a fault that outlasts whatever the app retries
SLOW = 2.0  # seconds the slowed-down server takes before it handles a request
HELD = 60.0  # a request the server holds until the test ends (stopping it releases them)


@contextlib.contextmanager
def ticking(interval_ms: int = 20) -> Iterator[Callable[[], int]]:
    """A QTimer firing on the GUI thread's event loop; yields a reader of how often it fired
    (it fires only while that loop runs, i.e. while nothing blocks the window)."""
    count = 0

    def tick() -> None:
        nonlocal count
        count += 1

    timer = QTimer()
    timer.setInterval(interval_ms)
    timer.timeout.connect(tick)
    timer.start()
    try:
        yield lambda: count
    finally:
        timer.stop()
        timer.timeout.disconnect(tick)


def value_of(window, name: str) -> str:
    """The Value cell of attribute ``name`` in the editor."""
    return dict(ui.rows(attribute_table(window), "Name", "Value"))[name]


def check_of(window, name: str) -> str:
    """The Check cell of attribute ``name`` in the editor."""
    return dict(ui.rows(attribute_table(window), "Name", "Check"))[name]


def send_and_confirm(qtbot, window) -> None:
    send_with_keyboard(qtbot, window)
    confirm_send(qtbot)


def assert_send_usable(window) -> None:
    send = ui.button(window, "Send")  # not "Sending…" any more
    assert send.isEnabled()
    assert not ui.button(window, "Cancel").isEnabled()


# 1. 429 bursts on send ------------------------------------------------------------------------
def test_a_429_burst_on_send_is_retried_then_explained_when_it_lasts(
    qtbot, open_window, strict_api
):
    window = open_window().window
    first_run(qtbot, strict_api)
    assert look_up(qtbot, window, "Phone", "(415) 555-0100").startswith("Found")
    set_attribute(qtbot, window, "Favorite color", "teal")

    # A short burst: three 429s, then the server takes it. The app retries on its own.
    strict_api.fail_next("POST", ATTRIBUTES, 3, 429, headers=RATE_LIMITED)
    send_and_confirm(qtbot, window)
    qtbot.waitUntil(lambda: send_result(window).startswith("Sent, then re-read"), timeout=WAIT)
    posts = strict_api.received("POST", ATTRIBUTES)
    assert [p.status for p in posts] == [429, 429, 429, 200]
    assert all(p.header("Retry-After") is None for p in posts)
    # Backed off: "x-ratelimit-remaining: 0" on the first answer said the second's budget was
    # spent, so the first retry waited for that second to pass (later ones add jitter).
    gaps = [later.arrived - earlier.arrived for earlier, later in itertools.pairwise(posts)]
    assert gaps[0] >= 0.9, f"retried {gaps[0]:.3f} s after a 429 with none remaining"
    assert min(gaps) > 0.0
    assert strict_api.attributes_of(phone=PHONE)["Favorite color"] == "teal"
    assert check_of(window, "Favorite color").startswith("Verified")

    # The history pane lists every attempt; the one that got the 200 is attempt 4.
    history = history_table(window)
    assert not history.isColumnHidden(ui.column(history, "Attempts"))

    def post_attempts() -> list[tuple[str, str]]:
        shown = ui.rows(history, "Method", "Endpoint", "Status", "Attempts")
        return sorted((s, a) for m, e, s, a in shown if (m, e) == ("POST", ATTRIBUTES))

    qtbot.waitUntil(lambda: len(post_attempts()) == 4, timeout=WAIT)
    assert post_attempts() == [("200", "4"), ("429", "1"), ("429", "2"), ("429", "3")]

    # A burst longer than the app retries: a plain sentence, the edit kept, Send usable.
    set_attribute(qtbot, window, "Favorite color", "navy")
    strict_api.fail_next("POST", ATTRIBUTES, MORE_THAN_ANY_RETRIES, 429, headers=RATE_LIMITED)
    send_and_confirm(qtbot, window)
    qtbot.waitUntil(lambda: send_result(window).startswith("Not sent."), timeout=2 * WAIT)
    strict_api.clear_faults()
    tries = strict_api.received("POST", ATTRIBUTES)[4:]
    assert 1 < len(tries) < MORE_THAN_ANY_RETRIES
    assert {p.status for p in tries} == {429}
    message = send_result(window)
    assert_plain(message, strict_api.write_key)
    assert "429" not in message
    lowered = message.lower()
    assert "wait" in lowered or "try again" in lowered, message
    assert value_of(window, "Favorite color") == "navy"
    assert not check_of(window, "Favorite color").startswith(("Sent", "Verified"))
    assert strict_api.attributes_of(phone=PHONE)["Favorite color"] == "teal"
    assert_send_usable(window)


# 2. a slow server ----------------------------------------------------------------------------
def slow_send_on_the_wire(qtbot, open_window, strict_api, seconds: float):
    """First run, a looked-up user with "Favorite color" = red sent to a server that takes
    ``seconds`` over the POST; returns the window once the POST has reached the server."""
    window = open_window().window
    first_run(qtbot, strict_api)
    assert look_up(qtbot, window, "Phone", "(415) 555-0100").startswith("Found")
    set_attribute(qtbot, window, "Favorite color", "red")
    strict_api.slow_down("POST", ATTRIBUTES, seconds)
    send_and_confirm(qtbot, window)
    qtbot.waitUntil(lambda: bool(strict_api.in_flight("POST", ATTRIBUTES)), timeout=WAIT)
    return window


def test_a_slow_send_keeps_the_window_responsive_and_cancel_stops_it(
    qtbot, open_window, strict_api
):
    window = slow_send_on_the_wire(qtbot, open_window, strict_api, SLOW)
    with ticking() as ticks:
        qtbot.waitUntil(lambda: ticks() >= 5)
    assert strict_api.in_flight("POST", ATTRIBUTES), "the window was blocked until the answer"
    progress = ui.by_accessible_name(window, QProgressBar, "Sending progress")
    assert progress.isVisible()
    assert not ui.button(window, "Sending…").isEnabled()

    # Cancel sits beside Send (right of it, on the same line) and is enabled while it runs.
    cancel = ui.button(window, "Cancel")
    assert cancel.isEnabled()
    sending = ui.button(window, "Sending…")
    cancel_at, send_at = (w.mapTo(window, w.rect().center()) for w in (cancel, sending))
    assert cancel_at.x() > send_at.x() and abs(cancel_at.y() - send_at.y()) < cancel.height()
    click(qtbot, cancel)
    qtbot.waitUntil(lambda: "cancel" in send_result(window).lower(), timeout=WAIT)
    message = send_result(window)
    assert_plain(message, strict_api.write_key)
    assert strict_api.in_flight("POST", ATTRIBUTES), "cancelled before the server answered"
    # The request had reached the server: the window must not claim nothing was sent.
    assert "nothing was sent" not in message.lower() and "not sent" not in message.lower()
    assert not progress.isVisible()
    assert value_of(window, "Favorite color") == "red"
    assert not check_of(window, "Favorite color").startswith(("Sent", "Verified"))
    assert_send_usable(window)

    # And Send works again (the server fast again), though the cancelled request still runs.
    strict_api.clear_faults()
    click(qtbot, ui.button(window, "Send"))
    confirm_send(qtbot)
    qtbot.waitUntil(lambda: send_result(window).startswith("Sent, then re-read"), timeout=WAIT)
    assert check_of(window, "Favorite color").startswith("Verified")


def test_cancel_frees_the_window_for_the_next_request_at_once(qtbot, open_window, strict_api):
    """A cancelled send still on the wire must not hold up the next request: the server
    holds this POST for a minute (until the test ends), and a lookup is answered meanwhile."""
    window = slow_send_on_the_wire(qtbot, open_window, strict_api, HELD)
    click(qtbot, ui.button(window, "Cancel"))
    qtbot.waitUntil(lambda: "cancel" in send_result(window).lower(), timeout=WAIT)
    assert look_up(qtbot, window, "Email", "lin@example.org").startswith("Found")
    assert strict_api.in_flight("POST", ATTRIBUTES), "the lookup waited for the cancelled send"


def test_a_slow_lookup_shows_progress_and_keeps_the_window_responsive(
    qtbot, open_window, strict_api
):
    window = open_window().window
    first_run(qtbot, strict_api)
    strict_api.slow_down("GET", ATTRIBUTES, SLOW)
    type_into(qtbot, ui.by_label(window, "Phone", QLineEdit), "(415) 555-0100")
    click(qtbot, ui.button(window, "Look up"))
    button = ui.button(window, "Looking up…")
    assert not button.isEnabled()
    assert lookup_result(window).startswith("Looking up")
    qtbot.waitUntil(lambda: bool(strict_api.in_flight("GET", ATTRIBUTES)), timeout=WAIT)
    with ticking() as ticks:
        qtbot.waitUntil(lambda: ticks() >= 5)
    assert strict_api.in_flight("GET", ATTRIBUTES), "the window was blocked until the answer"
    assert ui.button(window, "Looking up…") is button
    qtbot.waitUntil(lambda: lookup_result(window).startswith("Found"), timeout=WAIT)
    assert PHONE in lookup_result(window)
    assert ui.button(window, "Look up").isEnabled()
    assert not ui.button(window, "Cancel").isEnabled()  # nothing left to cancel


def test_the_cancel_button_stops_a_slow_lookup(qtbot, open_window, strict_api):
    """Esc is not the only way: a mouse user stops a lookup with the visible Cancel."""
    window = open_window().window
    first_run(qtbot, strict_api)
    strict_api.slow_down("GET", ATTRIBUTES, HELD)
    type_into(qtbot, ui.by_label(window, "Phone", QLineEdit), "(415) 555-0100")
    click(qtbot, ui.button(window, "Look up"))
    qtbot.waitUntil(lambda: bool(strict_api.in_flight("GET", ATTRIBUTES)), timeout=WAIT)
    cancel = ui.button(window, "Cancel")
    assert cancel.isEnabled()
    click(qtbot, cancel)
    qtbot.waitUntil(lambda: lookup_result(window) == "Lookup cancelled.", timeout=WAIT)
    assert ui.button(window, "Look up").isEnabled() and not cancel.isEnabled()


# 3. 500s -------------------------------------------------------------------------------------
def test_500_on_lookup_reads_as_a_plain_sentence(qtbot, open_window, strict_api):
    window = open_window().window
    first_run(qtbot, strict_api)
    # The body even echoes the Authorization header: the key must still never show.
    echo = f"Internal error handling Bearer {strict_api.write_key}"
    strict_api.fail_next("GET", ATTRIBUTES, MORE_THAN_ANY_RETRIES, 500, message=echo)
    result = look_up(qtbot, window, "Phone", "(415) 555-0100")
    strict_api.clear_faults()
    tries = strict_api.received("GET", ATTRIBUTES)
    assert 1 < len(tries) < MORE_THAN_ANY_RETRIES  # retried first, then explained
    assert_plain(result, strict_api.write_key)
    lowered = result.lower()
    assert "attentive" in lowered and "side" in lowered, result
    assert "try again" in lowered, result
    assert not result.startswith("Found")
    assert [t for t in visible_texts(window) if strict_api.write_key in t] == []
    assert strict_api.write_key not in window.statusBar().currentMessage()
    assert ui.button(window, "Look up").isEnabled()


def test_500_on_send_reads_as_a_plain_sentence_and_keeps_the_edit(qtbot, open_window, strict_api):
    window = open_window().window
    first_run(qtbot, strict_api)
    assert look_up(qtbot, window, "Phone", "(415) 555-0100").startswith("Found")
    set_attribute(qtbot, window, "Favorite color", "red")
    strict_api.fail_next("POST", ATTRIBUTES, MORE_THAN_ANY_RETRIES, 500)
    send_and_confirm(qtbot, window)
    qtbot.waitUntil(lambda: send_result(window).startswith("Not sent."), timeout=WAIT)
    strict_api.clear_faults()
    assert 1 < len(strict_api.received("POST", ATTRIBUTES)) < MORE_THAN_ANY_RETRIES
    message = send_result(window)
    assert_plain(message, strict_api.write_key)
    lowered = message.lower()
    assert "attentive" in lowered and "side" in lowered, message
    assert "try again" in lowered, message
    assert value_of(window, "Favorite color") == "red"
    assert strict_api.attributes_of(phone=PHONE)["Favorite color"] == "blue"
    assert_send_usable(window)


# 4. a dropped connection ---------------------------------------------------------------------
def test_a_dropped_connection_on_lookup_reads_as_a_network_problem(qtbot, open_window, strict_api):
    window = open_window().window
    first_run(qtbot, strict_api)
    strict_api.drop_next("GET", ATTRIBUTES, MORE_THAN_ANY_RETRIES)
    result = look_up(qtbot, window, "Phone", "(415) 555-0100")
    strict_api.clear_faults()
    tries = strict_api.received("GET", ATTRIBUTES)
    assert 1 < len(tries) < MORE_THAN_ANY_RETRIES and all(t.dropped for t in tries)
    assert_plain(result, strict_api.write_key)
    lowered = result.lower()
    assert "connection" in lowered or "reach" in lowered, result
    assert "try again" in lowered, result
    for raw in ("RemoteProtocolError", "httpx", "httpcore", "Server disconnected", "Errno"):
        assert raw not in result
    assert ui.button(window, "Look up").isEnabled()


# 5. both identifiers filled ------------------------------------------------------------------
def test_with_phone_and_email_the_user_picks_which_one_to_look_up_by(
    qtbot, open_window, strict_api
):
    window = open_window().window
    first_run(qtbot, strict_api)
    type_into(qtbot, ui.by_label(window, "Phone", QLineEdit), "(415) 555-0100")
    labels = [ui.plain(w.text()) for w in window.findChildren(QLabel) if w.isVisible()]
    assert "Look up by" not in labels  # one identifier: nothing to choose
    type_into(qtbot, ui.by_label(window, "Email", QLineEdit), EMAIL)
    by = ui.by_label(window, "Look up by", QComboBox)  # the question appears
    assert sorted(by.itemText(i) for i in range(by.count())) == ["Email", "Phone"]
    choose(qtbot, by, "Email")
    click(qtbot, ui.button(window, "Look up"))
    qtbot.waitUntil(lambda: lookup_result(window).startswith("Found"), timeout=WAIT)
    assert EMAIL in lookup_result(window)
    queries = [r.raw_query for r in strict_api.received("GET", ATTRIBUTES)]
    assert queries in (["email=lin%40example.org"], ["email=lin@example.org"]), queries
    shown = ui.rows(attribute_table(window), "Name", "Current")
    assert ("Favorite color", "green") in shown  # the email user's, not the phone user's


# 6. a 400 the server gives on send -----------------------------------------------------------
def test_a_400_on_send_shows_the_servers_message_in_a_plain_sentence(
    qtbot, open_window, strict_api
):
    window = open_window().window
    first_run(qtbot, strict_api)
    assert look_up(qtbot, window, "Email", EMAIL).startswith("Found")
    set_attribute(qtbot, window, "age", "36")  # the first value fixes the type: Number
    send_and_confirm(qtbot, window)
    qtbot.waitUntil(lambda: send_result(window).startswith("Sent, then re-read"), timeout=WAIT)
    assert strict_api.attributes_of(email=EMAIL)["age"] == "36"

    set_attribute(qtbot, window, "age", "thirty")
    send_with_keyboard(qtbot, window)
    qtbot.waitUntil(lambda: ui.window_titled(WARNINGS) is not None, timeout=WAIT)
    box = ui.window_titled(WARNINGS)
    assert any("age" in text for text in visible_texts(box)), visible_texts(box)
    click(qtbot, ui.button(box, "Send anyway"))
    confirm_send(qtbot)
    qtbot.waitUntil(lambda: send_result(window).startswith("Not sent."), timeout=WAIT)
    assert [p.status for p in strict_api.received("POST", ATTRIBUTES)] == [200, 400]
    message = send_result(window)
    assert "Property 'age' has type Number" in message, message  # the server's own words
    assert_plain(message, strict_api.write_key)
    assert "400" not in message
    assert value_of(window, "age") == "thirty"
    assert strict_api.attributes_of(email=EMAIL)["age"] == "36"
    assert_send_usable(window)
