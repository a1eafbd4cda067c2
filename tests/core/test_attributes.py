"""infer_type follows the documented example, conservatively."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from attentive_desktop.core.attributes import MAX_NAME_LENGTH, AttributeType, infer_type

NUMBER, BOOLEAN, DATE, TEXT = (
    AttributeType.NUMBER,
    AttributeType.BOOLEAN,
    AttributeType.DATE,
    AttributeType.TEXT,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # the documented example
        ("24", NUMBER),
        ("1986-11-16", DATE),
        ("2021-04-23T16:04:33Z", DATE),
        ("50.89", NUMBER),
        ("TRUE", BOOLEAN),
        # numbers: plain integers and decimals, optional sign
        ("-3", NUMBER),
        ("+7", NUMBER),
        ("0", NUMBER),
        ("007", NUMBER),
        ("-0.5", NUMBER),
        ("123456789012345678901234567890", NUMBER),
        ("  24  ", NUMBER),
        ("\t50.89\n", NUMBER),
        # not plain numbers: conservative, so Text
        (".5", TEXT),
        ("5.", TEXT),
        ("1,000", TEXT),
        ("1 000", TEXT),
        ("1e5", TEXT),
        ("1E5", TEXT),
        ("NaN", TEXT),
        ("nan", TEXT),
        ("inf", TEXT),
        ("-Infinity", TEXT),
        ("0x1F", TEXT),
        ("1_000", TEXT),
        ("--3", TEXT),
        ("+-3", TEXT),
        ("+", TEXT),
        ("-", TEXT),
        ("$5", TEXT),
        ("5%", TEXT),
        ("١٢٣", TEXT),  # Arabic-Indic digits are not ASCII digits
        ("１２", TEXT),  # full-width digits
        # booleans in any case
        ("true", BOOLEAN),
        ("false", BOOLEAN),
        ("False", BOOLEAN),
        ("tRuE", BOOLEAN),
        (" FALSE ", BOOLEAN),
        ("yes", TEXT),
        ("no", TEXT),
        ("t", TEXT),
        ("1 true", TEXT),
        ("truee", TEXT),
        # dates: real calendar dates only
        ("2024-02-29", DATE),
        ("2023-02-29", TEXT),
        ("2021-02-30", TEXT),
        ("2021-13-01", TEXT),
        ("2021-00-10", TEXT),
        ("0000-01-01", TEXT),
        ("9999-12-31", DATE),
        ("2021-4-23", TEXT),
        ("20210423", NUMBER),  # compact ISO dates are plain integers
        ("2021-0423", TEXT),
        ("2021/04/23", TEXT),
        ("23-04-2021", TEXT),
        ("2021-W16-5", TEXT),
        (" 1986-11-16 ", DATE),
        # ISO-8601 timestamps
        ("2021-04-23T16:04:33", DATE),
        ("2021-04-23T16:04", DATE),
        ("2021-04-23T16:04:33.123Z", DATE),
        ("2021-04-23T16:04:33.123456789Z", DATE),
        ("2021-04-23T16:04:33,5Z", DATE),
        ("2021-04-23T16:04:33+02:00", DATE),
        ("2021-04-23T16:04:33-0530", DATE),
        ("2021-04-23T16:04:33+02", DATE),
        ("2021-04-23T16:04:33.5-07:00", DATE),
        ("2021-04-23T00:00:00z", DATE),
        ("2021-04-23T24:00:00Z", TEXT),
        ("2021-04-23T16:60:00Z", TEXT),
        ("2021-04-23T16:04:61Z", TEXT),
        ("2021-02-30T16:04:33Z", TEXT),
        ("2021-04-23T16:04:33+24:00", TEXT),
        ("2021-04-23T16:04:33+02:60", TEXT),
        ("2021-04-23 16:04:33", TEXT),
        ("2021-04-23T16", TEXT),
        ("2021-04-23T16:04:33.Z", TEXT),
        ("2021-04-23T16:04:33ZZ", TEXT),
        ("2021-04-23T", TEXT),
        # everything else
        ("", TEXT),
        ("   ", TEXT),
        ("abc", TEXT),
        ("null", TEXT),
        ('["chicago"]', TEXT),
        ("24 years", TEXT),
    ],
)
def test_infer_type(value: str, expected: AttributeType) -> None:
    assert infer_type(value) is expected


def test_type_labels_are_the_ui_words() -> None:
    assert [t.value for t in AttributeType] == ["Number", "Boolean", "Date", "Text"]


def test_max_name_length_is_documented_limit() -> None:
    assert MAX_NAME_LENGTH == 200


@settings(max_examples=200)
@given(st.text())
def test_infer_type_never_raises_on_text(value: str) -> None:
    assert isinstance(infer_type(value), AttributeType)


@settings(max_examples=200)
@given(st.text(alphabet="0123456789+-.:TZ ", max_size=30))
def test_infer_type_never_raises_on_number_and_date_shaped_text(value: str) -> None:
    assert isinstance(infer_type(value), AttributeType)


@given(st.integers())
def test_every_integer_is_a_number(value: int) -> None:
    assert infer_type(str(value)) is NUMBER


@given(st.dates())
def test_every_calendar_date_is_a_date(value) -> None:
    assert infer_type(value.isoformat()) is DATE


@given(st.datetimes(timezones=st.timezones()))
def test_every_isoformat_timestamp_is_a_date(value) -> None:
    # isoformat() may add an offset with seconds (+05:17:32) for odd historical zones: skip those
    text = value.isoformat()
    if text.count(":") <= 3:
        assert infer_type(text) is DATE


@given(st.text(), st.sampled_from(["24", "true", "1986-11-16", "x"]))
def test_surrounding_whitespace_does_not_change_the_type(padding: str, value: str) -> None:
    blank = "".join(ch for ch in padding if ch.isspace())
    assert infer_type(blank + value + blank) is infer_type(value)
