from __future__ import annotations

import json

import httpx
import pytest

from attentive_desktop.api import (
    AccessDenied,
    AttentiveClient,
    BadRequest,
    EndpointPacers,
    InvalidRequest,
    NotFound,
    RateLimitPacer,
    SubscriptionEligibility,
)
from attentive_desktop.core.identifiers import UserRef
from attentive_desktop.sandbox import (
    SANDBOX_API_KEY,
    SANDBOX_NO_SUBSCRIPTIONS_KEY,
    SANDBOX_READONLY_KEY,
    SandboxServer,
)

IDENTITY = "/v1/identity-resolution/user-identifiers"


def test_link_then_an_external_identifier_only_write_works(
    sandbox: SandboxServer, client: AttentiveClient
) -> None:
    only_external = UserRef.parse(client_user_id="crm-42")
    with pytest.raises(NotFound):  # not linked yet: the write cannot find the user
        client.set_custom_attributes(only_external, {"Favorite color": "red"})
    client.link_identifiers(UserRef.parse(email="grace@example.com", client_user_id="crm-42"))
    (link,) = [r for r in sandbox.requests if r.path == IDENTITY]
    assert link.status == 202
    assert link.json() == {"email": "grace@example.com", "clientUserId": "crm-42"}
    client.set_custom_attributes(only_external, {"Favorite color": "red"})
    assert sandbox.user_attributes(email="grace@example.com")["Favorite color"] == "red"
    custom = UserRef.parse(phone="+14155550101", custom_identifiers=[("loyaltyId", "L-9")])
    client.link_identifiers(custom)
    assert sandbox.linked_phone(custom=("loyaltyId", "L-9")) == "+14155550101"
    client.set_custom_attributes(
        UserRef.parse(custom_identifiers=[("loyaltyId", "L-9")]), {"age": "53"}
    )
    assert sandbox.user_attributes(phone="+14155550101")["age"] == "53"


def test_fifteen_quick_links_are_paced_without_a_single_429(
    sandbox: SandboxServer, client: AttentiveClient
) -> None:
    for i in range(15):
        client.link_identifiers(UserRef.parse(email="ada@example.com", client_user_id=f"c{i}"))
    statuses = [r.status for r in sandbox.requests if r.path == IDENTITY]
    assert statuses == [202] * 15  # the sandbox allows 10/s here: the pacer slowed down
    assert client.pacers.for_endpoint("/identity-resolution/user-identifiers").limit == 10
    assert client.pacers.for_endpoint("/attributes/custom") is client.pacer


def test_the_sandbox_enforces_ten_per_second_on_identity(sandbox: SandboxServer) -> None:
    body = {"email": "ada@example.com", "clientUserId": "burst"}
    headers = {"Authorization": f"Bearer {SANDBOX_API_KEY}"}
    with httpx.Client(base_url=sandbox.base_url, headers=headers) as http:
        answers = [http.post("/identity-resolution/user-identifiers", json=body) for _ in range(20)]
    statuses = [a.status_code for a in answers]
    assert statuses.count(429) >= 1  # unpaced, a burst of 20 in under a second is refused
    assert answers[0].headers["x-ratelimit-limit"] == "10"


def test_link_refuses_what_cannot_be_linked_before_sending(
    sandbox: SandboxServer, client: AttentiveClient
) -> None:
    with pytest.raises(InvalidRequest, match="clientUserId or a custom identifier"):
        client.link_identifiers(UserRef.parse(phone="+14155550100"))
    with pytest.raises(InvalidRequest, match="phone or email"):
        client.link_identifiers(UserRef.parse(client_user_id="alone"))
    assert [r for r in sandbox.requests if r.path == IDENTITY] == []


def test_link_errors_from_the_service(sandbox: SandboxServer, client: AttentiveClient) -> None:
    # cust-1002 is Grace's: linking it to Ada would merge two profiles.
    with pytest.raises(BadRequest, match="different subscribers"):
        client.link_identifiers(UserRef.parse(phone="+14155550100", client_user_id="cust-1002"))
    with (
        AttentiveClient(sandbox.base_url, SANDBOX_READONLY_KEY) as readonly,
        pytest.raises(AccessDenied, match="identity:write"),
    ):
        readonly.link_identifiers(UserRef.parse(email="ada@example.com", client_user_id="z"))


def test_subscriptions_of_a_seeded_user(sandbox: SandboxServer, client: AttentiveClient) -> None:
    grace = client.get_subscriptions(phone="(415) 555-0101")
    assert grace == [
        SubscriptionEligibility("MARKETING", "TEXT", False),
        SubscriptionEligibility("TRANSACTIONAL", "TEXT", True),
        SubscriptionEligibility("MARKETING", "EMAIL", True),
    ]
    assert grace[0].label == "Marketing text messages: not eligible"
    assert sandbox.requests[-1].raw_query == "phone=%2B14155550101"
    margaret = client.get_subscriptions(email="margaret@example.com")
    assert margaret == [SubscriptionEligibility("MARKETING", "EMAIL", True)]
    with pytest.raises(NotFound):
        client.get_subscriptions(email="nobody@example.com")
    with pytest.raises(InvalidRequest):
        client.get_subscriptions(phone="+14155550100", email="ada@example.com")


def test_a_key_without_the_scope_gets_403_with_a_polite_message(sandbox: SandboxServer) -> None:
    with AttentiveClient(sandbox.base_url, SANDBOX_NO_SUBSCRIPTIONS_KEY) as limited:
        with pytest.raises(AccessDenied) as info:
            limited.get_subscriptions(email="ada@example.com")
        assert info.value.status == 403
        assert str(info.value).startswith("This API key lacks the subscriptions:read scope")
        assert SANDBOX_NO_SUBSCRIPTIONS_KEY not in str(info.value)
        # Everything else still works with that key.
        assert limited.get_custom_attributes(email="ada@example.com")
        limited.link_identifiers(UserRef.parse(email="ada@example.com", client_user_id="ok"))


def test_subscriptions_reply_is_read_leniently() -> None:
    reply = {
        "subscriptionEligibilities": [
            {"subscription": {"type": "CHECKOUT_ABANDONED", "channel": "TEXT"}, "eligibility": {}},
            {"subscription": {"channel": "EMAIL"}},  # no type: skipped
            "junk",
        ]
    }

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=json.dumps(reply).encode())

    http = httpx.Client(transport=httpx.MockTransport(handler))
    default = RateLimitPacer()
    pacers = EndpointPacers(default, lambda limit: RateLimitPacer(limit))
    with (
        http,
        AttentiveClient("https://api.example.test/v1", "k" * 12, http=http, pacers=pacers) as api,
    ):
        (only,) = api.get_subscriptions(email="ada@example.com")
    assert only == SubscriptionEligibility("CHECKOUT_ABANDONED", "TEXT", None)
    assert only.label == "Checkout abandoned text messages: eligibility unknown"
