"""validate_properties: refusals and warnings that name the property and say what to do."""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from decimal import Decimal

import pytest

from attentive_desktop.core.attributes import AttributeType
from attentive_desktop.core.schema import MemorySchemaStorage, SchemaRegistry
from attentive_desktop.core.validation import (
    Finding,
    Severity,
    has_errors,
    validate_properties,
)


@pytest.fixture
def schema() -> SchemaRegistry:
    return SchemaRegistry(
        MemorySchemaStorage(
            types={
                "age": AttributeType.NUMBER,
                "VIP": AttributeType.BOOLEAN,
                "birthday": AttributeType.DATE,
                "Favorite color": AttributeType.TEXT,
            },
            catalog={"Shirt size": ("S", "M", "L", "XL")},
        )
    )


def codes(findings: list[Finding]) -> list[str]:
    return [f.code for f in findings]


def only(findings: list[Finding]) -> Finding:
    assert len(findings) == 1, findings
    return findings[0]


def test_documented_example_is_clean() -> None:
    example = {
        "age": "24",
        "birthday": "1986-11-16",
        "sign up": "2021-04-23T16:04:33Z",
        "Gift card balance": "50.89",
        "VIP": "TRUE",
    }
    assert validate_properties(example) == []


def test_matching_values_against_the_schema_are_clean(schema: SchemaRegistry) -> None:
    properties = {
        "age": 31,
        "VIP": False,
        "birthday": "1990-01-02",
        "Favorite color": "blue",
        "Shirt size": "XL",
    }
    assert validate_properties(properties, schema) == []


# --- errors ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["", " ", "\t\n", "\u3000"])
def test_empty_name_is_an_error(name: str) -> None:
    finding = only(validate_properties({name: "x"}))
    assert (finding.severity, finding.code, finding.property) == (
        Severity.ERROR,
        "empty-name",
        name,
    )
    assert "Give it a name or remove it" in finding.message


def test_name_of_200_characters_is_fine_201_is_too_long() -> None:
    assert validate_properties({"a" * 200: "x"}) == []
    finding = only(validate_properties({"a" * 201: "x"}))
    assert finding.code == "name-too-long"
    assert "201 characters" in finding.message and "at most 200" in finding.message
    assert "Shorten the name" in finding.message


def test_name_length_counts_characters_not_bytes() -> None:
    assert validate_properties({"é" * 200: "x"}) == []  # 400 bytes in UTF-8
    assert validate_properties({"😀" * 200: "x"}) == []
    assert codes(validate_properties({"😀" * 201: "x"})) == ["name-too-long"]


@pytest.mark.parametrize("value", [["a", "b"], ("a",), {"a"}, frozenset({"a"}), [], [["nested"]]])
def test_sequence_values_are_array_errors_with_a_hint(value: object) -> None:
    finding = only(validate_properties({"cities": value}))
    assert (finding.severity, finding.code) == (Severity.ERROR, "array-value")
    assert "'cities'" in finding.message and "Send one value" in finding.message


@pytest.mark.parametrize("value", [{}, {"city": "chicago"}, {"a": {"b": 1}}])
def test_mapping_values_are_object_errors(value: object) -> None:
    finding = only(validate_properties({"address": value}))
    assert (finding.severity, finding.code) == (Severity.ERROR, "object-value")
    assert "'address'" in finding.message


def test_none_is_a_null_error() -> None:
    finding = only(validate_properties({"age": None}))
    assert (finding.severity, finding.code) == (Severity.ERROR, "null-value")
    assert "'age'" in finding.message and "Enter a value or remove the property" in finding.message


@pytest.mark.parametrize(
    "value",
    ['["chicago", "new york"]', "[]", " [1, 2] ", '[{"a": 1}]', "[null]"],
)
def test_json_array_text_is_an_error_with_a_hint(value: str) -> None:
    finding = only(validate_properties({"cities": value}))
    assert (finding.severity, finding.code) == (Severity.ERROR, "json-array-text")
    assert "'cities'" in finding.message and "Send one value" in finding.message


