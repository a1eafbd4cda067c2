"""The request history pane as a support agent uses it: columns, newest first, local times,
sorting by each column (across all of 100,000 rows, not only the loaded page), the filter box,
status and date filters, details that never show the key, the keyboard, Clear history, a
restart, Export, Copy as curl, masking, 90-day pruning, Ctrl+H and the dock.

Only the entry point is code (``build_window`` through ``open_window``); the history is seeded
straight into the app's database before the window opens (history_audit_support.py), and
every check reads what the pane shows by its title, accessible names, labels and headers,
compared with what the database holds.
"""

from __future__ import annotations

import csv
import getpass
import json
import os
import time
from collections import Counter
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QComboBox, QDockWidget, QLabel, QMainWindow

from tests.strict import ui
from tests.strict.history_audit_support import (
    ACCOUNT,
    ATTRIBUTES,
    BIG,
    BODY_NEEDLE,
    COLUMNS,
    CUSTOMER,
    DEEP_BODY_NEEDLE,
    DEEP_NEEDLE,
    DEEP_NETWORK,
    NEEDLE_USER,
    SEED_AGENT,
    SEED_OS_USER,
    SHOWN,
    SORT_KEYS,
    Heartbeat,
    Seed,
    big_history,
    body,
    clipboard_text,
    column_texts,
    comparable,
    copy_database,
    database_count,
    database_rows,
    details,
    filter_history,
    number,
    pane,
    pick,
    quit_window,
    right_click_menu,
    row_texts,
    save_as,
    select_row,
    shown_count,
    sort_by,
    status_toggle,
    table,
    time_text,
    visible_headers,
    write_seeds,
)
from tests.strict.journey import (
    CTRL,
    OFFSCREEN_POPUP_WARNINGS,
    SHIFT,
    WAIT,
    activate,
    click,
    confirm_send,
    first_run,
    look_up,
    press,
    send_result,
    send_with_keyboard,
    set_attribute,
    wait_window,
)

pytestmark = OFFSCREEN_POPUP_WARNINGS

DESC = Qt.SortOrder.DescendingOrder
ASC = Qt.SortOrder.AscendingOrder
CLEAR_TITLE = "Clear history"
EXPORT_TITLE = "Export history"
DAY = 86_400


# fixtures ----------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def big_template(tmp_path_factory):
    """The 100,000-row history, written once per session (copied into each test's home)."""
    home = tmp_path_factory.mktemp("history-100k")
    seeds = big_history()
    write_seeds(home, seeds)
    return home, seeds


@pytest.fixture
def big(big_template, private_home):
    """This test's data folder holds the 100,000-row history; returns (seeds, database)."""
    home, seeds = big_template
    return seeds, copy_database(home, private_home)


