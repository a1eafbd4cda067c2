"""The request history: every HTTP attempt the app made, newest first, with paging and a filter."""

from __future__ import annotations

import getpass
import os
import re
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from .database import Database

if TYPE_CHECKING:
    from .history_order import HistoryOrder
    from .history_search import HistoryFilter

SECONDS_PER_DAY = 86_400.0


class ExchangeLike(Protocol):
    """What `append` needs from an exchange; `attentive_desktop.api.Exchange` fits."""

    @property
    def started_at(self) -> float: ...
    @property
    def method(self) -> str: ...
    @property
    def url(self) -> str: ...
    @property
    def endpoint(self) -> str: ...
    @property
    def user(self) -> str: ...
    @property
    def status(self) -> int | None: ...
    @property
    def duration_ms(self) -> float: ...
    @property
    def attempt(self) -> int: ...
    @property
    def request_body(self) -> str: ...
    @property
    def response_body(self) -> str: ...
    @property
    def user_agent(self) -> str: ...
    @property
    def error(self) -> str | None: ...


@dataclass(frozen=True)
class HistoryRecord:
    """One stored request attempt. `started_at` is epoch seconds (UTC); `status` None = no reply."""

    id: int
    started_at: float
    method: str
    endpoint: str
    url: str
    user: str
    status: int | None
    duration_ms: float
    attempt: int
    user_agent: str
    request_body: str
    response_body: str
    error: str | None
    account: str
    # Audit metadata, not part of a record's identity (so it is left out of equality).
    os_user: str = field(default="", compare=False)


def current_os_user() -> str:
    """The operating-system user running the app ("" when it cannot be determined)."""
    try:
        return getpass.getuser()
    except Exception:  # no USER/LOGNAME and no passwd entry (containers, odd Windows setups)
        for variable in ("USER", "USERNAME", "LOGNAME"):
            if os.environ.get(variable):
                return os.environ[variable]
        return ""


# A header line or JSON member carrying credentials, and a bare bearer token.
_AUTH_HEADER = re.compile(r"(?im)^(\s*(?:proxy-)?authorization\s*:\s*).+$")
_AUTH_JSON = re.compile(r'(?i)("(?:proxy-)?authorization"\s*:\s*")(?:[^"\\]|\\.)*(")')
_BEARER = re.compile(r"(?i)\b(bearer\s+)[A-Za-z0-9._~+/=-]{8,}")
REDACTED = "[redacted]"


def redact_credentials(text: str) -> str:
    """Blank out Authorization headers and bearer tokens, wherever they appear in `text`."""
    text = _AUTH_HEADER.sub(rf"\g<1>{REDACTED}", text)
    text = _AUTH_JSON.sub(rf"\g<1>{REDACTED}\g<2>", text)
    return _BEARER.sub(rf"\g<1>{REDACTED}", text)


