"""An API key pasted into an attribute by mistake: found before it is sent or saved.

Right after adding an account the key is often still on the clipboard. Pasted as a value and
sent, it would be stored on the customer's profile at Attentive and in the app's own files.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from attentive_desktop.core.validation import Finding, Severity


def holds_key(text: str, keys: Iterable[str]) -> bool:
    """True when ``text`` contains one of ``keys`` (blank keys are ignored)."""
    return any(key and key in text for key in keys)


def key_findings(properties: Mapping[str, object], keys: Iterable[str]) -> list[Finding]:
    """An "api-key" error for each property whose name or value holds one of ``keys``."""
    keys = tuple(k for k in keys if k)
    return [
        key_finding(str(name))
        for name, value in properties.items()
        if keys and (holds_key(str(name), keys) or holds_key(str(value), keys))
    ]


def key_finding(name: str) -> Finding:
    """The error for the property ``name`` (its text is never quoted: it may be the key)."""
    return Finding(
        Severity.ERROR,
        name,
        "api-key",
        "This row holds your API key (pasted by mistake?). Remove it: the key is never sent "
        "to a profile or saved.",
    )
