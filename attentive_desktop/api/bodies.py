"""Turning response bodies into short, safe text: redaction, trimming, server messages."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from html.parser import HTMLParser

from attentive_desktop.core.redaction import any_form_pattern

REDACTED = "[redacted]"
SERVER_MESSAGE_LIMIT = 300
# Bodies larger than this are not parsed as JSON or HTML for a message; only their start is read.
_PARSE_LIMIT = 256 * 1024
_MESSAGE_KEYS = ("message", "error", "errors", "detail", "details", "error_description", "msg")
_WHITESPACE = re.compile(r"\s+")
# Control, format (bidi overrides, zero-width) and surrogate characters: never shown to users.
_INVISIBLE = frozenset({"Cc", "Cf", "Cs"})


@lru_cache(maxsize=16)
def _secret_pattern(secret: str) -> re.Pattern[str]:
    # A server echoing the key escaped or encoded (base64 too) still has it redacted.
    # Cached: building the pattern took ~0.7 ms, and every request redacts its URL, bodies
    # and error (a bulk run's sending threads spent a third of their CPU here, competing with
    # the GUI thread for the GIL). The cache lives in memory only, next to the key the client
    # holds anyway.
    return re.compile(any_form_pattern(secret), re.IGNORECASE)


def redact(text: str, secrets: Iterable[str]) -> str:
    """Replace every occurrence of each secret (raw, escaped, encoded or base64) with a
    marker."""
    for secret in secrets:
        if secret:
            text = _secret_pattern(secret).sub(REDACTED, text)
    return text


def trim_text(text: str, limit: int) -> str:
    """Cut `text` to at most `limit` characters, ending with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    return text[: max(0, limit - 1)].rstrip() + "…"


def trim_utf8(text: str, limit_bytes: int) -> str:
    """Cut `text` so its UTF-8 encoding, marker included, fits in `limit_bytes`."""
    encoded = text.encode("utf-8")
    if len(encoded) <= limit_bytes:
        return text
    marker = f"\n… (trimmed; {len(encoded)} bytes in all)"
    room = max(0, limit_bytes - len(marker.encode("utf-8")))
    return encoded[:room].decode("utf-8", errors="ignore") + marker


def visible_text(text: str) -> str:
    """`text` with control, format and lone surrogate characters replaced by spaces.

    Terminal escapes, NULs, bidi overrides and zero-width characters from a server must not
    reach the window or a log line, where they could hide or reorder what the user reads.
    """
    if text.isascii():
        if text.isprintable():
            return text
        return "".join(ch if ch.isprintable() else " " for ch in text)
    return "".join(" " if unicodedata.category(ch) in _INVISIBLE else ch for ch in text)


def decode_body(content: bytes, encoding: str | None = None) -> str:
    """Decode a body leniently: the declared charset if usable, else UTF-8 with replacements."""
    try:
        return content.decode(encoding or "utf-8", errors="replace")
    except LookupError:
        return content.decode("utf-8", errors="replace")


class _TextExtractor(HTMLParser):
    """Collects the visible text of an HTML document, skipping scripts and styles."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "head"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """The visible text of an HTML fragment, whitespace collapsed."""
    parser = _TextExtractor()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # HTMLParser is lenient; this guards against the odd assertion.
        return _WHITESPACE.sub(" ", re.sub(r"<[^>]*>", " ", html)).strip()
    text = " ".join(parser.parts)
    if not text.strip():
        # Documents whose only text is a <title> (inside <head>) still have something to say.
        match = re.search(r"<title[^>]*>(.*?)</title>", html, re.IGNORECASE | re.DOTALL)
        text = match.group(1) if match else ""
    return _WHITESPACE.sub(" ", text).strip()


def looks_like_html(text: str) -> bool:
    """True when `text` reads like an HTML page (a proxy's error page, a Wi-Fi sign-in page)."""
    return _looks_like_html(text)


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:200].lower()
    return head.startswith(("<!doctype", "<html", "<?xml")) or bool(
        re.search(r"</?(html|body|h1|p|div|title|center|pre)\b", text[:2000], re.IGNORECASE)
    )


def _flatten(value: object, depth: int = 0) -> list[str]:
    """Message strings from a JSON value of any shape, preferring the conventional keys."""
    if depth > 6 or value is None:
        return []
    if isinstance(value, str):
        return [value] if value.strip() else []
    if isinstance(value, bool | int | float):
        return [json.dumps(value)]
    if isinstance(value, list):
        found: list[str] = []
        for item in value[:20]:
            found.extend(_flatten(item, depth + 1))
        return found
    if isinstance(value, dict):
        for key in _MESSAGE_KEYS:
            if key in value:
                found = _flatten(value[key], depth + 1)
                if found:
                    field = value.get("field") or value.get("property") or value.get("loc")
                    if isinstance(field, str) and field and key in ("message", "msg"):
                        found = [f"{field}: {found[0]}", *found[1:]]
                    return found
        if depth > 0:
            # A nested object without a message key (e.g. {"name": ["too long"]}) is still a reason.
            return [_compact_json(value)]
    return []


def _dedupe(parts: list[str]) -> list[str]:
    seen: set[str] = set()
    unique = []
    for part in parts:
        key = part.strip()
        if key and key not in seen:
            seen.add(key)
            unique.append(key)
    return unique


def server_message(body: str | bytes | None, *, secrets: Iterable[str] = ()) -> str | None:
    """The server's own explanation from an error body, short and with secrets redacted.

    JSON bodies contribute their "message"/"error"/"errors"/"detail" values (any shape); a JSON
    body without those keys is shown compactly; HTML is reduced to its text; anything else is
    taken as plain text. Returns None when the body says nothing.
    """
    if body is None:
        return None
    text = decode_body(body) if isinstance(body, bytes) else body
    secrets = [s for s in secrets if s]
    text = redact(text, secrets)
    stripped = text.strip()
    if not stripped:
        return None
    message: str | None = None
    if len(stripped) <= _PARSE_LIMIT:
        try:
            parsed = json.loads(stripped)
            parts = _dedupe(_flatten(parsed))
        except (ValueError, RecursionError):  # not JSON, or nested too deeply to walk
            parsed = None
        else:
            if parts:
                message = "; ".join(parts)
            elif isinstance(parsed, dict) and any(k in parsed for k in _MESSAGE_KEYS):
                return None
            elif isinstance(parsed, dict | list) and parsed:
                message = _compact_json(parsed) or None  # None: too deep, shown as text
            else:
                return None
    if message is None:
        head = stripped[:_PARSE_LIMIT]
        message = html_to_text(head) if _looks_like_html(head) else head
    # Redact again: JSON escapes and HTML entities are only undone by the parsing above.
    message = _WHITESPACE.sub(" ", visible_text(redact(message, secrets))).strip()
    if not message:
        return None
    return trim_text(message, SERVER_MESSAGE_LIMIT)


def _compact_json(value: object) -> str:
    """`value` as one line of JSON; "" when it cannot be written (nested too deeply)."""
    try:
        return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    except (ValueError, RecursionError):
        return ""
