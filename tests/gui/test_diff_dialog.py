"""The send preview dialog on screen: its rows fit their wrapped notes at the width shown."""

from __future__ import annotations

from attentive_desktop.core.diff import diff_properties
from attentive_desktop.gui.diff_dialog import ROW_PADDING, DiffDialog

CURRENT = {"Favorite color": "blue", "Loyalty tier": "Gold"}
EDITS = {"Referral code": "SPRING24", "Favorite color": "blue", "Loyalty tier": "Platinum"}


def fits(table, row: int) -> bool:
    """The row is as tall as QTableView.resizeRowToContents would make it at the widths now."""
    wanted = max(table.sizeHintForRow(row), table.verticalHeader().sectionSizeHint(row))
    return table.rowHeight(row) == wanted


def shown_dialog(qtbot, width: int) -> DiffDialog:
    dialog = DiffDialog(diff_properties(CURRENT, EDITS), "+14155550100")
    qtbot.addWidget(dialog)
    dialog.resize(width, 420)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_rows_are_as_tall_as_their_notes_wrap_at_the_width_shown(qtbot):
    # The rows were sized once, before the dialog had its width: the note column was narrow
    # then, so the first row kept the height of three wrapped lines it no longer needed.
    dialog = shown_dialog(qtbot, 760)
    table = dialog.table
    assert all(fits(table, row) for row in range(table.model().rowCount()))
    assert table.rowHeight(0) > table.rowHeight(2)  # the long note still wraps
    two_lines = 2 * table.fontMetrics().lineSpacing()
    assert table.rowHeight(0) >= two_lines + 2 * ROW_PADDING  # and does not touch the grid


def test_the_account_written_to_is_named_above_the_buttons_and_escaped(qtbot):
    diff = diff_properties(CURRENT, EDITS)
    dialog = DiffDialog(diff, "+14155550100", writing_to="Writing to: A&B <Co> (ab)")
    qtbot.addWidget(dialog)
    assert dialog.target_label.text() == "<b>Writing to: A&amp;B &lt;Co&gt; (ab)</b>"
    assert dialog.target_label.accessibleName() == "Writing to: A&B <Co> (ab)"
    quiet = DiffDialog(diff, "+14155550100")
    qtbot.addWidget(quiet)
    assert quiet.target_label.isHidden()


def test_rows_follow_the_note_column_when_the_dialog_is_resized(qtbot):
    dialog = shown_dialog(qtbot, 760)
    table = dialog.table
    wide = table.rowHeight(0)
    dialog.resize(560, 420)
    qtbot.waitUntil(lambda: table.rowHeight(0) > wide)
    assert all(fits(table, row) for row in range(table.model().rowCount()))
