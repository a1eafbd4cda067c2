"""The accounts the window can write to, and where each one's API key comes from."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from attentive_desktop.api.client import MeInfo
    from attentive_desktop.store.accounts import Account, AccountStore
    from attentive_desktop.store.secrets import SecretStore

API_KEY_ENV = "ATTENTIVE_API_KEY"


class AccountBook:
    """Saved accounts (AccountStore + SecretStore) plus session-only ones such as the sandbox.

    A key is looked up in this order: session keys (kept in memory only), the keychain, then
    the ATTENTIVE_API_KEY environment variable (for scripts). The SecretStore is built on first
    use, since asking the OS for its keychain can take a while at start-up. ``base_url``
    (from --base-url) overrides every account's base URL for this session.
    What reaches the keychain (`key_for` a saved account, `save`, `keys_are_session_only`)
    may be slow or wait for the user: the window calls it on its keychain thread
    (gui/serial_calls.py), the bulk run on its worker.
    The saved accounts are read from the database once (``load``, at start-up, before the
    window shows) and kept in memory: `accounts` and `get` never touch the disk, so the GUI
    thread can call them. Every write (`save`, `remove`, `update_info`) goes to the database
    first, on the calling thread (the window's keychain thread), then re-reads the list there.
    """

    def __init__(
        self,
        store: AccountStore,
        secrets: SecretStore | Callable[[], SecretStore],
        *,
        env_key: str | None = None,
        base_url: str | None = None,
    ) -> None:
        self._store = store
        self._secrets = secrets
        self._env_key = env_key or None
        self.base_url_override = base_url
        self._session: dict[str, Account] = {}
        self._session_keys: dict[str, str] = {}
        self._secrets_lock = threading.Lock()
        self._saved: dict[str, Account] | None = None
        self._saved_lock = threading.Lock()

    def load(self) -> None:
        """Read the saved accounts from the database (again) into memory."""
        saved = {account.name: account for account in self._store.list()}
        with self._saved_lock:
            self._saved = saved

    def _saved_accounts(self) -> dict[str, Account]:
        if self._saved is None:
            self.load()
        with self._saved_lock:
            return self._saved if self._saved is not None else {}

    @property
    def secrets(self) -> SecretStore:
        """The SecretStore, built on first use (once, whichever thread asks first)."""
        with self._secrets_lock:
            if callable(self._secrets):
                self._secrets = self._secrets()
            return self._secrets

    @property
    def keys_are_session_only(self) -> bool:
        """True when there is no keychain and saved keys last only until the app quits."""
        return not self.secrets.is_secure

    def accounts(self) -> list[Account]:
        """Session accounts first, then the saved ones (sorted by name)."""
        saved = [a for a in self._saved_accounts().values() if a.name not in self._session]
        return [*self._session.values(), *saved]

    def get(self, name: str) -> Account | None:
        """The account called ``name``, session or saved."""
        return self._session.get(name) or self._saved_accounts().get(name)

    def is_session(self, name: str) -> bool:
        """True for accounts that live for this session only (the sandbox)."""
        return name in self._session

    def add_session_account(self, account: Account, key: str) -> None:
        """Add an account whose key stays in memory and that is never saved."""
        self._session[account.name] = account
        self._session_keys[account.name] = key

    def save(self, name: str, base_url: str, key: str, me: MeInfo | None) -> Account:
        """Keep ``key`` in the keychain (or memory) and save the account with /me's answer."""
        from attentive_desktop.store.accounts import Account

        account = Account(
            name=name,
            base_url=base_url,
            company_name=(me.company_name or "") if me else "",
            domain=(me.attentive_domain_name or "") if me else "",
            company_id=(me.company_id or "") if me else "",
        )
        self.secrets.set_key(name, key)
        stored = self._store.save(account)
        self.load()
        return stored

    def remove(self, name: str) -> bool:
        """Delete a saved account: its key first (if the keychain refuses, nothing is lost),
        then its row. Its history and learned types stay. False if there was none."""
        self.secrets.delete_key(name)
        removed = self._store.delete(name)
        self.load()
        return removed

    def update_info(self, name: str, me: MeInfo) -> Account | None:
        """Record what GET /me said about an account (company name and domain)."""
        account = self.get(name)
        if account is None:
            return None
        account = replace(
            account,
            company_name=me.company_name or account.company_name,
            domain=me.attentive_domain_name or account.domain,
            company_id=me.company_id or account.company_id,
        )
        if name in self._session:
            self._session[name] = account
            return account
        stored = self._store.save(account)
        self.load()
        return stored

    def key_for(self, name: str) -> str | None:
        """The API key to use for ``name``: session, keychain, then ATTENTIVE_API_KEY."""
        if name in self._session_keys:
            return self._session_keys[name]
        key = self.secrets.get_key(name)
        return key or self._env_key

    def base_url_for(self, account: Account) -> str:
        """The base URL to talk to for ``account`` (the --base-url override wins)."""
        return self.base_url_override or account.base_url

    @property
    def env_key(self) -> str | None:
        """The key from ATTENTIVE_API_KEY, if set."""
        return self._env_key


def describe_target(account: Account | None, *, missing_key: str | None = None) -> str:
    """ "Writing to: <company> (<domain>)", the line shown next to Send; without an account,
    what is missing (an account, or ``missing_key``: the key of the account chosen)."""
    if account is None and missing_key:
        return f"Writing to: nothing — the key for “{missing_key}” is not on this computer"
    if account is None:
        return "Writing to: no account yet — add one with Account ▸ Add account…"
    company = account.company_name or account.name
    domain = f" ({account.domain})" if account.domain else ""
    return f"Writing to: {company}{domain}"


class AccountSchema:
    """The schema registry (learned types and catalog) of the account in use.

    Each account has its own registry; this object stands in for "the current one" so the
    property model and the API service keep one reference while the user switches accounts.
    Before any account is chosen it knows nothing (no types, no catalog).
    Building a registry reads the database: the window does it on its keychain thread
    (``prepare``) before it switches, so ``use`` finds it built.
    """

    def __init__(self, factory: Callable[[str], Any]) -> None:
        self._factory = factory
        self._registries: dict[str, Any] = {}
        self._current: Any = None
        self._lock = threading.Lock()

    def prepare(self, account_name: str) -> None:
        """Build ``account_name``'s registry unless it exists (any thread)."""
        with self._lock:
            if account_name in self._registries:
                return
        registry = self._factory(account_name)
        with self._lock:
            self._registries.setdefault(account_name, registry)

    def use(self, account_name: str) -> None:
        """Switch to ``account_name``'s registry (built now if ``prepare`` did not)."""
        self.prepare(account_name)
        with self._lock:
            self._current = self._registries[account_name]

    @property
    def current(self) -> Any:
        """The registry in use, or None before an account is chosen."""
        return self._current

    def type_of(self, name: str) -> Any:
        """The fixed type of ``name`` in the current account, if known."""
        return self._current.type_of(name) if self._current is not None else None

    def names(self) -> list[str]:
        """Attribute names the current account has seen."""
        return list(self._current.names()) if self._current is not None else []

    def allowed_values(self, name: str) -> tuple[str, ...] | None:
        """Catalog values for ``name`` in the current account, if it is a catalog property."""
        return self._current.allowed_values(name) if self._current is not None else None

    def __getattr__(self, attribute: str) -> Any:
        # learn, learn_all, catalog, ...: whatever the registry offers, on the current one.
        current = self.__dict__.get("_current")
        if current is None:
            raise AttributeError(attribute)
        return getattr(current, attribute)
