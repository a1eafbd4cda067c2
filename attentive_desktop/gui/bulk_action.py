"""The "Bulk update from CSV…" menu action (Ctrl+B); the dialog itself is imported on first use.

Kept tiny and Qt-only at import time so the start-up path does not pay for the bulk engine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence

if TYPE_CHECKING:
    from attentive_desktop.gui.bulk_dialog import BulkDialog
    from attentive_desktop.gui.bulk_session import BulkSession, BulkTarget

SHORTCUT = "Ctrl+B"


class BulkAction(QObject):
    """Owns the menu action, and (once opened) the one Bulk dialog and its BulkSession.

    Call ``shutdown()`` before the app quits (a run in progress is cancelled; its unsent rows
    stay pending in the journal).
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
        self.action = QAction("&Bulk update from CSV…", window)
        self.action.setObjectName("bulkAction")
        self.action.setShortcut(QKeySequence(SHORTCUT))
        self.action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.action.setToolTip("Send a CSV file's rows, paced to the API's limit (Ctrl+B)")
        self.action.triggered.connect(lambda _checked=False: self.open())
        window.addAction(self.action)
        _menu(window).addAction(self.action)

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

    def open(self) -> BulkDialog:
        """Show the Bulk dialog (built on first use) and bring it to the front."""
        if self.dialog is None:
            from attentive_desktop.gui.bulk_dialog import BulkDialog
            from attentive_desktop.gui.bulk_session import BulkSession
            from attentive_desktop.store.journal import Journal

            self.session = BulkSession(
                Journal(self._database), history=self._history, region=self._region, parent=self
            )
            self.dialog = BulkDialog(self.session, self.target, self._window)
            model = getattr(getattr(self._window, "history", None), "model", None)
            if model is not None and hasattr(model, "prepend"):
                self.session.historyRecorded.connect(model.prepend)
            refresh = self.dialog.refresh_target
            self._window.accountChanged.connect(lambda _name: refresh())
            # After GET /me the window records the company name: show it here too.
            self._window.api.keyChecked.connect(lambda *_a: QTimer.singleShot(0, refresh))
        self.dialog.refresh_target()
        self.dialog.show()
        if QGuiApplication.platformName() != "offscreen":  # it warns that it cannot raise
            self.dialog.raise_()
        self.dialog.activateWindow()
        return self.dialog

    def shutdown(self) -> None:
        """Close the dialog and stop its worker (cancelling a run in progress). Idempotent."""
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
