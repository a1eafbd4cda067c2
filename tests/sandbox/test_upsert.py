"""POST /attributes/custom: shape rules, identifiers, upsert, empty 200 body."""

from __future__ import annotations

import httpx
import pytest

from attentive_desktop.sandbox import SandboxServer

from .conftest import ADA_EMAIL, ADA_PHONE, post


def test_success_is_200_with_empty_body(client: httpx.Client, sandbox: SandboxServer) -> None:
    response = post(client, {"phone": ADA_PHONE}, {"Favorite color": "red", "age": "37"})
    assert response.status_code == 200
    assert response.content == b""
    attributes = sandbox.user_attributes(phone=ADA_PHONE)
    assert attributes["Favorite color"] == "red"
    assert attributes["age"] == "37"
    assert attributes["VIP"] == "true"  # untouched attributes stay
    assert sandbox.requests[-1].json() == {
        "user": {"phone": ADA_PHONE},
        "properties": {"Favorite color": "red", "age": "37"},
    }


def test_upsert_creates_unknown_phone_user(client: httpx.Client, sandbox: SandboxServer) -> None:
    phone = "+14155557777"
    assert client.get("/attributes/custom", params={"phone": phone}).status_code == 404
    assert post(client, {"phone": phone}, {"Favorite color": "teal"}).status_code == 200
    lookup = client.get("/attributes/custom", params={"phone": phone})
    assert lookup.json() == [{"name": "Favorite color", "value": "teal"}]


def test_upsert_with_phone_and_email_links_both(
    client: httpx.Client, sandbox: SandboxServer
) -> None:
    user = {"phone": "+14155557778", "email": "new@example.com"}
    assert post(client, user, {"VIP": "false"}).status_code == 200
    assert sandbox.user_attributes(email="new@example.com") == {"VIP": "false"}


def test_email_added_to_phone_only_user(client: httpx.Client, sandbox: SandboxServer) -> None:
    user = {"phone": "+13125550199", "email": "late@example.com"}
    assert post(client, user, {"VIP": "true"}).status_code == 200
    assert sandbox.user_attributes(email="late@example.com") == {"VIP": "true"}


def test_identifiers_of_two_different_users_are_400(
    client: httpx.Client, sandbox: SandboxServer
) -> None:
    response = post(client, {"phone": ADA_PHONE, "email": "grace@example.com"}, {"VIP": "false"})
    assert response.status_code == 400
    assert sandbox.user_attributes(phone=ADA_PHONE)["VIP"] == "true"


def test_linked_client_user_id_updates_its_user(
    client: httpx.Client, sandbox: SandboxServer
) -> None:
    user = {"externalIdentifiers": {"clientUserId": "cust-1001"}}
    assert post(client, user, {"Favorite color": "violet"}).status_code == 200
    assert sandbox.user_attributes(email=ADA_EMAIL)["Favorite color"] == "violet"


def test_linked_custom_identifier_updates_its_user(
    client: httpx.Client, sandbox: SandboxServer
) -> None:
    custom = [{"name": "shopifyId", "value": "7003021001"}]
    user = {"externalIdentifiers": {"customIdentifiers": custom}}
    assert post(client, user, {"age": "40"}).status_code == 200
    assert sandbox.user_attributes(phone=ADA_PHONE)["age"] == "40"


@pytest.mark.parametrize(
    "external",
    [{"clientUserId": "cust-9999"}, {"customIdentifiers": [{"name": "shopifyId", "value": "1"}]}],
)
def test_unlinked_external_identifier_is_404(client: httpx.Client, external: dict) -> None:
    response = post(client, {"externalIdentifiers": external}, {"VIP": "true"})
    assert response.status_code == 404
    assert "link" in response.json()["message"]


