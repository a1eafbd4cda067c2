"""Filters for the history tools: full-text search, status class, date range and account.

`HistoryFilter` describes what to show; `filter_sql` turns it into a WHERE clause over
``history AS h``. Text is one case-insensitive substring (spaces included: "Shirt size"
matches that phrase) searched in the method, endpoint, user, status, account, OS user, URL,
both bodies and the error. It uses the FTS5 trigram index (``history_fts``) when the database
has one and the text has at least 3 characters (trigrams need 3); otherwise a LIKE scan,
which finds the same rows, only slower (LIKE folds ASCII letters only).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

MIN_FTS_LENGTH = 3


class StatusClass(enum.Enum):
    """A group of outcomes to filter on; the value is the label the UI shows."""

    SUCCESS = "2xx"
    CLIENT_ERROR = "4xx"
    SERVER_ERROR = "5xx"
    NETWORK_ERROR = "network error"
    OTHER = "other"


_STATUS_SQL = {
    StatusClass.SUCCESS: "h.status BETWEEN 200 AND 299",
    StatusClass.CLIENT_ERROR: "h.status BETWEEN 400 AND 499",
    StatusClass.SERVER_ERROR: "h.status BETWEEN 500 AND 599",
    StatusClass.NETWORK_ERROR: "h.status IS NULL",
    StatusClass.OTHER: "(h.status < 200 OR h.status BETWEEN 300 AND 399 OR h.status > 599)",
}


@dataclass(frozen=True)
class HistoryFilter:
    """What the history pane shows. Empty fields filter nothing.

    `statuses`: any of these classes (empty: all). `since`/`until`: epoch seconds, since
    inclusive, until exclusive (see `local_day_bounds`). `account`: exact account name.
    """

    text: str = ""
    statuses: frozenset[StatusClass] = frozenset()
    since: float | None = None
    until: float | None = None
    account: str | None = None

    @classmethod
    def make(
        cls,
        text: str | None = None,
        statuses: Iterable[StatusClass | str] = (),
        since: float | None = None,
        until: float | None = None,
        account: str | None = None,
    ) -> HistoryFilter:
        """Build a filter; statuses may be given as StatusClass or their labels ("4xx")."""
        return cls(
            (text or "").strip(),
            frozenset(s if isinstance(s, StatusClass) else StatusClass(s) for s in statuses),
            since,
            until,
            account,
        )

    @property
    def is_empty(self) -> bool:
        """Whether this filter lets every row through."""
        return self == HistoryFilter()


def local_day_bounds(first: date, last: date | None = None) -> tuple[float, float]:
    """(since, until) epoch seconds covering the local calendar days `first`..`last`."""
    end = (last or first) + timedelta(days=1)
    start_at = datetime.combine(first, time.min).astimezone()
    end_at = datetime.combine(end, time.min).astimezone()
    return start_at.timestamp(), end_at.timestamp()


def escape_like(text: str) -> str:
    """Escape LIKE wildcards so user text matches literally (use with ESCAPE '\\')."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def fts_phrase(text: str) -> str:
    """`text` as one FTS5 phrase (a substring for the trigram tokenizer)."""
    return '"' + text.replace('"', '""') + '"'


_LIKE_LIST = (
    "h.method",
    "h.endpoint",
    "h.user",
    "CAST(h.status AS TEXT)",
    "h.account",
    "h.os_user",
)
_LIKE_DETAIL = ("d.url", "d.request_body", "d.response_body", "d.error")


def filter_sql(flt: HistoryFilter, *, full_text: bool) -> tuple[str, dict[str, object]]:
    """A WHERE clause over ``history AS h`` (or "" for no filter) and its parameters.

    `full_text`: whether the database has the history_fts table.
    """
    clauses: list[str] = []
    params: dict[str, object] = {}
    if flt.text:
        if full_text and len(flt.text) >= MIN_FTS_LENGTH:
            clauses.append("h.id IN (SELECT rowid FROM history_fts WHERE history_fts MATCH :fts)")
            params["fts"] = fts_phrase(flt.text)
        else:
            params["pattern"] = f"%{escape_like(flt.text)}%"
            like = " OR ".join(f"{c} LIKE :pattern ESCAPE '\\'" for c in _LIKE_LIST)
            detail = " OR ".join(f"{c} LIKE :pattern ESCAPE '\\'" for c in _LIKE_DETAIL)
            clauses.append(
                f"({like} OR h.id IN (SELECT d.id FROM history_detail AS d WHERE {detail}))"
            )
    if flt.statuses:
        ordered = sorted(flt.statuses, key=lambda s: list(StatusClass).index(s))
        clauses.append("(" + " OR ".join(_STATUS_SQL[s] for s in ordered) + ")")
    if flt.since is not None:
        clauses.append("h.started_at >= :since")
        params["since"] = float(flt.since)
    if flt.until is not None:
        clauses.append("h.started_at < :until")
        params["until"] = float(flt.until)
    if flt.account is not None:
        clauses.append("h.account = :account")
        params["account"] = flt.account
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", params
