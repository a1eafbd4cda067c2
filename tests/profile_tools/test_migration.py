from __future__ import annotations

import pytest

from attentive_desktop.api import AttentiveClient, Cancelled
from attentive_desktop.core.identifiers import UserRef
from attentive_desktop.store import migrations
from attentive_desktop.store.database import Database
from attentive_desktop.store.history import HistoryStore
from attentive_desktop.store.history_search import HistoryFilter
from attentive_desktop.store.paths import AppPaths

from .test_history_tools import Ex


def test_upgrading_an_existing_database_indexes_its_history() -> None:
    names = [m.__name__ for m in migrations.MIGRATIONS]
    mine = names.index("_v3_profile_tools")
    assert names[0] == "_v1_history_accounts_schema" and mine >= 1
    path = AppPaths.from_environment().ensure().database
    with Database(path, migrations=migrations.MIGRATIONS[:mine]) as old:
        old.connect().execute(
            "INSERT INTO history (started_at, method, endpoint, user, status, duration_ms, "
            "attempt) VALUES (1, 'GET', '/attributes/custom', '+14155550100', 200, 1, 1)"
        )
        old.connect().execute(
            "INSERT INTO history_detail (id, url, response_body) VALUES "
            "(1, 'https://x/v1', '[{\"name\": \"Shirt size\"}]')"
        )
    with Database(path) as db:
        history = HistoryStore(db, os_user="me")
        assert history.has_full_text
        (old_row,) = history.search(HistoryFilter.make(text="shirt size"))
        assert old_row.os_user == ""  # rows from before the upgrade have no OS user
        history.append(Ex(response_body="shirt sizes"))
        assert history.count_matching(HistoryFilter.make(text="shirt size")) == 2
        revisions = db.connect().execute("SELECT count(*) FROM revisions").fetchone()[0]
        assert revisions == 0


def test_cancel_also_stops_calls_on_separately_paced_endpoints(sandbox) -> None:
    from attentive_desktop.sandbox import SANDBOX_API_KEY

    with AttentiveClient(sandbox.base_url, SANDBOX_API_KEY) as api:
        api.cancel()
        with pytest.raises(Cancelled):
            api.link_identifiers(UserRef.parse(email="ada@example.com", client_user_id="x"))
        with pytest.raises(Cancelled):
            api.get_subscriptions(email="ada@example.com")
        api.reset_cancel()
        assert api.get_subscriptions(email="ada@example.com")
    assert [r.path for r in sandbox.requests] == ["/v1/subscriptions"]
