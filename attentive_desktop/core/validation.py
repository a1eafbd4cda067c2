"""Checks a property set before it is sent (core/wire.py turns it into what is sent)."""

from __future__ import annotations

import enum
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

from attentive_desktop.core import limits
from attentive_desktop.core._text import safe_repr, shown
from attentive_desktop.core.attributes import MAX_NAME_LENGTH, AttributeType, infer_type
from attentive_desktop.core.value_hints import value_hints
from attentive_desktop.core.wire import to_wire_value

_SEQUENCES = (list, tuple, set, frozenset)
_label = limits.label  # how a name is quoted in a message


class Severity(enum.Enum):
    """How serious a finding is: errors block the send, warnings ask for a second look."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    """One problem with one property: ``message`` names the property and says what to do.

    Error codes: "empty-name", "name-too-long", "array-value", "object-value", "null-value",
    "json-array-text", "unsupported-value" (also broken Unicode), "not-allowed-value",
    "value-too-long" (over limits.MAX_VALUE_LENGTH characters). Warning codes: "type-mismatch",
    "case-collision", "whitespace" (also invisible or control characters in a name),
    "long-value" (over limits.LONG_VALUE), and core.value_hints' "empty-value", "leading-zero"
    and "date-like-text". ``property`` is the name as given (the ``repr`` of a
    name that is not text); messages quote names of up to 250 characters whole.
    """

    severity: Severity
    property: str
    code: str
    message: str


class SchemaView(Protocol):
    """What validation needs to know about attributes already seen (SchemaRegistry has it)."""

    def type_of(self, name: str) -> AttributeType | None: ...

    def names(self) -> Iterable[str]: ...

    def allowed_values(self, name: str) -> tuple[str, ...] | None: ...


def has_errors(findings: Iterable[Finding]) -> bool:
    """True when any finding is an error, i.e. the property set must not be sent."""
    return any(f.severity is Severity.ERROR for f in findings)


def validate_properties(
    properties: Mapping[str, object], schema: SchemaView | None = None
) -> list[Finding]:
    """Every problem found in ``properties``, errors first for each property, in input order.

    Never raises: whatever the input, problems come back as findings. Knowledge from
    ``schema`` (known types, names and allowed values) adds type-mismatch and case-collision
    warnings and not-allowed-value errors.
    """
    if not isinstance(properties, Mapping):
        return [
            _error(
                "",
                "unsupported-value",
                f"The properties must be name and value pairs, not {type(properties).__name__}.",
            )
        ]
    known = _known_names(schema)
    findings: list[Finding] = []
    seen: dict[str, str] = {}  # casefolded name → first spelling in this set
    try:
        items = list(properties.items())
    except Exception:  # a broken Mapping is reported, not raised
        return [_error("", "unsupported-value", "The properties could not be read.")]
    for name, value in items:
        if not isinstance(name, str):
            label = safe_repr(name)
            findings.append(
                _error(
                    label,
                    "unsupported-value",
                    f"The property name {label} is not text. Give the property a text name.",
                )
            )
            continue
        if limits.has_broken_unicode(name):
            findings.append(
                _error(
                    name,
                    "unsupported-value",
                    f"The property name '{_label(name)}' contains broken characters that cannot "
                    "be sent (a damaged copy and paste?). Retype the name.",
                )
            )
            continue
        value_errors, wire = _value_errors(name, value)
        errors = _name_errors(name) + value_errors
        if wire is not None and not errors and schema is not None:
            errors += _catalog_errors(name, wire, schema)
        warnings = _whitespace_warnings(name, None if value_errors else wire, known)
        warnings += _size_warnings(name, None if errors else wire)
        if name.strip():
            warnings += _case_warnings(name, known, seen)
        if wire is not None and not errors:
            warnings += _type_warnings(name, wire, schema) if schema is not None else []
            fixed = schema.type_of(name) if schema is not None else None
            warnings += [_warning(name, *hint) for hint in value_hints(name, wire, fixed)]
        findings += errors + warnings
    return findings


def _error(name: str, code: str, message: str) -> Finding:
    return Finding(Severity.ERROR, name, code, message)


def _warning(name: str, code: str, message: str) -> Finding:
    return Finding(Severity.WARNING, name, code, message)


def _known_names(schema: SchemaView | None) -> dict[str, list[str]]:
    """Known names grouped by their casefolded form, for case-collision checks."""
    groups: dict[str, list[str]] = {}
    if schema is None:
        return groups
    for known in schema.names():
        if isinstance(known, str):
            groups.setdefault(known.casefold(), []).append(known)
    return groups


def _name_errors(name: str) -> list[Finding]:
    if not name.strip():
        shown_name = f"'{_label(name)}'" if name else "''"
        return [
            _error(
                name,
                "empty-name",
                f"A property has an empty name ({shown_name}). Give it a name or remove it.",
            )
        ]
    if len(name) > MAX_NAME_LENGTH:
        return [
            _error(
                name,
                "name-too-long",
                f"The property name '{_label(name)}' is {len(name)} characters long; Attentive "
                f"accepts at most {MAX_NAME_LENGTH}. Shorten the name.",
            )
        ]
    return []


def _value_errors(name: str, value: object) -> tuple[list[Finding], str | None]:
    """Errors about the value's form, and its wire text when it has one."""
    if value is None:
        return [
            _error(
                name,
                "null-value",
                f"'{_label(name)}' has no value (null), which Attentive does not accept. "
                "Enter a value or remove the property.",
            )
        ], None
    if isinstance(value, _SEQUENCES):
        return [
            _error(
                name,
                "array-value",
                f"'{_label(name)}' has a list of values; Attentive refuses lists. Send one value.",
            )
        ], None
    if isinstance(value, Mapping):
        return [
            _error(
                name,
                "object-value",
                f"'{_label(name)}' has a group of named values; Attentive refuses them. "
                "Send one value, or make each part its own property.",
            )
        ], None
    try:
        wire = to_wire_value(value)
    except (TypeError, ValueError):
        return [
            _error(
                name,
                "unsupported-value",
                f"'{_label(name)}' has a value Attentive cannot store ({shown(safe_repr(value))}). "
                "Enter text, a number, a date or true/false.",
            )
        ], None
    if limits.has_broken_unicode(wire):
        return [
            _error(
                name,
                "unsupported-value",
                f"The value of '{_label(name)}' contains broken characters that cannot be sent "
                "(a damaged copy and paste?). Retype the value.",
            )
        ], None
    if len(wire) > limits.MAX_VALUE_LENGTH:
        return [
            _error(
                name,
                "value-too-long",
                f"The value of '{_label(name)}' is {len(wire):,} characters long; this app "
                f"sends at most {limits.MAX_VALUE_LENGTH:,} (Attentive documents no limit, and "
                "requests this large are commonly refused). Shorten the value, or check what was "
                "pasted.",
            )
        ], None
    return _json_text_errors(name, wire), wire


