"""bulk_jobs.failure_recorder: what an in-process bulk run keeps in the request history."""

from __future__ import annotations

import logging
from types import SimpleNamespace

from attentive_desktop.gui.bulk_jobs import failure_recorder


class FakeHistory:
    """append() stores the exchange under an id; get() gives back (id, exchange, account)."""

    def __init__(self, fail: bool = False) -> None:
        self.rows: dict[int, tuple] = {}
        self.fail = fail

    def append(self, exchange, *, account=""):
        if self.fail:
            raise OSError("disk full")
        record_id = len(self.rows) + 1
        self.rows[record_id] = (record_id, exchange, account)
        return record_id

    def get(self, record_id):
        return self.rows.get(record_id)


def test_failed_attempts_are_recorded_under_the_account_and_successes_are_not():
    history, recorded = FakeHistory(), []
    record = failure_recorder(history, "Acme", recorded.append)
    ok, refused = SimpleNamespace(succeeded=True), SimpleNamespace(succeeded=False)
    record(ok)
    record(refused)
    assert recorded == [(1, refused, "Acme")]
    assert list(history.rows) == [1]


def test_a_history_that_cannot_write_does_not_stop_the_run(caplog):
    recorded = []
    record = failure_recorder(FakeHistory(fail=True), "Acme", recorded.append)
    with caplog.at_level(logging.ERROR):
        record(SimpleNamespace(succeeded=False))  # no exception reaches the sending thread
    assert recorded == []
    assert "could not store a request in the history" in caplog.text


def test_without_a_history_there_is_no_recorder():
    assert failure_recorder(None, "Acme", lambda _record: None) is None
