"""Reading bulk CSV files: encodings, delimiters, headers, row checks."""

from __future__ import annotations

import pytest

from attentive_desktop.core.attributes import AttributeType
from attentive_desktop.core.bulk_rows import BulkCsvReader, check_file
from attentive_desktop.core.csv_input import BulkFileError, count_records, detect_delimiter
from attentive_desktop.core.schema import MemorySchemaStorage, SchemaRegistry


def read(path, **options):
    with BulkCsvReader(path, **options) as reader:
        return reader.layout, list(reader.rows())


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_delimiter_is_detected(write_csv, delimiter):
    text = delimiter.join(["phone", "Favorite color", "note"]) + "\n"
    text += delimiter.join(["+14155550100", "blue", '"a, b; c"']) + "\n"
    layout, rows = read(write_csv(text))
    assert layout.delimiter == delimiter
    assert rows[0].properties == {"Favorite color": "blue", "note": "a, b; c"}


def test_delimiter_prefers_a_split_that_finds_an_identifier():
    # Sniffer alone could pick the comma inside the values; the header decides.
    assert detect_delimiter("email;Note\nada@example.com;a,b\n") == ";"
    assert detect_delimiter("no identifiers here\n") == ","


def test_utf8_bom_and_forgiving_identifier_headers(write_csv):
    text = "\ufeff Phone ,E-Mail,client_user_id,Custom: shopifyId,Größe\n"
    text += "(415) 555-0100,Ada@EXAMPLE.com,cust-1,7003,M\n"
    layout, rows = read(write_csv(text.encode("utf-8")))
    assert [c.kind for c in layout.columns] == [
        "phone",
        "email",
        "clientUserId",
        "custom",
        "property",
    ]
    user = rows[0].user
    assert user is not None
    assert user.phone == "+14155550100"
    assert user.email == "Ada@example.com"
    assert user.client_user_id == "cust-1"
    assert [(c.name, c.value) for c in user.custom_identifiers] == [("shopifyId", "7003")]
    assert rows[0].properties == {"Größe": "M"}


def test_property_names_are_kept_exactly(write_csv):
    layout, rows = read(write_csv("email,VIP,vip\nada@example.com,true,x\n"))
    assert [c.name for c in layout.property_columns] == ["VIP", "vip"]
    assert rows[0].properties == {"VIP": "true", "vip": "x"}
    assert any(p.code == "case-collision" for p in layout.problems)
    assert not layout.fatal


def test_an_invisible_character_in_a_header_is_reported_once_not_per_row(write_csv):
    layout, rows = read(
        write_csv("email,VIP\u200b\nada@example.com,true\ngrace@example.com,false\n")
    )
    header_warnings = [p for p in layout.problems if p.code == "whitespace"]
    assert len(header_warnings) == 1 and "invisible" in header_warnings[0].message
    assert all(p.code != "whitespace" for row in rows for p in row.problems)


def test_empty_cells_are_not_sent_and_an_empty_row_is_skipped(write_csv):
    _, rows = read(write_csv("phone,a,b\n+14155550100,,1\n+14155550101,  ,\n"))
    assert rows[0].properties == {"b": "1"} and rows[0].sendable
    assert rows[1].empty and not rows[1].sendable
    assert [p.code for p in rows[1].problems] == ["no-properties"]
    assert "nothing to send" in rows[1].reason()


def test_row_numbers_are_spreadsheet_rows(write_csv):
    text = 'phone,note\n+14155550100,"two\nlines"\n\n+14155550101,x\n'
    path = write_csv(text)
    _, rows = read(path)
    assert [r.number for r in rows] == [2, 4]
    assert rows[0].properties == {"note": "two\nlines"}
    assert count_records(path) == 2


def test_bytes_that_are_not_utf8_name_row_and_column(write_csv):
    content = b"phone,City,Note\n+14155550100,Paris,ok\n+14155550101,"
    content += b"Montr\xe9al,ok\n+14155550102,Lyon,fine\n"
    _, rows = read(write_csv(content))
    assert rows[0].sendable and rows[2].sendable
    bad = rows[1]
    assert not bad.sendable
    [problem] = bad.errors
    assert (problem.row, problem.column, problem.code) == (3, "City", "bad-encoding")
    assert "0xE9" in problem.message and "UTF-8" in problem.message


def test_header_problems_make_the_file_unusable(write_csv):
    layout, _ = read(write_csv("phone,VIP,Phone,VIP\n+14155550100,true,,x\n"))
    assert layout.fatal
    duplicates = [p for p in layout.problems if p.code == "duplicate-column"]
    assert [p.column for p in duplicates] == ["Phone", "VIP"]
    assert all(p.row == 1 for p in duplicates)


def test_missing_identifier_column(write_csv):
    layout, _ = read(write_csv("name,VIP\nAda,true\n"))
    [problem] = layout.problems
    assert problem.code == "no-identifier-column" and problem.severity == "error"
    assert "phone, email, clientUserId or custom:<name>" in problem.message
    assert "'name'" in problem.message


def test_empty_file_is_refused(write_csv):
    with pytest.raises(BulkFileError) as caught:
        read(write_csv(""))
    assert caught.value.problems[0].code == "empty-file"


def test_unterminated_quote_names_the_row(write_csv):
    report = check_file(write_csv('phone,note\n+14155550100,ok\n+14155550101,"open\n'))
    assert report.counts["unreadable-row"] == 1
    assert not report.ok


def test_schema_catalog_and_types_apply(write_csv):
    registry = SchemaRegistry(MemorySchemaStorage({"age": AttributeType.NUMBER}))
    registry.set_allowed_values("Shirt size", ["S", "M"])
    path = write_csv("phone,Shirt size,age\n+14155550100,XL,abc\n+14155550101,M,12\n")
    _, rows = read(path, schema=registry)
    codes = {(p.column, p.code, p.severity) for p in rows[0].problems}
    assert ("Shirt size", "not-allowed-value", "error") in codes
    assert ("age", "type-mismatch", "warning") in codes
    assert rows[1].sendable


def test_type_drift_within_a_column_is_a_warning(write_csv):
    _, rows = read(write_csv("phone,age\n+14155550100,12\n+14155550101,twelve\n"))
    [warning] = rows[1].problems
    assert (warning.column, warning.code, warning.severity) == ("age", "mixed-types", "warning")
    assert rows[1].sendable


def test_region_reads_national_numbers(write_csv):
    _, rows = read(write_csv("phone,VIP\n020 7183 8750,true\n"), region="GB")
    assert rows[0].user is not None and rows[0].user.phone == "+442071838750"


def test_a_row_repeating_an_earlier_one_exactly_is_skipped_with_a_notice(write_csv):
    path = write_csv(
        "phone,Tier,Points\n"
        "+14155552001,gold,10\n"  # row 2
        "+1 (415) 555-2001,gold,10\n"  # row 3: the same customer and values, typed otherwise
        "+14155552001,gold,11\n"  # row 4: the same customer, a new value: sent, in order
        "+14155552002,gold,10\n"  # row 5: another customer
    )
    _layout, rows = read(path)
    assert [bool(r.sendable) for r in rows] == [True, False, True, True]
    repeat = rows[1]
    assert repeat.empty and not repeat.errors
    assert repeat.reason() == (
        "This row repeats row 2 exactly (same customer, same values), so it is skipped."
    )
    report = check_file(path)
    assert report.sendable == 3 and report.empty == 1 and report.counts["duplicate-row"] == 1
