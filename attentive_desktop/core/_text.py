"""Quoting user input back in messages: short, visible and never raising."""

from __future__ import annotations

import unicodedata

INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs"})  # control, format (zero-width), surrogate
_SHOWN = 60  # characters of a value quoted back in a message


def shown(text: str, limit: int = _SHOWN) -> str:
    """``text`` shortened to ``limit`` characters, with invisible characters made visible."""
    short = text if len(text) <= limit else text[: limit - 1] + "…"
    return "".join(
        ch if unicodedata.category(ch) not in INVISIBLE_CATEGORIES else f"\\u{ord(ch):04x}"
        for ch in short
    )


def safe_repr(value: object) -> str:
    """``repr(value)``, or the type name when the object's own ``__repr__`` fails."""
    try:
        return repr(value)
    except Exception:  # a broken __repr__ must not hide the real problem
        return f"<{type(value).__name__}>"


def clock_text(seconds: float | None, unknown: str) -> str:
    """Seconds as "4:07" or "1:05:09" (rounded to whole seconds); ``unknown`` when None."""
    if seconds is None:
        return unknown
    hours, rest = divmod(round(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
