"""One row of the property editor and the checks that span rows (no Qt here)."""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from attentive_desktop.core.attributes import infer_type
from attentive_desktop.core.key_in_values import holds_key, key_finding
from attentive_desktop.core.validation import Finding, SchemaView, Severity, validate_properties

if TYPE_CHECKING:
    from attentive_desktop.core.verify import Verification

DUPLICATE_NAME = "duplicate-name"
"""Finding code the editor adds: the same exact name on two rows (an error)."""


class RowState(enum.Enum):
    """Where a row stands after Send: the value is the word the Check column shows."""

    NONE = ""
    PENDING = "Sending…"
    SENT = "Sent"
    VERIFIED = "Verified"
    STORED_DIFFERENTLY = "Stored differently"
    MISMATCH = "Mismatch"
    NOT_SENT = "Unchanged (not sent)"


@dataclass
class PropertyRow:
    """A name and a value as typed, plus what Send and the read-back found out about them.

    `stored` is the value read back after sending (None when the user had no such attribute);
    it only means something in state MISMATCH. A row `from_lookup` shows a value the looked-up
    user has; it is not an edit (not checked, sent or kept in drafts) until its value changes.
    """

    name: str = ""
    value: str = ""
    state: RowState = RowState.NONE
    stored: str | None = None
    from_lookup: bool = False

    @property
    def is_blank(self) -> bool:
        """Nothing typed in the row at all: it is ignored by checks and by Send."""
        return not self.name and not self.value

    @property
    def is_edit(self) -> bool:
        """Typed or changed by the user (not blank, not a looked-up value left as it was)."""
        return not self.is_blank and not self.from_lookup

    @property
    def is_named(self) -> bool:
        """The row has a name (not just spaces), so it is part of `properties()`."""
        return bool(self.name.strip())


def type_label(row: PropertyRow, schema: SchemaView | None) -> str:
    """What the Type column shows: "Choice (N values)" for a property created in Attentive's UI,
    else the registry's fixed type, else the type inferred live."""
    allowed = schema.allowed_values(row.name) if schema is not None and row.name else None
    if allowed:
        return f"Choice ({len(allowed)} values)"
    fixed = schema.type_of(row.name) if schema is not None and row.name else None
    if fixed is not None:
        return f"{fixed.value} (fixed)"
    if row.value.strip():
        return infer_type(row.value).value
    return ""


def row_findings(
    rows: Sequence[PropertyRow], schema: SchemaView | None, keys: Sequence[str] = ()
) -> list[tuple[Finding, ...]]:
    """The findings of every row, in row order (errors first within a row); a row holding
    one of ``keys`` (the API keys in use) is an error first of all.

    Core validation runs over the first row of each exact name, so case collisions between
    rows are found as they would be in one request; a later row with the same exact name is
    checked on its own and every row of a repeated name gets a duplicate-name error.
    """
    counts = Counter(row.name for row in rows if row.is_edit and row.name.strip())
    first: dict[str, str] = {}
    for row in rows:
        if row.is_edit:
            first.setdefault(row.name, row.value)
    grouped: dict[str, list[Finding]] = {}
    for finding in validate_properties(first, schema):
        grouped.setdefault(finding.property, []).append(finding)

    claimed: set[str] = set()
    result: list[tuple[Finding, ...]] = []
    for row in rows:
        if not row.is_edit:
            result.append(())
            continue
        if row.name in claimed:
            findings = list(validate_properties({row.name: row.value}, schema))
        else:
            claimed.add(row.name)
            findings = list(grouped.get(row.name, ()))
        if counts[row.name] > 1:
            findings.insert(0, _duplicate(row.name, counts[row.name]))
        if keys and (holds_key(row.name, keys) or holds_key(row.value, keys)):
            findings.insert(0, key_finding(row.name))
        result.append(tuple(findings))
    return result


def _duplicate(name: str, count: int) -> Finding:
    times = "twice" if count == 2 else f"{count} times"
    return Finding(
        Severity.ERROR,
        name,
        DUPLICATE_NAME,
        f"'{name}' appears {times}. Keep one row per property and remove the others.",
    )


def check_text(row: PropertyRow, findings: Sequence[Finding]) -> str:
    """What the Check column shows: an error first, then the send state, then a warning."""
    if not row.is_edit:
        return ""
    errors = [f for f in findings if f.severity is Severity.ERROR]
    if errors:
        return errors[0].message
    if row.state is RowState.MISMATCH:
        return "Not stored" if row.stored is None else f"Stored as '{row.stored}'"
    if row.state is RowState.STORED_DIFFERENTLY:
        return f"Verified: stored as '{row.stored}'"
    if row.state is not RowState.NONE:
        return row.state.value
    if findings:
        return findings[0].message
    return "OK"


def severity_of(row: PropertyRow, findings: Sequence[Finding]) -> str:
    """ "error", "warning", "ok", "info" (sending) or "" (blank or looked-up row), for colours
    and icons."""
    if not row.is_edit:
        return ""
    if any(f.severity is Severity.ERROR for f in findings):
        return "error"
    if row.state is RowState.PENDING:
        return "info"
    if row.state is RowState.MISMATCH:
        return "warning"
    if row.state in (RowState.SENT, RowState.VERIFIED, RowState.STORED_DIFFERENTLY):
        return "ok"
    return "warning" if findings else "ok"


