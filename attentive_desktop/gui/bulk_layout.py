"""The Bulk dialog's widgets and layout (object names, accessible names, tab order)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from attentive_desktop.gui.bulk_models import STATE_LABELS
from attentive_desktop.gui.masked_label import MaskedLabel

FILTERS = [("All rows", None), *((label, state) for state, label in STATE_LABELS.items())]


def _button(parent: QWidget, text: str, name: str, accessible: str, tip: str = "") -> QPushButton:
    button = QPushButton(text, parent)
    button.setObjectName(name)
    button.setAccessibleName(accessible)
    if tip:
        button.setToolTip(tip)
    return button


def _table(parent: QWidget, name: str, accessible: str, model: Any) -> QTableView:
    table = QTableView(parent)
    table.setObjectName(name)
    table.setAccessibleName(accessible)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setTabKeyNavigation(False)  # Tab moves on rather than walking the cells
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().setDefaultSectionSize(22)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def layout_parts(d: Any) -> Iterator[None]:
    """Create the dialog's widgets as attributes of ``d`` (a BulkDialog) and lay them out,
    yielding after each part (the file row, each tab, the buttons and layouts), so the hidden
    dialog can be built over several event-loop ticks (BulkAction.prepare) instead of
    stalling the window ~13 ms at once; BulkDialog.build_step advances it.

    The labels that can quote a phone or an email are MaskedLabels (see ``set_masked``)."""
    d.target_label = MaskedLabel("", d)
    d.target_label.setObjectName("bulkTarget")
    d.target_label.setStyleSheet("QLabel#bulkTarget { font-weight: bold; padding: 2px 0; }")

    file_label = QLabel("&File:", d)
    d.path_edit = QLineEdit(d)
    d.path_edit.setObjectName("bulkFileEdit")
    d.path_edit.setAccessibleName("CSV file")
    d.path_edit.setReadOnly(True)
    d.path_edit.setPlaceholderText("Choose a CSV file, or drop one on this window")
    file_label.setBuddy(d.path_edit)
    d.choose_button = _button(d, "&Choose file…", "bulkChooseButton", "Choose file")
    d.file_label = MaskedLabel(
        "Header row first: phone, email, clientUserId or custom:<name> identify the customer; "
        "every other column is a property. An empty cell is not sent.",
        d,
    )
    d.file_label.setObjectName("bulkFileSummary")
    d.file_label.setWordWrap(True)

    d.resume_bar = QFrame(d)
    d.resume_bar.setObjectName("bulkResumeBar")
    d.resume_bar.setFrameShape(QFrame.Shape.StyledPanel)
    d.resume_label = MaskedLabel("", d.resume_bar)
    d.resume_label.setObjectName("bulkResumeText")
    d.resume_label.setWordWrap(True)
    d.resume_run_button = _button(
        d.resume_bar, "Resume &run", "bulkResumeRunButton", "Resume unfinished run"
    )
    resume_row = QHBoxLayout(d.resume_bar)
    resume_row.setContentsMargins(8, 4, 8, 4)
    resume_row.addWidget(d.resume_label, 1)
    resume_row.addWidget(d.resume_run_button)
    d.resume_bar.hide()
    yield

    d.tabs = QTabWidget(d)
    d.tabs.setObjectName("bulkTabs")
    d.tabs.setAccessibleName("Preview, dry run and results")
    d.preview_tab = QWidget(d.tabs)
    d.preview_table = _table(d.preview_tab, "bulkPreviewTable", "Preview", d.preview_model)
    # Fixed starting widths: resizeColumnsToContents measures every cell on the GUI thread.
    d.preview_table.horizontalHeader().setDefaultSectionSize(150)
    QVBoxLayout(d.preview_tab).addWidget(d.preview_table)
    d.tabs.addTab(d.preview_tab, "Preview")
    yield

    d.check_tab = QWidget(d.tabs)
    d.check_label = MaskedLabel("Run a dry run to check every row without sending anything.", d)
    d.check_label.setObjectName("bulkCheckSummary")
    d.check_label.setWordWrap(True)
    d.problems_table = _table(d.check_tab, "bulkProblemsTable", "Problems", d.problems_model)
    for column, width in enumerate((50, 120, 70, 130)):
        d.problems_table.setColumnWidth(column, width)
    check_layout = QVBoxLayout(d.check_tab)
    check_layout.addWidget(d.check_label)
    check_layout.addWidget(d.problems_table, 1)
    d.tabs.addTab(d.check_tab, "Dry run")
    yield

    d.results_tab = QWidget(d.tabs)
    show_label = QLabel("&Show:", d.results_tab)
    d.state_combo = QComboBox(d.results_tab)
    d.state_combo.setObjectName("bulkStateFilter")
    d.state_combo.setAccessibleName("Show rows in state")
    for label, state in FILTERS:
        d.state_combo.addItem(label, state)
    show_label.setBuddy(d.state_combo)
    d.counts_label = MaskedLabel("0 rows", d.results_tab)
    d.counts_label.setObjectName("bulkCounts")
    d.results_table = _table(d.results_tab, "bulkResultsTable", "Results", d.results_proxy)
    d.results_table.setSortingEnabled(True)
    d.results_table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
    d.results_table.verticalHeader().setVisible(False)
    header = d.results_table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    for column, width in enumerate((60, 200, 150, 70)):
        d.results_table.setColumnWidth(column, width)
    top = QHBoxLayout()
    top.addWidget(show_label)
    top.addWidget(d.state_combo)
    top.addWidget(d.counts_label, 1)
    results_layout = QVBoxLayout(d.results_tab)
    results_layout.addLayout(top)
    results_layout.addWidget(d.results_table, 1)
    d.tabs.addTab(d.results_tab, "Results")
    yield

    d.progress_bar = QProgressBar(d)
    d.progress_bar.setObjectName("bulkProgress")
    d.progress_bar.setAccessibleName("Run progress")
    d.progress_bar.setRange(0, 1)
    d.progress_bar.setValue(0)
    d.progress_label = MaskedLabel("", d)
    d.progress_label.setObjectName("bulkProgressText")
    d.progress_label.setWordWrap(True)

    d.dry_run_button = _button(
        d, "&Dry run", "bulkDryRunButton", "Dry run", "Check every row; nothing is sent"
    )
    d.start_button = _button(d, "&Start…", "bulkStartButton", "Start", "Send every row")
    d.pause_button = _button(d, "&Pause", "bulkPauseButton", "Pause")
    d.resume_button = _button(d, "Res&ume", "bulkResumeButton", "Resume")
    d.cancel_button = _button(
        d, "Ca&ncel run", "bulkCancelButton", "Cancel run", "Stop; unsent rows stay pending"
    )
    d.rerun_button = _button(
        d, "Rerun &failed rows only", "bulkRerunButton", "Rerun failed rows only"
    )
    d.export_button = _button(
        d, "&Export report…", "bulkExportButton", "Export report",
        "Save the per-row report as CSV (the rows shown by the filter)",
    )  # fmt: skip
    d.close_button = _button(d, "Close", "bulkCloseButton", "Close")
    d.close_button.setAutoDefault(False)
    buttons = QHBoxLayout()
    for button in (d.dry_run_button, d.start_button, d.pause_button, d.resume_button):
        buttons.addWidget(button)
    buttons.addWidget(d.cancel_button)
    buttons.addStretch(1)
    for button in (d.rerun_button, d.export_button, d.close_button):
        buttons.addWidget(button)
    for button in (d.start_button, d.choose_button, d.dry_run_button):
        button.setAutoDefault(False)

    file_row = QHBoxLayout()
    file_row.addWidget(file_label)
    file_row.addWidget(d.path_edit, 1)
    file_row.addWidget(d.choose_button)
    layout = QVBoxLayout(d)
    layout.addWidget(d.target_label)
    layout.addLayout(file_row)
    layout.addWidget(d.file_label)
    layout.addWidget(d.resume_bar)
    layout.addWidget(d.tabs, 1)
    layout.addWidget(d.progress_bar)
    layout.addWidget(d.progress_label)
    layout.addLayout(buttons)

    order: list[QWidget | QAbstractButton] = [
        d.choose_button, d.path_edit, d.resume_run_button, d.tabs, d.preview_table,
        d.problems_table, d.state_combo, d.results_table, d.dry_run_button, d.start_button,
        d.pause_button, d.resume_button, d.cancel_button, d.rerun_button, d.export_button,
        d.close_button,
    ]  # fmt: skip
    for first, second in itertools.pairwise(order):
        d.setTabOrder(first, second)


def set_masked(d: Any, masked: bool) -> None:
    """Mask (or show again) phones and emails in ``d``'s tables and texts (screen sharing)."""
    for model in (d.preview_model, d.problems_model, d.results_model):
        model.set_masked(masked)
    for label in d.findChildren(MaskedLabel):
        label.set_masked(masked)


def dropped_csv(event: Any) -> str | None:
    """The one local .csv/.tsv file a drag or drop event carries, else None."""
    urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
    local = [u.toLocalFile() for u in urls if u.isLocalFile()]
    return local[0] if len(local) == 1 and local[0].lower().endswith((".csv", ".tsv")) else None
