"""What the app knows about attributes: the type fixed for each name, and the catalog of
properties created in Attentive's UI with their allowed values."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Mapping
from typing import Protocol

from attentive_desktop.core.attributes import MAX_NAME_LENGTH, AttributeType, infer_type
from attentive_desktop.core.wire import to_wire_value

log = logging.getLogger(__name__)


class SchemaStorage(Protocol):
    """Where the registry persists what it learned (store.SqliteSchemaStorage, or memory)."""

    def load_types(self) -> dict[str, AttributeType]: ...

    def save_types(self, types: Mapping[str, AttributeType]) -> None: ...

    def load_catalog(self) -> dict[str, tuple[str, ...]]: ...

    def save_catalog_entry(self, name: str, values: tuple[str, ...]) -> None: ...

    def delete_catalog_entry(self, name: str) -> None: ...


class MemorySchemaStorage:
    """SchemaStorage kept in memory: for tests, and when nothing should be written to disk."""

    def __init__(
        self,
        types: dict[str, AttributeType] | None = None,
        catalog: dict[str, tuple[str, ...]] | None = None,
    ) -> None:
        self._lock = threading.Lock()
        self._types = dict(types or {})
        self._catalog = {name: tuple(values) for name, values in (catalog or {}).items()}

    def load_types(self) -> dict[str, AttributeType]:
        with self._lock:
            return dict(self._types)

    def save_types(self, types: Mapping[str, AttributeType]) -> None:
        with self._lock:
            for name, type in types.items():
                self._types.setdefault(name, type)

    def load_catalog(self) -> dict[str, tuple[str, ...]]:
        with self._lock:
            return dict(self._catalog)

    def save_catalog_entry(self, name: str, values: tuple[str, ...]) -> None:
        with self._lock:
            self._catalog[name] = tuple(values)

    def delete_catalog_entry(self, name: str) -> None:
        with self._lock:
            self._catalog.pop(name, None)


class SchemaRegistry:
    """The type fixed for each attribute name, and the catalog of UI-created properties.

    Implements validation.SchemaView. Names are case-sensitive. Types are learned from values
    seen in lookups and successful sends, and the first value this app sees for a name wins
    (Attentive fixes the type from the first value it ever receives, which may predate the app;
    the registry cannot know better). Blank values and blank names teach nothing.

    Catalog values are compared exactly, case-sensitively: Attentive's UI defines them, and
    nothing documented says a differently-cased value would be accepted.

    Thread-safe, and reading never waits for the disk: one lock guards the in-memory copy and
    is held only to read or change it, never across a write to storage, so the UI reading
    types (the editor's Type column, as the user types) is not held up by a lookup on a worker
    thread saving what it learned while the database is busy. Learned types are kept in
    memory at once and saved after, in one write per lookup or send; a failed save is logged
    and tried again with the next one (the type is still Attentive's, and the lookup or send
    that taught it went through). Catalog changes are saved first, one at a time, and the
    memory follows, so a failed save changes nothing and raises.
    """

    def __init__(self, storage: SchemaStorage) -> None:
        self._storage = storage
        self._lock = threading.RLock()
        self._write_lock = threading.Lock()  # catalog saves, in the order they were made
        self._unsaved: dict[str, AttributeType] = {}  # learned, not yet on disk
        self._types = dict(storage.load_types())
        self._catalog = {name: tuple(values) for name, values in storage.load_catalog().items()}

    def type_of(self, name: str) -> AttributeType | None:
        """The type known for exactly ``name``, or None."""
        with self._lock:
            return self._types.get(name) if isinstance(name, str) else None

    def names(self) -> list[str]:
        """Every known name (typed or in the catalog), sorted; a snapshot, safe to iterate."""
        with self._lock:
            return sorted(self._types.keys() | self._catalog.keys())

    def types(self) -> dict[str, AttributeType]:
        """A snapshot of every known name and its type."""
        with self._lock:
            return dict(self._types)

    def learn(self, name: str, value: object) -> AttributeType | None:
        """Record the type ``value`` implies for ``name`` unless one is known already.

        Returns the type newly fixed, or None when the name already had one (first value wins)
        or when the name or value is blank or not something the API could send.
        """
        return self.learn_all([(name, value)]).get(name) if isinstance(name, str) else None

    def learn_all(self, pairs: Iterable[tuple[str, object]]) -> dict[str, AttributeType]:
        """``learn`` each (name, value) pair in order; returns the types newly fixed."""
        learned: dict[str, AttributeType] = {}
        candidates = [(name, _inferred(name, value)) for name, value in pairs]
        with self._lock:
            for name, inferred in candidates:
                if inferred is not None and name not in self._types:
                    self._types[name] = learned[name] = inferred
            if not learned and not self._unsaved:
                return learned
            self._unsaved.update(learned)
            unsaved, self._unsaved = self._unsaved, {}
        try:
            self._storage.save_types(unsaved)
        except Exception:
            log.warning("Could not save %d learned attribute types; trying again with the next "
                        "ones", len(unsaved), exc_info=True)  # fmt: skip
            with self._lock:
                self._unsaved = {**unsaved, **self._unsaved}
        return learned

    def allowed_values(self, name: str) -> tuple[str, ...] | None:
        """The only values a UI-created property accepts, or None when any value goes."""
        with self._lock:
            return self._catalog.get(name) if isinstance(name, str) else None

    def catalog(self) -> dict[str, tuple[str, ...]]:
        """A snapshot of the catalog: property name → allowed values."""
        with self._lock:
            return dict(self._catalog)

    def set_allowed_values(self, name: str, values: Iterable[str]) -> tuple[str, ...]:
        """Record that ``name`` accepts only ``values``; returns them as stored.

        Values are stripped, blanks dropped and duplicates removed, keeping the order given.
        Raises ValueError for a blank or too-long name or when no value is left (remove the
        entry instead), TypeError for a value that is not text.
        """
        if not isinstance(name, str) or not name.strip():
            raise ValueError("A catalog entry needs a property name.")
        if len(name) > MAX_NAME_LENGTH:
            raise ValueError(f"A property name has at most {MAX_NAME_LENGTH} characters.")
        if isinstance(values, str):
            raise TypeError("Give the allowed values as a list, not as one text.")
        cleaned: list[str] = []
        for value in values:
            if not isinstance(value, str):
                raise TypeError(f"Allowed values of '{name}' must be text, not {type(value)}.")
            if value.strip() and value.strip() not in cleaned:
                cleaned.append(value.strip())
        if not cleaned:
            raise ValueError(
                f"Give '{name}' at least one allowed value, or remove it from the catalog."
            )
        stored = tuple(cleaned)
        with self._write_lock:
            self._storage.save_catalog_entry(name, stored)
            with self._lock:
                self._catalog[name] = stored
        return stored

    def remove_catalog_entry(self, name: str) -> None:
        """Forget the allowed values of ``name`` (any value goes again); no-op if unknown."""
        with self._write_lock:
            self._storage.delete_catalog_entry(name)
            with self._lock:
                self._catalog.pop(name, None)

    def adopt_catalog(self, entries: Mapping[str, tuple[str, ...]]) -> None:
        """Take catalog entries into memory without saving them: for entries already stored,
        or being stored by the caller off the GUI thread (the embedded sandbox's seed)."""
        with self._lock:
            self._catalog.update({name: tuple(values) for name, values in entries.items()})


def _inferred(name: object, value: object) -> AttributeType | None:
    """The type `value` implies for `name`, or None when the pair teaches nothing."""
    if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME_LENGTH:
        return None
    try:
        text = to_wire_value(value)
    except (TypeError, ValueError):
        return None
    return infer_type(text) if text.strip() else None
