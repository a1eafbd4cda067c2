"""The Bulk dialog: a CSV file's preview, dry run, and a paced, journaled run with live results.

Every file read, check and request happens in BulkSession's worker; this window only shows
what comes back. Closing it hides it: a run keeps going and the dialog opens again with Ctrl+B.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from attentive_desktop.gui.accounts import describe_target
from attentive_desktop.gui.bulk_layout import dropped_csv, layout_parts, set_masked
from attentive_desktop.gui.bulk_models import (
    STATE_LABELS,
    PreviewModel,
    ProblemsModel,
    describe_check,
)
from attentive_desktop.gui.bulk_preview import (
    FilePreview,
    describe_preview,
    describe_resumable,
    start_question,
)
from attentive_desktop.gui.bulk_results import ResultsFilterProxy, ResultsModel, describe_progress
from attentive_desktop.gui.bulk_session import BulkSession, BulkTarget
from attentive_desktop.gui.dialogs import confirm

CSV_FILTER = "CSV files (*.csv *.tsv *.txt);;All files (*)"


class BulkDialog(QDialog):
    """Bulk update from CSV: choose a file, preview it, dry run, start/pause/resume/cancel,
    live results, export the report, rerun the failed rows. Non-modal.

    ``target()`` says which account a run would write to (None: no account yet); call
    ``refresh_target()`` when the account changes. ``staged=True`` leaves the widgets to
    ``build_step()``, one part per call (the dialog is usable once it returns False).
    """

    def __init__(
        self,
        session: BulkSession,
        target: Callable[[], BulkTarget | None],
        parent: QWidget | None = None,
        *,
        staged: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("bulkDialog")
        self.setWindowTitle("Bulk update from CSV")
        self.setAccessibleName("Bulk update from CSV")
        self.setModal(False)
        self.setAcceptDrops(True)
        self.resize(1000, 680)
        self.session = session
        self._target_of = target
        self.preview_model = PreviewModel(self)
        self.problems_model = ProblemsModel(self)
        self.results_model = ResultsModel(self)
        self.results_proxy = ResultsFilterProxy(self)
        self.results_proxy.setSourceModel(self.results_model)
        self._parts: Iterator[None] | None = layout_parts(self)
        self._masked = False
        self.preview: FilePreview | None = None
        self.path: str | None = None
        self.run_id: int | None = None
        self.summary: Any = None
        self.report: Any = None
        self._ask_after_check = False  # Start… ran the dry run: ask once it is done
        self._run_target: BulkTarget | None = None
        self._paused = False
        self._can_resume = False
        self._preview_job: int | None = None
        while not staged and self.build_step():
            pass

    def build_step(self) -> bool:
        """Build the next part of the widgets; False once the dialog is complete."""
        if self._parts is None:
            return False
        if next(self._parts, StopIteration) is not StopIteration:
            return True
        self._parts = None
        self._connect()
        if self._masked:
            set_masked(self, True)
        return False

    def _connect(self) -> None:
        session = self.session
        session.previewReady.connect(self._preview_ready)
        session.checked.connect(self._checked)
        session.runOpened.connect(self._run_opened)
        session.rowsLoaded.connect(self.results_model.add_outcomes)
        session.rowDone.connect(self.results_model.add_outcome)
        session.progressed.connect(self._progressed)
        session.finished.connect(self._finished)
        session.reportWritten.connect(self._report_written)
        session.failed.connect(self._failed)
        session.busyChanged.connect(lambda _busy: self._update_buttons())
        self.results_model.countsChanged.connect(self._counts_changed)
        self.choose_button.clicked.connect(self.choose_file)
        self.dry_run_button.clicked.connect(self.dry_run)
        self.start_button.clicked.connect(self.ask_start)
        self.pause_button.clicked.connect(self.pause)
        self.resume_button.clicked.connect(self.resume)
        self.cancel_button.clicked.connect(self.cancel)
        self.rerun_button.clicked.connect(self.rerun_failed)
        self.export_button.clicked.connect(self.choose_report_file)
        self.resume_run_button.clicked.connect(self.resume_run)
        self.close_button.clicked.connect(self.close)
        self.state_combo.currentIndexChanged.connect(self._filter_changed)
        self.refresh_target()
        self.choose_button.setFocus()

    # --- account -------------------------------------------------------------------------
    def target(self) -> BulkTarget | None:
        """The account a new run would write to."""
        return self._target_of()

    def refresh_target(self) -> None:
        """Show the account in use ("Writing to: …"); a running run keeps its own."""
        shown = self._run_target if self.session.is_running() else self.target()
        text = shown.description if shown is not None else describe_target(None)
        self.target_label.setText(text)
        self.target_label.setAccessibleName(text)
        self._update_buttons()

    def set_masked(self, masked: bool) -> None:
        """Mask (or show again) phones and emails in the tables and texts (View ▸ Mask …)."""
        if bool(masked) != self._masked:
            self._masked = bool(masked)
            if self._parts is None:  # still being built: build_step applies it at the end
                set_masked(self, self._masked)

    # --- file ----------------------------------------------------------------------------
    def choose_file(self) -> QFileDialog:
        """Ask for a CSV file (non-blocking); the chosen one is opened."""
        dialog = QFileDialog(self, "Choose a CSV file", self._folder(), CSV_FILTER)
        dialog.setObjectName("bulkFileDialog")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(self.open_file)
        dialog.open()
        return dialog

    def open_file(self, path: str | Path) -> int:
        """Preview ``path`` (read on the worker); returns the job id."""
        self.session.cancel_jobs()
        self.path = str(path)
        self.preview = None
        self.report = None
        self._can_resume = False
        self.path_edit.setText(self.path)
        self.path_edit.deselect()
        self.preview_model.clear()
        self.problems_model.set_problems([])
        self.check_label.setText("Run a dry run to check every row without sending anything.")
        self.resume_bar.hide()
        self.file_label.setText("Reading the file…")
        self.tabs.setCurrentWidget(self.preview_tab)
        self._preview_job = self.session.load_preview(self.path, self.target())
        self._update_buttons()
        return self._preview_job

    def _preview_ready(self, preview: FilePreview) -> None:
        if self.path is None or Path(self.path).resolve() != Path(preview.path):
            return  # a preview of a file the user has moved on from
        self.preview = preview
        self.preview_model.set_preview(preview.columns, preview.rows)
        self.file_label.setText(describe_preview(preview))
        self._offer_resume(preview)
        self._update_buttons()

    def _offer_resume(self, preview: FilePreview) -> None:
        text = describe_resumable(preview)
        if text is None:
            self.resume_bar.hide()
            return
        self._can_resume = preview.resumable is not None
        self._show_resume_bar(text)

    def _show_resume_bar(self, text: str) -> None:
        self.resume_label.setText(text)
        self.resume_label.setAccessibleName(text)
        self.resume_bar.show()
        self._update_buttons()

    # --- dry run -------------------------------------------------------------------------
    def dry_run(self) -> int | None:
        """Check every row of the file on the worker; lists every problem, sends nothing."""
        if self.path is None or self.session.is_busy():
            return None
        self.check_label.setText("Checking every row…")
        self.tabs.setCurrentWidget(self.check_tab)
        job = self.session.dry_run(self.path, self.target())
        self._update_buttons()
        return job

    def _checked(self, report: Any) -> None:
        self.report = report
        self.problems_model.set_problems(report.problems)
        self.check_label.setText(describe_check(report))
        self.tabs.setCurrentWidget(self.check_tab)
        if self._ask_after_check:
            self._ask_after_check = False
            QTimer.singleShot(0, self.ask_start)  # once the check's job has ended

    # --- running -------------------------------------------------------------------------
    def ask_start(self) -> Any:
        """Ask for confirmation (how many rows will go, and the account), then start a new
        run. Without a dry run of this file, it runs one first (no network) and asks once it
        is done, so the count is exact."""
        target = self.target()
        if self.preview is None or target is None or self.session.is_busy():
            return None
        report = self.report
        if report is None or str(report.path) != str(self.preview.path):
            self._ask_after_check = self.dry_run() is not None
            return None
        if not report.sendable:  # the check tab lists why
            return None
        text, details, yes_text = start_question(self.preview, report, target)
        return confirm(
            self,
            object_name="bulkStartConfirm",
            title="Start bulk update",
            text=text,
            details=details,
            yes_text=yes_text,
            on_yes=lambda: self.start(resume=False),
        )

    def start(self, *, resume: bool = False) -> int | None:
        """Start a run now (``resume``: continue this file's unfinished run), no question."""
        target = self.target()
        if self.path is None or target is None or self.session.is_busy():
            return None
        if not resume:
            self.results_model.clear()
            self.run_id = None
        self._run_target = target
        self._paused = False
        self._can_resume = False
        self.summary = None
        self.resume_bar.hide()
        self.progress_bar.setRange(0, 0)  # busy until the first snapshot
        self.progress_label.setText("Starting…")
        self.tabs.setCurrentWidget(self.results_tab)
        job = self.session.start(self.path, target, resume=resume)
        self.refresh_target()
        self.pause_button.setFocus()  # Choose file is disabled while running
        return job

    def resume_run(self) -> int | None:
        """Continue the unfinished run the resume bar offers."""
        return self.start(resume=True)

    def rerun_failed(self) -> int | None:
        """Send the failed (and any unsent) rows of the last run again."""
        return self.start(resume=True)

    def pause(self) -> None:
        """Finish the requests in flight and send no more until Resume."""
        self.session.pause()
        self._paused = True
        self.progress_label.setText(self.progress_label.text() + " · pausing…")
        self._update_buttons()

    def resume(self) -> None:
        """Continue a paused run."""
        self.session.resume()
        self._paused = False
        self._update_buttons()

    def cancel(self) -> None:
        """Stop the run; unsent rows stay pending (resume them later)."""
        self.session.cancel()
        self.progress_label.setText("Cancelling…")
        self.cancel_button.setEnabled(False)

    def _run_opened(self, run: Any) -> None:
        self.run_id = run.id
        self.progress_bar.setRange(0, max(1, run.total_rows))
        self._update_buttons()

    def _progressed(self, progress: Any) -> None:
        self.progress_bar.setRange(0, max(1, progress.total))
        self.progress_bar.setValue(progress.done)
        self.progress_label.setText(describe_progress(progress))

    def _finished(self, summary: Any) -> None:
        self.results_model.flush()
        self.summary = summary
        self.run_id = summary.run_id
        self.progress_bar.setRange(0, max(1, summary.total))
        done = summary.sent + summary.failed + summary.skipped_invalid + summary.skipped_empty
        self.progress_bar.setValue(done)
        text = (
            f"Run {summary.run_id} {summary.status} in {summary.elapsed:.1f} s: "
            f"{summary.sent:,} sent, {summary.failed:,} failed, "
            f"{summary.skipped_invalid:,} skipped as invalid, {summary.skipped_empty:,} "
            f"with nothing to send, {summary.pending:,} not sent yet."
        )
        if summary.error:
            text += f" Stopped: {summary.error}"
        self.progress_label.setText(text)
        self._paused = False
        if summary.pending:
            self._can_resume = True
            self._show_resume_bar(
                f"Run {summary.run_id} has {summary.pending:,} rows not sent yet. Resume it?"
            )
        self.refresh_target()
        self.results_table.setFocus()

    def _failed(self, message: str) -> None:
        self._ask_after_check = False
        if self.path is not None and self.preview is None and self._preview_job is not None:
            self.file_label.setText(message)
        else:
            self.progress_label.setText(message)
        self.progress_bar.setRange(0, 1)
        self.refresh_target()

    # --- results and report --------------------------------------------------------------
    def _filter_changed(self, _index: int) -> None:
        self.results_proxy.set_state(self.state_combo.currentData())

    def _counts_changed(self, counts: dict[str, int]) -> None:
        shown = sum(counts.values())
        parts = ", ".join(f"{n:,} {STATE_LABELS[s].lower()}" for s, n in counts.items() if n)
        self.counts_label.setText(f"{shown:,} rows{': ' + parts if parts else ''}")

    def choose_report_file(self) -> QFileDialog | None:
        """Ask where to save the report (non-blocking), then write it."""
        if self.run_id is None:
            return None
        dialog = QFileDialog(self, "Export report", self._folder(), CSV_FILTER)
        dialog.setObjectName("bulkReportDialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("csv")
        dialog.selectFile(f"bulk-run-{self.run_id}-report.csv")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(self.export_report)
        dialog.open()
        return dialog

    def export_report(self, path: str | Path) -> int | None:
        """Write the run's report to ``path``: the rows of the state shown, or all of them."""
        if self.run_id is None:
            return None
        state = self.results_proxy.state()
        return self.session.export_report(self.run_id, path, (state,) if state else None)

    def _report_written(self, path: str, rows: int) -> None:
        self.progress_label.setText(f"Report written: {path} ({rows:,} rows).")

    # --- state ---------------------------------------------------------------------------
    def _update_buttons(self) -> None:
        running = self.session.is_running()
        busy = self.session.is_busy()
        ready = self.preview is not None and not self.preview.fatal
        has_target = self.target() is not None
        failed = self.summary is not None and self.summary.failed > 0
        self.choose_button.setEnabled(not running)
        self.dry_run_button.setEnabled(self.path is not None and not busy)
        self.start_button.setEnabled(ready and has_target and not busy)
        self.pause_button.setEnabled(running and not self._paused)
        self.resume_button.setEnabled(running and self._paused)
        self.cancel_button.setEnabled(running)
        self.rerun_button.setEnabled(failed and has_target and not busy)
        self.export_button.setEnabled(self.run_id is not None and not running)
        self.resume_run_button.setEnabled(self._can_resume and has_target and not busy)

    def _folder(self) -> str:
        return str(Path(self.path).parent) if self.path else str(Path.home())

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # a .csv file dragged in
        if dropped_csv(event) and not self.session.is_running():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # ... and dropped: open it
        path = dropped_csv(event)
        if path and not self.session.is_running():
            event.acceptProposedAction()
            self.open_file(path)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Hide; a run in progress goes on (Ctrl+B shows the dialog again)."""
        self.session.cancel_jobs()
        super().closeEvent(event)
