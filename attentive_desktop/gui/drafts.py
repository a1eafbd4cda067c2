"""Keeping the editor's edit on disk, so that a crash (even kill -9) never loses it.

`DraftKeeper` watches the lookup form and the property table. A change that alters what the
user typed is saved (debounced) on its own worker thread; just before a send the edit is saved
on the API worker, ahead of the request in the same queue, so it is on disk before the request
leaves. Once Attentive accepted the send (and the user was read back, when that is possible)
the draft is cleared. At start-up a draft left by an earlier session is moved aside (into a
slot of its own, so an offer left unanswered is offered again next time) and the drafts set
aside are offered back one by one, oldest first: `offered(Draft)`, then `restore()` or
`discard()`. Restoring over an edit typed meanwhile sets that edit aside, offered next.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from attentive_desktop.gui.worker import WorkerThread

if TYPE_CHECKING:
    from attentive_desktop.store.drafts import Draft, DraftStore

log = logging.getLogger(__name__)

DEBOUNCE_MS = 400
KEY_REMOVED = "[API key removed]"
PREVIOUS_SLOT = "previous"  # and "previous-<ns>": one slot per draft set aside
REFUSED = frozenset(
    {"bad-request", "unauthorized", "access-denied", "not-found", "rate-limited", "invalid"}
)
"""Failure kinds (api.errors) that mean Attentive answered and did not take the send; after
the others (no answer, a server error, a cancel) it may have arrived."""


def restored_text(draft: Draft) -> str:
    """The sentence shown once a draft was put back in the window."""
    from attentive_desktop.store.drafts import SENDING

    text = f"Your unsent edit for {draft.describe()} was restored."
    if draft.state == SENDING:
        text += (
            " Send had been pressed, but no answer came back before the app stopped: look the "
            "user up to see whether it arrived, then send again if needed."
        )
    return text


def offer_text(draft: Draft, more: int = 0) -> str:
    """The sentence offering a draft set aside (``more``: how many wait after it)."""
    rows = sum(1 for name, value in draft.rows if name.strip() or value.strip())
    noun = "attribute" if rows == 1 else "attributes"
    account = f" (account “{draft.account}”)" if draft.account else ""
    after = f" {more} more kept {'edit follows' if more == 1 else 'edits follow'}." if more else ""
    return (
        f"Your unsent edit for {draft.describe()}{account}, {rows} {noun}, was kept. "
        f"Restore it?{after}"
    )


def _without_keys(text: str, keys: list[str]) -> str:
    """``text`` with any API key pasted into it by mistake removed: a draft is a file."""
    for key in keys:
        text = text.replace(key, KEY_REMOVED)
    return text


class DraftKeeper(QObject):
    """Saves the window's edit as a draft and offers back the one a crash left behind.

    Collaborators: `store` (store.drafts.DraftStore), the window's `form` (LookupForm),
    `model` (PropertyTableModel), `flow` (LookupSendFlow), `api` (ApiService, for the save
    that must precede a send) and `account()` (the account name in use).
    Signals: offered(object Draft) a draft from an earlier session waits for restore/discard;
    restored(object Draft); failed(str message) the draft could not be written.
    """

    offered = Signal(object)
    restored = Signal(object)
    failed = Signal(str)

    def __init__(
        self,
        store: DraftStore,
        *,
        form: Any,
        model: Any,
        flow: Any,
        api: Any,
        account: Callable[[], str | None],
        debounce_ms: int = DEBOUNCE_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._form = form
        self._model = model
        self._flow = flow
        self._api = api
        self._account = account
        self._thread = WorkerThread("attentive-drafts")
        worker = self._thread.worker
        worker.jobSucceeded.connect(self._job_done)
        worker.jobFailed.connect(self._job_failed)
        self._thread.start()
        self._jobs: dict[int, Callable[[object], None] | None] = {}
        self._stored: tuple[object, ...] | None = None  # content on disk (None: nothing)
        self._sent: tuple[object, ...] | None = None  # content Attentive accepted last
        self._pre_send_job: int | None = None
        self._verifying = False  # accepted by Attentive, not read back yet: keep the draft
        self._closed = False
        self.pending: Draft | None = None  # the draft set aside now offered, until answered
        self._pending_slot = ""
        self._waiting: list[tuple[str, Draft]] = []  # set aside, offered after it
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(debounce_ms)
        self._timer.timeout.connect(self.save_now)
        for signal in (
            model.dataChanged,
            model.rowsInserted,
            model.rowsRemoved,
            model.modelReset,
            form.phone_edit.textChanged,
            form.email_edit.textChanged,
            form.client_id_edit.textChanged,
        ):
            signal.connect(self._changed)
        flow.sendStarting.connect(self._send_starting)
        flow.sendSucceeded.connect(self._send_succeeded)
        flow.sendFailed.connect(self._send_failed)
        flow.sendVerified.connect(lambda _verification: self._confirmed())
        api.failed.connect(self._api_failed)
        self.background(self._take_previous, self._previous_loaded)

    # --- snapshot -----------------------------------------------------------------------------

    def snapshot(self, state: str | None = None) -> Draft:
        """The edit as it stands in the window now (cheap; GUI thread)."""
        from attentive_desktop.store.drafts import EDITING, Draft

        form = self._form
        identifiers = {
            "phone": form.phone_edit.text(),
            "email": form.email_edit.text(),
            "client_user_id": form.client_id_edit.text(),
        }
        custom = tuple(row.pair() for row in form.custom_identifier_rows())
        rows = []
        keys = [key for key in self._api.known_keys() if key]
        for index in range(self._model.rowCount()):
            row = self._model.row(index)
            if row.is_edit:  # a looked-up value left as it was is the user's, not an edit
                rows.append((_without_keys(row.name, keys), _without_keys(row.value, keys)))
        return Draft(
            account=self._account() or "",
            identifiers={k: v for k, v in identifiers.items() if v},
            custom_identifiers=custom,
            rows=tuple(rows),
            state=state or EDITING,
            updated_at=time.time(),
        )

    def _changed(self, *_args: object) -> None:
        if not self._closed:
            self._timer.start()

    def save_now(self) -> None:
        """Save the edit now if it differs from what is on disk (off the GUI thread)."""
        self._timer.stop()
        if self._closed:
            return
        draft = self.snapshot()
        content = draft.content()
        if draft.is_empty or content == self._sent:
            if self._verifying:
                return  # cleared once the read-back confirms it
            if self._stored is not None:  # nothing left to lose: forget the draft
                self._stored = None
                self.background(lambda: self._store.clear())
            return
        if content == self._stored:
            return
        self._stored = content
        self.background(lambda: self._store.save(draft))

    # --- send ---------------------------------------------------------------------------------

    def _send_starting(self, _user: object, _properties: object) -> None:
        """Save before the request leaves: the API worker runs this job ahead of the send."""
        from attentive_desktop.store.drafts import SENDING

        self._timer.stop()
        draft = self.snapshot(SENDING)
        self._stored = draft.content()
        store = self._store
        self._pre_send_job = self._api.call(lambda _client: store.save(draft), needs_client=False)

    def _send_failed(self, kind: str) -> None:
        """Refused: the draft on disk is an edit again, not a send that may have arrived."""
        if kind in REFUSED:
            self._stored = None  # same content, another state: save it again
            self.save_now()

    def _send_succeeded(self, user: Any) -> None:
        self._sent = self.snapshot().content()
        self._verifying = bool(getattr(user, "phone", None) or getattr(user, "email", None))
        if not self._verifying:
            self._confirmed()  # nothing to read back: accepted is as sure as it gets

    def _confirmed(self) -> None:
        """The send went through and was read back: the edit is safe at Attentive."""
        self._verifying = False
        current = self.snapshot().content()
        if self._sent is None:
            self._sent = current
        if current == self._sent:
            self._timer.stop()
            self._stored = None
            self.background(lambda: self._store.clear())
        else:
            self.save_now()  # the user typed more meanwhile: keep that

    def _api_failed(self, job: int, message: str, kind: str) -> None:
        if job == self._pre_send_job:
            self._pre_send_job = None
            self._stored = None
            self.failed.emit(f"Your edit could not be saved as a draft. {message}")

    # --- the earlier session's draft ----------------------------------------------------------

    @property
    def waiting(self) -> int:
        """How many drafts set aside wait to be offered after the one offered now."""
        return len(self._waiting)

    def has_edit(self) -> bool:
        """True when the window holds something typed (an identifier or a row)."""
        return not self.snapshot().is_empty

    def _take_previous(self) -> list[tuple[str, Draft]]:
        """Worker: move the editor slot's draft aside into a slot of its own (so new edits can
        be saved meanwhile); returns every draft set aside, oldest first."""
        draft = self._store.load()
        if draft is not None:
            self._store.save(draft, f"{PREVIOUS_SLOT}-{time.time_ns()}")
            self._store.clear()
        return self._store.load_all(PREVIOUS_SLOT)

    def _previous_loaded(self, found: object) -> None:
        for slot, draft in found:  # type: ignore[attr-defined]
            if draft.is_empty:
                self.background(lambda slot=slot: self._store.clear(slot))
            else:
                self._waiting.append((slot, draft))
        self._offer_next()

    def _offer_next(self) -> None:
        self.pending = None
        if self._waiting:
            self._pending_slot, self.pending = self._waiting.pop(0)
            self.offered.emit(self.pending)

    def restore(self) -> Draft | None:
        """Put the offered draft back in the form and the table; returns it. What the window
        held is set aside first (offered after the others), so nothing typed is lost."""
        draft, slot = self.pending, self._pending_slot
        if draft is None:
            return None
        if self.has_edit():
            aside, aside_slot = self.snapshot(), f"{PREVIOUS_SLOT}-{time.time_ns()}"
            self.background(lambda: self._store.save(aside, aside_slot))
            self._waiting.append((aside_slot, aside))
        form = self._form
        form.phone_edit.setText(draft.identifiers.get("phone", ""))
        form.email_edit.setText(draft.identifiers.get("email", ""))
        form.client_id_edit.setText(draft.identifiers.get("client_user_id", ""))
        for row in form.custom_identifier_rows():
            form.remove_custom_identifier(row)
        for name, value in draft.custom_identifiers:
            form.add_custom_identifier(name, value)
        self._model.clear()
        for name, value in draft.rows:
            self._model.add_row(name, value)
        self.background(lambda: self._store.clear(slot))
        self.save_now()
        self.restored.emit(draft)
        self._offer_next()
        return draft

    def discard(self) -> None:
        """Forget the offered draft for good (the next one set aside, if any, is offered)."""
        if self.pending is not None:
            slot = self._pending_slot
            self.background(lambda: self._store.clear(slot))
        self._offer_next()

    # --- plumbing -----------------------------------------------------------------------------

    def background(
        self, fn: Callable[[], object], done: Callable[[object], None] | None = None
    ) -> int | None:
        """Run `fn()` on the draft worker (in order with the draft writes); `done(result)`
        follows on the GUI thread. None once shut down."""
        if self._closed:
            return None
        job = self._thread.worker.submit(lambda _token: fn())
        self._jobs[job] = done
        return job

    def _job_done(self, job: int, result: object) -> None:
        done = self._jobs.pop(job, None)
        if done is not None:
            done(result)

    def _job_failed(self, job: int, exc: object) -> None:
        self._jobs.pop(job, None)
        self._stored = None  # unknown: try again on the next change
        log.warning("could not save the editor's draft: %s", exc)
        self.failed.emit(f"Your edit could not be saved as a draft. {exc}")

    def shutdown(self) -> None:
        """Save an edit still waiting for its debounce, then stop the worker. Idempotent."""
        if self._closed:
            return
        flush = self._timer.isActive()
        self._timer.stop()
        pending = dict(self._jobs)
        self._closed = True
        self._thread.stop()
        if flush or pending:  # quitting: a last synchronous write is fine
            draft = self.snapshot()
            try:
                if draft.is_empty or draft.content() == self._sent:
                    if self._stored is not None and not self._verifying:
                        self._store.clear()
                elif draft.content() != self._stored or pending:
                    self._store.save(draft)
            except Exception:
                log.exception("could not save the editor's draft at exit")
