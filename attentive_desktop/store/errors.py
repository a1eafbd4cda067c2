"""Errors raised by the store layer, each with a message a user can act on."""

from __future__ import annotations


class StoreError(Exception):
    """Base class for store failures (database, keychain, settings)."""


class DatabaseVersionError(StoreError):
    """The database was written by a newer version of the app; it is left untouched."""


class DatabaseClosedError(StoreError):
    """A connection was requested after `Database.close()`."""


class SecretStoreError(StoreError):
    """The system keychain refused an operation (for example, it is locked).

    The message never contains the secret itself.
    """
