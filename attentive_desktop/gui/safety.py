"""What the window says after something went wrong behind the user's back, and what it offers.

Bars under the toolbar, shown after the first frame: the database had to be set aside or is
temporary (`RecoveryNotice`), the background check found it damaged (set aside at the next
start), history can't be written (disk full), an unsent edit from an earlier session
(restore / discard), and a bulk run that stopped before it finished (resume it in the Bulk
dialog). Each bar says what happened in a plain sentence and what to do.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from attentive_desktop.gui.database_check import DatabaseCheck
from attentive_desktop.gui.theme import RAW_TEXT_PROPERTY, set_status_text

if TYPE_CHECKING:
    from attentive_desktop.gui.drafts import DraftKeeper
    from attentive_desktop.store.journal import BulkRun, Journal
    from attentive_desktop.store.recovery import DamageCheck, RecoveryNotice

log = logging.getLogger(__name__)

Action = tuple[str, str, Callable[[], object]]  # (button text, object name, on click)


class OfferBar(QFrame):
    """One plain sentence with a few buttons (the last one always closes the bar).

    Signals: closed() once the bar is dismissed or one of its actions ran.
    """

    closed = Signal()

    def __init__(
        self,
        object_name: str,
        text: str,
        actions: list[Action],
        kind: str = "info",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setBackgroundRole(self.backgroundRole().AlternateBase)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        self.label = QLabel(self)
        self.label.setObjectName(f"{object_name}Text")
        self.label.setWordWrap(True)
        layout.addWidget(self.label, 1)
        self.buttons: dict[str, QPushButton] = {}
        for caption, name, callback in actions:
            button = QPushButton(caption, self)
            button.setObjectName(name)
            button.setAccessibleName(caption.replace("…", ""))
            button.clicked.connect(lambda _checked=False, fn=callback: self._run(fn))
            layout.addWidget(button)
            self.buttons[name] = button
        self.set_text(text, kind)

    def set_text(self, text: str, kind: str = "info") -> None:
        """Change the sentence (phones and emails masked when the window masks them)."""
        set_status_text(self.label, text, kind)
        self.setAccessibleName(text)

    def text(self) -> str:
        """The sentence as given (unmasked)."""
        return str(self.label.property(RAW_TEXT_PROPERTY) or self.label.text())

    def _run(self, fn: Callable[[], object]) -> None:
        self.hide()
        self.closed.emit()
        fn()
        self.deleteLater()


def interrupted_run(journal: Journal) -> tuple[BulkRun, int] | None:
    """The newest bulk run that stopped before every row was tried (the app was killed, or
    quit mid-run), with the rows it has left to send; None when there is none.

    A run still marked "running" at start-up was interrupted: nothing in this process runs it.
    Failed rows do not count as left: rerunning them is the user's choice in the dialog.
    """
    from attentive_desktop.store.journal import CANCELLED, DONE_STATES, FAILED, RUNNING

    for run in journal.runs(limit=20):
        if run.status not in (RUNNING, CANCELLED):
            continue
        counts = journal.counts(run.id)
        left = run.total_rows - sum(counts[s] for s in DONE_STATES) - counts[FAILED]
        if left > 0 and Path(run.file_path).is_file():
            return run, left
    return None


def resume_text(run: BulkRun, left: int) -> str:
    """The sentence offering to resume an interrupted run."""
    name = Path(run.file_path).name
    account = f" to account “{run.account}”" if run.account else ""
    return (
        f"A bulk run of {name}{account} stopped before it finished: {left:,} of "
        f"{run.total_rows:,} rows are not sent yet. Nothing was lost; you can resume it."
    )


class SafetyNet(QObject):
    """Shows the window's safety bars and wires the draft keeper's offer.

    Collaborators: the MainWindow, the DraftKeeper, a `journal()` factory (the bulk journal),
    `open_bulk(path)` (opens the Bulk dialog on a file, whose own bar then offers the resume),
    the start-up `notice` (RecoveryNotice or None), and `check_database` (a DamageCheck), run
    on a thread of its own once the window is up (gui/database_check.py); `shutdown()`
    interrupts it. `database_checked` is True once its verdict is in.
    Signals: barShown(str object name) whenever a bar appears (tests wait on it).
    """

    barShown = Signal(str)

    def __init__(
        self,
        window: Any,
        *,
        drafts: DraftKeeper | None,
        journal: Callable[[], Journal] | None,
        open_bulk: Callable[[str], object] | None,
        notice: RecoveryNotice | None = None,
        check_database: DamageCheck | None = None,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._drafts = drafts
        self._journal = journal
        self._open_bulk = open_bulk
        self._notice = notice
        self._check: DatabaseCheck | None = None
        if check_database is not None:
            self._check = DatabaseCheck(check_database, self)
            self._check.finished.connect(self._damage_found)
        self._storage_told = False
        self._started = False
        self.bars: dict[str, OfferBar] = {}
        self.interrupted: tuple[BulkRun, int] | None = None
        self.box = QWidget(window.centralWidget())
        self.box.setObjectName("safetyBars")
        self._layout = QVBoxLayout(self.box)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(0)
        central = window.centralWidget().layout()
        central.insertWidget(central.indexOf(window.notice) + 1, self.box)
        window.started.connect(self._start)
        window.api.storageFailed.connect(self.storage_failed)
        if drafts is not None:
            drafts.offered.connect(self._draft_offered)
            drafts.restored.connect(lambda d: window.show_message(_restored(d), "ok"))
            drafts.failed.connect(self.storage_failed)

    # --- start-up ----------------------------------------------------------------------------

    def _start(self) -> None:
        """After the first frame: the recovery notice, the draft, the interrupted bulk run, and
        the database's whole-file check (which start-up no longer waits for)."""
        if self._started:
            return
        self._started = True
        if self._notice is not None:
            notice = self._notice
            log.warning("database recovery at start-up: %s (%s)", notice.title, notice.detail)
            self.show_bar("recoveryNotice", f"{notice.title}. {notice.message}", [], "warning")
        if self._drafts is not None and self._drafts.pending is not None:
            self._draft_offered(self._drafts.pending)
        if self._journal is not None and self._drafts is not None:
            journal = self._journal
            self._drafts.background(lambda: interrupted_run(journal()), self._run_found)
        if self._check is not None:
            self._check.start()

    def _draft_offered(self, draft: Any) -> None:
        if not self._started or "draftOffer" in self.bars:
            return  # shown from _start once the window is up
        from attentive_desktop.gui.drafts import offer_text

        assert self._drafts is not None
        self.show_bar(
            "draftOffer",
            offer_text(draft, self._drafts.waiting),
            [
                ("Restore", "restoreDraftButton", self._restore_draft),
                ("Discard", "discardDraftButton", self._drafts.discard),
            ],
            dismiss=False,
        )

    def _restore_draft(self) -> None:
        """Restore the offered draft; over an edit typed meanwhile, ask first (that edit is
        set aside and offered next, but the user should know where it went)."""
        drafts = self._drafts
        assert drafts is not None
        if not drafts.has_edit():
            drafts.restore()
            return
        from attentive_desktop.gui.dialogs import confirm

        confirm(
            self._window,
            object_name="restoreOverEdit",
            title="Restore the kept edit?",
            text="The window holds an edit you typed since. Restore the kept one in its place?",
            details="What you typed is set aside and offered back right after, so nothing is lost.",
            yes_text="Restore",
            on_yes=drafts.restore,
            on_no=lambda: self._draft_offered(drafts.pending),
        )

    def _run_found(self, found: object) -> None:
        if found is None:
            return
        run, left = found  # type: ignore[misc]
        self.interrupted = (run, left)
        self.show_bar(
            "bulkResumeOffer",
            resume_text(run, left),
            [("Resume bulk run…", "resumeBulkButton", lambda: self.resume_bulk(run))],
        )

    @property
    def database_checked(self) -> bool:
        """True once the whole-file check has given its verdict."""
        return self._check is not None and self._check.done

    def shutdown(self) -> None:
        """Interrupt the database check if it still runs (call before the database closes)."""
        if self._check is not None:
            self._check.stop()

    def _damage_found(self, damage: object) -> None:
        if not damage:
            return
        log.warning("database check: %s", damage)
        bar = self.show_bar(
            "databaseDamaged",
            "The history file is damaged. The next time Attentive Desktop starts, it moves the "
            "file aside (nothing is deleted) and begins a new one; until then some history may "
            "not load or save. Requests still go to Attentive.",
            [],
            "warning",
        )
        bar.setToolTip(str(damage))

    def resume_bulk(self, run: BulkRun) -> object:
        """Open the Bulk dialog on the run's file: its resume bar continues the run."""
        if self._open_bulk is None:
            self._window.show_message(
                f"Resume this run with: attentive-desktop bulk {run.file_path} --resume", "info"
            )
            return None
        return self._open_bulk(run.file_path)

    # --- during the session ------------------------------------------------------------------

    def storage_failed(self, message: str) -> None:
        """History (or a draft) could not be written: say so once, in the status bar and a bar."""
        if self._storage_told:
            return
        self._storage_told = True
        self._window.show_message(message, "error")
        self.show_bar(
            "storageNotice",
            f"{message} Requests still go to Attentive; they are just not recorded here.",
            [],
            "error",
        )

    def show_bar(
        self,
        name: str,
        text: str,
        actions: list[Action],
        kind: str = "info",
        *,
        dismiss: bool = True,
    ) -> OfferBar:
        """Add a bar (replacing one of the same name) and return it."""
        old = self.bars.pop(name, None)
        if old is not None:
            old.hide()
            old.deleteLater()
        if dismiss:
            actions = [*actions, ("Dismiss", f"{name}Dismiss", lambda: None)]
        bar = OfferBar(name, text, actions, kind, self.box)
        bar.closed.connect(lambda: self.bars.pop(name, None))
        self._layout.addWidget(bar)
        self.bars[name] = bar
        self.barShown.emit(name)
        return bar


