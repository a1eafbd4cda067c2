"""What a send will change on a looked-up user, and what it would take to put it back.

`diff_properties` compares a user's current attributes with the edits about to be sent and
gives one `DiffRow` per edited property: current → new and a `ChangeKind`. `revert_plan`
turns a send into the values it replaced (which can be sent back) and the attributes it
created on the user (which the Custom Attributes API has no way to remove).

Values are compared exactly, as the strings the API is sent (`to_wire_value`): "TRUE" and
"true" are different strings, so sending one over the other is a change. The verification
after a send (`core.verify`) is where equivalent spellings are recognised.

"New attribute" is judged from what this app knows (`SchemaView`): an attribute created long
ago in Attentive but never seen by the app also counts as new. The sentence says what
Attentive does with a name it has never seen; it cannot promise more than the app knows.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from attentive_desktop.core.attributes import AttributeType, infer_type
from attentive_desktop.core.validation import SchemaView
from attentive_desktop.core.wire import to_wire_value

Attributes = Mapping[str, str] | Iterable[tuple[str, str]]
"""A user's current attributes: a mapping, or (name, value) pairs such as CustomAttribute."""


class ChangeKind(enum.Enum):
    """What sending one property does to the user; the value is the label the UI shows."""

    CHANGE = "change"
    UNCHANGED = "unchanged"
    ADD = "adds to this user"
    NEW_ATTRIBUTE = "new attribute"


@dataclass(frozen=True)
class DiffRow:
    """One edited property: `current` (None when the user lacks it) → `new`.

    `type` is the type that applies: the one the schema knows, else the one `new` implies.
    `note` is a sentence for the preview (empty when there is nothing to add), e.g. "creates
    a new attribute: its type will be Number from now on".
    """

    name: str
    current: str | None
    new: str
    kind: ChangeKind
    type: AttributeType
    note: str = ""

    @property
    def sends(self) -> bool:
        """Whether this row is sent by default (everything but UNCHANGED)."""
        return self.kind is not ChangeKind.UNCHANGED


@dataclass(frozen=True)
class PropertyDiff:
    """The preview of a send: one row per edited property, in the order of the edits."""

    rows: tuple[DiffRow, ...]

    def to_send(self, include_unchanged: bool = False) -> dict[str, str]:
        """The properties to send: changes, additions and new attributes; unchanged values
        only when `include_unchanged` is True."""
        return {r.name: r.new for r in self.rows if include_unchanged or r.sends}

    def of_kind(self, *kinds: ChangeKind) -> tuple[DiffRow, ...]:
        """The rows of the given kinds, in order."""
        return tuple(r for r in self.rows if r.kind in kinds)

    @property
    def new_attributes(self) -> tuple[str, ...]:
        """Names the send would create as attributes (their type is fixed by this send)."""
        return tuple(r.name for r in self.of_kind(ChangeKind.NEW_ATTRIBUTE))

    @property
    def has_changes(self) -> bool:
        """Whether anything would be sent without `include_unchanged`."""
        return any(r.sends for r in self.rows)

    def row(self, name: str) -> DiffRow | None:
        """The row for exactly `name`, or None."""
        return next((r for r in self.rows if r.name == name), None)

    def summary(self) -> str:
        """One sentence counting the rows by kind, e.g. "2 changes, 1 new attribute."."""
        parts = []
        for kind, one, many in (
            (ChangeKind.CHANGE, "change", "changes"),
            (ChangeKind.ADD, "addition", "additions"),
            (ChangeKind.NEW_ATTRIBUTE, "new attribute", "new attributes"),
            (ChangeKind.UNCHANGED, "unchanged value (not sent)", "unchanged values (not sent)"),
        ):
            count = len(self.of_kind(kind))
            if count:
                parts.append(f"{count} {one if count == 1 else many}")
        return (", ".join(parts) + ".") if parts else "Nothing to send."


def attribute_dict(attributes: Attributes) -> dict[str, str]:
    """A user's attributes as a dict (later pairs win, as a server would keep the last)."""
    items = attributes.items() if isinstance(attributes, Mapping) else attributes
    return {str(name): str(value) for name, value in items}


def new_attribute_note(type: AttributeType) -> str:
    """The sentence shown for a property that creates a new attribute."""
    return f"creates a new attribute: its type will be {type.value} from now on"