@pytest.fixture
def kolkata():
    """The machine's time zone is Asia/Kolkata (UTC+05:30) for this test."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "Asia/Kolkata"
    time.tzset()
    yield ZoneInfo("Asia/Kolkata")
    if before is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = before
    time.tzset()


def small_history(now: float, count: int = 8) -> list[Seed]:
    """``count`` POSTs a few minutes apart, each with its own user and body."""
    seeds = []
    for i in range(1, count + 1):
        user = f"+1415557{i:04d}"
        seeds.append(
            Seed(
                id=i,
                started_at=now - (count + 1 - i) * 300,
                user=user,
                duration_ms=30.0 + i,
                request_body=body(i, user),
                response_body="",
            )
        )
    return seeds


def open_with_account(qtbot, open_window, strict_api):
    """The window, its first-run account added; returns the session."""
    session = open_window()
    first_run(qtbot, strict_api)
    return session


def wait_all_counted(qtbot, window, database) -> int:
    """Wait until the pane counts every row the database holds; returns that count."""
    qtbot.waitUntil(lambda: shown_count(window) == database_count(database), timeout=3 * WAIT)
    qtbot.waitUntil(lambda: table(window).model().rowCount() > 0, timeout=WAIT)
    return shown_count(window)


def database_records(database) -> list[Seed]:
    """Every row the database holds, as seeds (bodies left out)."""
    rows = database_rows(
        database,
        "SELECT id, started_at, method, endpoint, user, status, duration_ms, attempt, "
        "user_agent FROM history",
    )
    return [
        Seed(
            id=r[0], started_at=r[1], method=r[2], endpoint=r[3], user=r[4], status=r[5],
            duration_ms=r[6], attempt=r[7], user_agent=r[8],
        )
        for r in rows
    ]  # fmt: skip


def wait_recorded(qtbot, strict_api, database, seeded: int) -> None:
    """Wait until the strict server answered every request and each is in the history (one
    row per request: the seeded rows plus every request the server received)."""
    qtbot.waitUntil(lambda: all(r.status or r.dropped for r in strict_api.received()), timeout=WAIT)
    qtbot.waitUntil(
        lambda: database_count(database) == seeded + len(strict_api.received()), timeout=WAIT
    )


def app_rows_on_top(window) -> bool:
    """Every row the app recorded itself (not seeded) is above every seeded row."""
    agents = column_texts(window, "User agent")
    seeded = [i for i, a in enumerate(agents) if a == SEED_AGENT]
    own = [i for i, a in enumerate(agents) if a != SEED_AGENT]
    assert own, "none of the app's own requests is listed"
    return not seeded or max(own) < min(seeded)


# 1. columns --------------------------------------------------------------------------------
def test_columns_read_time_method_endpoint_user_status_duration_attempts_user_agent(
    qtbot, open_window, strict_api, private_home
):
    """The columns the issue names, in its order, and each cell showing the row's value;
    the account and the OS user of each row are a right-click on the header away."""
    now = time.time()
    seeds = [
        Seed(1, now - 900, method="GET", user="ada@example.com", status=404, duration_ms=1234.0,
             attempt=3, response_body='{"message": "No such user"}'),
        Seed(2, now - 600, user="+14155570042", status=200, duration_ms=87.0,
             request_body=body(2, "+14155570042")),
    ]  # fmt: skip
    write_seeds(private_home, seeds)
    window = open_with_account(qtbot, open_window, strict_api).window
    view = table(window)
    assert visible_headers(view) == list(COLUMNS)
    qtbot.waitUntil(lambda: "ada@example.com" in column_texts(window, "User"), timeout=WAIT)

    for seed in seeds:
        row = column_texts(window, "User").index(seed.user)
        cells = row_texts(window, row)
        for header in COLUMNS:
            assert comparable(header, cells[header]) == SHOWN[header](seed), (header, cells)
    assert row_texts(window, column_texts(window, "User").index("ada@example.com"))[
        "Duration"
    ].endswith("ms")

    # Account and OS user: hidden at first, offered by the header's right-click menu.
    header = view.horizontalHeader()
    for name in ("Account", "OS user"):
        menu = right_click_menu(qtbot, header.viewport(), QPoint(10, header.height() // 2))
        actions = {ui.plain(a.text()): a for a in menu.actions() if not a.isSeparator()}
        assert set(COLUMNS) | {"Account", "OS user"} <= set(actions), sorted(actions)
        assert not actions[name].isChecked()
        menu.close()
        actions[name].trigger()
        qtbot.waitUntil(lambda n=name: n in visible_headers(view))
    for seed in seeds:
        cells = row_texts(window, column_texts(window, "User").index(seed.user))
        assert (cells["Account"], cells["OS user"]) == (ACCOUNT, SEED_OS_USER)
    # The app's own requests: a lookup, and the first run's key check (GET /me) for the
    # account being added, each with the account and the OS user (README: "Each row records
    # the account and the operating-system user").
    assert look_up(qtbot, window, "Phone", CUSTOMER).startswith("Found")
    qtbot.waitUntil(lambda: CUSTOMER in column_texts(window, "User"), timeout=WAIT)
    lookup = row_texts(window, column_texts(window, "User").index(CUSTOMER))
    assert (lookup["Account"], lookup["OS user"]) == (ACCOUNT, getpass.getuser())
    check = row_texts(window, column_texts(window, "Endpoint").index("/me"))
    assert check["OS user"] == getpass.getuser()
    assert check["Account"] == ACCOUNT, f"the key check of {ACCOUNT!r} is recorded as {check}"


# 2. newest first, restart -------------------------------------------------------------------
def test_newest_first_a_new_request_on_top_and_a_restart_keeps_every_row(
    qtbot, open_window, strict_api, private_home
):
    seeds = small_history(time.time())
    database = write_seeds(private_home, seeds)
    session = open_with_account(qtbot, open_window, strict_api)
    window = session.window
    wait_all_counted(qtbot, window, database)
    assert look_up(qtbot, window, "Phone", CUSTOMER).startswith("Found")
    wait_recorded(qtbot, strict_api, database, len(seeds))
    qtbot.waitUntil(lambda: shown_count(window) == database_count(database), timeout=WAIT)
    qtbot.waitUntil(lambda: CUSTOMER in column_texts(window, "User"), timeout=WAIT)
    before = ui.rows(table(window), *COLUMNS)
    assert shown_count(window) == len(before) == database_count(database)

    quit_window(qtbot, session)
    again = open_window().window
    qtbot.waitUntil(lambda: shown_count(again) == database_count(database), timeout=WAIT)
    qtbot.waitUntil(lambda: table(again).model().rowCount() == shown_count(again), timeout=WAIT)
    after = ui.rows(table(again), *COLUMNS)
    missing = Counter(before) - Counter(after)
    assert not missing, f"gone after a restart: {sorted(missing)}"

    # Newest first, before and after the restart: the seeds in the reverse of their order,
    # the app's own requests (the key check, the lookup) above them.
    for shown_rows in (before, after):
        times = [row[0] for row in shown_rows]
        assert times == sorted(times, reverse=True), f"not newest first: {times}"
        agents = [row[-1] for row in shown_rows]
        users = [row[3] for row, a in zip(shown_rows, agents, strict=True) if a == SEED_AGENT]
        assert users == [s.user for s in reversed(seeds)]


# 3. local time, date filters in local days ---------------------------------------------------
def test_times_are_local_and_date_filters_use_local_days(
    kolkata, qtbot, open_window, strict_api, private_home
):
    """In Asia/Kolkata (UTC+05:30) the Time column shows Kolkata time, and *Today* and *Last 7
    days* mean Kolkata's days: a row one minute after local midnight is today's, one minute
    before it is yesterday's, though both are on the same UTC day."""
    today = date.today()
    midnight = datetime.combine(today, datetime.min.time(), kolkata).timestamp()
    week_start = datetime.combine(today - timedelta(days=6), datetime.min.time(), kolkata)
    seeds = [
        Seed(1, week_start.timestamp() - 3600, user="+14155570001"),  # 7 days ago, 23:00
        Seed(2, week_start.timestamp() + 60, user="+14155570002"),  # 6 days ago, 00:01
        Seed(3, midnight - 60, user="+14155570003"),  # yesterday 23:59
        Seed(4, midnight + 60, user="+14155570004"),  # today 00:01
    ]
    utc = ZoneInfo("UTC")
    assert time_text(midnight - 60, utc)[:10] == time_text(midnight + 60, utc)[:10]
    database = write_seeds(private_home, seeds)
    window = open_with_account(qtbot, open_window, strict_api).window
    wait_all_counted(qtbot, window, database)

    shown = dict(ui.rows(table(window), "User", "Time"))
    for seed in seeds:
        local = time_text(seed.started_at, kolkata)
        assert shown[seed.user] == local, f"{seed.user}: {shown[seed.user]} is not {local} IST"
        assert local != time_text(seed.started_at, ZoneInfo("UTC"))

    def seeded_users() -> set[str]:
        return {u for u in column_texts(window, "User") if u.startswith("+1415557")}

    date_box = ui.by_label(pane(window), "Date", QComboBox)
    pick(qtbot, date_box, "Today")
    qtbot.waitUntil(lambda: seeded_users() == {"+14155570004"}, timeout=WAIT)
    pick(qtbot, date_box, "Last 7 days")
    want = {"+14155570002", "+14155570003", "+14155570004"}
    qtbot.waitUntil(lambda: seeded_users() == want, timeout=WAIT)
    pick(qtbot, date_box, "Any time")
    qtbot.waitUntil(lambda: len(seeded_users()) == 4, timeout=WAIT)