def row_tooltip(
    row: PropertyRow,
    findings: Sequence[Finding],
    column: str,
    allowed: Sequence[str] | None,
    fixed: bool,
    current: Mapping[str, str] | None,
) -> str | None:
    """A cell's tooltip; `column` is its header ("Name", "Value", "Type", "Current", "Check"),
    `fixed` whether the registry knows the row's type, `current` the last lookup (None before
    one)."""
    lines = []
    if column == "Value" and allowed:
        lines.append("Allowed values: " + ", ".join(allowed))
    if column == "Type" and fixed:
        lines.append("Fixed by the first value Attentive received for this name.")
    if row.from_lookup:
        lines.append("This user's value now. Change it to send a new one.")
    if column == "Current" and current is not None and row.name and row.name not in current:
        lines.append("This user has no value for this attribute yet.")
    if column == "Check" and row.state is RowState.MISMATCH:
        lines.append(check_text(row, ()) + f" (sent '{row.value}')")
    if column in ("Name", "Value", "Check") and findings:
        lines.append(findings_tooltip(findings))
    return "\n".join(lines) or None


def looked_up_plan(
    rows: Sequence[PropertyRow], current: Mapping[str, str]
) -> tuple[list[int], list[tuple[int, str]], list[str]]:
    """How the looked-up rows follow a new lookup: the rows to drop (the user no longer has
    the attribute; last first), the rows whose value to refresh, and the names to add (those
    no row names yet), sorted by name."""
    drop = [
        i for i in reversed(range(len(rows))) if rows[i].from_lookup and rows[i].name not in current
    ]
    refresh = [
        (i, current[r.name]) for i, r in enumerate(rows) if r.from_lookup and r.name in current
    ]
    named = {row.name for row in rows}
    add = sorted((n for n in current if n not in named), key=listed_order)
    return drop, refresh, add


def listed_order(name: str) -> tuple[str, str]:
    """The order of the looked-up rows: by name, ignoring case (then exact, for ties)."""
    return name.casefold(), name


def listed_position(rows: Sequence[PropertyRow], name: str) -> int:
    """Where a looked-up row of ``name`` goes among ``rows``: before the first looked-up row
    listed after it (listed_order), else at the end."""
    key = listed_order(name)
    return next(
        (i for i, r in enumerate(rows) if r.from_lookup and listed_order(r.name) > key), len(rows)
    )


def findings_tooltip(findings: Iterable[Finding]) -> str:
    """Every finding on its own line, prefixed by Error or Warning."""
    return "\n".join(
        f"{'Error' if f.severity is Severity.ERROR else 'Warning'}: {f.message}" for f in findings
    )


def parse_pasted(text: str) -> list[tuple[str, str]]:
    """(name, value) pairs from pasted lines "Name<TAB>Value" or "Name=Value".

    Blank lines and a "Name/Value" header line are skipped; a line with neither separator is
    a name with an empty value; with several tab-separated cells, the second is the value.
    Surrounding spaces are trimmed.
    """
    pairs: list[tuple[str, str]] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        if "\t" in line:
            name, value = line.split("\t")[:2]
        elif "=" in line:
            name, _, value = line.partition("=")
        else:
            name, value = line, ""
        name, value = name.strip(), value.strip()
        if not pairs and (name.casefold(), value.casefold()) == ("name", "value"):
            continue
        pairs.append((name, value))
    return pairs


def as_mapping(attributes: Mapping[str, str] | Iterable[tuple[str, str]]) -> dict[str, str]:
    """A name → value dict from a mapping or (name, value) pairs (e.g. CustomAttribute)."""
    if isinstance(attributes, Mapping):
        return {str(k): str(v) for k, v in attributes.items()}
    return {str(name): str(value) for name, value in attributes}


def cell_text(
    row: PropertyRow,
    findings: tuple[Finding, ...],
    header: str,
    schema: SchemaView | None,
    current: Mapping[str, str] | None,
) -> str:
    """What the ``header`` column shows for ``row`` (``current``: the lookup's values, None
    before a lookup)."""
    if header == "Name":
        return row.name
    if header == "Value":
        return row.value
    if header == "Type":
        return type_label(row, schema)
    if header == "Current":
        return "" if not row.name or current is None else current.get(row.name, "—")
    return check_text(row, findings)


def mark_verified(rows: Iterable[PropertyRow], verification: Verification) -> None:
    """Set each named edit's state from a core.verify Verification: verified, stored
    differently (keeping what the service stored), mismatched or missing; a named edit that
    was not sent is NOT_SENT."""
    for row in rows:
        if not row.is_named or row.from_lookup:
            continue
        outcome = verification.row(row.name)
        if outcome is None:
            row.state, row.stored = RowState.NOT_SENT, None
            continue
        status, row.stored = outcome.status.name, outcome.stored
        kept = status in ("VERIFIED", "STORED_DIFFERENTLY")
        row.state = RowState[status] if kept else RowState.MISMATCH
