"""After a send: did the service store what was sent? Compare the sent values with a re-read.

Outcomes per sent property (`VerifyStatus`):

- VERIFIED: the re-read holds exactly the string sent.
- STORED_DIFFERENTLY: the strings differ but mean the same for the attribute's type, so the
  send worked and the service wrote it its own way: numbers that are equal as decimals
  ("50.890" / "50.89", "+7" / "7"), booleans in another letter case ("TRUE" / "true"), dates
  that are the same day or the same instant ("2021-04-23T16:04:33Z" /
  "2021-04-23T16:04:33.000+00:00"; a bare date and midnight UTC of that day), and text that
  differs only by surrounding whitespace. Show what was stored; it is not a failure.
- MISMATCHED: the re-read holds another value (someone else wrote meanwhile, or the service
  refused to change it silently). Show what it stored.
- MISSING: the re-read does not have the attribute at all.

The type used is the one the schema knows for the name, else the one the sent value implies.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation

from attentive_desktop.core.attributes import AttributeType, infer_type
from attentive_desktop.core.diff import Attributes, attribute_dict
from attentive_desktop.core.validation import SchemaView


class VerifyStatus(enum.Enum):
    """The outcome for one sent property; the value is the label the UI shows."""

    VERIFIED = "verified"
    STORED_DIFFERENTLY = "stored differently"
    MISMATCHED = "mismatched"
    MISSING = "missing"


@dataclass(frozen=True)
class VerifyRow:
    """One sent property: what was `sent`, what the re-read `stored` (None when missing)."""

    name: str
    sent: str
    stored: str | None
    status: VerifyStatus
    message: str

    @property
    def ok(self) -> bool:
        """VERIFIED or STORED_DIFFERENTLY: the service holds the value sent."""
        return self.status in (VerifyStatus.VERIFIED, VerifyStatus.STORED_DIFFERENTLY)


@dataclass(frozen=True)
class Verification:
    """Every sent property's outcome, in the order they were sent."""

    rows: tuple[VerifyRow, ...]

    @property
    def ok(self) -> bool:
        """True when every property is verified or stored differently."""
        return all(r.ok for r in self.rows)

    def row(self, name: str) -> VerifyRow | None:
        """The row for exactly `name`, or None."""
        return next((r for r in self.rows if r.name == name), None)

    def problems(self) -> tuple[VerifyRow, ...]:
        """The mismatched and missing rows."""
        return tuple(r for r in self.rows if not r.ok)

    def summary(self) -> str:
        """One sentence, e.g. "3 verified, 1 stored differently, 1 mismatched."."""
        counts = [(len([r for r in self.rows if r.status is s]), s.value) for s in VerifyStatus]
        parts = [f"{n} {label}" for n, label in counts if n]
        return (", ".join(parts) + ".") if parts else "Nothing was sent."


def verify_sent(
    sent: Mapping[str, str], reread: Attributes, schema: SchemaView | None = None
) -> Verification:
    """Compare the `sent` properties (wire strings) with the attributes a re-read returned."""
    stored = attribute_dict(reread)
    rows = []
    for name, value in sent.items():
        value = str(value)
        now = stored.get(name)
        if now is None:
            rows.append(
                VerifyRow(
                    name,
                    value,
                    None,
                    VerifyStatus.MISSING,
                    f"'{name}' is missing from the user when read back.",
                )
            )
            continue
        if now == value:
            rows.append(VerifyRow(name, value, now, VerifyStatus.VERIFIED, "Verified."))
            continue
        type = (schema.type_of(name) if schema is not None else None) or infer_type(value)
        if equivalent(value, now, type):
            rows.append(
                VerifyRow(
                    name,
                    value,
                    now,
                    VerifyStatus.STORED_DIFFERENTLY,
                    f"Stored as '{now}' (the same {type.value.lower()} written differently).",
                )
            )
        else:
            rows.append(
                VerifyRow(
                    name,
                    value,
                    now,
                    VerifyStatus.MISMATCHED,
                    f"Sent '{value}' but the user holds '{now}'.",
                )
            )
    return Verification(tuple(rows))


def equivalent(sent: str, stored: str, type: AttributeType) -> bool:
    """Whether `stored` means the same as `sent` for an attribute of `type`."""
    if sent.strip() == stored.strip():
        return True
    if type is AttributeType.NUMBER:
        left, right = _decimal(sent), _decimal(stored)
        return left is not None and right is not None and left == right
    if type is AttributeType.BOOLEAN:
        left_text, right_text = sent.strip().lower(), stored.strip().lower()
        return left_text == right_text and left_text in ("true", "false")
    if type is AttributeType.DATE:
        left_moment, right_moment = _moment(sent), _moment(stored)
        return left_moment is not None and left_moment == right_moment
    return False


def _decimal(text: str) -> Decimal | None:
    try:
        number = Decimal(text.strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


_FRACTION = re.compile(r"(\.[0-9]{1,6})[0-9]*")


def _moment(text: str) -> date | datetime | None:
    """A bare date, or an aware instant (naive timestamps are taken as UTC). A timestamp at
    midnight UTC compares equal to its bare date."""
    text = text.strip()
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        cleaned = _FRACTION.sub(r"\1", text.replace("z", "Z"))
        moment = datetime.fromisoformat(cleaned)
    except ValueError:
        return None
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    if moment.time() == datetime.min.time():
        return moment.date()
    return moment
