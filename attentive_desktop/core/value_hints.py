"""Values that are valid but likely not what the user means, said before they are sent.

The first value ever sent for a name fixes its type (DESIGN.md), so for an attribute whose
type nobody knows yet two kinds of value deserve a second look: a number written with a
leading zero (a ZIP code, an agent code), which makes the attribute a Number, and a number
has no leading zero; and a date Attentive would not read as one ("04/23/2021", "2021-02-30"),
which makes the attribute Text for good. An empty value deserves one for any attribute: the
API documents no meaning for it. Each hint is a (code, message) pair; core.validation turns
them into warnings, which the window asks about once before sending.
"""

from __future__ import annotations

import re

from attentive_desktop.core import limits
from attentive_desktop.core._text import shown
from attentive_desktop.core.attributes import AttributeType, infer_type

_LEADING_ZERO = re.compile(r"[+-]?0\d+(\.\d+)?")
_DATE_LIKE = re.compile(
    r"\d{4}-\d{1,2}-\d{1,2}"  # year first, but no real date (2021-02-30) or one digit
    r"|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}"  # 04/23/2021, 23.04.2021
    r"|\d{4}/\d{1,2}/\d{1,2}"  # 2021/04/23
)


def value_hints(name: str, wire: str, known_type: AttributeType | None) -> list[tuple[str, str]]:
    """Hints about ``wire`` as the value of ``name`` (``known_type``: its fixed type, if any).

    Codes: "empty-value"; for a name of no known type, "leading-zero" and "date-like-text".
    """
    label = limits.label(name)
    if wire == "":
        return [
            (
                "empty-value",
                f"'{label}' has no value: an empty text would be sent. What Attentive does with "
                "it is not documented (it may keep it or refuse it). Enter a value, or remove "
                "the row.",
            )
        ]
    if known_type is not None:
        return []
    text = wire.strip()
    inferred = infer_type(text)
    if inferred is AttributeType.NUMBER and _LEADING_ZERO.fullmatch(text):
        return [
            (
                "leading-zero",
                f"'{shown(text)}' would be the first value of '{label}', which would make it "
                "a Number attribute for good, and a number keeps no leading zero. If this is "
                "a code (a ZIP code, an ID), check with your Attentive admin before sending.",
            )
        ]
    if inferred is AttributeType.TEXT and _DATE_LIKE.fullmatch(text):
        return [
            (
                "date-like-text",
                f"'{shown(text)}' looks like a date, but Attentive reads only real dates "
                f"written YYYY-MM-DD (or ISO-8601 timestamps) as dates: as the first value of "
                f"'{label}' it would make it a Text attribute for good. Enter it as "
                "YYYY-MM-DD.",
            )
        ]
    return []
