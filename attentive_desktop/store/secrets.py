"""API keys in the OS keychain through `keyring`, or in memory when there is no keychain."""

from __future__ import annotations

import threading
from typing import Any, Protocol

from .errors import SecretStoreError

SERVICE = "attentive-desktop"
MEMORY_BACKEND_NAME = "memory (this session only)"

# Backends that do not keep a secret safely: the fail and null backends store nothing, and
# keyrings.alt's PlaintextKeyring writes the key to a file in clear text.
_INSECURE_BACKENDS = frozenset(
    {
        "keyring.backends.fail.Keyring",
        "keyring.backends.null.Keyring",
        "keyrings.alt.file.PlaintextKeyring",
    }
)
_CHAINER = "keyring.backends.chainer.ChainerBackend"


class KeyringBackendLike(Protocol):
    """The part of a keyring backend SecretStore uses (a `keyring` backend or a test fake)."""

    def get_password(self, service: str, username: str) -> str | None: ...

    def set_password(self, service: str, username: str, password: str) -> None: ...

    def delete_password(self, service: str, username: str) -> None: ...


class SecretStore:
    """One API key per account, kept in the OS keychain under the service "attentive-desktop".

    With no usable keychain (keyring's NoKeyringError, the fail or null backend, an empty chainer,
    a plaintext file backend) keys live in a dict for this session only: `is_secure` is False and
    `backend_name` says so, so the window can tell the user. Nothing is ever written to disk here.

    If the keychain vanishes at run time (NoKeyringError from a call), the store switches to
    memory for the rest of the session and `is_secure` turns False: check it after `set_key`.
    Any other keychain failure (locked, access refused) raises SecretStoreError instead of
    silently keeping the key in memory: the user expects it saved and should unlock the keychain.
    Error messages never include the key.

    `keyring` is imported only when no backend is injected, so start-up can defer it.
    """

    def __init__(
        self, keyring_backend: KeyringBackendLike | None = None, *, service: str = SERVICE
    ) -> None:
        backend = keyring_backend if keyring_backend is not None else _default_backend()
        self._backend: KeyringBackendLike | None = (
            None if backend is None or _is_insecure(backend) else backend
        )
        self._service = service
        self._memory: dict[str, str] = {}
        self._lock = threading.Lock()

    @property
    def is_secure(self) -> bool:
        """True when keys go to a real keychain; False when they live in memory only."""
        return self._backend is not None

    @property
    def backend_name(self) -> str:
        """A short label for the UI, e.g. "SecretService Keyring" or the memory fallback."""
        backend = self._backend
        if backend is None:
            return MEMORY_BACKEND_NAME
        try:
            name = type(backend).name  # type: ignore[attr-defined]
        except Exception:
            name = None
        return name if isinstance(name, str) and name else type(backend).__name__

    def set_key(self, account: str, key: str) -> None:
        """Store `key` for `account`, replacing any previous one."""
        _check_account(account)
        if not key:
            raise ValueError("The API key is empty.")
        backend = self._backend
        if backend is not None:
            try:
                backend.set_password(self._service, account, key)
                return
            except Exception as exc:
                if not self._fall_back_if_gone(exc):
                    raise self._error("save the API key", account, exc, key) from None
        with self._lock:
            self._memory[account] = key

    def get_key(self, account: str) -> str | None:
        """The key stored for `account`, or None when there is none."""
        _check_account(account)
        backend = self._backend
        if backend is not None:
            try:
                return backend.get_password(self._service, account) or None
            except Exception as exc:
                if not self._fall_back_if_gone(exc):
                    raise self._error("read the API key", account, exc) from None
        with self._lock:
            return self._memory.get(account)

    def delete_key(self, account: str) -> None:
        """Forget the key for `account`; deleting a missing key is not an error."""
        _check_account(account)
        with self._lock:
            self._memory.pop(account, None)
        backend = self._backend
        if backend is None:
            return
        try:
            backend.delete_password(self._service, account)
        except Exception as exc:
            from keyring import errors

            if isinstance(exc, errors.PasswordDeleteError):
                return  # keyring's way of saying there was nothing to delete
            if not self._fall_back_if_gone(exc):
                raise self._error("delete the API key", account, exc) from None

    def _fall_back_if_gone(self, exc: Exception) -> bool:
        """Switch to memory if `exc` says there is no keychain at all; True if it did."""
        from keyring import errors

        if isinstance(exc, errors.NoKeyringError):
            self._backend = None
            return True
        return False

    def _error(
        self, action: str, account: str, exc: Exception, secret: str | None = None
    ) -> SecretStoreError:
        reason = str(exc).strip() or type(exc).__name__
        if secret:
            reason = reason.replace(secret, "[redacted]")
        if len(reason) > 200:
            reason = reason[:197] + "..."
        return SecretStoreError(
            f"The system keychain ({self.backend_name}) could not {action} for account "
            f"“{account}”: {reason}. If the keychain is locked, unlock it and try again."
        )


def _check_account(account: str) -> None:
    if not account or not account.strip():
        raise ValueError("The account name is empty.")


def _default_backend() -> Any:
    import keyring
    from keyring import errors

    try:
        return keyring.get_keyring()
    except errors.KeyringError:
        return None


def _class_path(obj: object) -> str:
    cls = type(obj)
    return f"{cls.__module__}.{cls.__qualname__}"


def _is_insecure(backend: object) -> bool:
    path = _class_path(backend)
    if path in _INSECURE_BACKENDS:
        return True
    if path == _CHAINER:
        # Writes go to the first (highest-priority) chained backend.
        chained = list(getattr(backend, "backends", ()))
        return not chained or _is_insecure(chained[0])
    return False
