"""An embedded stand-in for Attentive's Custom Attributes API, for offline use and tests.

Stdlib only (http.server, json, threading). ``SandboxServer`` / ``running_sandbox`` serve
``/v1/me`` and ``/v1/attributes/custom`` on 127.0.0.1 as DESIGN.md's table says.

Where the real service is undocumented, the sandbox chooses (and tests pin) this:

- Order of checks per request: forced 429 burst, rate limit, injected drop/500, key (401),
  path (404) and method (405), scope (403), then the endpoint's own rules.
- Rate limit: per key, per method + path, a fixed one-second window that opens with the first
  request after the previous window expired; refused requests count too. Every response carries
  x-ratelimit-limit and x-ratelimit-remaining (0 on a 429), never Retry-After. A forced 429 from
  ``burst_429`` reports remaining 0 and does not use up the window. ``rate_window="sliding"``
  gives a stricter trailing-second limit.
- Dropped connections happen before the request is processed: a dropped write changes nothing.
- Error bodies are always ``{"message": "..."}``; a successful POST is 200 with an empty body.
- GET lookups: the query is decoded like a form (a literal "+" becomes a space, so an
  unencoded E.164 phone is a 400); unknown query parameters are ignored; emails match
  case-insensitively; a known subscriber without attributes is ``[]``.
- POST body: unknown top-level keys are 400, an empty ``properties`` object is 400; a write is
  all or nothing (one bad property refuses the whole request).
- Values: strings are stored as sent; JSON numbers and booleans are accepted and stored as their
  JSON text (12 -> "12", true -> "true"); null, arrays and objects are 400; NaN is 400.
  Names must be non-blank and at most 200 characters; they are case-sensitive.
- Type lock: the first value ever stored fixes the type (``inference.infer_type``: Number is
  ``-?digits[.digits]``, Boolean is true/false in any case, Date is a valid YYYY-MM-DD or an
  ISO-8601 timestamp with "T", else Text). Later, a Number/Boolean/Date attribute refuses a value
  of another type with 400 naming the attribute and both types; a Text attribute accepts any
  string.
- UI-created properties ("Shirt size", "Loyalty tier") accept only their listed values, exact
  case; "Preferred store" is a "Custom input" property and accepts anything.
- Identifiers: an unknown phone/email creates the subscriber (upsert). External identifiers
  only resolve when linked (seeded, or through the Identity API); if they are the only
  identifiers and unknown, 404.
  Identifiers that resolve to two different subscribers are 400. A phone or email missing from
  the matched subscriber is added to it.
- Identity API (``POST /v1/identity-resolution/user-identifiers``, scope identity:write, 10
  requests/s per key): body ``{phone, email, shopifyId, klaviyoId, clientUserId,
  customIdentifiers}`` (see ``identity``); 202 with an empty body. It links the clientUserId
  and custom identifiers to the subscriber the other identifiers point at (a new phone/email
  creates one; none known and no phone/email is 404; two different subscribers is 400).
- Subscriptions (``GET /v1/subscriptions?phone=|email=``, scope subscriptions:read; query as
  for lookups): ``{"subscriptionEligibilities": [{"subscription": {"type": "MARKETING" |
  "TRANSACTIONAL", "channel": "TEXT" | "EMAIL"}, "eligibility": {"isEligible": bool}}]}``;
  404 for an unknown subscriber; an empty list for one created by an upsert.
  ``SANDBOX_NO_SUBSCRIPTIONS_KEY`` has every scope but subscriptions:read (403 there).
"""

from .controls import RateLimiter, RecordedRequest
from .inference import infer_type
from .seed import (
    SANDBOX_API_KEY,
    SANDBOX_NO_SUBSCRIPTIONS_KEY,
    SANDBOX_READONLY_KEY,
    SEED_USERS,
    UI_PROPERTIES,
)
from .server import SandboxServer, running_sandbox

__all__ = [
    "SANDBOX_API_KEY",
    "SANDBOX_NO_SUBSCRIPTIONS_KEY",
    "SANDBOX_READONLY_KEY",
    "SEED_USERS",
    "UI_PROPERTIES",
    "RateLimiter",
    "RecordedRequest",
    "SandboxServer",
    "infer_type",
    "running_sandbox",
]
