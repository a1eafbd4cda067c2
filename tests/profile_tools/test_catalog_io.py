from __future__ import annotations

import json
from pathlib import Path

import pytest

from attentive_desktop.core.catalog_io import (
    CatalogFileError,
    catalog_to_csv,
    catalog_to_json,
    export_catalog,
    import_catalog,
    parse_catalog_csv,
    parse_catalog_json,
)
from attentive_desktop.core.schema import MemorySchemaStorage, SchemaRegistry

CATALOG = {
    "Shirt size": ("S", "M", "L", "XL"),
    "Loyalty tier": ("Bronze", "Silver, plus", 'Gold "VIP"', "Platinum"),
    "Café": ("Crème", "Noir"),
}


@pytest.mark.parametrize("suffix", [".json", ".csv"])
def test_round_trip_through_a_file(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"catalog{suffix}"
    export_catalog(CATALOG, path)
    imported = import_catalog(path)
    assert imported.entries == CATALOG
    assert imported.skipped == () and imported.warnings == ()


def test_export_formats_are_stable_and_readable() -> None:
    document = json.loads(catalog_to_json(CATALOG))
    assert document["format"] == "attentive-desktop-catalog" and document["version"] == 1
    assert [p["name"] for p in document["properties"]] == ["Café", "Loyalty tier", "Shirt size"]
    lines = catalog_to_csv({"Shirt size": ("S", "M")}).splitlines()
    assert lines == ["property,value", "Shirt size,S", "Shirt size,M"]


def test_lenient_json_shapes_and_custom_input_entries() -> None:
    plain = parse_catalog_json('{"Shirt size": ["S", " M ", "S"], "Preferred store": null}')
    assert plain.entries == {"Shirt size": ("S", "M")}
    assert plain.skipped == ("Preferred store",)
    assert any("listed twice" in w for w in plain.warnings)
    listed = parse_catalog_json(
        b'\xef\xbb\xbf[{"name": "Tier", "values": ["A"]}, {"name": "Store", "customInput": true}]'
    )
    assert listed.entries == {"Tier": ("A",)} and listed.skipped == ("Store",)


def test_csv_header_variants_blank_lines_and_custom_input_rows() -> None:
    text = "Name,Value,Comment\r\nShirt size,S,x\r\n\r\nShirt size,M,\r\nPreferred store,,\r\n"
    result = parse_catalog_csv(text)
    assert result.entries == {"Shirt size": ("S", "M")}
    assert result.skipped == ("Preferred store",)
    assert result.warnings == ("Columns ignored: Comment.",)


@pytest.mark.parametrize(
    ("parse", "data", "expected"),
    [
        (parse_catalog_json, "", "The file is empty."),
        (parse_catalog_json, "{not json", "The file is not valid JSON (line 1)"),
        (parse_catalog_json, '"text"', "must hold a JSON object or list"),
        (parse_catalog_json, '{"format": "other", "properties": []}', "not a catalog file"),
        (parse_catalog_json, '{"format": "attentive-desktop-catalog", "version": 9}', "version 9"),
        (parse_catalog_json, '[{"name": "", "values": ["a"]}]', "Entry 1: the property name is"),
        (parse_catalog_json, '[{"name": "T", "values": "a"}]', '"values" must be a list'),
        (parse_catalog_json, '[{"name": "T", "values": [1]}]', "every value must be text"),
        (parse_catalog_json, "[]", "The file holds no properties."),
        (parse_catalog_json, b"\xff\xfe{}", "not UTF-8 text"),
        (parse_catalog_csv, "size,colour\nS,red\n", "Line 1 must be the header row"),
        (parse_catalog_csv, "property,value\n,S\n", "Line 2: the property name is missing."),
        (parse_catalog_csv, 'property,value\nT,"unclosed\n', "not valid CSV"),
    ],
)
def test_bad_files_get_clear_messages(parse, data, expected: str) -> None:
    with pytest.raises(CatalogFileError) as info:
        parse(data)
    assert expected in str(info.value)


def test_every_problem_is_collected_and_long_names_are_refused() -> None:
    long_name = "x" * 201
    data = json.dumps(
        [
            {"name": long_name, "values": ["a"]},
            {"name": "T", "values": ["a"]},
            {"name": "T", "values": ["b"]},
        ]
    )
    with pytest.raises(CatalogFileError) as info:
        parse_catalog_json(data)
    assert len(info.value.problems) == 2
    assert "201 characters long" in info.value.problems[0]
    assert "appears twice" in info.value.problems[1]
    assert str(info.value).endswith("(1 more problem.)")


def test_unknown_extension_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"\.json or \.csv"):
        export_catalog(CATALOG, tmp_path / "catalog.xlsx")


def test_changes_preview_and_apply_to_the_registry() -> None:
    registry = SchemaRegistry(MemorySchemaStorage())
    registry.set_allowed_values("Shirt size", ["S", "M"])
    registry.set_allowed_values("Old", ["x"])
    registry.set_allowed_values("Café", ["Crème", "Noir"])
    imported = parse_catalog_json(catalog_to_json(CATALOG))
    changes = imported.changes(registry.catalog())
    assert changes.added == ("Loyalty tier",)
    assert changes.changed == ("Shirt size",)
    assert changes.unchanged == ("Café",)
    assert changes.not_in_file == ("Old",)
    imported.apply(registry)
    assert registry.allowed_values("Shirt size") == CATALOG["Shirt size"]
    assert registry.allowed_values("Old") == ("x",)
    imported.apply(registry, replace=True)
    assert registry.allowed_values("Old") is None
    assert registry.catalog() == CATALOG
