"""The Bulk dialog's table models, without widgets: preview header, problems, batched results."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QModelIndex, Qt

from attentive_desktop.api.bulk import BulkProgress, RowOutcome
from attentive_desktop.core.bulk_rows import check_file
from attentive_desktop.core.csv_input import Problem
from attentive_desktop.gui.bulk_models import PreviewModel, ProblemsModel, StateRole, describe_check
from attentive_desktop.gui.bulk_preview import PreviewColumn
from attentive_desktop.gui.bulk_results import (
    ResultsFilterProxy,
    ResultsModel,
    describe_progress,
    format_eta,
)
from tests.gui.cell_roles import answers_match_data

H = Qt.Orientation.Horizontal


def outcome(row: int, state: str = "sent", message: str = "") -> RowOutcome:
    return RowOutcome(row, f"+1415555{row:04d}", state, 1, message)


def test_preview_header_names_identifiers_and_types():
    model = PreviewModel()
    model.set_preview(
        [
            PreviewColumn("phone", "identifier", "phone"),
            PreviewColumn("Custom: shop", "identifier", "custom: shop"),
            PreviewColumn("points", "property", "Number"),
        ],
        [(2, ["+14155550100", "a1", "12"]), (4, ["+14155550101", "a2"])],
    )
    assert model.rowCount() == 2 and model.columnCount() == 3
    assert model.headerData(0, H) == "phone\nidentifier · phone"
    assert model.headerData(1, H) == "Custom: shop\nidentifier · custom: shop"
    assert model.headerData(2, H) == "points\nNumber"
    assert "identifies the customer" in model.headerData(0, H, Qt.ItemDataRole.ToolTipRole)
    assert model.headerData(1, Qt.Orientation.Vertical) == "4"  # spreadsheet row numbers
    assert model.index(0, 2).data() == "12"
    assert model.index(1, 2).data() == ""  # a short row shows empty cells
    model.clear()
    assert model.rowCount() == 0 and model.columnCount() == 0


def test_problems_model_lists_row_column_and_severity(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("phone,VIP\n12,true\n+14155550100,\n", encoding="utf-8")
    report = check_file(path)
    model = ProblemsModel()
    model.set_problems(report.problems)
    rows = [tuple(model.index(r, c).data() for c in range(3)) for r in range(model.rowCount())]
    assert ("2", "phone", "error") in rows
    assert ("3", "", "notice") in rows
    model.set_problems([Problem(0, "", "error", "empty-file", "No header.")])
    assert model.index(0, 0).data() == "file"
    text = describe_check(report)
    assert "2 rows" in text and "1 invalid" in text and "bad-phone 1" in text
    assert text.endswith("Nothing was sent.")


def test_results_are_batched_into_one_insert(qtbot):
    model = ResultsModel()
    inserts: list[tuple[int, int]] = []
    model.rowsInserted.connect(lambda _p, first, last: inserts.append((first, last)))
    for row in range(2, 10_002):
        model.add_outcome(outcome(row))
    assert model.rowCount() == 0  # nothing shown until the timer fires
    with qtbot.waitSignal(model.rowsInserted, timeout=2000):
        pass
    assert inserts == [(0, 9_999)]
    assert model.rowCount() == 10_000
    assert model.counts["sent"] == 10_000


def test_a_row_seen_again_is_updated_in_place(qtbot):
    model = ResultsModel()
    model.add_outcomes([outcome(2, "failed", "Server error"), outcome(3)])
    model.flush()
    changed: list[int] = []
    model.dataChanged.connect(lambda top, bottom, _roles: changed.append(top.row()))
    model.add_outcome(outcome(2, "sent"))
    model.add_outcome(outcome(4, "pending"))
    model.add_outcome(outcome(4, "sent"))  # twice in one batch: one row, last state wins
    model.flush()
    assert model.rowCount() == 3
    assert changed == [0]
    assert model.index(0, 2).data() == "Sent"
    assert model.index(2, 2).data() == "Sent"
    assert model.counts["failed"] == 0 and model.counts["sent"] == 3
    assert model.counts["pending"] == 0
    assert model.row_numbers("sent") == [2, 3, 4]


def test_results_show_label_state_colour_and_message():
    model = ResultsModel()
    model.add_outcomes([outcome(7, "skipped-invalid", "Column 'phone': bad"), outcome(8)])
    model.flush()
    assert [model.index(0, c).data() for c in range(5)] == [
        "7",
        "+14155550007",
        "Skipped (invalid)",
        "1",
        "Column 'phone': bad",
    ]
    assert model.index(0, 0).data(StateRole) == "skipped-invalid"
    assert model.index(0, 2).data(Qt.ItemDataRole.ForegroundRole) is not None
    assert model.index(1, 2).data(Qt.ItemDataRole.ForegroundRole) is None
    model.clear()
    assert model.rowCount() == 0 and model.counts["sent"] == 0


def test_state_filter_and_numeric_sort():
    model = ResultsModel()
    model.add_outcomes(
        [outcome(10), outcome(9, "failed"), outcome(100), outcome(11, "failed"), outcome(2)]
    )
    model.flush()
    proxy = ResultsFilterProxy()
    proxy.setSourceModel(model)
    proxy.sort(0, Qt.SortOrder.AscendingOrder)
    assert [proxy.index(r, 0).data() for r in range(proxy.rowCount())] == [
        "2",
        "9",
        "10",
        "11",
        "100",
    ]
    proxy.set_state("failed")
    assert proxy.state() == "failed"
    assert [proxy.index(r, 0).data() for r in range(proxy.rowCount())] == ["9", "11"]
    model.add_outcome(outcome(9, "sent"))  # a rerun fixed it: it leaves the failed view
    model.flush()
    assert [proxy.index(r, 0).data() for r in range(proxy.rowCount())] == ["11"]
    proxy.set_state(None)
    assert proxy.rowCount(QModelIndex()) == 5


def test_progress_text_has_rate_and_eta():
    progress = BulkProgress(
        done=412, total=1000, sent=400, failed=2, skipped=10, rate=148.24, eta=3.97,
        elapsed=2.8, paused=False,
    )  # fmt: skip
    text = describe_progress(progress)
    assert text.startswith("412 of 1,000 rows")
    assert "148.2 rows/s" in text and "0:04 left" in text and "paused" not in text
    assert format_eta(None) == "—"
    assert format_eta(3725) == "1:02:05"
    assert "shared" not in text
    shared = describe_progress(dataclasses.replace(progress, sharing=2, rate=72.1))
    assert "72.1 rows/s" in shared
    assert "the account's rate limit is shared with another bulk run" in shared
    assert "with 2 other bulk runs" in describe_progress(dataclasses.replace(progress, sharing=3))


def test_results_proxy_answers_every_role_of_a_cell_as_data_does():
    # A delegate asks for all its roles in one multiData call; the proxy answers it in one
    # call into Python per cell. What it answers must be what data() says, role by role.
    model, proxy = ResultsModel(), ResultsFilterProxy()
    proxy.setSourceModel(model)
    model.add_outcomes([outcome(2), outcome(3, "failed", "Attentive said no")])
    model.flush()
    roles = [
        Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.TextAlignmentRole, Qt.ItemDataRole.DecorationRole, StateRole,
    ]  # fmt: skip
    checked = 0
    for row in range(proxy.rowCount()):
        for column in range(proxy.columnCount()):
            answers = answers_match_data(proxy, proxy.index(row, column), roles)
            checked += sum(answer is not None for answer in answers)
    assert checked >= 2 * 5 * 2  # display and state everywhere, plus tooltip/colour/alignment


def test_results_cells_follow_updates_and_masking():
    model = ResultsModel()
    model.add_outcome(outcome(2))
    model.flush()
    status, identifier = model.index(0, 2), model.index(0, 1)
    assert status.data() == "Sent" and identifier.data() == "+14155550002"
    model.add_outcome(outcome(2, "failed", "timeout"))
    model.flush()
    assert status.data() == "Failed"
    assert status.data(Qt.ItemDataRole.ForegroundRole) is not None
    model.set_masked(True)
    assert identifier.data() != "+14155550002"
    model.set_masked(False)
    assert identifier.data() == "+14155550002"
