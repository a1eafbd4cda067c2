"""Who a request is about: phone, email and external identifiers, checked and normalised."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from attentive_desktop.core._text import INVISIBLE_CATEGORIES, safe_repr, shown

MAX_EMAIL_LENGTH = 254


class InvalidIdentifier(ValueError):
    """An identifier was refused; ``field`` says which one and ``message`` what to do.

    ``field`` is one of "phone", "email", "clientUserId", "customIdentifiers" or "user" (the
    set of identifiers as a whole). ``str(error)`` is ``message``.
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(field, message)
        self.field = field
        self.message = message

    def __str__(self) -> str:
        return self.message


_EXTENSION = re.compile(r"(?i)(?:;ext=|[\s,]*(?:ext\.?|extension|x|#))\s*\d+\s*$")
"""An extension at the end of a phone number ("ext. 12", "x12", ";ext=12"), refused later
with its own reason rather than as letters."""

_TEL_URI = re.compile(r"(?i)^\s*tel:")
"""A "tel:" link prefix (RFC 3966), as copied from a web page or an email signature."""


def normalize_phone(text: str, region: str = "US") -> str:
    """Return ``text`` as an E.164 phone number ("(415) 555-0100" → "+14155550100").

    Numbers without a leading "+" are read as numbers of ``region`` (an ISO country code such
    as "US" or "GB"). Raises InvalidIdentifier(field="phone") for anything that is not a
    valid, dialable number; numbers with an extension are refused since texts cannot reach one.
    """
    if not isinstance(text, str):
        raise InvalidIdentifier("phone", "The phone number must be text, e.g. +14155550100.")
    if not text.strip():
        raise InvalidIdentifier("phone", "Enter a phone number, e.g. +14155550100.")
    import phonenumbers  # ~25 ms of metadata: loaded on first use, not at start-up

    region_code = region.strip().upper() if isinstance(region, str) else ""
    if region_code not in phonenumbers.SUPPORTED_REGIONS:
        region_code = ""
    expected = _expected_phone_format(region_code)
    quoted = shown(text.strip())
    letters = {ch for ch in _EXTENSION.sub("", _TEL_URI.sub("", text)) if ch.isalpha()}
    if letters:
        # phonenumbers reads letters as keypad digits: "555-O1OO" would be someone's number.
        hint = " (an O for a 0?)" if letters <= set("OoIl") else ""  # look-alike digits
        raise InvalidIdentifier(
            "phone",
            f"The phone number '{quoted}' contains letters{hint}. Use digits only. {expected}",
        )
    try:
        number = phonenumbers.parse(text.strip(), region_code or None)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        reason = phonenumbers.ValidationResult
        possible = phonenumbers.is_possible_number_with_reason(number) if number else None
        problem = {
            reason.TOO_SHORT: "is too short (is the area code missing?)",
            reason.IS_POSSIBLE_LOCAL_ONLY: "is too short (is the area code missing?)",
            reason.TOO_LONG: "is too long",
        }.get(possible, "is not valid")  # type: ignore[arg-type]
        raise InvalidIdentifier("phone", f"The phone number '{quoted}' {problem}. {expected}")
    if number.extension:
        raise InvalidIdentifier(
            "phone",
            f"The phone number '{quoted}' has an extension, which cannot receive "
            f"texts. Remove the extension. {expected}",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_regions() -> list[tuple[str, int]]:
    """Every region a number typed without "+" can be read in: (ISO code, calling code),
    sorted by code."""
    import phonenumbers

    return sorted(
        (code, phonenumbers.country_code_for_region(code))
        for code in phonenumbers.SUPPORTED_REGIONS
    )


def _expected_phone_format(region: str) -> str:
    import phonenumbers

    sentence = "Enter it in international format, e.g. +14155550100"
    example = phonenumbers.example_number(region) if region else None
    if example is None:
        return sentence + "."
    national = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.NATIONAL)
    return f"{sentence}, or as a {region} number like {national}."


