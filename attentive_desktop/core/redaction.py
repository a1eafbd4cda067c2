"""Finding an API key in text however a server or a library escaped or encoded it."""

from __future__ import annotations

import base64
import re


def secret_pattern(secret: str) -> str:
    """A regular expression (text) matching `secret` where each character may be raw,
    backslash-escaped (JSON may write "\\/"), percent-encoded ("%5F"), a JSON "\\u005f" escape
    or an HTML "&#95;"/"&#x5f;" entity, in any mix; compile it with re.IGNORECASE so any hex
    case matches too."""
    parts = []
    for char in secret:
        forms = [rf"\\?{re.escape(char)}"]
        forms.append("".join(f"%{byte:02x}" for byte in char.encode("utf-8")))
        if ord(char) < 0x10000:
            forms.append(rf"\\u{ord(char):04x}")
        forms.append(f"&#0*{ord(char)};|&#x0*{ord(char):x};")
        parts.append(f"(?:{'|'.join(forms)})")
    return "".join(parts)


def base64_forms(secret: str) -> set[str]:
    """Base64 (standard and URL-safe) of `secret` at each of the three alignments it can have
    inside a longer encoded value, minus the edge characters shared with its neighbours."""
    raw = secret.encode("utf-8")
    forms = set()
    for offset in range(3):
        encoded = base64.b64encode(b"\0" * offset + raw).decode()
        core = encoded[4 if offset else 0 : -4]
        if len(core) >= 8:
            forms.update({core, core.replace("+", "-").replace("/", "_")})
    return forms


def any_form_pattern(secret: str) -> str:
    """A regular expression (text) matching `secret` in any form `secret_pattern` knows, or
    base64-encoded (a server echoing an Authorization: Basic header, say)."""
    encoded = [re.escape(form) for form in sorted(base64_forms(secret))]
    return "|".join([f"(?:{secret_pattern(secret)})", *encoded])
