"""Error bodies of any shape end up as a short, safe "Server said: …" — or nothing."""

from __future__ import annotations

import json
import re
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from attentive_desktop.api import ApiError, ServerError, error_for_response
from attentive_desktop.api.bodies import SERVER_MESSAGE_LIMIT

from .support import API_KEY, assert_plain

_UNSAFE = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]"
)
_SAID = " Server said: "
STATUSES = [400, 401, 403, 404, 408, 418, 429, 500, 502, 503, 504, 302, 0, 999]


def _check(error: ApiError, status: int) -> None:
    text = str(error)
    assert isinstance(error, ApiError)
    assert error.status == status
    assert_plain(error.message)  # our own sentence is always plain
    said = error.server_message
    if said is None:
        assert text == error.message
        return
    assert text == error.message + _SAID + said
    assert said == said.strip() and said
    assert len(said) <= SERVER_MESSAGE_LIMIT
    assert not _UNSAFE.search(text), repr(text)
    assert "  " not in said and "\n" not in said
    assert API_KEY not in text
    assert API_KEY[:12] not in text or "[redacted]" in text


# --- hypothesis: arbitrary bodies --------------------------------------------------------

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(["message", "error", "errors", "detail", "field", "code"])
            | st.text(max_size=8),
            children,
            max_size=4,
        )
    ),
    max_leaves=12,
)
# Ways a server might echo the key back: raw, percent-encoded, JSON-escaped, in a header dump.
_key_forms = st.sampled_from(
    [
        API_KEY,
        quote(API_KEY, safe=""),
        quote(API_KEY, safe="").lower(),
        API_KEY.replace("/", "\\/"),
        f"Authorization: Bearer {API_KEY}",
    ]
)
_any_char = st.characters(codec=None, exclude_categories=())
_text_with_key = st.lists(st.text(_any_char, max_size=40) | _key_forms, max_size=6).map("".join)


@st.composite
def _bodies(draw) -> str | bytes:
    kind = draw(st.sampled_from(["json", "json-key", "html", "text", "bytes"]))
    if kind == "json":
        return json.dumps(draw(_json), ensure_ascii=draw(st.booleans()))
    if kind == "json-key":
        message = draw(_text_with_key)
        return json.dumps({draw(st.sampled_from(["message", "error", "detail"])): message})
    if kind == "html":
        inner = draw(_text_with_key).replace("<", "&lt;")
        head = f"<!DOCTYPE html><html><head><title>{inner[:20]}</title></head>"
        return f"{head}<body><p>{inner}</p></body></html>"
    if kind == "text":
        return draw(_text_with_key)
    return draw(st.binary(max_size=200)) + draw(_key_forms).encode()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(STATUSES), _bodies(), st.booleans())
def test_any_error_body_becomes_a_short_safe_message(status, body, write) -> None:
    error = error_for_response(status, body, write=write, secrets=[API_KEY])
    _check(error, status)


# --- specific shapes ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "said"),
    [
        ("[" * 100_000, "[" * (SERVER_MESSAGE_LIMIT - 1) + "…"),  # too deep to parse: raw text
        ("[" * 1_000 + "]" * 1_000, "[" * (SERVER_MESSAGE_LIMIT - 1) + "…"),
        ('{"message": ' + "[" * 5_000 + '"deep"' + "]" * 5_000 + "}", None),
        (json.dumps({"error": {"details": [{"errors": [{"message": "inner"}]}]}}), "inner"),
        (json.dumps([1, 2.5, True, None]), "1; 2.5; true"),
        (json.dumps(12345), "12345"),
        (json.dumps({"a": {"b": {"c": {"d": {"e": {"f": {"g": {"h": "x"}}}}}}}}), None),
        ("", None),
        ("\r\n\t  ", None),
        ("\x1b[31mRED\x1b[0m \u202egnp.exe\x00 done", "[31mRED [0m gnp.exe done"),
        (b"\xff\xfe\x00b\x00a\x00d\x00", None),
    ],
)
def test_odd_shapes(body, said) -> None:
    error = error_for_response(500, body, secrets=[API_KEY])
    _check(error, 500)
    if said is None:
        assert error.server_message is None or len(error.server_message) <= 300
    else:
        assert error.server_message == said


def test_a_10_mb_json_body_is_read_only_as_far_as_needed() -> None:
    body = json.dumps({"message": "quota exceeded " + "x" * 10_000_000 + API_KEY})
    error = error_for_response(429, body.encode(), secrets=[API_KEY])
    _check(error, 429)
    assert error.server_message.startswith('{"message": "quota exceeded xxx')
    assert len(str(error)) < 600


def test_a_10_mb_html_page_is_reduced_to_its_start() -> None:
    body = "<html><body><h1>Gateway Timeout</h1>" + "<p>filler</p>" * 800_000 + "</body></html>"
    error = error_for_response(504, body, secrets=[API_KEY])
    _check(error, 504)
    assert isinstance(error, ServerError)
    assert error.server_message.startswith("Gateway Timeout filler filler")


def test_a_key_hidden_by_json_escapes_or_html_entities_is_still_redacted() -> None:
    escaped = json.dumps({"message": "bad key " + API_KEY.replace("/", "\\/")})
    assert API_KEY not in escaped
    error = error_for_response(401, escaped, secrets=[API_KEY])
    assert error.server_message == "bad key [redacted]"
    entity = "<html><body>bad key " + API_KEY.replace("+", "&#43;") + "</body></html>"
    error = error_for_response(401, entity, secrets=[API_KEY])
    assert error.server_message == "bad key [redacted]"
