"""Bad CSV files never crash the reader or the dry run: every outcome is a Problem that says
where (file, row, column) and what to do. Random bytes, wrong encodings, ragged rows, duplicate
headers, no identifier column, odd line endings, and a million empty lines."""

from __future__ import annotations

import codecs
import csv
import io
import re
import tempfile
import time
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from attentive_desktop import cli
from attentive_desktop.core.bulk_rows import BulkCsvReader, check_file
from attentive_desktop.core.csv_input import BulkFileError, Problem, count_records

FAST = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SEVERITIES = {"error", "warning", "notice"}
# What a fix sounds like: every message tells the person what to do about it.
FIX = re.compile(
    r"\b(save|start|rename|look|check|fill|name|put|fix|remove|make|give|shorten|use|enter|"
    r"pick|retype|add|did you mean|send|keep|nothing to send|is skipped)\b",
    re.IGNORECASE,
)
LEAKS = re.compile(r"Traceback|Error\(|Exception|\bFile \"")


def _assert_problem(problem: Problem, rows_in_file: int | None = None) -> None:
    assert problem.severity in SEVERITIES, problem
    assert problem.row >= 0, problem
    if rows_in_file is not None:
        assert problem.row <= rows_in_file + 1, problem
    message = problem.message
    assert message and message == message.strip(), problem
    assert message.endswith((".", ")")), problem
    assert FIX.search(message), f"no fix in {message!r}"
    assert not LEAKS.search(message), problem
    where = problem.describe()
    expected = {0: "File: ", 1: "Header"}.get(problem.row, f"Row {problem.row}")
    assert where.startswith(expected), where


def _check_everything(path: Path) -> list[Problem]:
    """The dry run, the reader and the row count over `path`: only Problems come out."""
    lines = path.read_bytes().count(b"\n") + path.read_bytes().count(b"\r") + 1
    report = check_file(path)
    for problem in report.problems:
        _assert_problem(problem, lines)
    assert report.rows == report.sendable + report.invalid + report.empty + report.blocked
    assert report.blocked == 0 or report.header_blocks
    try:
        with BulkCsvReader(path) as reader:
            for row in reader.rows():
                for problem in row.problems:
                    _assert_problem(problem, lines)
                    assert problem.row == row.number
                if row.sendable:
                    assert row.user is not None and row.properties
    except BulkFileError as exc:
        assert exc.problems
        for problem in exc.problems:
            _assert_problem(problem, lines)
    try:
        assert count_records(path) >= 0
    except BulkFileError as exc:
        assert exc.problems
    return report.problems


def _write(data: bytes) -> Path:
    handle = tempfile.NamedTemporaryFile("wb", suffix=".csv", delete=False)  # noqa: SIM115
    with handle:
        handle.write(data)
    return Path(handle.name)


def _run(data: bytes) -> list[Problem]:
    path = _write(data)
    try:
        return _check_everything(path)
    finally:
        path.unlink()


# --- hypothesis ---------------------------------------------------------------------------

HEADERS = st.sampled_from(
    ["phone", "email", "clientUserId", "custom:shopId", " Phone ", "E-mail", "custom:", "VIP",
     "points", "City", "", "  ", "phone", "a" * 201, "Städte", "x\u200by", '"quoted"', "a,b"]
)  # fmt: skip
CELLS = st.one_of(
    st.sampled_from(
        ["+14155550100", "(415) 555-0101", "ada@example.com", "true", "12", "2021-02-30", "",
         " ", "[1,2]", '{"a":1}', 'say "hi"', "a,b;c\td", "line\nbreak", "lone\rcr", "é"]
    ),
    st.text(max_size=12),
)  # fmt: skip
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "utf-16", "utf-16-le", "cp1252"])
NEWLINES = st.sampled_from(["\n", "\r\n", "\r"])


@st.composite
def csv_files(draw) -> bytes:
    header = draw(st.lists(HEADERS, min_size=1, max_size=6))
    rows = draw(
        st.lists(st.lists(CELLS, min_size=0, max_size=len(header) + 2), min_size=0, max_size=8)
    )
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator=draw(NEWLINES))
    writer.writerow(header)
    writer.writerows(rows)  # ragged rows included: rows of any length
    text = out.getvalue()
    if draw(st.booleans()):
        text += draw(NEWLINES) * draw(st.integers(0, 5))
    return text.encode(draw(ENCODINGS), errors="replace")


@FAST
@given(st.binary(max_size=3000))
def test_random_bytes_are_problems_never_crashes(data) -> None:
    _run(data)


