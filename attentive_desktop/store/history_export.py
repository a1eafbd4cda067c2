"""Export history records to CSV or JSON, for an audit or a support ticket.

The store never holds an API key, but exports are files that travel: every text field goes
through `redact_credentials` (Authorization headers, bearer tokens) and any extra `secrets`
again before it is written. Times are ISO 8601 in UTC.

CSV cells that a spreadsheet would run as a formula (starting with "=", "@", a tab or carriage
return, or "+"/"-" not followed by a digit) get a leading apostrophe; phone numbers such as
"+14155550100" and negative numbers stay as they are.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from .history import HistoryRecord, redact_credentials
from .paths import FILE_MODE

ExportFormat = Literal["csv", "json"]
EXPORT_COLUMNS = (
    "id",
    "time",
    "method",
    "endpoint",
    "url",
    "user",
    "status",
    "duration_ms",
    "attempt",
    "account",
    "os_user",
    "user_agent",
    "error",
    "request_body",
    "response_body",
)
_TEXT_FIELDS = ("url", "user", "user_agent", "error", "request_body", "response_body")


def record_to_dict(record: HistoryRecord, secrets: Iterable[str] = ()) -> dict[str, Any]:
    """One record as the export writes it (keys in EXPORT_COLUMNS order), redacted."""
    secrets = tuple(s for s in secrets if s)
    row: dict[str, Any] = {
        "id": record.id,
        "time": datetime.fromtimestamp(record.started_at, UTC).isoformat(timespec="milliseconds"),
        "method": record.method,
        "endpoint": record.endpoint,
        "url": record.url,
        "user": record.user,
        "status": record.status,
        "duration_ms": round(record.duration_ms, 1),
        "attempt": record.attempt,
        "account": record.account,
        "os_user": record.os_user,
        "user_agent": record.user_agent,
        "error": record.error,
        "request_body": record.request_body,
        "response_body": record.response_body,
    }
    for name in _TEXT_FIELDS:
        if isinstance(row[name], str):
            text = redact_credentials(row[name])
            for secret in secrets:
                text = text.replace(secret, "[redacted]")
            row[name] = text
    return row


def _csv_cell(value: object) -> str:
    if value is None:
        return ""
    text = str(value)
    if text[:1] in ("=", "@", "\t", "\r") or (text[:1] in ("+", "-") and not text[1:2].isdigit()):
        return "'" + text
    return text


def export_history(
    records: Iterable[HistoryRecord],
    path: str | Path,
    format: ExportFormat | None = None,
    *,
    secrets: Iterable[str] = (),
) -> int:
    """Write `records` to `path` as CSV or JSON (format from the extension unless given);
    the file is owner-only. Returns how many records were written."""
    kind = format or Path(path).suffix.lower().lstrip(".")
    if kind not in ("csv", "json"):
        raise ValueError(f"Export to a .csv or .json file (not '{Path(path).name}').")
    secrets = tuple(secrets)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    count = 0
    with open(fd, "w", encoding="utf-8", newline="") as handle:
        if kind == "csv":
            writer = csv.writer(handle, lineterminator="\r\n")
            writer.writerow(EXPORT_COLUMNS)
            for record in records:
                row = record_to_dict(record, secrets)
                writer.writerow([_csv_cell(row[c]) for c in EXPORT_COLUMNS])
                count += 1
        else:
            handle.write("[")
            for record in records:
                handle.write("\n  " if count == 0 else ",\n  ")
                handle.write(json.dumps(record_to_dict(record, secrets), ensure_ascii=False))
                count += 1
            handle.write("\n]\n" if count else "]\n")
    return count
