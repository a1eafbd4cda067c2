"""Phone numbers and email addresses: normalised, or refused with a message naming the field."""

from __future__ import annotations

import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from attentive_desktop.core.identifiers import InvalidIdentifier, normalize_email, normalize_phone

# --- phone -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "region", "expected"),
    [
        ("(415) 555-0100", "US", "+14155550100"),
        ("415-555-0100", "US", "+14155550100"),
        ("415.555.0100", "US", "+14155550100"),
        ("4155550100", "US", "+14155550100"),
        ("1 415 555 0100", "US", "+14155550100"),
        ("+1 (415) 555-0100", "US", "+14155550100"),
        ("+14155550100", "US", "+14155550100"),
        ("  +14155550100  ", "US", "+14155550100"),
        ("+14155550100", "GB", "+14155550100"),
        ("001 415 555 0100", "GB", "+14155550100"),
        ("020 7946 0958", "GB", "+442079460958"),
        ("07400 123456", "GB", "+447400123456"),
        ("+44 7400 123456", "US", "+447400123456"),
        ("030 12345678", "DE", "+493012345678"),
        ("06 12 34 56 78", "FR", "+33612345678"),
        ("(415) 555-0100", "us", "+14155550100"),  # region case does not matter
        ("tel:+1-415-555-0100", "US", "+14155550100"),  # a link copied from a web page
        ("TEL:+14155550100", "US", "+14155550100"),
        ("+14155550100", "", "+14155550100"),  # no region: international numbers still work
    ],
)
def test_normalize_phone(text: str, region: str, expected: str) -> None:
    assert normalize_phone(text, region) == expected


def test_normalize_phone_defaults_to_us() -> None:
    assert normalize_phone("(415) 555-0100") == "+14155550100"


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("123", "US"),
        ("555-0100", "US"),  # no area code
        ("(415) 555-010", "US"),  # too short
        ("(415) 555-01000", "US"),  # too long
        ("(099) 555-0100", "US"),  # no such area code
        ("+999 1234567", "US"),  # no such country code
        ("hello", "US"),
        ("+", "US"),
        ("4155550100", "ZZ"),  # unknown region and no +
        ("4155550100", ""),
        ("020 7946 0958", "US"),  # a GB number read as US
        ("1" * 300, "US"),
    ],
)
def test_normalize_phone_refuses_invalid_numbers(text: str, region: str) -> None:
    with pytest.raises(InvalidIdentifier) as caught:
        normalize_phone(text, region)
    assert caught.value.field == "phone"
    assert "phone number" in str(caught.value)
    assert "+14155550100" in str(caught.value)  # shows the expected format


def test_invalid_phone_message_quotes_input_and_region_example() -> None:
    with pytest.raises(InvalidIdentifier) as caught:
        normalize_phone("555-0100", "US")
    message = str(caught.value)
    assert "'555-0100'" in message
    assert "US number like (201) 555-0123" in message


def test_invalid_phone_message_shortens_long_input() -> None:
    with pytest.raises(InvalidIdentifier) as caught:
        normalize_phone("x" * 500)
    assert len(str(caught.value)) < 250


@pytest.mark.parametrize("text", ["", "   ", "\t\n"])
def test_blank_phone_asks_for_one(text: str) -> None:
    with pytest.raises(InvalidIdentifier, match="Enter a phone number") as caught:
        normalize_phone(text)
    assert caught.value.field == "phone"


def test_phone_that_is_not_text_is_refused() -> None:
    with pytest.raises(InvalidIdentifier, match="must be text") as caught:
        normalize_phone(4155550100)  # type: ignore[arg-type]
    assert caught.value.field == "phone"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("415-555-O1OO", "contains letters (an O for a 0?)"),  # keypad would read 6166
        ("1-800-FLOWERS", "contains letters. Use digits only."),
        ("555-0100", "is too short (is the area code missing?)"),
        ("+1 415 555 01000000", "is too long"),
    ],
)
def test_invalid_phone_says_why(text: str, reason: str) -> None:
    with pytest.raises(InvalidIdentifier) as refused:
        normalize_phone(text, "US")
    assert reason in refused.value.message


def test_phone_with_extension_is_refused() -> None:
    with pytest.raises(InvalidIdentifier, match="extension") as caught:
        normalize_phone("(415) 555-0100 ext. 12")
    assert caught.value.field == "phone"


