"""Assertions shared by the hardening tests."""

from __future__ import annotations

import re

API_KEY = "sk_live_HARDENING_5up3r/S3cret+key=="
# Words that betray a raw exception instead of a sentence for people.
_LEAKS = re.compile(
    r"Traceback|httpx|httpcore|h11|_ssl\.c|\[SSL|Errno|WinError|sqlite3|"
    r"\b[A-Z][a-z]+(?:[A-Z][a-z0-9]+)+(?:Error|Exception|Timeout)\b|\b(?:Error|Exception)\("
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def assert_plain(message: str, *, limit: int = 600, key: str = API_KEY) -> None:
    """`message` is one trimmed, bounded sentence (or a few) for people: no traceback, no
    library or class names, no control characters and never the key."""
    assert message, "empty message"
    assert message == message.strip(), f"not trimmed: {message!r}"
    assert len(message) <= limit, f"{len(message)} characters: {message[:120]!r}…"
    assert "\n" not in message, f"more than one line: {message!r}"
    assert not _LEAKS.search(message), f"raw exception text in {message!r}"
    assert not _CONTROL.search(message), f"control character in {message!r}"
    assert key not in message
    assert message[0].isupper() or message[0].isdigit() or message[0] == "'", message
    assert message.endswith((".", "…", ")")) or "Server said:" in message, message
