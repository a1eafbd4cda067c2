"""A real history database, and damage deep inside it that only a whole-file check sees."""

from __future__ import annotations

from pathlib import Path

from attentive_desktop.store.database import Database
from attentive_desktop.store.history import HistoryStore


class FakeExchange:
    started_at = 1_700_000_000.0
    method = "GET"
    url = "https://api.attentivemobile.com/v1/me"
    endpoint = "/me"
    user = ""
    status = 200
    duration_ms = 1.0
    attempt = 1
    request_body = ""
    response_body = "{}"
    user_agent = "test"
    error = None


def fill(path: Path, rows: int = 400) -> None:
    """`rows` requests of history with 2 KB responses (a ~1 MB file)."""
    with Database(path) as database:
        history = HistoryStore(database)
        exchange = FakeExchange()
        exchange.response_body = "r" * 2000
        for _ in range(rows):
            history.append(exchange)


def wreck_middle(path: Path) -> None:
    """Overwrite two pages in the middle of the file: it still opens, reads fail later."""
    size = path.stat().st_size
    with open(path, "r+b") as handle:
        handle.seek(size // 2 - (size // 2) % 4096)
        handle.write(b"\xa5" * 8192)
