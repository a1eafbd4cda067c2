"""The account toolbar: the switcher and Add account…."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import QSignalBlocker, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QComboBox, QLabel, QMainWindow, QSizePolicy, QToolBar, QWidget

if TYPE_CHECKING:
    from attentive_desktop.store.accounts import Account


def account_label(account: Account) -> str:
    """ "Name — Company (domain)" or just the name when GET /me told nothing yet."""
    if account.company_name and account.company_name != account.name:
        domain = f" ({account.domain})" if account.domain else ""
        return f"{account.name} — {account.company_name}{domain}"
    return account.name


class AccountSwitcher(QComboBox):
    """Lists the accounts; choosing one makes it the account the window reads and writes.

    Signals: accountChosen(str name).
    """

    accountChosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("accountSwitcher")
        self.setAccessibleName("Account")
        self.setToolTip("The Attentive account this window reads from and writes to")
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.setMinimumContentsLength(18)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.activated.connect(self._activated)

    def set_accounts(self, accounts: Iterable[Account], current: str | None) -> None:
        """Fill the list and select ``current`` without emitting accountChosen."""
        with QSignalBlocker(self):
            self.clear()
            for account in accounts:
                self.addItem(account_label(account), account.name)
            position = self.findData(current) if current is not None else -1
            self.setCurrentIndex(position if position >= 0 else (0 if self.count() else -1))
        self.setEnabled(self.count() > 0)
        if self.count() == 0:
            self.setPlaceholderText("No account yet")

    def current_name(self) -> str | None:
        """The selected account's name."""
        data = self.currentData()
        return str(data) if data is not None else None

    def _activated(self, index: int) -> None:
        name = self.itemData(index)
        if name is not None:
            self.accountChosen.emit(str(name))


def account_toolbar(window: QMainWindow) -> tuple[QToolBar, AccountSwitcher, QAction]:
    """The main window's Account toolbar: "Account:", the switcher (its buddy) and the
    Add account… action (its button named for tests and screen readers)."""
    bar = QToolBar("Account", window)
    bar.setObjectName("accountToolbar")
    bar.setMovable(False)
    label = QLabel(" Account: ", bar)
    switcher = AccountSwitcher(bar)
    label.setBuddy(switcher)
    bar.addWidget(label)
    bar.addWidget(switcher)
    add_account = QAction("Add account…", window)
    add_account.setObjectName("addAccountAction")
    bar.addAction(add_account)
    button = bar.widgetForAction(add_account)
    button.setObjectName("addAccountButton")
    button.setAccessibleName("Add account")
    return bar, switcher, add_account
