"""The dry run finds every planted problem, with row and column, and sends nothing."""

from __future__ import annotations

from attentive_desktop.cli import main
from attentive_desktop.core.bulk_rows import check_file
from attentive_desktop.sandbox import SANDBOX_API_KEY

LONG = "n" * 201
PLANTED = (
    f"phone,email,VIP,tags,{LONG},VIP\n"
    "+14155550100,ada@example.com,true,gold,x,\n"  # row 2: fine apart from the header
    "555-12,,true,gold,,\n"  # row 3: bad phone
    ",not-an-email,true,gold,,\n"  # row 4: bad email
    '+14155550101,,true,"[""a"", ""b""]",,\n'  # row 5: array value
    ",,true,gold,,\n"  # row 6: no identifier
    "+14155550102,,true\n"  # row 7: ragged
    "+14155550103,,,,,\n"  # row 8: nothing to send (a notice, not an error)
)


def test_dry_run_finds_every_planted_problem(write_csv):
    report = check_file(write_csv(PLANTED))
    where = {(p.row, p.column, p.code) for p in report.problems}
    assert (1, "VIP", "duplicate-column") in where
    assert (1, LONG, "name-too-long") in where
    assert (3, "phone", "bad-phone") in where
    assert (4, "email", "bad-email") in where
    assert (5, "tags", "json-array-text") in where
    assert (6, "", "no-identifier") in where
    assert (7, "", "ragged-row") in where
    assert (8, "", "no-properties") in where
    assert report.counts["bad-phone"] == 1 and report.counts["ragged-row"] == 1
    # Row 2 is fine, but the header's errors stop every row: none is ready to send.
    assert (report.rows, report.sendable, report.invalid, report.empty) == (7, 0, 5, 1)
    assert report.header_blocks and report.blocked == 1  # row 2, stopped by the header
    assert report.errors == 7 and not report.ok
    assert report.layout is not None and report.layout.fatal


def test_dry_run_messages_say_what_to_do(write_csv):
    report = check_file(write_csv(PLANTED))
    by_code = {p.code: p for p in report.problems}
    assert "Rename or remove one" in by_code["duplicate-column"].message
    assert "Shorten the name" in by_code["name-too-long"].message
    assert "Fill in at least one of: phone, email" in by_code["no-identifier"].message
    assert by_code["bad-phone"].describe().startswith("Row 3, column 'phone': ")


def test_cli_dry_run_sends_no_request(write_csv, sandbox, monkeypatch, capsys):
    monkeypatch.setenv("ATTENTIVE_API_KEY", SANDBOX_API_KEY)
    path = write_csv(PLANTED)
    code = main(["bulk", str(path), "--dry-run", "--base-url", sandbox.base_url])
    out = capsys.readouterr().out
    assert code == 2
    assert "Row 3, column 'phone': The phone number" in out
    assert "Row 7: This row has 3 cells but the header has 6 columns" in out
    assert "bad-phone 1" in out and "no request was sent" in out
    assert sandbox.requests == []


def test_cli_dry_run_of_a_clean_file_exits_0_with_json(write_csv, capsys):
    path = write_csv("email;VIP;age\nada@example.com;true;36\n")
    assert main(["bulk", str(path), "--dry-run", "--json"]) == 0
    import json

    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is True
    assert data["delimiter"] == "semicolon"
    assert data["identifier_columns"] == ["email"]
    assert data["property_columns"] == [
        {"name": "VIP", "type": "Boolean"},
        {"name": "age", "type": "Number"},
    ]
    assert (data["rows"], data["ready"], data["invalid"], data["problems"]) == (1, 1, 0, [])


def test_cli_dry_run_report_lists_problems(write_csv, tmp_path, capsys):
    out = tmp_path / "problems.csv"
    assert main(["bulk", str(write_csv(PLANTED)), "--dry-run", "--report", str(out)]) == 2
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "row,column,severity,code,message"
    assert any(line.startswith("3,phone,error,bad-phone,") for line in lines)
    assert (out.stat().st_mode & 0o777) == 0o600
