"""Import and export the catalog of UI-created properties (name → allowed values).

Files, both UTF-8 (a BOM is accepted on import):

- JSON: ``{"format": "attentive-desktop-catalog", "version": 1, "properties":
  [{"name": "Shirt size", "values": ["S", "M", "L", "XL"]}]}``. On import a bare list of
  such objects, or a plain object ``{"Shirt size": ["S", "M"]}``, is accepted too.
- CSV: a header row ``property,value`` then one row per allowed value, so the file opens
  cleanly in a spreadsheet and values may contain commas. ``name`` is accepted for
  ``property``; columns are matched case-insensitively; other columns are ignored.

"Custom input" properties are not part of the catalog: such a property accepts any value, so
the app treats it like any attribute and there is nothing to store. On import, an entry
marked ``"customInput": true`` or with ``"values": null`` (CSV: a row with an empty value and
no other row for that property) is skipped and listed in `CatalogImport.skipped`.

Bad files raise `CatalogFileError` (a ValueError) whose message names the line or entry and
says what to fix; every problem found is in `problems`. Values are stripped and duplicates
dropped as `SchemaRegistry.set_allowed_values` does, with a warning.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from attentive_desktop.core.attributes import MAX_NAME_LENGTH
from attentive_desktop.core.schema import SchemaRegistry

FORMAT_TAG = "attentive-desktop-catalog"
FORMAT_VERSION = 1
MAX_FILE_BYTES = 5 * 1024 * 1024
CatalogFormat = Literal["json", "csv"]
Catalog = Mapping[str, Iterable[str]]
_NAME_COLUMNS = ("property", "name", "property name")
_VALUE_COLUMNS = ("value", "allowed value")


class CatalogFileError(ValueError):
    """A catalog file that cannot be imported; `problems` lists every problem found."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = tuple(problems) or ("The file could not be read as a catalog.",)
        more = len(self.problems) - 1
        text = self.problems[0] + (
            f" ({more} more problem{'s' if more > 1 else ''}.)" if more else ""
        )
        super().__init__(text)


@dataclass(frozen=True)
class CatalogChanges:
    """How an import compares with the catalog already kept: property names per group."""

    added: tuple[str, ...]
    changed: tuple[str, ...]
    unchanged: tuple[str, ...]
    not_in_file: tuple[str, ...]


@dataclass(frozen=True)
class CatalogImport:
    """A parsed catalog file: `entries` to store, `skipped` Custom input properties, and
    `warnings` about things fixed on the way (duplicate values, blanks, extra columns)."""

    entries: dict[str, tuple[str, ...]]
    skipped: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    def changes(self, existing: Mapping[str, Iterable[str]]) -> CatalogChanges:
        """Compare with `existing` (e.g. `registry.catalog()`) for an import preview."""
        current = {name: tuple(values) for name, values in existing.items()}
        added = [n for n in self.entries if n not in current]
        changed = [n for n in self.entries if n in current and current[n] != self.entries[n]]
        same = [n for n in self.entries if n in current and current[n] == self.entries[n]]
        missing = [n for n in current if n not in self.entries]
        return CatalogChanges(tuple(added), tuple(changed), tuple(same), tuple(missing))

    def apply(self, registry: SchemaRegistry, *, replace: bool = False) -> None:
        """Store the entries in `registry`; with `replace`, also remove entries not in the
        file (otherwise they are kept)."""
        if replace:
            for name in registry.catalog():
                if name not in self.entries:
                    registry.remove_catalog_entry(name)
        for name, values in self.entries.items():
            registry.set_allowed_values(name, values)


# -- export -----------------------------------------------------------------------------------


def _sorted(catalog: Catalog) -> list[tuple[str, tuple[str, ...]]]:
    return sorted(
        ((n, tuple(v)) for n, v in catalog.items()), key=lambda e: (e[0].casefold(), e[0])
    )


