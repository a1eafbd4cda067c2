"""The three calls over httpx.MockTransport: what goes on the wire and how replies are read."""

from __future__ import annotations

import json

import httpx
import pytest

from attentive_desktop.api import (
    AttentiveClient,
    CustomAttribute,
    InvalidRequest,
    MeInfo,
    UnexpectedResponse,
    user_agent,
)
from attentive_desktop.core.identifiers import UserRef

from .support import API_KEY, BASE_URL, Recorder, ok_json


def test_me_reads_the_account_and_sends_key_and_user_agent(make_client):
    handler = Recorder(
        ok_json({"applicationName": "App", "companyName": "Co", "companyId": 42, "extra": 1})
    )
    info = make_client(handler).me()
    assert info == MeInfo(application_name="App", company_name="Co", company_id="42")
    request = handler.requests[0]
    assert str(request.url) == BASE_URL + "/me"
    assert request.headers["authorization"] == f"Bearer {API_KEY}"
    assert request.headers["user-agent"] == user_agent()
    assert request.headers["accept"] == "application/json"


@pytest.mark.parametrize("body", [b"", b"[1, 2]", b"<html>hi</html>"])
def test_me_with_an_unreadable_reply_is_unexpected(make_client, body):
    with pytest.raises(UnexpectedResponse, match="could not be read"):
        make_client(Recorder(httpx.Response(200, content=body))).me()


def test_phone_lookup_sends_plus_as_percent_2b(make_client):
    handler = Recorder(ok_json([{"name": "age", "value": "36"}]))
    result = make_client(handler).get_custom_attributes(phone="+14155550100")
    assert result == [CustomAttribute("age", "36")]
    request = handler.requests[0]
    assert request.method == "GET"
    assert request.url.raw_path == b"/v1/attributes/custom?phone=%2B14155550100"


def test_lookup_normalises_phone_and_email(make_client):
    handler = Recorder(ok_json([]))
    client = make_client(handler)
    client.get_custom_attributes(phone="(415) 555-0100")
    client.get_custom_attributes(email=" Ada+x@Example.COM ")
    assert handler.requests[0].url.query == b"phone=%2B14155550100"
    assert handler.requests[1].url.query == b"email=Ada%2Bx%40example.com"


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"phone": "", "email": "  "},
        {"phone": "+14155550100", "email": "ada@example.com"},
        {"phone": "not a phone"},
        {"email": "not-an-email"},
    ],
)
def test_lookup_needs_exactly_one_valid_identifier_and_sends_nothing(make_client, kwargs):
    handler = Recorder(ok_json([]))
    with pytest.raises(InvalidRequest) as caught:
        make_client(handler).get_custom_attributes(**kwargs)
    assert isinstance(caught.value, ValueError)
    assert caught.value.message.endswith(".")
    assert handler.requests == []


def test_lookup_tolerates_values_that_are_not_strings(make_client):
    body = [
        {"name": "n", "value": 7},
        {"name": "f", "value": 1.5},
        {"name": "b", "value": True},
        {"name": "missing"},
        {"name": "obj", "value": {"a": 1}},
        {"name": "s", "value": "text"},
    ]
    result = make_client(Recorder(ok_json(body))).get_custom_attributes(email="a@b.co")
    assert result == [
        ("n", "7"),
        ("f", "1.5"),
        ("b", "true"),
        ("missing", ""),
        ("obj", '{"a": 1}'),
        ("s", "text"),
    ]


@pytest.mark.parametrize(
    ("body", "why"),
    [
        (b"", "empty"),
        (b"<html>oops</html>", "not JSON"),
        (b'{"name": "a", "value": "b"}', "list of attributes"),
        (b'[{"value": "b"}]', "no attribute name"),
        (b'["a"]', "no attribute name"),
    ],
)
def test_malformed_lookup_reply_is_an_api_error(make_client, body, why):
    with pytest.raises(UnexpectedResponse, match=why) as caught:
        make_client(Recorder(httpx.Response(200, content=body))).get_custom_attributes(
            phone="+14155550100"
        )
    assert caught.value.status == 200


