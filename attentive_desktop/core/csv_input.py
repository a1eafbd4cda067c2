"""Reading a bulk-update CSV: encoding, delimiter, header layout, streamed rows.

The file format, as the README documents it:

- A header row, then one row per customer. Row numbers are the ones a spreadsheet shows: the
  header is row 1, the first customer row 2; blank lines count but are not customers.
- Identifier columns: ``phone``, ``email``, ``clientUserId`` and ``custom:<name>`` (a custom
  identifier called <name>). These reserved headers are matched forgivingly: letter case,
  surrounding whitespace and spaces, "_" or "-" inside are ignored ("Phone", " E-mail ",
  "client_user_id", "Custom: shopifyId"). The <name> of a custom identifier is kept as written
  (trimmed).
- Every other column is a property, its header kept exactly (case-sensitive, spaces included).
- UTF-8 with or without a BOM. The delimiter (comma, semicolon or tab) is detected from the
  start of the file; quotes are standard CSV double quotes.
- An empty (or whitespace-only) cell means "do not send this property for this row".

Only the start of the file is held in memory; rows are read and checked one at a time
(core/bulk_rows.py checks a row), so a file of any size can be streamed.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Literal

from attentive_desktop.core._text import shown
from attentive_desktop.core.csv_bytes import split_lone_cr, wrong_encoding
from attentive_desktop.core.validation import SchemaView, validate_properties

SAMPLE_BYTES = 64 * 1024
DELIMITERS = (",", ";", "\t")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}
IDENTIFIER_KINDS = ("phone", "email", "clientUserId")
_RESERVED = {"phone": "phone", "email": "email", "clientuserid": "clientUserId"}
_SQUEEZE = re.compile(r"[\s_-]+")
_CUSTOM_PREFIX = re.compile(r"\s*custom\s*:", re.IGNORECASE)
# Findings about a property *name*: reported once for the header, not again for every row.
NAME_CODES = frozenset({"empty-name", "name-too-long", "case-collision"})

ColumnKind = Literal["phone", "email", "clientUserId", "custom", "property", "unnamed"]
ProblemSeverity = Literal["error", "warning", "notice"]


@dataclass(frozen=True)
class Problem:
    """One problem found in the file: where (row, column) and what to do (``message``).

    ``row`` is the spreadsheet row number (1 is the header, 0 the file as a whole); ``column``
    is the header as written, or "" when the problem is about the whole row. ``severity``:
    "error" (the row, or the whole file when found in the header, cannot be sent), "warning"
    (sent anyway, but check it) or "notice" (the row is skipped, nothing wrong with it).
    """

    row: int
    column: str
    severity: ProblemSeverity
    code: str
    message: str

    def describe(self) -> str:
        """The message prefixed with where it is: "Row 7, column 'phone': …" ("Header" for
        row 1, "File" for the file as a whole)."""
        where = {0: "File", 1: "Header"}.get(self.row, f"Row {self.row}")
        if self.column:
            where += f", column '{shown(self.column)}'"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Column:
    """One column of the file: its position, header as written, kind and the name it sends."""

    index: int
    header: str
    kind: ColumnKind
    name: str


@dataclass(frozen=True)
class CsvLayout:
    """What the header row says: the delimiter and every column; ``problems`` found in it."""

    delimiter: str
    columns: tuple[Column, ...]
    problems: tuple[Problem, ...]
    width: int = 0

    @property
    def fatal(self) -> bool:
        """True when the header has an error: no row of this file may be sent."""
        return any(p.severity == "error" for p in self.problems)

    @property
    def identifier_columns(self) -> tuple[Column, ...]:
        """Columns naming the customer (phone, email, clientUserId, custom:<name>)."""
        return tuple(c for c in self.columns if c.kind not in ("property", "unnamed"))

    @property
    def property_columns(self) -> tuple[Column, ...]:
        """Columns whose values are sent as custom attributes."""
        return tuple(c for c in self.columns if c.kind == "property")

    @property
    def delimiter_name(self) -> str:
        """ "comma", "semicolon" or "tab"."""
        return DELIMITER_NAMES.get(self.delimiter, repr(self.delimiter))


class BulkFileError(ValueError):
    """The file as a whole cannot be used; ``problems`` says why and where (str: all of them)."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(p.describe() for p in self.problems))


def identifier_kind(header: str) -> str | None:
    """The identifier a header names ("phone", "email", "clientUserId", "custom"), or None."""
    if _CUSTOM_PREFIX.match(header):
        return "custom"
    return _RESERVED.get(_SQUEEZE.sub("", header).casefold())


