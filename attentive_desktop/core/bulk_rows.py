"""Checking the rows of a bulk-update CSV with the editor's rules, and the dry run over a file.

``BulkCsvReader`` streams checked rows (``CsvRow``: the user, the properties to send and every
problem); ``check_file`` is the dry run: every problem of every row, with counts, nothing sent.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from attentive_desktop.core.attributes import AttributeType, infer_type
from attentive_desktop.core.csv_input import (
    NAME_CODES,
    BulkFileError,
    Column,
    CsvLayout,
    CsvSource,
    Problem,
    bad_bytes_message,
)
from attentive_desktop.core.identifiers import (
    CustomIdentifier,
    InvalidIdentifier,
    UserRef,
    normalize_email,
    normalize_phone,
)
from attentive_desktop.core.limits import hidden_characters
from attentive_desktop.core.validation import SchemaView, Severity, validate_properties


@dataclass(frozen=True)
class CsvRow:
    """One checked customer row.

    ``user`` is None when an identifier is invalid or missing; ``properties`` holds the
    non-empty property cells (name → value, exactly as in the file); ``label`` names the
    customer for the journal and report (phone, else email, else an external identifier).
    """

    number: int
    user: UserRef | None
    properties: dict[str, str]
    problems: tuple[Problem, ...]
    label: str

    @property
    def errors(self) -> tuple[Problem, ...]:
        """Problems that keep the row from being sent."""
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def sendable(self) -> bool:
        """True when the row can be sent: a valid user, properties, no errors."""
        return self.user is not None and bool(self.properties) and not self.errors

    @property
    def empty(self) -> bool:
        """True for a valid row that has no property value to send (it is skipped)."""
        return not self.errors and not self.properties

    def reason(self) -> str:
        """Why the row is not sent, as one line for the journal (errors, else the notice)."""
        chosen = self.errors or tuple(p for p in self.problems if p.severity == "notice")
        return " | ".join(
            (f"Column '{p.column}': " if p.column else "") + p.message for p in chosen
        )


class BulkCsvReader:
    """Streams the checked rows of a bulk CSV file (see core/csv_input.py for the format).

    Identifiers are checked like the editor does (phones in ``region`` unless they start with
    "+"); properties with ``validate_properties`` and ``schema``. A property column whose values
    change type within the file gets a warning on the rows that differ from its first value,
    since Attentive fixes an attribute's type from the first value it receives. A row that
    repeats an earlier one exactly (same customer, same values) is skipped, with a notice
    naming the first (a 16-byte digest per row is kept to find them).
    """

    def __init__(
        self, path: str | Path, *, region: str = "US", schema: SchemaView | None = None
    ) -> None:
        self._source = CsvSource(path, schema)
        self._region = region
        self._schema = schema
        self._first_types: dict[str, tuple[AttributeType, int]] = {}
        self._seen: dict[bytes, int] = {}  # digest of (customer, values) → first row

    @property
    def layout(self) -> CsvLayout:
        """The header layout (after ``open``)."""
        assert self._source.layout is not None, "open the reader first"
        return self._source.layout

    def open(self) -> BulkCsvReader:
        """Open the file and read the header (raises BulkFileError for an empty file)."""
        self._source.open()
        return self

    def close(self) -> None:
        """Close the file."""
        self._source.close()

    def __enter__(self) -> BulkCsvReader:
        return self.open()

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def rows(self) -> Iterator[CsvRow]:
        """Every customer row, checked, in file order (blank lines skipped)."""
        layout = self.layout
        for number, cells, bad in self._source.records():
            yield self._check(layout, number, cells, bad)

    def _check(
        self, layout: CsvLayout, number: int, cells: list[str], bad: dict[int, str]
    ) -> CsvRow:
        problems: list[Problem] = []

        def add(column: str, severity: str, code: str, message: str) -> None:
            problems.append(Problem(number, column, severity, code, message))  # type: ignore[arg-type]

        width = layout.width
        if len(cells) != width:
            add(
                "",
                "error",
                "ragged-row",
                f"This row has {len(cells)} cells but the header has {width} columns. "
                f"Look for a missing or extra {layout.delimiter_name}, or a value containing "
                f"a {layout.delimiter_name} that needs double quotes around it.",
            )
            label = next((v.strip() for v in _identifier_cells(layout, cells) if v.strip()), "")
            return CsvRow(number, None, {}, tuple(problems), label)
        for index, note in bad.items():
            column = _header(layout, index) if index >= 0 else ""
            add(column, "error", "bad-encoding", bad_bytes_message(note))
        user, label = self._user(layout, cells, add)
        properties: dict[str, str] = {}
        for column in layout.columns:
            value = cells[column.index]
            if not value.strip():
                continue
            if column.kind == "property":
                properties[column.name] = value
            elif column.kind == "unnamed":
                add(
                    "",
                    "error",
                    "unnamed-column-value",
                    f"Column {column.index + 1} has no header but this row has a value in it "
                    f"('{value.strip()[:40]}'). Name the column or clear the value.",
                )
        self._check_properties(layout, properties, add)
        if not problems and not properties:
            add(
                "",
                "notice",
                "no-properties",
                "Every property cell of this row is empty, so there is nothing to send; "
                "the row is skipped.",
            )
        if any(p.severity == "error" for p in problems):
            user = None
        elif user is not None and properties:
            first = self._seen.setdefault(_row_digest(user, properties), number)
            if first != number:
                add(
                    "",
                    "notice",
                    "duplicate-row",
                    f"This row repeats row {first} exactly (same customer, same values), "
                    "so it is skipped.",
                )
                properties = {}
        return CsvRow(number, user, properties, tuple(problems), label)

    def _user(
        self, layout: CsvLayout, cells: list[str], add: Callable[..., None]
    ) -> tuple[UserRef | None, str]:
        phone = email = client_id = None
        customs: list[CustomIdentifier] = []
        raw_label = ""
        ok = True
        for column in layout.identifier_columns:
            value = cells[column.index].strip()
            if not value:
                continue
            raw_label = raw_label or value
            try:
                if column.kind == "phone":
                    phone = normalize_phone(value, self._region)
                elif column.kind == "email":
                    email = normalize_email(value)
                elif column.kind == "clientUserId":
                    client_id = value
                else:
                    customs.append(CustomIdentifier(column.name, value))
            except InvalidIdentifier as exc:
                ok = False
                add(column.header, "error", f"bad-{column.kind}", exc.message)
        if not raw_label:
            names = ", ".join(c.header.strip() for c in layout.identifier_columns)
            add(
                "",
                "error",
                "no-identifier",
                f"This row has no identifier. Fill in at least one of: {names}."
                if names
                else "This row has no identifier, because the file has no identifier column: "
                "fix the header (row 1) first.",
            )
            return None, ""
        if not ok:
            return None, raw_label
        user = UserRef(phone, email, client_id, tuple(customs))
        return user, user.describe()

    def _check_properties(
        self, layout: CsvLayout, properties: dict[str, str], add: Callable[..., None]
    ) -> None:
        if not properties:
            return
        # Names whose whitespace warning (spaces or invisible characters) the header already gave.
        padded = {
            c.name
            for c in layout.property_columns
            if c.name != c.name.strip() or hidden_characters(c.name)
        }
        name_warned: set[str] = set()
        for finding in validate_properties(properties, self._schema):
            if finding.code in NAME_CODES:
                continue  # reported once, for the header
            if (
                finding.code == "whitespace"
                and finding.property in padded
                and finding.property not in name_warned
            ):
                name_warned.add(finding.property)  # the name's own warning comes first
                continue
            severity = "error" if finding.severity is Severity.ERROR else "warning"
            add(finding.property, severity, finding.code, finding.message)
        for name, value in properties.items():
            self._type_drift(name, value, add)

    def _type_drift(self, name: str, value: str, add: Callable[..., None]) -> None:
        if self._schema is not None and self._schema.type_of(name) is not None:
            return  # validate_properties already compares with the known type
        inferred = infer_type(value)
        first = self._first_types.get(name)
        if first is None:
            self._first_types[name] = (inferred, 0)
            return
        first_type = first[0]
        if first_type is AttributeType.TEXT or inferred is first_type:
            return
        add(
            name,
            "warning",
            "mixed-types",
            f"'{value.strip()[:40]}' looks like {inferred.value}, but earlier rows of this "
            f"column look like {first_type.value}. Attentive fixes the type from the first "
            "value it receives; make the column consistent.",
        )


def _row_digest(user: UserRef, properties: dict[str, str]) -> bytes:
    canonical = json.dumps([user.to_user_json(), properties], sort_keys=True)
    return hashlib.blake2b(canonical.encode("utf-8"), digest_size=16).digest()


def _header(layout: CsvLayout, index: int) -> str:
    for column in layout.columns:
        if column.index == index:
            return column.header
    return ""


def _identifier_cells(layout: CsvLayout, cells: list[str]) -> list[str]:
    return [cells[c.index] for c in layout.identifier_columns if c.index < len(cells)]


@dataclass
class CheckReport:
    """The dry run's findings for a file: counts, and every problem (up to ``keep``)."""

    path: Path
    layout: CsvLayout | None = None
    rows: int = 0
    sendable: int = 0
    invalid: int = 0
    empty: int = 0
    blocked: int = 0
    """Rows that would be ready to send but for an error in the header."""
    rows_with_warnings: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    severities: Counter[str] = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)
    dropped: int = 0
    column_types: dict[str, AttributeType] = field(default_factory=dict)

    @property
    def errors(self) -> int:
        """How many problems of severity error were found, header included."""
        return self.severities["error"]

    @property
    def warnings(self) -> int:
        """How many warnings were found."""
        return self.severities["warning"]

    @property
    def header_blocks(self) -> bool:
        """True when the header has an error: no row can be sent until it is fixed."""
        return self.layout is not None and self.layout.fatal

    @property
    def ok(self) -> bool:
        """True when the file can be run: a usable header and no invalid row."""
        fatal = self.layout is None or self.layout.fatal
        return not fatal and self.invalid == 0 and not self.counts.get("unreadable-row")