# 4. a new request while scrolled, sorted, filtered (100,000 rows) ----------------------------
def test_a_new_request_lands_on_top_while_scrolled_sorted_or_filtered(
    big, qtbot, open_window, strict_api
):
    seeds, database = big
    window = open_with_account(qtbot, open_window, strict_api).window
    wait_all_counted(qtbot, window, database)
    view = table(window)

    # Scrolled deep (Ctrl+End pulls in page after page), a row selected down there.
    select_row(qtbot, window, 0)
    for _ in range(12):
        loaded = view.model().rowCount()
        qtbot.keyClick(view, Qt.Key.Key_End, CTRL)
        qtbot.waitUntil(lambda n=loaded: view.model().rowCount() > n, timeout=WAIT)
    assert view.model().rowCount() >= 2_000
    picked = view.selectionModel().selectedRows()[0].row()
    assert picked > 1_000
    chosen = row_texts(window, picked)
    shown = details(window).toPlainText()

    assert look_up(qtbot, window, "Phone", CUSTOMER).startswith("Found")
    wait_recorded(qtbot, strict_api, database, len(seeds))
    qtbot.waitUntil(lambda: row_texts(window, 0)["User"] == CUSTOMER, timeout=WAIT)
    assert app_rows_on_top(window)
    assert row_texts(window, 0)["User agent"] != SEED_AGENT
    still = view.selectionModel().selectedRows()
    assert still and row_texts(window, still[0].row()) == chosen, "the selection jumped"
    assert details(window).toPlainText() == shown

    # Sorted by Time, newest first: the next request comes in on top.
    sort_by(qtbot, view, "Time", DESC)
    mine = len([u for u in column_texts(window, "User", 50) if u == CUSTOMER])
    assert look_up(qtbot, window, "Phone", CUSTOMER).startswith("Found")
    wait_recorded(qtbot, strict_api, database, len(seeds))
    qtbot.waitUntil(
        lambda: len([u for u in column_texts(window, "User", 50) if u == CUSTOMER]) > mine,
        timeout=WAIT,
    )
    assert row_texts(window, 0)["User"] == CUSTOMER
    times = column_texts(window, "Time", 300)
    assert times == sorted(times, reverse=True)

    # Filtered on the customer's phone: two old rows (deep) and the new ones; one more comes.
    filter_history(qtbot, window, CUSTOMER)
    expected = database_count(database, f"WHERE user = '{CUSTOMER}'")
    qtbot.waitUntil(lambda: shown_count(window) == expected, timeout=WAIT)
    qtbot.waitUntil(lambda: view.model().rowCount() == expected, timeout=WAIT)
    assert look_up(qtbot, window, "Phone", CUSTOMER).startswith("Found")
    wait_recorded(qtbot, strict_api, database, len(seeds))
    expected = database_count(database, f"WHERE user = '{CUSTOMER}'")
    qtbot.waitUntil(lambda: shown_count(window) == expected, timeout=WAIT)
    assert view.model().rowCount() == expected
    assert set(column_texts(window, "User")) == {CUSTOMER}
    assert row_texts(window, 0)["User agent"] != SEED_AGENT

    # A filter the new request does not match keeps it out.
    filter_history(qtbot, window, NEEDLE_USER)
    qtbot.waitUntil(lambda: shown_count(window) == len(DEEP_NEEDLE), timeout=WAIT)
    assert look_up(qtbot, window, "Phone", CUSTOMER).startswith("Found")
    wait_recorded(qtbot, strict_api, database, len(seeds))
    assert column_texts(window, "User") == [NEEDLE_USER] * len(DEEP_NEEDLE)
    assert shown_count(window) == len(DEEP_NEEDLE)


