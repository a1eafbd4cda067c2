"""AttentiveClient: the Custom Attributes API calls the app makes."""

from __future__ import annotations

import functools
import json
import random
import ssl
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import NamedTuple
from urllib.parse import quote, urlsplit

import httpx

from attentive_desktop.api.errors import AccessDenied, InvalidRequest, UnexpectedResponse
from attentive_desktop.api.exchange import Exchange
from attentive_desktop.api.pacing import EndpointPacers, RateLimitPacer
from attentive_desktop.api.profile import (
    IDENTITY_ENDPOINT,
    IDENTITY_SCOPE_MESSAGE,
    SUBSCRIPTIONS_ENDPOINT,
    SUBSCRIPTIONS_SCOPE_MESSAGE,
    SubscriptionEligibility,
    identify_body,
    parse_subscriptions,
    scope_error,
)
from attentive_desktop.api.retry import RetryPolicy, Wait, event_wait
from attentive_desktop.api.sending import Call, InFlight, Sender
from attentive_desktop.api.urls import is_loopback_host, validate_base_url
from attentive_desktop.api.useragent import user_agent
from attentive_desktop.core.identifiers import (
    InvalidIdentifier,
    UserRef,
    normalize_email,
    normalize_phone,
)
from attentive_desktop.core.key_in_values import key_findings
from attentive_desktop.core.validation import SchemaView, Severity, validate_properties
from attentive_desktop.core.wire import attributes_body

ATTRIBUTES_ENDPOINT = "/attributes/custom"
ME_ENDPOINT = "/me"
MAX_CONNECTIONS = 32


@dataclass(frozen=True)
class MeInfo:
    """Who an API key belongs to, from GET /me (None for a field the reply lacks)."""

    application_name: str | None = None
    attentive_domain_name: str | None = None
    company_name: str | None = None
    contact_email: str | None = None
    company_id: str | None = None


class CustomAttribute(NamedTuple):
    """One custom attribute of a user, as the lookup returns it."""

    name: str
    value: str


