"""Revert a send: find its revision, re-read the user, preview, send the prior values back.

Every step that touches the disk or the network runs on the API worker; the GUI thread only
shows the preview. Attributes the send created cannot be removed through the Custom
Attributes API: the preview and the result say so instead of pretending.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from attentive_desktop.gui.diff_dialog import DiffTable
from attentive_desktop.gui.theme import set_status_text

ATTRIBUTES_ENDPOINT = "/attributes/custom"
NO_REVISION_FOR_USER = (
    "No send to {user} is recorded for this account yet, so there is nothing to revert. "
    "Sends are recorded when the user was looked up first."
)
NO_REVISION_FOR_ROW = (
    "This request has no revision to revert: only successful sends to a looked-up user keep "
    "the values they replaced."
)


def _read_attributes(client: Any, user: Any) -> dict[str, str]:
    """The user's attributes now ({} when the user does not exist)."""
    try:
        found = client.get_custom_attributes(**user.lookup_query().params())
    except Exception as exc:
        if getattr(exc, "status", None) == 404:
            return {}
        raise
    return {a.name: a.value for a in found}


class RevertDialog(QDialog):
    """The revert preview: what goes back (current → prior value) and what cannot be removed.

    Signals: confirmed(object dict[str, str] values to send back).
    """

    confirmed = Signal(object)

    def __init__(
        self,
        revision: Any,
        preview: Any,
        changed_since: dict[str, str],
        mask: Callable[[str], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("revertDialog")
        self.setWindowTitle("Revert a send")
        self.setAccessibleName("Revert a send")
        self.resize(760, 440)
        self.preview = preview
        plan = revision.revert_plan()
        heading = QLabel(
            f"Put back what the send to <b>{mask(revision.user_label)}</b> replaced "
            f"(account {revision.account}):",
            self,
        )
        heading.setObjectName("revertHeading")
        heading.setWordWrap(True)
        self.table = DiffTable(self)
        self.table.setObjectName("revertTable")
        self.table.set_rows(preview.rows, mask)
        self.plan_label = QLabel(" ".join(plan.sentences()[:1]), self)
        self.plan_label.setObjectName("revertPlan")
        self.plan_label.setWordWrap(True)
        self.cannot_label = QLabel(self)
        self.cannot_label.setObjectName("revertCannotRemove")
        self.cannot_label.setAccessibleName("Attributes that cannot be removed")
        self.cannot_label.setWordWrap(True)
        set_status_text(self.cannot_label, "\n".join(plan.sentences()[1:]), "warning")
        self.changed_label = QLabel(self)
        self.changed_label.setObjectName("revertChangedSince")
        self.changed_label.setWordWrap(True)
        if changed_since:
            lines = [
                f"'{name}' was changed after this send (now '{mask(value)}'): reverting "
                "overwrites that change."
                for name, value in changed_since.items()
            ]
            set_status_text(self.changed_label, "\n".join(lines), "warning")
        else:
            self.changed_label.hide()
        buttons = QDialogButtonBox(self)
        self.revert_button = QPushButton(self)
        self.revert_button.setObjectName("revertSendButton")
        self.revert_button.setDefault(True)
        buttons.addButton(self.revert_button, QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setObjectName("revertCancelButton")
        cancel.setAccessibleName("Cancel")
        buttons.accepted.connect(self._revert)
        buttons.rejected.connect(self.reject)
        count = len(self.to_send())
        self.revert_button.setEnabled(count > 0)
        self.revert_button.setText(f"Revert {count} value{'s' if count != 1 else ''}")
        if not count and plan.possible:
            self.plan_label.setText("The user already has the previous values: nothing to send.")
        self.revert_button.setAccessibleName(self.revert_button.text())
        layout = QVBoxLayout(self)
        for widget in (heading, self.table, self.plan_label, self.cannot_label, self.changed_label):
            layout.addWidget(widget, 1 if widget is self.table else 0)
        layout.addWidget(buttons)

    def to_send(self) -> dict[str, str]:
        """The prior values that differ from what the user has now."""
        return self.preview.to_send()

    def _revert(self) -> None:
        values = self.to_send()
        if values:
            self.accept()
            self.confirmed.emit(values)


class RevertController(QObject):
    """ "Revert last send" and "Revert this send…": revision → fresh re-read → preview → send
    back → re-read and verify.

    Signals: message(str text, str kind); reverted(object UserRef, object dict attributes).
    """

    message = Signal(str, str)
    reverted = Signal(object, object)

    def __init__(
        self,
        tasks: Any,
        revisions: Callable[[], Any],
        account: Callable[[], str | None],
        schema: Any,
        mask: Callable[[str], str],
        parent_widget: QWidget,
    ) -> None:
        super().__init__(parent_widget)
        self._tasks = tasks
        self._revisions = revisions
        self._account = account
        self._schema = schema
        self._mask = mask
        self._parent = parent_widget
        self.dialog: RevertDialog | None = None

    def revert_last(self, user: Any) -> None:
        """Revert the newest recorded send to `user` (a UserRef) in the account in use."""
        account = self._account()
        if account is None:
            self.message.emit("Add an Attentive account first.", "error")
            return
        label = user.describe()
        self._prepare(
            lambda revisions: revisions.latest_for_user(account, label),
            NO_REVISION_FOR_USER.format(user=self._mask(label)),
        )

    def revert_record(self, record: Any) -> None:
        """Revert the send that history row `record` belongs to."""
        if record is None or record.method != "POST" or record.endpoint != ATTRIBUTES_ENDPOINT:
            self.message.emit(
                "Only attribute sends (POST /attributes/custom) can be reverted.", "error"
            )
            return
        record_id = record.id
        self._prepare(lambda revisions: revisions.for_history(record_id), NO_REVISION_FOR_ROW)

    def _prepare(self, find: Callable[[Any], Any], none_text: str) -> None:
        revisions = self._revisions
        account = self._account()

        def job(client: Any) -> object:
            revision = find(revisions())
            if revision is None or revision.account != account:
                return revision
            return revision, _read_attributes(client, revision.user_ref())

        def done(result: Any) -> None:
            if result is None:
                self.message.emit(none_text, "warning")
            elif not isinstance(result, tuple):
                self.message.emit(
                    f"That send was made with the account “{result.account}”: switch to it "
                    "to revert it.",
                    "warning",
                )
            else:
                self._show(*result)

        self.message.emit("Reading the user's current values to preview the revert…", "info")
        self._tasks.api(job, done, self._failed)

    def _show(self, revision: Any, current: dict[str, str]) -> None:
        plan = revision.revert_plan()
        preview = plan.preview(current, self._schema)
        changed = plan.changed_since(current, revision.sent)
        dialog = RevertDialog(revision, preview, changed, self._mask, self._parent)
        dialog.confirmed.connect(lambda values: self._send(revision, current, values))
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()

    def _send(self, revision: Any, current: dict[str, str], values: dict[str, str]) -> None:
        user = revision.user_ref()
        revisions = self._revisions

        def record(started_at: float) -> None:
            revisions().record(
                account=revision.account,
                user=user,
                before=current,
                sent=values,
                started_at=started_at,
                reverts=revision.id,
            )

        label = self._mask(revision.user_label)
        self.message.emit(f"Reverting {label}…", "info")
        self._tasks.send(
            user, values, lambda _r: self._reread(revision, values), self._failed, after=record
        )

    def _reread(self, revision: Any, values: dict[str, str]) -> None:
        from attentive_desktop.core.verify import verify_sent

        user = revision.user_ref()

        def done(attributes: dict[str, str]) -> None:
            verification = verify_sent(values, attributes, self._schema)
            names = ", ".join(f"'{n}'" for n in values)
            text = f"Reverted {names} for {self._mask(revision.user_label)}: "
            text += verification.summary()
            cannot = revision.revert_plan().cannot_remove
            if cannot:
                listed = ", ".join(f"'{n}'" for n in cannot)
                text += f" {listed} cannot be removed through this API and kept its value."
            self.message.emit(text, "ok" if verification.ok else "warning")
            self.reverted.emit(user, attributes)

        self._tasks.api(lambda client: _read_attributes(client, user), done, self._failed)

    def _failed(self, message: str, kind: str) -> None:
        self.message.emit(
            f"Revert failed: {message}", "warning" if kind == "cancelled" else "error"
        )
