"""The property editor's model, without widgets: live types, checks, paste, send states."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from attentive_desktop.core.attributes import AttributeType
from attentive_desktop.core.identifiers import UserRef
from attentive_desktop.core.schema import MemorySchemaStorage, SchemaRegistry
from attentive_desktop.gui.property_model import (
    CHECK,
    CURRENT,
    NAME,
    TYPE,
    VALUE,
    AllowedValuesRole,
    FindingsRole,
    PropertyTableModel,
    RowStateRole,
    SeverityRole,
)
from attentive_desktop.gui.property_row import RowState

DISPLAY = Qt.ItemDataRole.DisplayRole


@pytest.fixture
def registry():
    storage = MemorySchemaStorage(
        types={"age": AttributeType.NUMBER},
        catalog={"Shirt size": ("S", "M", "L", "XL")},
    )
    return SchemaRegistry(storage)


@pytest.fixture
def model(qtmodeltester, registry):
    model = PropertyTableModel(registry)
    yield model
    qtmodeltester.check(model)


def cell(model, row, column, role=DISPLAY):
    return model.data(model.index(row, column), role)


def edit(model, row, column, text):
    assert model.setData(model.index(row, column), text, Qt.ItemDataRole.EditRole)


def codes(model, row):
    return [f.code for f in cell(model, row, CHECK, FindingsRole)]


def test_editing_value_updates_type_and_check_of_that_row(model):
    row = model.add_row("visits")
    changes = []
    model.dataChanged.connect(lambda tl, br, roles: changes.append((tl.row(), tl.column(), br)))
    for value, expected in [
        ("24", "Number"),
        ("50.89", "Number"),
        ("TRUE", "Boolean"),
        ("2021-04-23T16:04:33Z", "Date"),
        ("gold", "Text"),
    ]:
        changes.clear()
        edit(model, row, VALUE, value)
        assert cell(model, row, TYPE) == expected
        assert cell(model, row, CHECK) == "OK"
        assert any(r == row and c <= TYPE and br.column() >= CHECK for r, c, br in changes)
    assert cell(model, row, VALUE) == "gold"
    assert cell(model, row, VALUE, Qt.ItemDataRole.EditRole) == "gold"


def test_fixed_type_from_registry_and_mismatch_warning(model):
    row = model.add_row("age", "24")
    assert cell(model, row, TYPE) == "Number (fixed)"
    assert cell(model, row, CHECK) == "OK"
    edit(model, row, VALUE, "twenty")
    assert codes(model, row) == ["type-mismatch"]
    assert cell(model, row, CHECK, SeverityRole) == "warning"
    assert "Number attribute" in cell(model, row, CHECK)
    assert not model.has_errors()
    assert [f.code for f in model.warnings()] == ["type-mismatch"]


def test_same_name_twice_is_an_error_on_both_rows(model):
    model.add_row("tier", "gold")
    model.add_row("tier", "silver")
    assert model.has_errors()
    for row in (0, 1):
        assert codes(model, row)[0] == "duplicate-name"
        assert cell(model, row, CHECK).startswith("'tier' appears twice")
        assert cell(model, row, CHECK, SeverityRole) == "error"
    edit(model, 1, NAME, "level")
    assert not model.has_errors()
    assert cell(model, 0, CHECK) == "OK"


def test_case_collisions_with_registry_and_other_rows_are_warnings(model):
    model.add_row("Age", "30")
    model.add_row("Favorite color", "red")
    model.add_row("Favorite Color", "blue")
    assert codes(model, 0) == ["case-collision"]
    assert "did you mean 'age'" in cell(model, 0, CHECK)
    assert "case-collision" in codes(model, 2)
    assert not model.has_errors()
    assert {f.property for f in model.warnings()} >= {"Age", "Favorite Color"}


def test_array_typed_as_text_is_an_error(model):
    row = model.add_row("tags", '["a","b"]')
    assert codes(model, row) == ["json-array-text"]
    assert model.has_errors()
    colour = cell(model, row, CHECK, Qt.ItemDataRole.ForegroundRole)
    assert isinstance(colour, QColor)


def test_catalog_values_are_offered_and_enforced(model):
    row = model.add_row("Shirt size", "XXL")
    assert cell(model, row, VALUE, AllowedValuesRole) == ("S", "M", "L", "XL")
    assert "Allowed values: S, M, L, XL" in cell(model, row, VALUE, Qt.ItemDataRole.ToolTipRole)
    assert codes(model, row) == ["not-allowed-value"]
    assert cell(model, row, TYPE, DISPLAY) == "Choice (4 values)"
    edit(model, row, VALUE, "M")
    assert codes(model, row) == []
    other = model.add_row("city", "Paris")
    assert cell(model, other, VALUE, AllowedValuesRole) is None


def test_properties_are_named_rows_as_typed(model):
    model.add_row("age", "007")
    model.add_row("VIP", "TRUE")
    model.add_row()  # blank rows are ignored entirely
    model.add_row("", "orphan value")
    assert model.properties() == {"age": "007", "VIP": "TRUE"}
    assert codes(model, 2) == []
    assert cell(model, 2, CHECK) == ""
    assert codes(model, 3) == ["empty-name"]
    assert model.has_errors()


def test_tooltip_and_accessible_text_carry_every_finding(model):
    row = model.add_row(" tags ", '["a"] ')
    tooltip = cell(model, row, CHECK, Qt.ItemDataRole.ToolTipRole)
    findings = cell(model, row, CHECK, FindingsRole)
    assert len(findings) >= 2
    for finding in findings:
        assert finding.message in tooltip
    assert "Error: " in tooltip and "Warning: " in tooltip
    accessible = cell(model, row, CHECK, Qt.ItemDataRole.AccessibleTextRole)
    assert accessible.startswith("Check: ")
    assert cell(model, row, NAME, Qt.ItemDataRole.AccessibleTextRole) == "Name:  tags "


def test_only_name_and_value_are_editable(model):
    model.add_row("a", "1")
    for column in range(model.columnCount()):
        editable = bool(model.flags(model.index(0, column)) & Qt.ItemFlag.ItemIsEditable)
        assert editable == (column in (NAME, VALUE))
    assert not model.setData(model.index(0, TYPE), "Text", Qt.ItemDataRole.EditRole)
    assert model.headerData(CHECK, Qt.Orientation.Horizontal) == "Check"


def test_paste_adds_and_updates_rows(model):
    model.add_row()
    count = model.paste_text("Name\tValue\nage\t24\nVIP=true\n\nnickname = Ada L\r\n")
    assert count == 3
    assert model.rowCount() == 3, "the blank row was filled first"
    assert model.properties() == {"age": "24", "VIP": "true", "nickname": "Ada L"}
    assert model.paste_text("age=25") == 1
    assert model.rowCount() == 3
    assert model.properties()["age"] == "25"
    assert model.paste_text("\n\n") == 0


def test_remove_rows(model):
    for name in "abcde":
        model.add_row(name, "1")
    model.remove_rows([3, 1, 1, 99])
    assert list(model.properties()) == ["a", "c", "e"]


def test_set_current_fills_current_column_only(model):
    model.add_row("age", "31")
    model.add_row("tier", "gold")
    assert cell(model, 0, CURRENT) == ""
    model.set_current([("age", "30"), ("city", "Paris")])
    assert model.rowCount() == 2
    assert cell(model, 0, CURRENT) == "30"
    assert cell(model, 1, CURRENT) == "—"
    assert model.current() == {"age": "30", "city": "Paris"}


def test_set_current_rechecks_with_types_learned_meanwhile(model, registry):
    row = model.add_row("points", "many")
    assert codes(model, row) == []
    registry.learn("points", "12")
    model.set_current({"points": "12"})
    assert cell(model, row, TYPE) == "Number (fixed)"
    assert codes(model, row) == ["type-mismatch"]


def test_request_body_is_the_exact_json(model):
    model.add_row("age", "24")
    model.add_row("VIP", "TRUE")
    user = UserRef.parse(phone="+14155550100")
    body = json.loads(model.request_body(user))
    assert body == {"properties": {"age": "24", "VIP": "TRUE"}, "user": {"phone": "+14155550100"}}


def test_send_states_then_verification(model):
    model.add_row("age", "24")
    model.add_row("tier", "gold")
    model.add_row("VIP", "TRUE")
    model.mark_pending()
    assert cell(model, 0, CHECK) == "Sending…"
    model.mark_sent()
    assert [cell(model, r, CHECK) for r in range(3)] == ["Sent"] * 3
    assert cell(model, 0, CHECK, RowStateRole) is RowState.SENT
    model.mark_verified({"age": "24", "tier": "silver"})
    assert cell(model, 0, CHECK) == "Verified"
    assert cell(model, 0, CHECK, SeverityRole) == "ok"
    assert cell(model, 1, CHECK) == "Stored as 'silver'"
    assert cell(model, 1, CHECK, RowStateRole) is RowState.MISMATCH
    assert cell(model, 2, CHECK) == "Not stored"
    assert cell(model, 1, CURRENT) == "silver"
    edit(model, 1, VALUE, "platinum")
    assert cell(model, 1, CHECK) == "OK", "a new edit forgets the old send state"
    model.clear_marks()
    assert cell(model, 0, CHECK, RowStateRole) is RowState.NONE


def test_findings_changed_signal_and_clear(qtbot, model):
    model.add_row("a", "1")
    model.set_current({"a": "1"})
    with qtbot.waitSignal(model.findingsChanged, timeout=1000):
        edit(model, 0, VALUE, "2")
    with qtbot.waitSignal(model.modelReset, timeout=1000):
        model.clear()
    assert model.rowCount() == 0
    assert model.current() == {}
    assert model.findings() == []
