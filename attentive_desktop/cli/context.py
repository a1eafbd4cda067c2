"""What every command needs: the app database, the account and its key, the schema registry.

The key is looked up as the epilog of ``--help`` says and never printed: ``Target``'s repr
leaves it out, and messages name the account, never the key.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import argparse

    from attentive_desktop.api.client import AttentiveClient
    from attentive_desktop.api.exchange import Exchange
    from attentive_desktop.core.schema import SchemaRegistry
    from attentive_desktop.sandbox.server import SandboxServer
    from attentive_desktop.store.database import Database

API_KEY_ENV = "ATTENTIVE_API_KEY"
SANDBOX_ACCOUNT = "Sandbox"


class CliError(Exception):
    """A problem to report in one sentence, with the exit code to return."""

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class Target:
    """Where requests go and with which key; ``account`` is a name for journals and history."""

    base_url: str
    account: str
    api_key: str = field(repr=False)


class CliContext:
    """Opens the app's database and resolves the account for one command; a context manager.

    ``environ`` is injectable for tests. The sandbox (``--sandbox``) is started on first need
    and stopped on exit.
    """

    def __init__(self, args: argparse.Namespace, environ: Mapping[str, str] | None = None) -> None:
        self.args = args
        self._environ = os.environ if environ is None else environ
        self._db: Database | None = None
        self._settings: Any = None
        self._sandbox: SandboxServer | None = None
        self._target: Target | None = None
        self._notice: Any = None

    def __enter__(self) -> CliContext:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._sandbox is not None:
            self._sandbox.stop()
        if self._db is not None:
            self._db.close()
        if self._notice is not None:
            self._notice.discard()  # a temporary database goes once it is closed

    @property
    def db(self) -> Database:
        """The app database (created on first use)."""
        if self._db is None:
            from attentive_desktop.store.paths import AppPaths
            from attentive_desktop.store.recovery import open_database_with_recovery

            paths = AppPaths.from_environment(self._environ).ensure()
            self._db, self._notice = open_database_with_recovery(paths)
            if self._notice is not None:  # a damaged file was set aside: say so, carry on
                print(f"warning: {self._notice.title}. {self._notice.message}", file=sys.stderr)
        return self._db

    @property
    def settings(self) -> Any:
        """The app's settings file."""
        if self._settings is None:
            from attentive_desktop.store.paths import AppPaths
            from attentive_desktop.store.settings import Settings

            self._settings = Settings(AppPaths.from_environment(self._environ).settings_file)
        return self._settings

    @property
    def region(self) -> str:
        """Country for phone numbers without a country code: --region, else the setting."""
        region = self.args.region or self.settings.get("default_region", "US") or "US"
        return str(region).strip().upper()

    def account_label(self) -> str:
        """The account name used for the schema registry, without needing a key."""
        if self.args.sandbox:
            return SANDBOX_ACCOUNT
        return self.args.account or ""

    def target(self) -> Target:
        """Resolve base URL, account and key (starting the sandbox if asked). CliError if none."""
        if self._target is None:
            self._target = self._resolve()
            seen = getattr(self.args, "session_secrets", None)
            if seen is not None:  # the log redacts this key from now on
                seen.add(self._target.api_key)
        return self._target

    def _resolve(self) -> Target:
        from attentive_desktop.api.errors import InsecureBaseUrl
        from attentive_desktop.api.urls import DEFAULT_BASE_URL, validate_base_url

        if self.args.sandbox:
            from attentive_desktop.sandbox.server import SandboxServer

            self._sandbox = SandboxServer().start()
            return Target(self._sandbox.base_url, SANDBOX_ACCOUNT, self._sandbox.api_key)
        env_key = (self._environ.get(API_KEY_ENV) or "").strip()
        account = None
        if self.args.account or not env_key:
            account = self._account(self.args.account)
        key = self._keychain_key(account.name) if account is not None else None
        key = key or env_key
        if not key:
            where = f"for the account '{account.name}' " if account is not None else ""
            raise CliError(
                f"No API key {where}was found. Add the account in the app (its key goes to the "
                f"system keychain), pass --account NAME, or set {API_KEY_ENV}."
            )
        url = self.args.base_url or (account.base_url if account is not None else DEFAULT_BASE_URL)
        try:
            url = validate_base_url(url)
        except InsecureBaseUrl as exc:
            raise CliError(str(exc)) from None
        return Target(url, account.name if account is not None else "", key)

    def _account(self, name: str | None) -> Any:
        from attentive_desktop.store.accounts import AccountStore

        store = AccountStore(self.db)
        if name:
            account = store.get(name)
            if account is None:
                known = ", ".join(a.name for a in store.list()) or "none saved yet"
                raise CliError(f"There is no account called '{name}' (accounts: {known}).")
            return account
        last = self.settings.get("last_account")
        account = store.get(last) if isinstance(last, str) and last else None
        if account is None:
            accounts = store.list()
            account = accounts[0] if len(accounts) == 1 else None
        return account

    def _keychain_key(self, account: str) -> str | None:
        from attentive_desktop.store.errors import SecretStoreError
        from attentive_desktop.store.secrets import SecretStore

        try:
            return SecretStore().get_key(account)
        except SecretStoreError as exc:
            raise CliError(str(exc)) from None

    def registry(self) -> SchemaRegistry:
        """The schema registry (known types, UI-created properties) of the account."""
        from attentive_desktop.core.schema import SchemaRegistry
        from attentive_desktop.store.schema_store import SqliteSchemaStorage

        label = self._target.account if self._target is not None else self.account_label()
        return SchemaRegistry(SqliteSchemaStorage(self.db, label))

    def history_hook(self, *, failures_only: bool = False) -> Callable[[Exchange], None]:
        """Records request attempts in the app's history (all, or only the unsuccessful)."""
        from attentive_desktop.store.history import HistoryStore

        store = HistoryStore(self.db)
        account = self.target().account

        def record(exchange: Exchange) -> None:
            if not (failures_only and exchange.succeeded):
                store.append(exchange, account=account)

        return record

    def make_client(self, on_exchange: Callable[[Exchange], None] | None) -> AttentiveClient:
        """A client for the target."""
        from attentive_desktop.api.client import AttentiveClient

        target = self.target()
        try:
            return AttentiveClient(target.base_url, target.api_key, on_exchange=on_exchange)
        except ValueError as exc:  # a malformed key: the message never contains it
            raise CliError(str(exc)) from None


def print_json(data: object) -> None:
    """Write ``data`` as indented JSON on stdout."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def fail(args: argparse.Namespace, message: str, code: int, **extra: object) -> int:
    """Report a failure (JSON on stdout with --json, else a line on stderr); returns ``code``."""
    if args.json:
        print_json({"ok": False, "error": {"message": message, **extra}})
    else:
        print(f"error: {message}", file=sys.stderr)
    return code
