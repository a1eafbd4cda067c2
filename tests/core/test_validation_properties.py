"""Hypothesis properties: validation never raises and every finding names its property."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from attentive_desktop.core.attributes import AttributeType
from attentive_desktop.core.schema import MemorySchemaStorage, SchemaRegistry
from attentive_desktop.core.validation import (
    Finding,
    Severity,
    has_errors,
    validate_properties,
)
from attentive_desktop.core.wire import to_wire_properties

ERROR_CODES = {
    "empty-name",
    "name-too-long",
    "array-value",
    "object-value",
    "null-value",
    "json-array-text",
    "unsupported-value",
    "not-allowed-value",
}
WARNING_CODES = {
    "type-mismatch", "case-collision", "whitespace", "long-value",
    "empty-value", "leading-zero", "date-like-text",
}  # fmt: skip


# --- properties --------------------------------------------------------------------------

_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=8,
)
_names = st.text(max_size=210) | st.sampled_from(["age", "AGE", "Shirt size", " age", "VIP"])


def _check(findings: list[Finding]) -> None:
    for finding in findings:
        assert isinstance(finding, Finding)
        assert finding.message.strip()
        assert finding.property in finding.message
        expected = ERROR_CODES if finding.severity is Severity.ERROR else WARNING_CODES
        assert finding.code in expected


@settings(max_examples=200)
@given(st.dictionaries(_names, _values, max_size=6))
def test_validate_never_raises_and_every_finding_names_its_property(properties: dict) -> None:
    _check(validate_properties(properties))


@settings(max_examples=200)
@given(
    st.dictionaries(_names, _values, max_size=6),
    st.dictionaries(st.text(max_size=10), st.sampled_from(list(AttributeType)), max_size=4),
    st.dictionaries(st.text(max_size=10), st.lists(st.text(max_size=4), min_size=1), max_size=2),
)
def test_validate_with_a_schema_never_raises(properties: dict, types: dict, catalog: dict) -> None:
    registry = SchemaRegistry(
        MemorySchemaStorage(
            types={"age": AttributeType.NUMBER, **types},
            catalog={"Shirt size": ("S", "M"), **{k: tuple(v) for k, v in catalog.items()}},
        )
    )
    _check(validate_properties(properties, registry))


@settings(max_examples=100)
@given(st.dictionaries(st.integers() | st.none() | st.text(max_size=3), _values, max_size=4))
def test_validate_never_raises_on_keys_that_are_not_text(properties: dict) -> None:
    _check(validate_properties(properties))


@given(st.dictionaries(st.text(max_size=20), st.text(max_size=20) | st.booleans() | st.integers()))
def test_clean_property_sets_convert_to_wire_form(properties: dict) -> None:
    if not has_errors(validate_properties(properties)):
        wire = to_wire_properties(properties)
        assert set(wire) == set(properties)
        assert all(isinstance(v, str) for v in wire.values())