def detect_delimiter(sample: str) -> str:
    """The delimiter of a CSV whose start is ``sample``: comma, semicolon or tab.

    csv.Sniffer's guess (restricted to those three) is kept when it splits the header into a
    recognised identifier column; otherwise the delimiter giving an identifier column, else the
    most columns, wins (comma on a tie).
    """
    candidates = list(DELIMITERS)
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        sniffed = None
    if sniffed in candidates:
        candidates.remove(sniffed)
        candidates.insert(0, sniffed)
    best, best_score = ",", (-1, -1)
    for delimiter in candidates:
        try:
            header = next(csv.reader(io.StringIO(sample), delimiter=delimiter), [])
        except csv.Error:
            continue
        ids = sum(1 for cell in header if identifier_kind(cell))
        score = (1 if ids else 0, len(header))
        if score > best_score:
            best, best_score = delimiter, score
    return best


def parse_header(header: list[str], delimiter: str, schema: SchemaView | None = None) -> CsvLayout:
    """The layout of a header row, with every problem in it (duplicates, bad names, …)."""
    problems: list[Problem] = []
    columns: list[Column] = []
    seen: dict[tuple[str, str], Column] = {}

    def error(column: str, code: str, message: str) -> None:
        problems.append(Problem(1, column, "error", code, message))

    for index, text in enumerate(header):
        kind = identifier_kind(text)
        if kind == "custom":
            name = _CUSTOM_PREFIX.sub("", text, count=1).strip()
            if not name:
                error(
                    text,
                    "empty-custom-name",
                    f"Column {index + 1} is a custom identifier without a name. "
                    "Write it as custom:<name>, e.g. custom:shopifyId.",
                )
                continue
            column = Column(index, text, "custom", name)
        elif kind is not None:
            column = Column(index, text, kind, kind)  # type: ignore[arg-type]
        elif not text.strip():
            column = Column(index, text, "unnamed", "")
        else:
            column = Column(index, text, "property", text)
        key = (column.kind, column.name)
        if column.kind != "unnamed" and key in seen:
            first = seen[key]
            what = "property" if column.kind == "property" else "identifier"
            error(
                text,
                "duplicate-column",
                f"Columns {first.index + 1} ('{shown(first.header)}') and {index + 1} "
                f"('{shown(text)}') are the same {what}. Rename or remove one of them.",
            )
            continue
        seen[key] = column
        columns.append(column)
    names = {c.name: "x" for c in columns if c.kind == "property"}
    for finding in validate_properties(names, schema):
        # Every value here is "x", so a whitespace finding (spaces or invisible characters) is
        # about the name: report it once for the header rather than on every row.
        if finding.code in NAME_CODES or finding.code == "whitespace":
            severity = "error" if finding.severity.value == "error" else "warning"
            problems.append(Problem(1, finding.property, severity, finding.code, finding.message))
    if not any(c.kind not in ("property", "unnamed") for c in columns) and not any(
        p.code == "empty-custom-name" for p in problems
    ):
        found = ", ".join(f"'{shown(h, 30)}'" for h in header[:8] if h.strip()) or "none"
        error(
            "",
            "no-identifier-column",
            "No identifier column: name one column phone, email, clientUserId or "
            f"custom:<name> (columns found: {found}).",
        )
    return CsvLayout(delimiter, tuple(columns), tuple(problems), len(header))