@pytest.mark.parametrize(
    "reply",
    [
        httpx.Response(200),
        httpx.Response(200, content=b"OK"),
        httpx.Response(200, content=b"<html>done</html>"),
        httpx.Response(204),
        ok_json({"whatever": True}),
    ],
)
def test_set_succeeds_on_any_2xx_body(make_client, reply):
    handler = Recorder(reply)
    user = UserRef.parse(phone="+14155550100", client_user_id="c-1")
    assert make_client(handler).set_custom_attributes(user, {"age": 24, "VIP": True}) is None
    request = handler.requests[0]
    assert request.method == "POST"
    assert str(request.url) == BASE_URL + "/attributes/custom"
    assert request.headers["content-type"] == "application/json"
    assert json.loads(request.content) == {
        "properties": {"age": "24", "VIP": "true"},
        "user": {"phone": "+14155550100", "externalIdentifiers": {"clientUserId": "c-1"}},
    }


def test_set_accepts_a_wire_form_mapping_for_the_user(make_client):
    handler = Recorder(httpx.Response(200))
    user = {
        "email": "Ada@Example.com",
        "externalIdentifiers": {"customIdentifiers": [{"name": "shopId", "value": "9"}]},
    }
    make_client(handler).set_custom_attributes(user, {"color": "blue"})
    assert json.loads(handler.requests[0].content)["user"] == {
        "email": "Ada@example.com",
        "externalIdentifiers": {"customIdentifiers": [{"name": "shopId", "value": "9"}]},
    }


@pytest.mark.parametrize(
    ("user", "properties", "field"),
    [
        ({"phone": "+14155550100"}, {"cities": ["chicago", "new york"]}, None),
        ({"phone": "+14155550100"}, {"cities": '["chicago", "new york"]'}, None),
        ({"phone": "+14155550100"}, {"x": {"a": 1}}, None),
        ({"phone": "+14155550100"}, {"x": None}, None),
        ({"phone": "+14155550100"}, {"": "v"}, None),
        ({"phone": "+14155550100"}, {"n" * 201: "v"}, None),
        ({"phone": "+14155550100"}, {}, None),
        ({}, {"a": "b"}, "user"),
        ({"phone": "12"}, {"a": "b"}, "phone"),
        ({"phone": "+14155550100", "name": "Ada"}, {"a": "b"}, "user"),
    ],
)
def test_invalid_sets_are_refused_before_sending(make_client, user, properties, field):
    handler = Recorder(httpx.Response(200))
    with pytest.raises(InvalidRequest) as caught:
        make_client(handler).set_custom_attributes(user, properties)
    assert handler.requests == []
    assert caught.value.message
    assert caught.value.field == field
    if field is None and properties:
        assert caught.value.findings


def test_set_with_a_schema_refuses_values_outside_the_catalog(make_client):
    class Schema:
        def type_of(self, name):
            return None

        def names(self):
            return ["Shirt size"]

        def allowed_values(self, name):
            return ("S", "M") if name == "Shirt size" else None

    handler = Recorder(httpx.Response(200))
    client = make_client(handler)
    with pytest.raises(InvalidRequest, match="Shirt size"):
        client.set_custom_attributes(
            {"phone": "+14155550100"}, {"Shirt size": "XXL"}, schema=Schema()
        )
    client.set_custom_attributes({"phone": "+14155550100"}, {"Shirt size": "M"}, schema=Schema())
    assert len(handler.requests) == 1


def test_client_refuses_blank_or_unsendable_keys():
    with pytest.raises(ValueError, match="Enter an API key"):
        AttentiveClient(BASE_URL, "  ")
    with pytest.raises(ValueError, match="characters") as caught:
        AttentiveClient(BASE_URL, "abc\ndef")
    assert "abc" not in str(caught.value)


def test_owned_http_client_is_closed_but_a_given_one_is_not():
    with AttentiveClient(BASE_URL, API_KEY) as owned:
        inner = owned._http
    assert inner.is_closed
    given = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(200)))
    AttentiveClient(BASE_URL, API_KEY, http=given).close()
    assert not given.is_closed
    given.close()