def diff_properties(
    current: Attributes, edits: Mapping[str, object], schema: SchemaView | None = None
) -> PropertyDiff:
    """Compare a looked-up user's `current` attributes with the `edits` about to be sent.

    Per edit: UNCHANGED when the user already holds exactly that value; CHANGE when it holds
    another; ADD when the user lacks it but the attribute is known (`schema` knows the name);
    NEW_ATTRIBUTE when neither the user nor the schema knows the name (without a schema, any
    name the user lacks). Values go through `to_wire_value` (bool → "true"/"false", numbers
    as text); a value that cannot be sent is kept as its `str` for display, validation
    refuses it separately. Never raises for odd values.
    """
    have = attribute_dict(current)
    by_fold: dict[str, str] = {}
    for name in have:
        by_fold.setdefault(name.casefold(), name)
    rows = []
    for name, value in edits.items():
        new = _wire_or_str(value)
        now = have.get(name)
        known_type = schema.type_of(name) if schema is not None else None
        known = now is not None or known_type is not None or _in_schema(schema, name)
        type = known_type or infer_type(new)
        if now is not None:
            kind = ChangeKind.UNCHANGED if now == new else ChangeKind.CHANGE
        else:
            kind = ChangeKind.ADD if known else ChangeKind.NEW_ATTRIBUTE
        notes = []
        if kind is ChangeKind.NEW_ATTRIBUTE:
            notes.append(new_attribute_note(type))
        elif kind is ChangeKind.UNCHANGED:
            notes.append("already has this value: not sent unless you ask")
        twin = by_fold.get(name.casefold())
        if now is None and twin is not None and twin != name:
            notes.append(f"differs only in letter case from this user's '{twin}'")
        rows.append(DiffRow(name, now, new, kind, type, "; ".join(notes)))
    return PropertyDiff(tuple(rows))


def _in_schema(schema: SchemaView | None, name: str) -> bool:
    if schema is None:
        return False
    if schema.allowed_values(name) is not None:
        return True
    try:
        return name in set(schema.names())
    except Exception:  # a broken view only costs the "adds to this user" distinction
        return False


def _wire_or_str(value: object) -> str:
    try:
        return to_wire_value(value)
    except (TypeError, ValueError):
        return str(value)


CANNOT_REMOVE_SENTENCE = (
    "cannot be removed through this API: the Custom Attributes API can only set values, "
    "so it will keep the value this send gave it"
)


@dataclass(frozen=True)
class RevertPlan:
    """How to undo a send: `values` to send back (name → the value it replaced) and the
    attributes the send added to the user, which cannot be removed through this API."""

    values: dict[str, str] = field(default_factory=dict)
    cannot_remove: tuple[str, ...] = ()

    @property
    def possible(self) -> bool:
        """Whether there is anything to send back."""
        return bool(self.values)

    def sentences(self) -> list[str]:
        """Plain sentences for the preview: what is restored, and what stays."""
        lines = []
        if self.values:
            names = ", ".join(f"'{n}'" for n in self.values)
            lines.append(f"Revert sends back the previous values of {names}.")
        else:
            lines.append("There is no previous value to send back.")
        for name in self.cannot_remove:
            lines.append(
                f"'{name}' did not exist on this user before: it {CANNOT_REMOVE_SENTENCE}."
            )
        return lines

    def message(self) -> str:
        """`sentences` as one paragraph."""
        return " ".join(self.sentences())

    def preview(self, current: Attributes, schema: SchemaView | None = None) -> PropertyDiff:
        """The diff of sending `values` to the user as they are now (look them up first)."""
        return diff_properties(current, self.values, schema)

    def changed_since(self, current: Attributes, sent: Mapping[str, str]) -> dict[str, str]:
        """Attributes whose value now differs from what the send set (someone changed them
        since): name → value now. Reverting would overwrite those later changes."""
        now = attribute_dict(current)
        return {
            name: now[name]
            for name, value in sent.items()
            if name in self.values and name in now and now[name] != value
        }


def revert_plan(before: Attributes, sent: Mapping[str, object]) -> RevertPlan:
    """The plan to undo sending `sent` to a user whose attributes were `before`.

    Properties sent with the value the user already had need no revert and are left out.
    """
    prior = attribute_dict(before)
    values: dict[str, str] = {}
    created: list[str] = []
    for name, value in sent.items():
        if name not in prior:
            created.append(name)
        elif prior[name] != _wire_or_str(value):
            values[name] = prior[name]
    return RevertPlan(values, tuple(created))
