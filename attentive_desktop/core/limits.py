"""Limits on what a person may type or paste, and how a bad piece of it is quoted back."""

from __future__ import annotations

import unicodedata

from attentive_desktop.core._text import INVISIBLE_CATEGORIES, shown
from attentive_desktop.core.attributes import MAX_NAME_LENGTH

# Attentive documents no limit on values. Past LONG_VALUE a value is probably a paste mistake
# (warning); past MAX_VALUE_LENGTH the request would pass a megabyte, the size many web servers
# refuse by default, so it is an error rather than a request that fails or is cut.
LONG_VALUE = 1_000
MAX_VALUE_LENGTH = 1_000_000
LABEL_LIMIT = MAX_NAME_LENGTH + 50
"""Names up to this many characters are quoted whole in messages; longer ones are shortened."""


def label(name: str) -> str:
    """``name`` as quoted in a message: whole unless absurdly long (a pasted document)."""
    if has_broken_unicode(name):  # the raw text could not even be printed or stored
        return shown(name, 80)
    return name if len(name) <= LABEL_LIMIT else shown(name, 80)


def has_broken_unicode(text: str) -> bool:
    """True when ``text`` holds a lone surrogate: it cannot be encoded, so it can never be sent."""
    return not text.isascii() and any("\ud800" <= ch <= "\udfff" for ch in text)


def hidden_characters(text: str) -> list[str]:
    """The distinct control, format (zero-width, bidi) and surrogate characters in ``text``,
    each made visible ("\\u200b"), in code point order."""
    found = {ch for ch in text if unicodedata.category(ch) in INVISIBLE_CATEGORIES}
    return [shown(ch) for ch in sorted(found)]