def _restored(draft: Any) -> str:
    from attentive_desktop.gui.drafts import restored_text

    return restored_text(draft)


def install_safety(session: Any, notice: RecoveryNotice | None = None) -> SafetyNet:
    """Give a built window (app.Session) its draft keeper and safety bars; closes with it."""
    from attentive_desktop.gui.drafts import DraftKeeper
    from attentive_desktop.store.drafts import DraftStore

    window, database = session.window, session.database
    keeper = DraftKeeper(
        DraftStore(database),
        form=window.form,
        model=window.editor.model,
        flow=window.flow,
        api=session.api,
        account=lambda: window.account_name,
        parent=window,
    )
    bulk = getattr(window, "bulk", None)

    def open_bulk(path: str) -> object:
        dialog = bulk.open()
        dialog.open_file(path)
        return dialog

    def journal() -> Journal:
        from attentive_desktop.store.journal import Journal

        return Journal(database)

    from attentive_desktop.store.recovery import DamageCheck

    net = SafetyNet(
        window,
        drafts=keeper,
        journal=journal,
        open_bulk=open_bulk if bulk is not None else None,
        notice=notice,
        # A database just set aside or temporary is new: nothing to check.
        check_database=DamageCheck(database) if notice is None else None,
    )
    closers = session.closers
    at = closers.index(database.close) if database.close in closers else len(closers)
    closers[at:at] = [net.shutdown, keeper.shutdown]
    if notice is not None:
        closers.append(notice.discard)  # a temporary database goes once it is closed
    window.drafts = keeper
    window.safety = net
    return net
