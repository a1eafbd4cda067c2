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


def _v2_bulk_journal(conn: sqlite3.Connection) -> None:
    """The bulk-update journal: one row per run, one per CSV row of a run (store/journal.py)."""
    # A run is matched to its file by path and SHA-256, so --resume can refuse a changed file.
    # Never an API key here: `account` is the account's name, `base_url` its address.
    conn.execute(
        """
        CREATE TABLE bulk_runs (
            id          INTEGER PRIMARY KEY AUTOINCREMENT,
            file_path   TEXT    NOT NULL,
            file_sha256 TEXT    NOT NULL,
            file_size   INTEGER NOT NULL,
            total_rows  INTEGER NOT NULL,
            account     TEXT    NOT NULL DEFAULT '',
            base_url    TEXT    NOT NULL DEFAULT '',
            status      TEXT    NOT NULL,
            created_at  REAL    NOT NULL,
            updated_at  REAL    NOT NULL
        )
        """
    )
    conn.execute("CREATE INDEX bulk_runs_file ON bulk_runs (file_path, id)")
    # Keyed by (run, row number): resuming walks a run's rows in file order by primary key.
    conn.execute(
        """
        CREATE TABLE bulk_rows (
            run_id     INTEGER NOT NULL REFERENCES bulk_runs(id) ON DELETE CASCADE,
            row_no     INTEGER NOT NULL,
            label      TEXT    NOT NULL DEFAULT '',
            state      TEXT    NOT NULL,
            attempts   INTEGER NOT NULL DEFAULT 0,
            message    TEXT    NOT NULL DEFAULT '',
            updated_at REAL    NOT NULL,
            PRIMARY KEY (run_id, row_no)
        ) WITHOUT ROWID
        """
    )
    conn.execute("CREATE INDEX bulk_rows_state ON bulk_rows (run_id, state)")


def _v3_profile_tools(conn: sqlite3.Connection) -> None:
    """Profile tools (issue 7): OS user on history rows, history full-text search, revisions."""
    # The local audit trail: which operating-system user made each request (getpass).
    conn.execute("ALTER TABLE history ADD COLUMN os_user TEXT NOT NULL DEFAULT ''")
    # Date filters and retention (prune) select by time.
    conn.execute("CREATE INDEX history_started_at ON history (started_at)")
    # One row per send to a looked-up user, so it can be reverted later. JSON columns hold
    # name -> value objects (sent, prior) and a list of names (new_attributes). The history
    # rows of the send are history_first_id..history_last_id (NULL when unknown). `reverts`
    # is the revision this one undid, if it was a revert.
    conn.execute(
        """
        CREATE TABLE revisions (
            id                  INTEGER PRIMARY KEY AUTOINCREMENT,
            account             TEXT    NOT NULL DEFAULT '',
            user_label          TEXT    NOT NULL,
            user_json           TEXT    NOT NULL,
            started_at          REAL    NOT NULL,
            finished_at         REAL    NOT NULL,
            sent_json           TEXT    NOT NULL,
            prior_json          TEXT    NOT NULL,
            new_attributes_json TEXT    NOT NULL DEFAULT '[]',
            history_first_id    INTEGER,
            history_last_id     INTEGER,
            reverts             INTEGER REFERENCES revisions(id) ON DELETE SET NULL,
            os_user             TEXT    NOT NULL DEFAULT ''
        )
        """
    )
    conn.execute("CREATE INDEX revisions_user ON revisions (account, user_label, id)")
    conn.execute("CREATE INDEX revisions_history ON revisions (history_last_id)")
    conn.execute("CREATE INDEX revisions_reverts ON revisions (reverts)")
    # Full-text search over the history, bodies included: an FTS5 table with the trigram
    # tokenizer (substring matching, case-insensitive; SQLite >= 3.34). Kept in step by
    # triggers; where FTS5 or trigram is missing the store falls back to LIKE.
    try:
        conn.execute(
            "CREATE VIRTUAL TABLE history_fts USING fts5(method, endpoint, user, status, "
            "account, os_user, url, request_body, response_body, error, tokenize = 'trigram')"
        )
    except sqlite3.OperationalError:
        return
    columns = "rowid, method, endpoint, user, status, account, os_user, url, request_body, "
    columns += "response_body, error"
    select = (
        "SELECT h.id, h.method, h.endpoint, h.user, coalesce(CAST(h.status AS TEXT), ''), "
        "h.account, h.os_user, d.url, d.request_body, d.response_body, coalesce(d.error, '') "
        "FROM history AS h JOIN history_detail AS d ON d.id = h.id"
    )
    conn.execute(f"INSERT INTO history_fts ({columns}) {select}")
    conn.execute(
        f"""
        CREATE TRIGGER history_fts_insert AFTER INSERT ON history_detail BEGIN
            INSERT INTO history_fts ({columns}) {select} WHERE h.id = new.id;
        END
        """
    )
    conn.execute(
        """
        CREATE TRIGGER history_fts_delete AFTER DELETE ON history_detail BEGIN
            DELETE FROM history_fts WHERE rowid = old.id;
        END
        """
    )


def _v4_drafts(conn: sqlite3.Connection) -> None:
    """The editor's unsent draft (store/drafts.py), so a crash never loses an edit."""
    # One row per slot ("editor"). Identifiers and rows are JSON; never an API key here.
    conn.execute(
        """
        CREATE TABLE drafts (
            slot        TEXT PRIMARY KEY NOT NULL,
            account     TEXT NOT NULL DEFAULT '',
            user_json   TEXT NOT NULL,
            rows_json   TEXT NOT NULL,
            state       TEXT NOT NULL,
            updated_at  REAL NOT NULL
        ) WITHOUT ROWID
        """
    )


MIGRATIONS: Sequence[Migration] = (
    _v1_history_accounts_schema,
    _v2_bulk_journal,
    _v3_profile_tools,
    _v4_drafts,
)
SCHEMA_VERSION = len(MIGRATIONS)
