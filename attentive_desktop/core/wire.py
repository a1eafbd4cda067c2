"""What goes on the wire: property values as the strings the API expects, and the body of a
custom attributes write (the one the client posts and "Show request" shows)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from attentive_desktop.core.identifiers import UserRef


def to_wire_value(value: object) -> str:
    """The string the API is sent for ``value``: str as is, bool "true"/"false", numbers as text.

    Floats are written without an exponent (1e-05 → "0.00001") so they still read as numbers.
    Raises TypeError for any other type and ValueError for NaN, infinities and integers too
    long to write out.
    """
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{value!r} is not a number Attentive can store")
        text = repr(value)
        if "e" not in text:
            return text
        from decimal import Decimal  # rare path; keeps start-up from loading _decimal

        return format(Decimal(text), "f")
    raise TypeError(f"a property value must be text, a number or true/false, not {type(value)}")


def to_wire_properties(properties: Mapping[str, object]) -> dict[str, str]:
    """Every value through ``to_wire_value``; names are kept exactly as given (TypeError if not
    text). Validate first: this does not check names or refuse JSON-looking text."""
    wire: dict[str, str] = {}
    for name, value in properties.items():
        if not isinstance(name, str):
            raise TypeError(f"a property name must be text, not {type(name)}")
        wire[name] = to_wire_value(value)
    return wire


def attributes_body(user: UserRef, properties: Mapping[str, object]) -> dict[str, Any]:
    """The POST /attributes/custom body: ``properties`` through ``to_wire_properties`` and
    the user's identifiers. Validate first (core/validation.py)."""
    return {"properties": to_wire_properties(properties), "user": user.to_user_json()}
