"""Look up, send, verify: what the window's buttons do, routed through ApiService's signals."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal

if TYPE_CHECKING:  # dialogs load when first opened, not at start-up
    from attentive_desktop.core.identifiers import LookupQuery, UserRef
    from attentive_desktop.gui.dialogs import RequestDialog
    from attentive_desktop.gui.lookup_form import LookupForm
    from attentive_desktop.gui.property_editor import PropertyEditor

NOT_FOUND = {
    "phone": "No Attentive user has this phone number yet ({value}). Check the number for "
    "typos, or try the email address.",
    "email": "No Attentive user has this email address yet ({value}). Check the address for "
    "typos, or try the phone number.",
}


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


MISSING_KEY = (
    "The key for “{name}” is not on this computer: enter it again with Account ▸ Add account…, "
    "under the same name."
)


class LookupSendFlow(QObject):
    """Runs a lookup or a send for the window and turns every outcome into a plain sentence.

    Warnings (type lock, case collision, whitespace) are confirmed once per set of warnings.
    After a successful send the user is re-read (when they have a phone or email) and each row
    is marked verified or not. Signals: message(str text, str kind) for the status bar;
    userLookedUp(object LookupQuery, object list[CustomAttribute] | None (404));
    sendVerified(object core.verify.Verification); sendStarting(object UserRef, object dict)
    just before the request is queued (a draft keeper saves the edit then); sendSucceeded(object
    UserRef) once Attentive accepted it; sendFailed(str kind) when it failed (api.errors kinds).

    Profile tools hook in through attributes: `schema` (a SchemaView for the diff and the
    verification), `reviewer(user, before, properties, go)` (shows the diff preview and calls
    `go(properties_to_send)`), `recorder(user, before, sent)` (returns an `after(started_at)`
    step the worker runs once the send succeeded, e.g. recording a revision, or None).
    """

    message = Signal(str, str)
    userLookedUp = Signal(object, object)
    sendVerified = Signal(object)
    sendStarting = Signal(object, object)
    sendSucceeded = Signal(object)
    sendFailed = Signal(str)

    def __init__(
        self,
        api: Any,
        form: LookupForm,
        editor: PropertyEditor,
        base_url: Callable[[], str | None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._api = api
        self._form = form
        self._editor = editor
        self._model = editor.model
        self._base_url = base_url
        self._lookup_job: int | None = None
        self._lookup_query: LookupQuery | None = None
        self._send_job: int | None = None
        self._verify_job: int | None = None
        self._sent_user: UserRef | None = None
        self._confirmed: frozenset[tuple[str, str, str]] = frozenset()
        self._last_lookup: tuple[LookupQuery, dict[str, str]] | None = None
        self._sent_values: dict[str, str] = {}
        self.has_account = False
        self.switching_to: str | None = None  # the account whose key is being read
        self.missing_key: str | None = None  # the account chosen whose key is not here
        self.schema: Any = None
        self.reviewer: Callable[..., None] | None = None
        self.recorder: Callable[..., Callable[[float], object] | None] | None = None
        api.lookedUp.connect(self._looked_up)
        api.sent.connect(self._sent)
        api.failed.connect(self._failed)
        api.cancelled.connect(self._cancelled)
        form.busyChanged.connect(editor.set_lookup_running)

    # lookup ---------------------------------------------------------------------------------
    def lookup(self) -> int | None:
        """Look the user up by phone or email; returns the job id or None if nothing ran."""
        from attentive_desktop.core.identifiers import InvalidIdentifier

        if not self._need_account():
            return None
        try:
            query = self._form.lookup_query()
        except InvalidIdentifier as exc:
            self.message.emit(exc.message, "error")
            return None
        if self._lookup_job is not None:
            self._api.cancel(self._lookup_job)
        self._lookup_query = query
        self._lookup_job = self._api.lookup(query)
        self._form.set_busy(True)
        self._form.set_status(f"Looking up {query.value}…")
        if not self._editor.sending:
            self._editor.set_result("")
        return self._lookup_job

    def _looked_up(self, job: int, attributes: list) -> None:
        if job == self._lookup_job:
            self._lookup_job = None
            self._form.set_busy(False)
            self._model.set_current(attributes)
            value = self._lookup_query.value if self._lookup_query else ""
            if self._lookup_query is not None:
                self._last_lookup = (self._lookup_query, {a.name: a.value for a in attributes})
            text = f"Found {value}: {_plural(len(attributes), 'attribute')}."
            self._form.set_status(text, "ok")
            self.message.emit(text, "ok")
            self.userLookedUp.emit(self._lookup_query, attributes)
        elif job == self._verify_job:
            from attentive_desktop.core.verify import verify_sent

            self._verify_job = None
            self._editor.set_sending(False)
            verification = verify_sent(self._sent_values, attributes, self.schema)
            self._model.mark_verification(verification, attributes)
            if self._sent_user is not None:
                query = self._sent_user.lookup_query()
                self._last_lookup = (query, {a.name: a.value for a in attributes})
            text = f"Sent, then re-read from Attentive: {verification.summary()}"
            kind = "ok" if verification.ok else "warning"
            self._editor.set_result(text, kind)
            self.message.emit(text, kind)
            self.sendVerified.emit(verification)

    # send -----------------------------------------------------------------------------------
    def send(self) -> None:
        """Send the table's attributes to the user in the form, confirming warnings once."""
        from attentive_desktop.core.identifiers import InvalidIdentifier

        if self._editor.sending or not self._need_account():
            return
        self._editor.commit_edit()  # Ctrl+Return while a value is still being typed
        try:
            user = self._form.user_ref()
        except InvalidIdentifier as exc:
            text = f"Say who to send to first. {exc.message}"
            self._editor.set_result(text, "error")
            self.message.emit(text, "error")
            return
        if not self._model.properties():
            self._editor.set_result("Add at least one attribute with a name to send.", "error")
            return
        if self._model.has_errors():
            self._editor.set_result("Fix the errors in the Check column before sending.", "error")
            return
        warnings = list(self._model.warnings())
        keys = frozenset((w.property, w.code, w.message) for w in warnings)
        if warnings and not keys <= self._confirmed:

            def go() -> None:
                self._confirmed = self._confirmed | keys
                self._review(user)

            from attentive_desktop.gui.dialogs import confirm

            listing = "\n".join(f"• {w.message}" for w in warnings)
            confirm(
                self._editor.window(),
                object_name="warningsConfirm",
                title="Send with warnings?",
                text=f"{_plural(len(warnings), 'warning')} for this send:",
                details=listing,
                yes_text="Send anyway",
                on_yes=go,
            )
            return
        self._review(user)

    def before_for(self, user: UserRef) -> dict[str, str] | None:
        """The attributes the last lookup found, if it was of this user (else None)."""
        if self._last_lookup is None:
            return None
        query, attributes = self._last_lookup
        if getattr(user, query.field) != query.value:
            return None
        return dict(attributes)

    def forget_lookup(self) -> None:
        """Another account is in use: what the last lookup found (its values, the preview's
        "before") belongs to the old one. The edits stay."""
        if self._lookup_job is not None:
            self._api.cancel(self._lookup_job)
            self._lookup_job = None
            self._form.set_busy(False)
        if self._last_lookup is not None or self._model.current():
            self._form.set_status("Account changed: look the user up again to see their values.")
        self._last_lookup = None
        self._model.forget_lookup()

    def remember_lookup(self, user: UserRef, attributes: dict[str, str]) -> None:
        """Take `attributes` as what `user` holds now (e.g. re-read after a revert)."""
        if user.phone or user.email:
            self._last_lookup = (user.lookup_query(), dict(attributes))

    def _review(self, user: UserRef) -> None:
        properties = self._model.properties()
        before = self.before_for(user)
        if before is None or self.reviewer is None:
            self._start_send(user, properties, before)
            return
        self.reviewer(
            user, before, properties, lambda chosen: self._start_send(user, chosen, before)
        )

    def _start_send(
        self, user: UserRef, properties: dict[str, str], before: dict[str, str] | None
    ) -> None:
        if self._editor.sending or not properties:
            return
        self._sent_user = user
        self._sent_values = dict(properties)
        after = self.recorder(user, before, properties) if self.recorder is not None else None
        self.sendStarting.emit(user, dict(properties))
        self._send_job = self._api.send(user, properties, after=after)
        self._model.mark_pending()
        self._editor.set_sending(True)
        self._editor.set_result(
            f"Sending {_plural(len(properties), 'attribute')} to {user.describe()}…"
        )

    def _sent(self, job: int) -> None:
        if job != self._send_job:
            return
        self._send_job = None
        self._model.mark_sent()
        user = self._sent_user
        self.sendSucceeded.emit(user)
        if user is not None and (user.phone or user.email):
            self._verify_job = self._api.lookup(user.lookup_query())
            self._editor.set_result("Sent. Re-reading the user to verify…", "ok")
            return
        self._editor.set_sending(False)
        text = (
            "Sent. This user has no phone or email, so the values cannot be read back to "
            "verify them."
        )
        self._editor.set_result(text, "ok")
        self.message.emit(text, "ok")

    def cancel(self) -> None:
        """Cancel whatever runs: the send, its verification, or a lookup."""
        for job in (self._send_job, self._verify_job, self._lookup_job):
            if job is not None:
                self._api.cancel(job)

    def _cancelled(self, job: int) -> None:
        if job == self._lookup_job:
            self._lookup_job = None
            self._form.set_busy(False)
            self._form.set_status("Lookup cancelled.", "warning")
            self.message.emit("Lookup cancelled.", "warning")
        elif job == self._send_job:
            self._send_job = None
            self._editor.set_sending(False)
            self._model.clear_marks()
            text = (
                "Send cancelled. If the request had already reached Attentive it may have been "
                "applied: look the user up to check."
            )
            self._editor.set_result(text, "warning")
            self.message.emit(text, "warning")
        elif job == self._verify_job:
            self._verify_job = None
            self._editor.set_sending(False)
            self._editor.set_result("Sent. Verification was cancelled.", "warning")

    # failures -------------------------------------------------------------------------------
    def _failed(self, job: int, text: str, kind: str) -> None:
        if kind == "unauthorized":  # where, in this window
            text += " Account ▸ Replace API key… takes the new one."
        if job == self._lookup_job:
            self._lookup_job = None
            self._form.set_busy(False)
            if kind == "not-found" and self._lookup_query is not None:
                query = self._lookup_query
                text = NOT_FOUND[query.field].format(value=query.value)
                self._model.set_current([])
                self._last_lookup = (query, {})
                self.userLookedUp.emit(query, None)
                self._form.set_status(text, "warning")
                self.message.emit(text, "warning")
                return
            self._form.set_status(text, "error")
        elif job == self._send_job:
            self._send_job = None
            self._editor.set_sending(False)
            self._model.clear_marks()
            text = f"Not sent. {text}"
            self._editor.set_result(text, "error")
            self.sendFailed.emit(kind)
        elif job == self._verify_job:
            self._verify_job = None
            self._editor.set_sending(False)
            text = f"Sent, but reading the user back failed: {text}"
            self._editor.set_result(text, "warning")
            self.message.emit(text, "warning")
            return
        else:
            return
        self.message.emit(text, "error")

    def _need_account(self) -> bool:
        if self.has_account:
            return True
        text = "Add an Attentive account first (Account ▸ Add account…)."
        if self.switching_to:
            text = f"Wait a moment: the key for “{self.switching_to}” is still being read."
        elif self.missing_key:
            text = MISSING_KEY.format(name=self.missing_key)
        self.message.emit(text, "error")
        return False

    # show request ---------------------------------------------------------------------------
    def show_request(self) -> RequestDialog | None:
        """Open a window with the exact JSON body Send would post."""
        from attentive_desktop.core.identifiers import InvalidIdentifier
        from attentive_desktop.gui.dialogs import RequestDialog

        self._editor.commit_edit()
        try:
            user = self._form.user_ref()
        except InvalidIdentifier as exc:
            self.message.emit(f"Say who to send to first. {exc.message}", "error")
            return None
        properties, note = self._model.properties(), ""
        before = self.before_for(user)
        if before is not None and self.reviewer is not None:  # Send goes through the preview
            from attentive_desktop.core.diff import ChangeKind, diff_properties

            diff = diff_properties(before, properties)
            properties = diff.to_send()
            same = [f"“{r.name}”" for r in diff.of_kind(ChangeKind.UNCHANGED)]
            if same:
                note = (
                    f"Left out, as the user already has these values: {', '.join(same)}. "
                    "The preview before sending can include them."
                )
        body = self._model.request_body(user, properties)
        url = f"{self._base_url() or ''}/attributes/custom"
        dialog = RequestDialog(f"POST {url}", body, self._editor.window(), note=note)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    @property
    def lookup_job(self) -> int | None:
        """The id of the lookup in progress, if any."""
        return self._lookup_job

    @property
    def busy(self) -> bool:
        """True while a lookup, send or verification runs."""
        return any(j is not None for j in (self._lookup_job, self._send_job, self._verify_job))