def catalog_to_json(catalog: Catalog) -> str:
    """The catalog as the JSON file format, properties sorted by name, values in order."""
    document = {
        "format": FORMAT_TAG,
        "version": FORMAT_VERSION,
        "properties": [{"name": n, "values": list(v)} for n, v in _sorted(catalog)],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def catalog_to_csv(catalog: Catalog) -> str:
    """The catalog as CSV: header ``property,value`` and one row per allowed value."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["property", "value"])
    for name, values in _sorted(catalog):
        for value in values:
            writer.writerow([name, value])
    return out.getvalue()


def format_for(path: str | Path) -> CatalogFormat:
    """ "json" or "csv" from a file name's extension; ValueError for anything else."""
    suffix = Path(path).suffix.lower()
    if suffix in (".json", ".csv"):
        return "json" if suffix == ".json" else "csv"
    raise ValueError(f"Choose a .json or .csv file (not '{Path(path).name}').")


def export_catalog(catalog: Catalog, path: str | Path, format: CatalogFormat | None = None) -> None:
    """Write the catalog to `path` (format from the extension unless given)."""
    kind = format or format_for(path)
    text = catalog_to_json(catalog) if kind == "json" else catalog_to_csv(catalog)
    Path(path).write_text(text, encoding="utf-8", newline="")


# -- import -----------------------------------------------------------------------------------


def import_catalog(path: str | Path, format: CatalogFormat | None = None) -> CatalogImport:
    """Read and check a catalog file; raises CatalogFileError (or OSError if unreadable)."""
    kind = format or format_for(path)
    with open(path, "rb") as handle:
        data = handle.read(MAX_FILE_BYTES + 1)
    return parse_catalog_json(data) if kind == "json" else parse_catalog_csv(data)


def _decode(data: str | bytes) -> str:
    if isinstance(data, str):
        text = data
    else:
        if len(data) > MAX_FILE_BYTES:
            raise CatalogFileError(
                [f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB: not a catalog."]
            )
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise CatalogFileError(
                [f"The file is not UTF-8 text (byte {exc.start + 1}). Save it as UTF-8 and retry."]
            ) from None
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise CatalogFileError(["The file is empty."])
    return text


class _Builder:
    """Collects entries, skipped names, warnings and problems while a file is read."""

    def __init__(self) -> None:
        self.entries: dict[str, list[str]] = {}
        self.custom: list[str] = []
        self.warnings: list[str] = []
        self.problems: list[str] = []

    def check_name(self, name: object, where: str) -> str | None:
        if not isinstance(name, str) or not name.strip():
            self.problems.append(f"{where}: the property name is missing.")
            return None
        if len(name) > MAX_NAME_LENGTH:
            self.problems.append(
                f"{where}: the property name is {len(name)} characters long; "
                f"Attentive allows at most {MAX_NAME_LENGTH}."
            )
            return None
        if name != name.strip():
            self.warnings.append(f"{where}: spaces around '{name.strip()}' were removed.")
        return name.strip()

    def add_value(self, name: str, value: str, where: str) -> None:
        values = self.entries.setdefault(name, [])
        cleaned = value.strip()
        if not cleaned:
            return
        if cleaned in values:
            self.warnings.append(f"{where}: '{cleaned}' is listed twice for '{name}'; kept once.")
            return
        values.append(cleaned)

    def result(self) -> CatalogImport:
        for name, values in list(self.entries.items()):
            if not values:
                del self.entries[name]
                if name not in self.custom:
                    self.custom.append(name)
        if self.problems:
            raise CatalogFileError(self.problems)
        if not self.entries and not self.custom:
            raise CatalogFileError(["The file holds no properties."])
        return CatalogImport(
            {n: tuple(v) for n, v in self.entries.items()},
            tuple(self.custom),
            tuple(self.warnings),
        )


def parse_catalog_json(data: str | bytes) -> CatalogImport:
    """Parse and check the JSON format (see the module docstring)."""
    text = _decode(data)
    try:
        document = json.loads(text)
    except ValueError as exc:
        line = getattr(exc, "lineno", None)
        where = f" (line {line})" if line else ""
        raise CatalogFileError([f"The file is not valid JSON{where}: {exc}."]) from None
    items = _json_items(document)
    builder = _Builder()
    seen: set[str] = set()
    for index, item in enumerate(items, start=1):
        where = f"Entry {index}"
        if not isinstance(item, dict):
            builder.problems.append(f'{where} is not an object with "name" and "values".')
            continue
        name = builder.check_name(item.get("name"), where)
        if name is None:
            continue
        where = f"{where} ('{name}')"
        if name in seen:
            builder.problems.append(f"{where}: the property appears twice; merge its values.")
            continue
        seen.add(name)
        values = item.get("values")
        if item.get("customInput") is True or values is None:
            if values:
                builder.warnings.append(f"{where} is Custom input; its values were ignored.")
            builder.custom.append(name)
            continue
        if isinstance(values, str) or not isinstance(values, list):
            builder.problems.append(f'{where}: "values" must be a list of texts.')
            continue
        if not all(isinstance(v, str) for v in values):
            builder.problems.append(f'{where}: every value must be text (in quotes), e.g. "M".')
            continue
        builder.entries.setdefault(name, [])
        for value in values:
            builder.add_value(name, value, where)
    return builder.result()


def _json_items(document: object) -> list[object]:
    if isinstance(document, list):
        return document
    if not isinstance(document, dict):
        raise CatalogFileError(["The file must hold a JSON object or list of properties."])
    if "properties" in document or "format" in document:
        tag = document.get("format", FORMAT_TAG)
        if tag != FORMAT_TAG:
            raise CatalogFileError([f"This is not a catalog file (format '{tag}')."])
        version = document.get("version", FORMAT_VERSION)
        if version != FORMAT_VERSION:
            raise CatalogFileError(
                [f"This catalog file is version {version}; this app reads version 1."]
            )
        items = document.get("properties")
        if not isinstance(items, list):
            raise CatalogFileError(['"properties" must be a list of {"name", "values"} objects.'])
        return items
    return [
        {"name": name, "values": values, "customInput": values is None}
        for name, values in document.items()
    ]


def parse_catalog_csv(data: str | bytes) -> CatalogImport:
    """Parse and check the CSV format (see the module docstring)."""
    text = _decode(data)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as exc:
        raise CatalogFileError([f"The file is not valid CSV: {exc}."]) from None
    header = [cell.strip().lower() for cell in rows[0]]
    name_col = next((header.index(c) for c in _NAME_COLUMNS if c in header), None)
    value_col = next((header.index(c) for c in _VALUE_COLUMNS if c in header), None)
    if name_col is None or value_col is None:
        raise CatalogFileError(
            [
                "Line 1 must be the header row 'property,value' (found "
                f"'{','.join(rows[0])[:80]}'). Add it, with one allowed value per row below."
            ]
        )
    builder = _Builder()
    extra = [rows[0][i] for i in range(len(header)) if i not in (name_col, value_col)]
    if any(cell.strip() for cell in extra):
        builder.warnings.append(f"Columns ignored: {', '.join(c for c in extra if c.strip())}.")
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        where = f"Line {line}"
        name = builder.check_name(row[name_col] if name_col < len(row) else "", where)
        if name is None:
            continue
        value = row[value_col] if value_col < len(row) else ""
        builder.entries.setdefault(name, [])
        builder.add_value(name, value, where)
    return builder.result()
