"""The send preview's table model, without widgets: headers, cell texts, roles, flags."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtTest import QAbstractItemModelTester

from attentive_desktop.core.attributes import AttributeType
from attentive_desktop.core.diff import ChangeKind, DiffRow, diff_properties
from attentive_desktop.gui.diff_model import (
    ABSENT,
    CHANGE_COLUMN,
    DIFF_HEADERS,
    KIND_ROLE,
    DiffTableModel,
    kind_colour,
)
from tests.gui.cell_roles import answers_match_data

ROLE = Qt.ItemDataRole
H, V = Qt.Orientation.Horizontal, Qt.Orientation.Vertical
TEXT = AttributeType.TEXT
ROWS = (
    DiffRow("Favorite color", "blue", "green", ChangeKind.CHANGE, TEXT),
    DiffRow("Loyalty tier", None, "Gold", ChangeKind.ADD, TEXT),
    DiffRow("Referral code", None, "42", ChangeKind.NEW_ATTRIBUTE, TEXT, "creates it"),
    DiffRow("age", "36", "36", ChangeKind.UNCHANGED, TEXT, "already has this value"),
)
OTHER_ROLES = (
    ROLE.DecorationRole,
    ROLE.StatusTipRole,
    ROLE.WhatsThisRole,
    ROLE.TextAlignmentRole,
    ROLE.BackgroundRole,
    ROLE.CheckStateRole,
    ROLE.AccessibleTextRole,
    ROLE.SizeHintRole,
)


@pytest.fixture
def model(qapp) -> DiffTableModel:
    model = DiffTableModel()
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    model.set_rows(ROWS)
    return model


def cell(model: DiffTableModel, row: int, column: int, role=ROLE.DisplayRole):
    return model.data(model.index(row, column), role)


def test_columns_and_headers(qapp):
    model = DiffTableModel()
    assert model.rowCount() == 0 and model.columnCount() == 5
    assert DIFF_HEADERS == ("Property", "Current", "New", "Change", "Note")
    assert [model.headerData(c, H) for c in range(5)] == list(DIFF_HEADERS)
    assert [model.headerData(c, H, ROLE.EditRole) for c in range(5)] == list(DIFF_HEADERS)
    assert model.headerData(0, H, ROLE.ToolTipRole) is None
    assert model.headerData(5, H) is None
    assert model.headerData(0, V) is None  # no rows yet
    model.set_rows(ROWS)
    assert [model.headerData(r, V) for r in range(4)] == [1, 2, 3, 4]  # hidden by the view
    assert model.headerData(4, V) is None


def test_cell_texts_are_display_edit_and_tooltip(model):
    assert model.rowCount() == 4 and model.columnCount() == 5
    assert model.rowCount(model.index(0, 0)) == 0 and model.columnCount(model.index(0, 0)) == 0
    expected = [
        ["Favorite color", "blue", "green", "change", ""],
        ["Loyalty tier", ABSENT, "Gold", "adds to this user", ""],
        ["Referral code", ABSENT, "42", "new attribute", "creates it"],
        ["age", "36", "36", "unchanged (not sent)", "already has this value"],
    ]
    for row, texts in enumerate(expected):
        assert model.texts(row) == texts
        for role in (ROLE.DisplayRole, ROLE.EditRole, ROLE.ToolTipRole):
            assert [cell(model, row, c, role) for c in range(5)] == texts
    assert ABSENT == "—"


def test_kind_role_on_every_cell(model):
    kinds = ["CHANGE", "ADD", "NEW_ATTRIBUTE", "UNCHANGED"]
    for row, kind in enumerate(kinds):
        assert model.kind(row) == kind
        assert {cell(model, row, c, KIND_ROLE) for c in range(5)} == {kind}
    assert ROLE.UserRole == KIND_ROLE  # what the table widget's items held the kind in


def test_change_column_coloured_by_kind_on_the_palette_in_use(model):
    palette = QGuiApplication.palette()
    for row, kind in enumerate(["CHANGE", "ADD", "NEW_ATTRIBUTE", "UNCHANGED"]):
        colour = cell(model, row, CHANGE_COLUMN, ROLE.ForegroundRole)
        assert isinstance(colour, QColor) and colour == kind_colour(kind, palette)
        others = [cell(model, row, c, ROLE.ForegroundRole) for c in range(5) if c != 3]
        assert others == [None] * 4


def test_kind_colours_on_light_and_dark_palettes(qapp):
    light, dark = QPalette(QColor("#f0f0f0")), QPalette(QColor("#202020"))
    assert kind_colour("CHANGE", light).name() == kind_colour("ADD", light).name() == "#1e6b2a"
    assert kind_colour("NEW_ATTRIBUTE", light).name() == "#8a5300"
    assert kind_colour("CHANGE", dark).name() == "#8fd694"
    assert kind_colour("NEW_ATTRIBUTE", dark).name() == "#ffd180"
    for palette in (light, dark):  # unchanged: the palette's own window text
        assert kind_colour("UNCHANGED", palette) == palette.color(QPalette.ColorRole.WindowText)


def test_unchanged_rows_in_italics_other_rows_in_the_view_font(model):
    italic = QFont()  # the view's font where the cell says nothing else
    italic.setItalic(True)
    for column in range(5):
        font = cell(model, 3, column, ROLE.FontRole)
        assert isinstance(font, QFont) and font.italic()
        assert font == italic and font.resolveMask() == italic.resolveMask()  # only italic set
        assert [cell(model, row, column, ROLE.FontRole) for row in range(3)] == [None] * 3


def test_read_only_and_nothing_else_answered(model):
    read_only = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled
    for row in range(4):
        for column in range(5):
            index = model.index(row, column)
            assert model.flags(index) == read_only
            assert not model.flags(index) & Qt.ItemFlag.ItemIsEditable
            assert not model.setData(index, "x")
            assert [model.data(index, role) for role in OTHER_ROLES] == [None] * len(OTHER_ROLES)
    assert model.flags(QModelIndex()) == Qt.ItemFlag.NoItemFlags
    assert model.data(QModelIndex()) is None


def test_multidata_matches_data(model):
    roles = (ROLE.DisplayRole, ROLE.ToolTipRole, ROLE.ForegroundRole, ROLE.FontRole, KIND_ROLE)
    for row in range(4):
        answers_match_data(model, model.index(row, CHANGE_COLUMN), roles)


def test_mask_applies_to_values_only_and_set_rows_replaces(model):
    diff = diff_properties({"email": "ada@example.com"}, {"email": "bob@example.com"})
    resets = []
    model.modelReset.connect(lambda: resets.append(True))
    model.set_rows(diff.rows, mask=lambda text: "•" * len(text))
    assert resets == [True] and model.rowCount() == 1
    assert model.texts(0) == ["email", "•" * 15, "•" * 15, "change", ""]
    assert cell(model, 0, 1, ROLE.ToolTipRole) == "•" * 15
    model.set_rows([])
    assert model.rowCount() == 0
