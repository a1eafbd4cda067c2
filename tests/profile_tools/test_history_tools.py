from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pytest

from attentive_desktop.store.database import Database
from attentive_desktop.store.history import HistoryStore, current_os_user
from attentive_desktop.store.history_export import export_history
from attentive_desktop.store.history_search import HistoryFilter, StatusClass, local_day_bounds
from attentive_desktop.store.retention import apply_retention, retention_days
from attentive_desktop.store.settings import Settings

DAY = 86_400.0
NOW = 1_750_000_000.0


@dataclass(frozen=True)
class Ex:
    started_at: float = NOW
    method: str = "GET"
    url: str = "https://api.attentivemobile.com/v1/attributes/custom?phone=%2B14155550100"
    endpoint: str = "/attributes/custom"
    user: str = "+14155550100"
    status: int | None = 200
    duration_ms: float = 10.0
    attempt: int = 1
    request_body: str = ""
    response_body: str = "[]"
    user_agent: str = "attentive-desktop/0.1"
    error: str | None = None


@pytest.fixture
def rows(history: HistoryStore) -> dict[str, int]:
    return {
        "lookup": history.append(
            Ex(response_body='[{"name": "Shirt size", "value": "M"}]'), account="Main"
        ),
        "post": history.append(
            Ex(
                method="POST",
                started_at=NOW - 2 * DAY,
                request_body='{"properties": {"Loyalty tier": "Gold"}, "user": {"email": "a"}}',
                user="a@b.co",
            ),
            account="Main",
        ),
        "limited": history.append(Ex(status=429, started_at=NOW - 10 * DAY), account="Staging"),
        "server": history.append(Ex(status=503, started_at=NOW - 100 * DAY)),
        "dropped": history.append(
            Ex(status=None, error="The connection dropped.", started_at=NOW - 200 * DAY)
        ),
        "me": history.append(Ex(endpoint="/me", url="https://x/v1/me", user="", status=401)),
    }


def ids(history: HistoryStore, **kwargs) -> list[int]:
    return [r.id for r in history.search(HistoryFilter.make(**kwargs), limit=100)]


def test_the_database_has_the_full_text_index(history: HistoryStore) -> None:
    assert history.has_full_text


def test_text_search_reaches_the_bodies_and_every_listed_column(
    history: HistoryStore, rows: dict[str, int]
) -> None:
    assert ids(history, text="shirt SIZE") == [rows["lookup"]]  # response body, any case
    assert ids(history, text='"Loyalty tier": "Gold"') == [rows["post"]]  # request body, quotes
    assert ids(history, text="connection dropped") == [rows["dropped"]]  # error
    assert ids(history, text="/me") == [rows["me"]]  # endpoint (also in URLs: only /me has it)
    assert ids(history, text="a@b.co") == [rows["post"]]  # user
    assert ids(history, text="staging") == [rows["limited"]]  # account
    assert ids(history, text="429") == [rows["limited"]]  # status
    assert ids(history, text="tester") == sorted(rows.values(), reverse=True)  # OS user
    assert ids(history, text="no such thing") == []
    assert history.count_matching(HistoryFilter.make(text="example")) == 0


def test_like_fallback_finds_the_same_rows(history: HistoryStore, rows: dict[str, int]) -> None:
    needles = ["shirt size", '"Gold"', "dropped", "429", "a@b", "ME"]
    with_fts = {n: ids(history, text=n) for n in needles}
    history._full_text = False  # as on a database without FTS5
    assert {n: ids(history, text=n) for n in needles} == with_fts
    history._full_text = None
    assert ids(history, text="B_") == []  # wildcards are literal ("B1" is in the URLs)
    assert len(ids(history, text="%2")) == 5  # every URL with an encoded "+"
    assert ids(history, text="03") == [rows["server"]]  # 2 characters: LIKE path


def test_status_class_and_date_filters(history: HistoryStore, rows: dict[str, int]) -> None:
    assert set(ids(history, statuses=["2xx"])) == {rows["lookup"], rows["post"]}
    assert set(ids(history, statuses=[StatusClass.CLIENT_ERROR])) == {rows["limited"], rows["me"]}
    assert ids(history, statuses=["5xx"]) == [rows["server"]]
    assert ids(history, statuses=["network error"]) == [rows["dropped"]]
    both = ids(history, statuses=["5xx", "network error"])
    assert both == [rows["dropped"], rows["server"]]  # newest (highest id) first
    recent = ids(history, since=NOW - 3 * DAY)
    assert set(recent) == {rows["lookup"], rows["post"], rows["me"]}
    window = ids(history, since=NOW - 11 * DAY, until=NOW - DAY)
    assert window == [rows["limited"], rows["post"]]
    combined = ids(history, text="custom", statuses=["2xx"], since=NOW - DAY)
    assert combined == [rows["lookup"]]
    assert ids(history, account="Main") == [rows["post"], rows["lookup"]]