# 5. sorting by every column, across all 100,000 rows ----------------------------------------
def test_sorting_by_each_column_sorts_the_whole_history_not_the_loaded_page(
    big, qtbot, open_window, strict_api
):
    """Clicking a header sorts the history by that column: the first rows are the ones the
    database holds at that end (they are deep in the 100,000, far below the first page)."""
    _seeds, database = big
    window = open_with_account(qtbot, open_window, strict_api).window
    wait_all_counted(qtbot, window, database)
    records = database_records(database)
    view = table(window)
    wrong: list[str] = []
    for header in COLUMNS:
        for order in (DESC, ASC):
            sort_by(qtbot, view, header, order)
            key = SORT_KEYS[header]
            ranked = sorted(records, key=key, reverse=order == DESC)
            want = [SHOWN[header](r) for r in ranked[:5]]

            def top(h=header) -> list[str]:
                return [comparable(h, t) for t in column_texts(window, h, 5)]

            try:
                qtbot.waitUntil(lambda w=want, t=top: t() == w, timeout=2_000)
            except qtbot.TimeoutError:
                name = "descending" if order == DESC else "ascending"
                wrong.append(f"{header} {name}: shows {top()}, the database holds {want}")
    assert not wrong, "sorted only the loaded rows:\n" + "\n".join(wrong)


# 6. the filter box, deep matches, the count, a responsive window ---------------------------
def test_the_filter_finds_rows_deep_in_100000_counts_them_and_the_window_keeps_ticking(
    big, qtbot, open_window, strict_api
):
    seeds, database = big
    beat = Heartbeat()
    with beat.running():
        window = open_with_account(qtbot, open_window, strict_api).window
        total = wait_all_counted(qtbot, window, database)
        assert total == database_count(database) > BIG
        view = table(window)

        # A user only the oldest rows have.
        filter_history(qtbot, window, "needle.deep")
        qtbot.waitUntil(lambda: column_texts(window, "User") == [NEEDLE_USER] * 2, timeout=WAIT)
        assert shown_count(window) == 2
        want = [time_text(seeds[i - 1].started_at) for i in sorted(DEEP_NEEDLE, reverse=True)]
        needle_times = column_texts(window, "Time")  # checked last: newest first

        # Text only a request body has.
        filter_history(qtbot, window, BODY_NEEDLE)
        qtbot.waitUntil(lambda: view.model().rowCount() == 1, timeout=WAIT)
        assert shown_count(window) == 1
        assert BODY_NEEDLE in select_row(qtbot, window, 0)
        assert column_texts(window, "Time") == [time_text(seeds[DEEP_BODY_NEEDLE - 1].started_at)]

        # Two letters: a scan of every row and body. The timer ticks while it runs.
        expected = database_rows(
            database,
            "SELECT count(*) FROM history AS h JOIN history_detail AS d ON d.id = h.id "
            "WHERE h.method LIKE '%ku%' OR h.endpoint LIKE '%ku%' OR h.user LIKE '%ku%' "
            "OR h.account LIKE '%ku%' OR h.os_user LIKE '%ku%' OR d.url LIKE '%ku%' "
            "OR d.request_body LIKE '%ku%' OR d.response_body LIKE '%ku%' "
            "OR d.error LIKE '%ku%'",
        )[0][0]
        assert expected >= 1
        filter_history(qtbot, window, "sent-nowhere")  # nothing: an empty table to start from
        qtbot.waitUntil(lambda: view.model().rowCount() == 0 and shown_count(window) == 0)
        filter_history(qtbot, window, "Ku")
        beat.watch(lambda: view.model().rowCount() == 0)
        qtbot.waitUntil(lambda: shown_count(window) == expected, timeout=WAIT)
        assert beat.while_watched > 0, "the window did not tick while the filter ran"

        # Cleared: every row is counted again, newest first.
        ticks = beat.ticks
        filter_history(qtbot, window, "")
        qtbot.waitUntil(lambda: shown_count(window) == total, timeout=WAIT)
        qtbot.waitUntil(lambda: view.model().rowCount() > 0, timeout=WAIT)
        qtbot.waitUntil(lambda: beat.ticks > ticks + 5)
        top = column_texts(window, "Time", 3)
    assert needle_times == want, "the two matches are not listed newest first"
    newest = max(r.started_at for r in database_records(database))
    assert top[0] == time_text(newest), f"the newest request is not on top: {top}"


