from __future__ import annotations

from attentive_desktop.core.attributes import AttributeType
from attentive_desktop.store.database import Database
from attentive_desktop.store.schema_store import SqliteSchemaStorage


def test_types_round_trip_per_account_and_first_value_wins(db: Database) -> None:
    main = SqliteSchemaStorage(db, "Main")
    other = SqliteSchemaStorage(db, "Other")
    # one batch; case-sensitive: "Age" is a different attribute
    main.save_types({"age": AttributeType.NUMBER, "Age": AttributeType.TEXT})
    main.save_types({"age": AttributeType.TEXT, "city": AttributeType.TEXT})  # age: ignored
    other.save_types({"age": AttributeType.DATE})
    assert main.load_types() == {
        "age": AttributeType.NUMBER,
        "Age": AttributeType.TEXT,
        "city": AttributeType.TEXT,
    }
    assert other.load_types() == {"age": AttributeType.DATE}
    assert SqliteSchemaStorage(db, "Main").load_types() == main.load_types()


def test_unknown_type_labels_are_skipped(db: Database) -> None:
    db.connect().execute(
        "INSERT INTO schema_types VALUES ('Main', 'future', 'Geo', 0), "
        "('Main', 'vip', 'Boolean', 0)"
    )
    assert SqliteSchemaStorage(db, "Main").load_types() == {"vip": AttributeType.BOOLEAN}


def test_catalog_round_trip_replace_and_delete(db: Database) -> None:
    main = SqliteSchemaStorage(db, "Main")
    other = SqliteSchemaStorage(db, "Other")
    main.save_catalog_entry("Shirt size", ("S", "M", "L", "XL"))
    main.save_catalog_entry("Tier", ("Gold", "Silver"))
    other.save_catalog_entry("Shirt size", ("One size",))
    assert main.load_catalog() == {"Shirt size": ("S", "M", "L", "XL"), "Tier": ("Gold", "Silver")}
    main.save_catalog_entry("Tier", ("Platinum", "Gold", "Ünïcode"))
    main.delete_catalog_entry("Shirt size")
    main.delete_catalog_entry("never existed")
    assert SqliteSchemaStorage(db, "Main").load_catalog() == {
        "Tier": ("Platinum", "Gold", "Ünïcode")
    }
    assert other.load_catalog() == {"Shirt size": ("One size",)}


def test_registry_over_sqlite_storage_survives_a_restart(db: Database) -> None:
    from attentive_desktop.core.schema import SchemaRegistry

    registry = SchemaRegistry(SqliteSchemaStorage(db, "Main"))
    registry.learn_all([("age", "24"), ("VIP", "TRUE"), ("age", "old")])
    registry.set_allowed_values("Shirt size", ["S", "M"])
    again = SchemaRegistry(SqliteSchemaStorage(db, "Main"))
    assert again.type_of("age") is AttributeType.NUMBER
    assert again.type_of("VIP") is AttributeType.BOOLEAN
    assert again.allowed_values("Shirt size") == ("S", "M")
    assert SchemaRegistry(SqliteSchemaStorage(db, "Other")).names() == []
