"""Beside the lookup: the user's subscriptions and whether each may receive messages.

After each successful lookup the panel asks GET /subscriptions on the API worker. A key
without subscriptions:read gets one polite line instead of an error, and the panel stops
asking until the account changes. A 404 there says no subscription is on record: the lookup
just found the user, so "no such user" would contradict it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QGroupBox, QLabel, QVBoxLayout, QWidget

from attentive_desktop.gui.theme import set_status_text

NO_SCOPE = "This key can't read subscriptions (needs subscriptions:read)."
NONE_ON_RECORD = "No subscriptions on record for this user."


class SubscriptionsPanel(QGroupBox):
    """Eligibility per channel and type for the looked-up user (read-only)."""

    def __init__(self, tasks: Any, parent: QWidget | None = None) -> None:
        super().__init__("Subscriptions", parent)
        self.setObjectName("subscriptionsPanel")
        self.setAccessibleName("Subscriptions")
        self._tasks = tasks
        self._job: int | None = None
        self._no_scope = False
        self.list_label = QLabel(self)
        self.list_label.setObjectName("subscriptionsList")
        self.list_label.setAccessibleName("Subscription eligibility")
        self.list_label.setWordWrap(True)
        self.list_label.hide()  # shown with a list, so it is never announced empty
        self.status_label = QLabel(self)
        self.status_label.setObjectName("subscriptionsStatus")
        self.status_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 6)
        layout.addWidget(self.list_label)
        layout.addWidget(self.status_label)
        self.entries: list[Any] = []
        self.hide()

    @property
    def loading(self) -> bool:
        """True while the subscriptions of the looked-up user are being read."""
        return self._job is not None

    @property
    def hidden_for_scope(self) -> bool:
        """True once the key was found to lack subscriptions:read (until the account changes)."""
        return self._no_scope

    def account_changed(self, *args: object) -> None:
        """Forget the scope answer and the shown user: a new key may read subscriptions."""
        self._no_scope = False
        self.clear()

    def clear(self) -> None:
        """Show nothing (before a lookup, or when the user does not exist)."""
        if self._job is not None:
            self._tasks.cancel(self._job)
            self._job = None
        self._show_list([])
        set_status_text(self.status_label, "")
        self.setVisible(self._no_scope)

    def looked_up(self, query: Any, attributes: object) -> None:
        """Load the subscriptions of the user just looked up (None attributes: no such user)."""
        if query is None or attributes is None:
            self.clear()
            return
        if self._no_scope:
            self._show_no_scope()
            return
        if self._job is not None:
            self._tasks.cancel(self._job)
        params = query.params()
        self._show_list([])
        set_status_text(self.status_label, "Loading subscriptions…")
        self.show()
        self._job = self._tasks.api(
            lambda client: client.get_subscriptions(**params), self._loaded, self._failed
        )

    def _loaded(self, entries: Any) -> None:
        self._job = None
        self._show_list(list(entries or []))
        set_status_text(self.status_label, "" if self.entries else NONE_ON_RECORD)

    def _failed(self, message: str, kind: str) -> None:
        self._job = None
        if kind == "cancelled":
            return
        if kind == "access-denied":
            self._no_scope = True
            self._show_no_scope()
            return
        self._show_list([])
        if kind == "not-found":
            set_status_text(self.status_label, NONE_ON_RECORD)
            return
        set_status_text(self.status_label, f"Subscriptions could not be read: {message}", "warning")

    def _show_no_scope(self) -> None:
        self._show_list([])
        set_status_text(self.status_label, NO_SCOPE)
        self.show()

    def _show_list(self, entries: list[Any]) -> None:
        self.entries = entries
        marks = {True: "✓", False: "✗", None: "?"}
        self.list_label.setText("\n".join(f"{marks[e.eligible]} {e.label}" for e in entries))
        self.list_label.setVisible(bool(entries))