def _text_value(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _optional_text(value: object) -> str | None:
    return None if value is None else _text_value(value)


def _user_from_mapping(user: Mapping) -> UserRef:
    """A UserRef from the wire form ({"phone", "email", "externalIdentifiers"}) or from
    UserRef.parse keyword names; unknown keys are refused."""
    allowed = {"phone", "email", "externalIdentifiers", "client_user_id", "custom_identifiers"}
    unknown = sorted(str(k) for k in user if k not in allowed)
    if unknown:
        raise InvalidIdentifier(
            "user",
            f"The user can only have a phone, an email and external identifiers, not "
            f"{', '.join(unknown)}.",
        )
    external = user.get("externalIdentifiers") or {}
    if not isinstance(external, Mapping):
        raise InvalidIdentifier("user", "externalIdentifiers must be an object.")
    customs = user.get("custom_identifiers") or external.get("customIdentifiers") or ()
    pairs = [
        (c.get("name"), c.get("value")) if isinstance(c, Mapping) else c
        for c in (customs if isinstance(customs, list | tuple) else [customs])
    ]
    return UserRef.parse(
        phone=user.get("phone"),
        email=user.get("email"),
        client_user_id=user.get("client_user_id") or external.get("clientUserId"),
        custom_identifiers=pairs,
    )


@functools.lru_cache(maxsize=2)
def shared_tls_context(*, trust_env: bool) -> ssl.SSLContext:
    """The certificate-verifying TLS context every client of this process shares (what
    httpx.Client builds by default: certifi's CA bundle, or SSL_CERT_FILE / SSL_CERT_DIR when
    ``trust_env``, read once). Building one loads the CA bundle: ~20 ms of C code holding the
    GIL, which stalled the window each time a client was made (a bulk run's start, a key
    check); shared, only the first client pays it. Contexts are safe to share between threads.
    """
    return httpx.create_ssl_context(trust_env=trust_env)


class AttentiveClient:
    """Talks to Attentive's API with one key; safe to use from several threads at once.

    Every attempt is paced (`pacer`; endpoints with their own documented limit, such as the
    Identity API's 10/s, get their own pacer from `pacers`), retried on 429/5xx/network/
    timeouts (`retry`) and reported to `on_exchange` without the key. `http` is used as given
    and then not closed by `close()`; without it the client makes and owns one. `cancel()`
    makes calls in progress (and later ones, until `reset_cancel()`) raise Cancelled at their
    next wait; a request already on the wire is waited for unless `interruptible` (the
    window's client: see Sender). `rng`, `wait` and `clock` are test seams.
    """

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        http: httpx.Client | None = None,
        on_exchange: Callable[[Exchange], None] | None = None,
        retry: RetryPolicy | None = None,
        pacer: RateLimitPacer | None = None,
        pacers: EndpointPacers | None = None,
        timeout: float = 15.0,
        rng: random.Random | None = None,
        wait: Wait = event_wait,
        clock: Callable[[], float] = time.monotonic,
        interruptible: bool = False,
    ) -> None:
        self.base_url = validate_base_url(base_url)
        key = api_key.strip() if isinstance(api_key, str) else ""
        if not key:
            raise ValueError("Enter an API key.")
        if not key.isascii() or not key.isprintable() or any(c.isspace() for c in key):
            raise ValueError("The API key contains characters an API key cannot have.")
        self._owns_http = http is None
        if http is None:
            loopback = is_loopback_host(urlsplit(self.base_url).hostname or "")
            http = httpx.Client(
                verify=shared_tls_context(trust_env=not loopback),
                timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
                limits=httpx.Limits(
                    max_connections=MAX_CONNECTIONS, max_keepalive_connections=MAX_CONNECTIONS
                ),
                follow_redirects=False,
                # A proxy from the environment must not capture loopback (sandbox) traffic.
                trust_env=not loopback,
            )
        self._http = http
        self._in_flight = InFlight()  # attempts an interruptible client let go of
        self.user_agent = user_agent()
        self.pacer = pacer if pacer is not None else RateLimitPacer(clock=clock, wait=wait)
        self.pacers = (
            pacers
            if pacers is not None
            else EndpointPacers(
                self.pacer, lambda limit: RateLimitPacer(limit, clock=clock, wait=wait)
            )
        )
        self._sender_options = {
            "base_url": self.base_url,
            "api_key": key,
            "http": http,
            "user_agent": self.user_agent,
            "retry": retry if retry is not None else RetryPolicy(),
            "on_exchange": on_exchange,
            "rng": rng if rng is not None else random.Random(),
            "wait": wait,
            "clock": clock,
            "interruptible": interruptible,
            "in_flight": self._in_flight,
        }
        self._sender = Sender(pacer=self.pacer, **self._sender_options)
        # Senders for endpoints paced on their own, made on first use; they share the
        # main sender's cancel event so cancel() stops them too.
        self._senders: dict[int, Sender] = {id(self.pacer): self._sender}
        self._senders_lock = threading.Lock()

    def __repr__(self) -> str:
        return f"AttentiveClient({self.base_url!r})"

    # -- calls ---------------------------------------------------------------------------

    def me(self) -> MeInfo:
        """Who the key belongs to (GET /me)."""
        reply = self._sender.run(Call("GET", ME_ENDPOINT))
        try:
            data = json.loads(reply.text)
        except ValueError:
            data = None
        if not isinstance(data, dict):
            raise UnexpectedResponse(
                "Attentive's reply about this API key could not be read (expected an object).",
                status=reply.status,
            )
        return MeInfo(
            application_name=_optional_text(data.get("applicationName")),
            attentive_domain_name=_optional_text(data.get("attentiveDomainName")),
            company_name=_optional_text(data.get("companyName")),
            contact_email=_optional_text(data.get("contactEmail")),
            company_id=_optional_text(data.get("companyId")),
        )

    def get_custom_attributes(
        self, *, phone: str | None = None, email: str | None = None
    ) -> list[CustomAttribute]:
        """A user's custom attributes, looked up by exactly one of phone or email.

        Raises InvalidRequest (a ValueError, nothing sent) when both or neither are given or
        the one given is not a valid phone number or email address.
        """
        field, value = _one_identifier(phone, email)
        # Built by hand so '+' is always sent as %2B, whatever the httpx version does.
        call = Call(
            "GET", ATTRIBUTES_ENDPOINT, query=f"{field}={quote(value, safe='')}", user=value
        )
        reply = self._sender.run(call)
        return _parse_attributes(reply.text, reply.status)

    def set_custom_attributes(
        self,
        user: UserRef | Mapping,
        properties: Mapping[str, object],
        *,
        schema: SchemaView | None = None,
    ) -> None:
        """Set (upsert) custom attributes on a user (POST /attributes/custom).

        The properties are validated first (with `schema` when given), and a name or value
        holding the API key is an error; any error raises InvalidRequest with the findings and
        nothing is sent. Warnings do not block.
        """
        try:
            ref = user if isinstance(user, UserRef) else _user_from_mapping(user)
        except InvalidIdentifier as exc:
            raise InvalidRequest(exc.message, field=exc.field) from None
        if isinstance(ref, UserRef) and not ref.to_user_json():
            raise InvalidRequest("Enter at least one identifier for the user.", field="user")
        if isinstance(properties, Mapping) and not properties:
            raise InvalidRequest("There are no attributes to send.")
        findings = validate_properties(properties, schema)
        errors = [f for f in findings if f.severity is Severity.ERROR]
        if isinstance(properties, Mapping):  # a pasted key never reaches a profile
            errors = key_findings(properties, (self._sender_options["api_key"],)) + errors
        if errors:
            more = f" ({len(errors) - 1} more problems.)" if len(errors) > 1 else ""
            raise InvalidRequest(errors[0].message + more, findings=errors)
        body = json.dumps(attributes_body(ref, properties), ensure_ascii=False)
        call = Call("POST", ATTRIBUTES_ENDPOINT, body=body, user=ref.describe(), write=True)
        self._sender.run(call)  # any 2xx is success, whatever (if anything) the body holds

    def link_identifiers(self, user: UserRef) -> None:
        """Link the user's clientUserId and/or custom identifiers to their phone or email
        (POST /identity-resolution/user-identifiers; 202 on success, paced at 10/s).

        Afterwards a custom attributes write naming only the external identifier reaches
        that user. Raises InvalidRequest (nothing sent) when there is no external identifier
        or nothing to link it to; AccessDenied names the identity:write scope.
        """
        call = Call("POST", IDENTITY_ENDPOINT, body=identify_body(user), user=user.describe())
        try:
            self._sender_for(IDENTITY_ENDPOINT).run(call)
        except AccessDenied as exc:
            raise scope_error(exc, IDENTITY_SCOPE_MESSAGE) from None

    def get_subscriptions(
        self, *, phone: str | None = None, email: str | None = None
    ) -> list[SubscriptionEligibility]:
        """The user's subscriptions and whether they may receive messages for each
        (GET /subscriptions), by exactly one of phone or email.

        Raises InvalidRequest as `get_custom_attributes` does; AccessDenied (with a message
        naming subscriptions:read) when the key lacks the scope: hide the panel then.
        """
        field, value = _one_identifier(phone, email)
        call = Call(
            "GET", SUBSCRIPTIONS_ENDPOINT, query=f"{field}={quote(value, safe='')}", user=value
        )
        try:
            reply = self._sender_for(SUBSCRIPTIONS_ENDPOINT).run(call)
        except AccessDenied as exc:
            raise scope_error(exc, SUBSCRIPTIONS_SCOPE_MESSAGE) from None
        return parse_subscriptions(reply.text, reply.status)

    def _sender_for(self, endpoint: str) -> Sender:
        pacer = self.pacers.for_endpoint(endpoint)
        with self._senders_lock:
            sender = self._senders.get(id(pacer))
            if sender is None:
                sender = Sender(pacer=pacer, **self._sender_options)
                sender.cancel_event = self._sender.cancel_event
                sender.gate = self._sender.gate
                self._senders[id(pacer)] = sender
            return sender

    # -- lifecycle -----------------------------------------------------------------------

    def hold_new_requests(self, gate: Callable[[], None] | None) -> None:
        """Call ``gate()`` right before each call's first request leaves (after its pacing
        wait): it may block (a paused bulk run) or raise Cancelled. Retries are not held."""
        with self._senders_lock:
            for sender in {id(s): s for s in self._senders.values()}.values():
                sender.gate = gate

    def cancel(self) -> None:
        """From any thread: make calls in progress raise Cancelled at their next wait."""
        self._sender.cancel_event.set()

    def reset_cancel(self) -> None:
        """Re-arm the client after `cancel()`."""
        self._sender.cancel_event.clear()

    @property
    def cancelled(self) -> bool:
        """True between `cancel()` and `reset_cancel()`."""
        return self._sender.cancel_event.is_set()

    def close(self) -> None:
        """Close the HTTP client if this client created it: at once, or, with a cancelled
        attempt still on the wire, once it has ended (so its answer is still recorded)."""
        if self._owns_http:
            self._in_flight.when_idle(self._http.close)

    def __enter__(self) -> AttentiveClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _one_identifier(phone: str | None, email: str | None) -> tuple[str, str]:
    """("phone" | "email", normalised value) for a GET that names exactly one of them."""
    given = [(f, v) for f, v in (("phone", phone), ("email", email)) if v and v.strip()]
    if len(given) != 1:
        raise InvalidRequest(
            "Look a user up by a phone number or by an email address: exactly one of them.",
            field="user",
        )
    field, raw = given[0]
    try:
        value = normalize_phone(raw) if field == "phone" else normalize_email(raw)
    except InvalidIdentifier as exc:
        raise InvalidRequest(exc.message, field=exc.field) from None
    return field, value


def _parse_attributes(text: str, status: int) -> list[CustomAttribute]:
    def malformed(why: str) -> UnexpectedResponse:
        return UnexpectedResponse(
            f"Attentive's reply to the lookup could not be read: {why}.", status=status
        )

    try:
        data = json.loads(text)
    except ValueError:
        raise malformed("it is not JSON" if text.strip() else "it was empty") from None
    if not isinstance(data, list):
        raise malformed("expected a list of attributes")
    attributes = []
    for item in data:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise malformed("an entry has no attribute name")
        attributes.append(CustomAttribute(item["name"], _text_value(item.get("value"))))
    return attributes
