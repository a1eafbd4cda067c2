from __future__ import annotations

import os
from pathlib import Path

import keyring
import pytest
from keyring.backends import chainer, fail, null
from keyring.errors import KeyringLocked, NoKeyringError, PasswordSetError

from attentive_desktop.store.accounts import Account, AccountStore
from attentive_desktop.store.database import Database
from attentive_desktop.store.errors import SecretStoreError
from attentive_desktop.store.history import HistoryStore
from attentive_desktop.store.paths import AppPaths
from attentive_desktop.store.secrets import MEMORY_BACKEND_NAME, SERVICE, SecretStore
from attentive_desktop.store.settings import Settings

from .conftest import FakeExchange, FakeKeyring

KEY = "sk_test_5d41402abc4b2a76b9719d911017c592"


def test_keys_go_to_the_injected_backend_under_the_app_service() -> None:
    backend = FakeKeyring()
    store = SecretStore(backend)
    assert store.is_secure
    assert store.backend_name == "FakeKeyring"
    store.set_key("Main", KEY)
    assert backend.passwords == {(SERVICE, "Main"): KEY}
    assert store.get_key("Main") == KEY
    assert store.get_key("Other") is None
    store.set_key("Main", "replaced")
    assert store.get_key("Main") == "replaced"


def test_delete_removes_the_key_and_missing_keys_are_fine() -> None:
    backend = FakeKeyring()
    store = SecretStore(backend)
    store.set_key("Main", KEY)
    store.delete_key("Main")
    assert store.get_key("Main") is None
    assert backend.passwords == {}
    store.delete_key("Main")  # PasswordDeleteError from the backend: nothing to delete


@pytest.mark.parametrize("backend", [fail.Keyring(), null.Keyring()], ids=["fail", "null"])
def test_no_real_backend_means_memory_for_this_session(backend: object) -> None:
    store = SecretStore(backend)  # type: ignore[arg-type]
    assert not store.is_secure
    assert store.backend_name == MEMORY_BACKEND_NAME
    store.set_key("Main", KEY)
    assert store.get_key("Main") == KEY
    store.delete_key("Main")
    assert store.get_key("Main") is None


def test_default_backend_in_tests_is_the_fail_backend_so_memory_is_used() -> None:
    assert isinstance(keyring.get_keyring(), fail.Keyring)
    store = SecretStore()
    assert not store.is_secure
    store.set_key("Main", KEY)
    assert store.get_key("Main") == KEY
    assert SecretStore().get_key("Main") is None  # memory is per store, per session


def test_an_empty_chainer_counts_as_no_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [])
    assert not SecretStore(chainer.ChainerBackend()).is_secure


def test_memory_fallback_writes_nothing_to_disk(private_home: Path) -> None:
    paths = AppPaths.from_environment().ensure()
    db = Database(paths.database)
    try:
        store = SecretStore(fail.Keyring())
        store.set_key("Main", KEY)
        AccountStore(db).save(Account("Main", "https://api.attentivemobile.com/v1"))
        HistoryStore(db).append(FakeExchange(), account="Main")
        Settings(paths.settings_file).set("last_account", "Main")
        assert store.get_key("Main") == KEY
    finally:
        db.close()
    files = [Path(root, name) for root, _, names in os.walk(private_home) for name in names]
    assert paths.settings_file in files
    assert paths.database in files
    for path in files:
        assert KEY.encode() not in path.read_bytes(), path


def test_a_locked_keychain_raises_a_clear_error_without_the_key() -> None:
    backend = FakeKeyring()
    backend.fail_with = KeyringLocked(f"Failed to unlock the collection (tried {KEY})")
    store = SecretStore(backend)
    with pytest.raises(SecretStoreError, match="unlock it") as info:
        store.set_key("Main", KEY)
    assert KEY not in str(info.value)
    assert "Main" in str(info.value)
    assert store.is_secure  # not silently downgraded to memory
    with pytest.raises(SecretStoreError, match="read the API key"):
        store.get_key("Main")
    backend.fail_with = PasswordSetError("denied")
    with pytest.raises(SecretStoreError, match="denied"):
        store.set_key("Main", KEY)


def test_a_keychain_that_disappears_falls_back_to_memory() -> None:
    backend = FakeKeyring()
    store = SecretStore(backend)
    backend.fail_with = NoKeyringError("gone")
    store.set_key("Main", KEY)
    assert not store.is_secure
    assert store.backend_name == MEMORY_BACKEND_NAME
    assert store.get_key("Main") == KEY
    assert backend.passwords == {}


def test_empty_account_or_key_is_refused() -> None:
    store = SecretStore(FakeKeyring())
    with pytest.raises(ValueError, match="account"):
        store.set_key(" ", KEY)
    with pytest.raises(ValueError, match="key"):
        store.set_key("Main", "")
