"""Does a live history row match the history-tools filter? (the store's rule, in Python)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from attentive_desktop.store.history import HistoryRecord
    from attentive_desktop.store.history_search import HistoryFilter


def record_matches(record: HistoryRecord, flt: HistoryFilter) -> bool:
    """The store's HistoryFilter rule for one record (so live rows obey the active filter):
    text anywhere (case-insensitive), status class, date range and account."""
    from attentive_desktop.store.history_search import StatusClass

    if flt.account is not None and record.account != flt.account:
        return False
    if flt.since is not None and record.started_at < flt.since:
        return False
    if flt.until is not None and record.started_at >= flt.until:
        return False
    if flt.statuses:
        code = record.status
        if code is None:
            kind = StatusClass.NETWORK_ERROR
        elif 200 <= code < 300:
            kind = StatusClass.SUCCESS
        elif 400 <= code < 500:
            kind = StatusClass.CLIENT_ERROR
        elif 500 <= code < 600:
            kind = StatusClass.SERVER_ERROR
        else:
            kind = StatusClass.OTHER
        if kind not in flt.statuses:
            return False
    if flt.text:
        needle = flt.text.casefold()
        status = "" if record.status is None else str(record.status)
        fields = (
            record.method,
            record.endpoint,
            record.user,
            status,
            record.account,
            record.os_user,
            record.url,
            record.request_body,
            record.response_body,
            record.error or "",
        )
        return any(needle in field.casefold() for field in fields)
    return True
