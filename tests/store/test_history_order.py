"""Sorting the whole history in the database, paged by the last record shown (keyset)."""

from __future__ import annotations

import itertools
import random

import pytest

from attentive_desktop.store.database import Database
from attentive_desktop.store.history import HistoryRecord, HistoryStore
from attentive_desktop.store.history_order import NEWEST_FIRST, SORTABLE, HistoryOrder
from attentive_desktop.store.history_search import HistoryFilter, StatusClass
from tests.store.conftest import FakeExchange

USERS = ["+14155550100", "ada@example.com", "", "Zoë@example.com", "zed@example.com", "é"]
STATUSES = [200, 201, 400, 404, 429, 500, None]


@pytest.fixture
def history(db: Database) -> HistoryStore:
    store = HistoryStore(db, os_user="tester")
    rng = random.Random(7)
    for i in range(157):  # duplicates in every column: ties must be broken by id
        store.append(
            FakeExchange(
                started_at=1_700_000_000.0 + rng.randrange(40),
                method=rng.choice(["GET", "POST"]),
                endpoint=rng.choice(["/attributes/custom", "/me"]),
                user=rng.choice(USERS),
                status=rng.choice(STATUSES),
                duration_ms=rng.choice([1.0, 12.5, 300.25, 98765.0]),
                attempt=rng.randint(1, 5),
                user_agent=rng.choice(["attentive-desktop/0.1", "zz-agent/9", "Agent/1"]),
                error=None if i % 3 else "Could not reach Attentive.",
            ),
            account=rng.choice(["Main", "Staging", ""]),
        )
    return store


def every_page(
    history: HistoryStore, order: HistoryOrder, limit: int, **filters
) -> list[HistoryRecord]:
    shown: list[HistoryRecord] = []
    while page := history.page_ordered(
        order, shown[-1] if shown else None, limit, with_bodies=False, **filters
    ):
        assert len(page) <= limit
        shown += page
    return shown


@pytest.mark.parametrize("column", SORTABLE)
@pytest.mark.parametrize("descending", [True, False])
def test_paging_by_any_column_lists_every_record_once_in_order(
    history: HistoryStore, column: str, descending: bool
) -> None:
    order = HistoryOrder(column, descending)
    everything = history.page(0, 1000, with_bodies=False)
    expected = sorted(everything, key=order.key, reverse=descending)
    shown = every_page(history, order, 10)
    assert [r.id for r in shown] == [r.id for r in expected]
    # Python's placement agrees with the database's, record by record.
    assert all(order.comes_before(a, b) for a, b in itertools.pairwise(shown))


def test_bodies_come_with_the_page_in_the_same_order(history: HistoryStore) -> None:
    order = HistoryOrder("duration", descending=True)
    lean = history.page_ordered(order, None, 20, with_bodies=False)
    full = history.page_ordered(order, None, 20)
    assert [r.id for r in full] == [r.id for r in lean]
    assert all(r.url and r.response_body for r in full)


def test_no_response_sorts_below_every_status(history: HistoryStore) -> None:
    shown = every_page(history, HistoryOrder("status", descending=False), 50)
    first_answer = next(i for i, r in enumerate(shown) if r.status is not None)
    assert first_answer > 0
    assert all(r.status is None for r in shown[:first_answer])
    assert all(r.status is not None for r in shown[first_answer:])


def test_the_plain_and_the_tools_filters_apply_to_sorted_pages(history: HistoryStore) -> None:
    order = HistoryOrder("user", descending=False)
    text = every_page(history, order, 7, text="example.com")
    assert text and all("example.com" in r.user.lower() for r in text)
    assert len(text) == history.count("example.com")

    failures = HistoryFilter.make(statuses={StatusClass.SERVER_ERROR})
    shown = every_page(history, order, 7, flt=failures)
    assert shown and all(r.status is not None and r.status >= 500 for r in shown)
    assert len(shown) == history.count_matching(failures)
    assert [r.user for r in shown] == sorted(r.user for r in shown)


def test_newest_first_is_the_default_and_unknown_columns_are_refused(
    history: HistoryStore,
) -> None:
    assert [r.id for r in every_page(history, NEWEST_FIRST, 25)] == [
        r.id for r in history.page(0, 1000, with_bodies=False)
    ]
    with pytest.raises(ValueError, match="cannot be sorted by 'bodies'"):
        HistoryOrder("bodies")