@pytest.mark.parametrize(
    "user",
    [
        {},
        {"name": "Ada"},
        {"phone": ADA_PHONE, "firstName": "Ada"},
        {"phone": "4155550100"},
        {"phone": 14155550100},
        {"email": "not-an-email"},
        {"externalIdentifiers": {}},
        {"externalIdentifiers": {"clientUserId": ""}},
        {"externalIdentifiers": {"shopId": "1"}},
        {"externalIdentifiers": {"customIdentifiers": [{"name": "shopifyId"}]}},
        {"externalIdentifiers": {"customIdentifiers": {"name": "a", "value": "b"}}},
        [ADA_PHONE],
        ADA_PHONE,
    ],
)
def test_bad_user_objects_are_400(client: httpx.Client, user: object) -> None:
    response = post(client, user, {"VIP": "true"})
    assert response.status_code == 400
    assert response.json()["message"]


@pytest.mark.parametrize(
    "body",
    [
        {"user": {"phone": ADA_PHONE}},
        {"properties": {"VIP": "true"}},
        {"user": {"phone": ADA_PHONE}, "properties": {"VIP": "true"}, "extra": 1},
        {"user": {"phone": ADA_PHONE}, "properties": {}},
        {"user": {"phone": ADA_PHONE}, "properties": [["VIP", "true"]]},
        [],
    ],
)
def test_bad_bodies_are_400(client: httpx.Client, body: object) -> None:
    response = client.post("/attributes/custom", json=body)
    assert response.status_code == 400


def test_non_json_body_is_400(client: httpx.Client) -> None:
    response = client.post("/attributes/custom", content=b"properties=1")
    assert response.status_code == 400
    nan = client.post(
        "/attributes/custom",
        content=b'{"user": {"phone": "+14155550100"}, "properties": {"age": NaN}}',
    )
    assert nan.status_code == 400


@pytest.mark.parametrize(
    ("value", "word"),
    [(["chicago", "new york"], "array"), ({"city": "chicago"}, "object"), (None, "null")],
)
def test_arrays_objects_and_nulls_are_400_and_nothing_changes(
    client: httpx.Client, sandbox: SandboxServer, value: object, word: str
) -> None:
    before = sandbox.user_attributes(phone=ADA_PHONE)
    response = post(client, {"phone": ADA_PHONE}, {"Favorite color": "red", "Cities": value})
    assert response.status_code == 400
    message = response.json()["message"]
    assert "Cities" in message and word in message
    assert sandbox.user_attributes(phone=ADA_PHONE) == before
    assert "Cities" not in sandbox.attribute_types()


def test_name_length_limit(client: httpx.Client, sandbox: SandboxServer) -> None:
    assert post(client, {"phone": ADA_PHONE}, {"n" * 200: "ok"}).status_code == 200
    assert post(client, {"phone": ADA_PHONE}, {"n" * 201: "too long"}).status_code == 400
    assert "n" * 201 not in sandbox.user_attributes(phone=ADA_PHONE)


@pytest.mark.parametrize("name", ["", "   "])
def test_empty_names_are_400(client: httpx.Client, name: str) -> None:
    assert post(client, {"phone": ADA_PHONE}, {name: "x"}).status_code == 400


def test_names_are_case_sensitive(client: httpx.Client, sandbox: SandboxServer) -> None:
    assert post(client, {"phone": ADA_PHONE}, {"Favorite Color": "red"}).status_code == 200
    attributes = sandbox.user_attributes(phone=ADA_PHONE)
    assert attributes["Favorite color"] == "blue"
    assert attributes["Favorite Color"] == "red"


def test_json_numbers_and_booleans_are_stored_as_their_json_text(
    client: httpx.Client, sandbox: SandboxServer
) -> None:
    properties = {"Visits": 12, "Score": 4.5, "Opted in": True, "age": 41}
    assert post(client, {"phone": ADA_PHONE}, properties).status_code == 200
    attributes = sandbox.user_attributes(phone=ADA_PHONE)
    assert (attributes["Visits"], attributes["Score"]) == ("12", "4.5")
    assert (attributes["Opted in"], attributes["age"]) == ("true", "41")
    assert sandbox.attribute_types()["Opted in"] == "Boolean"
