"""Subscribers, identifier links, type locks and UI-created properties, behind one lock.

Every public method holds the lock only for in-memory work, never while sleeping or doing I/O.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from . import inference
from .seed import SEED_USERS, UI_PROPERTIES

if TYPE_CHECKING:
    from .identity import IdentityLink

MAX_NAME_LENGTH = 200
_E164 = re.compile(r"\+[1-9][0-9]{1,14}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_USER_KEYS = frozenset({"phone", "email", "externalIdentifiers"})
_EXTERNAL_KEYS = frozenset({"clientUserId", "customIdentifiers"})


class ApiFailure(Exception):
    """A request the sandbox refuses: ``status`` and the ``message`` put in the JSON body."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def is_e164(value: str) -> bool:
    """Whether ``value`` is a phone number in E.164 form ("+" then up to 15 digits)."""
    return _E164.fullmatch(value) is not None


def is_email(value: str) -> bool:
    """Whether ``value`` looks like an email address (the sandbox only checks the shape)."""
    return _EMAIL.fullmatch(value) is not None


@dataclass
class _User:
    phone: str | None = None
    email: str | None = None
    attributes: dict[str, str] = field(default_factory=dict)
    subscriptions: dict[tuple[str, str], bool] = field(default_factory=dict)


@dataclass(frozen=True)
class _Identifiers:
    phone: str | None
    email: str | None
    client_user_id: str | None
    custom: tuple[tuple[str, str], ...]


def _bad(message: str) -> ApiFailure:
    return ApiFailure(400, message)


def _wire_value(name: str, value: object) -> str:
    """The string a property value is stored as, or ApiFailure(400)."""
    if isinstance(value, str):
        return value
    if value is None:
        raise _bad(f"Property '{name}' is null; send a string value.")
    if isinstance(value, list):
        raise _bad(f"Property '{name}' is an array; arrays are not supported, send one value.")
    if isinstance(value, dict):
        raise _bad(f"Property '{name}' is an object; objects are not supported.")
    # bool and numbers: stored as their JSON text, e.g. true -> "true", 50.89 -> "50.89".
    return json.dumps(value)


def _parse_identifiers(user: object) -> _Identifiers:
    if not isinstance(user, dict):
        raise _bad("'user' must be an object with phone, email or externalIdentifiers.")
    extra = sorted(set(user) - _USER_KEYS)
    if extra:
        raise _bad(f"Unknown key(s) in 'user': {', '.join(extra)}.")
    if not user:
        raise _bad("'user' needs at least one of phone, email or externalIdentifiers.")
    phone = user.get("phone")
    if phone is not None and not (isinstance(phone, str) and is_e164(phone)):
        raise _bad("'user.phone' must be a phone number in E.164 format, e.g. +14155550100.")
    email = user.get("email")
    if email is not None and not (isinstance(email, str) and is_email(email)):
        raise _bad("'user.email' is not a valid email address.")
    client_user_id, custom = None, ()
    if "externalIdentifiers" in user:
        client_user_id, custom = _parse_external(user["externalIdentifiers"])
    if phone is None and email is None and client_user_id is None and not custom:
        raise _bad("'user' needs at least one of phone, email or externalIdentifiers.")
    return _Identifiers(phone, email, client_user_id, custom)


def _parse_external(ext: object) -> tuple[str | None, tuple[tuple[str, str], ...]]:
    if not isinstance(ext, dict) or not ext:
        raise _bad(
            "'user.externalIdentifiers' must be an object with clientUserId or customIdentifiers."
        )
    extra = sorted(set(ext) - _EXTERNAL_KEYS)
    if extra:
        raise _bad(f"Unknown key(s) in 'user.externalIdentifiers': {', '.join(extra)}.")
    client_user_id = ext.get("clientUserId")
    if client_user_id is not None and not (isinstance(client_user_id, str) and client_user_id):
        raise _bad("'clientUserId' must be a non-empty string.")
    raw = ext.get("customIdentifiers", [])
    if not isinstance(raw, list):
        raise _bad("'customIdentifiers' must be an array of {name, value} objects.")
    custom: list[tuple[str, str]] = []
    for item in raw:
        ok = isinstance(item, dict) and set(item) == {"name", "value"}
        if not ok or not all(isinstance(item[k], str) and item[k] for k in ("name", "value")):
            raise _bad(
                'Each custom identifier must be {"name": ..., "value": ...} with non-empty strings.'
            )
        custom.append((item["name"], item["value"]))
    return client_user_id, tuple(custom)


