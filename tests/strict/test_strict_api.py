"""The strict stand-in is as strict as it claims (else a green journey would prove little).
Plain httpx against it, no app code."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest

from tests.strict.strict_api import ME, StrictApi


@pytest.fixture
def api() -> Iterator[StrictApi]:
    with StrictApi() as server:
        yield server


@pytest.fixture
def http(api: StrictApi) -> Iterator[httpx.Client]:
    headers = {"Authorization": f"Bearer {api.write_key}"}
    with httpx.Client(base_url=api.base_url, headers=headers, trust_env=False) as client:
        yield client


def get(http: httpx.Client, raw_query: str) -> httpx.Response:
    """A lookup with the query string exactly as given (no client-side encoding)."""
    return http.get(f"{str(http.base_url).rstrip('/')}/attributes/custom?{raw_query}")


def post(http: httpx.Client, body: object, **headers: str) -> httpx.Response:
    return http.post(
        "/attributes/custom",
        content=json.dumps(body),
        headers={"Content-Type": "application/json", **headers},
    )


def assert_error(reply: httpx.Response, status: int) -> None:
    assert reply.status_code == status, reply.text
    assert reply.headers["content-type"] == "application/json"
    assert reply.json()["message"]
    assert reply.headers["x-ratelimit-limit"] == "150"
    assert int(reply.headers["x-ratelimit-remaining"]) >= 0


@pytest.mark.parametrize(
    "authorization",
    [None, "", "Bearer", "bearer strict-write-key-7f3a9c", "Bearer  strict-write-key-7f3a9c",
     "Bearer wrong", "strict-write-key-7f3a9c"],
)  # fmt: skip
def test_anything_but_the_exact_bearer_header_is_401(api, authorization):
    headers = {} if authorization is None else {"Authorization": authorization}
    with httpx.Client(base_url=api.base_url, trust_env=False) as client:
        assert_error(client.get("/me", headers=headers), 401)


def test_me_has_the_documented_fields_and_one_more(http):
    reply = http.get("/me")
    assert reply.status_code == 200
    body = reply.json()
    for field in ("applicationName", "attentiveDomainName", "companyName", "contactEmail"):
        assert body[field] == ME[field]
    assert "companyId" in body and len(body) == 6
    assert reply.headers["x-ratelimit-limit"] == "150"


def test_lookup_by_phone_needs_the_plus_percent_encoded(http):
    reply = get(http, "phone=%2B14155550100")
    assert reply.status_code == 200
    assert {"name": "Favorite color", "value": "blue"} in reply.json()
    assert all(isinstance(a["value"], str) for a in reply.json())
    assert_error(get(http, "phone=+14155550100"), 400)  # "+" decodes to a space
    assert_error(get(http, "phone=14155550100"), 400)
    assert_error(get(http, "phone=(415)%20555-0100"), 400)


@pytest.mark.parametrize(
    "query",
    ["", "phone=%2B14155550100&email=lin%40example.org", "email=lin%40example.org&limit=5",
     "phone=%2B14155550100&phone=%2B14155550100", "email=not-an-email"],
)  # fmt: skip
def test_lookup_takes_exactly_one_identifier_and_nothing_else(http, query):
    assert_error(get(http, query), 400)


def test_lookup_by_email_and_an_unknown_user(http):
    assert get(http, "email=Lin%40Example.org").status_code == 200
    assert_error(get(http, "phone=%2B14155550199"), 404)


GOOD = {"properties": {"Newsletter": "weekly"}, "user": {"phone": "+14155550100"}}


def test_a_write_answers_200_with_an_empty_body_and_is_read_back(api, http):
    reply = post(http, GOOD)
    assert reply.status_code == 200
    assert reply.content == b""
    assert "content-type" not in reply.headers
    assert reply.headers["x-ratelimit-limit"] == "150"
    assert api.attributes_of(phone="+14155550100")["Newsletter"] == "weekly"
    assert {"name": "Newsletter", "value": "weekly"} in get(http, "phone=%2B14155550100").json()
    assert post(http, {**GOOD, "properties": {"score": 12}}).status_code == 200
    assert api.attributes_of(phone="+14155550100")["score"] == "12"


@pytest.mark.parametrize(
    "body",
    [
        {"properties": {"a": "1"}},
        {"user": {"phone": "+14155550100"}},
        {**GOOD, "extra": 1},
        {**GOOD, "user": {}},
        {**GOOD, "user": {"phone": "+14155550100", "name": "Lin"}},
        {**GOOD, "user": {"phone": "4155550100"}},
        {**GOOD, "user": {"externalIdentifiers": {"clientUserId": "1", "other": "x"}}},
        {**GOOD, "user": {"externalIdentifiers": {"customIdentifiers": [{"name": "a"}]}}},
        {**GOOD, "properties": {"Sizes": ["S", "M"]}},
        {**GOOD, "properties": {"Address": {"city": "Oslo"}}},
        {**GOOD, "properties": {"x" * 201: "1"}},
        {**GOOD, "properties": {"age": "thirty-six"}},  # age is a Number
        {**GOOD, "user": {"phone": "+14155550100", "email": "lin@example.org"}},
    ],
)
def test_invalid_writes_are_400_and_change_nothing(api, http, body):
    before = api.attributes_of(phone="+14155550100")
    assert_error(post(http, body), 400)
    assert api.attributes_of(phone="+14155550100") == before


def test_a_write_needs_json_and_the_write_scope(api, http):
    reply = http.post("/attributes/custom", content=json.dumps(GOOD))  # no Content-Type
    assert_error(reply, 400)
    assert_error(post(http, GOOD, Authorization=f"Bearer {api.read_key}"), 403)
    assert http.get("/me", headers={"Authorization": f"Bearer {api.read_key}"}).status_code == 200


def test_type_locking_follows_the_documented_example(api, http):
    first = {"age2": "24", "birthday": "1986-11-16", "sign up": "2021-04-23T16:04:33Z",
             "Gift card": "50.89", "VIP2": "TRUE", "note": "hi"}  # fmt: skip
    assert post(http, {**GOOD, "properties": first}).status_code == 200
    assert api.types["age2"] == "Number" and api.types["Gift card"] == "Number"
    assert api.types["birthday"] == "Date" and api.types["sign up"] == "Date"
    assert api.types["VIP2"] == "Boolean" and api.types["note"] == "Text"
    assert post(http, {**GOOD, "properties": {"VIP2": "false"}}).status_code == 200
    assert_error(post(http, {**GOOD, "properties": {"birthday": "soon"}}), 400)


def test_unknown_paths_are_404_with_the_rate_limit_headers(http):
    for path in ("/subscriptions?phone=%2B14155550100", "/attributes", "/me/"):
        assert_error(http.get(path), 404)
    assert_error(http.delete("/attributes/custom"), 404)


def test_every_request_is_recorded(api, http):
    get(http, "phone=%2B14155550100")
    post(http, GOOD)
    lookup, write = api.received()
    assert (lookup.method, lookup.path, lookup.raw_query, lookup.status) == (
        "GET",
        "/v1/attributes/custom",
        "phone=%2B14155550100",
        200,
    )
    assert write.json() == GOOD and write.header("content-type") == "application/json"


# scripted trouble (for test_strict_failures.py) ----------------------------------------------
def test_fail_next_answers_exactly_as_scripted_then_normally(api, http):
    limited = {"x-ratelimit-limit": "150", "x-ratelimit-remaining": "0"}
    api.fail_next("POST", "/attributes/custom", 2, 429, headers=limited)
    for _ in range(2):
        reply = post(http, GOOD)
        assert reply.status_code == 429 and reply.json() == {"message": "Too Many Requests"}
        assert reply.headers["x-ratelimit-remaining"] == "0" and "retry-after" not in reply.headers
    assert get(http, "phone=%2B14155550100").status_code == 200  # another method: untouched
    assert post(http, GOOD).status_code == 200
    assert [r.status for r in api.received("POST")] == [429, 429, 200]


def test_drop_next_closes_the_connection_without_an_answer(api, http):
    api.drop_next("GET", "/attributes/custom", 1)
    with pytest.raises(httpx.RemoteProtocolError):
        get(http, "phone=%2B14155550100")
    assert get(http, "phone=%2B14155550100").status_code == 200
    dropped, answered = api.received("GET")
    assert (dropped.dropped, dropped.status) == (True, 0) and answered.status == 200


def test_slow_down_holds_the_answer_and_clear_faults_ends_it(api, http):
    api.slow_down("GET", "/me", 0.3)
    api.fail_next("GET", "/me", 5, 500)
    reply = http.get("/me")
    assert reply.status_code == 500 and reply.json() == {"message": "Internal Server Error"}
    assert reply.elapsed.total_seconds() >= 0.3
    (slow,) = api.received("GET", "/me")
    assert slow.status == 500 and api.in_flight() == []
    api.clear_faults()
    assert http.get("/me").status_code == 200
