"""History retention: how many days of requests (and revisions) to keep, and pruning by it.

The setting is ``history_retention_days`` in Settings: a whole number of days, 90 by default;
0 (or null) keeps everything. Call `apply_retention` at start-up and after the setting changes.
"""

from __future__ import annotations

from typing import Any, Protocol

from .history import HistoryStore
from .revisions import RevisionStore

RETENTION_SETTING = "history_retention_days"
DEFAULT_RETENTION_DAYS = 90


class SettingsLike(Protocol):
    """What retention reads; store.Settings fits."""

    def get(self, key: str, default: Any = ...) -> Any: ...


def retention_days(settings: SettingsLike) -> int | None:
    """Days of history to keep, or None to keep everything (a bad value means the default)."""
    value = settings.get(RETENTION_SETTING, DEFAULT_RETENTION_DAYS)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        return DEFAULT_RETENTION_DAYS
    return None if value == 0 else int(value)


def apply_retention(
    settings: SettingsLike,
    history: HistoryStore,
    revisions: RevisionStore | None = None,
    *,
    now: float | None = None,
) -> int:
    """Delete history rows (and revisions) older than the retention; returns rows deleted."""
    days = retention_days(settings)
    if days is None:
        return 0
    if revisions is not None:
        revisions.prune(days, now=now)
    return history.prune(days, now=now)
