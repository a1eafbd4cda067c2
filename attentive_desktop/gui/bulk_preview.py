"""What the Bulk dialog shows about a file before sending: columns, first rows, row count, and
whether the journal holds an unfinished run of it. Read on a worker thread (no Qt here)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from attentive_desktop.store.journal import BulkRun, Journal

PREVIEW_ROWS = 50
TYPE_SCAN_ROWS = 1000  # rows read to find a first value (and so a type) for each property


@dataclass(frozen=True)
class PreviewColumn:
    """One column of the preview: the header as written, "identifier" or "property", and the
    identifier kind ("phone", "custom: shopifyId") or the inferred type label ("Number")."""

    header: str
    role: str
    detail: str


@dataclass(frozen=True)
class FilePreview:
    """What the dialog shows about a chosen file before anything is sent.

    ``resumable`` is the journal's unfinished run of this same file (same content) for the
    same account, with ``resumable_counts`` (rows per state); ``other_account`` names the
    account of an unfinished run that is not this one.
    """

    path: str
    delimiter: str
    columns: list[PreviewColumn]
    rows: list[tuple[int, list[str]]]
    total_rows: int
    problems: tuple[Any, ...]
    fatal: bool
    resumable: BulkRun | None = None
    resumable_counts: dict[str, int] = field(default_factory=dict)
    other_account: str | None = None


def read_preview(
    token: Any, path: Path, registry: Any, journal: Journal, account: str | None
) -> FilePreview | None:
    """Read ``path``'s header, first rows and row count, and find an unfinished run of it.

    Runs on a worker: ``token.cancelled`` ends it early (None). Raises BulkFileError when the
    file cannot be read as CSV.
    """
    from attentive_desktop.api.bulk import file_sha256
    from attentive_desktop.core.attributes import infer_type
    from attentive_desktop.core.csv_input import CsvSource

    resolved = path.resolve()
    rows: list[tuple[int, list[str]]] = []
    with CsvSource(resolved, registry) as source:
        layout = source.layout
        assert layout is not None
        props = {c.index: c.name for c in layout.property_columns}
        types: dict[int, str] = {}
        for i, name in props.items():
            known = registry.type_of(name) if registry is not None else None
            if known is not None:
                types[i] = f"{known.value} (fixed)"
        total = 0
        for number, cells, _bad in source.records():
            total += 1
            if total <= PREVIEW_ROWS:
                rows.append((number, cells))
            if total <= TYPE_SCAN_ROWS and len(types) < len(props):
                for i in props:
                    if i not in types and i < len(cells) and cells[i].strip():
                        types[i] = infer_type(cells[i]).value
            if total % 2000 == 0 and token.cancelled:
                return None
    columns = []
    for c in layout.columns:
        if c.kind == "property":
            columns.append(PreviewColumn(c.header, "property", types.get(c.index, "—")))
        elif c.kind == "unnamed":
            columns.append(PreviewColumn(c.header, "unnamed", "no header: ignored"))
        else:
            kind = f"custom: {c.name}" if c.kind == "custom" else c.kind
            columns.append(PreviewColumn(c.header, "identifier", kind))
    preview = FilePreview(
        str(resolved),
        layout.delimiter_name,
        columns,
        rows,
        total,
        layout.problems,
        layout.fatal,
    )
    run = journal.latest_run(str(resolved))
    if run is None or not journal.is_unfinished(run.id) or token.cancelled:
        return preview
    if run.file_sha256 != file_sha256(resolved):
        return preview  # the file changed since: its row numbers may not match any more
    if account is not None and run.account != account:
        return replace(preview, other_account=run.account or "(API key from the environment)")
    return replace(preview, resumable=run, resumable_counts=journal.counts(run.id))


def describe_preview(preview: FilePreview) -> str:
    """One paragraph about a previewed file: rows, delimiter, identifier and property
    columns (with their inferred types) and any problem with the file itself."""
    ids = [c.header.strip() for c in preview.columns if c.role == "identifier"]
    props = [c for c in preview.columns if c.role == "property"]
    text = (
        f"{preview.total_rows:,} rows, {preview.delimiter}-separated. Identifier columns: "
        f"{', '.join(ids) or 'none'}. {len(props)} property columns"
        f"{': ' + '; '.join(f'{c.header}: {c.detail}' for c in props) if props else ''}."
    )
    if preview.problems:
        text += " " + " ".join(p.describe() for p in preview.problems)
    return text


def describe_resumable(preview: FilePreview) -> str | None:
    """The resume offer for an unfinished run of this file (None: there is none)."""
    run = preview.resumable
    if run is None and preview.other_account is None:
        return None
    if run is None:
        return (
            f"An unfinished run of this file wrote to account “{preview.other_account}”. "
            "Switch to that account to resume it."
        )
    counts = preview.resumable_counts
    done = counts.get("sent", 0) + counts.get("skipped-invalid", 0) + counts.get("skipped-empty", 0)
    left = max(0, run.total_rows - done)
    failed = counts.get("failed", 0)
    return (
        f"Run {run.id} of this file ({run.status}) has {done:,} of {run.total_rows:,} "
        f"rows done and {left:,} left to send"
        f"{f', {failed:,} of them failed' if failed else ''}. Resume it?"
    )


def start_question(preview: FilePreview, report: Any, target: Any) -> tuple[str, str, str]:
    """The Start confirmation from the dry run's ``report`` (core.bulk_rows.CheckReport): the
    question, its details (what is skipped and why, the account, the file) and the yes
    button's text."""
    skipped = [(report.invalid, "invalid"), (report.empty, "with nothing to send")]
    notes = ", ".join(f"{_rows(n)} {why}" for n, why in skipped if n)
    sendable = _rows(report.sendable)
    text = f"Send {sendable} of {preview.total_rows:,} to account “{target.account}”?"
    details = (f"Skipped: {notes}.\n" if notes else "") + f"{target.description}\n"
    return text, details + f"File: {preview.path}", f"Send {sendable}"


def _rows(count: int) -> str:
    return f"{count:,} row{'' if count == 1 else 's'}"