class CsvSource:
    """Streams the records of a CSV file as (row number, cells, undecodable-bytes note).

    Reads the file in binary and decodes line by line, so bytes that are not UTF-8 are pinned
    to their row (the note names the first bad byte) instead of failing the whole file.
    Open it with ``open()`` or as a context manager; ``layout`` is ready once open.
    """

    def __init__(self, path: str | Path, schema: SchemaView | None = None) -> None:
        self.path = Path(path)
        self._schema = schema
        self._raw: BinaryIO | None = None
        self._bad: dict[int, str] = {}
        self._records: Iterator[list[str]] | None = None
        self._reader: csv._reader | None = None  # type: ignore[name-defined]
        self.layout: CsvLayout | None = None
        self._row = 0

    def open(self) -> CsvSource:
        """Open the file, detect the delimiter and read the header."""
        self._raw = open(self.path, "rb")  # noqa: SIM115 - closed by close()
        try:
            head = self._raw.read(SAMPLE_BYTES)
            self._raw.seek(0)
            not_text = wrong_encoding(head)
            if not_text is not None:  # UTF-16 or binary: one clear sentence, not garbled cells
                raise BulkFileError([Problem(0, "", "error", "wrong-encoding", not_text)])
            sample = _sample_text(head)
            delimiter = detect_delimiter(sample)
            self._reader = csv.reader(self._lines(), delimiter=delimiter, strict=True)
            self._records = iter(self._reader)
            header = self._next_record()
            if header is None or not any(cell.strip() for cell in header):
                raise BulkFileError(
                    [
                        Problem(
                            0,
                            "",
                            "error",
                            "empty-file",
                            "The file has no header row. Start it with a header such as "
                            "phone,VIP and put one customer per row below it.",
                        )
                    ]
                )
            header_problems = self._encoding_problems(header)
            layout = parse_header(header, delimiter, self._schema)
            if header_problems:
                layout = CsvLayout(
                    layout.delimiter,
                    layout.columns,
                    tuple(header_problems) + layout.problems,
                    layout.width,
                )
            self.layout = layout
        except BaseException:
            self.close()
            raise
        return self

    def close(self) -> None:
        """Close the file."""
        if self._raw is not None:
            self._raw.close()
            self._raw = None

    def __enter__(self) -> CsvSource:
        return self.open() if self._raw is None else self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def records(self) -> Iterator[tuple[int, list[str], dict[int, str]]]:
        """(row number, cells, {cell index: bad byte}) for every record after the header.

        Blank lines are skipped (their row numbers are still counted). Raises BulkFileError
        for a record the csv module cannot read (e.g. an unterminated quote at the very end).
        """
        while True:
            cells = self._next_record()
            if cells is None:
                return
            bad = self._bad_cells(cells)
            if not cells or (not bad and not any(cell.strip() for cell in cells)):
                continue
            yield self._row, cells, bad

    def _next_record(self) -> list[str] | None:
        assert self._records is not None and self._reader is not None
        self._row += 1
        try:
            return next(self._records)
        except StopIteration:
            return None
        except csv.Error as exc:
            raise BulkFileError(
                [
                    Problem(
                        self._row,
                        "",
                        "error",
                        "unreadable-row",
                        f"This row cannot be read as CSV ({exc}). Check its quotes: a value "
                        'containing quotes must be quoted, with inner quotes doubled ("").',
                    )
                ]
            ) from None

    def _lines(self) -> Iterator[str]:
        assert self._raw is not None
        number = 0  # lines as the csv reader counts them (its line_num)
        for raw_number, raw in enumerate(self._raw, start=1):
            if raw_number == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8) :]
            for line in split_lone_cr(raw):  # old Mac files end lines with a lone CR
                number += 1
                try:
                    yield line.decode("utf-8")
                except UnicodeDecodeError as exc:
                    self._bad[number] = f"0x{line[exc.start]:02X}"
                    yield line.decode("utf-8", errors="replace")

    def _bad_cells(self, cells: list[str]) -> dict[int, str]:
        """Cells of the record just read that held undecodable bytes (and forget older lines)."""
        if not self._bad:
            return {}
        assert self._reader is not None
        last_line = self._reader.line_num
        notes = [note for line, note in self._bad.items() if line <= last_line]
        self._bad = {line: note for line, note in self._bad.items() if line > last_line}
        if not notes:
            return {}
        flagged = {i: notes[0] for i, cell in enumerate(cells) if "\ufffd" in cell}
        return flagged or {-1: notes[0]}

    def _encoding_problems(self, header: list[str]) -> list[Problem]:
        bad = self._bad_cells(header)
        return [
            Problem(
                1,
                header[i] if i >= 0 else "",
                "error",
                "bad-encoding",
                bad_bytes_message(note),
            )
            for i, note in bad.items()
        ]


def bad_bytes_message(note: str) -> str:
    """The advice for bytes that are not UTF-8."""
    return (
        f"This contains bytes that are not UTF-8 (first bad byte {note}). Save the file as "
        "UTF-8 (in Excel: File > Save As > 'CSV UTF-8') and try again."
    )


def _sample_text(head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        head = head[len(codecs.BOM_UTF8) :]
    text = re.sub(r"\r(?!\n)", "\n", head.decode("utf-8", errors="replace"))
    if len(head) >= SAMPLE_BYTES and "\n" in text:
        text = text[: text.rindex("\n") + 1]  # only whole lines
    return text


def count_records(path: str | Path) -> int:
    """How many customer rows (non-blank records after the header) the file has.

    Raises BulkFileError when the file cannot be read as CSV.
    """
    with CsvSource(path) as source:
        return sum(1 for _ in source.records())