def normalize_email(text: str) -> str:
    """Return ``text`` stripped, checked and with its domain lower-cased.

    A pragmatic check, not RFC 5322: at most 254 characters, exactly one "@", a non-empty local
    part, a domain of dot-separated labels of letters, digits and hyphens (any script) with at
    least one dot, and no whitespace or control characters anywhere. The local part is kept as
    typed since mail servers may treat its case as significant. Raises
    InvalidIdentifier(field="email").
    """
    if not isinstance(text, str):
        raise InvalidIdentifier("email", "The email address must be text, e.g. ada@example.com.")
    if not text.strip():
        raise InvalidIdentifier("email", "Enter an email address, e.g. ada@example.com.")
    address = text.strip()
    problem = _email_problem(address)
    if problem:
        raise InvalidIdentifier(
            "email",
            f"The email address '{shown(address)}' is not valid: {problem}. "
            "Enter it like ada@example.com.",
        )
    local, domain = address.split("@")
    normalised = f"{local}@{domain.lower()}"
    if len(normalised) > MAX_EMAIL_LENGTH:  # a few letters grow when lower-cased
        raise InvalidIdentifier(
            "email",
            f"The email address '{shown(address)}' is not valid: it is longer than "
            f"{MAX_EMAIL_LENGTH} characters. Enter it like ada@example.com.",
        )
    return normalised


def _email_problem(address: str) -> str | None:
    if len(address) > MAX_EMAIL_LENGTH:
        return f"it is longer than {MAX_EMAIL_LENGTH} characters"
    if any(ch.isspace() for ch in address):
        return "it contains a space"
    if any(unicodedata.category(ch) in INVISIBLE_CATEGORIES for ch in address):
        return "it contains an invisible or control character"
    if address.count("@") != 1:
        return "it needs exactly one @"
    local, domain = address.split("@")
    if not local:
        return "there is nothing before the @"
    labels = domain.split(".")
    if len(labels) < 2:
        return "the part after the @ needs a dot, like example.com"
    if not all(labels) or not all(_is_domain_char(ch) for label in labels for ch in label):
        return "the part after the @ is not a domain name"
    return None


def _is_domain_char(ch: str) -> bool:
    # letters, digits and combining marks of any script (Devanagari vowel signs are marks)
    return ch == "-" or unicodedata.category(ch)[0] in "LNM"


@dataclass(frozen=True)
class CustomIdentifier:
    """A client-defined identifier (name and value) linked to a user through the Identity API."""

    name: str
    value: str


@dataclass(frozen=True)
class LookupQuery:
    """The one query parameter a custom-attributes lookup sends: phone or email."""

    field: Literal["phone", "email"]
    value: str

    def __post_init__(self) -> None:
        if self.field not in ("phone", "email"):
            raise ValueError(f"a lookup is by 'phone' or 'email', not {self.field!r}")

    def params(self) -> dict[str, str]:
        """Query parameters for GET /attributes/custom, e.g. {"phone": "+14155550100"}."""
        return {self.field: self.value}


