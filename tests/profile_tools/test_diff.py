from __future__ import annotations

from attentive_desktop.core.attributes import AttributeType
from attentive_desktop.core.diff import ChangeKind, RevertPlan, diff_properties, revert_plan
from attentive_desktop.core.schema import MemorySchemaStorage, SchemaRegistry

CURRENT = [("Favorite color", "blue"), ("VIP", "true"), ("age", "36")]


def registry() -> SchemaRegistry:
    schema = SchemaRegistry(MemorySchemaStorage())
    schema.learn_all([*CURRENT, ("Gift card balance", "0")])
    schema.set_allowed_values("Shirt size", ["S", "M", "L"])
    return schema


def test_rows_for_change_unchanged_addition_and_new_attribute() -> None:
    edits = {
        "Favorite color": "green",
        "VIP": "true",
        "Gift card balance": "12.50",
        "Shirt size": "M",
        "Points": "120",
    }
    diff = diff_properties(CURRENT, edits, registry())
    kinds = {r.name: r.kind for r in diff.rows}
    assert kinds == {
        "Favorite color": ChangeKind.CHANGE,
        "VIP": ChangeKind.UNCHANGED,
        "Gift card balance": ChangeKind.ADD,
        "Shirt size": ChangeKind.ADD,
        "Points": ChangeKind.NEW_ATTRIBUTE,
    }
    color = diff.row("Favorite color")
    assert (color.current, color.new) == ("blue", "green")
    assert diff.row("Gift card balance").current is None
    points = diff.row("Points")
    assert points.type is AttributeType.NUMBER
    assert points.note == "creates a new attribute: its type will be Number from now on"
    assert "new attribute" not in diff.row("Gift card balance").note
    assert diff.new_attributes == ("Points",)
    assert [r.name for r in diff.rows] == list(edits)  # order of the edits


def test_unchanged_values_are_sent_only_when_asked() -> None:
    diff = diff_properties(CURRENT, {"VIP": True, "age": 37, "Favorite color": "blue"})
    assert diff.row("VIP").kind is ChangeKind.UNCHANGED  # True goes on the wire as "true"
    assert diff.to_send() == {"age": "37"}
    assert diff.to_send(include_unchanged=True) == {
        "VIP": "true",
        "age": "37",
        "Favorite color": "blue",
    }
    assert diff.summary() == "1 change, 2 unchanged values (not sent)."
    nothing = diff_properties(CURRENT, {"VIP": "true"})
    assert not nothing.has_changes and nothing.to_send() == {}


def test_different_spelling_is_a_change_and_case_twins_are_pointed_out() -> None:
    diff = diff_properties(CURRENT, {"VIP": "TRUE", "favorite color": "red"}, registry())
    assert diff.row("VIP").kind is ChangeKind.CHANGE
    twin = diff.row("favorite color")
    assert twin.kind is ChangeKind.NEW_ATTRIBUTE
    assert "differs only in letter case from this user's 'Favorite color'" in twin.note


def test_without_a_schema_every_name_the_user_lacks_is_new() -> None:
    diff = diff_properties({}, {"birthday": "1986-11-16", "note": "hi"})
    assert [r.kind for r in diff.rows] == [ChangeKind.NEW_ATTRIBUTE] * 2
    assert diff.row("birthday").note.endswith("its type will be Date from now on")
    assert diff.row("note").type is AttributeType.TEXT


def test_revert_plan_keeps_replaced_values_and_names_what_cannot_be_removed() -> None:
    plan = revert_plan(CURRENT, {"Favorite color": "green", "VIP": "true", "Points": "120"})
    assert plan == RevertPlan({"Favorite color": "blue"}, ("Points",))
    assert plan.possible
    sentences = plan.sentences()
    assert sentences[0] == "Revert sends back the previous values of 'Favorite color'."
    assert sentences[1].startswith(
        "'Points' did not exist on this user before: it cannot be removed"
    )
    assert "through this API" in plan.message()


def test_revert_plan_preview_and_later_changes() -> None:
    plan = revert_plan(CURRENT, {"Favorite color": "green", "age": "40"})
    now = [("Favorite color", "green"), ("VIP", "true"), ("age", "41")]
    preview = plan.preview(now)
    assert preview.to_send() == {"Favorite color": "blue", "age": "36"}
    assert plan.changed_since(now, {"Favorite color": "green", "age": "40"}) == {"age": "41"}
    only_new = revert_plan({}, {"Points": "1"})
    assert not only_new.possible
    assert only_new.sentences()[0] == "There is no previous value to send back."
