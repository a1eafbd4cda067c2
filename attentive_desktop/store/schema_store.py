"""Per-account persistence of the schema registry: learned attribute types and the catalog."""

from __future__ import annotations

import json
import time
from collections.abc import Mapping

from attentive_desktop.core.attributes import AttributeType

from .database import Database


class SqliteSchemaStorage:
    """`core.schema.SchemaStorage` backed by the app database, scoped to one account.

    Types: the first value wins, and deciding that is the registry's job; `save_types` is
    nevertheless idempotent and never overwrites (INSERT OR IGNORE), so a late or repeated save
    from another thread cannot change a type already fixed. Catalog entries are replaced whole.
    Names are case-sensitive, as in Attentive.
    """

    def __init__(self, db: Database, account: str) -> None:
        self._db = db
        self.account = account

    def load_types(self) -> dict[str, AttributeType]:
        """Every type learned for this account. Unknown type labels (from a newer app) are
        skipped rather than failing the load."""
        rows = self._db.connect().execute(
            "SELECT name, type FROM schema_types WHERE account = ? ORDER BY name",
            (self.account,),
        )
        types: dict[str, AttributeType] = {}
        for name, label in rows.fetchall():
            try:
                types[name] = AttributeType(label)
            except ValueError:
                continue
        return types

    def save_types(self, types: Mapping[str, AttributeType]) -> None:
        """Record each name's type, in one transaction, unless a type is already stored for it."""
        now = time.time()
        rows = [
            (self.account, name, AttributeType(type).value, now) for name, type in types.items()
        ]
        with self._db.transaction() as conn:
            conn.executemany(
                "INSERT OR IGNORE INTO schema_types (account, name, type, learned_at) "
                "VALUES (?, ?, ?, ?)",
                rows,
            )

    def load_catalog(self) -> dict[str, tuple[str, ...]]:
        """UI-created properties and their allowed values, in the order they were given."""
        rows = self._db.connect().execute(
            "SELECT name, allowed_values FROM schema_catalog WHERE account = ? ORDER BY name",
            (self.account,),
        )
        catalog: dict[str, tuple[str, ...]] = {}
        for name, encoded in rows.fetchall():
            try:
                values = json.loads(encoded)
            except ValueError:
                continue
            if isinstance(values, list):
                catalog[name] = tuple(str(value) for value in values)
        return catalog

    def save_catalog_entry(self, name: str, values: tuple[str, ...]) -> None:
        """Set the allowed values of `name`, replacing any earlier list."""
        encoded = json.dumps([str(value) for value in values], ensure_ascii=False)
        with self._db.transaction() as conn:
            conn.execute(
                "INSERT INTO schema_catalog (account, name, allowed_values, updated_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT(account, name) DO UPDATE SET "
                "allowed_values = excluded.allowed_values, updated_at = excluded.updated_at",
                (self.account, name, encoded, time.time()),
            )

    def delete_catalog_entry(self, name: str) -> None:
        """Drop `name` from the catalog; a missing entry is not an error."""
        with self._db.transaction() as conn:
            conn.execute(
                "DELETE FROM schema_catalog WHERE account = ? AND name = ?", (self.account, name)
            )
