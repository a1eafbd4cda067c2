"""The profile-fixing tools wired into the main window (issue 7).

Diff before send, verification after it, revisions and Revert, the catalog editor, history
tools (search, filters, replay, copy as curl, export, retention), "Mask personal data", the
Identity action, the subscriptions panel, Preferences and About. Dialogs are imported when
their action first runs, so none of this weighs on start-up. Built in two steps: the form's
"Link identifiers" button and its scroll area before the first frame, everything else
(`complete()`, with its modules) one event-loop tick after it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QFrame, QPushButton, QScrollArea, QWidget

if TYPE_CHECKING:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QMenu

CUSTOMER_WIDTH = 340


def _menu(window: Any, title: str) -> QMenu:
    for action in window.menuBar().actions():
        if action.text().replace("&", "") == title and action.menu() is not None:
            return action.menu()
    return window.menuBar().addMenu(title)


class ProfileTools(QObject):
    """Owns the profile tools of one window; built once by app.build_window."""

    def __init__(
        self,
        window: Any,
        *,
        api: Any,
        history_service: Any,
        database: Any,
        settings: Any,
        schema: Any,
        data_dir: Path,
        secrets: Callable[[], Any],
        defer: bool = False,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.settings = settings
        self.schema = schema
        self._api = api
        self._history_service = history_service
        self._database = database
        self._data_dir = data_dir
        self._secrets = secrets
        self.about_box: Any = None  # Help ▸ About, once opened
        self._revisions: Any = None
        self._revisions_lock = threading.Lock()
        self._revert: Any = None
        self._completed = False
        self.dialog: Any = None
        self._build_form_parts()
        if not defer:
            self.complete()

    @property
    def completed(self) -> bool:
        """True once `complete()` ran (every action and panel exists)."""
        return self._completed

    def complete(self) -> None:
        """Build the tools, the subscriptions panel and the menu actions (once).

        With ``defer`` app.build_window calls this one event-loop tick after the first frame,
        before MainWindow.start, so all of it exists once the window reports ready.
        """
        if self._completed:
            return
        self._completed = True
        from attentive_desktop.gui.history_actions import HistoryActions
        from attentive_desktop.gui.identity import IdentityLinker
        from attentive_desktop.gui.privacy import PrivacyMask
        from attentive_desktop.gui.subscriptions_panel import SubscriptionsPanel
        from attentive_desktop.gui.tasks import Tasks

        window = self.window
        self.tasks = Tasks(self._api, self._history_service, self)
        self.privacy = PrivacyMask(window, self.settings)
        self.identity = IdentityLinker(self.tasks, window.form, self.privacy.mask, self)
        self.identity.message.connect(window.show_message)
        self.history_actions = HistoryActions(
            window.history,
            window.form,
            window.editor.model,
            self.tasks,
            lambda record: self.revert_controller().revert_record(record),
            self,
            account=lambda: window.account_name,
        )
        self.history_actions.message.connect(window.show_message)
        form = window.form
        layout = form.layout()
        self.subscriptions = SubscriptionsPanel(self.tasks, form)  # hidden until a lookup
        layout.insertWidget(layout.count() - 1, self.subscriptions)
        flow = window.flow
        flow.schema = self.schema
        flow.reviewer = self.review
        flow.recorder = self.recorder
        flow.userLookedUp.connect(self.subscriptions.looked_up)
        window.accountChanged.connect(self.subscriptions.account_changed)
        if getattr(window, "is_ready", False):
            self.apply_retention()
        else:
            window.started.connect(self.apply_retention)
        self._build_menus()

    # building ---------------------------------------------------------------------------------
    def _build_form_parts(self) -> None:
        form = self.window.form
        layout = form.layout()
        self.link_button = QPushButton("Link identifiers", form)
        self.link_button.setObjectName("linkIdentifiersButton")
        self.link_button.setAccessibleName("Link identifiers")
        self.link_button.setToolTip(
            "Link the clientUserId or custom identifiers to this phone or email (Identity API)"
        )
        self.link_button.clicked.connect(lambda _checked=False: self.link())
        layout.insertWidget(layout.indexOf(form.lookup_button), self.link_button)
        QWidget.setTabOrder(form.add_identifier_button, self.link_button)  # as on screen
        QWidget.setTabOrder(self.link_button, form.lookup_button)
        # The customer column grew (link button, subscriptions): let it scroll rather than
        # force a taller window.
        splitter = getattr(self.window, "splitter", None)
        index = splitter.indexOf(form) if splitter is not None else -1
        if index >= 0:
            sizes = splitter.sizes()
            scroll = QScrollArea()
            scroll.setObjectName("customerScroll")
            scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a frame, not a Tab stop
            scroll.setFrameShape(QFrame.Shape.NoFrame)
            scroll.setWidgetResizable(True)
            scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            scroll.setWidget(form)  # takes the form out of the splitter
            splitter.insertWidget(index, scroll)
            splitter.setStretchFactor(index + 1, 1)
            bar = scroll.verticalScrollBar().sizeHint().width()
            scroll.setMinimumWidth(form.minimumSizeHint().width() + bar)
            splitter.setSizes(sizes if sum(sizes) > 0 else [360, 900])
            # Moving the form moved its fields to the end of the Tab order: put them back.
            QWidget.setTabOrder(self.window.switcher, form.phone_edit)
            QWidget.setTabOrder(form.lookup_button, self.window.editor.add_button)
            self.customer_scroll = scroll
            self.window.shown.connect(self._widen_customer_column)

    def _widen_customer_column(self) -> None:
        splitter = self.window.splitter
        sizes = splitter.sizes()
        if len(sizes) == 2 and 0 < sizes[0] < CUSTOMER_WIDTH:
            total = sum(sizes)
            splitter.setSizes([CUSTOMER_WIDTH, max(total - CUSTOMER_WIDTH, 0)])

    def _action(self, text: str, name: str, shortcut: str | None, slot: Callable) -> QAction:
        from attentive_desktop.gui.menus import window_action

        return window_action(self.window, text, name, shortcut, slot)

    def _build_menus(self) -> None:
        window = self.window
        actions = _menu(window, "Actions")
        actions.addSeparator()
        self.revert_action = self._action(
            "Revert last send…", "revertLastSendAction", "Ctrl+Shift+Z", self.revert_last
        )
        self.link_action = self._action(
            "Link &identifiers (Identity)…", "linkIdentifiersAction", "Ctrl+Shift+I", self.link
        )
        actions.addAction(self.revert_action)
        actions.addAction(self.link_action)
        edit = _menu(window, "Edit")
        edit.addSeparator()
        self.catalog_action = self._action(
            "&UI-created properties…", "catalogAction", "Ctrl+Shift+U", self.open_catalog
        )
        self.preferences_action = self._action(
            "Pr&eferences…", "preferencesAction", "Ctrl+,", self.open_preferences
        )
        edit.addAction(self.catalog_action)
        edit.addAction(self.preferences_action)
        view = _menu(window, "View")
        view.addSeparator()
        view.addAction(self.privacy.action)
        help_menu = _menu(window, "Help")
        self.about_action = self._action(
            "&About Attentive Desktop", "aboutAction", None, self.about
        )
        help_menu.addAction(self.about_action)

    # diff before send, revisions --------------------------------------------------------------
    def review(self, user: Any, before: dict, properties: dict, go: Callable[[dict], None]) -> Any:
        """Show the diff preview; `go(properties_to_send)` runs if the user confirms."""
        from attentive_desktop.core.diff import diff_properties
        from attentive_desktop.gui.diff_dialog import DiffDialog

        diff = diff_properties(before, properties, self.schema)
        dialog = DiffDialog(
            diff,
            user.describe(),
            self.window,
            mask=self.privacy.mask,
            writing_to=self.window.editor.target,
        )
        dialog.confirmed.connect(go)
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()
        return dialog

    def revisions(self) -> Any:
        """The RevisionStore (built on first use, on whichever worker needs it)."""
        with self._revisions_lock:
            if self._revisions is None:
                from attentive_desktop.store.revisions import RevisionStore

                self._revisions = RevisionStore(self._database)
            return self._revisions

    def recorder(
        self, user: Any, before: dict | None, sent: dict
    ) -> Callable[[float], object] | None:
        """The after-send step that records a revision (only for a looked-up user)."""
        account = self.window.account_name
        if before is None or account is None:
            return None
        revisions = self.revisions
        values = dict(sent)

        def record(started_at: float) -> int:
            return revisions().record(
                account=account, user=user, before=before, sent=values, started_at=started_at
            )

        return record

    def revert_controller(self) -> Any:
        """The RevertController (built on first use)."""
        if self._revert is None:
            from attentive_desktop.gui.revert import RevertController

            self._revert = RevertController(
                self.tasks,
                self.revisions,
                lambda: self.window.account_name,
                self.schema,
                self.privacy.mask,
                self.window,
            )
            self._revert.message.connect(self.window.show_message)
            self._revert.reverted.connect(self._reverted)
        return self._revert

    def revert_last(self) -> None:
        """Actions ▸ Revert last send…: for the user in the lookup form."""
        from attentive_desktop.core.identifiers import InvalidIdentifier

        try:
            user = self.window.form.user_ref()
        except InvalidIdentifier as exc:
            self.window.show_message(f"Say whose last send to revert. {exc.message}", "error")
            return
        self.revert_controller().revert_last(user)

    def _reverted(self, user: Any, attributes: dict) -> None:
        flow = self.window.flow
        if flow.before_for(user) is not None:
            flow.remember_lookup(user, attributes)
            self.window.editor.model.set_current(attributes)

    # other actions ------------------------------------------------------------------------------
    def link(self) -> int | None:
        """Actions ▸ Link identifiers."""
        return self.identity.link()

    def open_catalog(self) -> Any:
        """Edit ▸ UI-created properties…"""
        from attentive_desktop.gui.catalog_dialog import CatalogDialog

        if self.schema is None or getattr(self.schema, "current", None) is None:
            self.window.show_message("Choose an account first: each has its own catalog.", "error")
            return None
        dialog = CatalogDialog(self.schema, self.tasks, self.window)
        dialog.saved.connect(self.window.editor.model.refresh_schema)
        dialog.saved.connect(lambda: self.window.show_message("Catalog saved.", "ok"))
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()
        return dialog

    def open_preferences(self) -> Any:
        """Edit ▸ Preferences…"""
        from attentive_desktop.gui.preferences import PreferencesDialog

        dialog = PreferencesDialog(self.settings, self.privacy, self.window)
        dialog.retentionChanged.connect(lambda _days: self.apply_retention())
        dialog.regionChanged.connect(self.use_region)
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()
        return dialog

    def use_region(self, region: str) -> None:
        """Read phone numbers typed without "+" as numbers of ``region`` from now on."""
        self.window.form.set_region(region)
        bulk = getattr(self.window, "bulk", None)
        if bulk is not None:
            bulk.set_region(region)
        self.window.show_message(f"Phone numbers without + now read as {region} numbers.", "ok")

    def about(self) -> None:
        """Help ▸ About (as `about_box` once open). It names the keychain in use, which the
        keychain thread looks up first: the first time, that can take a moment."""
        from attentive_desktop.gui.about import about_box

        def show(secrets: object) -> None:
            self.about_box = about_box(self.window, self._data_dir, secrets)

        self.window.keychain.call(
            self._secrets, show, lambda message: self.window.show_message(message, "error")
        )

    def apply_retention(self) -> int:
        """Delete history (and revisions) older than the retention setting, off the GUI
        thread; the history view reloads when rows went."""
        settings, revisions = self.settings, self.revisions

        def prune(store: Any) -> int:
            from attentive_desktop.store.retention import apply_retention

            return apply_retention(settings, store, revisions())

        def done(deleted: int) -> None:
            if deleted:
                self.window.history.model.refresh()

        def failed(text: str, _kind: str) -> None:
            self.window.show_message(f"Old history could not be deleted: {text}", "warning")

        return self.tasks.disk(prune, done, failed)
