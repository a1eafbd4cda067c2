"""store layer: the app's files, SQLite database, history, accounts, schema, secrets, settings.

Names are re-exported lazily (PEP 562) so that importing the package stays cheap at start-up;
`keyring` in particular is only imported when a SecretStore is built without a backend.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from attentive_desktop._lazy import lazy_exports

_EXPORTS = {
    "AppPaths": "paths",
    "Database": "database",
    "MIGRATIONS": "migrations",
    "SCHEMA_VERSION": "migrations",
    "StoreError": "errors",
    "DatabaseVersionError": "errors",
    "DatabaseClosedError": "errors",
    "SecretStoreError": "errors",
    "HistoryRecord": "history",
    "HistoryStore": "history",
    "ExchangeLike": "history",
    "redact_credentials": "history",
    "SecretStore": "secrets",
    "MEMORY_BACKEND_NAME": "secrets",
    "Account": "accounts",
    "AccountStore": "accounts",
    "SqliteSchemaStorage": "schema_store",
    "Settings": "settings",
}

__all__ = [
    "MEMORY_BACKEND_NAME",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "Account",
    "AccountStore",
    "AppPaths",
    "Database",
    "DatabaseClosedError",
    "DatabaseVersionError",
    "ExchangeLike",
    "HistoryRecord",
    "HistoryStore",
    "SecretStore",
    "SecretStoreError",
    "Settings",
    "SqliteSchemaStorage",
    "StoreError",
    "redact_credentials",
]

if TYPE_CHECKING:
    from .accounts import Account, AccountStore
    from .database import Database
    from .errors import DatabaseClosedError, DatabaseVersionError, SecretStoreError, StoreError
    from .history import ExchangeLike, HistoryRecord, HistoryStore, redact_credentials
    from .migrations import MIGRATIONS, SCHEMA_VERSION
    from .paths import AppPaths
    from .schema_store import SqliteSchemaStorage
    from .secrets import MEMORY_BACKEND_NAME, SecretStore
    from .settings import Settings


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, __all__)
