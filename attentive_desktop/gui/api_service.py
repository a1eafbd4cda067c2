"""The GUI's door to the API: every call runs on the worker thread and comes back as a signal.

The AttentiveClient is built and used on the worker thread only. Each request attempt the
client reports is appended to the history store there too, then announced on the GUI thread
(`historyRecorded`). Errors come back as a plain sentence and a kind; the API key never
appears in either.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal, Slot

from attentive_desktop.gui.worker import CancelToken, WorkerThread

if TYPE_CHECKING:
    from attentive_desktop.api import AttentiveClient, Exchange
    from attentive_desktop.core.identifiers import LookupQuery, UserRef
    from attentive_desktop.core.schema import SchemaRegistry
    from attentive_desktop.store.history import HistoryStore

log = logging.getLogger(__name__)

OnExchange = Callable[["Exchange"], None]
ClientFactory = Callable[[str, str, OnExchange], "AttentiveClient"]

NO_ACCOUNT = "Choose an account first: add one in Accounts, or pick one in the toolbar."
REDACTED = "[redacted]"


def default_client_factory(base_url: str, api_key: str, on_exchange: OnExchange) -> AttentiveClient:
    """A real AttentiveClient (its own httpx client, default retries and pacing). Interruptible:
    Cancel frees the worker at once, even with a request on the wire."""
    from attentive_desktop.api import AttentiveClient

    return AttentiveClient(base_url, api_key, on_exchange=on_exchange, interruptible=True)


class ServiceError(Exception):
    """A failed call in plain words: `message` (never holding the key) and `kind`."""

    def __init__(self, message: str, kind: str) -> None:
        super().__init__(message)
        self.message = message
        self.kind = kind


def describe_error(exc: BaseException, secrets: Iterable[str] = ()) -> tuple[str, str]:
    """(message, kind) for an exception from the client, with any secret blanked out.

    Kinds: "bad-request", "unauthorized", "access-denied", "not-found", "rate-limited",
    "server-error", "network", "timeout", "invalid", "cancelled", "storage", "error".
    """
    from attentive_desktop import api
    from attentive_desktop.core.identifiers import InvalidIdentifier
    from attentive_desktop.store.errors import StoreError

    if isinstance(exc, ServiceError):
        message, kind = exc.message, exc.kind
    elif isinstance(exc, api.ApiError):
        message, kind = str(exc), api.error_kind(exc)
    elif isinstance(exc, StoreError):
        message, kind = str(exc), "storage"  # e.g. the disk is full: the sentence says so
    elif isinstance(exc, InvalidIdentifier | ValueError):
        message, kind = str(exc), "invalid"  # e.g. the client refusing a malformed key
    else:
        log.error("unexpected error in an API job", exc_info=exc)
        message, kind = f"Something unexpected went wrong ({type(exc).__name__}).", "error"
    for secret in secrets:
        if secret:
            message = message.replace(secret, REDACTED)
    return message or "The request failed.", kind


class ApiService(QObject):
    """Runs API calls for the window on its own worker thread; use it from the GUI thread.

    Each call returns a job id at once; exactly one of the result signals, `failed` or
    `cancelled` follows for it. `cancel(job)` emits `cancelled` immediately and drops the
    call's late result. Call `shutdown()` before the application quits.

    Signals:
        keyChecked(int job, object MeInfo)
        lookedUp(int job, object list[CustomAttribute])
        sent(int job)
        accountSet(int job): set_account built the client
        failed(int job, str message, str kind)
        cancelled(int job)
        busyChanged(bool): some job is queued or running / none is
        historyRecorded(object HistoryRecord): a request attempt was stored
        storageFailed(str message): a request attempt could not be stored in the history
            (disk full, read-only folder...); the call itself went on
        called(int job, object result): a `call` finished
    """

    keyChecked = Signal(int, object)
    lookedUp = Signal(int, object)
    sent = Signal(int)
    accountSet = Signal(int)
    failed = Signal(int, str, str)
    cancelled = Signal(int)
    busyChanged = Signal(bool)
    historyRecorded = Signal(object)
    storageFailed = Signal(str)
    called = Signal(int, object)

    _recorded = Signal(object)  # emitted on the worker thread, re-emitted on the GUI thread

    def __init__(
        self,
        client_factory: ClientFactory | None = None,
        *,
        history: HistoryStore | None = None,
        registry: SchemaRegistry | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._factory = client_factory or default_client_factory
        self._history = history
        self._registry = registry
        self._thread = WorkerThread("attentive-api")
        worker = self._thread.worker
        worker.jobSucceeded.connect(self._on_succeeded)
        worker.jobFailed.connect(self._on_failed)
        worker.jobCancelled.connect(self._on_cancelled)
        self._recorded.connect(self._on_recorded)
        self._thread.start()
        self._jobs: dict[int, str] = {}  # job id → which result signal it ends with
        # Worker-thread state: touched only by jobs (and by shutdown once the thread ended).
        self._client: AttentiveClient | None = None
        self._secrets: tuple[str, ...] = ()
        self._keys_seen: set[str] = set()  # every key given to this service (for log redaction)
        self._keys_lock = threading.Lock()
        self._busy = False
        self._closed = False

    # --- calls (GUI thread) -----------------------------------------------------------------

    def set_account(self, base_url: str, api_key: str, account_name: str) -> int:
        """Build the client for this account (closing the previous one); ends in accountSet."""

        def job(token: CancelToken) -> None:
            old, self._client = self._client, None
            if old is not None:
                old.close()
            self._secrets = (api_key,)
            self._client = self._factory(base_url, api_key, self._recorder(account_name))

        return self._submit("account", job, (api_key,))

    def clear_account(self) -> int:
        """Drop the client (its account was removed): calls needing one fail until
        set_account; ends in accountSet."""

        def job(token: CancelToken) -> None:
            old, self._client = self._client, None
            if old is not None:
                old.close()
            self._secrets = ()

        return self._submit("account", job)

    def check_key(self, base_url: str, api_key: str, account_name: str = "") -> int:
        """GET /me with a throwaway client for this key; ends in keyChecked(MeInfo)."""

        def job(token: CancelToken) -> object:
            client = self._factory(base_url, api_key, self._recorder(account_name))
            try:
                return _call(token, client, client.me)
            finally:
                client.close()

        return self._submit("check", job, (api_key,))

    def lookup(self, query: LookupQuery) -> int:
        """A user's custom attributes; the registry learns their types; ends in lookedUp."""

        def job(token: CancelToken) -> object:
            client = self._require_client()
            attributes = _call(
                token, client, lambda: client.get_custom_attributes(**query.params())
            )
            if self._registry is not None:
                self._registry.learn_all((a.name, a.value) for a in attributes)
            return attributes

        return self._submit("lookup", job)

    def send(
        self,
        user: UserRef,
        properties: Mapping[str, str],
        *,
        after: Callable[[float], object] | None = None,
    ) -> int:
        """POST the properties for the user; the registry learns from them; ends in sent.

        `after(started_at)` runs on the worker once the send succeeded (e.g. to record a
        revision); its failure is logged and never turns the send into a failure.
        """
        values = dict(properties)

        def job(token: CancelToken) -> None:
            client = self._require_client()
            started = time.time()
            _call(
                token,
                client,
                lambda: client.set_custom_attributes(user, values, schema=self._registry),
            )
            if self._registry is not None:
                self._registry.learn_all(values.items())
            if after is not None:
                try:
                    after(started)
                except Exception:  # the send worked; a missing revision must not hide that
                    log.exception("the after-send step failed")

        return self._submit("send", job)

    def call(self, fn: Callable[[Any], object], *, needs_client: bool = True) -> int:
        """Run `fn(client)` on the worker (`fn(None)` when `needs_client` is False), with
        cancellation wired to the client; ends in called(job, result) or failed."""

        def job(token: CancelToken) -> object:
            if not needs_client:
                return fn(None)
            client = self._require_client()
            return _call(token, client, lambda: fn(client))

        return self._submit("call", job)

    def cancel(self, job_id: int) -> bool:
        """Cancel a call: `cancelled` is emitted now, retries stop, a late answer is dropped."""
        return self._thread.worker.cancel(job_id)

    def cancel_all(self) -> None:
        """Cancel every queued and running call."""
        self._thread.worker.cancel_all()

    def known_keys(self) -> tuple[str, ...]:
        """Every API key this service was given this session (any thread; for log redaction)."""
        with self._keys_lock:
            return tuple(self._keys_seen)

    def is_busy(self) -> bool:
        """True while some call is queued or running."""
        return bool(self._jobs)

    def shutdown(self, timeout_ms: int = 5000) -> None:
        """Cancel everything, stop the worker thread and close the client. Idempotent."""
        if self._closed:
            return
        self._closed = True
        if self._thread.stop(timeout_ms) and self._client is not None:
            self._client.close()
            self._client = None

    # --- worker side ----------------------------------------------------------------------

    def _submit(
        self, ends_in: str, job: Callable[[CancelToken], object], keys: Iterable[str] = ()
    ) -> int:
        secrets = tuple(keys)
        with self._keys_lock:
            self._keys_seen.update(k for k in secrets if k)

        def guarded(token: CancelToken) -> object:
            try:
                return job(token)
            except Exception as exc:
                message, kind = describe_error(exc, secrets + self._secrets)
                raise ServiceError(message, kind) from None

        job_id = self._thread.worker.submit(guarded)
        self._jobs[job_id] = ends_in
        if not self._busy:
            self._busy = True
            self.busyChanged.emit(True)
        return job_id

    def _require_client(self) -> AttentiveClient:
        if self._client is None:
            raise ServiceError(NO_ACCOUNT, "invalid")
        return self._client

    def _recorder(self, account: str) -> OnExchange:
        from attentive_desktop.store.errors import StoreWriteError

        history = self._history

        def on_exchange(exchange: Exchange) -> None:
            if history is None:
                return
            try:
                record = history.get(history.append(exchange, account=account))
            except StoreWriteError as exc:  # disk full, read-only: say so, keep calling
                log.warning("could not store a request in the history: %s", exc)
                self.storageFailed.emit(str(exc))  # queued to the GUI thread
                return
            except Exception:  # history is a record, not the call: never fail the call
                log.exception("could not store a request in the history")
                return
            if record is not None:
                self._recorded.emit(record)

        return on_exchange

    # --- results (GUI thread) -------------------------------------------------------------

    @Slot(int, object)
    def _on_succeeded(self, job_id: int, result: object) -> None:
        ends_in = self._jobs.pop(job_id, None)
        if ends_in == "check":
            self.keyChecked.emit(job_id, result)
        elif ends_in == "lookup":
            self.lookedUp.emit(job_id, result)
        elif ends_in == "send":
            self.sent.emit(job_id)
        elif ends_in == "account":
            self.accountSet.emit(job_id)
        elif ends_in == "call":
            self.called.emit(job_id, result)
        self._idle_check()

    @Slot(int, object)
    def _on_failed(self, job_id: int, exc: object) -> None:
        self._jobs.pop(job_id, None)
        if isinstance(exc, ServiceError):
            message, kind = exc.message, exc.kind
        else:  # a job let something through guarded(): still never show the key
            message, kind = describe_error(exc, self._secrets)  # type: ignore[arg-type]
        self.failed.emit(job_id, message, kind)
        self._idle_check()

    @Slot(int)
    def _on_cancelled(self, job_id: int) -> None:
        if self._jobs.pop(job_id, None) is not None:
            self.cancelled.emit(job_id)
        self._idle_check()

    @Slot(object)
    def _on_recorded(self, record: object) -> None:
        self.historyRecorded.emit(record)

    def _idle_check(self) -> None:
        if self._busy and not self._jobs:
            self._busy = False
            self.busyChanged.emit(False)


def _call(token: CancelToken, client: Any, fn: Callable[[], Any]) -> Any:
    """Run one client call with the token's cancellation wired to `client.cancel()`."""
    client.reset_cancel()
    token.add_callback(client.cancel)
    try:
        return fn()
    finally:
        token.remove_callback(client.cancel)