def test_scrolling_through_pages_of_100000_keeps_the_window_ticking(
    big, qtbot, open_window, strict_api
):
    """Paging deep with Ctrl+End: the rows keep coming in order, newest first, the timer ticking."""
    seeds, database = big
    window = open_with_account(qtbot, open_window, strict_api).window
    wait_all_counted(qtbot, window, database)
    view = table(window)
    select_row(qtbot, window, 0)
    beat = Heartbeat()
    with beat.running():
        for _ in range(25):
            loaded, ticks = view.model().rowCount(), beat.ticks
            qtbot.keyClick(view, Qt.Key.Key_End, CTRL)
            qtbot.waitUntil(lambda n=loaded: view.model().rowCount() > n, timeout=WAIT)
            qtbot.waitUntil(lambda t=ticks: beat.ticks > t)
    loaded = view.model().rowCount()
    assert loaded >= 5_000
    times = column_texts(window, "Time")
    misplaced = [i for i in range(1, loaded) if times[i] > times[i - 1]]
    assert not misplaced, f"not newest first at rows {misplaced[:10]}: {times[:3]}…"
    assert app_rows_on_top(window)
    own = len([a for a in column_texts(window, "User agent") if a != SEED_AGENT])
    newest_seeded = [time_text(s.started_at) for s in reversed(seeds[-(loaded - own) :])]
    assert times[own:] == newest_seeded
    assert shown_count(window) == database_count(database)


# 7. status filters ------------------------------------------------------------------------------
def test_status_filters_narrow_100000_rows_and_the_count_follows(
    big, qtbot, open_window, strict_api
):
    _seeds, database = big
    window = open_with_account(qtbot, open_window, strict_api).window
    wait_all_counted(qtbot, window, database)
    five = database_count(database, "WHERE status BETWEEN 500 AND 599")
    network = database_count(database, "WHERE status IS NULL")
    assert network == len(DEEP_NETWORK)

    click(qtbot, status_toggle(window, "5xx"))
    qtbot.waitUntil(lambda: shown_count(window) == five, timeout=WAIT)
    qtbot.waitUntil(lambda: table(window).model().rowCount() > 0, timeout=WAIT)
    assert {s[0] for s in column_texts(window, "Status")} == {"5"}
    assert "503" not in column_texts(window, "Status")  # the 503s are deep

    click(qtbot, status_toggle(window, "Network"))
    qtbot.waitUntil(lambda: shown_count(window) == five + network, timeout=WAIT)
    click(qtbot, status_toggle(window, "5xx"))
    qtbot.waitUntil(lambda: shown_count(window) == network, timeout=WAIT)
    qtbot.waitUntil(lambda: column_texts(window, "Status") == ["network error"] * network)

    # Combined with text: 4xx rows of the deep user.
    click(qtbot, status_toggle(window, "Network"))
    click(qtbot, status_toggle(window, "4xx"))
    filter_history(qtbot, window, "needle.deep")
    want = database_count(database, f"WHERE user = '{NEEDLE_USER}' AND status BETWEEN 400 AND 499")
    qtbot.waitUntil(lambda: shown_count(window) == want, timeout=WAIT)
    assert len(column_texts(window, "User")) == want

    click(qtbot, status_toggle(window, "4xx"))
    filter_history(qtbot, window, "")
    qtbot.waitUntil(lambda: shown_count(window) == database_count(database), timeout=WAIT)