@settings(max_examples=200)
@given(st.text(max_size=40), st.sampled_from(["US", "GB", "DE", "IN", "", "ZZ"]))
def test_normalize_phone_returns_e164_or_refuses(text: str, region: str) -> None:
    try:
        result = normalize_phone(text, region)
    except InvalidIdentifier as error:
        assert error.field == "phone"
        assert str(error)
    else:
        assert result.startswith("+")
        assert result[1:].isdigit() and result.isascii()


@settings(max_examples=200)
@given(
    st.from_regex(r"\+?[0-9 ()\-.]{6,20}", fullmatch=True),
    st.sampled_from(["US", "GB", "DE", "FR", "IN", "BR"]),
    st.sampled_from(["US", "GB", "JP"]),
)
def test_phone_normalisation_is_idempotent(text: str, region: str, other: str) -> None:
    try:
        once = normalize_phone(text, region)
    except InvalidIdentifier:
        return
    assert normalize_phone(once, region) == once
    assert normalize_phone(once, other) == once  # E.164 does not depend on the region


# --- email -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ada@example.com", "ada@example.com"),
        ("  ada@example.com\n", "ada@example.com"),
        ("Ada.Lovelace@Example.COM", "Ada.Lovelace@example.com"),  # local part keeps its case
        ("ada+tag@mail.example.co.uk", "ada+tag@mail.example.co.uk"),
        ("o'brien@example.com", "o'brien@example.com"),
        ("josé@exämple.de", "josé@exämple.de"),
        ("用户@例子.广告", "用户@例子.广告"),
        ("ada@उदाहरण.भारत", "ada@उदाहरण.भारत"),  # vowel signs are combining marks
        ("a@b-c.io", "a@b-c.io"),
        ("a@xn--bcher-kva.example", "a@xn--bcher-kva.example"),
    ],
)
def test_normalize_email(text: str, expected: str) -> None:
    assert normalize_email(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("ada", "exactly one @"),
        ("ada@@example.com", "exactly one @"),
        ("a@b@example.com", "exactly one @"),
        ("@example.com", "nothing before the @"),
        ("ada@", "needs a dot"),
        ("ada@localhost", "needs a dot"),
        ("ada@.example.com", "not a domain name"),
        ("ada@example.com.", "not a domain name"),
        ("ada@example..com", "not a domain name"),
        ("ada@exa_mple.com", "not a domain name"),
        ("ada@exa mple.com", "contains a space"),
        ("ada lovelace@example.com", "contains a space"),
        ("Ada <ada@example.com>", "contains a space"),
        ("ada\u200b@example.com", "invisible or control character"),
        ("ada\x00@example.com", "invisible or control character"),
        ("a" * 250 + "@example.com", "longer than 254"),
    ],
)
def test_normalize_email_refuses_malformed(text: str, reason: str) -> None:
    with pytest.raises(InvalidIdentifier) as caught:
        normalize_email(text)
    assert caught.value.field == "email"
    assert reason in str(caught.value)
    assert "email address" in str(caught.value)
    assert "ada@example.com" in str(caught.value)  # shows the expected format


@settings(max_examples=200)
@given(st.text(max_size=30), st.text(max_size=30))
def test_email_normalisation_is_idempotent(local: str, domain: str) -> None:
    for text in (local, f"{local}@{domain}", f"{local}@{domain}.com"):
        try:
            once = normalize_email(text)
        except InvalidIdentifier as error:
            assert error.field == "email" and str(error)
        else:
            assert normalize_email(once) == once


def test_email_of_exactly_254_characters_is_accepted() -> None:
    address = "a" * (254 - len("@example.com")) + "@example.com"
    assert normalize_email(address) == address


def test_invalid_email_message_makes_control_characters_visible() -> None:
    with pytest.raises(InvalidIdentifier) as caught:
        normalize_email("ada\x07@example.com")
    assert "\x07" not in str(caught.value)
    assert "\\u0007" in str(caught.value)


@pytest.mark.parametrize("text", ["", "  ", None, 42])
def test_blank_or_non_text_email_is_refused(text) -> None:
    with pytest.raises(InvalidIdentifier) as caught:
        normalize_email(text)
    assert caught.value.field == "email"


# --- InvalidIdentifier -------------------------------------------------------------------


def test_invalid_identifier_is_a_value_error_whose_str_is_the_message() -> None:
    error = InvalidIdentifier("email", "Fix it.")
    assert isinstance(error, ValueError)
    assert (error.field, error.message, str(error)) == ("email", "Fix it.", "Fix it.")


def test_invalid_identifier_survives_pickling() -> None:
    copy = pickle.loads(pickle.dumps(InvalidIdentifier("phone", "Fix it.")))
    assert (copy.field, copy.message, str(copy)) == ("phone", "Fix it.", "Fix it.")
