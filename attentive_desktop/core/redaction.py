"""Finding an API key in text however a server or a library escaped it."""

from __future__ import annotations

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
