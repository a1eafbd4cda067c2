from __future__ import annotations

import dataclasses
import threading

import pytest

from attentive_desktop.store.database import Database
from attentive_desktop.store.history import HistoryRecord, HistoryStore, redact_credentials

from .conftest import FakeExchange


@pytest.fixture
def history(db: Database) -> HistoryStore:
    return HistoryStore(db)


def test_append_then_get_round_trips_every_field(history: HistoryStore) -> None:
    exchange = FakeExchange(
        method="POST",
        request_body='{"properties": {"VIP": "true"}, "user": {"phone": "+14155550100"}}',
        response_body="",
        status=None,
        error="The connection dropped.",
        attempt=3,
    )
    record_id = history.append(exchange, account="Main")
    record = history.get(record_id)
    assert record == HistoryRecord(
        id=record_id,
        started_at=exchange.started_at,
        method="POST",
        endpoint=exchange.endpoint,
        url=exchange.url,
        user=exchange.user,
        status=None,
        duration_ms=exchange.duration_ms,
        attempt=3,
        user_agent=exchange.user_agent,
        request_body=exchange.request_body,
        response_body="",
        error="The connection dropped.",
        account="Main",
    )
    assert history.get(record_id + 100) is None


def test_page_is_newest_first_with_offset_and_limit(history: HistoryStore) -> None:
    ids = [history.append(FakeExchange(started_at=float(i), attempt=i + 1)) for i in range(10)]
    first = history.page(0, 4)
    assert [r.id for r in first] == ids[::-1][:4]
    second = history.page(4, 4)
    assert [r.id for r in second] == ids[::-1][4:8]
    assert [r.id for r in history.page(8, 4)] == ids[:2][::-1]
    assert history.page(10, 4) == []
    assert history.count() == 10
    assert history.latest_id() == ids[-1]


def test_page_without_bodies_leaves_detail_empty(history: HistoryStore) -> None:
    history.append(FakeExchange(request_body="big body", error="oops"))
    (record,) = history.page(0, 10, with_bodies=False)
    assert (record.url, record.request_body, record.response_body, record.error) == (
        "",
        "",
        "",
        None,
    )
    assert record.method == "GET"
    assert history.get(record.id).request_body == "big body"


def test_filter_is_a_case_insensitive_substring_over_the_listed_columns(
    history: HistoryStore,
) -> None:
    get_ada = history.append(FakeExchange(user="ada@example.com"), account="Main")
    post = history.append(FakeExchange(method="POST", user="+14155550100", status=429))
    me = history.append(FakeExchange(endpoint="/me", user="", status=401), account="Staging")
    history.append(FakeExchange(user="bob@example.com", request_body="ADA in body only"))

    def ids(text: str) -> list[int]:
        return [r.id for r in history.page(0, 100, text)]

    assert ids("ADA@") == [get_ada]  # user, case-insensitive; bodies are not searched
    assert ids("post") == [post]  # method
    assert ids("/ME") == [me]  # endpoint
    assert ids("42") == [post]  # status as text
    assert ids("staging") == [me]  # account
    assert ids("main") == [get_ada]
    assert history.count("example.com") == 2
    assert history.count("nothing like this") == 0
    assert history.count("  ") == history.count(None) == history.count() == 4


def test_like_wildcards_in_the_filter_match_literally(history: HistoryStore) -> None:
    percent = history.append(FakeExchange(user="100%_sure"))
    history.append(FakeExchange(user="1000 sure"))
    backslash = history.append(FakeExchange(user=r"back\slash"))
    assert [r.id for r in history.page(0, 10, "%")] == [percent]
    assert [r.id for r in history.page(0, 10, "0_s")] == []  # '_' is not "any character"
    assert [r.id for r in history.page(0, 10, "%_s")] == [percent]
    assert [r.id for r in history.page(0, 10, "\\")] == [backslash]
    assert history.count("%") == 1


def test_clear_removes_everything_and_ids_are_not_reused(history: HistoryStore) -> None:
    last = [history.append(FakeExchange()) for _ in range(3)][-1]
    history.clear()
    assert history.count() == 0
    assert history.page(0, 10) == []
    assert history.get(last) is None
    assert history.latest_id() is None
    assert history.append(FakeExchange()) > last