@dataclass(frozen=True)
class UserRef:
    """The user a request is about. Build it with ``UserRef.parse`` to get checked values.

    ``phone`` is E.164, ``email`` normalised; external identifiers only work once Attentive has
    linked them to a phone or email.
    """

    phone: str | None = None
    email: str | None = None
    client_user_id: str | None = None
    custom_identifiers: tuple[CustomIdentifier, ...] = ()

    @classmethod
    def parse(
        cls,
        *,
        phone: str | None = None,
        email: str | None = None,
        client_user_id: str | None = None,
        custom_identifiers: Iterable[CustomIdentifier | tuple[str, str]] = (),
        region: str = "US",
    ) -> UserRef:
        """Check and normalise identifiers as typed by a person; blank ones are absent.

        Custom identifiers come as CustomIdentifier or (name, value) pairs; a pair with both
        parts blank is skipped, one with only one part is refused. At least one identifier is
        required. Raises InvalidIdentifier naming the field at fault.
        """
        parsed_phone = None if _blank(phone) else normalize_phone(phone, region)
        parsed_email = None if _blank(email) else normalize_email(email)
        if _blank(client_user_id):
            parsed_client_id = None
        elif isinstance(client_user_id, str):
            parsed_client_id = client_user_id.strip()
            _refuse_hidden("clientUserId", "The clientUserId", parsed_client_id)
        else:
            raise InvalidIdentifier("clientUserId", "The clientUserId must be text.")
        customs = _parse_custom_identifiers(custom_identifiers)
        if not (parsed_phone or parsed_email or parsed_client_id or customs):
            raise InvalidIdentifier(
                "user",
                "Enter at least one identifier: a phone number, an email address, "
                "a clientUserId or a custom identifier.",
            )
        return cls(parsed_phone, parsed_email, parsed_client_id, customs)

    def to_user_json(self) -> dict:
        """The ``user`` object for POST /attributes/custom, with absent parts left out."""
        user: dict = {}
        if self.phone:
            user["phone"] = self.phone
        if self.email:
            user["email"] = self.email
        external: dict = {}
        if self.client_user_id:
            external["clientUserId"] = self.client_user_id
        if self.custom_identifiers:
            external["customIdentifiers"] = [
                {"name": c.name, "value": c.value} for c in self.custom_identifiers
            ]
        if external:
            user["externalIdentifiers"] = external
        return user

    def lookup_query(self, by: str | None = None) -> LookupQuery:
        """The query for a lookup: by phone if present else email, or by the field named.

        Raises InvalidIdentifier when the needed phone or email is missing, since Attentive
        looks profiles up by phone or email only; ValueError for an unknown ``by``.
        """
        if by not in (None, "phone", "email"):
            raise ValueError(f"a lookup is by 'phone' or 'email', not {by!r}")
        if by in (None, "phone") and self.phone:
            return LookupQuery("phone", self.phone)
        if by in (None, "email") and self.email:
            return LookupQuery("email", self.email)
        if by is None:
            raise InvalidIdentifier(
                "user",
                "Looking up a profile needs a phone number or an email address; a clientUserId "
                "or custom identifier cannot be used for lookups. Add a phone or email.",
            )
        wanted, other = ("phone number", "email") if by == "phone" else ("email address", "phone")
        raise InvalidIdentifier(
            by, f"This user has no {wanted} to look up by. Add one, or look up by {other} instead."
        )

    def describe(self) -> str:
        """A short label for history and the UI: phone, else email, else an external id."""
        if self.phone:
            return self.phone
        if self.email:
            return self.email
        if self.client_user_id:
            return f"clientUserId {self.client_user_id}"
        if self.custom_identifiers:
            first = self.custom_identifiers[0]
            return f"{first.name} {first.value}"
        return ""


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _parse_custom_identifiers(
    items: Iterable[CustomIdentifier | tuple[str, str]],
) -> tuple[CustomIdentifier, ...]:
    if items is None:
        return ()
    if isinstance(items, str | bytes | CustomIdentifier):
        items = [items]  # type: ignore[list-item]
    try:
        entries = list(items)
    except TypeError:
        raise InvalidIdentifier(
            "customIdentifiers", "Custom identifiers must be a list of name and value pairs."
        ) from None
    parsed: list[CustomIdentifier] = []
    for entry in entries:
        if isinstance(entry, CustomIdentifier):
            name, value = entry.name, entry.value
        elif isinstance(entry, tuple | list) and len(entry) == 2:
            name, value = entry
        else:
            raise InvalidIdentifier(
                "customIdentifiers",
                "Each custom identifier needs a name and a value; "
                f"'{shown(safe_repr(entry))}' is not a name and value pair.",
            )
        if not isinstance(name, str | None) or not isinstance(value, str | None):
            raise InvalidIdentifier(
                "customIdentifiers", "A custom identifier's name and value must be text."
            )
        name, value = (name or "").strip(), (value or "").strip()
        if not name and not value:
            continue
        if not name:
            raise InvalidIdentifier(
                "customIdentifiers",
                f"The custom identifier with value '{shown(value)}' has no name. "
                "Enter both a name and a value, or clear both.",
            )
        if not value:
            raise InvalidIdentifier(
                "customIdentifiers",
                f"The custom identifier '{shown(name)}' has no value. "
                "Enter both a name and a value, or clear both.",
            )
        _refuse_hidden("customIdentifiers", "The custom identifier's name", name)
        _refuse_hidden(
            "customIdentifiers", f"The value of custom identifier '{shown(name)}'", value
        )
        parsed.append(CustomIdentifier(name, value))
    return tuple(parsed)


def _refuse_hidden(field: str, what: str, text: str) -> None:
    """Refuse control, zero-width and broken (surrogate) characters in an external id: they
    would make an id that looks right but matches nobody, or one that cannot be sent."""
    hidden = sorted({ch for ch in text if unicodedata.category(ch) in INVISIBLE_CATEGORIES})
    if hidden:
        codes = ", ".join(shown(ch) for ch in hidden[:3])
        raise InvalidIdentifier(
            field,
            f"{what} '{shown(text)}' contains invisible or control characters ({codes}). "
            "Retype it without them.",
        )
