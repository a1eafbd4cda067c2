"""GET /attributes/custom: exactly one identifier, E.164 with "%2B", 404 for strangers."""

from __future__ import annotations

import httpx
import pytest

from attentive_desktop.sandbox import SandboxServer

from .conftest import ADA_EMAIL, ADA_PHONE


def test_lookup_by_phone_returns_string_pairs(client: httpx.Client, sandbox: SandboxServer) -> None:
    response = client.get("/attributes/custom", params={"phone": ADA_PHONE})
    assert response.status_code == 200
    pairs = response.json()
    assert isinstance(pairs, list)
    assert all(set(p) == {"name", "value"} and isinstance(p["value"], str) for p in pairs)
    as_dict = {p["name"]: p["value"] for p in pairs}
    assert as_dict["Favorite color"] == "blue"
    assert as_dict["Gift card balance"] == "50.89"
    assert sandbox.requests[-1].raw_query == "phone=%2B14155550100"


def test_lookup_by_email_is_case_insensitive(client: httpx.Client) -> None:
    by_phone = client.get("/attributes/custom", params={"phone": ADA_PHONE}).json()
    by_email = client.get("/attributes/custom", params={"email": "Ada@Example.com"})
    assert by_email.status_code == 200
    assert by_email.json() == by_phone


def test_literal_plus_decodes_to_space_and_is_refused(client: httpx.Client) -> None:
    response = client.get("/attributes/custom?phone=+14155550100")
    assert response.status_code == 400
    assert "%2B" in response.json()["message"]


def test_percent_encoded_plus_in_raw_query_works(
    client: httpx.Client, sandbox: SandboxServer
) -> None:
    assert client.get("/attributes/custom?phone=%2B14155550100").status_code == 200
    assert sandbox.requests[-1].raw_query == "phone=%2B14155550100"


@pytest.mark.parametrize(
    "query",
    [
        "",
        f"phone=%2B14155550100&email={ADA_EMAIL}",
        "phone=%2B14155550100&phone=%2B14155550101",
        "phone=4155550100",
        "phone=%2B1%20415%20555%200100",
        "phone=",
        "email=not-an-email",
        "other=1",
    ],
)
def test_bad_lookup_queries_are_400(client: httpx.Client, query: str) -> None:
    response = client.get(f"/attributes/custom?{query}")
    assert response.status_code == 400
    assert response.json()["message"]


@pytest.mark.parametrize("params", [{"phone": "+14155559999"}, {"email": "nobody@example.com"}])
def test_unknown_user_is_404(client: httpx.Client, params: dict[str, str]) -> None:
    response = client.get("/attributes/custom", params=params)
    assert response.status_code == 404
    assert response.json()["message"]


def test_known_user_without_attributes_is_empty_list(client: httpx.Client) -> None:
    response = client.get("/attributes/custom", params={"phone": "+13125550199"})
    assert response.status_code == 200
    assert response.json() == []


def test_international_seed_user(client: httpx.Client) -> None:
    response = client.get("/attributes/custom", params={"phone": "+442071838750"})
    assert response.status_code == 200
    by_email = client.get("/attributes/custom", params={"email": "alan@example.co.uk"})
    assert by_email.json() == response.json()