def escape_like(text: str) -> str:
    """Escape LIKE wildcards so user text matches literally (use with ESCAPE '\\')."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


_LIST_COLUMNS = (
    "h.id, h.started_at, h.method, h.endpoint, h.user, h.status, h.duration_ms, h.attempt, "
    "h.user_agent, h.account, h.os_user"
)
_DETAIL_COLUMNS = "d.url, d.request_body, d.response_body, d.error"
_FILTER = (
    "(h.method LIKE :pattern ESCAPE '\\' OR h.endpoint LIKE :pattern ESCAPE '\\' "
    "OR h.user LIKE :pattern ESCAPE '\\' OR CAST(h.status AS TEXT) LIKE :pattern ESCAPE '\\' "
    "OR h.account LIKE :pattern ESCAPE '\\')"
)


class HistoryStore:
    """Append request attempts and read them back newest first.

    `redact` is an extra defence applied to the URL, both bodies and the error before anything
    is written (for example `lambda s: s.replace(api_key, "[redacted]")`); Authorization headers
    and bearer tokens are always scrubbed by `redact_credentials` first.

    The text filter is a case-insensitive substring match (ASCII case folding, as SQLite's LIKE)
    over method, endpoint, user, status and account; `%` and `_` in it match literally.
    `page` with a large offset walks skipped rows; for deep scrolling prefer `page_before`.

    History tools: `search`/`count_matching`/`iter_search` take a `HistoryFilter` (full text
    over bodies too, status class, date range, account); `prune` applies retention. Each row
    records `os_user` (default: `current_os_user()`) next to the account, a local audit trail.
    """

    def __init__(
        self,
        db: Database,
        redact: Callable[[str], str] | None = None,
        *,
        os_user: str | None = None,
    ) -> None:
        self._db = db
        self._redact = redact
        self.os_user = current_os_user() if os_user is None else os_user
        self._full_text: bool | None = None

    def append(self, exchange: ExchangeLike, *, account: str = "") -> int:
        """Store one attempt and return its id (ids only grow, even across `clear`)."""
        error = None if exchange.error is None else self._scrub(exchange.error)
        with self._db.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO history (started_at, method, endpoint, user, status, duration_ms, "
                "attempt, account, user_agent, os_user) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    float(exchange.started_at),
                    exchange.method,
                    exchange.endpoint,
                    exchange.user or "",
                    exchange.status,
                    float(exchange.duration_ms),
                    int(exchange.attempt),
                    account,
                    exchange.user_agent or "",
                    self.os_user,
                ),
            )
            row_id = cursor.lastrowid
            assert row_id is not None
            conn.execute(
                "INSERT INTO history_detail (id, url, request_body, response_body, error) "
                "VALUES (?, ?, ?, ?, ?)",
                (
                    row_id,
                    self._scrub(exchange.url),
                    self._scrub(exchange.request_body or ""),
                    self._scrub(exchange.response_body or ""),
                    error,
                ),
            )
        return row_id

    def page(
        self, offset: int, limit: int, text: str | None = None, *, with_bodies: bool = True
    ) -> list[HistoryRecord]:
        """Up to `limit` records, newest first, skipping the `offset` newest matching ones.

        `with_bodies=False` leaves url, bodies and error empty: cheaper for a list view that
        fetches the detail with `get(id)` when a row is selected.
        """
        where, params = _where(text)
        params.update(limit=max(0, int(limit)), offset=max(0, int(offset)))
        return self._select(
            f"{where} ORDER BY h.id DESC LIMIT :limit OFFSET :offset", params, with_bodies
        )

    def page_before(
        self,
        before_id: int | None,
        limit: int,
        text: str | None = None,
        *,
        with_bodies: bool = True,
    ) -> list[HistoryRecord]:
        """Keyset paging: up to `limit` records with id < `before_id` (None: from the newest).

        Constant time however deep the page, unlike a large OFFSET. Pass the last id of the
        previous page to get the next one.
        """
        where, params = _where(text)
        if before_id is not None:
            where = f"{where} AND h.id < :before" if where else "WHERE h.id < :before"
            params["before"] = int(before_id)
        params["limit"] = max(0, int(limit))
        return self._select(f"{where} ORDER BY h.id DESC LIMIT :limit", params, with_bodies)

    def page_ordered(
        self,
        order: HistoryOrder,
        after: HistoryRecord | None,
        limit: int,
        *,
        text: str | None = None,
        flt: HistoryFilter | None = None,
        with_bodies: bool = True,
    ) -> list[HistoryRecord]:
        """Up to `limit` records in `order`, those listed after `after` (None: from the top).

        Keyset paging over any column: pass the last record of the previous page. `flt` (the
        history tools' filter) wins over `text` (the plain filter) when both are given.
        """
        if flt is not None:
            from .history_search import filter_sql

            where, params = filter_sql(flt, full_text=self.has_full_text)
        else:
            where, params = _where(text)
        if after is not None:
            condition, values = order.after(after)
            where = f"{where} AND {condition}" if where else f"WHERE {condition}"
            params.update(values)
        params["limit"] = max(0, int(limit))
        tail = f"{where} ORDER BY {order.order_by('h')} LIMIT :limit"
        return self._select(tail, params, with_bodies, outer_order=order.order_by("p"))

    def count(self, text: str | None = None) -> int:
        """How many records match `text` (all of them when it is None or blank)."""
        where, params = _where(text)
        row = self._db.connect().execute(f"SELECT count(*) FROM history AS h {where}", params)
        return int(row.fetchone()[0])

    def get(self, record_id: int) -> HistoryRecord | None:
        """One record with its bodies, or None if it does not exist (e.g. after `clear`)."""
        records = self._select("WHERE h.id = :id", {"id": int(record_id)}, True)
        return records[0] if records else None

    def latest_id(self) -> int | None:
        """The id of the newest record, or None when the history is empty."""
        row = self._db.connect().execute("SELECT max(id) FROM history").fetchone()
        return None if row[0] is None else int(row[0])

    def clear(self) -> None:
        """Delete every record."""
        with self._db.transaction() as conn:
            conn.execute("DELETE FROM history_detail")
            conn.execute("DELETE FROM history")

    # -- history tools ------------------------------------------------------------------

    @property
    def has_full_text(self) -> bool:
        """Whether the database has the FTS5 index (else text search scans with LIKE)."""
        if self._full_text is None:
            row = self._db.connect().execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'history_fts'"
            )
            self._full_text = row.fetchone() is not None
        return self._full_text

    def search(
        self,
        flt: HistoryFilter,
        *,
        before_id: int | None = None,
        limit: int = 200,
        with_bodies: bool = False,
    ) -> list[HistoryRecord]:
        """Up to `limit` records matching `flt`, newest first, with id < `before_id` (keyset
        paging: pass the last id of the previous page)."""
        from .history_search import filter_sql  # filters come later than the first frame

        where, params = filter_sql(flt, full_text=self.has_full_text)
        if before_id is not None:
            where = f"{where} AND h.id < :before" if where else "WHERE h.id < :before"
            params["before"] = int(before_id)
        params["limit"] = max(0, int(limit))
        return self._select(f"{where} ORDER BY h.id DESC LIMIT :limit", params, with_bodies)

    def count_matching(self, flt: HistoryFilter) -> int:
        """How many records match `flt`."""
        from .history_search import filter_sql

        where, params = filter_sql(flt, full_text=self.has_full_text)
        row = self._db.connect().execute(f"SELECT count(*) FROM history AS h {where}", params)
        return int(row.fetchone()[0])

    def iter_search(self, flt: HistoryFilter, *, batch: int = 500) -> Iterator[HistoryRecord]:
        """Every record matching `flt`, newest first, with bodies (for export)."""
        before: int | None = None
        while page := self.search(flt, before_id=before, limit=batch, with_bodies=True):
            yield from page
            before = page[-1].id

    def prune(self, older_than_days: float, *, now: float | None = None) -> int:
        """Delete records that started more than `older_than_days` days ago; returns how many.

        Raises ValueError for a negative number of days.
        """
        if older_than_days < 0:
            raise ValueError("Keep the history for zero or more days.")
        cutoff = (time.time() if now is None else now) - older_than_days * SECONDS_PER_DAY
        with self._db.transaction() as conn:
            conn.execute(
                "DELETE FROM history_detail WHERE id IN "
                "(SELECT id FROM history WHERE started_at < ?)",
                (cutoff,),
            )
            return conn.execute("DELETE FROM history WHERE started_at < ?", (cutoff,)).rowcount

    def _scrub(self, text: str) -> str:
        text = redact_credentials(text)
        return self._redact(text) if self._redact is not None else text

    def _select(
        self,
        tail: str,
        params: dict[str, object],
        with_bodies: bool,
        *,
        outer_order: str = "p.id DESC",
    ) -> list[HistoryRecord]:
        if with_bodies:
            page = f"SELECT {_LIST_COLUMNS} FROM history AS h {tail}"
            # Page over the lean table first, then join the bodies of the chosen rows only:
            # joining before LIMIT/OFFSET would read the detail of every skipped row too.
            sql = (
                f"SELECT p.*, {_DETAIL_COLUMNS} FROM ({page}) AS p "
                f"LEFT JOIN history_detail AS d ON d.id = p.id ORDER BY {outer_order}"
            )
        else:
            sql = f"SELECT {_LIST_COLUMNS}, '', '', '', NULL FROM history AS h {tail}"
        rows = self._db.connect().execute(sql, params).fetchall()
        return [_record(row) for row in rows]


def _where(text: str | None) -> tuple[str, dict[str, object]]:
    needle = (text or "").strip()
    if not needle:
        return "", {}
    return f"WHERE {_FILTER}", {"pattern": f"%{escape_like(needle)}%"}


def _record(row: sqlite3.Row | tuple) -> HistoryRecord:
    (rid, started, method, endpoint, user, status, duration, attempt, agent, account) = row[:10]
    os_user = row[10]
    url, request_body, response_body, error = row[11:]
    return HistoryRecord(
        id=rid,
        started_at=started,
        method=method,
        endpoint=endpoint,
        url=url or "",
        user=user,
        status=status,
        duration_ms=duration,
        attempt=attempt,
        user_agent=agent,
        request_body=request_body or "",
        response_body=response_body or "",
        error=error,
        account=account,
        os_user=os_user or "",
    )