def _size_warnings(name: str, wire: str | None) -> list[Finding]:
    if wire is None or len(wire) <= limits.LONG_VALUE:
        return []
    return [
        _warning(
            name,
            "long-value",
            f"The value of '{_label(name)}' is {len(wire):,} characters long. Attentive does not "
            "document a limit for values; very long ones may be refused or cut short. Check that "
            "the whole value is meant to be sent.",
        )
    ]


def _json_text_errors(name: str, text: str) -> list[Finding]:
    stripped = text.strip()
    if not stripped or (stripped[0], stripped[-1]) not in (("[", "]"), ("{", "}")):
        return []
    try:
        parsed = json.loads(stripped)
    except (ValueError, RecursionError):
        return []
    if isinstance(parsed, list):
        return [
            _error(
                name,
                "json-array-text",
                f"'{_label(name)}' is a list written as text ({shown(stripped)}); Attentive "
                "refuses lists. Send one value, e.g. the first item.",
            )
        ]
    # The contract has no separate code for object-shaped text: it is an object value.
    return [
        _error(
            name,
            "object-value",
            f"'{_label(name)}' is a group of named values written as text ({shown(stripped)}); "
            "Attentive refuses them. Send one value, or make each part its own property.",
        )
    ]


def _catalog_errors(name: str, wire: str, schema: SchemaView) -> list[Finding]:
    allowed = schema.allowed_values(name)
    if allowed is None or wire in allowed:
        return []
    choices = ", ".join(f"'{v}'" for v in allowed) or "none recorded"
    hint = next((v for v in allowed if v.casefold() == wire.strip().casefold()), None)
    advice = f"Did you mean '{hint}'? Values must match exactly." if hint else "Pick one of them."
    return [
        _error(
            name,
            "not-allowed-value",
            f"'{_label(name)}' was created in Attentive with fixed values ({choices}); "
            f"'{shown(wire)}' is not one of them. {advice}",
        )
    ]