def test_keyset_paging_and_iteration_walk_all_matches(history: HistoryStore) -> None:
    for i in range(23):
        history.append(Ex(response_body=f"needle {i}", status=200 if i % 2 else 500))
    flt = HistoryFilter.make(text="needle", statuses=["2xx"])
    seen, before = [], None
    while page := history.search(flt, before_id=before, limit=5):
        seen += [r.id for r in page]
        before = page[-1].id
    assert len(seen) == 11 == history.count_matching(flt)
    assert [r.id for r in history.iter_search(flt, batch=4)] == seen
    assert all(r.response_body for r in history.iter_search(flt))  # bodies included


def test_local_day_bounds_cover_whole_local_days() -> None:
    since, until = local_day_bounds(date(2025, 3, 1), date(2025, 3, 2))
    assert datetime.fromtimestamp(since).date() == date(2025, 3, 1)
    assert datetime.fromtimestamp(since).time().hour == 0
    assert datetime.fromtimestamp(until).date() == date(2025, 3, 3)


def test_export_csv_and_json_never_holds_a_key(
    tmp_path: Path, db: Database, rows: dict[str, int]
) -> None:
    key = "sk_live_SECRET_0123456789"
    store = HistoryStore(db, os_user="tester")
    store.append(Ex(request_body=f"Authorization: Bearer {key}", response_body="=HYPERLINK(1)"))
    records = list(store.iter_search(HistoryFilter()))
    count = export_history(records, tmp_path / "h.csv", secrets=[key])
    assert count == len(rows) + 1
    text = (tmp_path / "h.csv").read_text(encoding="utf-8")
    assert key not in text
    table = list(csv.DictReader(text.splitlines()))
    assert table[0]["response_body"] == "'=HYPERLINK(1)"  # no formula in a spreadsheet
    assert table[0]["request_body"] == "Authorization: [redacted]"
    by_id = {int(r["id"]): r for r in table}
    assert by_id[rows["post"]]["user"] == "a@b.co"
    assert by_id[rows["lookup"]]["user"] == "+14155550100"  # phones stay as they are
    assert by_id[rows["dropped"]]["status"] == ""
    assert by_id[rows["lookup"]]["os_user"] == "tester"
    assert (tmp_path / "h.csv").stat().st_mode & 0o077 == 0

    assert export_history(records, tmp_path / "h.json") == count
    data = json.loads((tmp_path / "h.json").read_text(encoding="utf-8"))
    assert [d["id"] for d in data] == [r.id for r in records]
    assert data[0]["time"].endswith("+00:00")
    assert key not in json.dumps(data)
    assert export_history([], tmp_path / "empty.json") == 0
    assert json.loads((tmp_path / "empty.json").read_text()) == []
    with pytest.raises(ValueError, match=r"\.csv or \.json"):
        export_history(records, tmp_path / "h.txt")


def test_prune_and_retention(history: HistoryStore, rows: dict[str, int], db: Database) -> None:
    assert history.prune(150, now=NOW) == 1  # the 200-day-old row
    assert history.get(rows["dropped"]) is None
    assert ids(history, text="dropped") == []  # gone from the full-text index too
    settings = Settings(db.path.parent / "settings.json")
    assert retention_days(settings) == 90
    assert apply_retention(settings, history, now=NOW) == 1  # the 100-day-old row
    settings.set("history_retention_days", 0)
    assert retention_days(settings) is None
    assert apply_retention(settings, history, now=NOW + 1000 * DAY) == 0
    settings.set("history_retention_days", 5)
    assert apply_retention(settings, history, now=NOW) == 1  # the 10-day-old row
    assert history.count() == 3
    with pytest.raises(ValueError):
        history.prune(-1)


def test_each_row_records_the_os_user(db: Database, history: HistoryStore) -> None:
    record = history.get(history.append(Ex(), account="Main"))
    assert (record.account, record.os_user) == ("Main", "tester")
    default = HistoryStore(db)
    assert default.os_user == current_os_user() != ""
    assert default.get(default.append(Ex())).os_user == current_os_user()


def test_os_user_falls_back_to_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> str:
        raise OSError("no user")

    monkeypatch.setattr("getpass.getuser", broken)
    monkeypatch.setenv("USER", "from-env")
    assert current_os_user() == "from-env"
    for variable in ("USER", "USERNAME", "LOGNAME"):
        monkeypatch.delenv(variable, raising=False)
    assert current_os_user() == ""