# 8. details: bodies, never the key ----------------------------------------------------------
def test_details_show_request_and_response_never_the_key_also_for_401_and_network_rows(
    qtbot, open_window, strict_api
):
    window = open_with_account(qtbot, open_window, strict_api).window
    key = strict_api.write_key
    assert look_up(qtbot, window, "Phone", CUSTOMER).startswith("Found")
    set_attribute(qtbot, window, "Favorite color", "teal")
    send_with_keyboard(qtbot, window)
    confirm_send(qtbot)
    qtbot.waitUntil(lambda: send_result(window).startswith("Sent"), timeout=WAIT)
    strict_api.drop_next("GET", ATTRIBUTES, 12)
    look_up(qtbot, window, "Email", "lin@example.org")
    strict_api.clear_faults()
    strict_api.fail_next("GET", ATTRIBUTES, 1, 401, message=f"Invalid token: Bearer {key}")
    look_up(qtbot, window, "Phone", CUSTOMER)
    qtbot.waitUntil(lambda: all(r.status or r.dropped for r in strict_api.received()))
    statuses = lambda: column_texts(window, "Status")  # noqa: E731
    qtbot.waitUntil(lambda: {"200", "401", "network error"} <= set(statuses()), timeout=WAIT)

    view = table(window)
    cells = ui.rows(view, *COLUMNS)
    assert not [c for row in cells for c in row if key in c]
    seen: dict[str, str] = {}
    for row in range(view.model().rowCount()):
        text = select_row(qtbot, window, row)
        assert key not in text, f"row {row} shows the key: {text}"
        cells = row_texts(window, row)
        seen.setdefault(f"{cells['Method']} {cells['Endpoint']} {cells['Status']}", text)

    lookup = seen[f"GET {ATTRIBUTES} 200"]
    assert "14155550100" in lookup and '"Favorite color"' in lookup, lookup
    send = seen[f"POST {ATTRIBUTES} 200"]
    assert '"Favorite color": "teal"' in send and "14155550100" in send, send
    refused = seen[f"GET {ATTRIBUTES} 401"]
    assert "401" in refused and "Invalid token" in refused, refused
    dropped = seen[f"GET {ATTRIBUTES} network error"]
    assert "lin%40example.org" in dropped or "lin@example.org" in dropped, dropped
    me = seen["GET /me 200"]
    assert "Strict Outdoor Supply" in me


# 9. the keyboard -------------------------------------------------------------------------------
def test_arrow_keys_move_the_selection_and_the_details_follow(
    qtbot, open_window, strict_api, private_home
):
    seeds = small_history(time.time())
    database = write_seeds(private_home, seeds)
    window = open_with_account(qtbot, open_window, strict_api).window
    wait_all_counted(qtbot, window, database)
    view = table(window)
    select_row(qtbot, window, 1)
    assert view.hasFocus()
    last = view.model().rowCount() - 1
    assert last == len(seeds)  # the seeds and the first run's key check

    def showing(row: int) -> bool:
        chosen = view.selectionModel().selectedRows()
        user = row_texts(window, row)["User"]
        return bool(chosen) and chosen[0].row() == row and user in details(window).toPlainText()

    none = Qt.KeyboardModifier.NoModifier
    path = [(Qt.Key.Key_Down, none, 2), (Qt.Key.Key_Down, none, 3), (Qt.Key.Key_Up, none, 2),
            (Qt.Key.Key_End, CTRL, last)]  # fmt: skip
    for key, modifier, row in path:
        qtbot.keyClick(view, key, modifier)
        qtbot.waitUntil(lambda r=row: showing(r), timeout=WAIT)
        seed = next(s for s in seeds if s.user == row_texts(window, row)["User"])
        assert f"seq-{seed.id:06d}" in details(window).toPlainText()
    qtbot.keyClick(view, Qt.Key.Key_Home, CTRL)
    qtbot.waitUntil(lambda: view.selectionModel().selectedRows()[0].row() == 0, timeout=WAIT)
    assert row_texts(window, 0)["Endpoint"] == "/me"
    qtbot.waitUntil(lambda: "/me" in details(window).toPlainText(), timeout=WAIT)


