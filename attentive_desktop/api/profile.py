"""Profile context for support staff: the Identity API body and the subscriptions reply.

- ``POST /identity-resolution/user-identifiers`` links a clientUserId and/or custom
  identifiers to a user given by phone or email (or another identifier), so that a custom
  attributes write naming only the external identifier finds the user. Body (documented):
  ``{"phone", "email", "clientUserId", "customIdentifiers": [{"name", "value"}]}``; 202 with
  no documented body; 10 requests per second; scope identity:write.
- ``GET /subscriptions?phone=…`` (or ``email=``) answers ``{"subscriptionEligibilities":
  [{"subscription": {"type", "channel"}, "eligibility": {"isEligible"}}]}``: each
  subscription type (MARKETING, TRANSACTIONAL, …) and channel (TEXT, EMAIL) the user has,
  with whether they may receive messages for it. Scope subscriptions:read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from attentive_desktop.api.errors import AccessDenied, InvalidRequest, UnexpectedResponse
from attentive_desktop.core.identifiers import UserRef

IDENTITY_ENDPOINT = "/identity-resolution/user-identifiers"
SUBSCRIPTIONS_ENDPOINT = "/subscriptions"
MAX_IDENTIFIER_LENGTH = 100
IDENTITY_SCOPE_MESSAGE = (
    "This API key lacks the identity:write scope, so it cannot link identifiers. Ask an admin "
    "for a key with that scope."
)
SUBSCRIPTIONS_SCOPE_MESSAGE = (
    "This API key lacks the subscriptions:read scope, so subscriptions cannot be shown."
)

_TYPE_WORDS = {"MARKETING": "Marketing", "TRANSACTIONAL": "Transactional"}
_CHANNEL_WORDS = {"TEXT": "text messages", "EMAIL": "email"}


@dataclass(frozen=True)
class SubscriptionEligibility:
    """One subscription of a user: `type` ("MARKETING", "TRANSACTIONAL", …), `channel`
    ("TEXT", "EMAIL") and `eligible` (None when the reply did not say)."""

    type: str
    channel: str
    eligible: bool | None

    @property
    def label(self) -> str:
        """E.g. "Marketing text messages: eligible"."""
        kind = _TYPE_WORDS.get(self.type, self.type.replace("_", " ").capitalize())
        channel = _CHANNEL_WORDS.get(self.channel, self.channel.lower())
        state = {True: "eligible", False: "not eligible", None: "eligibility unknown"}
        return f"{kind} {channel}: {state[self.eligible]}"


def identify_body(user: UserRef) -> str:
    """The Identity API body for `user`; InvalidRequest (nothing sent) when it cannot link."""
    external = user.client_user_id is not None or bool(user.custom_identifiers)
    if not external:
        raise InvalidRequest(
            "Enter a clientUserId or a custom identifier to link to this user.",
            field="clientUserId",
        )
    count = sum(1 for v in (user.phone, user.email, user.client_user_id) if v)
    if count + len(user.custom_identifiers) < 2:
        raise InvalidRequest(
            "Enter the phone or email of the user to link the identifier to.", field="user"
        )
    values = [user.phone, user.email, user.client_user_id]
    values += [part for c in user.custom_identifiers for part in (c.name, c.value)]
    if any(v is not None and len(v) > MAX_IDENTIFIER_LENGTH for v in values):
        raise InvalidRequest(
            f"Identifiers have at most {MAX_IDENTIFIER_LENGTH} characters for the Identity API.",
            field="user",
        )
    body: dict[str, object] = {}
    if user.phone:
        body["phone"] = user.phone
    if user.email:
        body["email"] = user.email
    if user.client_user_id:
        body["clientUserId"] = user.client_user_id
    if user.custom_identifiers:
        body["customIdentifiers"] = [
            {"name": c.name, "value": c.value} for c in user.custom_identifiers
        ]
    return json.dumps(body, ensure_ascii=False)


def parse_subscriptions(text: str, status: int) -> list[SubscriptionEligibility]:
    """The subscriptions in a GET /subscriptions reply; UnexpectedResponse when unreadable.

    Entries without a type or channel are skipped rather than failing the whole panel.
    """
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    items = data.get("subscriptionEligibilities") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise UnexpectedResponse(
            "Attentive's reply about subscriptions could not be read.", status=status
        )
    found = []
    for item in items:
        if not isinstance(item, dict):
            continue
        subscription = item.get("subscription") or {}
        eligibility = item.get("eligibility") or {}
        kind = subscription.get("type") if isinstance(subscription, dict) else None
        channel = subscription.get("channel") if isinstance(subscription, dict) else None
        if not isinstance(kind, str) or not isinstance(channel, str):
            continue
        eligible = eligibility.get("isEligible") if isinstance(eligibility, dict) else None
        found.append(
            SubscriptionEligibility(kind, channel, eligible if isinstance(eligible, bool) else None)
        )
    return found


def scope_error(error: AccessDenied, message: str) -> AccessDenied:
    """`error` reworded to name the scope the call needs (status and server text kept)."""
    better = AccessDenied(message, status=error.status, server_message=error.server_message)
    better.attempts = error.attempts
    return better
