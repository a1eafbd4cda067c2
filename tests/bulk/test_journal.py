"""The journal: final states are never overwritten, attempts add up, reports are private."""

from __future__ import annotations

import pytest

from attentive_desktop.store.journal import (
    FAILED,
    PENDING,
    SENT,
    SKIPPED_INVALID,
    Journal,
)


def make_run(journal: Journal, total: int = 4):
    return journal.create_run(
        file_path="/data/rows.csv", file_sha256="ab" * 32, file_size=10, total_rows=total
    )


def test_prepare_rows_never_reopens_a_final_row(journal):
    run = make_run(journal)
    journal.prepare_rows(run.id, [(2, "a", PENDING, ""), (3, "b", PENDING, "")])
    journal.mark(run.id, 2, SENT, attempts=1)
    journal.mark(run.id, 3, FAILED, attempts=5, message="Server had a problem.")
    journal.prepare_rows(
        run.id, [(2, "a", PENDING, ""), (3, "b", PENDING, ""), (4, "c", SKIPPED_INVALID, "x")]
    )
    assert journal.get_row(run.id, 2).state == SENT
    reopened = journal.get_row(run.id, 3)
    assert (reopened.state, reopened.attempts, reopened.message) == (PENDING, 5, "")
    journal.mark(run.id, 3, SENT, attempts=1)
    assert journal.get_row(run.id, 3).attempts == 6
    counts = journal.counts(run.id)
    assert (counts[SENT], counts[SKIPPED_INVALID], counts[PENDING]) == (2, 1, 0)
    assert journal.states_between(run.id, 3, 4) == {3: SENT, 4: SKIPPED_INVALID}


def test_unfinished_until_every_row_is_final(journal):
    run = make_run(journal, total=2)
    journal.prepare_rows(run.id, [(2, "a", PENDING, "")])
    journal.mark(run.id, 2, SENT)
    journal.set_status(run.id, "completed")
    assert journal.is_unfinished(run.id)  # row 3 was never reached
    journal.prepare_rows(run.id, [(3, "b", PENDING, "")])
    journal.mark(run.id, 3, SENT)
    assert not journal.is_unfinished(run.id)
    assert journal.latest_run("/data/rows.csv").id == run.id
    assert journal.latest_run("/elsewhere.csv") is None


def test_unknown_states_are_refused(journal):
    run = make_run(journal)
    with pytest.raises(ValueError):
        journal.mark(run.id, 2, "done")
    with pytest.raises(ValueError):
        journal.set_status(run.id, "finished")


def test_rows_are_read_in_batches_in_file_order(journal):
    run = make_run(journal, total=25)
    journal.prepare_rows(run.id, [(n, f"u{n}", PENDING, "") for n in range(26, 1, -1)])
    assert [r.row_no for r in journal.rows(run.id, batch=4)] == list(range(2, 27))
    journal.mark(run.id, 7, FAILED, message="no")
    assert [r.row_no for r in journal.rows(run.id, states=[FAILED], batch=2)] == [7]
