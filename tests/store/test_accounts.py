from __future__ import annotations

import pytest

from attentive_desktop.store.accounts import Account, AccountStore
from attentive_desktop.store.database import Database


def test_save_get_list_update_delete(db: Database) -> None:
    store = AccountStore(db)
    assert store.list() == []
    saved = store.save(
        Account(
            "main",
            "https://api.attentivemobile.com/v1",
            company_name="Acme",
            domain="acme",
            company_id="42",
        )
    )
    assert saved.created_at is not None
    assert store.get("main") == saved
    store.save(Account("Beta", "http://127.0.0.1:8080/v1"))
    assert [a.name for a in store.list()] == ["Beta", "main"]  # case-insensitive order

    updated = store.save(
        Account("main", "https://api.attentivemobile.com/v1", company_name="Acme2")
    )
    assert updated.company_name == "Acme2"
    assert updated.domain == ""
    assert updated.created_at == saved.created_at  # creation time survives updates

    assert store.delete("main") is True
    assert store.delete("main") is False
    assert store.get("main") is None
    assert [a.name for a in store.list()] == ["Beta"]


def test_names_are_exact(db: Database) -> None:
    store = AccountStore(db)
    store.save(Account("Main", "https://x/v1"))
    assert store.get("main") is None


def test_invalid_accounts_are_refused(db: Database) -> None:
    store = AccountStore(db)
    with pytest.raises(ValueError, match="name"):
        store.save(Account("  ", "https://x/v1"))
    with pytest.raises(ValueError, match="base URL"):
        store.save(Account("Main", ""))


def test_accounts_table_has_no_key_column(db: Database) -> None:
    columns = {row[1] for row in db.connect().execute("PRAGMA table_info(accounts)")}
    assert columns == {"name", "base_url", "company_name", "domain", "company_id", "created_at"}
