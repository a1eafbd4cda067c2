"""The order the request history is listed in, as SQL (ORDER BY and keyset) and in Python."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .history import HistoryRecord

_EXPRESSIONS = {
    "id": "{t}.id",
    "time": "{t}.started_at",
    "method": "{t}.method",
    "endpoint": "{t}.endpoint",
    "user": "{t}.user",
    "status": "COALESCE({t}.status, -1)",  # no response sorts below every status code
    "duration": "{t}.duration_ms",
    "attempts": "{t}.attempt",
    "user_agent": "{t}.user_agent",
    "account": "{t}.account",
    "os_user": "{t}.os_user",
}
SORTABLE = tuple(_EXPRESSIONS)
"""The columns the history can be sorted by ("id" is the order requests were recorded in)."""


def _value(record: HistoryRecord, column: str) -> Any:
    if column == "time":
        return record.started_at
    if column == "status":
        return -1 if record.status is None else record.status
    if column == "duration":
        return record.duration_ms
    if column == "attempts":
        return record.attempt
    return getattr(record, column)  # id and the text columns, named as in HistoryRecord


@dataclass(frozen=True)
class HistoryOrder:
    """Sort by one column, ties broken by id in the same direction, so every record has one
    place and paging by the last record shown (keyset) never skips or repeats one.

    Text compares by code point, as SQLite's BINARY collation does on UTF-8, so a record
    placed in Python (a live row) lands where the database would have listed it.
    """

    column: str = "id"
    descending: bool = True

    def __post_init__(self) -> None:
        if self.column not in _EXPRESSIONS:
            raise ValueError(f"The history cannot be sorted by {self.column!r}.")

    def order_by(self, table: str = "h") -> str:
        """The ORDER BY terms over ``table``'s columns ("h.started_at DESC, h.id DESC")."""
        direction = "DESC" if self.descending else "ASC"
        if self.column == "id":
            return f"{table}.id {direction}"
        expression = _EXPRESSIONS[self.column].format(t=table)
        return f"{expression} {direction}, {table}.id {direction}"

    def after(self, record: HistoryRecord) -> tuple[str, dict[str, object]]:
        """A condition over ``history AS h`` for the records listed after ``record``."""
        comparison = "<" if self.descending else ">"
        if self.column == "id":
            return f"h.id {comparison} :after_id", {"after_id": record.id}
        expression = _EXPRESSIONS[self.column].format(t="h")
        params = {"after_key": _value(record, self.column), "after_id": record.id}
        return f"({expression}, h.id) {comparison} (:after_key, :after_id)", params

    def key(self, record: HistoryRecord) -> tuple[Any, int]:
        """The value ``record`` sorts by, with its id."""
        return (_value(record, self.column), record.id)

    def comes_before(self, record: HistoryRecord, other: HistoryRecord) -> bool:
        """True when ``record`` is listed above ``other``."""
        if self.descending:
            return self.key(record) > self.key(other)
        return self.key(record) < self.key(other)


NEWEST_FIRST = HistoryOrder()
"""The default order: the request recorded last on top."""
