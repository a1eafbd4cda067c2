"""Actions ▸ Link identifiers (Identity API): tie a clientUserId or custom identifier to the
phone or email in the lookup form, so a later write naming only that identifier finds the
user. Runs on the API worker; a 202 becomes one plain sentence."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal


class IdentityLinker(QObject):
    """Links the form's external identifiers to its phone or email.

    Signals: message(str text, str kind); linked(object UserRef).
    """

    message = Signal(str, str)
    linked = Signal(object)

    def __init__(
        self, tasks: Any, form: Any, mask: Callable[[str], str], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._form = form
        self._mask = mask
        self.job: int | None = None

    def link(self) -> int | None:
        """Link what the form holds; returns the job id, or None when the form is not ready."""
        from attentive_desktop.core.identifiers import InvalidIdentifier

        try:
            user = self._form.user_ref()
        except InvalidIdentifier as exc:
            self.message.emit(exc.message, "error")
            return None
        if not (user.client_user_id or user.custom_identifiers):
            self.message.emit(
                "Enter a clientUserId or a custom identifier to link to this user.", "error"
            )
            return None
        if not (user.phone or user.email):
            self.message.emit(
                "Enter the phone or email of the user to link the identifier to.", "error"
            )
            return None
        anchor = self._mask(user.phone or user.email or "")
        names = []
        if user.client_user_id:
            names.append(f"clientUserId '{user.client_user_id}'")
        names += [f"{c.name} '{c.value}'" for c in user.custom_identifiers]
        what = " and ".join(names)

        def done(_result: object) -> None:
            self.job = None
            self.message.emit(
                f"Linked {what} to {anchor}. Writes that name only this identifier now reach "
                "this user.",
                "ok",
            )
            self.linked.emit(user)

        def failed(text: str, kind: str) -> None:
            self.job = None
            self.message.emit(f"Could not link identifiers: {text}", "error")

        self.message.emit(f"Linking {what} to {anchor}…", "info")
        self.job = self._tasks.api(lambda client: client.link_identifiers(user), done, failed)
        return self.job
