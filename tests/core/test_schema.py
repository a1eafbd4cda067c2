"""SchemaRegistry: first value wins, case-sensitive names, a catalog, persisted, thread-safe."""

from __future__ import annotations

import threading

import pytest

from attentive_desktop.core.attributes import AttributeType
from attentive_desktop.core.schema import MemorySchemaStorage, SchemaRegistry, SchemaStorage
from attentive_desktop.core.validation import validate_properties


class RecordingStorage(MemorySchemaStorage):
    """Counts writes, to show the registry persists each change once."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.saved_types: list[tuple[str, AttributeType]] = []

    def save_types(self, types) -> None:
        self.saved_types.extend(types.items())
        super().save_types(types)


class FailingStorage(MemorySchemaStorage):
    def save_types(self, types) -> None:
        raise OSError("disk full")

    def save_catalog_entry(self, name: str, values: tuple[str, ...]) -> None:
        raise OSError("disk full")


def test_memory_storage_satisfies_the_protocol() -> None:
    storage: SchemaStorage = MemorySchemaStorage()
    storage.save_types({"age": AttributeType.NUMBER})
    storage.save_catalog_entry("Shirt size", ("S", "M"))
    assert storage.load_types() == {"age": AttributeType.NUMBER}
    assert storage.load_catalog() == {"Shirt size": ("S", "M")}
    storage.delete_catalog_entry("Shirt size")
    storage.delete_catalog_entry("never there")
    assert storage.load_catalog() == {}


def test_memory_storage_returns_copies() -> None:
    storage = MemorySchemaStorage(types={"age": AttributeType.NUMBER})
    storage.load_types()["age"] = AttributeType.TEXT
    assert storage.load_types() == {"age": AttributeType.NUMBER}


def test_learn_fixes_the_type_from_the_first_value() -> None:
    storage = RecordingStorage()
    registry = SchemaRegistry(storage)
    assert registry.learn("age", "24") is AttributeType.NUMBER
    assert registry.learn("age", "abc") is None
    assert registry.type_of("age") is AttributeType.NUMBER
    assert storage.saved_types == [("age", AttributeType.NUMBER)]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("TRUE", AttributeType.BOOLEAN),
        (True, AttributeType.BOOLEAN),
        (7, AttributeType.NUMBER),
        (50.89, AttributeType.NUMBER),
        ("1986-11-16", AttributeType.DATE),
        ("hello", AttributeType.TEXT),
    ],
)
def test_learn_infers_each_type(value: object, expected: AttributeType) -> None:
    assert SchemaRegistry(MemorySchemaStorage()).learn("x", value) is expected


@pytest.mark.parametrize(
    ("name", "value"),
    [("x", ""), ("x", "   "), ("", "24"), ("  ", "24"), ("x", None), ("x", ["24"]), (3, "24")],
)
def test_blank_or_unsendable_pairs_teach_nothing(name: object, value: object) -> None:
    registry = SchemaRegistry(MemorySchemaStorage())
    assert registry.learn(name, value) is None  # type: ignore[arg-type]
    assert registry.names() == []


def test_names_are_case_sensitive() -> None:
    registry = SchemaRegistry(MemorySchemaStorage())
    registry.learn("Favorite color", "blue")
    assert registry.learn("Favorite Color", "42") is AttributeType.NUMBER
    assert registry.type_of("favorite color") is None
    assert registry.names() == ["Favorite Color", "Favorite color"]


def test_learn_all_reports_only_new_types_first_value_winning() -> None:
    registry = SchemaRegistry(MemorySchemaStorage(types={"age": AttributeType.NUMBER}))
    learned = registry.learn_all([("age", "x"), ("VIP", "true"), ("VIP", "7"), ("city", "Oslo")])
    assert learned == {"VIP": AttributeType.BOOLEAN, "city": AttributeType.TEXT}
    assert registry.types() == {
        "age": AttributeType.NUMBER,
        "VIP": AttributeType.BOOLEAN,
        "city": AttributeType.TEXT,
    }


def test_registry_loads_what_storage_holds() -> None:
    storage = MemorySchemaStorage()
    SchemaRegistry(storage).learn("age", "24")
    SchemaRegistry(storage).set_allowed_values("Shirt size", ["S", "M"])
    reloaded = SchemaRegistry(storage)
    assert reloaded.type_of("age") is AttributeType.NUMBER
    assert reloaded.allowed_values("Shirt size") == ("S", "M")


def test_a_failed_catalog_save_leaves_the_registry_unchanged() -> None:
    registry = SchemaRegistry(FailingStorage())
    with pytest.raises(OSError):
        registry.set_allowed_values("Shirt size", ["S"])
    assert registry.allowed_values("Shirt size") is None


def test_a_failed_type_save_keeps_the_type_and_tries_again_with_the_next(caplog) -> None:
    # The type is Attentive's whatever our disk says, and the lookup that taught it worked.
    storage = FailingStorage()
    registry = SchemaRegistry(storage)
    assert registry.learn("age", "24") is AttributeType.NUMBER
    assert registry.type_of("age") is AttributeType.NUMBER
    assert "Could not save 1 learned attribute types" in caplog.text
    storage.save_types = MemorySchemaStorage.save_types.__get__(storage)  # the disk has room
    registry.learn_all([("vip", "true")])
    assert storage.load_types() == {"age": AttributeType.NUMBER, "vip": AttributeType.BOOLEAN}


def test_learning_saves_once_per_lookup() -> None:
    storage = RecordingStorage()
    batches: list[dict[str, AttributeType]] = []
    storage.save_types = lambda types: batches.append(dict(types))  # type: ignore[method-assign]
    registry = SchemaRegistry(storage)
    registry.learn_all([("age", "24"), ("vip", "true"), ("age", "abc"), ("", "x")])
    registry.learn_all([("age", "25")])  # nothing new: nothing written
    assert batches == [{"age": AttributeType.NUMBER, "vip": AttributeType.BOOLEAN}]


class BlockedStorage(MemorySchemaStorage):
    """A storage whose writes wait until released, like a database another thread is writing."""

    def __init__(self) -> None:
        super().__init__()
        self.writing, self.release = threading.Event(), threading.Event()

    def save_types(self, types) -> None:
        self.writing.set()
        assert self.release.wait(10)
        super().save_types(types)

    def save_catalog_entry(self, name: str, values: tuple[str, ...]) -> None:
        self.writing.set()
        assert self.release.wait(10)
        super().save_catalog_entry(name, values)


@pytest.mark.parametrize("change", ["learn", "catalog"])
def test_reading_never_waits_for_a_save_under_way(change: str) -> None:
    storage = BlockedStorage()
    registry = SchemaRegistry(storage)
    if change == "learn":
        writer = threading.Thread(target=registry.learn_all, args=([("age", "24")],))
    else:
        writer = threading.Thread(target=registry.set_allowed_values, args=("Size", ["S"]))
    writer.start()
    try:
        assert storage.writing.wait(10)
        # The save is held up; the UI thread's reads answer at once (no lock held meanwhile).
        assert registry.type_of("age") is (AttributeType.NUMBER if change == "learn" else None)
        assert registry.allowed_values("Size") is None
        assert registry.names() == (["age"] if change == "learn" else [])
    finally:
        storage.release.set()
        writer.join(10)
    assert registry.allowed_values("Size") == (None if change == "learn" else ("S",))


def test_adopted_catalog_entries_are_known_without_being_saved() -> None:
    storage = RecordingStorage()
    registry = SchemaRegistry(storage)
    registry.adopt_catalog({"Shirt size": ("S", "M")})
    assert registry.allowed_values("Shirt size") == ("S", "M")
    assert storage.load_catalog() == {}


def test_catalog_round_trip() -> None:
    storage = MemorySchemaStorage()
    registry = SchemaRegistry(storage)
    assert registry.allowed_values("Shirt size") is None
    stored = registry.set_allowed_values("Shirt size", [" S", "M", "", "M", "L "])
    assert stored == ("S", "M", "L")
    assert registry.allowed_values("Shirt size") == ("S", "M", "L")
    assert registry.catalog() == {"Shirt size": ("S", "M", "L")}
    assert storage.load_catalog() == {"Shirt size": ("S", "M", "L")}
    registry.set_allowed_values("Shirt size", ["XL"])
    assert registry.allowed_values("Shirt size") == ("XL",)
    registry.remove_catalog_entry("Shirt size")
    registry.remove_catalog_entry("unknown")
    assert registry.allowed_values("Shirt size") is None
    assert storage.load_catalog() == {}


def test_catalog_values_keep_their_case() -> None:
    registry = SchemaRegistry(MemorySchemaStorage())
    registry.set_allowed_values("Tier", ["Gold", "gold"])
    assert registry.allowed_values("Tier") == ("Gold", "gold")
    assert registry.allowed_values("tier") is None


def test_catalog_names_count_as_known_names() -> None:
    registry = SchemaRegistry(MemorySchemaStorage(types={"age": AttributeType.NUMBER}))
    registry.set_allowed_values("Shirt size", ["S"])
    assert registry.names() == ["Shirt size", "age"]


@pytest.mark.parametrize(
    ("name", "values", "error"),
    [
        ("", ["S"], ValueError),
        ("  ", ["S"], ValueError),
        ("x" * 201, ["S"], ValueError),
        ("Shirt size", [], ValueError),
        ("Shirt size", ["", "  "], ValueError),
        ("Shirt size", "SML", TypeError),
        ("Shirt size", ["S", 1], TypeError),
    ],
)
def test_set_allowed_values_refuses_bad_entries(name: str, values, error: type) -> None:
    registry = SchemaRegistry(MemorySchemaStorage())
    with pytest.raises(error):
        registry.set_allowed_values(name, values)
    assert registry.catalog() == {}


def test_snapshots_are_copies() -> None:
    registry = SchemaRegistry(MemorySchemaStorage(catalog={"Shirt size": ("S",)}))
    registry.catalog()["Shirt size"] = ("XXL",)
    registry.types()["age"] = AttributeType.TEXT
    assert registry.catalog() == {"Shirt size": ("S",)}
    assert registry.type_of("age") is None


def test_registry_drives_validation() -> None:
    registry = SchemaRegistry(MemorySchemaStorage())
    registry.learn_all([("age", "24"), ("Favorite color", "blue")])
    registry.set_allowed_values("Shirt size", ["S", "M"])
    findings = validate_properties(
        {"age": "old", "Favorite Color": "red", "Shirt size": "XS"}, registry
    )
    assert [f.code for f in findings] == ["type-mismatch", "case-collision", "not-allowed-value"]


def test_concurrent_learning_fixes_one_type_per_name() -> None:
    storage = RecordingStorage()
    registry = SchemaRegistry(storage)
    start = threading.Barrier(8)
    results: list[AttributeType | None] = []
    results_lock = threading.Lock()

    def worker(index: int) -> None:
        start.wait()
        for n in range(200):
            value = "24" if index % 2 else "text"
            fixed = registry.learn(f"attr{n}", value)
            registry.names()
            with results_lock:
                results.append(fixed)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len([r for r in results if r is not None]) == 200
    assert len(storage.saved_types) == 200
    assert sorted(name for name, _ in storage.saved_types) == sorted(f"attr{n}" for n in range(200))
    for name, saved in storage.saved_types:
        assert registry.type_of(name) is saved