def _whitespace_warnings(name: str, wire: str | None, known: dict[str, list[str]]) -> list[Finding]:
    findings = []
    if name.strip() and name != name.strip():
        trimmed = name.strip()
        same = trimmed in known.get(trimmed.casefold(), ())
        extra = f", a different attribute from '{trimmed}'" if same else ""
        findings.append(
            _warning(
                name,
                "whitespace",
                f"The property name '{_label(name)}' starts or ends with spaces; Attentive would "
                f"keep them as part of the name{extra}. Remove the spaces.",
            )
        )
    hidden = limits.hidden_characters(name)
    if name.strip() and hidden:
        codes = ", ".join(hidden[:3])
        findings.append(
            _warning(
                name,
                "whitespace",
                f"The property name '{_label(name)}' contains invisible or control characters "
                f"({codes}); Attentive would keep them, making an attribute that looks like "
                "another but is not. Remove them.",
            )
        )
    if wire and wire != wire.strip():
        findings.append(
            _warning(
                name,
                "whitespace",
                f"The value of '{_label(name)}' ('{shown(wire)}') starts or ends with spaces, "
                "which would be stored too. Remove them unless they are intended.",
            )
        )
    return findings


def _case_warnings(name: str, known: dict[str, list[str]], seen: dict[str, str]) -> list[Finding]:
    folded = name.casefold()
    findings = []
    spellings = known.get(folded, [])
    if name in spellings:
        pass  # a known attribute: other spellings in the set are known ones too, or warned
    elif spellings:
        findings.append(
            _warning(
                name,
                "case-collision",
                f"'{_label(name)}': did you mean '{_label(spellings[0])}'? Names are "
                "case-sensitive: this would create a second attribute. Use the existing spelling "
                "unless you mean a new one.",
            )
        )
    elif folded in seen and seen[folded] != name:
        findings.append(
            _warning(
                name,
                "case-collision",
                f"'{_label(name)}' and '{_label(seen[folded])}' differ only in letter case; names "
                "are case-sensitive: they are two attributes. Keep one spelling.",
            )
        )
    seen.setdefault(folded, name)
    return findings


def _type_warnings(name: str, wire: str, schema: SchemaView) -> list[Finding]:
    known = schema.type_of(name)
    # Every value is valid text, so a Text attribute never conflicts with a new value.
    if known is None or known is AttributeType.TEXT:
        return []
    inferred = infer_type(wire)
    if inferred is known:
        return []
    return [
        _warning(
            name,
            "type-mismatch",
            f"'{_label(name)}' is a {known.value} attribute; '{shown(wire)}' looks like "
            f"{inferred.value}. Attentive fixed the type when the first value was sent; "
            "what it does with a different type is not documented — check the value.",
        )
    ]
