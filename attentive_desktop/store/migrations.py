"""The schema of the app's SQLite database, as an ordered list of migrations.

Migration N (1-based) brings `PRAGMA user_version` from N-1 to N. `Database` applies each one
in its own `BEGIN IMMEDIATE` transaction together with the version bump, so a failure leaves the
database at the previous version. To add a table (the bulk run journal, say), append a function
to `MIGRATIONS`; never edit or reorder a migration that has shipped.

Rules for a migration function: use `conn.execute` only (never `executescript`, which commits),
and do not open or commit transactions yourself.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence

Migration = Callable[[sqlite3.Connection], None]


def _v1_history_accounts_schema(conn: sqlite3.Connection) -> None:
    """History (lean list table + detail table), accounts, schema types and catalog."""
    # The list table holds only what the history pane shows and filters on, so paging and
    # filtering scan small rows; bodies (up to 64 KiB each) live in history_detail and are read
    # per row. `id` is the rowid, so ORDER BY id DESC and keyset paging (id < ?) walk the table's
    # own b-tree: no extra index is needed. AUTOINCREMENT keeps ids unique even after a clear,
    # so a view holding an old id never shows a different row.
    conn.execute(
        """
        CREATE TABLE history (
            id          INTEGER PRIMARY KEY AUTOINCREMENT,
            started_at  REAL    NOT NULL,
            method      TEXT    NOT NULL,
            endpoint    TEXT    NOT NULL,
            user        TEXT    NOT NULL DEFAULT '',
            status      INTEGER,
            duration_ms REAL    NOT NULL,
            attempt     INTEGER NOT NULL,
            account     TEXT    NOT NULL DEFAULT '',
            user_agent  TEXT    NOT NULL DEFAULT ''
        )
        """
    )
    conn.execute(
        """
        CREATE TABLE history_detail (
            id            INTEGER PRIMARY KEY REFERENCES history(id) ON DELETE CASCADE,
            url           TEXT NOT NULL,
            request_body  TEXT NOT NULL DEFAULT '',
            response_body TEXT NOT NULL DEFAULT '',
            error         TEXT
        )
        """
    )
    # No API key column, ever: keys live in the OS keychain (SecretStore).
    conn.execute(
        """
        CREATE TABLE accounts (
            name         TEXT PRIMARY KEY NOT NULL,
            base_url     TEXT NOT NULL,
            company_name TEXT NOT NULL DEFAULT '',
            domain       TEXT NOT NULL DEFAULT '',
            company_id   TEXT NOT NULL DEFAULT '',
            created_at   REAL NOT NULL
        )
        """
    )
    # Attribute names are case-sensitive in Attentive, hence the default BINARY collation.
    # `account` is a plain label, not a foreign key: sandbox sessions have no account row.
    conn.execute(
        """
        CREATE TABLE schema_types (
            account    TEXT NOT NULL,
            name       TEXT NOT NULL,
            type       TEXT NOT NULL,
            learned_at REAL NOT NULL,
            PRIMARY KEY (account, name)
        ) WITHOUT ROWID
        """
    )
    conn.execute(
        """
        CREATE TABLE schema_catalog (
            account        TEXT NOT NULL,
            name           TEXT NOT NULL,
            allowed_values TEXT NOT NULL,
            updated_at     REAL NOT NULL,
            PRIMARY KEY (account, name)
        ) WITHOUT ROWID
        """
    )


MIGRATIONS: Sequence[Migration] = (_v1_history_accounts_schema,)
SCHEMA_VERSION = len(MIGRATIONS)