@pytest.mark.parametrize("value", ['{"city": "chicago"}', "{}", ' {"a": [1]} '])
def test_json_object_text_is_an_object_error(value: str) -> None:
    finding = only(validate_properties({"address": value}))
    assert (finding.severity, finding.code) == (Severity.ERROR, "object-value")
    assert "written as text" in finding.message


@pytest.mark.parametrize(
    "value",
    [
        "[chicago, new york]",
        "[",
        "[1, 2",
        "{not json}",
        "[1] and more",
        "null",
        '"quoted"',
        pytest.param("[" * 5000 + "]" * 5000, id="deeply-nested"),
    ],
)
def test_text_that_is_not_a_json_array_or_object_is_fine(value: str) -> None:
    assert "json-array-text" not in codes(validate_properties({"note": value}))
    assert "object-value" not in codes(validate_properties({"note": value}))


@pytest.mark.parametrize(
    "value",
    [
        b"bytes",
        1 + 2j,
        Decimal("1.5"),
        object(),
        float("nan"),
        float("inf"),
        -math.inf,
        pytest.param(10**5000, id="int-too-long-to-write"),
    ],
)
def test_other_values_are_unsupported(value: object) -> None:
    finding = only(validate_properties({"thing": value}))
    assert (finding.severity, finding.code) == (Severity.ERROR, "unsupported-value")
    assert "'thing'" in finding.message and "Enter text, a number" in finding.message


def test_a_name_that_is_not_text_is_an_error() -> None:
    finding = only(validate_properties({42: "x"}))  # type: ignore[dict-item]
    assert (finding.severity, finding.property) == (Severity.ERROR, "42")
    assert "42" in finding.message and "not text" in finding.message


def test_properties_that_are_not_a_mapping_are_reported_not_raised() -> None:
    finding = only(validate_properties([("a", "b")]))  # type: ignore[arg-type]
    assert finding.severity is Severity.ERROR


def test_a_broken_mapping_is_reported_not_raised() -> None:
    class Broken(Mapping):
        def __getitem__(self, key: str) -> object:
            raise KeyError(key)

        def __iter__(self) -> Iterator[str]:
            raise RuntimeError("boom")

        def __len__(self) -> int:
            return 1

    assert has_errors(validate_properties(Broken()))


def test_a_value_outside_the_catalog_is_an_error_naming_the_allowed_values(
    schema: SchemaRegistry,
) -> None:
    finding = only(validate_properties({"Shirt size": "XXL"}, schema))
    assert (finding.severity, finding.code) == (Severity.ERROR, "not-allowed-value")
    assert "'Shirt size'" in finding.message
    assert "'S', 'M', 'L', 'XL'" in finding.message and "'XXL'" in finding.message


def test_catalog_values_are_compared_case_sensitively_with_a_suggestion(
    schema: SchemaRegistry,
) -> None:
    finding = only(validate_properties({"Shirt size": "xl"}, schema))
    assert finding.code == "not-allowed-value"
    assert "Did you mean 'XL'?" in finding.message


def test_catalog_applies_to_the_exact_name_only(schema: SchemaRegistry) -> None:
    assert "not-allowed-value" not in codes(validate_properties({"shirt size": "XXL"}, schema))


def test_catalog_check_uses_the_wire_form(schema: SchemaRegistry) -> None:
    schema.set_allowed_values("Plan", ["true", "false"])
    assert validate_properties({"Plan": True}, schema) == []


# --- warnings ----------------------------------------------------------------------------


def test_type_mismatch_warning_uses_the_agreed_wording(schema: SchemaRegistry) -> None:
    finding = only(validate_properties({"age": "abc"}, schema))
    assert (finding.severity, finding.code) == (Severity.WARNING, "type-mismatch")
    assert finding.message == (
        "'age' is a Number attribute; 'abc' looks like Text. Attentive fixed the type when the "
        "first value was sent; what it does with a different type is not documented — check "
        "the value."
    )


