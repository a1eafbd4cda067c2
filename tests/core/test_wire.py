"""to_wire_value / to_wire_properties: the strings the API is sent."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from attentive_desktop.core.identifiers import UserRef
from attentive_desktop.core.wire import attributes_body, to_wire_properties, to_wire_value

# --- wire values -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "wire"),
    [
        ("24", "24"),
        (" keep me ", " keep me "),
        (True, "true"),
        (False, "false"),
        (24, "24"),
        (-3, "-3"),
        (50.89, "50.89"),
        (2.0, "2.0"),
        (1e-05, "0.00001"),
        (1e20, "100000000000000000000"),
        (-2.5e-7, "-0.00000025"),
    ],
)
def test_to_wire_value(value: object, wire: str) -> None:
    assert to_wire_value(value) == wire


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_finite_floats_travel_as_numbers(value: float) -> None:
    wire = to_wire_value(value)
    assert float(wire) == value
    assert "e" not in wire.lower()


@pytest.mark.parametrize("value", [None, ["a"], {"a": 1}, b"x", Decimal("1")])
def test_to_wire_value_refuses_other_types(value: object) -> None:
    with pytest.raises(TypeError):
        to_wire_value(value)


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_to_wire_value_refuses_non_finite_floats(value: float) -> None:
    with pytest.raises(ValueError):
        to_wire_value(value)


def test_to_wire_properties() -> None:
    assert to_wire_properties({"age": 24, "VIP": True, "name": " Ada"}) == {
        "age": "24",
        "VIP": "true",
        "name": " Ada",
    }
    with pytest.raises(TypeError):
        to_wire_properties({"cities": ["a"]})
    with pytest.raises(TypeError):
        to_wire_properties({1: "a"})  # type: ignore[dict-item]


def test_attributes_body_is_what_the_client_posts_and_show_request_shows() -> None:
    user = UserRef.parse(phone="(415) 555-0100", client_user_id="u-7")
    assert attributes_body(user, {"VIP": True, "Gift card balance": 1e-05}) == {
        "properties": {"VIP": "true", "Gift card balance": "0.00001"},
        "user": {"phone": "+14155550100", "externalIdentifiers": {"clientUserId": "u-7"}},
    }
