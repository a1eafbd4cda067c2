"""The main window: account switcher, lookup form, attribute editor, history dock, status bar.

Keyboard shortcuts: SHORTCUTS below (shown by Help ▸ Keyboard shortcuts; set in menus.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import (
    QMainWindow,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from attentive_desktop.gui.account_switcher import account_toolbar
from attentive_desktop.gui.accounts import AccountBook, describe_target
from attentive_desktop.gui.banner import NoticeBar, SandboxBanner
from attentive_desktop.gui.flows import LookupSendFlow
from attentive_desktop.gui.geometry import restore_window, save_window
from attentive_desktop.gui.history_pane import HistoryPane
from attentive_desktop.gui.lookup_form import LookupForm
from attentive_desktop.gui.property_editor import PropertyEditor
from attentive_desktop.gui.theme import refresh_status_labels

SHORTCUTS = [
    ("Look up", "Ctrl+L"),
    ("Send", "Ctrl+Return"),
    ("Cancel the request in progress", "Esc"),
    ("New attribute row", "Ctrl+N"),
    ("Remove selected rows", "Ctrl+Delete"),
    ("Undo removing or pasting rows", "Ctrl+Z"),
    ("Show request", "Ctrl+Shift+R"),
    ("Focus the history filter", "Ctrl+F"),
    ("Show or hide history", "Ctrl+H"),
]
MENU_TITLES = ("&Account", "Ac&tions", "&Edit", "&View", "&Help")
SANDBOX_ACCOUNT = "Sandbox"
SESSION_ONLY_NOTICE = (
    "No system keychain is available: API keys are kept for this session only and must be "
    "entered again next time."
)


class MainWindow(QMainWindow):
    """The one window of the app. Talks to the API only through ApiService's signals.

    Collaborators come in through the constructor (see app.build_window).
    Signals: shown() once the window first shows; started() once start() has run (the account
    is in use, or its key is being read, or the first-run dialog is open); accountChanged(str
    name) once an account is in use.
    """

    shown = Signal()
    started = Signal()
    accountChanged = Signal(str)

    def __init__(
        self,
        *,
        api: Any,
        book: AccountBook,
        property_model: Any,
        history_model: Any,
        history_proxy: Any,
        history_service: Any,
        settings: Any,
        schema: Callable[[], Any],
        sandbox: bool = False,
        region: str = "US",
        keychain: Any,
        on_account: Callable[[str], None] | None = None,
        prepare_account: Callable[[str], None] | None = None,
        on_close: Callable[[], None] | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle("Attentive Desktop" + (" — SANDBOX" if sandbox else ""))
        self.api = api
        self.book = book
        self.keychain = keychain
        self.settings = settings
        self._on_account = on_account
        self._prepare_account = prepare_account
        self._on_close = on_close
        self._account_name: str | None = None
        self._info_job: int | None = None
        self._closed = False
        self._shown_once = False
        self._ready = False
        self._sandbox_pending = sandbox

        self.form = LookupForm(region, self)
        self.editor = PropertyEditor(
            property_model,
            lambda name: schema().allowed_values(name) if schema() else None,
            lambda: schema().names() if schema() else [],
            self,
        )
        self.flow = LookupSendFlow(api, self.form, self.editor, self.current_base_url, self)
        self.history = HistoryPane(history_model, history_proxy, history_service, self)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.history)

        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.banner = SandboxBanner(None, central) if sandbox else None
        if self.banner is not None:
            layout.addWidget(self.banner)
        self.notice = NoticeBar("keyNotice", central)
        layout.addWidget(self.notice)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, central)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.form)
        self.splitter.addWidget(self.editor)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([360, 900])
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

        self._build_toolbar()
        # The menu titles show in the first frame; their actions come one tick later.
        self._menus = {title: self.menuBar().addMenu(title) for title in MENU_TITLES}
        self._menus_built = False
        self.statusBar().setObjectName("statusBar")
        self.form.lookupRequested.connect(self.flow.lookup)
        self.editor.sendRequested.connect(self.flow.send)
        self.editor.cancelRequested.connect(self.flow.cancel)
        self.editor.showRequestRequested.connect(self.flow.show_request)
        self.flow.message.connect(self.show_message)
        history_service.failed.connect(lambda text: self.show_message(text, "error"))
        api.keyChecked.connect(self._info_checked)
        api.failed.connect(self._info_failed)
        self.setTabOrder(self.switcher, self.form.phone_edit)
        self.resize(1280, 800)
        restore_window(self, self.settings)

    # building -------------------------------------------------------------------------------
    def _build_toolbar(self) -> None:
        self.account_dialog: Any = None  # the last account dialog opened
        bar, self.switcher, self.add_account_action = account_toolbar(self)
        self.add_account_action.triggered.connect(lambda: self.open_account_dialog())  # no bool
        self.addToolBar(bar)
        self.switcher.accountChosen.connect(self.use_account)
        self.editor.sendingChanged.connect(lambda sending: self.switcher.setEnabled(not sending))

    def build_menus(self) -> None:
        """Fill the menu bar and its shortcuts (once; gui/menus.py). app.build_window runs
        this one event-loop tick after the first frame, before start() reports ready."""
        if self._menus_built:
            return
        self._menus_built = True
        from attentive_desktop.gui.menus import fill_menus

        fill_menus(self, self._menus)

    # accounts -------------------------------------------------------------------------------
    def refresh_accounts(self, current: str | None = None, *, activate: bool = True) -> None:
        """Reload the switcher from the account book, keeping or choosing ``current``.

        With ``activate`` the chosen account becomes the one in use (its key is read and the
        API client built); without, only the switcher and the "Writing to" line are filled.
        """
        accounts = self.book.accounts()
        names = [a.name for a in accounts]
        wanted = current or self._account_name
        if wanted not in names:
            last = self.settings.get("last_account", None)
            wanted = last if last in names else (names[0] if names else None)
        self.switcher.set_accounts(accounts, wanted)
        if wanted is None:
            self.editor.set_target(describe_target(None))
        elif not activate:
            self.editor.set_target(describe_target(self.book.get(wanted)))
        elif wanted != self._account_name:
            self.use_account(wanted)

    def start(self, current: str | None = None, *, first_run_dialog: bool = True) -> None:
        """Finish start-up once the window shows: use the account (which reads the keychain and
        builds the API client off the GUI thread), or ask for one on first run. Emits started.
        """
        if self._closed:  # closed before start-up finished (e.g. --self-test)
            return
        self.refresh_accounts(current)
        self.form.phone_edit.setFocus()  # where work starts (and where the dialog returns to)
        self._ready = True
        if first_run_dialog and not self.book.accounts() and not self._sandbox_pending:
            self.update_key_notice()
            self.open_account_dialog()
        self.started.emit()

    @property
    def is_ready(self) -> bool:
        """True once start() ran."""
        return self._ready

    def attach_sandbox(self, base_url: str, key: str) -> None:
        """Point the window at an embedded sandbox: a session-only "Sandbox" account (its key
        in memory only), shown in the banner and used at once."""
        from attentive_desktop.store.accounts import Account

        self.book.add_session_account(Account(SANDBOX_ACCOUNT, base_url), key)
        self._sandbox_pending = False
        if self.banner is not None:
            self.banner.set_url(base_url)
        self.refresh_accounts(SANDBOX_ACCOUNT, activate=self._ready)

    def use_account(self, name: str) -> None:
        """Read and write with account ``name`` from now on.

        What the account needs from the disk and the keychain is read on the keychain thread
        (gui/serial_calls.py): its learned types and catalog (``prepare_account``) and, for a
        saved account, its key, which may take a while or ask the user to unlock the
        keychain; until they are in, nothing is sent and the Send area says so. Only the
        latest switch counts. Without a key the account in use stays, and the Add account
        dialog asks for the key again.
        """
        if self.book.get(name) is None:
            return
        if self.editor.sending and name != self._account_name:  # its re-read too
            self.switcher.set_accounts(self.book.accounts(), self._account_name)
            self.show_message("Switch accounts once the send has finished.", "warning")
            return
        self._info_job = None  # the account in use's details no longer matter
        self.flow.switching_to = name
        self.flow.has_account = False
        session = self.book.is_session(name)  # its key is in memory
        # Still a "Writing to:" line: whoever glances at Send sees nothing will go out yet.
        opening = f"opening “{name}”" if session else f"reading the key for “{name}”"
        self.editor.set_target(f"Writing to: nothing yet — {opening}…")
        book, prepare = self.book, self._prepare_account

        def read() -> object:
            if prepare is not None:
                prepare(name)
            return book.key_for(name)

        def arrived(key: object, error: str = "") -> None:
            if self.flow.switching_to == name:  # else a later switch won
                self._key_read(name, key, error)

        self.keychain.call(read, arrived, lambda error: arrived(None, error))
        if not session:
            self.update_key_notice()

    def _key_read(self, name: str, key: object, error: str = "") -> None:
        self.flow.switching_to = None
        account = self.book.get(name)
        if self._closed or account is None:
            return
        if not key:
            current = self.book.get(self._account_name) if self._account_name else None
            self.switcher.set_accounts(self.book.accounts(), self._account_name or name)
            self.flow.missing_key = None if current else name  # not "no account yet"
            self.editor.set_target(describe_target(current, missing_key=self.flow.missing_key))
            self.flow.has_account = current is not None
            self.show_message(
                error or f"There is no API key for “{name}” on this computer. Enter it again.",
                "error",
            )
            self.open_account_dialog(name=name)
            return
        self.flow.missing_key = None
        if name != self._account_name:
            self.flow.forget_lookup()  # the old account's values must not pass for this one's
        self._account_name = name
        self.api.set_account(self.book.base_url_for(account), str(key), name)
        if self._on_account is not None:
            self._on_account(name)
        self.flow.has_account = True
        self.editor.set_target(describe_target(account))
        if not self.book.is_session(name):
            self.settings.set("last_account", name)
        if not account.company_name:
            base_url = self.book.base_url_for(account)
            self._info_job = self.api.check_key(base_url, str(key), name)
        self.accountChanged.emit(name)

    def account_removed(self, name: str) -> None:
        """``name`` is gone (gui/account_removal.py): nothing more is sent with its key, and
        another account, if any, takes its place."""
        if name == self._account_name:
            self._account_name, self.flow.has_account = None, False
            self.flow.forget_lookup()
            self.api.clear_account()
            self.accountChanged.emit("")  # what showed its data forgets it
        self.refresh_accounts()

    @property
    def account_name(self) -> str | None:
        """The account in use."""
        return self._account_name

    def current_base_url(self) -> str | None:
        """The base URL of the account in use."""
        account = self.book.get(self._account_name) if self._account_name else None
        return self.book.base_url_for(account) if account else None

    def _info_checked(self, job: int, me: Any) -> None:
        if job != self._info_job or self._account_name is None:
            return
        self._info_job = None
        name, book = self._account_name, self.book
        if book.is_session(name):  # in memory
            self._info_saved(name, book.update_info(name, me))
            return
        self.keychain.call(  # a database write, with the account book's others
            lambda: book.update_info(name, me),
            lambda account: self._info_saved(name, account),
            lambda error: self.show_message(error, "error"),
        )

    def _info_saved(self, name: str, account: Any) -> None:
        if name == self._account_name and not self._closed:
            self.editor.set_target(describe_target(account))
            self.switcher.set_accounts(self.book.accounts(), name)

    def _info_failed(self, job: int, message: str, kind: str) -> None:
        if job == self._info_job:
            self._info_job = None
            self.show_message(f"Could not check the account: {message}", "error")

    def open_account_dialog(self, name: str = "", *, replacing: bool = False) -> Any:
        """Open the account dialog (non-blocking; account_dialog.open_account_dialog): to add
        an account, or to enter the key of the saved account ``name``; returns it."""
        from attentive_desktop.gui.account_dialog import open_account_dialog

        self.account_dialog = open_account_dialog(self, name, replacing=replacing)
        return self.account_dialog

    def update_key_notice(self) -> None:
        """Say so when keys cannot be kept in a keychain. Checked (on the keychain thread: it
        is slow to probe) when a saved account is used or added, not with only the sandbox."""
        book, notice = self.book, self.notice
        self.keychain.call(
            lambda: book.keys_are_session_only,
            lambda session_only: notice.show_notice(SESSION_ONLY_NOTICE if session_only else ""),
        )

    # misc -----------------------------------------------------------------------------------
    def show_message(self, text: str, kind: str = "info") -> None:
        """A plain sentence in the status bar (errors stay until the next message); phones
        and emails are masked while View ▸ Mask personal data is on."""
        self.statusBar().setProperty("rawStatusText", text)  # privacy.py re-renders it
        if self.property("maskPersonalData"):
            from attentive_desktop.core.masking import mask_text

            text = mask_text(text)
        self.statusBar().showMessage(text, 0 if kind == "error" else 15000)
        self.statusBar().setProperty("statusKind", kind)

    def cancel(self) -> None:
        """Cancel the request in progress."""
        self.flow.cancel()

    def show_shortcuts(self) -> Any:
        """List the keyboard shortcuts (the profile tools' ones too); returns the open box."""
        from attentive_desktop.gui import bulk_action
        from attentive_desktop.gui.about import PROFILE_TOOL_SHORTCUTS, shortcuts_box

        bulk = ("Bulk update from CSV", bulk_action.SHORTCUT)
        return shortcuts_box(self, [*SHORTCUTS, bulk, *PROFILE_TOOL_SHORTCUTS, ("Quit", "Ctrl+Q")])

    def showEvent(self, event: QShowEvent) -> None:
        """Emit ``shown`` once, after the first show; finish slow set-up after it."""
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            QTimer.singleShot(0, self.shown)

    def changeEvent(self, event: QEvent) -> None:
        """Re-colour status texts when the system palette changes (light ⇄ dark), once the
        children and dialogs have the new palette too (Qt tells the window first)."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            QTimer.singleShot(0, self, lambda: refresh_status_labels(self))

    # geometry and closing -------------------------------------------------------------------
    def save_geometry(self) -> None:
        """Remember size, position, the history dock's place and its split and columns."""
        save_window(self, self.settings)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Save the geometry, then, with the window already gone from the screen, stop the
        worker threads and release the database (a keychain prompt still open or a request
        that ignores cancellation can hold that up for seconds: never as a frozen window)."""
        if not self._closed:
            self._closed = True
            try:
                self.save_geometry()
            finally:
                self.hide()
                if self._on_close is not None:
                    self._on_close()
        super().closeEvent(event)
