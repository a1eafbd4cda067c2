"""The Identity API's request body (POST /v1/identity-resolution/user-identifiers), checked.

Body, as Attentive documents it: ``{"phone", "email", "shopifyId", "klaviyoId",
"clientUserId", "customIdentifiers": [{"name", "value"}]}``, all optional strings except the
list. A clientUserId or at least one custom identifier is what gets linked, and it must come
with at least one other identifier. Each value has at most 100 characters.

Sandbox choices where the docs are silent: unknown keys are 400; shopifyId and klaviyoId are
kept as custom identifiers named "shopifyId" / "klaviyoId".
"""

from __future__ import annotations

from dataclasses import dataclass

from .state import ApiFailure, is_e164, is_email

MAX_IDENTIFIER_LENGTH = 100
_KEYS = frozenset({"phone", "email", "shopifyId", "klaviyoId", "clientUserId", "customIdentifiers"})


@dataclass(frozen=True)
class IdentityLink:
    """What to link: the anchors (phone, email) and the external identifiers."""

    phone: str | None
    email: str | None
    client_user_id: str | None
    custom: tuple[tuple[str, str], ...]


def _bad(message: str) -> ApiFailure:
    return ApiFailure(400, message)


def _text(body: dict, key: str) -> str | None:
    value = body.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise _bad(f"'{key}' must be a non-empty string.")
    if len(value) > MAX_IDENTIFIER_LENGTH:
        raise _bad(f"'{key}' has more than {MAX_IDENTIFIER_LENGTH} characters.")
    return value


def parse_identify_body(body: object) -> IdentityLink:
    """Validate the body; ApiFailure(400) with a readable message when it is wrong."""
    if not isinstance(body, dict):
        raise _bad("The request body must be a JSON object of identifiers.")
    extra = sorted(set(body) - _KEYS)
    if extra:
        raise _bad(f"Unknown key(s): {', '.join(extra)}.")
    phone = _text(body, "phone")
    if phone is not None and not is_e164(phone):
        raise _bad("'phone' must be a phone number in E.164 format, e.g. +14155550100.")
    email = _text(body, "email")
    if email is not None and not is_email(email):
        raise _bad("'email' is not a valid email address.")
    client_user_id = _text(body, "clientUserId")
    custom: list[tuple[str, str]] = []
    raw = body.get("customIdentifiers", [])
    if not isinstance(raw, list):
        raise _bad("'customIdentifiers' must be an array of {name, value} objects.")
    for item in raw:
        ok = isinstance(item, dict) and set(item) == {"name", "value"}
        if not ok or not all(isinstance(item[k], str) and item[k].strip() for k in item):
            raise _bad(
                'Each custom identifier must be {"name": ..., "value": ...} with non-empty strings.'
            )
        if any(len(item[k]) > MAX_IDENTIFIER_LENGTH for k in ("name", "value")):
            raise _bad(f"A custom identifier has more than {MAX_IDENTIFIER_LENGTH} characters.")
        custom.append((item["name"], item["value"]))
    for key in ("shopifyId", "klaviyoId"):
        value = _text(body, key)
        if value is not None:
            custom.append((key, value))
    if client_user_id is None and not body.get("customIdentifiers"):
        raise _bad("Give a clientUserId or customIdentifiers to link to the user.")
    given = [phone, email, client_user_id, *custom]
    if sum(1 for v in given if v) < 2:
        raise _bad(
            "An identifier to link needs at least one other identifier with it "
            "(phone, email, shopifyId, klaviyoId, clientUserId or a custom identifier)."
        )
    return IdentityLink(phone, email, client_user_id, tuple(custom))
