"""Bulk runs on one account split its rate limit through leases in a shared folder."""

from __future__ import annotations

import os
import stat
import sys

import pytest

from attentive_desktop.store.rate_share import SUFFIX, TTL, RateShare, scope_of
from tests.waiting import wait_until

SCOPE = scope_of("https://api.attentivemobile.com/v1", "Acme")
NOW = 1_800_000_000.0


def clock() -> float:
    return NOW


def other_lease(folder, scope: str = SCOPE, age: float = 0.0, name: str = "other"):
    """A lease of another run, last touched ``age`` seconds ago."""
    path = folder / f"{scope}-{name}{SUFFIX}"
    path.touch()
    os.utime(path, (NOW - age, NOW - age))
    return path


def test_a_lone_run_has_the_whole_limit_and_leaves_no_lease(tmp_path):
    folder = tmp_path / "bulk-runs"
    with RateShare(folder, SCOPE, clock=clock) as share:
        assert share.sharers == 1
        assert share.path.exists() and share.path.parent == folder
        assert share.path.name.startswith(SCOPE)
    assert not share.path.exists()
    assert list(folder.iterdir()) == []


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")
def test_the_folder_and_the_lease_are_the_owners_only(tmp_path):
    folder = tmp_path / "bulk-runs"
    with RateShare(folder, SCOPE, clock=clock) as share:
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        assert stat.S_IMODE(share.path.stat().st_mode) == 0o600


def test_runs_on_the_same_account_count_each_other(tmp_path):
    other_lease(tmp_path, age=TTL / 2)
    other_lease(tmp_path, scope=scope_of("https://api.attentivemobile.com/v1", "Beta"))
    other_lease(tmp_path, scope=scope_of("http://127.0.0.1:8080/v1", "Acme"), name="sandbox")
    with RateShare(tmp_path, SCOPE, clock=clock) as share:
        assert share.sharers == 2  # this run and the one on Acme; not Beta, not the sandbox


def test_a_lease_left_by_a_dead_run_stops_counting_and_is_cleared_later(tmp_path):
    stale = other_lease(tmp_path, age=TTL + 1, name="stale")
    dead = other_lease(tmp_path, age=10 * TTL + 1, name="dead")
    with RateShare(tmp_path, SCOPE, clock=clock) as share:
        assert share.sharers == 1
        assert stale.exists()  # may be a run stalled for a moment
        assert not dead.exists()


def test_counting_follows_runs_that_start_and_end(tmp_path):
    with RateShare(tmp_path, SCOPE, clock=clock) as share:
        joined = other_lease(tmp_path)
        assert share.refresh() == 2
        joined.unlink()
        assert share.refresh() == 1


def test_the_heartbeat_keeps_the_lease_fresh_and_the_count_current(tmp_path):
    with RateShare(tmp_path, SCOPE, heartbeat=0.01) as share:
        os.utime(share.path, (0, 0))
        other_lease(tmp_path)
        os.utime(tmp_path / f"{SCOPE}-other{SUFFIX}", None)  # touched now, by its own run
        assert wait_until(lambda: share.sharers == 2)
        assert wait_until(lambda: share.path.stat().st_mtime > 0)


def test_a_folder_that_cannot_be_used_leaves_pacing_alone(tmp_path):
    blocker = tmp_path / "bulk-runs"
    blocker.write_text("not a folder")
    with RateShare(blocker, SCOPE, clock=clock) as share:
        assert share.sharers == 1
    assert blocker.read_text() == "not a folder"


def test_the_scope_tells_accounts_and_servers_apart_and_holds_no_name():
    assert scope_of("https://a/v1", "Acme") == scope_of("https://a/v1", "Acme")
    assert scope_of("https://a/v1", "Acme") != scope_of("https://a/v1", "acme")
    assert scope_of("https://a/v1", "Acme") != scope_of("https://b/v1", "Acme")
    assert "Acme" not in scope_of("https://a/v1", "Acme")
