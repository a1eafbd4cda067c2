"""An audit of the Bulk dialog as a marketer uses it, against the strict server: a good file
from preview to dry run to a finished run; a file with problems; refusals, 429s and the report.

Everything is driven as a user does it (Ctrl+B, *Choose file…* and the file dialog, button
clicks by their texts, the confirmation) and judged by what the dialog shows and what the
strict server recorded. The steps are in bulk_audit_support.py.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from PySide6.QtWidgets import QLabel, QLineEdit

from tests.strict import ui
from tests.strict.bulk_audit_support import (
    ATTRIBUTES,
    CONFIRM,
    RATE_LIMITED,
    RUN_WAIT,
    accepted_bodies,
    accepted_per_user,
    answered,
    choose_file,
    customers,
    dry_run,
    export_report,
    heartbeat,
    open_bulk,
    phone,
    posts,
    preview_headers,
    progress_bar,
    progress_text,
    results,
    sorted_bodies,
    start,
    table,
    wait_finished,
    wait_results,
    watching,
    write_csv,
)
from tests.strict.journey import (
    OFFSCREEN_POPUP_WARNINGS,
    WAIT,
    assert_plain,
    click,
    first_run,
    history_rows,
    history_table,
    wait_closed,
    wait_window,
)

pytestmark = OFFSCREEN_POPUP_WARNINGS


def test_a_good_file_previews_checks_clean_and_sends_every_row_once(
    qtbot, open_window, strict_api, tmp_path
):
    window = open_window().window
    first_run(qtbot, strict_api)
    path, bodies = customers(tmp_path / "customers.csv", 20)
    dialog = open_bulk(qtbot, window)

    # The preview: the columns (identifier and inferred types) and the row count.
    summary = choose_file(qtbot, dialog, path)
    assert summary.startswith("20 rows, comma-separated."), summary
    assert "Identifier columns: phone." in summary
    assert "Tier: Text; Points: Number; Joined: Date" in summary
    assert preview_headers(dialog) == [
        "phone\nidentifier · phone",
        "Tier\nText",
        "Points\nNumber",
        "Joined\nDate",
    ]
    assert table(dialog, "Preview").model().rowCount() == 20
    assert ui.by_label(dialog, "File", QLineEdit).text() == str(path)

    # The dry run: no problem, nothing sent.
    check, problems = dry_run(qtbot, dialog)
    assert check.startswith("20 rows: 20 ready to send, 0 invalid, 0 with nothing to send."), check
    assert "0 errors, 0 warnings" in check
    assert problems == []
    assert posts(strict_api) == []

    # The run: asked first, then progress, then every row Sent.
    strict_api.slow_down("POST", ATTRIBUTES, 0.3)  # long enough to see it move
    with watching(lambda: progress_text(dialog)) as seen:
        question = start(qtbot, dialog)
        final = wait_finished(qtbot, dialog, RUN_WAIT)
    assert "Send 20 rows of 20 to account “Strict test”?" in question, question
    assert any(text.endswith("left") and " of 20 rows · " in text for text in seen), seen
    assert final.startswith("Run 1 completed in "), final
    assert "20 sent, 0 failed, 0 skipped as invalid" in final and "0 not sent yet" in final
    bar = progress_bar(dialog)
    assert bar.maximum() == 20 and bar.value() == 20

    shown = wait_results(qtbot, dialog, 20)
    assert sorted(shown) == list(range(2, 22))  # spreadsheet rows: the header is row 1
    for row, (_n, identifier, status, attempts, message) in shown.items():
        assert status == "Sent", (row, status, message)
        assert identifier == bodies[row - 2]["user"]["phone"]
        assert attempts == "1" and message == ""

    # The server got exactly one POST per row, with the values as in the file.
    assert len(posts(strict_api)) == 20
    assert accepted_bodies(strict_api) == sorted_bodies(bodies)


def test_the_history_pane_lists_a_runs_failed_attempts_not_every_row(
    qtbot, open_window, strict_api, tmp_path
):
    """README: a bulk run lists only its failed attempts in the history (so a big file does
    not bury everything else); every row's outcome is in the run's results."""
    window = open_window().window
    first_run(qtbot, strict_api)
    path, _bodies = customers(tmp_path / "customers.csv", 20)
    strict_api.fail_next("POST", ATTRIBUTES, 1, 400, message="Refused on purpose")
    dialog = open_bulk(qtbot, window)
    choose_file(qtbot, dialog, path)
    start(qtbot, dialog)
    assert wait_finished(qtbot, dialog).startswith("Run 1 completed")
    assert len(answered(strict_api)) == 19  # and one refused
    qtbot.waitUntil(lambda: ("POST", ATTRIBUTES, "400") in history_rows(window), timeout=WAIT)
    shown = history_rows(window)
    assert shown.count(("POST", ATTRIBUTES, "400")) == 1
    assert ("POST", ATTRIBUTES, "200") not in shown, shown


# a file with problems --------------------------------------------------------------------------
PROBLEM_HEADER = ["phone", "email", "Tier", "Points", "Joined"]
PROBLEM_ROWS = [
    ["+14155551001", "", "gold", "10", "2024-01-05"],  # row 2: good
    ["12345", "", "gold", "11", "2024-01-05"],  # row 3: bad phone
    ["", "grace hopper@example.com", "gold", "12", "2024-01-05"],  # row 4: email with a space
    ["+14155551004", "", "[1,2]", "13", "2024-01-05"],  # row 5: a list written as text
    ["+14155551005", "", "", "", ""],  # row 6: nothing to send
    ["+14155551006", "", "silver", "", "2024-01-06"],  # row 7: one empty cell, not sent
    ["", "ada@example.com", "bronze", "14", "2024-01-07"],  # row 8: good, by email
]
GOOD_BODIES = [
    {
        "properties": {"Tier": "gold", "Points": "10", "Joined": "2024-01-05"},
        "user": {"phone": "+14155551001"},
    },
    {"properties": {"Tier": "silver", "Joined": "2024-01-06"}, "user": {"phone": "+14155551006"}},
    {
        "properties": {"Tier": "bronze", "Points": "14", "Joined": "2024-01-07"},
        "user": {"email": "ada@example.com"},
    },
]


def problem_file(tmp_path: Path) -> Path:
    """The problem rows, saved as Excel on Windows does: a BOM and CRLF line endings."""
    return write_csv(
        tmp_path / "problems.csv", PROBLEM_HEADER, PROBLEM_ROWS, newline="\r\n", bom=True
    )


def test_problem_rows_are_reported_by_row_before_sending_and_only_good_rows_go(
    qtbot, open_window, strict_api, tmp_path
):
    window = open_window().window
    first_run(qtbot, strict_api)
    path = problem_file(tmp_path)
    assert path.read_bytes().startswith(b"\xef\xbb\xbfphone,") and b"\r\n" in path.read_bytes()
    dialog = open_bulk(qtbot, window)

    summary = choose_file(qtbot, dialog, path)
    assert summary.startswith("7 rows, comma-separated."), summary
    assert "Identifier columns: phone, email." in summary  # the BOM is not part of "phone"
    assert preview_headers(dialog)[0] == "phone\nidentifier · phone"

    check, problems = dry_run(qtbot, dialog)
    assert posts(strict_api) == []  # all of it reported before anything is sent
    assert check.startswith("7 rows: 3 ready to send, 3 invalid, 1 with nothing to send."), check
    by_row = {}
    for row, column, severity, message in problems:
        by_row.setdefault(row, []).append((column, severity, message))
        assert_plain(message, strict_api.write_key)
    assert set(by_row) == {"3", "4", "5", "6"}, problems
    assert [(c, s) for c, s, _m in by_row["3"]] == [("phone", "error")]
    assert "12345" in by_row["3"][0][2] and "too short" in by_row["3"][0][2]
    assert [(c, s) for c, s, _m in by_row["4"]] == [("email", "error")]
    assert "space" in by_row["4"][0][2]
    assert [(c, s) for c, s, _m in by_row["5"]] == [("Tier", "error")]
    assert "list" in by_row["5"][0][2] and "[1,2]" in by_row["5"][0][2]
    assert by_row["6"][0][1] == "notice" and "nothing to send" in by_row["6"][0][2]

    start(qtbot, dialog)
    final = wait_finished(qtbot, dialog)
    assert "3 sent, 0 failed, 3 skipped as invalid, 1 with nothing to send" in final, final
    shown = wait_results(qtbot, dialog, 7)
    statuses = {row: status for row, (_n, _i, status, _a, _m) in shown.items()}
    assert statuses == {
        2: "Sent",
        3: "Skipped (invalid)",
        4: "Skipped (invalid)",
        5: "Skipped (invalid)",
        6: "Skipped (nothing to send)",
        7: "Sent",
        8: "Sent",
    }
    assert "12345" in shown[3][4] and "space" in shown[4][4] and "list" in shown[5][4]

    # Only the good rows reached the server, as written (no BOM, no CR, no empty value).
    assert len(posts(strict_api)) == 3
    assert accepted_bodies(strict_api) == sorted_bodies(GOOD_BODIES)
    raw = b"".join(r.body for r in posts(strict_api))
    assert b"\\r" not in raw and b"\\ufeff" not in raw and b"\xef\xbb\xbf" not in raw


def test_starting_without_a_dry_run_says_how_many_rows_will_not_be_sent(
    qtbot, open_window, strict_api, tmp_path
):
    """A marketer who presses Start… straight after choosing the file is asked to confirm:
    the question must not promise 7 rows when 4 of them will not be sent."""
    window = open_window().window
    first_run(qtbot, strict_api)
    dialog = open_bulk(qtbot, window)
    path = problem_file(tmp_path)
    choose_file(qtbot, dialog, path)
    click(qtbot, ui.button(dialog, "Start…"))
    box = wait_window(qtbot, CONFIRM)
    shown = " ".join(ui.plain(w.text()) for w in box.findChildren(QLabel) if w.isVisible())
    question = shown.replace(str(path), "<file>")  # the file's name is not an answer
    answer = [b for b in ui.buttons(box) if b.startswith("Send")]
    click(qtbot, ui.button(box, "Cancel"))
    wait_closed(qtbot, CONFIRM)
    assert posts(strict_api) == []
    says_so = re.search(r"invalid|skipped|problem|not be sent|won.t be sent", question, re.I)
    assert says_so and re.search(r"\b3\b", question), (
        f"the confirmation reads {question!r} with the button {answer}: it does not say that "
        "3 rows are invalid and 1 has nothing to send (only 3 of the 7 rows would be sent)"
    )


def test_a_duplicate_row_is_flagged_and_not_sent_twice(qtbot, open_window, strict_api, tmp_path):
    window = open_window().window
    first_run(qtbot, strict_api)
    path = write_csv(
        tmp_path / "duplicates.csv",
        ["phone", "Tier", "Points"],
        [
            ["+14155552001", "gold", "10"],  # row 2
            ["+14155552002", "silver", "20"],  # row 3
            ["+14155552001", "gold", "10"],  # row 4: row 2 again, pasted twice
        ],
    )
    dialog = open_bulk(qtbot, window)
    choose_file(qtbot, dialog, path)
    _check, problems = dry_run(qtbot, dialog)
    start(qtbot, dialog)
    wait_finished(qtbot, dialog)
    shortfalls = []
    flagged = [p for p in problems if p[0] == "4"]
    if not flagged or not any("2" in p[3] for p in flagged):
        shortfalls.append(
            f"the dry run does not flag row 4 as a repeat of row 2 (problems: {problems})"
        )
    writes = accepted_per_user(strict_api)["+14155552001"]
    if writes != 1:
        shortfalls.append(f"the repeated row was sent {writes} times to the same customer")
    assert accepted_per_user(strict_api)["+14155552002"] == 1
    assert not shortfalls, "; ".join(shortfalls)


def test_a_201_character_name_is_reported_on_the_header_and_nothing_is_sent(
    qtbot, open_window, strict_api, tmp_path
):
    window = open_window().window
    first_run(qtbot, strict_api)
    long_name = "Favourite store " + "x" * 185  # 201 characters
    assert len(long_name) == 201
    path = write_csv(
        tmp_path / "long-name.csv",
        ["phone", long_name, "Tier"],
        [["+14155553001", "Soho", "gold"], ["+14155553002", "Brooklyn", "silver"]],
    )
    dialog = open_bulk(qtbot, window)
    summary = choose_file(qtbot, dialog, path)
    assert "Header" in summary and "201 characters" in summary, summary
    assert not ui.button(dialog, "Start…").isEnabled()  # the file cannot be sent as it is
    check, problems = dry_run(qtbot, dialog)
    assert [(r, c, s) for r, c, s, _m in problems] == [("1", long_name, "error")], problems
    message = problems[0][3]
    assert "201 characters" in message and "at most 200" in message
    assert_plain(message, strict_api.write_key)
    assert not ui.button(dialog, "Start…").isEnabled()
    assert "0 ready to send" in check and "no row can be sent until it is fixed" in check, check
    assert posts(strict_api) == []

    # 200 characters is still fine: the same file with the name one character shorter goes.
    path = write_csv(
        tmp_path / "name-200.csv",
        ["phone", long_name[:200], "Tier"],
        [["+14155553001", "Soho", "gold"], ["+14155553002", "Brooklyn", "silver"]],
    )
    choose_file(qtbot, dialog, path)
    _check, problems = dry_run(qtbot, dialog)
    assert problems == []
    start(qtbot, dialog)
    assert "2 sent, 0 failed" in wait_finished(qtbot, dialog)
    assert [r.status for r in posts(strict_api)] == [200, 200]


def test_a_semicolon_file_is_read_and_sent_as_written(qtbot, open_window, strict_api, tmp_path):
    window = open_window().window
    first_run(qtbot, strict_api)
    rows = [[phone(4000 + i), f"Store; {i}", str(i + 1)] for i in range(5)]
    path = write_csv(tmp_path / "semicolons.csv", ["Phone", "Store", "Visits"], rows, delimiter=";")
    assert path.read_text(encoding="utf-8").splitlines()[0] == "Phone;Store;Visits"
    dialog = open_bulk(qtbot, window)
    summary = choose_file(qtbot, dialog, path)
    assert summary.startswith("5 rows, semicolon-separated."), summary
    assert preview_headers(dialog) == ["Phone\nidentifier · phone", "Store\nText", "Visits\nNumber"]
    _check, problems = dry_run(qtbot, dialog)
    assert problems == []
    start(qtbot, dialog)
    assert "5 sent, 0 failed" in wait_finished(qtbot, dialog)
    assert accepted_bodies(strict_api) == sorted_bodies(
        [{"properties": {"Store": s, "Visits": v}, "user": {"phone": p}} for p, s, v in rows]
    )


# refusals, 429s and the report -----------------------------------------------------------------
OPTED_OUT = "This subscriber opted out of custom attributes."


def test_refusals_fail_their_rows_429s_are_retried_and_the_report_keeps_no_key(
    qtbot, open_window, strict_api, tmp_path
):
    window = open_window().window
    first_run(qtbot, strict_api)
    key = strict_api.write_key
    path, bodies = customers(tmp_path / "customers.csv", 60, first=5000)
    row_of = {body["user"]["phone"]: number for number, body in enumerate(bodies, start=2)}
    dialog = open_bulk(qtbot, window)
    choose_file(qtbot, dialog, path)

    # The first three rows to go are refused; one refusal quotes the key back (a careless
    # server): the app must not repeat it anywhere.
    strict_api.fail_next("POST", ATTRIBUTES, 2, 400, message=OPTED_OUT)
    strict_api.fail_next("POST", ATTRIBUTES, 1, 400, message=f"Invalid request for key {key}")
    strict_api.slow_down("POST", ATTRIBUTES, 0.2)
    with heartbeat() as beat:
        start(qtbot, dialog)
        # Mid-run, a burst of 429s (fewer than the app's attempts per row).
        qtbot.waitUntil(lambda: len(posts(strict_api)) >= 15, timeout=RUN_WAIT)
        strict_api.fail_next("POST", ATTRIBUTES, 4, 429, headers=RATE_LIMITED)
        final = wait_finished(qtbot, dialog)
    assert beat.longest_gap < 0.5, f"the window froze for {beat.longest_gap:.2f} s"
    assert final.startswith("Run 1 completed"), final  # the run went on
    assert "57 sent, 3 failed, 0 skipped as invalid" in final, final

    refused = [r.json()["user"]["phone"] for r in answered(strict_api, 400)]
    limited = [r.json()["user"]["phone"] for r in answered(strict_api, 429)]
    assert len(refused) == 3 and len(limited) == 4, "the scripted trouble did not happen"
    others = {b["user"]["phone"] for b in bodies} - set(refused)
    assert accepted_per_user(strict_api) == dict.fromkeys(others, 1)

    shown = wait_results(qtbot, dialog, 60)
    for number in (row_of[p] for p in refused):
        _n, _i, status, attempts, message = shown[number]
        assert status == "Failed" and attempts == "1", shown[number]
        assert message.startswith("Attentive rejected the request as invalid."), message
        assert key not in message
    assert sum(OPTED_OUT in shown[row_of[p]][4] for p in refused) == 2
    for number in {row_of[p] for p in limited}:  # retried, then accepted
        _n, _i, status, attempts, _m = shown[number]
        assert status == "Sent" and int(attempts) >= 2, shown[number]

    # The report: every row with its number, the reasons of the failed ones, never the key.
    report = export_report(qtbot, dialog, tmp_path / "report.csv")
    lines = list(csv.reader(report.splitlines()))
    assert lines[0] == ["row", "identifier", "status", "attempts", "message"]
    assert sorted(int(line[0]) for line in lines[1:]) == list(range(2, 62))
    failed = {int(line[0]): line[4] for line in lines[1:] if line[2] == "failed"}
    assert set(failed) == {row_of[p] for p in refused}
    assert sum(OPTED_OUT in reason for reason in failed.values()) == 2
    assert key not in report
    assert key not in " ".join(text for row in results(dialog) for text in row)

    # The history pane lists the refused attempts, without the key.
    qtbot.waitUntil(lambda: history_rows(window).count(("POST", ATTRIBUTES, "400")) == 3)
    assert history_rows(window).count(("POST", ATTRIBUTES, "429")) == 4
    history = history_table(window)
    assert key not in " ".join(" ".join(row) for row in ui.rows(history, *ui.headers(history)))

    # Rerun failed rows only: the three refused rows go again (accepted now), nothing else.
    click(qtbot, ui.button(dialog, "Rerun failed rows only"))
    final = wait_finished(qtbot, dialog)
    assert "60 sent, 0 failed" in final, final
    assert accepted_per_user(strict_api) == {b["user"]["phone"]: 1 for b in bodies}
    assert len(posts(strict_api)) == 60 + 3 + 4
