"""Writes a large request history straight into an app data folder, for the benchmarks."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from attentive_desktop.store.database import Database
from attentive_desktop.store.paths import AppPaths


def write_history(home: Path, rows: Iterable[tuple], details: Iterable[tuple]) -> Path:
    """Insert `rows` (id, started_at, method, endpoint, user, status, duration_ms, attempt,
    account, user_agent, os_user) and their `details` (id, url, request_body, response_body,
    error) into the database of the data folder under `home`; returns the database's path."""
    paths = AppPaths(home / "data", home / "config").ensure()
    with Database(paths.database) as database, database.transaction() as conn:
        conn.executemany(
            "INSERT INTO history (id, started_at, method, endpoint, user, status, duration_ms, "
            "attempt, account, user_agent, os_user) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        conn.executemany(
            "INSERT INTO history_detail (id, url, request_body, response_body, error) "
            "VALUES (?, ?, ?, ?, ?)",
            details,
        )
    return paths.database
