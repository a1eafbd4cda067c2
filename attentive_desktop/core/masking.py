"""Mask phone numbers and email addresses for screen sharing ("Mask personal data").

`mask_phone("+14155550100")` → "+1 415 ••• ••00"; `mask_email("ada@example.com")` →
"a••@example.com"; `mask_text` finds both anywhere in a text (history cells, JSON bodies,
URLs with ``%2B``/``%40`` encoding, status lines) and masks each. Masking is idempotent: a
masked text has nothing left to mask.

Messages that quote what was typed ("The phone number '(415) 555-01' is not valid", "The
email address 'ada@@example' is not valid") have the quoted text masked even when it is not a
valid number or address. `mask_identifier` masks a cell that holds one identifier as typed
(a CSV phone column: "(415) 555-0100" → "(•••) •••-••00").

Phones are found in international form only (a leading "+" or "%2B", then 7 to 15 digits,
spaces, dots, dashes or brackets allowed between them), which is how the app stores and shows
them; a bare run of digits is left alone so amounts, ids and dates stay readable.
"""

from __future__ import annotations

import re

BULLET = "•"
_PHONE = re.compile(r"(?<![\w+])(?:\+|%2[Bb])(\d(?:[ .()\-]{0,2}\d){6,16})(?!\d)")
_EMAIL = re.compile(
    r"(?<![\w.%+\-])([A-Za-z0-9][A-Za-z0-9._+\-]*)(@|%40)"
    r"([A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,})(?![\w\-])"
)
_QUOTED_PHONE = re.compile(r"(phone number ')([^']*)(')")
_QUOTED_EMAIL = re.compile(r"(email address ')([^']*)(')")
_PHONE_LIKE = re.compile(r"[\s+()\-./\d]*\d[\s+()\-./\d]*")


def mask_phone(phone: str) -> str:
    """A phone number with its middle digits hidden: "+14155550100" → "+1 415 ••• ••00".

    North American numbers keep the area code; others keep the first two digits (most of a
    country code). Text with fewer than 7 digits is returned unchanged.
    """
    digits = re.sub(r"\D", "", phone)
    if len(digits) < 7:
        return phone
    if len(digits) == 11 and digits.startswith("1"):
        return f"+1 {digits[1:4]} {BULLET * 3} {BULLET * 2}{digits[-2:]}"
    hidden = BULLET * (len(digits) - 4)
    return f"+{digits[:2]} {hidden}{digits[-2:]}"


def mask_email(email: str) -> str:
    """An email address with its local part hidden but the first letter: "a••@example.com".

    Text that is not an address (no "@") is returned unchanged.
    """
    local, at, domain = email.partition("@")
    if not at or not local:
        return email
    return f"{local[0]}{BULLET * 2}@{domain}"


def mask_digits(text: str, keep: int = 2) -> str:
    """Every digit of `text` but the last `keep` hidden, the layout kept:
    "(415) 555-0100" → "(•••) •••-••00" (a phone number as typed, valid or not)."""
    total = sum(ch.isdigit() for ch in text)
    seen = 0
    out = []
    for ch in text:
        if ch.isdigit():
            seen += 1
            out.append(ch if seen > total - keep else BULLET)
        else:
            out.append(ch)
    return "".join(out)


def _mask_address(text: str) -> str:
    """An email address as typed, valid or not: all but its first character before "@"."""
    if "@" in text:
        return mask_email(text)
    return f"{text[:1]}{BULLET * 2}" if text else text


def mask_text(text: str) -> str:
    """`text` with every phone number and email address in it masked."""
    if not text:
        return text
    text = _QUOTED_PHONE.sub(lambda m: m.group(1) + mask_digits(m.group(2)) + m.group(3), text)
    text = _QUOTED_EMAIL.sub(lambda m: m.group(1) + _mask_address(m.group(2)) + m.group(3), text)
    text = _EMAIL.sub(lambda m: mask_email(f"{m.group(1)}@{m.group(3)}"), text)
    return _PHONE.sub(lambda m: mask_phone(m.group(1)), text)


def mask_identifier(text: str) -> str:
    """A cell holding one phone or email as typed (valid or not), masked: digits-only text
    ("(415) 555-0100", "415.555.0100") → `mask_digits`; a single word with "@" → the
    address masked; anything else → `mask_text` (so "clientUserId 42" stays readable)."""
    stripped = text.strip()
    if not stripped:
        return text
    masked = mask_text(text)
    if masked != text:
        return masked
    if _PHONE_LIKE.fullmatch(stripped):
        return mask_digits(text)
    if "@" in stripped and not any(ch.isspace() for ch in stripped):
        return _mask_address(stripped)
    return text


def contains_personal_data(text: str) -> bool:
    """Whether `text` holds something `mask_text` would mask (for tests and checks)."""
    return bool(text) and mask_text(text) != text
