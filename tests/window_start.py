"""Waiting for the real window's start-up to finish, as the fixtures that build it need."""

from __future__ import annotations

from typing import Any


def wait_started(qtbot: Any, window: Any, timeout: int = 10_000) -> None:
    """Wait until ``window`` has run start() and the account it chose is in use (or its key
    is missing): the account's learned types, and a saved account's key, are read on the
    keychain thread, so a window that reports ready may still be switching."""
    qtbot.waitUntil(lambda: window.is_ready and window.flow.switching_to is None, timeout=timeout)
