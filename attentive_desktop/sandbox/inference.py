"""The sandbox's own attribute typing rules.

Written independently of ``core.attributes`` on purpose: the sandbox is a second opinion, so a
mistake in the app's rules shows up as a disagreement in tests instead of being copied here.
"""

from __future__ import annotations

import re
from datetime import date, datetime

NUMBER = "Number"
BOOLEAN = "Boolean"
DATE = "Date"
TEXT = "Text"

_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_TIMESTAMP = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,9})?)?"
    r"(?:Z|[+-][0-9]{2}:?[0-9]{2})?"
)


def _is_date(value: str) -> bool:
    if _DAY.fullmatch(value):
        try:
            date.fromisoformat(value)
        except ValueError:
            return False
        return True
    if _TIMESTAMP.fullmatch(value):
        # fromisoformat rejects more than 6 fractional digits; the calendar check is what matters.
        head = re.sub(r"(\.[0-9]{6})[0-9]+", r"\1", value)
        try:
            datetime.fromisoformat(head)
        except ValueError:
            return False
        return True
    return False


def infer_type(value: str) -> str:
    """Return "Number", "Boolean", "Date" or "Text" for a wire value (no trimming)."""
    if _NUMBER.fullmatch(value):
        return NUMBER
    if value.lower() in ("true", "false"):
        return BOOLEAN
    if _is_date(value):
        return DATE
    return TEXT


def accepts(locked_type: str, value: str) -> bool:
    """Whether an attribute whose type is locked to ``locked_type`` accepts ``value``.

    Text accepts any string (every value is valid text); the other types accept only values
    inferred as that type.
    """
    return locked_type == TEXT or infer_type(value) == locked_type