def check_file(
    path: str | Path,
    *,
    region: str = "US",
    schema: SchemaView | None = None,
    keep: int | None = None,
    on_problem: Callable[[Problem], None] | None = None,
) -> CheckReport:
    """Dry run: check every row of the file, send nothing.

    Every problem is counted by code; the first ``keep`` (all when None) are kept in the
    report, and every one goes to ``on_problem`` as it is found (for streaming output).
    """
    report = CheckReport(Path(path))

    def record(problem: Problem) -> None:
        report.counts[problem.code] += 1
        report.severities[problem.severity] += 1
        if keep is None or len(report.problems) < keep:
            report.problems.append(problem)
        else:
            report.dropped += 1
        if on_problem is not None:
            on_problem(problem)

    try:
        with BulkCsvReader(path, region=region, schema=schema) as reader:
            report.layout = reader.layout
            for problem in reader.layout.problems:
                record(problem)
            for row in reader.rows():
                report.rows += 1
                for problem in row.problems:
                    record(problem)
                if row.errors:
                    report.invalid += 1
                elif row.empty:
                    report.empty += 1
                elif reader.layout.fatal:  # a header error stops every row
                    report.blocked += 1
                else:
                    report.sendable += 1
                if any(p.severity == "warning" for p in row.problems):
                    report.rows_with_warnings += 1
                for name, value in row.properties.items():
                    if name not in report.column_types:
                        known = schema.type_of(name) if schema is not None else None
                        report.column_types[name] = known or infer_type(value)
    except BulkFileError as exc:
        for problem in exc.problems:
            record(problem)
    else:
        if report.rows == 0 and report.layout is not None and not report.layout.fatal:
            record(
                Problem(
                    0,
                    "",
                    "warning",
                    "no-rows",
                    "The file has a header but no customer rows below it, so there is nothing "
                    "to send. Put one customer per row under the header.",
                )
            )
    return report


__all__ = ["BulkCsvReader", "CheckReport", "Column", "CsvRow", "check_file"]