# 10. Clear history ---------------------------------------------------------------------------
def test_clear_history_asks_cancel_keeps_everything_confirm_clears_for_good(
    qtbot, open_window, strict_api, private_home
):
    seeds = small_history(time.time())
    database = write_seeds(private_home, seeds)
    session = open_with_account(qtbot, open_window, strict_api)
    window = session.window
    total = wait_all_counted(qtbot, window, database)
    before = ui.rows(table(window), *COLUMNS)
    select_row(qtbot, window, 1)

    click(qtbot, ui.button(pane(window), "Clear history…"))
    box = wait_window(qtbot, CLEAR_TITLE)
    assert "cannot be undone" in " ".join(w.text() for w in box.findChildren(QLabel))
    click(qtbot, ui.button(box, "Cancel"))
    qtbot.waitUntil(lambda: ui.window_titled(CLEAR_TITLE) is None)
    assert ui.rows(table(window), *COLUMNS) == before
    assert shown_count(window) == total == database_count(database)

    # Enter on the question is the safe answer: nothing is deleted.
    click(qtbot, ui.button(pane(window), "Clear history…"))
    box = wait_window(qtbot, CLEAR_TITLE)
    activate(qtbot, box)
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: ui.window_titled(CLEAR_TITLE) is None)
    assert ui.rows(table(window), *COLUMNS) == before
    assert database_count(database) == total

    click(qtbot, ui.button(pane(window), "Clear history…"))
    box = wait_window(qtbot, CLEAR_TITLE)
    click(qtbot, ui.button(box, "Clear history"))
    qtbot.waitUntil(lambda: table(window).model().rowCount() == 0, timeout=WAIT)
    qtbot.waitUntil(lambda: shown_count(window) == 0, timeout=WAIT)
    assert details(window).toPlainText() == ""
    assert database_count(database) == 0
    asked = len(strict_api.received())

    quit_window(qtbot, session)
    again = open_window().window
    qtbot.waitUntil(lambda: again.isVisible())
    qtbot.waitUntil(lambda: all(r.status for r in strict_api.received()), timeout=WAIT)
    made_since = len(strict_api.received()) - asked
    qtbot.waitUntil(lambda: shown_count(again) == database_count(database), timeout=WAIT)
    assert database_count(database) <= made_since
    assert SEED_AGENT not in column_texts(again, "User agent")


# 11. Export ----------------------------------------------------------------------------------
def test_export_writes_exactly_the_rows_the_filter_shows(
    big, qtbot, open_window, strict_api, tmp_path
):
    _seeds, database = big
    window = open_with_account(qtbot, open_window, strict_api).window
    wait_all_counted(qtbot, window, database)
    key = strict_api.write_key
    export = ui.button(pane(window), "Export…")

    filter_history(qtbot, window, "needle.deep")
    qtbot.waitUntil(lambda: shown_count(window) == 2, timeout=WAIT)
    path = tmp_path / "needle.csv"
    save_as(qtbot, export, EXPORT_TITLE, path)
    qtbot.waitUntil(
        lambda: window.statusBar().currentMessage().startswith("Exported"), timeout=WAIT
    )
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["user"] for r in rows] == [NEEDLE_USER, NEEDLE_USER]
    assert [number(r["id"]) for r in rows] == sorted(DEEP_NEEDLE, reverse=True)
    assert all('"Seq"' in r["request_body"] for r in rows if r["method"] == "POST")
    assert key not in path.read_text(encoding="utf-8")

    # Status filter alone: the 5xx rows, all 16,000-odd of them, not only the loaded pages.
    filter_history(qtbot, window, "")
    click(qtbot, status_toggle(window, "5xx"))
    five = database_count(database, "WHERE status BETWEEN 500 AND 599")
    qtbot.waitUntil(lambda: shown_count(window) == five, timeout=WAIT)
    window.statusBar().clearMessage()
    path = tmp_path / "five.json"
    save_as(qtbot, export, EXPORT_TITLE, path)
    qtbot.waitUntil(
        lambda: window.statusBar().currentMessage().startswith("Exported"), timeout=WAIT
    )
    exported = json.loads(path.read_text(encoding="utf-8"))
    assert len(exported) == five
    assert all(500 <= r["status"] <= 599 for r in exported)
    assert {r["id"] for r in exported} == {
        i for (i,) in database_rows(database, "SELECT id FROM history WHERE status >= 500")
    }


def wait_exported(qtbot, window) -> str:
    said = window.statusBar().currentMessage
    qtbot.waitUntil(lambda: said().startswith("Exported"), timeout=WAIT)
    return said()


# 12. Copy as curl -----------------------------------------------------------------------------
def test_copy_as_curl_repeats_the_request_with_the_key_left_to_the_shell(
    qtbot, open_window, strict_api
):
    window = open_with_account(qtbot, open_window, strict_api).window
    key = strict_api.write_key
    assert look_up(qtbot, window, "Phone", CUSTOMER).startswith("Found")
    set_attribute(qtbot, window, "Favorite color", "teal")
    send_with_keyboard(qtbot, window)
    confirm_send(qtbot)
    qtbot.waitUntil(lambda: send_result(window).startswith("Sent"), timeout=WAIT)
    qtbot.waitUntil(lambda: "POST" in column_texts(window, "Method"), timeout=WAIT)
    curl_button = ui.button(pane(window), "Copy as curl")

    copied: dict[str, str] = {}
    for method in ("POST", "GET"):
        rows = ui.rows(table(window), "Method", "Endpoint", "Status")
        row = rows.index((method, ATTRIBUTES, "200"))
        select_row(qtbot, window, row)
        QApplication.clipboard().clear()
        click(qtbot, curl_button)
        qtbot.waitUntil(lambda: clipboard_text().startswith("curl"), timeout=WAIT)
        copied[method] = clipboard_text()
    for command in copied.values():
        assert key not in command, command
        assert "$ATTENTIVE_API_KEY" in command, command
        assert strict_api.base_url + ATTRIBUTES in command, command
    assert "%2B14155550100" in copied["GET"], copied["GET"]
    assert (
        '"Favorite color": "teal"' in copied["POST"] or '"Favorite color":"teal"' in copied["POST"]
    ), copied["POST"]
    assert "POST" in copied["POST"]


