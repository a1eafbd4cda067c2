"""RowUndo over the property model: removing and pasting rows can be taken back (no widgets)."""

from __future__ import annotations

from attentive_desktop.gui.property_model import PropertyTableModel
from attentive_desktop.gui.row_undo import RowUndo


def rows(model: PropertyTableModel) -> list[tuple[str, str, bool]]:
    return [(r.name, r.value, r.from_lookup) for r in map(model.row, range(model.rowCount()))]


def edited_model() -> tuple[PropertyTableModel, RowUndo]:
    model = PropertyTableModel()
    model.add_row("Favorite color", "teal")
    model.add_row("Newsletter", "weekly")
    return model, RowUndo(model)


def test_a_removal_is_undone_in_place_and_says_what_it_undid(qtbot):
    model, undo = edited_model()
    with qtbot.waitSignal(undo.changed) as offered:
        model.remove_rows([0])
    assert offered.args == ["remove rows"]
    assert rows(model) == [("Newsletter", "weekly", False)]
    with qtbot.waitSignal(undo.changed) as after:
        assert undo.undo() == "remove rows"
    assert after.args == [""]
    assert rows(model) == [("Favorite color", "teal", False), ("Newsletter", "weekly", False)]
    assert undo.undo() == ""  # nothing more


def test_a_paste_over_a_typed_value_is_undone(qtbot):
    model, undo = edited_model()
    assert model.paste_text("Newsletter\tdaily\nShirt note=fits large") == 2
    assert undo.next == "paste"
    undo.undo()
    assert rows(model) == [("Favorite color", "teal", False), ("Newsletter", "weekly", False)]
    assert model.properties() == {"Favorite color": "teal", "Newsletter": "weekly"}


def test_undo_keeps_the_lookups_values_listed_below_the_rows(qtbot):
    model, undo = edited_model()
    model.set_current({"Favorite color": "blue", "VIP": "true"})
    model.remove_rows([0])  # the edit goes; what the user has shows again, listed
    assert rows(model) == [
        ("Newsletter", "weekly", False),
        ("Favorite color", "blue", True),
        ("VIP", "true", True),
    ]
    undo.undo()
    assert rows(model) == [
        ("Favorite color", "teal", False),
        ("Newsletter", "weekly", False),
        ("VIP", "true", True),
    ]


def test_several_steps_undo_newest_first_up_to_the_limit(qtbot):
    model, undo = edited_model()
    model.paste_text("A=1\nB=2")
    model.remove_rows([0])
    assert undo.next == "remove rows"
    undo.undo()
    assert undo.next == "paste"
    undo.undo()
    assert model.properties() == {"Favorite color": "teal", "Newsletter": "weekly"}
    for index in range(RowUndo.LIMIT + 5):
        model.paste_text(f"Row {index}=x")
    steps = 0
    while undo.undo():
        steps += 1
    assert steps == RowUndo.LIMIT


def test_removing_only_blank_or_looked_up_rows_keeps_no_undo_step(qtbot):
    model = PropertyTableModel()
    undo = RowUndo(model)
    model.add_row()  # blank
    model.set_current({"VIP": "true"})
    model.remove_rows(range(model.rowCount()))
    assert undo.next == ""


def test_a_reset_by_the_app_forgets_older_steps(qtbot):
    model, undo = edited_model()
    model.remove_rows([0])
    with qtbot.waitSignal(undo.changed) as forgot:
        model.clear()  # a restored draft or a replayed request replaced the rows
    assert forgot.args == [""]
    assert undo.undo() == ""
    assert rows(model) == []
