"""Attribute types and the rule Attentive uses to fix a type from the first value sent."""

from __future__ import annotations

import enum
import re
from datetime import date, time

MAX_NAME_LENGTH = 200
"""Longest property name Attentive accepts, in characters (code points), not bytes."""

_NUMBER = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")
_DATE = re.compile(r"(?P<y>[0-9]{4})-(?P<m>[0-9]{2})-(?P<d>[0-9]{2})")
_TIMESTAMP = re.compile(
    r"(?P<y>[0-9]{4})-(?P<m>[0-9]{2})-(?P<d>[0-9]{2})"
    r"T(?P<H>[0-9]{2}):(?P<M>[0-9]{2})(?::(?P<S>[0-9]{2})(?:[.,][0-9]+)?)?"
    r"(?:Z|z|[+-](?P<oh>[0-9]{2})(?::?(?P<om>[0-9]{2}))?)?"
)
_BOOLEANS = frozenset({"true", "false"})


class AttributeType(enum.Enum):
    """The type Attentive fixes for a custom attribute; the value is the label the UI shows."""

    NUMBER = "Number"
    BOOLEAN = "Boolean"
    DATE = "Date"
    TEXT = "Text"


def infer_type(value: str) -> AttributeType:
    """Return the type Attentive would fix for ``value`` if it were the first value sent.

    The rules follow the documented example, conservatively, on the value with surrounding
    whitespace stripped:

    - NUMBER: a plain integer or decimal with ASCII digits on both sides of an optional point
      and an optional leading sign: "24", "50.89", "-3", "+7", "007". Not ".5", "5.",
      "1,000", "1e5", "NaN" or "inf": nothing documented says these are numbers, so they are
      TEXT.
    - BOOLEAN: "true" or "false" in any letter case ("TRUE", "False").
    - DATE: a real calendar date "YYYY-MM-DD" ("1986-11-16"; not "2021-02-30"), or an
      ISO-8601 timestamp with a "T" separator, hours and minutes, optional seconds with an
      optional fraction, and an optional "Z" or numeric offset ("2021-04-23T16:04:33Z",
      "2021-04-23T16:04:33.120+02:00"). Every field must be in range. A space instead of the
      "T" and week dates are TEXT; compact "20210423" is a plain integer, so NUMBER.
    - TEXT: everything else, including the empty string. A value that is not a ``str`` is
      judged by its text form, so this never raises.
    """
    text = (value if isinstance(value, str) else _text_of(value)).strip()
    if _NUMBER.fullmatch(text):
        return AttributeType.NUMBER
    if text.lower() in _BOOLEANS:
        return AttributeType.BOOLEAN
    if _is_date(text) or _is_timestamp(text):
        return AttributeType.DATE
    return AttributeType.TEXT


def _text_of(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    try:
        return str(value)
    except Exception:  # an object whose __str__ fails is simply not a typed value
        return ""


def _is_date(text: str) -> bool:
    match = _DATE.fullmatch(text)
    return match is not None and _valid_date(match) is not None


def _valid_date(match: re.Match[str]) -> date | None:
    try:
        return date(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError:
        return None


def _is_timestamp(text: str) -> bool:
    match = _TIMESTAMP.fullmatch(text)
    if match is None or _valid_date(match) is None:
        return False
    try:
        time(int(match["H"]), int(match["M"]), int(match["S"] or 0))
    except ValueError:
        return False
    return match["oh"] is None or (int(match["oh"]) <= 23 and int(match["om"] or 0) <= 59)
