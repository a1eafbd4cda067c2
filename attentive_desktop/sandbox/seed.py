"""Seeded keys, company and subscribers: realistic enough for screenshots and demos."""

from __future__ import annotations

from dataclasses import dataclass, field

# Obviously fake keys; the sandbox prints them, nothing else should.
SANDBOX_API_KEY = "sbx_full_4f1c2e9a7b3d48e6"
SANDBOX_READONLY_KEY = "sbx_read_9d2b7e4c1a6f03b5"
#: Everything but subscriptions:read, so the UI can be seen hiding the subscriptions panel.
SANDBOX_NO_SUBSCRIPTIONS_KEY = "sbx_nosub_3e8a5c1f7d2b9046"

#: key -> scopes. attributes:write is what POST /attributes/custom needs, identity:write the
#: Identity API (POST /identity-resolution/user-identifiers), subscriptions:read GET /subscriptions.
KEY_SCOPES: dict[str, frozenset[str]] = {
    SANDBOX_API_KEY: frozenset(
        {"attributes:read", "attributes:write", "identity:write", "subscriptions:read"}
    ),
    SANDBOX_READONLY_KEY: frozenset({"attributes:read"}),
    SANDBOX_NO_SUBSCRIPTIONS_KEY: frozenset(
        {"attributes:read", "attributes:write", "identity:write"}
    ),
}

COMPANY = {
    "attentiveDomainName": "northwind-outfitters",
    "companyName": "Northwind Outfitters (Sandbox)",
    "contactEmail": "crm-team@northwind-outfitters.example",
    "companyId": "MDc6Q29tcGFueTQ4MjE1",
}
APPLICATION_NAMES = {
    SANDBOX_API_KEY: "Attentive Desktop sandbox",
    SANDBOX_READONLY_KEY: "Attentive Desktop sandbox (read-only)",
    SANDBOX_NO_SUBSCRIPTIONS_KEY: "Attentive Desktop sandbox (no subscriptions scope)",
}

#: Subscription types and channels (GET /subscriptions).
MARKETING, TRANSACTIONAL = "MARKETING", "TRANSACTIONAL"
TEXT_CHANNEL, EMAIL_CHANNEL = "TEXT", "EMAIL"


@dataclass
class SeedUser:
    """One seeded subscriber: identifiers, links made through the Identity API, attributes.

    ``subscriptions``: (type, channel) -> eligible; None means the default: marketing and
    transactional TEXT for a phone, marketing EMAIL for an email, all eligible.
    """

    label: str
    phone: str | None = None
    email: str | None = None
    client_user_id: str | None = None
    custom_identifiers: dict[str, str] = field(default_factory=dict)
    attributes: dict[str, str] = field(default_factory=dict)
    subscriptions: dict[tuple[str, str], bool] | None = None

    def subscription_map(self) -> dict[tuple[str, str], bool]:
        """The subscriptions this subscriber starts with."""
        if self.subscriptions is not None:
            return dict(self.subscriptions)
        found: dict[tuple[str, str], bool] = {}
        if self.phone:
            found[(MARKETING, TEXT_CHANNEL)] = True
            found[(TRANSACTIONAL, TEXT_CHANNEL)] = True
        if self.email:
            found[(MARKETING, EMAIL_CHANNEL)] = True
        return found


#: Properties created in Attentive's UI: name -> allowed values, or None for "Custom input".
UI_PROPERTIES: dict[str, tuple[str, ...] | None] = {
    "Shirt size": ("S", "M", "L", "XL"),
    "Loyalty tier": ("Bronze", "Silver", "Gold", "Platinum"),
    "Preferred store": None,
}

SEED_USERS: tuple[SeedUser, ...] = (
    SeedUser(
        label="Ada Lovelace",
        phone="+14155550100",
        email="ada@example.com",
        client_user_id="cust-1001",
        custom_identifiers={"shopifyId": "7003021001"},
        attributes={
            "Favorite color": "blue",
            "VIP": "true",
            "age": "36",
            "birthday": "1986-11-16",
            "Gift card balance": "50.89",
            "sign up": "2021-04-23T16:04:33Z",
            "Shirt size": "M",
            "Loyalty tier": "Gold",
            "Preferred store": "Union Square, San Francisco",
        },
    ),
    SeedUser(
        label="Grace Hopper",
        phone="+14155550101",
        email="grace@example.com",
        client_user_id="cust-1002",
        attributes={
            "Favorite color": "navy",
            "VIP": "FALSE",
            "age": "52",
            "birthday": "1972-12-09",
            "Gift card balance": "0",
            "sign up": "2022-01-10T09:12:00Z",
            "Shirt size": "S",
            "Loyalty tier": "Silver",
        },
        # Opted out of marketing texts (replied STOP), still gets order updates and email.
        subscriptions={
            (MARKETING, TEXT_CHANNEL): False,
            (TRANSACTIONAL, TEXT_CHANNEL): True,
            (MARKETING, EMAIL_CHANNEL): True,
        },
    ),
    SeedUser(
        label="Alan Turing",
        phone="+442071838750",
        email="alan@example.co.uk",
        attributes={
            "Favorite color": "green",
            "VIP": "True",
            "birthday": "1982-06-23",
            "sign up": "2020-06-23T08:00:00+01:00",
            "Loyalty tier": "Platinum",
            "Preferred store": "Covent Garden, London",
            "Marathon PB (minutes)": "166",
        },
    ),
    SeedUser(
        label="Katherine Johnson",
        phone="+17575550142",
        email="katherine@example.com",
        client_user_id="cust-1004",
        attributes={"Loyalty tier": "Bronze", "sign up": "2023-02-14T17:30:00Z"},
    ),
    SeedUser(
        label="Margaret Hamilton (email only)",
        email="margaret@example.com",
        attributes={"Favorite color": "orange", "Newsletter": "Weekly digest"},
    ),
    SeedUser(label="New subscriber (phone only, no attributes)", phone="+13125550199"),
)
