"""Adding an account: a name, an API key (checked with GET /me) and an optional base URL;
and giving the saved account in use a new key (Account ▸ Replace API key…)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from attentive_desktop.gui.theme import set_status_text

if TYPE_CHECKING:
    from attentive_desktop.gui.accounts import AccountBook
    from attentive_desktop.gui.serial_calls import SerialCalls
    from attentive_desktop.store.accounts import Account


INTRO = (
    "Paste an API key from Attentive (Marketplace ▸ Custom apps). The key is checked with "
    "Attentive before it is saved."
)
FOR_ACCOUNT_INTRO = (
    "Paste the API key for “{name}” from Attentive (Marketplace ▸ Custom apps). It is checked "
    "with Attentive before it is saved, and a key of another company is refused."
)
IN_KEYCHAIN = "It is kept in the system keychain."
NO_KEYCHAIN = (
    "This computer has no keychain: the key is kept until you quit, and asked for again at "
    "the next start."
)


class AccountDialog(QDialog):
    """Asks for an account name and API key, checks the key with GET /me on the worker, shows
    the company and domain the key belongs to, then saves the account and its key (on the
    keychain thread: the keychain may ask the user to unlock it).

    A rejected key keeps the dialog open with a plain sentence saying so.
    With ``for_account`` the dialog is about the saved account ``name``: its title names it,
    the name cannot be changed, and the key replaces the one in the keychain once checked.
    Signals: accountSaved(object Account).
    """

    accountSaved = Signal(object)

    def __init__(
        self,
        api_service: Any,
        book: AccountBook,
        keychain: SerialCalls,
        *,
        default_base_url: str | None = None,
        name: str = "",
        for_account: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        from attentive_desktop.api.urls import DEFAULT_BASE_URL as api_default

        self.setObjectName("accountDialog")
        title = f"API key for “{name}”" if for_account else "Add an Attentive account"
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self._intro = FOR_ACCOUNT_INTRO.format(name=name) if for_account else INTRO
        self._for_account = for_account
        self.setMinimumWidth(520)
        self._api = api_service
        self._book = book
        self._keychain = keychain
        self._job: int | None = None
        self._saved: Account | None = None
        self._saving = False  # the keychain is writing the key: the dialog stays until it ends

        intro = QLabel(self._intro, self)
        intro.setWordWrap(True)
        intro.setObjectName("accountIntro")
        self.intro_label = intro
        # Whether there is a keychain at all is asked on the keychain thread (slow to probe).
        keychain.call(lambda: book.keys_are_session_only, self._keys_session_only)

        self.name_edit = QLineEdit(name, self)
        self.name_edit.setObjectName("accountNameEdit")
        self.name_edit.setAccessibleName("Account name")
        self.name_edit.setPlaceholderText("e.g. Acme production")
        if for_account:  # a new key for this account, not a new account
            self._show_as_fact(self.name_edit)
        self.key_edit = QLineEdit(self)
        self.key_edit.setObjectName("apiKeyEdit")
        self.key_edit.setAccessibleName("API key")
        self.key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.key_edit.setPlaceholderText("API key")
        if book.env_key:
            self.key_edit.setText(book.env_key)
        self.show_key = QCheckBox("Show key", self)
        self.show_key.setObjectName("showKeyCheck")
        self.show_key.setAccessibleName("Show key")
        self.show_key.toggled.connect(self._toggle_echo)
        self.advanced = QCheckBox("Advanced: use another server", self)
        self.advanced.setObjectName("advancedCheck")
        self.advanced.setAccessibleName("Advanced: use another server")
        self.base_url_edit = QLineEdit(default_base_url or api_default, self)
        self.base_url_edit.setObjectName("baseUrlEdit")
        self.base_url_edit.setAccessibleName("Base URL")
        self.base_url_label = QLabel("&Base URL", self)
        self.base_url_label.setBuddy(self.base_url_edit)
        self.advanced.toggled.connect(self._toggle_advanced)
        self.advanced.setChecked(bool(default_base_url and default_base_url != api_default))
        self._toggle_advanced(self.advanced.isChecked())

        form = QFormLayout()
        name_label = QLabel("Account &name", self)
        name_label.setBuddy(self.name_edit)
        key_label = QLabel("API &key", self)
        key_label.setBuddy(self.key_edit)
        form.addRow(name_label, self.name_edit)
        form.addRow(key_label, self.key_edit)
        form.addRow("", self.show_key)
        form.addRow("", self.advanced)
        form.addRow(self.base_url_label, self.base_url_edit)

        self.status_label = QLabel(self)
        self.status_label.setObjectName("accountStatus")
        self.status_label.setAccessibleName("Account check result")
        self.status_label.setWordWrap(True)
        self.status_label.hide()

        self.buttons = QDialogButtonBox(self)
        self.save_button = QPushButton("Save", self)
        self.save_button.setObjectName("saveAccountButton")
        self.save_button.setAccessibleName("Save")
        self.save_button.setDefault(True)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setObjectName("cancelAccountButton")
        self.cancel_button.setAccessibleName("Cancel")
        self.done_button = QPushButton("Done", self)
        self.done_button.setObjectName("doneAccountButton")
        self.done_button.setAccessibleName("Done")
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.done_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.done_button.hide()  # after addButton, which shows the buttons it lays out
        self.save_button.clicked.connect(self.save)
        self.done_button.clicked.connect(self.accept)
        self.cancel_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.status_label)
        layout.addWidget(self.buttons)

        api_service.keyChecked.connect(self._key_checked)
        api_service.failed.connect(self._check_failed)
        self.setTabOrder(self.name_edit, self.key_edit)
        self.setTabOrder(self.key_edit, self.show_key)
        self.setTabOrder(self.show_key, self.advanced)
        self.setTabOrder(self.advanced, self.base_url_edit)
        (self.key_edit if name else self.name_edit).setFocus()

    @property
    def saved_account(self) -> Account | None:
        """The account saved by this dialog, once the key was accepted."""
        return self._saved

    def _toggle_echo(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.key_edit.setEchoMode(mode)

    @staticmethod
    def _show_as_fact(edit: QLineEdit) -> None:
        """Make ``edit`` read-only and look it: most styles paint a read-only field like an
        editable one. It keeps the dialog's background and stays selectable (to copy the
        name), but is no longer a Tab stop."""
        edit.setReadOnly(True)
        palette = edit.palette()
        palette.setColor(QPalette.ColorRole.Base, palette.color(QPalette.ColorRole.Window))
        edit.setPalette(palette)
        edit.setFocusPolicy(Qt.FocusPolicy.ClickFocus)

    def _toggle_advanced(self, on: bool) -> None:
        self.base_url_edit.setVisible(on)
        self.base_url_label.setVisible(on)

    def _set_editable(self, editable: bool) -> None:
        for widget in (self.name_edit, self.key_edit, self.base_url_edit, self.advanced):
            if widget is self.name_edit and self._for_account:
                continue  # read-only throughout; disabling would grey out whose key it is
            widget.setEnabled(editable)
        self.save_button.setEnabled(editable)

    def save(self) -> None:
        """Check the inputs, then ask Attentive (GET /me) whether the key works."""
        from attentive_desktop.api.errors import InsecureBaseUrl
        from attentive_desktop.api.urls import validate_base_url

        name = self.name_edit.text().strip()
        key = self.key_edit.text().strip()
        if not name:
            self._problem("Enter a name for this account, e.g. “Acme production”.")
            self.name_edit.setFocus()
            return
        if not key:
            self._problem("Paste the API key for this account.")
            self.key_edit.setFocus()
            return
        try:
            base_url = validate_base_url(self.base_url_edit.text())
        except InsecureBaseUrl as exc:
            self.advanced.setChecked(True)
            self._problem(str(exc))
            self.base_url_edit.setFocus()
            return
        self._pending = (name, base_url, key)
        self._set_editable(False)
        set_status_text(self.status_label, "Checking the key with Attentive…")
        self._job = self._api.check_key(base_url, key, name)  # its history row names it

    def _keys_session_only(self, session_only: object) -> None:
        if isValid(self):
            where = NO_KEYCHAIN if session_only else IN_KEYCHAIN
            self.intro_label.setText(f"{self._intro} {where}")

    def _problem(self, text: str) -> None:
        set_status_text(self.status_label, text, "error")

    def _key_checked(self, job: int, me: Any) -> None:
        if job != self._job:
            return
        self._job = None
        name, base_url, key = self._pending
        book = self._book
        existing = book.get(name)
        company = getattr(me, "company_name", None)
        if existing is not None and existing.company_name and company != existing.company_name:
            self._set_editable(True)  # a name never passes silently to another company
            belongs = f"this key belongs to {company or 'another company'}"
            if self._for_account:
                self._problem(
                    f"“{name}” is the account for {existing.company_name}; {belongs}. Paste "
                    f"the key of {existing.company_name}, or add the other company as a new "
                    "account."
                )
                self.key_edit.setFocus()
                self.key_edit.selectAll()
                return
            self._problem(
                f"“{name}” is already the account for {existing.company_name}; {belongs}. "
                "Choose another name."
            )
            self.name_edit.setFocus()
            return
        self._saving = True
        self.cancel_button.setEnabled(False)
        set_status_text(self.status_label, "The key works. Saving it in the keychain…")
        self._keychain.call(
            lambda: (book.save(name, base_url, key, me), book.keys_are_session_only),
            lambda saved: self._saved_in_keychain(me, *saved),  # type: ignore[misc]
            self._not_saved,
        )

    def _not_saved(self, message: str) -> None:
        """The keychain is locked or refused: say so and keep the dialog open."""
        self._saving = False
        self.cancel_button.setEnabled(True)
        self._set_editable(True)
        self._problem(message)

    def _saved_in_keychain(self, me: Any, account: Account, session_only: bool) -> None:
        self._saving = False
        self._saved = account
        company = me.company_name or "(no company name)"
        domain = me.attentive_domain_name or "(no domain)"
        where = (
            "kept for this session only (no system keychain)"
            if session_only
            else "saved in the system keychain"
        )
        set_status_text(
            self.status_label,
            f"✓ The key works. Company: {company} · Domain: {domain}. Key {where}.",
            "ok",
        )
        self.save_button.hide()
        self.cancel_button.hide()
        self.done_button.show()
        self.done_button.setDefault(True)
        self.done_button.setFocus()
        self.accountSaved.emit(self._saved)

    def _check_failed(self, job: int, message: str, kind: str) -> None:
        if job != self._job:
            return
        self._job = None
        self._set_editable(True)
        if kind == "unauthorized":
            message = (
                "Attentive did not accept this API key. Check that you copied the whole key "
                "and that the app is still installed in Attentive."
            )
            self.key_edit.setFocus()
            self.key_edit.selectAll()
        self._problem(message)

    def reject(self) -> None:
        """Close; a key check still running is cancelled. Not while the keychain saves the
        key: it cannot be called back, and the window must learn of the account it saved."""
        if self._saving:
            return
        if self._job is not None:
            self._api.cancel(self._job)
            self._job = None
        super().reject()


def open_account_dialog(window: Any, name: str = "", *, replacing: bool = False) -> AccountDialog:
    """Open the Add account dialog over the main ``window`` (non-blocking); a saved account
    becomes the one in use. For an account's ``name`` (its key is missing, or ``replacing``
    it) the key is checked against that account's own server; ``replacing`` also fixes the
    name and titles the dialog after the account."""
    book = window.book
    account = book.get(name) if name else None
    base_url = book.base_url_for(account) if account else book.base_url_override
    dialog = AccountDialog(
        window.api,
        book,
        window.keychain,
        default_base_url=base_url,
        name=name,
        for_account=replacing and account is not None and not book.is_session(name),
        parent=window,
    )
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.accountSaved.connect(lambda saved: window.refresh_accounts(saved.name))
    dialog.accountSaved.connect(lambda _saved: window.update_key_notice())
    dialog.accountSaved.connect(lambda saved: window.use_account(saved.name))
    dialog.open()
    return dialog


def replace_key(window: Any) -> AccountDialog | None:
    """Account ▸ Replace API key…: ask for a new key for the saved account in use (after
    Attentive revoked or rotated the old one). None, with a message why, when there is no
    such account or a send is under way."""
    name = window.account_name
    if not name or window.book.is_session(name):
        text = "The sandbox account has no key to replace." if name else "No account is in use."
        window.show_message(text, "info")
        return None
    if window.editor.sending:
        window.show_message("Replace the key once the send has finished.", "warning")
        return None
    return window.open_account_dialog(name, replacing=True)
