"""The "Bulk update from CSV…" menu action (Ctrl+B) and its dialog.

Kept tiny and Qt-only at import time so the start-up path does not pay for the bulk engine.
Once start-up has finished and the window is idle, `prepare()` imports the dialog's modules and
builds it hidden, one small step per event-loop tick, so Ctrl+B only has to show it (building
it on demand took 30–70 ms on the GUI thread). Opening it earlier builds what is left at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence

if TYPE_CHECKING:
    from attentive_desktop.gui.bulk_dialog import BulkDialog
    from attentive_desktop.gui.bulk_session import BulkSession, BulkTarget

SHORTCUT = "Ctrl+B"
PREPARE_DELAY_MS = 400
"""How long after start-up the hidden dialog starts being built (the account check and the
API client's imports run first)."""


class BulkAction(QObject):
    """Owns the menu action, and (once opened) the one Bulk dialog and its BulkSession.

    Call ``shutdown()`` before the app quits (a run in progress is cancelled; its unsent rows
    stay pending in the journal). While a run sends, closing the window asks first, and
    closing the dialog says the run goes on (an event filter on each).
    """

    def __init__(
        self, window: Any, *, database: Any, history_store: Any, schema: Any, region: str = "US"
    ) -> None:
        super().__init__(window)
        self._window = window
        self._database = database
        self._history = history_store
        self._schema = schema
        self._region = region
        self.dialog: BulkDialog | None = None
        self.session: BulkSession | None = None
        self._steps = [self._import_models, self._import_session, self._build_session]
        self._steps += [self._await_engine, self._import_dialog, self._build_dialog]
        self._steps.append(self._polish_dialog)
        self._steps.append(self._render_dialog)
        self._closed = False
        self._waiting = False  # for the worker to load the engine (_await_engine)
        self.action = QAction("&Bulk update from CSV…", window)
        self.action.setObjectName("bulkAction")
        self.action.setShortcut(QKeySequence(SHORTCUT))
        self.action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.action.setToolTip("Send a CSV file's rows, paced to the API's limit (Ctrl+B)")
        self.action.triggered.connect(lambda _checked=False: self.open())
        window.addAction(self.action)
        _menu(window).addAction(self.action)
        self._quit_agreed = False
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Ask before the window closes on a run that is sending; tell when the dialog closes
        on one (the run goes on)."""
        if event.type() != QEvent.Type.Close:  # every event of the window passes here: cheap
            return False
        if self._closed or self.session is None or not self.session.is_running():
            return False
        if watched is self.dialog:
            self._window.show_message(
                "The bulk run goes on in the background: Ctrl+B shows its progress.", "info"
            )
            return False
        if watched is self._window and not self._quit_agreed:
            from attentive_desktop.gui.dialogs import confirm

            event.ignore()
            confirm(
                self._window,
                object_name="quitDuringBulkConfirm",
                title="Stop the bulk run?",
                text="A bulk run is still sending. Quitting stops it.",
                details="The rows not sent yet stay listed: the next start offers to resume "
                "the run where it stopped.",
                yes_text="Quit and stop the run",
                on_yes=self._quit,
            )
            return True
        return False

    def _quit(self) -> None:
        self._quit_agreed = True
        self._window.close()

    def target(self) -> BulkTarget | None:
        """The account in use, as a run would write to it."""
        from attentive_desktop.gui.accounts import describe_target
        from attentive_desktop.gui.bulk_session import BulkTarget

        window = self._window
        name = window.account_name
        account = window.book.get(name) if name else None
        if account is None:
            return None
        book = window.book
        return BulkTarget(
            account=name,
            base_url=book.base_url_for(account),
            description=describe_target(account),
            key=lambda: book.key_for(name),
            registry=getattr(self._schema, "current", None),
        )

    # building, in steps ---------------------------------------------------------------------
    @property
    def prepared(self) -> bool:
        """True once the dialog is built (hidden until opened)."""
        return not self._steps

    def prepare(self, delay_ms: int = PREPARE_DELAY_MS) -> None:
        """Build the dialog hidden in the background of the event loop: after ``delay_ms``,
        then one step per tick (imports, the worker, the widgets, their first layout)."""
        QTimer.singleShot(delay_ms, self._next_step)

    def _next_step(self) -> None:
        if self._steps and not self._closed:
            self._steps.pop(0)()
            if not self._waiting:
                QTimer.singleShot(0, self._next_step)

    def _import_models(self) -> None:
        import attentive_desktop.gui.bulk_models
        import attentive_desktop.gui.bulk_results  # noqa: F401

    def _import_session(self) -> None:
        import attentive_desktop.gui.bulk_preview
        import attentive_desktop.gui.bulk_session
        import attentive_desktop.gui.dialogs  # noqa: F401

    def set_region(self, region: str) -> None:
        """Read numbers without "+" in ``region`` from the next check or run on."""
        self._region = region
        if self.session is not None:
            self.session.set_region(region)

    def _import_dialog(self) -> None:
        import attentive_desktop.gui.bulk_dialog
        import attentive_desktop.store.journal  # noqa: F401

    def _build_session(self) -> None:
        from attentive_desktop.gui.bulk_session import BulkSession
        from attentive_desktop.store.journal import Journal

        self.session = BulkSession(
            Journal(self._database), history=self._history, region=self._region, parent=self
        )
        model = getattr(getattr(self._window, "history", None), "model", None)
        if model is not None and hasattr(model, "prepend"):
            self.session.historyRecorded.connect(model.prepend)

    def _await_engine(self) -> None:
        # The worker is loading the engine's modules: the next steps wait for it, as their
        # GUI-thread work and those imports would take turns holding the GIL (stalls >16 ms).
        assert self.session is not None
        if not self.session.engine_loaded:
            self._waiting = True
            self.session.engineLoaded.connect(self._engine_loaded)

    def _engine_loaded(self) -> None:
        if self._waiting:
            self._waiting = False
            QTimer.singleShot(0, self._next_step)

    def _build_dialog(self) -> None:
        # One part of the dialog per tick (BulkDialog.build_step): built at once, the widgets
        # stalled the window ~13 ms, longer than a frame.
        from attentive_desktop.gui.bulk_dialog import BulkDialog

        assert self.session is not None
        if self.dialog is None:
            self.dialog = BulkDialog(self.session, self.target, self._window, staged=True)
            self.dialog.installEventFilter(self)
            self._steps.insert(0, self._build_dialog)
            return
        if self.dialog.build_step():
            self._steps.insert(0, self._build_dialog)
            return
        # View ▸ Mask personal data (gui/privacy.py updates the dialog when it changes).
        self.dialog.set_masked(bool(self._window.property("maskPersonalData")))
        refresh = self.dialog.refresh_target
        self._window.accountChanged.connect(lambda _name: refresh())
        # After GET /me the window records the company name: show it here too.
        self._window.api.keyChecked.connect(lambda *_a: QTimer.singleShot(0, refresh))

    def _polish_dialog(self) -> None:
        # Style and lay the hidden dialog out now rather than on its first show.
        assert self.dialog is not None
        self.dialog.ensurePolished()
        self.dialog.layout().activate()

    def _render_dialog(self) -> None:
        # Paint it once off screen: its first real paint (tables, tabs, progress bar styled
        # for the first time) otherwise lands on the tick after Ctrl+B.
        assert self.dialog is not None
        self.dialog.grab()

    def open(self) -> BulkDialog:
        """Show the Bulk dialog (building what `prepare` has not yet) and bring it to the
        front."""
        self._waiting = False
        while self._steps:
            step = self._steps.pop(0)
            if step != self._await_engine:  # opening now: the engine loads when it is used
                step()
        assert self.dialog is not None
        self.dialog.refresh_target()
        self.dialog.show()
        if QGuiApplication.platformName() != "offscreen":  # it warns that it cannot raise
            self.dialog.raise_()
        self.dialog.activateWindow()
        return self.dialog

    def shutdown(self) -> None:
        """Close the dialog and stop its worker (cancelling a run in progress). Idempotent."""
        self._closed = True
        if self.session is not None:
            self.session.shutdown()
        if self.dialog is not None:
            self.dialog.hide()


def _menu(window: Any) -> Any:
    """The window's Actions menu (a new Bulk menu if it has none)."""
    for action in window.menuBar().actions():
        if action.menu() is not None and action.text().replace("&", "") == "Actions":
            action.menu().addSeparator()
            return action.menu()
    return window.menuBar().addMenu("&Bulk")


def install_bulk_action(
    window: Any, *, database: Any, history_store: Any, schema: Any, region: str = "US"
) -> BulkAction:
    """Add "Bulk update from CSV…" (Ctrl+B) to ``window``; returns its owner."""
    return BulkAction(
        window, database=database, history_store=history_store, schema=schema, region=region
    )