@FAST
@given(st.binary(max_size=600))
def test_random_bytes_after_a_good_header_are_problems_never_crashes(data) -> None:
    _run(b"phone,email,VIP\n" + data)


@FAST
@given(csv_files())
def test_any_csv_in_any_encoding_is_problems_never_crashes(data) -> None:
    _run(data)


# --- each kind of bad file, by hand --------------------------------------------------------


def _codes(problems: list[Problem]) -> dict[str, Problem]:
    return {p.code: p for p in problems}


def test_latin_1_bytes_name_the_row_the_column_and_utf8() -> None:
    problems = _run("phone,Stadt\n+14155550100,Zürich\n".encode("latin-1"))
    [problem] = problems
    assert (problem.row, problem.column, problem.code) == (2, "Stadt", "bad-encoding")
    assert "CSV UTF-8" in problem.message and "0xFC" in problem.message


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_or_without_a_bom_is_one_clear_file_problem(encoding) -> None:
    problems = _run("phone,City\n+14155550100,Zürich\n".encode(encoding))
    [problem] = problems
    assert (problem.row, problem.code, problem.severity) == (0, "wrong-encoding", "error")
    assert "UTF-16" in problem.message and "CSV UTF-8" in problem.message


def test_ragged_rows_are_named_with_their_cell_counts() -> None:
    problems = _run(b"phone,City\n+14155550100,Zurich,extra\n+14155550101\n+14155550102,Bern\n")
    ragged = [p for p in problems if p.code == "ragged-row"]
    assert [(p.row, p.severity) for p in ragged] == [(2, "error"), (3, "error")]
    assert "3 cells but the header has 2 columns" in ragged[0].message


def test_duplicate_headers_are_refused_by_name() -> None:
    problem = _codes(_run(b"phone,City,City,Phone\n+14155550100,a,b,c\n"))["duplicate-column"]
    assert problem.row == 1 and problem.severity == "error"
    assert "Rename or remove one of them" in problem.message


def test_a_file_without_an_identifier_column_says_which_columns_it_found() -> None:
    codes = _codes(_run(b"name,City\nAda,Zurich\n"))
    assert "'name', 'City'" in codes["no-identifier-column"].message
    assert "fix the header (row 1) first" in codes["no-identifier"].message


def test_old_mac_line_endings_are_read_as_rows() -> None:
    path = _write(b"phone,City\r+14155550100,Zurich\r+14155550101,Bern\r")
    try:
        report = check_file(path)
    finally:
        path.unlink()
    assert (report.rows, report.sendable, report.problems) == (2, 2, [])


def test_a_header_without_rows_says_there_is_nothing_to_send() -> None:
    [problem] = _run(b"phone,City\n\n\n")
    assert (problem.row, problem.code, problem.severity) == (0, "no-rows", "warning")


@pytest.mark.parametrize(
    "data",
    [
        "phone,City\n+14155550100,Zürich\n".encode("utf-16"),
        b"phone,City,City\n+14155550100,a,b\n",
        b"name,City\nAda,Zurich\n",
        b'phone,City\n+14155550100,"Zur\n',
        codecs.BOM_UTF8,
    ],
    ids=["utf16", "duplicate", "no-identifier", "open-quote", "bom-only"],
)
def test_the_dry_run_command_reports_problems_without_a_traceback(data, capsys) -> None:
    path = _write(data)
    try:
        code = cli.main(["bulk", str(path), "--dry-run"])
    finally:
        path.unlink()
    out, err = capsys.readouterr()
    assert code == 2
    assert "Traceback" not in out + err
    assert re.search(r"^(Row \d+|File|Header)\b", out + err, re.MULTILINE), out + err


# --- a million empty lines ------------------------------------------------------------------


def test_a_million_empty_lines_take_bounded_time_and_memory(tmp_path) -> None:
    path = tmp_path / "empty-lines.csv"
    with path.open("wb") as out:
        out.write(b"phone,VIP\n")
        out.write(b"\n" * 1_000_000)
        out.write(b"+1415,true\n")  # one row at the very end, with a bad phone to be named
    began = time.monotonic()
    rows = count_records(path)
    elapsed = time.monotonic() - began
    tracemalloc.start()
    try:
        report = check_file(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert rows == report.rows == report.invalid == 1
    [problem] = report.problems
    assert (problem.row, problem.column, problem.code) == (1_000_002, "phone", "bad-phone")
    assert peak < 16 * 1024 * 1024, peak  # streamed: nothing piles up line by line
    assert elapsed < 30, elapsed  # ~2 s here; a generous bound, not a benchmark
