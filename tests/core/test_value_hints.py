"""core.value_hints: values that would fix a new attribute's type unexpectedly, and empty ones."""

from __future__ import annotations

import pytest

from attentive_desktop.core.attributes import AttributeType
from attentive_desktop.core.validation import Severity, validate_properties
from attentive_desktop.core.value_hints import value_hints


def codes(name: str, value: str, known: AttributeType | None = None) -> list[str]:
    return [code for code, _message in value_hints(name, value, known)]


@pytest.mark.parametrize("value", ["02134", "007", "-05", "00", "01.5"])
def test_a_leading_zero_number_for_a_new_attribute_is_hinted(value):
    assert codes("ZIP code", value) == ["leading-zero"]
    message = value_hints("ZIP code", value, None)[0][1]
    assert value in message and "'ZIP code'" in message and "Number" in message


@pytest.mark.parametrize("value", ["0", "0.5", "10", "2134", "0x12", "0a"])
def test_numbers_without_a_leading_zero_and_text_are_not_hinted(value):
    assert codes("ZIP code", value) == []


@pytest.mark.parametrize(
    "value", ["2021-02-30", "04/23/2021", "23.04.2021", "2021/04/23", "2021-4-3"]
)
def test_a_date_attentive_would_read_as_text_is_hinted_for_a_new_attribute(value):
    assert codes("Birthday", value) == ["date-like-text"]
    assert "YYYY-MM-DD" in value_hints("Birthday", value, None)[0][1]


@pytest.mark.parametrize("value", ["2021-04-23", "2021-04-23T16:04:33Z", "April 23", "4/23"])
def test_real_dates_and_plain_text_are_not_hinted(value):
    assert codes("Birthday", value) == []


@pytest.mark.parametrize("known", list(AttributeType))
def test_a_known_type_is_fixed_already_so_only_emptiness_is_hinted(known):
    assert codes("ZIP code", "02134", known) == []
    assert codes("Birthday", "04/23/2021", known) == []
    assert codes("Newsletter", "", known) == ["empty-value"]


def test_an_empty_value_is_hinted_and_spaces_are_left_to_the_whitespace_check():
    assert codes("Newsletter", "") == ["empty-value"]
    assert "'Newsletter' has no value" in value_hints("Newsletter", "", None)[0][1]
    assert codes("Newsletter", "  ") == []


def test_validation_reports_hints_as_warnings_beside_the_property():
    findings = validate_properties({"ZIP code": "02134", "Birthday": "04/23/2021", "Note": ""})
    assert [(f.property, f.code, f.severity) for f in findings] == [
        ("ZIP code", "leading-zero", Severity.WARNING),
        ("Birthday", "date-like-text", Severity.WARNING),
        ("Note", "empty-value", Severity.WARNING),
    ]


def test_no_hint_when_the_value_already_has_an_error():
    assert [f.code for f in validate_properties({"Codes": ["007"]})] == ["array-value"]
