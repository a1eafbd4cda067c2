"""Saved Attentive accounts: a name, the API base URL and what `GET /me` said. Never the key."""

from __future__ import annotations

import time
from dataclasses import dataclass

from .database import Database


@dataclass(frozen=True)
class Account:
    """An account profile. The API key is kept by SecretStore under the same `name`.

    `created_at` (epoch seconds) is filled in by AccountStore; it is kept across later saves.
    """

    name: str
    base_url: str
    company_name: str = ""
    domain: str = ""
    company_id: str = ""
    created_at: float | None = None


_COLUMNS = "name, base_url, company_name, domain, company_id, created_at"


class AccountStore:
    """CRUD for accounts in the app database, listed by name (case-insensitive order)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def list(self) -> list[Account]:
        """Every account, sorted by name."""
        rows = self._db.connect().execute(
            f"SELECT {_COLUMNS} FROM accounts ORDER BY name COLLATE NOCASE, name"
        )
        return [Account(*row) for row in rows.fetchall()]

    def get(self, name: str) -> Account | None:
        """The account called `name` (exact match), or None."""
        row = (
            self._db.connect()
            .execute(f"SELECT {_COLUMNS} FROM accounts WHERE name = ?", (name,))
            .fetchone()
        )
        return None if row is None else Account(*row)

    def save(self, account: Account) -> Account:
        """Insert or update `account` by name; returns it as stored (with `created_at`)."""
        if not account.name.strip():
            raise ValueError("The account name is empty.")
        if not account.base_url.strip():
            raise ValueError("The account has no API base URL.")
        created = account.created_at if account.created_at is not None else time.time()
        with self._db.transaction() as conn:
            conn.execute(
                f"INSERT INTO accounts ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(name) DO UPDATE SET base_url = excluded.base_url, "
                "company_name = excluded.company_name, domain = excluded.domain, "
                "company_id = excluded.company_id",
                (
                    account.name,
                    account.base_url,
                    account.company_name or "",
                    account.domain or "",
                    account.company_id or "",
                    created,
                ),
            )
        stored = self.get(account.name)
        assert stored is not None
        return stored

    def delete(self, name: str) -> bool:
        """Remove the account row; True if it existed. Its key and learned schema stay put:
        the caller deletes the key with SecretStore.delete_key."""
        with self._db.transaction() as conn:
            cursor = conn.execute("DELETE FROM accounts WHERE name = ?", (name,))
        return cursor.rowcount > 0
