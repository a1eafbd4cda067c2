"""The terminal progress line: rate, ETA, and why the rate is low when runs share the limit."""

from __future__ import annotations

from attentive_desktop.api.bulk import BulkProgress
from attentive_desktop.cli.progress import render

PROGRESS = BulkProgress(
    done=50, total=200, sent=49, failed=1, skipped=0, rate=72.4, eta=2.1, elapsed=0.7,
    paused=False,
)  # fmt: skip


def test_the_line_shows_the_rate_and_eta_fitted_to_the_terminal():
    line = render(PROGRESS, width=120)
    assert line.startswith("[") and "50/200" in line and "72.4/s" in line and "ETA 0:02" in line
    assert "shared" not in line
    assert len(render(PROGRESS, width=60)) <= 59


def test_a_shared_rate_limit_says_why_the_rate_is_half():
    line = render(BulkProgress(**{**PROGRESS.__dict__, "sharing": 2}), width=160)
    assert "72.4/s ETA 0:02 (limit shared by 2 runs)" in line