def test_authorization_is_scrubbed_and_the_redact_hook_applies(db: Database) -> None:
    key = "sk_live_0123456789abcdef"
    store = HistoryStore(db, redact=lambda text: text.replace(key, "[key]"))
    record_id = store.append(
        FakeExchange(
            url=f"https://api.example/v1/me?token={key}",
            request_body=f"Authorization: Bearer {key}\nAccept: */*",
            response_body=f'{{"authorization": "Bearer {key}", "echo": "{key}"}}',
            error=f"failed with {key}",
        )
    )
    record = store.get(record_id)
    stored = (record.url, record.request_body, record.response_body, record.error)
    assert all(key not in text for text in stored)
    assert record.request_body.startswith("Authorization: [redacted]")
    assert record.error == "failed with [key]"
    on_disk = [p.read_bytes() for p in db.path.parent.iterdir() if p.is_file()]
    assert on_disk
    assert all(key.encode() not in data for data in on_disk)


def test_redact_credentials_leaves_ordinary_text_alone() -> None:
    assert (
        redact_credentials('{"properties": {"VIP": "true"}}') == '{"properties": {"VIP": "true"}}'
    )
    assert redact_credentials("bearer of bad news") == "bearer of bad news"
    assert redact_credentials("Bearer abcdefgh12345") == "Bearer [redacted]"


def test_keyset_paging_walks_all_rows_with_and_without_filter(history: HistoryStore) -> None:
    for i in range(25):
        history.append(FakeExchange(method="POST" if i % 3 == 0 else "GET"))
    collected: list[int] = []
    before: int | None = None
    while page := history.page_before(before, 7):
        collected.extend(r.id for r in page)
        before = page[-1].id
    assert collected == sorted(collected, reverse=True)
    assert len(collected) == 25
    posts = history.page_before(None, 100, "post")
    assert len(posts) == 9 == history.count("POST")
    assert history.page_before(posts[2].id, 100, "post") == posts[3:]


def test_one_hundred_thousand_rows_page_and_count_stay_correct(
    db: Database, history: HistoryStore
) -> None:
    total = 100_000
    rows = [
        (
            float(i),
            "POST" if i % 10 == 0 else "GET",
            "/attributes/custom",
            f"user{i}@example.com",
            429 if i % 1000 == 0 else 200,
            5.0,
            1,
            "",
            "ua",
        )
        for i in range(total)
    ]
    with db.transaction() as conn:
        conn.executemany(
            "INSERT INTO history (started_at, method, endpoint, user, status, duration_ms, "
            "attempt, account, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        conn.execute(
            "INSERT INTO history_detail (id, url) SELECT id, 'https://x/v1?n=' || id FROM history"
        )
    assert history.count() == total
    newest = history.page(0, 50)
    assert [r.user for r in newest[:2]] == ["user99999@example.com", "user99998@example.com"]
    deep = history.page(99_990, 50)
    assert [r.user for r in deep] == [f"user{i}@example.com" for i in range(9, -1, -1)]
    assert all(r.url == f"https://x/v1?n={r.id}" for r in deep)  # bodies joined to their row

    def expected(needle: str) -> list[int]:
        """Row numbers (newest first) a plain Python substring filter would match."""
        return [
            i
            for i in range(total - 1, -1, -1)
            if any(needle.lower() in str(v).lower() for v in (*rows[i][1:5], rows[i][7]))
        ]

    for needle in ("429", "post", "user4242@", "9999"):
        assert history.count(needle) == len(expected(needle)), needle
    matches = expected("429")
    filtered = history.page(len(matches) - 3, 5, "429")
    assert [int(r.started_at) for r in filtered] == matches[-3:]
    assert history.count("post") == 10_000
    keyset = history.page_before(newest[-1].id, 3, with_bodies=False)
    assert [r.user for r in keyset] == [f"user{i}@example.com" for i in (99949, 99948, 99947)]


def test_append_accepts_any_object_with_the_exchange_attributes(history: HistoryStore) -> None:
    exchange = dataclasses.replace(FakeExchange(), user_agent="custom/1.0")
    record = history.get(history.append(exchange))
    assert record is not None
    assert record.user_agent == "custom/1.0"


def test_reads_on_one_thread_while_another_appends(db: Database, history: HistoryStore) -> None:
    total = 200
    done = threading.Event()

    def writer() -> None:
        try:
            for i in range(total):
                history.append(FakeExchange(started_at=float(i)))
        finally:
            done.set()

    thread = threading.Thread(target=writer)
    thread.start()
    seen = [0]
    while not done.is_set():
        counted = history.count()
        assert counted >= seen[-1]  # never goes backwards, never a half-written row
        seen.append(counted)
        page = history.page(0, 5)
        assert all(r.url for r in page)  # list row and its detail are committed together
    thread.join()
    assert history.count() == total