@pytest.mark.parametrize(
    ("name", "value", "inferred"),
    [
        ("VIP", "yes", "Text"),
        ("VIP", 1, "Number"),
        ("birthday", "16/11/1986", "Text"),
        ("age", True, "Boolean"),
        ("age", "2021-01-01", "Date"),
    ],
)
def test_type_mismatch_for_each_type(
    schema: SchemaRegistry, name: str, value: object, inferred: str
) -> None:
    finding = only(validate_properties({name: value}, schema))
    assert finding.code == "type-mismatch"
    assert f"looks like {inferred}" in finding.message


def test_text_attributes_accept_any_value_without_a_warning(schema: SchemaRegistry) -> None:
    assert validate_properties({"Favorite color": "42"}, schema) == []
    assert validate_properties({"Favorite color": "true"}, schema) == []


def test_no_type_warning_without_a_schema_or_for_unknown_names(schema: SchemaRegistry) -> None:
    assert validate_properties({"age": "abc"}) == []
    assert validate_properties({"new thing": "abc"}, schema) == []


def test_type_inference_ignores_surrounding_whitespace(schema: SchemaRegistry) -> None:
    assert codes(validate_properties({"age": " 24 "}, schema)) == ["whitespace"]


def test_long_values_are_shortened_in_messages(schema: SchemaRegistry) -> None:
    finding = only(validate_properties({"age": "x" * 1000}, schema))
    assert len(finding.message) < 400 and "…" in finding.message


def test_case_collision_with_a_known_name(schema: SchemaRegistry) -> None:
    finding = only(validate_properties({"Favorite Color": "blue"}, schema))
    assert (finding.severity, finding.code) == (Severity.WARNING, "case-collision")
    assert "'Favorite Color': did you mean 'Favorite color'?" in finding.message
    assert "Names are case-sensitive: this would create a second attribute" in finding.message


def test_case_collision_with_a_catalog_name(schema: SchemaRegistry) -> None:
    finding = only(validate_properties({"SHIRT SIZE": "M"}, schema))
    assert finding.code == "case-collision" and "'Shirt size'" in finding.message


def test_no_case_collision_when_the_exact_name_is_known() -> None:
    registry = SchemaRegistry(
        MemorySchemaStorage(types={"Color": AttributeType.TEXT, "color": AttributeType.TEXT})
    )
    assert validate_properties({"color": "red", "Color": "blue"}, registry) == []


def test_case_collision_within_one_property_set() -> None:
    findings = validate_properties({"Favorite color": "blue", "favorite color": "red"})
    finding = only(findings)
    assert (finding.code, finding.property) == ("case-collision", "favorite color")
    assert "'Favorite color'" in finding.message


def test_whitespace_around_a_name(schema: SchemaRegistry) -> None:
    finding = only(validate_properties({"age ": "24"}, schema))
    assert (finding.severity, finding.code) == (Severity.WARNING, "whitespace")
    assert "'age '" in finding.message and "Remove the spaces" in finding.message
    assert "a different attribute from 'age'" in finding.message


def test_whitespace_around_a_value() -> None:
    finding = only(validate_properties({"city": " chicago\n"}))
    assert (finding.severity, finding.code) == (Severity.WARNING, "whitespace")
    assert "'city'" in finding.message


def test_errors_come_before_warnings_for_each_property() -> None:
    findings = validate_properties({" cities ": ["a"], "b": "x "})
    assert [(f.property, f.code) for f in findings] == [
        (" cities ", "array-value"),
        (" cities ", "whitespace"),
        ("b", "whitespace"),
    ]


def test_warnings_alone_do_not_block_and_errors_do(schema: SchemaRegistry) -> None:
    assert not has_errors(validate_properties({"age": "abc", "x ": "y"}, schema))
    assert has_errors(validate_properties({"age": "abc", "l": [1]}, schema))
    assert not has_errors([])