# 13. masking -------------------------------------------------------------------------------
def test_mask_personal_data_hides_phones_and_emails_in_the_history(
    qtbot, open_window, strict_api, private_home
):
    seeds = small_history(time.time())
    seeds.append(Seed(len(seeds) + 1, time.time() - 60, user="ada@example.com",
                      request_body=json.dumps({"user": {"email": "ada@example.com"}})))  # fmt: skip
    database = write_seeds(private_home, seeds)
    window = open_with_account(qtbot, open_window, strict_api).window
    wait_all_counted(qtbot, window, database)
    row = column_texts(window, "User").index("ada@example.com")
    select_row(qtbot, window, row)
    activate(qtbot, window)
    press(qtbot, Qt.Key.Key_M, CTRL | SHIFT)
    qtbot.waitUntil(lambda: "ada@example.com" not in column_texts(window, "User"), timeout=WAIT)
    users = " ".join(column_texts(window, "User"))
    assert not any(s.user in users for s in seeds), users
    qtbot.waitUntil(lambda: "ada@example.com" not in details(window).toPlainText(), timeout=WAIT)
    activate(qtbot, window)
    press(qtbot, Qt.Key.Key_M, CTRL | SHIFT)
    qtbot.waitUntil(lambda: "ada@example.com" in column_texts(window, "User"), timeout=WAIT)


# 14. 90-day pruning -------------------------------------------------------------------------
def test_requests_older_than_90_days_are_pruned_from_the_pane_and_the_database(
    qtbot, open_window, strict_api, private_home
):
    now = time.time()
    seeds = [
        Seed(1, now - 91 * DAY, user="+14155579191"),
        Seed(2, now - 89 * DAY, user="+14155578989"),
    ]
    database = write_seeds(private_home, seeds)
    window = open_with_account(qtbot, open_window, strict_api).window
    qtbot.waitUntil(lambda: database_count(database, "WHERE id = 1") == 0, timeout=WAIT)
    qtbot.waitUntil(lambda: shown_count(window) == database_count(database), timeout=WAIT)
    # The count comes from its own query: the rows may land a moment after it.
    qtbot.waitUntil(
        lambda: len(column_texts(window, "User")) == database_count(database), timeout=WAIT
    )
    users = column_texts(window, "User")
    assert "+14155578989" in users
    assert "+14155579191" not in users, "a pruned request is still listed"


# 15. Ctrl+H, the dock ------------------------------------------------------------------------
def test_ctrl_h_hides_and_shows_the_pane_which_is_a_dock_that_keeps_its_place(
    qtbot, open_window, strict_api
):
    session = open_with_account(qtbot, open_window, strict_api)
    window = session.window
    assert isinstance(window, QMainWindow)
    dock = pane(window)
    assert window.dockWidgetArea(dock) == Qt.DockWidgetArea.BottomDockWidgetArea
    assert not dock.isFloating()
    features = dock.features()
    for feature in (
        QDockWidget.DockWidgetFeature.DockWidgetClosable,
        QDockWidget.DockWidgetFeature.DockWidgetMovable,
        QDockWidget.DockWidgetFeature.DockWidgetFloatable,
    ):
        assert features & feature, feature
    toggle = ui.menu_action(window, "View", "Request history")
    assert toggle.isChecked()

    activate(qtbot, window)
    press(qtbot, Qt.Key.Key_H, CTRL)
    qtbot.waitUntil(lambda: not dock.isVisible())
    assert not toggle.isChecked()
    assert window.focusWidget() is not None and not dock.isAncestorOf(window.focusWidget())
    activate(qtbot, window)
    press(qtbot, Qt.Key.Key_H, CTRL)
    qtbot.waitUntil(dock.isVisible)
    assert toggle.isChecked()
    assert pane(window) is dock

    # Put on the right (as a drag would) and floated back: it is still the history, with its rows.
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    qtbot.waitUntil(lambda: window.dockWidgetArea(dock) == Qt.DockWidgetArea.RightDockWidgetArea)
    rows = ui.rows(table(window), *COLUMNS)
    assert rows
    quit_window(qtbot, session)
    again = open_window().window
    dock = pane(again)
    assert again.dockWidgetArea(dock) == Qt.DockWidgetArea.RightDockWidgetArea
    qtbot.waitUntil(lambda: table(again).model().rowCount() >= len(rows), timeout=WAIT)
    assert shown_count(again) == table(again).model().rowCount()
