"""Error classes, their sentences, and what the server's body adds to them."""

from __future__ import annotations

import json

import pytest

from attentive_desktop.api import (
    AccessDenied,
    ApiError,
    BadRequest,
    Cancelled,
    InsecureBaseUrl,
    InvalidRequest,
    NotFound,
    RateLimited,
    RequestTimeout,
    ServerError,
    Unauthorized,
    error_for_response,
)
from attentive_desktop.api.bodies import server_message, trim_utf8

from .support import API_KEY


@pytest.mark.parametrize(
    ("status", "write", "cls", "phrase"),
    [
        (400, False, BadRequest, "rejected the request as invalid"),
        (401, False, Unauthorized, Unauthorized.default_message),
        (
            403,
            True,
            AccessDenied,
            "This API key lacks the attributes:write scope. Ask an admin for a key with that "
            "scope.",
        ),
        (403, False, AccessDenied, "not allowed to make this request"),
        (404, False, NotFound, "No user with that phone or email was found."),
        (408, False, RequestTimeout, "did not answer in time"),
        (429, False, RateLimited, "Attentive is rate-limiting this key"),
        (500, False, ServerError, "(HTTP 500)"),
        (503, True, ServerError, "(HTTP 503)"),
    ],
)
def test_each_status_has_its_class_and_sentence(status, write, cls, phrase):
    error = error_for_response(status, b"", write=write)
    assert type(error) is cls
    assert error.status == status
    assert phrase in error.message
    assert error.server_message is None
    assert str(error) == error.message


def test_unknown_status_is_a_plain_api_error():
    error = error_for_response(418, "I'm a teapot")
    assert type(error) is ApiError
    assert "HTTP 418" in error.message
    assert error.server_message == "I'm a teapot"


def test_404_on_me_talks_about_the_base_url():
    error = error_for_response(404, "", endpoint="/me")
    assert isinstance(error, NotFound)
    assert "base URL" in error.message


def test_server_message_is_appended():
    error = error_for_response(403, json.dumps({"message": "missing scope"}), write=True)
    assert error.server_message == "missing scope"
    assert str(error).endswith(" Server said: missing scope")
    assert str(error).startswith("This API key lacks the attributes:write scope.")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"message": "Bad phone"}, "Bad phone"),
        ({"error": "invalid_request"}, "invalid_request"),
        ({"error": {"code": 400, "message": "nested reason"}}, "nested reason"),
        ({"errors": ["one", "two"]}, "one; two"),
        ({"errors": [{"message": "a"}, {"message": "b"}, {"message": "a"}]}, "a; b"),
        ({"errors": [{"field": "phone", "message": "is invalid"}]}, "phone: is invalid"),
        ({"detail": [{"loc": ["body"], "msg": "field required"}]}, "field required"),
        ({"errors": {"properties": ["arrays are not allowed"]}}, "arrays are not allowed"),
        ({"detail": 42}, "42"),
        ({"status": 400, "reason": "odd"}, '{"status": 400, "reason": "odd"}'),
        ("just a string", "just a string"),
        ([{"message": "in a list"}], "in a list"),
    ],
)
def test_json_bodies_of_any_shape(body, expected):
    said = server_message(json.dumps(body))
    assert said is not None
    assert expected in said


@pytest.mark.parametrize("body", [None, b"", "   \n", "{}", "[]", '""', "null", '{"message": ""}'])
def test_bodies_that_say_nothing(body):
    assert server_message(body) is None


def test_html_is_reduced_to_its_text():
    html = (
        "<!DOCTYPE html><html><head><title>502 Bad Gateway</title><style>h1{x:y}</style>"
        "</head><body><h1>Bad   Gateway</h1><script>alert(1)</script>"
        "<p>The upstream &amp; friends failed.</p></body></html>"
    )
    said = server_message(html)
    assert said == "Bad Gateway The upstream & friends failed."


def test_html_with_only_a_title():
    assert server_message("<html><head><title>Oops</title></head><body></body></html>") == "Oops"


def test_plain_text_and_invalid_json_are_taken_as_text():
    assert server_message(b"Service  Unavailable\r\n") == "Service Unavailable"
    assert server_message("{not json") == "{not json"
    assert server_message(b"\xff\xfe broken bytes") is not None


def test_long_messages_are_trimmed():
    said = server_message("x" * 5000)
    assert said is not None
    assert len(said) <= 300
    assert said.endswith("…")
    huge_json = json.dumps({"message": "y" * 2_000_000})
    said = server_message(huge_json)
    assert said is not None
    assert len(said) <= 300


@pytest.mark.parametrize(
    "body",
    [
        json.dumps({"message": f"Invalid key {API_KEY}"}),
        f"<html><body>Bad token Bearer {API_KEY}</body></html>",
        f"token={API_KEY.replace('_', '%5F')}",
        "padding " * 40 + API_KEY,  # the key straddles the trimming point
    ],
)
def test_the_key_is_redacted_from_server_messages(body):
    error = error_for_response(401, body, secrets=[API_KEY])
    assert API_KEY not in str(error)
    assert API_KEY[:20] not in str(error)
    assert "%5F" not in str(error) or "[redacted]" in str(error)


def test_local_errors_are_value_errors_with_their_details():
    error = InvalidRequest("Nope.", findings=["f"], field="phone")
    assert isinstance(error, ValueError)
    assert error.findings == ("f",)
    assert error.field == "phone"
    assert error.status is None
    assert isinstance(InsecureBaseUrl("x"), ValueError)
    assert str(Cancelled()) == "Cancelled."


def test_trim_utf8_keeps_within_the_byte_limit_without_splitting_characters():
    text = "é" * 100_000
    trimmed = trim_utf8(text, 64 * 1024)
    assert len(trimmed.encode("utf-8")) <= 64 * 1024
    assert trimmed.startswith("éé")
    assert "trimmed" in trimmed
    assert trim_utf8("short", 10) == "short"
