"""The property editor's model, without widgets: live types, checks, paste, send states."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from attentive_desktop.core.attributes import AttributeType
from attentive_desktop.core.identifiers import UserRef
from attentive_desktop.core.schema import MemorySchemaStorage, SchemaRegistry
from attentive_desktop.core.verify import verify_sent
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
from attentive_desktop.gui.property_row import PropertyRow, RowState, listed_position

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


def names(model):
    return [cell(model, r, NAME) for r in range(model.rowCount())]


def looked_up(model):
    return [model.row(r).from_lookup for r in range(model.rowCount())]


def test_set_current_fills_current_column_and_lists_the_other_attributes(model):
    model.add_row("age", "31")
    model.add_row("tier", "gold")
    assert cell(model, 0, CURRENT) == ""
    model.set_current([("age", "30"), ("city", "Paris"), ("Bio", "")])
    assert model.current() == {"age": "30", "city": "Paris", "Bio": ""}
    assert [cell(model, 0, CURRENT), cell(model, 1, CURRENT)] == ["30", "—"]
    # What the user has and no row names comes after the rows, sorted by name, muted.
    assert names(model) == ["age", "tier", "Bio", "city"]
    assert looked_up(model) == [False, False, True, True]
    assert [cell(model, 3, c) for c in (VALUE, CURRENT, CHECK)] == ["Paris", "Paris", ""]
    assert cell(model, 3, CHECK, Qt.ItemDataRole.AccessibleTextRole) == "Check: not changed"
    assert "Change it to send" in cell(model, 3, VALUE, Qt.ItemDataRole.ToolTipRole)
    assert cell(model, 3, NAME, Qt.ItemDataRole.ForegroundRole) != cell(
        model, 0, NAME, Qt.ItemDataRole.ForegroundRole
    )
    # Never sent, never checked, never counted as an edit.
    assert model.properties() == {"age": "31", "tier": "gold"}
    assert codes(model, 2) == [] and codes(model, 3) == []


def test_a_looked_up_value_becomes_an_edit_once_changed(model):
    model.set_current({"city": "Paris", "VIP": "true"})
    assert model.properties() == {}
    flags = model.flags(model.index(0, NAME))
    assert not flags & Qt.ItemFlag.ItemIsEditable  # the user's attribute: add a row for another
    assert not model.setData(model.index(0, NAME), "VIP2", Qt.ItemDataRole.EditRole)
    assert model.flags(model.index(0, VALUE)) & Qt.ItemFlag.ItemIsEditable
    edit(model, 0, VALUE, "Lyon")  # rows: city, VIP
    assert names(model) == ["city", "VIP"]  # in place: the row does not jump
    assert looked_up(model) == [False, True]
    assert model.properties() == {"city": "Lyon"}
    assert cell(model, 0, CURRENT) == "Paris"


def test_new_rows_go_above_the_looked_up_ones_and_a_named_row_replaces_its_own(model):
    model.set_current({"city": "Paris", "VIP": "true"})
    assert model.add_row() == 0  # Add row: above what the lookup listed
    assert model.add_row("city", "Paris") == 1  # the user's row of that name takes the value
    assert looked_up(model) == [False, False, True]
    assert model.properties() == {"city": "Paris"}  # an edit now, even with the same value
    edit(model, 0, NAME, "VIP")  # naming a row after a listed attribute: no duplicate row
    assert names(model) == ["VIP", "city"] and looked_up(model) == [False, False]
    assert cell(model, 0, CURRENT) == "true"
    assert model.paste_text("Tier=gold") == 1
    assert names(model) == ["VIP", "city", "Tier"]


def test_pasting_a_listed_name_edits_that_row(model):
    model.set_current({"city": "Paris", "VIP": "true"})
    model.paste_text("city\tLyon\nage=30")
    assert names(model) == ["city", "age", "VIP"]
    assert looked_up(model) == [False, False, True]
    assert model.properties() == {"city": "Lyon", "age": "30"}


def test_removing_an_edit_lists_the_looked_up_value_again_in_its_place(model):
    model.set_current({"age": "36", "city": "Paris", "VIP": "true"})
    model.add_row("tier", "gold")
    edit(model, 2, VALUE, "Lyon")  # rows: tier, age, city (now an edit), VIP
    model.add_row("Zip", "75001")
    assert names(model) == ["tier", "Zip", "age", "city", "VIP"]
    model.add_row("age", "37")  # the listed row of that name takes the value, in place
    model.remove_rows([3])  # the city edit: Paris, what the user has, shows again
    assert names(model) == ["tier", "Zip", "age", "city", "VIP"]
    assert looked_up(model) == [False, False, False, True, True]
    assert cell(model, 3, VALUE) == "Paris"
    model.remove_rows([0, 2])  # tier was never looked up; age was: listed again, sorted
    assert names(model) == ["Zip", "age", "city", "VIP"]
    assert looked_up(model) == [False, True, True, True]
    assert cell(model, 1, VALUE) == "36" and model.properties() == {"Zip": "75001"}
    model.remove_rows([3])  # a listed row the user removes stays removed
    assert names(model) == ["Zip", "age", "city"]


def test_a_looked_up_row_is_listed_by_name_ignoring_case_after_the_edits():
    rows = [PropertyRow("zip", "1"), PropertyRow("age", "36", from_lookup=True)]
    rows.append(PropertyRow("City", "Paris", from_lookup=True))
    assert listed_position(rows, "birthday") == 2  # between "age" and "City"
    assert listed_position(rows, "aa") == 1  # before "age"; the edit "zip" does not count
    assert listed_position(rows, "zz") == 3  # after them all


def test_renaming_an_edit_lists_the_value_it_no_longer_edits(model):
    model.set_current({"city": "Paris", "VIP": "true"})
    model.add_row("VIP", "false")  # rows: city, VIP (an edit)
    edit(model, 1, NAME, "VIP tier")
    assert names(model) == ["city", "VIP tier", "VIP"]
    assert looked_up(model) == [True, False, True]
    assert model.properties() == {"VIP tier": "false"}


def test_a_new_lookup_replaces_the_listed_rows_and_keeps_the_edits(model):
    model.set_current({"city": "Paris", "VIP": "true", "tier": "gold"})
    edit(model, 1, VALUE, "silver")  # rows: city, tier, VIP
    model.set_current({"city": "Oslo", "age": "44"})  # another user (or the re-read)
    assert names(model) == ["city", "tier", "age"]
    assert looked_up(model) == [True, False, True]
    assert cell(model, 0, VALUE) == "Oslo"
    assert cell(model, 1, CURRENT) == "—"  # the edit stays; this user has no tier
    model.set_current([])  # no such user
    assert names(model) == ["tier"]
    model.set_current({"VIP": "false"})
    model.forget_lookup()  # another account: nothing of this user may stay on screen
    assert names(model) == ["tier"] and cell(model, 0, CURRENT) == ""
    assert model.current() == {}


def test_send_marks_and_read_back_leave_listed_rows_alone(model):
    model.set_current({"city": "Paris"})
    model.add_row("tier", "gold")
    model.mark_pending()
    assert model.row(1).state is RowState.NONE
    model.mark_sent()
    read_back = {"city": "Paris", "tier": "gold"}
    model.mark_verification(verify_sent({"tier": "gold"}, read_back), read_back)
    assert [model.row(r).state for r in range(2)] == [RowState.VERIFIED, RowState.NONE]
    assert cell(model, 1, CHECK) == ""
    assert not model.has_errors()


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
    read_back = {"age": "24", "tier": "silver"}
    sent = {"age": "24", "tier": "gold", "VIP": "TRUE"}
    model.mark_verification(verify_sent(sent, read_back), read_back)
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
