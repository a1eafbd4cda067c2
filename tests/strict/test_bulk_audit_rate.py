"""The Bulk dialog's pace against the strict server, which refuses (429) more than 150 requests
per second per endpoint: a 1,000-row file must go through with no more than a handful of 429s,
every row once, and the window responsive throughout."""

from __future__ import annotations

import time

import pytest

from tests.strict.bulk_audit_support import (
    ATTRIBUTES,
    accepted_per_user,
    answered,
    choose_file,
    customers,
    heartbeat,
    max_per_second,
    open_bulk,
    posts,
    start,
    wait_finished,
)
from tests.strict.journey import OFFSCREEN_POPUP_WARNINGS, first_run
from tests.strict.strict_api import RATE_LIMIT

pytestmark = OFFSCREEN_POPUP_WARNINGS

ROWS = 1000
HANDFUL = 5  # 429s a paced client may still meet (its clock and the server's differ)
BUDGET = 20.0  # seconds: beyond this the audit skips rather than slow the suite down
RUN_WAIT = 40_000


def test_a_1000_row_run_stays_under_the_limit(qtbot, open_window, strict_api, tmp_path):
    window = open_window().window
    first_run(qtbot, strict_api)
    path, bodies = customers(tmp_path / "thousand.csv", ROWS, first=1)
    dialog = open_bulk(qtbot, window)
    choose_file(qtbot, dialog, path)
    began = time.monotonic()
    with heartbeat() as beat:
        start(qtbot, dialog)
        final = wait_finished(qtbot, dialog, RUN_WAIT)
    elapsed = time.monotonic() - began
    if elapsed > BUDGET:
        pytest.skip(f"the 1,000-row run took {elapsed:.1f} s here (budget {BUDGET:.0f} s)")

    refused = answered(strict_api, 429)
    accepted = answered(strict_api)
    assert final.startswith("Run 1 completed") and f"{ROWS:,} sent, 0 failed" in final, final
    assert len(refused) <= HANDFUL, (
        f"{len(refused)} of {len(posts(strict_api))} requests were refused with 429 "
        f"(busiest second: {max_per_second(posts(strict_api))} requests)"
    )
    assert max_per_second(accepted) <= RATE_LIMIT
    writes = accepted_per_user(strict_api)
    assert len(writes) == ROWS and set(writes.values()) == {1}
    assert {b["user"]["phone"] for b in bodies} == set(writes)
    assert beat.longest_gap < 0.5, f"the window froze for {beat.longest_gap:.2f} s"
    assert {r.path for r in posts(strict_api)} == {"/v1" + ATTRIBUTES}
