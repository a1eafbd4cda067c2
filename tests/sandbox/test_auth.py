"""Keys: full access, read-only (403 on writes), missing or unknown (401); /me."""

from __future__ import annotations

import httpx
import pytest

from attentive_desktop.sandbox import SANDBOX_API_KEY, SANDBOX_READONLY_KEY, SandboxServer

from .conftest import ADA_PHONE, make_client, post


def test_me_returns_company_for_full_key(client: httpx.Client) -> None:
    response = client.get("/me")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {
        "applicationName",
        "attentiveDomainName",
        "companyName",
        "contactEmail",
        "companyId",
    }
    assert all(isinstance(value, str) and value for value in body.values())


def test_me_works_with_readonly_key(readonly_client: httpx.Client) -> None:
    response = readonly_client.get("/me")
    assert response.status_code == 200
    assert "read-only" in response.json()["applicationName"]


def test_missing_key_is_401_with_json_message(anonymous_client: httpx.Client) -> None:
    response = anonymous_client.get("/me")
    assert response.status_code == 401
    assert response.json()["message"]


@pytest.mark.parametrize(
    "authorization",
    ["Bearer not-a-real-key", f"Basic {SANDBOX_API_KEY}", SANDBOX_API_KEY, "Bearer"],
)
def test_wrong_or_malformed_key_is_401(sandbox: SandboxServer, authorization: str) -> None:
    with make_client(sandbox.base_url, key=None, headers={"Authorization": authorization}) as http:
        assert http.get("/attributes/custom", params={"phone": ADA_PHONE}).status_code == 401
        assert post(http, {"phone": ADA_PHONE}, {"VIP": "false"}).status_code == 401
    assert sandbox.user_attributes(phone=ADA_PHONE)["VIP"] == "true"


def test_bearer_scheme_is_case_insensitive(sandbox: SandboxServer) -> None:
    headers = {"Authorization": f"bearer {SANDBOX_API_KEY}"}
    with make_client(sandbox.base_url, key=None, headers=headers) as http:
        assert http.get("/me").status_code == 200


def test_readonly_key_can_read_but_not_write(
    readonly_client: httpx.Client, sandbox: SandboxServer
) -> None:
    lookup = readonly_client.get("/attributes/custom", params={"phone": ADA_PHONE})
    assert lookup.status_code == 200
    response = post(readonly_client, {"phone": ADA_PHONE}, {"VIP": "false"})
    assert response.status_code == 403
    assert "attributes:write" in response.json()["message"]
    assert sandbox.user_attributes(phone=ADA_PHONE)["VIP"] == "true"


def test_key_is_never_recorded(client: httpx.Client, sandbox: SandboxServer) -> None:
    client.get("/me")
    post(client, {"phone": ADA_PHONE}, {"VIP": "false"})
    for request in sandbox.requests:
        assert "authorization" not in request.headers
        assert SANDBOX_API_KEY not in repr(request)
    assert SANDBOX_READONLY_KEY != SANDBOX_API_KEY


def test_unknown_path_is_404_and_wrong_method_405(client: httpx.Client) -> None:
    assert client.get("/attributes/standard").status_code == 404
    assert client.post("/me", json={}).status_code == 405
    assert client.delete("/attributes/custom").status_code == 405
