"""The lookup form: live phone normalisation, field errors, the phone/email choice."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from attentive_desktop.core.identifiers import InvalidIdentifier
from attentive_desktop.gui.lookup_form import LookupForm

# The offscreen platform says so for every top-level window it shows; not our warning.


@pytest.fixture
def form(qtbot):
    widget = LookupForm("US")
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_phone_is_normalised_live_and_the_result_shown(form, qtbot):
    qtbot.keyClicks(form.phone_edit, "(415) 555-0100")
    assert form.phone_status.isVisible()
    assert "+14155550100" in form.phone_status.text()
    assert form.phone_edit.property("invalid") is False


def test_invalid_phone_is_marked_at_the_field_with_the_reason(form, qtbot):
    qtbot.keyClicks(form.phone_edit, "555")
    assert form.phone_edit.property("invalid") is True
    assert "too short" in form.phone_status.text()  # the reason, not just "not valid"
    assert form.phone_edit.toolTip() == form.phone_status.text()
    with pytest.raises(InvalidIdentifier):
        form.lookup_query()


def test_enter_in_a_field_requests_a_lookup(form, qtbot):
    form.email_edit.setText("ada@example.com")
    with qtbot.waitSignal(form.lookupRequested, timeout=1000):
        qtbot.keyClick(form.email_edit, Qt.Key.Key_Return)


def test_lookup_by_choice_appears_when_both_phone_and_email_are_filled(form):
    form.phone_edit.setText("+14155550100")
    assert form.by_combo.isHidden()
    assert form.lookup_query().field == "phone"
    form.email_edit.setText("Ada@Example.com")
    assert form.by_combo.isVisible()
    form.by_combo.setCurrentIndex(form.by_combo.findData("email"))
    query = form.lookup_query()
    assert (query.field, query.value) == ("email", "Ada@example.com")


def test_custom_identifiers_can_be_added_and_removed(form, qtbot):
    row = form.add_custom_identifier("loyaltyId", "L-1")
    form.client_id_edit.setText("c-9")
    user = form.user_ref()
    assert user.client_user_id == "c-9"
    assert [(c.name, c.value) for c in user.custom_identifiers] == [("loyaltyId", "L-1")]
    qtbot.mouseClick(row.remove_button, Qt.MouseButton.LeftButton)
    assert form.custom_identifier_rows() == []
    assert form.user_ref().custom_identifiers == ()


def test_the_add_button_adds_an_empty_row_in_tab_order(form, qtbot):
    with qtbot.captureExceptions() as raised:
        qtbot.mouseClick(form.add_identifier_button, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(form.add_identifier_button, Qt.MouseButton.LeftButton)
    assert not raised  # clicked(bool) once arrived as the row's name: a TypeError
    first, second = form.custom_identifier_rows()
    assert first.pair() == second.pair() == ("", "")
    assert second.name_edit.hasFocus() or not form.isActiveWindow()
    chain = [form.client_id_edit]
    while len(chain) < 40 and chain[-1] is not form.lookup_button:
        chain.append(chain[-1].nextInFocusChain())
    stops = [w for w in chain if w.focusPolicy() & Qt.FocusPolicy.TabFocus and w.isVisible()]
    assert stops == [
        form.client_id_edit,
        first.name_edit,
        first.value_edit,
        first.remove_button,
        second.name_edit,
        second.value_edit,
        second.remove_button,
        form.add_identifier_button,
        form.lookup_button,
    ]


def test_lookup_without_phone_or_email_says_why(form):
    form.client_id_edit.setText("c-9")
    with pytest.raises(InvalidIdentifier):
        form.lookup_query()
    assert "phone number or an email" in form.status_label.text()


def test_half_filled_custom_identifier_is_refused(form):
    form.add_custom_identifier("loyaltyId", "")
    with pytest.raises(InvalidIdentifier):
        form.user_ref()
    assert "has no value" in form.status_label.text()


@pytest.mark.parametrize("typed", ["415-555-O1OO", "(415) 555-OIOO"])
def test_letters_are_refused_rather_than_read_as_keypad_digits(form, qtbot, typed):
    qtbot.keyClicks(form.phone_edit, typed)
    assert "contains letters" in form.phone_status.text()
    assert "Reads as" not in form.phone_status.text()
    assert form.phone_edit.property("invalid") is True


def test_the_e164_reading_is_the_phone_fields_accessible_description(form, qtbot):
    qtbot.keyClicks(form.phone_edit, "(415) 555-0100")
    assert form.phone_edit.accessibleDescription() == "Reads as +14155550100"