class SandboxState:
    """The sandbox's data: subscribers, Identity API links, type locks and UI properties."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._load_seed()

    def _load_seed(self) -> None:
        self._users: list[_User] = []
        self._by_phone: dict[str, _User] = {}
        self._by_email: dict[str, _User] = {}
        self._by_client_id: dict[str, _User] = {}
        self._by_custom: dict[tuple[str, str], _User] = {}
        self._types: dict[str, str] = {name: inference.TEXT for name in UI_PROPERTIES}
        self._allowed: dict[str, tuple[str, ...] | None] = dict(UI_PROPERTIES)
        for seed in SEED_USERS:
            user = self._create(seed.phone, seed.email)
            user.subscriptions = seed.subscription_map()
            if seed.client_user_id:
                self._by_client_id[seed.client_user_id] = user
            for pair in seed.custom_identifiers.items():
                self._by_custom[pair] = user
            for name, value in seed.attributes.items():
                self._types.setdefault(name, inference.infer_type(value))
                user.attributes[name] = value

    def reset(self) -> None:
        """Back to the seeded data and type locks."""
        with self._lock:
            self._load_seed()

    def _create(self, phone: str | None, email: str | None) -> _User:
        user = _User(phone=phone, email=email)
        self._users.append(user)
        if phone:
            self._by_phone[phone] = user
        if email:
            self._by_email[email.lower()] = user
        return user

    def _find(self, phone: str | None, email: str | None) -> _User | None:
        if phone is not None:
            return self._by_phone.get(phone)
        if email is not None:
            return self._by_email.get(email.lower())
        return None

    # --- the API ---------------------------------------------------------------------------

    def lookup(self, *, phone: str | None = None, email: str | None = None) -> list[dict]:
        """GET /attributes/custom for one already-validated identifier; 404 when unknown."""
        with self._lock:
            user = self._find(phone, email)
            if user is None:
                raise ApiFailure(404, "No subscriber matches that phone or email.")
            return [{"name": k, "value": v} for k, v in user.attributes.items()]

    def upsert(self, body: object) -> None:
        """POST /attributes/custom: validate everything, then apply all or nothing."""
        if not isinstance(body, dict):
            raise _bad("The request body must be a JSON object with 'properties' and 'user'.")
        missing = [k for k in ("properties", "user") if k not in body]
        if missing:
            raise _bad(f"Missing required field(s): {', '.join(missing)}.")
        extra = sorted(set(body) - {"properties", "user"})
        if extra:
            raise _bad(f"Unknown top-level key(s): {', '.join(extra)}.")
        ids = _parse_identifiers(body["user"])
        properties = self._parse_properties(body["properties"])
        with self._lock:
            self._check_values(properties)
            user = self._resolve(ids)
            if user is None:
                user = self._create(ids.phone, ids.email)
            for name, value in properties.items():
                self._types.setdefault(name, inference.infer_type(value))
                user.attributes[name] = value

    @staticmethod
    def _parse_properties(properties: object) -> dict[str, str]:
        if not isinstance(properties, dict):
            raise _bad("'properties' must be an object of name/value pairs.")
        if not properties:
            raise _bad("'properties' is empty; send at least one property.")
        result: dict[str, str] = {}
        for name, value in properties.items():
            if not name.strip():
                raise _bad("A property name is empty; every property needs a name.")
            if len(name) > MAX_NAME_LENGTH:
                raise _bad(
                    f"Property name '{name[:40]}…' is {len(name)} characters long; "
                    f"the limit is {MAX_NAME_LENGTH}."
                )
            result[name] = _wire_value(name, value)
        return result

    def _resolve(self, ids: _Identifiers) -> _User | None:
        """The subscriber the identifiers point at, None for a new one (caller holds the lock)."""
        phone_user = self._by_phone.get(ids.phone) if ids.phone else None
        email_user = self._by_email.get(ids.email.lower()) if ids.email else None
        linked = [self._by_client_id.get(ids.client_user_id)] if ids.client_user_id else []
        linked += [self._by_custom.get(pair) for pair in ids.custom]
        found = {id(u): u for u in (phone_user, email_user, *linked) if u is not None}
        if len(found) > 1:
            raise _bad("The identifiers in 'user' belong to different subscribers.")
        if not found:
            if ids.phone is None and ids.email is None:
                raise ApiFailure(
                    404,
                    "No subscriber is linked to that external identifier; "
                    "link it to a phone or email first (Identity API).",
                )
            return None
        (user,) = found.values()
        if ids.phone and user.phone and user.phone != ids.phone:
            raise _bad("The identifiers in 'user' belong to different subscribers.")
        if ids.email and user.email and user.email.lower() != ids.email.lower():
            raise _bad("The identifiers in 'user' belong to different subscribers.")
        if ids.phone and not user.phone:
            user.phone = ids.phone
            self._by_phone[ids.phone] = user
        if ids.email and not user.email:
            user.email = ids.email
            self._by_email[ids.email.lower()] = user
        return user

    def _check_values(self, properties: Mapping[str, str]) -> None:
        for name, value in properties.items():
            allowed = self._allowed.get(name)
            if allowed is not None and value not in allowed:
                raise _bad(
                    f"'{value}' is not an allowed value for '{name}' "
                    f"(allowed: {', '.join(allowed)})."
                )
            locked = self._types.get(name)
            if locked is not None and not inference.accepts(locked, value):
                kind = inference.infer_type(value)
                raise _bad(
                    f"Attribute '{name}' is of type {locked}; the value '{value}' is "
                    f"{kind}. An attribute's type is fixed by its first value."
                )

    def link_identifiers(self, link: IdentityLink) -> None:
        """POST /identity-resolution/user-identifiers: link external identifiers to a user.

        The user is the one any of the identifiers already points at; with none, a phone or
        email creates the subscriber (as an upsert does), else 404. Identifiers pointing at
        two different subscribers are 400 (the sandbox refuses to merge profiles).
        """
        with self._lock:
            found = {
                id(u): u
                for u in (
                    self._by_phone.get(link.phone) if link.phone else None,
                    self._by_email.get(link.email.lower()) if link.email else None,
                    self._by_client_id.get(link.client_user_id) if link.client_user_id else None,
                    *(self._by_custom.get(pair) for pair in link.custom),
                )
                if u is not None
            }
            if len(found) > 1:
                raise _bad(
                    "These identifiers already belong to different subscribers; "
                    "the sandbox does not merge profiles."
                )
            if found:
                (user,) = found.values()
            elif link.phone or link.email:
                user = self._create(link.phone, link.email)
            else:
                raise ApiFailure(
                    404, "No subscriber has any of these identifiers; include a phone or email."
                )
            if link.phone and user.phone and user.phone != link.phone:
                raise _bad(
                    "The phone belongs to a different subscriber than the other identifiers."
                )
            if link.email and user.email and user.email.lower() != link.email.lower():
                raise _bad(
                    "The email belongs to a different subscriber than the other identifiers."
                )
            if link.phone and not user.phone:
                user.phone = link.phone
                self._by_phone[link.phone] = user
            if link.email and not user.email:
                user.email = link.email
                self._by_email[link.email.lower()] = user
            if link.client_user_id:
                self._by_client_id[link.client_user_id] = user
            for pair in link.custom:
                self._by_custom[pair] = user

    def subscriptions(self, *, phone: str | None = None, email: str | None = None) -> list[dict]:
        """GET /subscriptions: the subscriber's subscriptions with eligibility; 404 if unknown."""
        with self._lock:
            user = self._find(phone, email)
            if user is None:
                raise ApiFailure(404, "No subscriber matches that phone or email.")
            return [
                {
                    "subscription": {"type": kind, "channel": channel},
                    "eligibility": {"isEligible": eligible},
                }
                for (kind, channel), eligible in user.subscriptions.items()
            ]

    # --- inspection ------------------------------------------------------------------------

    def linked_phone(
        self, client_user_id: str | None = None, custom: tuple[str, str] | None = None
    ) -> str | None:
        """The phone (else email) of the subscriber an external identifier is linked to."""
        with self._lock:
            user = (
                self._by_client_id.get(client_user_id)
                if client_user_id
                else self._by_custom.get(custom)
                if custom
                else None
            )
            return None if user is None else (user.phone or user.email)

    def user_attributes(self, phone: str | None = None, email: str | None = None) -> dict[str, str]:
        """A copy of a subscriber's attributes ({} when the subscriber doesn't exist)."""
        with self._lock:
            user = self._find(phone, email)
            return dict(user.attributes) if user else {}

    def has_user(self, phone: str | None = None, email: str | None = None) -> bool:
        """Whether a subscriber with that phone (or email) exists."""
        with self._lock:
            return self._find(phone, email) is not None

    def attribute_types(self) -> dict[str, str]:
        """Attribute name -> locked type ("Number", "Boolean", "Date", "Text")."""
        with self._lock:
            return dict(self._types)

    def ui_properties(self) -> dict[str, tuple[str, ...] | None]:
        """UI-created properties: name -> allowed values, None for "Custom input"."""
        with self._lock:
            return dict(self._allowed)
